// Start-up marks for scripts/bench-app.sh: "modules" is when every imported module has run.
(window as unknown as { __jxjyMarks: Record<string, number> }).__jxjyMarks = { modules: performance.now() };
import { createApp } from "vue";
import App from "./App.vue";
import { useElement } from "./element";
import "./style.css";

// The page is the whole app: a form's native submission (Enter in a form's only text field)
// would reload it and lose what the reviewer was doing. Forms act through their own handlers.
document.addEventListener("submit", (e) => e.preventDefault(), true);

const app = createApp(App);
useElement(app);
app.mount("#app");
