// Page tests: the built UI (ui/dist) served on loopback, in Debian's headless Chromium driven by
// playwright-core, with the Tauri IPC replaced by mock-backend.js.
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const dist = join(here, "..", "..", "dist");
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf" };

export async function serveDist() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(dist, path === "/" ? "index.html" : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
}

/** A fresh page with the mock backend, the app loaded and its queue shown. With `clock`, the
 * page's timers run on Playwright's clock, which a test can pause and move itself. */
export async function openApp(browser, base, n = 5000, { clock = false, query = "" } = {}) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 880 }, locale: "zh-CN" });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  if (clock) await page.clock.install();
  await page.addInitScript({ path: join(here, "mock-backend.js") });
  await page.goto(`${base}?n=${n}${query ? `&${query}` : ""}`);
  await unlock(page);
  await page.waitForSelector('[data-test="queue-row"][data-id]');
  return { page, errors };
}

/** The demo profile's unlock secret (mock-backend.js). */
export const SECRET = "24681357";

/** Types the secret on the unlock screen, as the reviewer does. */
export async function unlock(page, secret = SECRET) {
  await page.waitForSelector('input[data-test="unlock-secret"]');
  await page.fill('input[data-test="unlock-secret"]', secret);
  await page.press('input[data-test="unlock-secret"]', "Enter");
}

export const calls = (page, cmd) => page.evaluate((c) => window.__calls.filter((x) => x.cmd === c), cmd);
export const total = async (page) => Number((await page.textContent('[data-test="total"] b')).trim());

/** Chooses an option of one of the queue's filter drop-downs (native selects). */
export async function choose(page, selectTest, label) {
  await page.selectOption(`[data-test="${selectTest}"]`, { label });
}
