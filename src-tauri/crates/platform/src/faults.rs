//! Fault injection (off by default) and rate limiting.
//!
//! Faults, for tests and benchmarks of clients on bad links: added latency; a share of 5xx,
//! 429 and captive-portal answers (`200 text/html`) given *before* the request is handled; and a
//! share of truncated bodies and dropped connections given *after* it was handled, so a client
//! learns nothing of a change that did happen.

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jxjy_core::synth::Rng;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::problem::Problem;

/// Shares are fractions of API requests, 0.0 to 1.0.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultConfig {
    pub latency_ms: u64,
    pub error_5xx: f64,
    pub error_429: f64,
    pub portal: f64,
    pub truncate: f64,
    pub drop: f64,
    pub seed: u64,
}

impl FaultConfig {
    /// Reads `JXJY_FAULT_LATENCY_MS`, `JXJY_FAULT_5XX`, `JXJY_FAULT_429`, `JXJY_FAULT_PORTAL`,
    /// `JXJY_FAULT_TRUNCATE`, `JXJY_FAULT_DROP`, `JXJY_FAULT_SEED`; unset means off.
    pub fn from_env() -> FaultConfig {
        let f = |k: &str| {
            std::env::var(k)
                .ok()
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        let u = |k: &str| {
            std::env::var(k)
                .ok()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        };
        FaultConfig {
            latency_ms: u("JXJY_FAULT_LATENCY_MS"),
            error_5xx: f("JXJY_FAULT_5XX"),
            error_429: f("JXJY_FAULT_429"),
            portal: f("JXJY_FAULT_PORTAL"),
            truncate: f("JXJY_FAULT_TRUNCATE"),
            drop: f("JXJY_FAULT_DROP"),
            seed: u("JXJY_FAULT_SEED"),
        }
    }

    pub fn is_off(&self) -> bool {
        self.latency_ms == 0
            && self.error_5xx + self.error_429 + self.portal + self.truncate + self.drop <= 0.0
    }
}

pub struct Faults {
    config: FaultConfig,
    rng: Mutex<Rng>,
}

impl Faults {
    pub fn new(config: FaultConfig) -> Faults {
        let rng = Mutex::new(Rng::new(config.seed));
        Faults { config, rng }
    }

    fn draw(&self) -> f64 {
        let x = self.rng.lock().map(|mut r| r.next_u64()).unwrap_or(0);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[derive(Debug, PartialEq)]
enum Fault {
    None,
    Error5xx,
    TooMany,
    Portal,
    Truncate,
    Drop,
}

fn choose(c: &FaultConfig, x: f64) -> Fault {
    let mut edge = 0.0;
    for (share, fault) in [
        (c.error_5xx, Fault::Error5xx),
        (c.error_429, Fault::TooMany),
        (c.portal, Fault::Portal),
        (c.truncate, Fault::Truncate),
        (c.drop, Fault::Drop),
    ] {
        edge += share;
        if x < edge {
            return fault;
        }
    }
    Fault::None
}

/// A body that stops after `keep` bytes with an error, which aborts the connection.
fn cut_body(bytes: Bytes, keep: usize) -> Body {
    let head = bytes.slice(..keep.min(bytes.len()));
    let parts: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(head),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "injected fault",
        )),
    ];
    Body::from_stream(futures_util::stream::iter(parts))
}

pub async fn inject(faults: Arc<Faults>, req: Request, next: Next) -> Response {
    if faults.config.is_off() || !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    if faults.config.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.config.latency_ms)).await;
    }
    match choose(&faults.config, faults.draw()) {
        Fault::None => next.run(req).await,
        Fault::Error5xx => Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "injected",
            "injected fault",
        )
        .into_response(),
        Fault::TooMany => too_many(1),
        Fault::Portal => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<html><body><h1>欢迎使用免费WiFi</h1><p>请先登录认证</p></body></html>",
        )
            .into_response(),
        fault @ (Fault::Truncate | Fault::Drop) => {
            let response = next.run(req).await;
            let (parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let keep = if fault == Fault::Truncate {
                bytes.len() / 2
            } else {
                0
            };
            Response::from_parts(parts, cut_body(bytes, keep))
        }
    }
}

fn too_many(retry_after: u64) -> Response {
    let mut r = Problem::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate-limited",
        "too many requests; retry later",
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// At most this many addresses are tracked at once.
const MAX_BUCKETS: usize = 10_000;

/// A token bucket per client address.
pub struct RateLimiter {
    per_sec: f64,
    burst: f64,
    buckets: Mutex<HashMap<Option<IpAddr>, (f64, Instant)>>,
}

impl RateLimiter {
    /// `per_sec` 0 turns limiting off.
    pub fn new(per_sec: f64, burst: f64) -> RateLimiter {
        RateLimiter {
            per_sec,
            burst: burst.max(1.0),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// `None` when allowed, else the seconds to wait.
    fn take(&self, who: Option<IpAddr>, now: Instant) -> Option<u64> {
        if self.per_sec <= 0.0 {
            return None;
        }
        let mut buckets = self.buckets.lock().ok()?;
        if buckets.len() >= MAX_BUCKETS && !buckets.contains_key(&who) {
            // A bucket that has filled up again is the same as none: those go, so the map
            // stays bounded however many addresses come.
            let (per_sec, burst) = (self.per_sec, self.burst);
            buckets.retain(|_, (t, last)| {
                *t + now.duration_since(*last).as_secs_f64() * per_sec < burst
            });
            if buckets.len() >= MAX_BUCKETS {
                return Some(1);
            }
        }
        let (tokens, last) = buckets.entry(who).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*last).as_secs_f64() * self.per_sec).min(self.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            None
        } else {
            Some(((1.0 - *tokens) / self.per_sec).ceil().max(1.0) as u64)
        }
    }
}

pub async fn rate_limit(limiter: Arc<RateLimiter>, req: Request, next: Next) -> Response {
    let who = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    match limiter.take(who, Instant::now()) {
        None => next.run(req).await,
        Some(wait) => too_many(wait),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_map_stays_bounded() {
        let l = RateLimiter::new(1.0, 2.0);
        let t0 = Instant::now();
        for i in 0..(MAX_BUCKETS as u32 + 500) {
            let ip = IpAddr::from(i.to_be_bytes());
            // Each address a second apart: the older buckets have filled up again.
            let _ = l.take(Some(ip), t0 + std::time::Duration::from_secs(u64::from(i)));
        }
        assert!(l.buckets.lock().map(|b| b.len()).unwrap_or(usize::MAX) <= MAX_BUCKETS);
    }

    #[test]
    fn shares_add_up_in_order() {
        let c = FaultConfig {
            error_5xx: 0.1,
            portal: 0.2,
            ..FaultConfig::default()
        };
        assert_eq!(choose(&c, 0.05), Fault::Error5xx);
        assert_eq!(choose(&c, 0.2), Fault::Portal);
        assert_eq!(choose(&c, 0.5), Fault::None);
    }

    #[test]
    fn bucket_refills() {
        let l = RateLimiter::new(1.0, 2.0);
        let t = Instant::now();
        assert_eq!(l.take(None, t), None);
        assert_eq!(l.take(None, t), None);
        assert_eq!(l.take(None, t), Some(1));
        assert_eq!(l.take(None, t + Duration::from_millis(1100)), None);
    }
}
