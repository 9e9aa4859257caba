//! The platform API over HTTP: timeouts sized for 256 kbit/s links, compressed bodies both ways,
//! and every answer checked before it counts (status, content type, shape).

use crate::error::SyncError;
use crate::wire::{
    FindingItem, FindingsResponse, PullResponse, PushItem, PushResponse, TokenResponse,
};
use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, CONTENT_ENCODING, CONTENT_TYPE, DATE, RETRY_AFTER};
use reqwest::{RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use std::io::Write;
use std::sync::Once;
use std::time::Duration;

/// A checked answer with the server's clock.
#[derive(Debug)]
pub struct Answer<T> {
    pub body: T,
    pub server_time: Option<DateTime<Utc>>,
    /// Body bytes as received (after decompression).
    pub bytes: u64,
}

#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
}

/// The server's `Date`, for the clock offset.
pub fn server_time(headers: &HeaderMap) -> Option<DateTime<Utc>> {
    let text = headers.get(DATE)?.to_str().ok()?;
    DateTime::parse_from_rfc2822(text)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?;
    text.trim().parse::<u64>().ok().map(Duration::from_secs)
}

async fn problem_detail(resp: Response) -> String {
    let status = resp.status();
    let bytes = resp.bytes().await.unwrap_or_default();
    serde_json::from_slice::<crate::wire::Problem>(&bytes)
        .ok()
        .and_then(|p| p.detail.or(p.title))
        .unwrap_or_else(|| status.to_string())
}

/// Maps a non-success status to the kind of failure.
pub async fn failure(resp: Response) -> SyncError {
    let status = resp.status();
    let headers = resp.headers().clone();
    match status {
        StatusCode::TOO_MANY_REQUESTS => SyncError::RateLimited {
            retry_after: retry_after(&headers),
        },
        StatusCode::UNAUTHORIZED => SyncError::Unauthorized(problem_detail(resp).await),
        s if s.is_server_error() => SyncError::Transient(format!("server answered {s}")),
        s => SyncError::Refused {
            status: s.as_u16(),
            detail: problem_detail(resp).await,
        },
    }
}

fn net(e: reqwest::Error) -> SyncError {
    SyncError::Transient(format!("network: {e}"))
}

