//! Login, the 401s, refresh rotation with reuse detection, and logout.

use super::http::Answer;
use super::{ensure, Context, Outcome};
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
struct Tokens {
    access_token: String,
    token_type: String,
    expires_in: i64,
    refresh_token: String,
    unit_id: String,
}

async fn log_in(cx: &Context, what: &str) -> Result<(Answer, Option<Tokens>), String> {
    let body = json!({"username": cx.target.user, "password": cx.target.password.as_str()});
    let a = cx
        .http
        .send(
            what,
            cx.http
                .request(Method::POST, "/api/v1/auth/login")
                .json(&body),
        )
        .await?;
    let tokens = (a.status.as_u16() == 200)
        .then(|| a.json::<Tokens>())
        .transpose()?;
    Ok((a, tokens))
}

async fn fresh(cx: &Context, what: &str) -> Result<Tokens, String> {
    let (a, tokens) = log_in(cx, what).await?;
    a.expect(200, what)?;
    tokens.ok_or_else(|| format!("{what}: no tokens"))
}

/// An operation any reviewer may call, to tell a live access token from an ended one.
async fn probe(cx: &Context, access: &str, what: &str) -> Result<u16, String> {
    let path = format!("/api/v1/units/{}/staff?limit=1", cx.unit);
    let a = cx
        .http
        .send(
            what,
            cx.http.request(Method::GET, &path).bearer_auth(access),
        )
        .await?;
    Ok(a.status.as_u16())
}

async fn refresh(cx: &Context, token: &str, what: &str) -> Result<Answer, String> {
    cx.http
        .send(
            what,
            cx.http
                .request(Method::POST, "/api/v1/auth/refresh")
                .json(&json!({"refresh_token": token})),
        )
        .await
}

pub async fn login(cx: &mut Context) -> Outcome {
    let t = fresh(cx, "login").await?;
    ensure(t.token_type.eq_ignore_ascii_case("bearer"), || {
        format!("token_type is `{}`, not Bearer", t.token_type)
    })?;
    ensure(t.expires_in > 0, || "expires_in is not positive".into())?;
    ensure(
        !t.access_token.is_empty() && !t.refresh_token.is_empty(),
        || "an empty token".into(),
    )?;
    if cx.unit.is_empty() {
        cx.unit = t.unit_id.clone();
    }
    ensure(!cx.unit.is_empty(), || "the login names no unit_id".into())?;
    cx.access = Some(t.access_token);
    Ok(format!(
        "tokens issued for unit {}, access for {} s",
        cx.unit, t.expires_in
    ))
}

pub async fn wrong_password(cx: &Context) -> Outcome {
    // Another (made-up) account, so that the real one is not slowed down by the failure.
    let body = json!({"username": "conformance-no-such-user", "password": "not the password"});
    let a = cx
        .http
        .send(
            "wrong password",
            cx.http
                .request(Method::POST, "/api/v1/auth/login")
                .json(&body),
        )
        .await?;
    a.expect(401, "a login with a wrong password")?;
    Ok("401".into())
}

pub async fn no_token(cx: &Context) -> Outcome {
    let path = format!("/api/v1/units/{}/staff", cx.unit);
    let a = cx
        .http
        .send("no token", cx.http.request(Method::GET, &path))
        .await?;
    a.expect(401, "a pull without a token")?;
    let b = cx
        .http
        .send(
            "a made-up token",
            cx.http
                .request(Method::GET, &path)
                .bearer_auth("conformance-made-up-token"),
        )
        .await?;
    b.expect(401, "a pull with a made-up token")?;
    Ok("401 without a token and with a made-up one".into())
}

pub async fn refresh_rotation(cx: &Context) -> Outcome {
    let first = fresh(cx, "login for refresh").await?;
    let a = refresh(cx, &first.refresh_token, "refresh").await?;
    a.expect(200, "a refresh")?;
    let second: Tokens = a.json()?;
    ensure(second.refresh_token != first.refresh_token, || {
        "the refresh token was not rotated".into()
    })?;
    let old = probe(cx, &first.access_token, "the old access token").await?;
    ensure(old == 401, || {
        format!("the access token before the refresh still works ({old})")
    })?;
    let new = probe(cx, &second.access_token, "the new access token").await?;
    ensure(new == 200, || {
        format!("the new access token is refused ({new})")
    })?;
    Ok("a new pair; the old access token ends".into())
}

pub async fn refresh_reuse(cx: &Context) -> Outcome {
    let first = fresh(cx, "login for reuse").await?;
    let a = refresh(cx, &first.refresh_token, "refresh").await?;
    a.expect(200, "a refresh")?;
    let second: Tokens = a.json()?;
    let again = refresh(cx, &first.refresh_token, "the used refresh token again").await?;
    again.expect(401, "a refresh token used twice")?;
    let after = probe(cx, &second.access_token, "the chain after a reuse").await?;
    ensure(after == 401, || {
        format!("after a reuse the session's newest access token still works ({after})")
    })?;
    let newest = refresh(
        cx,
        &second.refresh_token,
        "the newest refresh after a reuse",
    )
    .await?;
    newest.expect(401, "the newest refresh token after a reuse")?;
    Ok("a reused refresh token ends the whole session".into())
}

pub async fn logout(cx: &Context) -> Outcome {
    let t = fresh(cx, "login for logout").await?;
    let a = cx
        .http
        .send(
            "logout",
            cx.http
                .request(Method::POST, "/api/v1/auth/logout")
                .bearer_auth(&t.access_token),
        )
        .await?;
    ensure(a.status.is_success(), || {
        format!("logout answered {}", a.status.as_u16())
    })?;
    let after = probe(cx, &t.access_token, "after logout").await?;
    ensure(after == 401, || {
        format!("the access token works after logout ({after})")
    })?;
    let r = refresh(cx, &t.refresh_token, "refresh after logout").await?;
    r.expect(401, "a refresh after logout")?;
    Ok(format!("{}; both tokens end", a.status.as_u16()))
}
