//! Evidence download by SHA-256: a strong `ETag`, single `Range` requests (206), `If-Range`,
//! and 416 for a range past the end.

use super::{AppState, Reviewer};
use crate::problem::Problem;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Response, StatusCode};
use rusqlite::{params, OptionalExtension};

/// The byte range asked for, resolved against the file's length.
#[derive(Debug, PartialEq, Eq)]
pub enum RangeAsk {
    Whole,
    Part(u64, u64),
    Unsatisfiable,
}

/// Parses `bytes=a-b`, `bytes=a-` and `bytes=-n`; anything else (several ranges, other
/// units) is answered with the whole file, as RFC 9110 allows.
pub fn parse_range(value: &str, len: u64) -> RangeAsk {
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return RangeAsk::Whole;
    };
    if spec.contains(',') {
        return RangeAsk::Whole;
    }
    let Some((a, b)) = spec.split_once('-') else {
        return RangeAsk::Whole;
    };
    let (a, b) = (a.trim(), b.trim());
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(start), Ok(end)) if start <= end => {
            if start >= len {
                RangeAsk::Unsatisfiable
            } else {
                RangeAsk::Part(start, end.min(len - 1))
            }
        }
        (Ok(start), Err(_)) if b.is_empty() => {
            if start >= len {
                RangeAsk::Unsatisfiable
            } else {
                RangeAsk::Part(start, len - 1)
            }
        }
        (Err(_), Ok(n)) if a.is_empty() => {
            if n == 0 || len == 0 {
                RangeAsk::Unsatisfiable
            } else {
                RangeAsk::Part(len.saturating_sub(n), len - 1)
            }
        }
        _ => RangeAsk::Whole,
    }
}

/// An evidence file of the reviewer's unit.
#[utoipa::path(get, path = "/api/v1/evidence/{sha256}", operation_id = "downloadEvidence", params(("sha256" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, description = "the whole file"), (status = 206, description = "the requested range"),
        (status = 400, body = Problem), (status = 416, body = Problem), (status = 404, body = Problem)))]
pub async fn download(
    who: Reviewer,
    State(state): State<AppState>,
    Path(sha256): Path<String>,
    headers: HeaderMap,
) -> Result<Response<Body>, Problem> {
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Problem::bad_request(
            "the path must end with a SHA-256 in hex",
        ));
    }
    let sha = sha256.to_ascii_lowercase();
    let unit = who.unit_id.clone();
    let found = state
        .db(move |conn| {
            let file: Option<(String, Vec<u8>)> = conn
                .query_row(
                    "SELECT media_type, data FROM evidence WHERE sha256 = ?1",
                    [&sha],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some(file) = file else {
                return Err(Problem::not_found("no evidence file with this SHA-256"));
            };
            let ours: Option<i64> = conn
                .query_row(
                    "SELECT 1 FROM evidence_units WHERE sha256 = ?1 AND unit_id = ?2",
                    params![sha, unit],
                    |r| r.get(0),
                )
                .optional()?;
            // A file of another unit answers as one that does not exist: its hash cannot be
            // used to learn what other units hold.
            if ours.is_none() {
                return Err(Problem::not_found("no evidence file with this SHA-256"));
            }
            Ok((sha, file))
        })
        .await?;
    let (sha, (media_type, data)) = found;
    let etag = format!("\"{sha}\"");
    let len = data.len() as u64;
    let range_header = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let if_range_ok = headers
        .get(header::IF_RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim() == etag);
    let ask = match range_header {
        Some(r) if if_range_ok => parse_range(r, len),
        _ => RangeAsk::Whole,
    };
    let mut builder = Response::builder()
        .header(header::ETAG, &etag)
        .header(header::ACCEPT_RANGES, "bytes")
        .header(
            header::CACHE_CONTROL,
            "private, max-age=31536000, immutable",
        );
    let response = match ask {
        RangeAsk::Whole => builder
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, media_type)
            .header(header::CONTENT_LENGTH, len)
            .body(Body::from(data)),
        RangeAsk::Part(start, end) => {
            let slice = data
                .get(start as usize..=end as usize)
                .map(<[u8]>::to_vec)
                .unwrap_or_default();
            builder = builder
                .status(StatusCode::PARTIAL_CONTENT)
                .header(header::CONTENT_TYPE, media_type)
                .header(header::CONTENT_RANGE, format!("bytes {start}-{end}/{len}"))
                .header(header::CONTENT_LENGTH, slice.len());
            builder.body(Body::from(slice))
        }
        RangeAsk::Unsatisfiable => {
            let p = Problem::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "range",
                format!("the file has {len} bytes"),
            );
            let mut r = axum::response::IntoResponse::into_response(p);
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return Ok(r);
        }
    };
    response.map_err(|e| Problem::internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-99", 1000), RangeAsk::Part(0, 99));
        assert_eq!(parse_range("bytes=900-", 1000), RangeAsk::Part(900, 999));
        assert_eq!(parse_range("bytes=-100", 1000), RangeAsk::Part(900, 999));
        assert_eq!(
            parse_range("bytes=990-2000", 1000),
            RangeAsk::Part(990, 999)
        );
        assert_eq!(parse_range("bytes=1000-", 1000), RangeAsk::Unsatisfiable);
        assert_eq!(parse_range("bytes=0-1,5-6", 1000), RangeAsk::Whole);
        assert_eq!(parse_range("lines=1-2", 1000), RangeAsk::Whole);
        assert_eq!(parse_range("bytes=5-1", 1000), RangeAsk::Whole);
    }
}
