import { defineConfig } from "vitest/config";
import vue from "@vitejs/plugin-vue";

// Tauri serves ui/dist; relative asset paths keep it independent of the origin.
export default defineConfig({
  plugins: [vue()],
  base: "./",
  clearScreen: false,
  build: { target: "es2021", outDir: "dist", emptyOutDir: true },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