impl Client {
    pub fn new(base: &str) -> Result<Client, SyncError> {
        static PROVIDER: Once = Once::new();
        PROVIDER.call_once(|| {
            // Another part of the process may have installed one already; either is fine.
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(20))
            // Per read, not per request: a large page on a slow link keeps flowing.
            .read_timeout(Duration::from_secs(60))
            .pool_idle_timeout(Duration::from_secs(30))
            .user_agent(concat!("jxjy-review/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SyncError::Transient(format!("cannot make an HTTP client: {e}")))?;
        Ok(Client {
            http,
            base: base.trim_end_matches('/').to_owned(),
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends and accepts only a JSON answer of the expected shape (rule 8: a captive portal's
    /// `200 text/html` is a failure, and so is a body cut short).
    async fn json<T: DeserializeOwned>(&self, rb: RequestBuilder) -> Result<Answer<T>, SyncError> {
        let resp = rb.send().await.map_err(net)?;
        if !resp.status().is_success() {
            return Err(failure(resp).await);
        }
        let server_time = server_time(resp.headers());
        let json = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !json {
            return Err(SyncError::Transient(
                "the answer is not JSON (a captive portal?)".into(),
            ));
        }
        let bytes = resp.bytes().await.map_err(net)?;
        let body = serde_json::from_slice(&bytes).map_err(|e| {
            SyncError::Transient(format!("the answer does not have the expected shape: {e}"))
        })?;
        Ok(Answer {
            body,
            server_time,
            bytes: bytes.len() as u64,
        })
    }

    pub async fn login(
        &self,
        username: &str,
        password: &str,
    ) -> Result<Answer<TokenResponse>, SyncError> {
        let body = serde_json::json!({"username": username, "password": password});
        self.json(self.http.post(self.url("/api/v1/auth/login")).json(&body))
            .await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Result<Answer<TokenResponse>, SyncError> {
        let body = serde_json::json!({"refresh_token": refresh_token});
        self.json(self.http.post(self.url("/api/v1/auth/refresh")).json(&body))
            .await
    }

    pub async fn rules(
        &self,
        token: &str,
        year: i32,
    ) -> Result<Answer<serde_json::Value>, SyncError> {
        self.json(
            self.http
                .get(self.url("/api/v1/rules"))
                .query(&[("year", year)])
                .bearer_auth(token),
        )
        .await
    }

    pub async fn pull(
        &self,
        token: &str,
        unit: &str,
        scope: &str,
        since: Option<&str>,
        limit: usize,
    ) -> Result<Answer<PullResponse>, SyncError> {
        let mut rb = self
            .http
            .get(self.url(&format!("/api/v1/units/{unit}/{scope}")))
            .query(&[("limit", limit.to_string())])
            .bearer_auth(token);
        if let Some(c) = since {
            rb = rb.query(&[("since", c)]);
        }
        self.json(rb).await
    }

    /// Both scopes since their cursors, one page each.
    pub async fn changes(
        &self,
        token: &str,
        unit: &str,
        staff_since: Option<&str>,
        declarations_since: Option<&str>,
        limit: usize,
    ) -> Result<Answer<crate::wire::ChangesResponse>, SyncError> {
        let mut rb = self
            .http
            .get(self.url(&format!("/api/v1/units/{unit}/changes")))
            .query(&[("limit", limit.to_string())])
            .bearer_auth(token);
        if let Some(c) = staff_since {
            rb = rb.query(&[("staff_since", c)]);
        }
        if let Some(c) = declarations_since {
            rb = rb.query(&[("declarations_since", c)]);
        }
        self.json(rb).await
    }

    /// Pushes a batch with a gzip-compressed body.
    pub async fn push(
        &self,
        token: &str,
        items: &[PushItem],
    ) -> Result<(Answer<PushResponse>, u64), SyncError> {
        let body = serde_json::to_vec(&serde_json::json!({ "items": items }))
            .map_err(|e| SyncError::BadData(e.to_string()))?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&body)
            .map_err(|e| SyncError::BadData(e.to_string()))?;
        let compressed = gz.finish().map_err(|e| SyncError::BadData(e.to_string()))?;
        let sent = compressed.len() as u64;
        let rb = self
            .http
            .post(self.url("/api/v1/decisions"))
            .bearer_auth(token)
            .header(CONTENT_TYPE, "application/json")
            .header(CONTENT_ENCODING, "gzip")
            .body(compressed);
        Ok((self.json(rb).await?, sent))
    }

    /// Pushes a batch of spot-check findings.
    pub async fn push_findings(
        &self,
        token: &str,
        items: &[FindingItem],
    ) -> Result<Answer<FindingsResponse>, SyncError> {
        let rb = self
            .http
            .post(self.url("/api/v1/spotcheck/findings"))
            .bearer_auth(token)
            .json(&serde_json::json!({ "items": items }));
        self.json(rb).await
    }

    /// Starts an evidence download at `offset` (a resume when > 0, valid only while the file is
    /// still the one named by its hash).
    pub async fn evidence(
        &self,
        token: &str,
        sha256: &str,
        offset: u64,
    ) -> Result<Response, SyncError> {
        let mut rb = self
            .http
            .get(self.url(&format!("/api/v1/evidence/{sha256}")))
            .bearer_auth(token);
        if offset > 0 {
            rb = rb
                .header(reqwest::header::RANGE, format!("bytes={offset}-"))
                .header(reqwest::header::IF_RANGE, format!("\"{sha256}\""));
        }
        let resp = rb.send().await.map_err(net)?;
        if resp.status().is_success() || resp.status() == StatusCode::RANGE_NOT_SATISFIABLE {
            Ok(resp)
        } else {
            Err(failure(resp).await)
        }
    }
}
