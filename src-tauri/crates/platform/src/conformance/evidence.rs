//! Evidence by SHA-256: the whole file (its hash, a strong ETag), a range, If-Range with the
//! right and a wrong ETag, an unsatisfiable range, and an unknown hash.

use super::http::Answer;
use super::{ensure, Context, Outcome};
use reqwest::Method;
use sha2::{Digest, Sha256};

async fn get(
    cx: &Context,
    what: &str,
    sha: &str,
    headers: &[(&str, &str)],
) -> Result<Answer, String> {
    let access = cx.access.as_deref().unwrap_or_default();
    let mut req = cx
        .http
        .request(Method::GET, &format!("/api/v1/evidence/{sha}"))
        .bearer_auth(access);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    cx.http.send(what, req).await
}

/// Every evidence check, by name.
pub async fn all(cx: &Context) -> Vec<(&'static str, Outcome)> {
    let Some(sha) = cx
        .declarations
        .iter()
        .flat_map(|d| &d.evidence)
        .find(|e| e.size >= 32)
        .map(|e| e.sha256.clone())
    else {
        return vec![(
            "evidence",
            Err("no declaration of the unit lists evidence of 32 bytes or more".into()),
        )];
    };
    let whole = whole(cx, &sha).await;
    let mut out = Vec::new();
    match whole {
        Err(why) => out.push(("evidence.whole", Err(why))),
        Ok((seen, body, etag)) => {
            out.push(("evidence.whole", Ok(seen)));
            out.push(("evidence.range", range(cx, &sha, &body).await));
            out.push(("evidence.if_range", if_range(cx, &sha, &body, &etag).await));
            out.push((
                "evidence.unsatisfiable",
                unsatisfiable(cx, &sha, body.len()).await,
            ));
        }
    }
    out.push(("evidence.unknown", unknown(cx).await));
    out
}

async fn whole(cx: &Context, sha: &str) -> Result<(String, Vec<u8>, String), String> {
    let a = get(cx, "evidence", sha, &[]).await?;
    a.expect(200, "an evidence file the unit lists")?;
    let got = crate::auth::hex(&Sha256::digest(&a.body));
    ensure(got == sha, || {
        "the file's SHA-256 is not the one asked for".into()
    })?;
    let etag = a.header("etag").ok_or("no ETag")?.to_owned();
    ensure(!etag.starts_with("W/"), || {
        "the ETag is weak; ranges need a strong one".into()
    })?;
    ensure(a.header("accept-ranges") == Some("bytes"), || {
        "no Accept-Ranges: bytes".into()
    })?;
    Ok((
        format!("{} bytes, SHA-256 and a strong ETag", a.body.len()),
        a.body,
        etag,
    ))
}

async fn range(cx: &Context, sha: &str, body: &[u8]) -> Outcome {
    let len = body.len();
    let a = get(cx, "evidence range", sha, &[("range", "bytes=10-19")]).await?;
    a.expect(206, "Range: bytes=10-19")?;
    ensure(a.body == body[10..20], || {
        "the part is not bytes 10-19 of the file".into()
    })?;
    let want = format!("bytes 10-19/{len}");
    ensure(a.header("content-range") == Some(want.as_str()), || {
        format!(
            "Content-Range is {:?}, not `{want}`",
            a.header("content-range")
        )
    })?;
    let tail = get(cx, "evidence suffix", sha, &[("range", "bytes=-8")]).await?;
    tail.expect(206, "Range: bytes=-8")?;
    ensure(tail.body == body[len - 8..], || {
        "the suffix is not the file's last 8 bytes".into()
    })?;
    Ok("206 with the right bytes and Content-Range, a suffix range too".into())
}

async fn if_range(cx: &Context, sha: &str, body: &[u8], etag: &str) -> Outcome {
    let a = get(
        cx,
        "If-Range, same ETag",
        sha,
        &[("range", "bytes=0-9"), ("if-range", etag)],
    )
    .await?;
    a.expect(206, "If-Range with the file's ETag")?;
    ensure(a.body == body[..10], || "not the first 10 bytes".into())?;
    let b = get(
        cx,
        "If-Range, another ETag",
        sha,
        &[
            ("range", "bytes=0-9"),
            ("if-range", "\"conformance-changed\""),
        ],
    )
    .await?;
    b.expect(200, "If-Range with another ETag (the whole file)")?;
    ensure(b.body == body, || "not the whole file".into())?;
    Ok("206 for the same ETag, the whole file for another".into())
}

async fn unsatisfiable(cx: &Context, sha: &str, len: usize) -> Outcome {
    let ask = format!("bytes={}-{}", len + 10, len + 20);
    let a = get(cx, "unsatisfiable range", sha, &[("range", ask.as_str())]).await?;
    a.expect(416, "a range past the end")?;
    let want = format!("bytes */{len}");
    ensure(a.header("content-range") == Some(want.as_str()), || {
        format!(
            "Content-Range is {:?}, not `{want}`",
            a.header("content-range")
        )
    })?;
    Ok("416 with Content-Range: bytes */length".into())
}

async fn unknown(cx: &Context) -> Outcome {
    let made_up = crate::auth::hex(&Sha256::digest(b"jxjy conformance: no such file"));
    let a = get(cx, "unknown evidence", &made_up, &[]).await?;
    a.expect(404, "a hash no declaration lists")?;
    let bad = get(cx, "a hash that is not one", "not-a-sha256", &[]).await?;
    ensure(matches!(bad.status.as_u16(), 400 | 404), || {
        format!("a malformed hash answered {}", bad.status.as_u16())
    })?;
    Ok(format!("404; a malformed hash {}", bad.status.as_u16()))
}
