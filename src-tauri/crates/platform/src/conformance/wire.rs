//! Compression both ways, and a body that is not JSON.

use super::pulls::Page;
use super::{ensure, Context, Outcome};
use reqwest::Method;
use std::io::{Read, Write};

/// The largest decoded body taken from a compressed answer.
const MAX_DECODED: u64 = 64 * 1024 * 1024;

fn decode(encoding: &str, body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let read = match encoding {
        "gzip" => flate2::read::GzDecoder::new(body)
            .take(MAX_DECODED)
            .read_to_end(&mut out),
        _ => zstd::stream::read::Decoder::new(body)
            .and_then(|d| d.take(MAX_DECODED).read_to_end(&mut out)),
    };
    read.map_err(|e| format!("the {encoding} body does not decode: {e}"))?;
    Ok(out)
}

pub async fn compressed_answer(cx: &Context, encoding: &str) -> Outcome {
    let access = cx.access.as_deref().unwrap_or_default();
    let path = format!("/api/v1/units/{}/declarations?limit=200", cx.unit);
    let req = cx
        .http
        .request(Method::GET, &path)
        .bearer_auth(access)
        .header("accept-encoding", encoding);
    let a = cx.http.send(&format!("a pull, {encoding}"), req).await?;
    a.expect(200, &format!("a pull asking for {encoding}"))?;
    let got = a.header("content-encoding").unwrap_or("none");
    ensure(got == encoding, || {
        format!("Content-Encoding is {got}, not {encoding}")
    })?;
    let plain = decode(encoding, &a.body)?;
    let page: Page =
        serde_json::from_slice(&plain).map_err(|e| format!("decoded, not a page: {e}"))?;
    Ok(format!(
        "{} items, {} bytes for {} decoded",
        page.items.len(),
        a.body.len(),
        plain.len()
    ))
}

pub async fn compressed_request(cx: &Context) -> Outcome {
    let access = cx.access.as_deref().unwrap_or_default();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(br#"{"items": []}"#)
        .and_then(|_| gz.flush())
        .map_err(|e| e.to_string())?;
    let body = gz.finish().map_err(|e| e.to_string())?;
    let req = cx
        .http
        .request(Method::POST, "/api/v1/decisions")
        .bearer_auth(access)
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(body);
    let a = cx.http.send("a gzip push", req).await?;
    a.expect(200, "an empty push sent gzip-compressed")?;
    let v: serde_json::Value = a.json()?;
    ensure(
        v.get("results")
            .and_then(|r| r.as_array())
            .is_some_and(|r| r.is_empty()),
        || "no empty results for an empty batch".into(),
    )?;
    Ok("an empty batch, gzip-compressed, answered with no results".into())
}

pub async fn bad_json(cx: &Context) -> Outcome {
    let access = cx.access.as_deref().unwrap_or_default();
    let req = cx
        .http
        .request(Method::POST, "/api/v1/decisions")
        .bearer_auth(access)
        .header("content-type", "application/json")
        .body("{\"items\": [");
    let a = cx.http.send("a body that is not JSON", req).await?;
    a.expect(400, "a push whose body is not JSON")?;
    Ok("400".into())
}
