//! A small W3C WebDriver client over reqwest: enough to drive the real app through
//! `tauri-driver` + `WebKitWebDriver` (sessions, elements, keys, script, screenshots).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use std::ffi::OsStr;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// `tauri-driver` on ports 4444 (WebDriver) and 4445 (WebKitWebDriver), passing `envs` to the
/// app it launches (`TAURI_DRIVER` names another binary); stopped when dropped.
pub struct DriverProcess(Child);

impl DriverProcess {
    pub fn start<'a>(envs: impl IntoIterator<Item = (&'a str, &'a OsStr)>) -> DriverProcess {
        DriverProcess(
            Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()))
                .args(["--port", "4444", "--native-port", "4445"])
                .envs(envs)
                .spawn()
                .expect("tauri-driver is not installed (cargo install tauri-driver --locked)"),
        )
    }
}

impl Drop for DriverProcess {
    fn drop(&mut self) {
        // SIGTERM, so tauri-driver stops its WebKitWebDriver child too.
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let _ = self.0.wait();
    }
}

pub struct Driver {
    http: reqwest::Client,
    base: String,
}

pub struct Session {
    d: Driver,
    url: String,
}

impl Driver {
    pub fn new(port: u16) -> Driver {
        Driver {
            // No call may hang the test: a stuck webview fails it instead.
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(90))
                .build()
                .unwrap(),
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    async fn send(
        &self,
        method: reqwest::Method,
        url: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let mut req = self.http.request(method, url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.map_err(|e| e.to_string())?;
        let status = resp.status();
        let v: Value = resp.json().await.map_err(|e| e.to_string())?;
        if status.is_success() {
            Ok(v["value"].clone())
        } else {
            Err(format!("{status}: {}", v["value"]))
        }
    }

    /// Waits for the driver to listen, then starts a session of `application`.
    pub async fn session(self, application: &str) -> Session {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let caps = json!({"capabilities": {"alwaysMatch": {
                "browserName": "wry",
                "tauri:options": {"application": application}
            }}});
            match self
                .send(
                    reqwest::Method::POST,
                    &format!("{}/session", self.base),
                    Some(caps),
                )
                .await
            {
                Ok(v) => {
                    let id = v["sessionId"].as_str().unwrap().to_owned();
                    let url = format!("{}/session/{id}", self.base);
                    return Session { d: self, url };
                }
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                Err(e) => panic!("no WebDriver session: {e}"),
            }
        }
    }
}

impl Session {
    async fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        self.d
            .send(
                reqwest::Method::POST,
                &format!("{}{path}", self.url),
                Some(body),
            )
            .await
    }

    async fn get(&self, path: &str) -> Result<Value, String> {
        self.d
            .send(reqwest::Method::GET, &format!("{}{path}", self.url), None)
            .await
    }

    pub async fn find(&self, css: &str) -> Option<String> {
        // Through the page's own querySelector: WebKitWebDriver's element search misses
        // attribute selectors that the page itself matches.
        let script =
            json!({"script": "return document.querySelector(arguments[0]);", "args": [css]});
        match self.post("/execute/sync", script).await {
            Ok(v) => {
                if v[ELEMENT].is_null()
                    && !v.is_null()
                    && std::env::var_os("JXJY_E2E_DEBUG").is_some()
                {
                    eprintln!("find {css}: {v}");
                }
                v[ELEMENT].as_str().map(str::to_owned)
            }
            Err(e) => {
                if std::env::var_os("JXJY_E2E_DEBUG").is_some() {
                    eprintln!("find {css}: {e}");
                }
                None
            }
        }
    }

    /// Waits up to `secs` for an element matching `css`.
    pub async fn wait(&self, css: &str, secs: u64) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(e) = self.find(css).await {
                return e;
            }
            if Instant::now() >= deadline {
                self.dump().await;
                panic!("no `{css}` after {secs} s");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Waits until `script` (a JS expression) is truthy.
    pub async fn wait_for(&self, what: &str, script: &str, secs: u64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let v = self.script(&format!("return ({script});")).await;
            if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) {
                return v;
            }
            if Instant::now() >= deadline {
                self.dump().await;
                panic!("waited {secs} s for {what}");
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    pub async fn click(&self, el: &str) {
        self.post(&format!("/element/{el}/click"), json!({}))
            .await
            .unwrap();
    }

    /// Empties a text field the way the page hears it (an `input` event), so bound models follow.
    pub async fn clear(&self, el: &str) {
        let script = json!({
            "script": "arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
            "args": [{ELEMENT: el}]
        });
        self.post("/execute/sync", script).await.unwrap();
    }

    pub async fn type_into(&self, el: &str, text: &str) {
        self.post(&format!("/element/{el}/value"), json!({"text": text}))
            .await
            .unwrap();
    }

    /// Waits for the text field `css`, empties it and types `text` into it.
    pub async fn fill(&self, css: &str, text: &str) {
        let el = self.wait(css, 20).await;
        self.clear(&el).await;
        self.type_into(&el, text).await;
    }

    pub async fn text(&self, el: &str) -> String {
        self.get(&format!("/element/{el}/text"))
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub async fn script(&self, body: &str) -> Value {
        self.post("/execute/sync", json!({"script": body, "args": []}))
            .await
            .unwrap()
    }

    /// Runs an asynchronous script; its last argument is the callback that returns the value.
    pub async fn script_async(&self, body: &str) -> Value {
        match self
            .post("/execute/async", json!({"script": body, "args": []}))
            .await
        {
            Ok(v) => v,
            Err(e) => {
                self.dump().await;
                panic!("script failed: {e}: {}", &body[..body.len().min(400)]);
            }
        }
    }

    /// Presses and releases one key, as a person at the keyboard would.
    pub async fn key(&self, key: &str) {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}
        ]}]});
        self.post("/actions", actions).await.unwrap();
    }

    /// On failure: a screenshot and the page's text, to see what the app showed.
    pub async fn dump(&self) {
        let path = std::env::temp_dir().join("jxjy-e2e-failure.png");
        if let Ok(b64) = self.get("/screenshot").await {
            let _ = std::fs::write(&path, decode_base64(b64.as_str().unwrap_or_default()));
            eprintln!("e2e: screenshot of the failure in {}", path.display());
        }
        if let Ok(text) = self.post("/execute/sync", json!({"script": "return document.body.innerText.slice(0, 600) + ' HTML: ' + (document.querySelector('form') || document.body).innerHTML.slice(0, 1500)", "args": []})).await {
            eprintln!("e2e: page text: {text}");
        }
    }

    /// Saves a PNG of the window.
    pub async fn screenshot(&self, path: &std::path::Path) {
        let b64 = self.get("/screenshot").await.unwrap();
        std::fs::write(path, decode_base64(b64.as_str().unwrap())).unwrap();
    }

    pub async fn close(self) {
        let _ = self.d.send(reqwest::Method::DELETE, &self.url, None).await;
    }
}

fn decode_base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = s
        .bytes()
        .filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let v: Vec<u32> = chunk.iter().map(|&c| u32::from(val(c))).collect();
        let n = v
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, x)| acc | (x << (18 - 6 * i)));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len().saturating_sub(1)]);
    }
    out
}
