// Start-up marks for scripts/bench-app.sh: "modules" is when every imported module has run.
(window as unknown as { __jxjyMarks: Record<string, number> }).__jxjyMarks = { modules: performance.now() };
import { createApp } from "vue";
import App from "./App.vue";
import { useElement } from "./element";
import "./style.css";

const app = createApp(App);
useElement(app);
app.mount("#app");
