//! The suite's HTTP client: no automatic decompression (the suite checks encodings itself),
//! bounded bodies, a few polite retries on 429, and a record of every answer's Date header and
//! of every error answer's problem format.

use reqwest::header::{HeaderMap, CONTENT_TYPE, DATE, RETRY_AFTER};
use reqwest::{Client, Method, RequestBuilder, StatusCode};
use std::sync::Mutex;
use std::time::Duration;

/// The largest body the suite reads (evidence included).
const MAX_BODY: usize = 64 * 1024 * 1024;
/// Retries of a 429, each after its Retry-After (at most 30 s).
const RETRIES: usize = 4;

/// One answer, read whole.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as JSON, or why not.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        serde_json::from_slice(&self.body)
            .map_err(|e| format!("the body is not the JSON expected: {e}"))
    }

    /// Fails unless the status is `want`.
    pub fn expect(&self, want: u16, what: &str) -> Result<(), String> {
        if self.status.as_u16() == want {
            Ok(())
        } else {
            let detail = serde_json::from_slice::<serde_json::Value>(&self.body)
                .ok()
                .and_then(|v| v.get("detail").and_then(|d| d.as_str()).map(str::to_owned))
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            Err(format!(
                "{what}: expected {want}, got {}{detail}",
                self.status.as_u16()
            ))
        }
    }
}

#[derive(Default)]
struct Wire {
    answers: usize,
    errors: usize,
    without_date: Vec<String>,
    bad_problems: Vec<String>,
}

pub struct Http {
    client: Client,
    base: String,
    wire: Mutex<Wire>,
}

impl Http {
    pub fn new(base: &str) -> Result<Http, String> {
        let url =
            reqwest::Url::parse(base).map_err(|e| format!("the base URL is not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err("the base URL must be http or https".into());
        }
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = Client::builder()
            .no_gzip()
            .no_zstd()
            .timeout(Duration::from_secs(60))
            .connect_timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(Http {
            client,
            base: base.trim_end_matches('/').to_owned(),
            wire: Mutex::new(Wire::default()),
        })
    }

    /// A request to `path` (from the API root, e.g. `/api/v1/rules`).
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, format!("{}{path}", self.base))
    }

    /// Sends `req` (retrying a 429) and reads the answer whole. `what` names it in findings.
    pub async fn send(&self, what: &str, req: RequestBuilder) -> Result<Answer, String> {
        let mut attempt = 0;
        loop {
            let this = req
                .try_clone()
                .ok_or_else(|| format!("{what}: the request cannot be repeated"))?;
            let resp = this.send().await.map_err(|e| format!("{what}: {e}"))?;
            let status = resp.status();
            let headers = resp.headers().clone();
            let body = read_bounded(resp)
                .await
                .map_err(|e| format!("{what}: {e}"))?;
            let answer = Answer {
                status,
                headers,
                body,
            };
            self.note(what, &answer);
            if status == StatusCode::TOO_MANY_REQUESTS && attempt < RETRIES {
                attempt += 1;
                let wait = answer
                    .header(RETRY_AFTER.as_str())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .unwrap_or(1)
                    .clamp(1, 30);
                tokio::time::sleep(Duration::from_secs(wait)).await;
                continue;
            }
            return Ok(answer);
        }
    }

    fn note(&self, what: &str, a: &Answer) {
        let Ok(mut w) = self.wire.lock() else {
            return;
        };
        w.answers += 1;
        if a.headers.get(DATE).is_none() && w.without_date.len() < 5 {
            w.without_date.push(what.to_owned());
        }
        if a.status.is_client_error() || a.status.is_server_error() {
            w.errors += 1;
            if let Err(why) = problem_shape(a) {
                if w.bad_problems.len() < 5 {
                    w.bad_problems
                        .push(format!("{what} ({}): {why}", a.status.as_u16()));
                }
            }
        }
    }

    /// The Date-header and problem-format findings over every answer so far.
    pub fn wire_findings(&self) -> (Result<String, String>, Result<String, String>) {
        let Ok(w) = self.wire.lock() else {
            return (Err("no record".into()), Err("no record".into()));
        };
        let dates = if w.without_date.is_empty() {
            Ok(format!("all {} answers carried a Date header", w.answers))
        } else {
            Err(format!(
                "answers without a Date header: {}",
                w.without_date.join(", ")
            ))
        };
        let problems = if w.bad_problems.is_empty() {
            Ok(format!(
                "all {} error answers were application/problem+json",
                w.errors
            ))
        } else {
            Err(w.bad_problems.join("; "))
        };
        (dates, problems)
    }
}

/// RFC 9457 as the contract uses it: the media type, a title, and the answer's status.
fn problem_shape(a: &Answer) -> Result<(), String> {
    let media = a.header(CONTENT_TYPE.as_str()).unwrap_or("");
    if !media.starts_with("application/problem+json") {
        return Err(format!(
            "media type `{media}`, not application/problem+json"
        ));
    }
    let v: serde_json::Value =
        serde_json::from_slice(&a.body).map_err(|_| "the body is not JSON".to_owned())?;
    if !v.get("title").is_some_and(|t| t.is_string()) {
        return Err("no title".into());
    }
    if v.get("status").and_then(|s| s.as_u64()) != Some(u64::from(a.status.as_u16())) {
        return Err("its status is not the answer's".into());
    }
    Ok(())
}

async fn read_bounded(mut resp: reqwest::Response) -> Result<Vec<u8>, String> {
    if resp.content_length().is_some_and(|n| n > MAX_BODY as u64) {
        return Err(format!("the body is larger than {MAX_BODY} bytes"));
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| e.to_string())? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(format!("the body is larger than {MAX_BODY} bytes"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
