//! The platform API over HTTP: timeouts sized for 256 kbit/s links, compressed bodies both ways,
//! and every answer checked before it counts (status, content type, size, shape). The address
//! was checked before the client exists (https, or http on loopback only); no redirect is
//! followed; every body is read against its endpoint's cap on the decompressed stream.

use crate::error::SyncError;
use crate::limits;
use crate::wire::{
    FindingItem, FindingsResponse, PullResponse, PushItem, PushResponse, TokenResponse,
};
use chrono::{DateTime, Utc};
use jxjy_core::address::PlatformAddress;
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

/// `Retry-After` in seconds, capped (a platform asking for days waits minutes).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?;
    let secs = text.trim().parse::<u64>().ok()?;
    Some(Duration::from_secs(secs).min(limits::MAX_RETRY_AFTER))
}

/// Reads a body up to `cap` bytes as decompressed: refuses at once when the declared length is
/// over, and stops reading as soon as the stream passes the cap.
pub async fn read_capped(
    mut resp: Response,
    cap: u64,
    what: &'static str,
) -> Result<Vec<u8>, SyncError> {
    if resp.content_length().is_some_and(|n| n > cap) {
        return Err(SyncError::TooLarge { what, cap });
    }
    let mut out: Vec<u8> = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(net)? {
        if out.len() as u64 + chunk.len() as u64 > cap {
            return Err(SyncError::TooLarge { what, cap });
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// The problem's detail for a log line: bounded, one line, at most 300 characters.
async fn problem_detail(resp: Response) -> String {
    let status = resp.status();
    let bytes = read_capped(resp, limits::PROBLEM_BYTES, "an error answer")
        .await
        .unwrap_or_default();
    serde_json::from_slice::<crate::wire::Problem>(&bytes)
        .ok()
        .and_then(|p| p.detail.or(p.title))
        .map(|d| {
            d.chars()
                .filter(|c| !c.is_control())
                .take(300)
                .collect::<String>()
        })
        .unwrap_or_else(|| status.to_string())
}

/// Where a redirect pointed, as an origin only (a path or query may carry anything).
fn redirect_target(headers: &HeaderMap) -> String {
    headers
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| reqwest::Url::parse(v).ok())
        .map(|u| format!(" to {}", u.origin().ascii_serialization()))
        .unwrap_or_default()
}

/// Maps a non-success status to the kind of failure.
pub async fn failure(resp: Response) -> SyncError {
    let status = resp.status();
    let headers = resp.headers().clone();
    match status {
        s if s.is_redirection() => SyncError::Redirected {
            status: s.as_u16(),
            to: redirect_target(&headers),
        },
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

/// A pull page is used only when it is no larger than asked and its cursor is one this client
/// will send back: printable, bounded, and moved on when more is to come — a page that says
/// "more" at the same cursor, or with nothing in it, would be asked for forever. (A cursor that
/// comes back after other pages is caught by the engine, which sees the whole pull.)
fn check_page(page: &PullResponse, since: Option<&str>, limit: usize) -> Result<(), SyncError> {
    let records = page.items.len().saturating_add(page.tombstones.len());
    if records > limit {
        return Err(SyncError::BadData(format!(
            "a pull page has {records} records; {limit} were asked for"
        )));
    }
    let c = &page.next_cursor;
    if c.len() > limits::MAX_CURSOR_CHARS || !c.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(SyncError::BadData(
            "the platform's cursor is not a short printable token".into(),
        ));
    }
    if page.has_more && (c.is_empty() || since == Some(c.as_str()) || records == 0) {
        return Err(SyncError::BadData(
            "the platform's cursor did not advance although it has more to send".into(),
        ));
    }
    Ok(())
}

fn net(e: reqwest::Error) -> SyncError {
    SyncError::Transient(format!("network: {e}"))
}

impl Client {
    /// A client for a checked address; parse one with [`PlatformAddress::parse`] (or use
    /// [`Client::for_address`]), so a plain-http address elsewhere never reaches a request.
    pub fn new(address: &PlatformAddress) -> Result<Client, SyncError> {
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
            // A 3xx is a failure: a login body or a bearer token never goes to another origin.
            .redirect(reqwest::redirect::Policy::none())
            // Only https (or loopback http, which the address allowed): no downgrade.
            .https_only(!address.as_str().starts_with("http://"))
            .build()
            .map_err(|e| SyncError::Transient(format!("cannot make an HTTP client: {e}")))?;
        Ok(Client {
            http,
            base: address.as_str().to_owned(),
        })
    }

    /// Checks the address text, then makes the client.
    pub fn for_address(text: &str) -> Result<Client, SyncError> {
        Client::new(&PlatformAddress::parse(text)?)
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends and accepts only a JSON answer of the expected shape (rule 8: a captive portal's
    /// `200 text/html` is a failure, and so is a body cut short).
    async fn json<T: DeserializeOwned>(
        &self,
        rb: RequestBuilder,
        cap: u64,
        what: &'static str,
    ) -> Result<Answer<T>, SyncError> {
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
        let bytes = read_capped(resp, cap, what).await?;
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
        self.json(
            self.http.post(self.url("/api/v1/auth/login")).json(&body),
            limits::AUTH_BYTES,
            "the login",
        )
        .await
    }

    /// Ends the session of `access_token` on the platform (its refresh token stops working too).
    pub async fn logout(&self, access_token: &str) -> Result<(), SyncError> {
        let r = self
            .http
            .post(self.url("/api/v1/auth/logout"))
            .bearer_auth(access_token)
            .send()
            .await
            .map_err(|e| SyncError::Transient(format!("the logout: {e}")))?;
        match r.status().as_u16() {
            200..=299 | 401 => Ok(()),
            s => Err(SyncError::Refused {
                status: s,
                detail: "the platform refused the logout".into(),
            }),
        }
    }

    pub async fn refresh(&self, refresh_token: &str) -> Result<Answer<TokenResponse>, SyncError> {
        let body = serde_json::json!({"refresh_token": refresh_token});
        self.json(
            self.http.post(self.url("/api/v1/auth/refresh")).json(&body),
            limits::AUTH_BYTES,
            "a token refresh",
        )
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
            limits::RULES_BYTES,
            "the rules",
        )
        .await
    }

    pub async fn pull(
        &self,
        token: &str,
        unit: &str,
        scope: jxjy_core::SyncScope,
        since: Option<&str>,
        limit: usize,
    ) -> Result<Answer<PullResponse>, SyncError> {
        let mut rb = self
            .http
            .get(self.url(&format!("/api/v1/units/{unit}/{}", scope.code())))
            .query(&[("limit", limit.to_string())])
            .bearer_auth(token);
        if let Some(c) = since {
            rb = rb.query(&[("since", c)]);
        }
        let answer: Answer<PullResponse> = self
            .json(rb, limits::page_bytes(limit), "a pull page")
            .await?;
        check_page(&answer.body, since, limit)?;
        Ok(answer)
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
        let answer: Answer<crate::wire::ChangesResponse> = self
            .json(rb, 2 * limits::page_bytes(limit), "a changes page")
            .await?;
        check_page(&answer.body.staff, staff_since, limit)?;
        check_page(&answer.body.declarations, declarations_since, limit)?;
        Ok(answer)
    }

    /// Pushes a batch with a gzip-compressed body.
    pub async fn push(
        &self,
        token: &str,
        items: &[PushItem],
        audit: Option<&crate::wire::AuditHead>,
    ) -> Result<(Answer<PushResponse>, u64), SyncError> {
        let body = match audit {
            None => serde_json::json!({ "items": items }),
            Some(head) => serde_json::json!({ "items": items, "audit": head }),
        };
        let body = serde_json::to_vec(&body).map_err(|e| SyncError::BadData(e.to_string()))?;
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
        let cap = limits::push_answer_bytes(items.len());
        let answer: Answer<PushResponse> = self.json(rb, cap, "a push").await?;
        if answer.body.results.len() > items.len() {
            return Err(SyncError::BadData(format!(
                "the push answer has {} results for {} items",
                answer.body.results.len(),
                items.len()
            )));
        }
        Ok((answer, sent))
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
        let answer: Answer<FindingsResponse> = self
            .json(
                rb,
                limits::push_answer_bytes(items.len()),
                "a findings push",
            )
            .await?;
        if answer.body.results.len() > items.len() {
            return Err(SyncError::BadData(format!(
                "the findings answer has {} results for {} items",
                answer.body.results.len(),
                items.len()
            )));
        }
        Ok(answer)
    }

    /// Starts an evidence download at `offset` (a resume when > 0, valid only while the file is
    /// still the one named by its hash).
    pub async fn evidence(
        &self,
        token: &str,
        sha256: &str,
        offset: u64,
    ) -> Result<Response, SyncError> {
        // The hash names a URL: only 64 hex digits get there, whatever the store holds.
        if !jxjy_core::evidence_record::is_sha256_hex(sha256) {
            return Err(SyncError::BadData(
                "an evidence hash is not 64 hexadecimal digits".into(),
            ));
        }
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        h
    }

    #[test]
    fn retry_after_is_honoured_up_to_its_cap() {
        assert_eq!(retry_after(&headers("5")), Some(Duration::from_secs(5)));
        assert_eq!(
            retry_after(&headers("86400000")),
            Some(limits::MAX_RETRY_AFTER),
            "days become minutes"
        );
        assert_eq!(
            retry_after(&headers("18446744073709551615")),
            Some(limits::MAX_RETRY_AFTER)
        );
        assert_eq!(retry_after(&headers("soon")), None);
    }

    fn page(items: usize, cursor: &str, has_more: bool) -> PullResponse {
        PullResponse {
            items: vec![serde_json::Value::Null; items],
            tombstones: Vec::new(),
            next_cursor: cursor.to_owned(),
            has_more,
            count: None,
            checksum: None,
        }
    }

    #[test]
    fn a_page_is_bounded_and_its_cursor_moves_on() {
        assert!(check_page(&page(10, "c2", true), Some("c1"), 10).is_ok());
        assert!(check_page(&page(0, "c1", false), Some("c1"), 10).is_ok());
        assert!(check_page(&page(11, "c2", true), Some("c1"), 10).is_err());
        assert!(check_page(&page(1, "c1", true), Some("c1"), 10).is_err());
        assert!(check_page(&page(1, "", true), None, 10).is_err());
        assert!(check_page(&page(0, "c2", true), Some("c1"), 10).is_err());
        assert!(check_page(&page(1, &"c".repeat(513), false), None, 10).is_err());
        assert!(check_page(&page(1, "c 2", false), None, 10).is_err());
    }
}
