import { createApp } from "vue";
import App from "./App.vue";
import { useElement } from "./element";
import "./style.css";

const app = createApp(App);
useElement(app);
app.mount("#app");
