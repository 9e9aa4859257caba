import { defineConfig } from "vitest/config";
import vue from "@vitejs/plugin-vue";

// Tauri serves ui/dist; relative asset paths keep it independent of the origin.
export default defineConfig({
  plugins: [vue()],
  base: "./",
  clearScreen: false,
  // The bundle is read from disk, not a network: a large chunk costs parse time only.
  build: { target: "es2021", outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1600 },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
