//! RFC 9457 problem details: every error the server answers is `application/problem+json`.

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};

pub const CONTENT_TYPE: &str = "application/problem+json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Problem {
    /// A URI reference naming the problem type.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Problem {
    pub fn new(status: StatusCode, kind: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("urn:jxjy:problem:{kind}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: Some(detail.into()),
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, "bad-request", detail)
    }

    pub fn unprocessable(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-body", detail)
    }

    pub fn unauthorized(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not-found", detail)
    }

    /// A failure of the server's own: the detail goes to the server's log, the client reads
    /// only that it was not its fault.
    pub fn internal(detail: impl Into<String>) -> Problem {
        eprintln!("jxjy-platform: internal error: {}", detail.into());
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server could not complete the request; try again later",
        )
    }

    /// A body the client sent that does not fit the contract: what is wrong and where, without
    /// echoing the client's values back.
    pub fn invalid_body(e: &serde_json::Error) -> Problem {
        Problem::unprocessable(describe(&e.to_string()))
    }

    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// serde's message without the offending value: `invalid type: string "x", expected u64 at
/// line 1 column 9` becomes `invalid type, expected u64 at line 1 column 9`; `unknown variant
/// `x`, expected one of …` keeps the expected values.
fn describe(message: &str) -> String {
    match message.split_once(", expected ") {
        Some((head, expected)) => {
            let kind = head.split([':', '`']).next().unwrap_or(head).trim();
            format!("{kind}, expected {expected}")
        }
        None if message.starts_with("missing field") || message.starts_with("duplicate field") => {
            message.to_owned()
        }
        None => "the body does not fit the schema".to_owned(),
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> axum::response::Response {
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut r = Response::new(Body::from(body));
        *r.status_mut() = self.status_code();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        r
    }
}

impl From<rusqlite::Error> for Problem {
    fn from(e: rusqlite::Error) -> Problem {
        Problem::internal(format!("database: {e}"))
    }
}

/// Middleware: any error answer that is not problem+json already (axum's own rejections, the
/// body limit) becomes one, with the original status.
pub async fn ensure_problem(response: axum::response::Response) -> axum::response::Response {
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(CONTENT_TYPE.as_bytes()));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return response;
    }
    let (parts, body) = response.into_parts();
    let detail = axum::body::to_bytes(body, 4096)
        .await
        .ok()
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned());
    let mut fixed = Problem::new(status, "http", detail).into_response();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            fixed.headers_mut().insert(name.clone(), value.clone());
        }
    }
    fixed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clients_values_are_not_echoed_and_the_servers_insides_not_told() {
        let e = serde_json::from_str::<u64>("\"<script>x</script>\"").unwrap_err();
        let p = Problem::invalid_body(&e);
        let d = p.detail.unwrap_or_default();
        assert!(!d.contains("script"), "{d}");
        assert!(d.starts_with("invalid type, expected u64"), "{d}");
        #[derive(Debug, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum O {
            Approve,
        }
        let e = serde_json::from_str::<O>("\"'; DROP TABLE x; --\"").unwrap_err();
        let d = Problem::invalid_body(&e).detail.unwrap_or_default();
        assert!(!d.contains("DROP"), "{d}");
        assert!(d.contains("expected `approve`"), "{d}");
        let p = Problem::internal("database: disk I/O error at /srv/p.db");
        let d = p.detail.unwrap_or_default();
        assert!(!d.contains("database") && !d.contains("/srv"), "{d}");
        assert_eq!(p.status, 500);
    }
}
