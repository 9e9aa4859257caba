//! The API contract over real HTTP on loopback: auth, scope, delta pulls, evidence ranges,
//! idempotent push with conflicts, bad bodies, limits, compression, Date, faults, OpenAPI.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use jxjy_platform::api::{Config, PullResponse, PushResponse};
use jxjy_platform::faults::FaultConfig;
use serde_json::{json, Value};
use std::io::Write;

async fn pull_all(
    s: &Server,
    token: &str,
    unit: &str,
    scope: &str,
    limit: usize,
) -> (Vec<Value>, Vec<String>, String, PullResponse) {
    let mut since = String::new();
    let mut items = Vec::new();
    let mut tombstones = Vec::new();
    loop {
        let r = client()
            .get(s.url(&format!("/api/v1/units/{unit}/{scope}")))
            .query(&[("since", since.as_str()), ("limit", &limit.to_string())])
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let page: PullResponse = r.json().await.unwrap();
        items.extend(page.items.iter().cloned());
        tombstones.extend(page.tombstones.iter().cloned());
        since = page.next_cursor.clone();
        if !page.has_more {
            return (items, tombstones, since, page);
        }
        assert!(page.count.is_none(), "count only on the last page");
    }
}

/// The rule's result for `d` as the app computes it: the person's declarations of `decls`
/// evaluated by the core. (computed, credited), in hours.
fn rule_credit(decls: &[Value], d: &Value) -> (f64, f64) {
    let mine: Vec<jxjy_core::Declaration> = decls
        .iter()
        .filter(|x| x["staff_id"] == d["staff_id"])
        .map(|x| serde_json::from_value(x.clone()).unwrap())
        .collect();
    let input = jxjy_core::Input {
        year: 2019,
        rules: None,
        staff: Vec::new(),
        declarations: mine,
    };
    let rules = jxjy_core::RuleSet::for_year(2019).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let e = jxjy_core::evaluate(&input, &rules, today);
    let r = e
        .declarations
        .iter()
        .find(|r| r.id == d["id"].as_str().unwrap())
        .unwrap();
    (r.computed_hours.as_f64(), r.credited_hours.as_f64())
}

fn key_of(d: &Value) -> String {
    format!("{}:{}", d["id"].as_str().unwrap(), d["version"])
}

#[tokio::test]
async fn login_refresh_and_401s() {
    let s = start(Options::default()).await;
    let bad = client()
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"username": s.accounts[0].username, "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_problem(bad, 401).await;
    let t = s.login(0).await;
    assert_eq!(t.unit_id, "U01");
    assert_eq!(t.token_type, "Bearer");

    for path in [
        "/api/v1/units/U01/staff",
        "/api/v1/units/U01/declarations",
        "/api/v1/rules?year=2019",
        "/api/v1/evidence/0000000000000000000000000000000000000000000000000000000000000000",
    ] {
        let none = client().get(s.url(path)).send().await.unwrap();
        assert_problem(none, 401).await;
        let wrong = client()
            .get(s.url(path))
            .bearer_auth("not-a-token")
            .send()
            .await
            .unwrap();
        assert_problem(wrong, 401).await;
    }
    let push = client()
        .post(s.url("/api/v1/decisions"))
        .json(&json!({"items": []}))
        .send()
        .await
        .unwrap();
    assert_problem(push, 401).await;

    let rules = client()
        .get(s.url("/api/v1/rules?year=2019"))
        .bearer_auth(&t.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(rules.status(), 200);
    let rules: Value = rules.json().await.unwrap();
    assert_eq!(rules["id"], "bingtuan-2019");

    // A refresh token works once.
    let r = client()
        .post(s.url("/api/v1/auth/refresh"))
        .json(&json!({"refresh_token": t.refresh_token}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r2 = client()
        .post(s.url("/api/v1/auth/refresh"))
        .json(&json!({"refresh_token": t.refresh_token}))
        .send()
        .await
        .unwrap();
    assert_problem(r2, 401).await;
}

#[tokio::test]
async fn expired_tokens_are_refused() {
    let s = start(Options {
        config: Config {
            access_ttl_secs: 0,
            ..Config::default()
        },
        ..Options::default()
    })
    .await;
    let t = s.login(0).await;
    let r = client()
        .get(s.url("/api/v1/units/U01/staff"))
        .bearer_auth(&t.access_token)
        .send()
        .await
        .unwrap();
    let p = assert_problem(r, 401).await;
    assert!(p["detail"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn delta_pulls_page_resume_and_checksum() {
    let s = start(Options::default()).await;
    let t = s.login(0).await;
    let (staff, _, _, last) = pull_all(&s, &t.access_token, "U01", "staff", 7).await;
    assert_eq!(staff.len(), 25);
    assert_eq!(last.count, Some(25));
    let (decls, tombs, cursor, last) =
        pull_all(&s, &t.access_token, "U01", "declarations", 37).await;
    assert_eq!(decls.len() as i64, last.count.unwrap());
    assert!(tombs.is_empty());
    assert!(
        decls
            .iter()
            .all(|d| d["id"].as_str().unwrap().starts_with("U01-")),
        "only our unit"
    );
    let keys: Vec<String> = decls.iter().map(key_of).collect();
    assert_eq!(
        last.checksum.unwrap(),
        jxjy_platform::api::pull::checksum(keys.iter().map(String::as_str))
    );

    // Nothing changed: one empty page.
    let r = client()
        .get(s.url("/api/v1/units/U01/declarations"))
        .query(&[("since", cursor.as_str())])
        .bearer_auth(&t.access_token)
        .send()
        .await
        .unwrap();
    let page: PullResponse = r.json().await.unwrap();
    assert!(page.items.is_empty() && page.tombstones.is_empty() && !page.has_more);
    assert_eq!(page.next_cursor, cursor);

    // The declarant amends one and withdraws another: the next pull brings exactly those.
    let a = decls[3]["id"].as_str().unwrap().to_owned();
    let w = decls[4]["id"].as_str().unwrap().to_owned();
    let mut conn = s.conn();
    jxjy_platform::manage::amend(&mut conn, &a, false).unwrap();
    jxjy_platform::manage::amend(&mut conn, &w, true).unwrap();
    let r = client()
        .get(s.url("/api/v1/units/U01/declarations"))
        .query(&[("since", cursor.as_str())])
        .bearer_auth(&t.access_token)
        .send()
        .await
        .unwrap();
    let page: PullResponse = r.json().await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0]["id"], a.as_str());
    assert_eq!(
        page.items[0]["version"],
        decls[3]["version"].as_u64().unwrap() + 1
    );
    assert_eq!(page.tombstones, vec![w]);
    assert_eq!(page.count, Some(decls.len() as i64 - 1));

    // Another unit: 403. A cursor of another scope or made up: 400. Too large a page: 400.
    let r = client()
        .get(s.url("/api/v1/units/U02/declarations"))
        .bearer_auth(&t.access_token)
        .send()
        .await
        .unwrap();
    assert_problem(r, 403).await;
    let (_, _, staff_cursor, _) = pull_all(&s, &t.access_token, "U01", "staff", 100).await;
    let r = client()
        .get(s.url("/api/v1/units/U01/declarations"))
        .query(&[("since", staff_cursor.as_str())])
        .bearer_auth(&t.access_token)
        .send()
        .await
        .unwrap();
    assert_problem(r, 400).await;
    let r = client()
        .get(s.url("/api/v1/units/U01/declarations?limit=100000"))
        .bearer_auth(&t.access_token)
        .send()
        .await
        .unwrap();
    assert_problem(r, 400).await;
}

#[tokio::test]
async fn changes_brings_both_scopes_in_one_request() {
    let s = start(Options::default()).await;
    let t = s.login(0).await;
    let r = client()
        .get(s.url("/api/v1/units/U01/changes?limit=5000"))
        .bearer_auth(&t.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["staff"]["items"].as_array().unwrap().len(), 25);
    assert_eq!(v["staff"]["count"], 25);
    let n = v["declarations"]["items"].as_array().unwrap().len();
    assert_eq!(v["declarations"]["count"], n);
    assert_eq!(v["declarations"]["has_more"], false);
    let (sc, dc) = (
        v["staff"]["next_cursor"].as_str().unwrap(),
        v["declarations"]["next_cursor"].as_str().unwrap(),
    );
    let r = client()
        .get(s.url("/api/v1/units/U01/changes"))
        .query(&[("staff_since", sc), ("declarations_since", dc)])
        .bearer_auth(&t.access_token)
        .send()
        .await
        .unwrap();
    let again: Value = r.json().await.unwrap();
    assert!(again["staff"]["items"].as_array().unwrap().is_empty());
    assert!(again["declarations"]["items"]
        .as_array()
        .unwrap()
        .is_empty());
    // Cursors are per scope: swapped, they are refused.
    let r = client()
        .get(s.url("/api/v1/units/U01/changes"))
        .query(&[("staff_since", dc)])
        .bearer_auth(&t.access_token)
        .send()
        .await
        .unwrap();
    assert_problem(r, 400).await;
    let r = client()
        .get(s.url("/api/v1/units/U02/changes"))
        .bearer_auth(&t.access_token)
        .send()
        .await
        .unwrap();
    assert_problem(r, 403).await;
}

#[tokio::test]
async fn evidence_ranges_etag_and_scope() {
    let s = start(Options::default()).await;
    let t = s.login(0).await;
    let (decls, _, _, _) = pull_all(&s, &t.access_token, "U01", "declarations", 500).await;
    let e = decls
        .iter()
        .flat_map(|d| d["evidence"].as_array().cloned().unwrap_or_default())
        .find(|e| e["media_type"] == "application/pdf")
        .unwrap();
    let sha = e["sha256"].as_str().unwrap();
    let size = e["size"].as_u64().unwrap();
    let url = s.url(&format!("/api/v1/evidence/{sha}"));

    let full = client()
        .get(&url)
        .bearer_auth(&t.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(full.status(), 200);
    let etag = full.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(etag, format!("\"{sha}\""));
    assert_eq!(full.headers()["accept-ranges"], "bytes");
    assert!(
        full.headers().get("content-encoding").is_none(),
        "evidence is not re-encoded"
    );
    let bytes = full.bytes().await.unwrap();
    assert_eq!(bytes.len() as u64, size);
    assert!(bytes.starts_with(b"%PDF-"));
    use sha2::Digest;
    assert_eq!(jxjy_platform::auth::hex(&sha2::Sha256::digest(&bytes)), sha);

    // Resume: the rest from byte 100, only if the file is still the same.
    let part = client()
        .get(&url)
        .bearer_auth(&t.access_token)
        .header("range", "bytes=100-")
        .header("if-range", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 100-{}/{size}", size - 1)
    );
    assert_eq!(part.bytes().await.unwrap(), bytes.slice(100..));

    let stale = client()
        .get(&url)
        .bearer_auth(&t.access_token)
        .header("range", "bytes=100-")
        .header("if-range", "\"something-else\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 200, "a changed file is sent whole");

    let past = client()
        .get(&url)
        .bearer_auth(&t.access_token)
        .header("range", format!("bytes={size}-"))
        .send()
        .await
        .unwrap();
    assert_eq!(past.headers()["content-range"], format!("bytes */{size}"));
    assert_problem(past, 416).await;

    // Another unit's reviewer may not download it, nor tell it from a file that does not exist.
    let t2 = s.login(1).await;
    let r = client()
        .get(&url)
        .bearer_auth(&t2.access_token)
        .send()
        .await
        .unwrap();
    let other = assert_problem(r, 404).await;
    let r = client()
        .get(s.url(
            "/api/v1/evidence/1111111111111111111111111111111111111111111111111111111111111111",
        ))
        .bearer_auth(&t.access_token)
        .send()
        .await
        .unwrap();
    let missing = assert_problem(r, 404).await;
    assert_eq!(other["detail"], missing["detail"], "the same answer");
    assert_eq!(other["title"], missing["title"]);
}

async fn push(s: &Server, token: &str, items: Value) -> PushResponse {
    let r = client()
        .post(s.url("/api/v1/decisions"))
        .bearer_auth(token)
        .json(&json!({"items": items}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

fn pending(decls: &[Value]) -> Vec<Value> {
    decls
        .iter()
        .filter(|d| d["status"] == "pending_unit_review")
        .cloned()
        .collect()
}

#[tokio::test]
async fn push_is_idempotent_and_reports_conflicts() {
    let s = start(Options::default()).await;
    let t = s.login(0).await;
    let (decls, _, _, _) = pull_all(&s, &t.access_token, "U01", "declarations", 500).await;
    let p = pending(&decls);
    let (d0, d1, d2) = (&p[0], &p[1], &p[2]);
    // An approval in another category than the declaration's is refused.
    let other = if d0["category"] == "public" {
        "professional"
    } else {
        "public"
    };
    let (_, credit) = rule_credit(&decls, d0);
    let wrong = json!({"idempotency_key": "k-0", "declaration_id": d0["id"], "declaration_version": d0["version"],
                       "outcome": "approve", "credited_hours": credit, "category": other});
    let refused = push(&s, &t.access_token, json!([wrong])).await;
    assert_eq!(refused.results[0].result, "rejected");
    assert_eq!(
        refused.results[0].problem.as_ref().map(|p| p.status),
        Some(422)
    );
    let approve = json!({"idempotency_key": "k-1", "declaration_id": d0["id"], "declaration_version": d0["version"],
                         "outcome": "approve", "credited_hours": credit, "category": d0["category"]});
    let first = push(&s, &t.access_token, json!([approve])).await;
    assert_eq!(first.results[0].result, "applied");
    let v = first.results[0].applied_version.unwrap();
    assert_eq!(v, d0["version"].as_u64().unwrap() + 1);
    let again = push(&s, &t.access_token, json!([approve])).await;
    assert_eq!(again.results[0].result, "duplicate");
    assert_eq!(
        again.results[0].applied_version,
        Some(v),
        "the stored result is replayed"
    );
    let held = jxjy_platform::manage::decisions(&s.conn()).unwrap();
    assert_eq!(held.len(), 1, "the server changed once");
    // Later stages move the approved declaration on, as a new version.
    let (industry, _) = jxjy_platform::manage::advance(&mut s.conn(), 1).unwrap();
    assert!(industry >= 1);
    let (status, version): (String, i64) = s
        .conn()
        .query_row(
            "SELECT status, version FROM declarations WHERE id = ?1",
            [d0["id"].as_str().unwrap()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(
        status == "industry_approved" || status == "spot_checked",
        "{status}"
    );
    assert_eq!(version as u64, v + 1);
    assert_eq!(held[0].idempotency_key, "k-1");
    assert_eq!(held[0].reviewer, s.accounts[0].username);

    // A decision against an old version: conflict, with the declaration as it is now.
    jxjy_platform::manage::amend(&mut s.conn(), d1["id"].as_str().unwrap(), false).unwrap();
    let stale = json!({"idempotency_key": "k-2", "declaration_id": d1["id"], "declaration_version": d1["version"],
                       "outcome": "return", "reason": "证明材料不清晰，请重新上传"});
    let r = push(&s, &t.access_token, json!([stale])).await;
    assert_eq!(r.results[0].result, "conflict");
    let now = r.results[0].declaration.as_ref().unwrap();
    assert_eq!(now["version"], d1["version"].as_u64().unwrap() + 1);
    assert!(now["title"].as_str().unwrap().ends_with("（已修改）"));
    // Decided again on the new version: applied.
    let redo = json!({"idempotency_key": "k-3", "declaration_id": d1["id"], "declaration_version": now["version"],
                      "outcome": "return", "reason": "证明材料不清晰，请重新上传"});
    assert_eq!(
        push(&s, &t.access_token, json!([redo])).await.results[0].result,
        "applied"
    );

    // One bad item never fails the batch.
    let other_unit: Value = {
        let t2 = s.login(1).await;
        let (d, _, _, _) = pull_all(&s, &t2.access_token, "U02", "declarations", 500).await;
        pending(&d)[0].clone()
    };
    let batch = json!([
        {"idempotency_key": "k-4", "declaration_id": d2["id"], "declaration_version": d2["version"], "outcome": "reject"},
        {"idempotency_key": "k-5", "declaration_id": other_unit["id"], "declaration_version": other_unit["version"], "outcome": "reject", "reason": "x"},
        {"idempotency_key": "k-6", "declaration_id": "nope", "declaration_version": 1, "outcome": "reject", "reason": "x"},
        {"idempotency_key": "k-7", "declaration_id": d2["id"], "declaration_version": "three", "outcome": "reject", "reason": "x"},
        {"declaration_id": d2["id"]},
        {"idempotency_key": "k-8", "declaration_id": d2["id"], "declaration_version": d2["version"], "outcome": "reject", "reason": "'; DROP TABLE decisions; --", "extra": 1},
        {"idempotency_key": "k-9", "declaration_id": d2["id"], "declaration_version": d2["version"], "outcome": "reject", "reason": "'; DROP TABLE decisions; --"}
    ]);
    let r = push(&s, &t.access_token, batch).await;
    let results: Vec<(&str, Option<u16>)> = r
        .results
        .iter()
        .map(|x| (x.result.as_str(), x.problem.as_ref().map(|p| p.status)))
        .collect();
    assert_eq!(
        results,
        vec![
            ("rejected", Some(422)),
            ("rejected", Some(403)),
            ("rejected", Some(404)),
            ("rejected", Some(422)),
            ("rejected", Some(422)),
            ("rejected", Some(422)),
            ("applied", None)
        ]
    );
    let held = jxjy_platform::manage::decisions(&s.conn()).unwrap();
    assert_eq!(held.len(), 3);
    assert!(
        held.iter()
            .any(|d| d.reason.as_deref() == Some("'; DROP TABLE decisions; --")),
        "stored as text"
    );
}

/// A credit is the rule's result for the declaration unless a reason is given, and never more
/// than the rule gives it: the platform evaluates the declaration itself.
#[tokio::test]
async fn an_approval_credits_the_rules_result_unless_a_reason_is_given() {
    let s = start(Options::default()).await;
    let t = s.login(0).await;
    let (decls, _, _, _) = pull_all(&s, &t.access_token, "U01", "declarations", 500).await;
    let p = pending(&decls);
    // A declaration the rule credits more than 1 hour, under no yearly limit.
    let limited =
        |d: &Value| d["form"] == "academic_conference" || d["form"] == "qualification_exam";
    let free: Vec<&Value> = p
        .iter()
        .filter(|d| !limited(d) && rule_credit(&decls, d).1 > 1.0)
        .collect();
    assert!(free.len() >= 2, "the seed has such declarations");
    let approve = |d: &Value, key: &str, hours: f64, reason: Option<&str>| {
        json!({"idempotency_key": key, "declaration_id": d["id"], "declaration_version": d["version"],
               "outcome": "approve", "credited_hours": hours, "category": d["category"], "reason": reason})
    };
    let (computed, credited) = rule_credit(&decls, free[0]);
    let batch = json!([
        approve(free[0], "c-1", computed + 1.0, Some("证书写明更多学时")),
        approve(free[0], "c-2", 10_000.0, Some("x")),
        approve(free[0], "c-3", credited - 1.0, None),
        approve(free[0], "c-4", 1.005, Some("x")),
        approve(free[0], "c-5", credited - 1.0, Some("缺勤一天")),
        approve(free[1], "c-6", rule_credit(&decls, free[1]).1, None),
    ]);
    let r = push(&s, &t.access_token, batch).await;
    let got: Vec<&str> = r.results.iter().map(|x| x.result.as_str()).collect();
    assert_eq!(
        got,
        ["rejected", "rejected", "rejected", "rejected", "applied", "applied"]
    );
    let detail = |i: usize| {
        r.results[i]
            .problem
            .as_ref()
            .unwrap()
            .detail
            .clone()
            .unwrap_or_default()
    };
    assert!(detail(0).contains("more than the rule"), "{}", detail(0));
    assert!(
        !detail(0).contains(&format!("{}", computed + 1.0)),
        "the client's figure is not echoed"
    );
    assert!(detail(2).contains("needs a reason"), "{}", detail(2));
    let held = jxjy_platform::manage::decisions(&s.conn()).unwrap();
    assert_eq!(held.len(), 2, "only the two within the rule were kept");
}

#[tokio::test]
async fn bad_bodies_are_problems() {
    let s = start(Options {
        config: Config {
            body_limit: 64 * 1024,
            ..Config::default()
        },
        ..Options::default()
    })
    .await;
    let t = s.login(0).await;
    let post = |body: Vec<u8>| {
        client()
            .post(s.url("/api/v1/decisions"))
            .bearer_auth(&t.access_token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    assert_problem(post(b"{\"items\": [".to_vec()).await.unwrap(), 400).await;
    assert_problem(post(vec![0xff, 0xfe, b'{', b'}']).await.unwrap(), 400).await;
    assert_problem(post(b"{\"items\": 5}".to_vec()).await.unwrap(), 422).await;
    assert_problem(post(b"[]".to_vec()).await.unwrap(), 422).await;
    let big = format!("{{\"items\": [\"{}\"]}}", "x".repeat(100 * 1024));
    assert_problem(post(big.clone().into_bytes()).await.unwrap(), 413).await;
    // The limit comes before any handler: a login's body too.
    let login = client()
        .post(s.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_problem(login, 413).await;
    let many: Vec<Value> = (0..501)
        .map(|i| json!({"idempotency_key": format!("m{i}")}))
        .collect();
    assert_problem(
        post(json!({"items": many}).to_string().into_bytes())
            .await
            .unwrap(),
        422,
    )
    .await;
    let login = client()
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"username": "a", "password": "b", "admin": true}))
        .send()
        .await
        .unwrap();
    assert_problem(login, 422).await;
    let login = client()
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"username": 5, "password": []}))
        .send()
        .await
        .unwrap();
    assert_problem(login, 422).await;
    let nowhere = client().get(s.url("/api/v1/nowhere")).send().await.unwrap();
    assert_problem(nowhere, 404).await;
    let missing_year = client()
        .get(s.url("/api/v1/rules"))
        .bearer_auth(&t.access_token)
        .send()
        .await
        .unwrap();
    assert_problem(missing_year, 400).await;
}

#[tokio::test]
async fn compression_both_ways() {
    let s = start(Options::default()).await;
    let t = s.login(0).await;
    let raw = reqwest::Client::builder()
        .no_gzip()
        .no_zstd()
        .build()
        .unwrap();
    let r = raw
        .get(s.url("/api/v1/units/U01/declarations?limit=200"))
        .bearer_auth(&t.access_token)
        .header("accept-encoding", "zstd")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-encoding"], "zstd");
    let r = raw
        .get(s.url("/api/v1/units/U01/declarations?limit=200"))
        .bearer_auth(&t.access_token)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");

    // A gzip-compressed push body is accepted.
    let (decls, _, _, _) = pull_all(&s, &t.access_token, "U01", "declarations", 500).await;
    let d = &pending(&decls)[0];
    let body = json!({"items": [{"idempotency_key": "gz-1", "declaration_id": d["id"], "declaration_version": d["version"],
                                 "outcome": "return", "reason": "学时计算有误，请按标准修改"}]});
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(body.to_string().as_bytes()).unwrap();
    let r = client()
        .post(s.url("/api/v1/decisions"))
        .bearer_auth(&t.access_token)
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(gz.finish().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r: PushResponse = r.json().await.unwrap();
    assert_eq!(r.results[0].result, "applied");
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let s = start(Options {
        rate: 1.0,
        burst: 2.0,
        ..Options::default()
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let r = client()
            .get(s.url("/api/v1/rules?year=2019"))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
        if r.status() == 429 {
            assert!(
                r.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse::<u64>()
                    .unwrap()
                    >= 1
            );
            assert_problem(r, 429).await;
        }
    }
    assert_eq!(&statuses[..2], &[401, 401]);
    assert!(statuses[2..].iter().all(|&s| s == 429), "{statuses:?}");
}

#[tokio::test]
async fn faults_can_be_injected() {
    let portal = start(Options {
        faults: FaultConfig {
            portal: 1.0,
            ..FaultConfig::default()
        },
        ..Options::default()
    })
    .await;
    let r = client()
        .get(portal.url("/api/v1/rules?year=2019"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    // The OpenAPI document is not an API path and is never faulted.
    assert_eq!(
        client()
            .get(portal.url("/openapi.json"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    let errors = start(Options {
        faults: FaultConfig {
            error_5xx: 1.0,
            ..FaultConfig::default()
        },
        ..Options::default()
    })
    .await;
    let r = client()
        .get(errors.url("/api/v1/rules?year=2019"))
        .send()
        .await
        .unwrap();
    assert_problem(r, 503).await;

    // A truncated answer to a push: the client sees an error, but the decision was applied.
    let cut = start(Options {
        faults: FaultConfig {
            truncate: 1.0,
            ..FaultConfig::default()
        },
        ..Options::default()
    })
    .await;
    let d: Value = {
        let conn = cut.conn();
        let doc: String = conn
            .query_row("SELECT doc FROM declarations WHERE unit_id = 'U01' AND status = 'pending_unit_review' LIMIT 1", [], |r| r.get(0))
            .unwrap();
        serde_json::from_str(&doc).unwrap()
    };
    // Every answer is cut: give the reviewer a token directly in the database.
    cut.conn()
        .execute(
            "INSERT INTO tokens (token_hash, kind, username, expires_at) VALUES (?1, 'access', ?2, ?3)",
            rusqlite::params![jxjy_platform::auth::token_hash("direct-token"), cut.accounts[0].username, i64::MAX],
        )
        .unwrap();
    let body = json!({"items": [{"idempotency_key": "cut-1", "declaration_id": d["id"], "declaration_version": d["version"],
                                 "outcome": "return", "reason": "与已有申报重复"}]});
    let sent = client()
        .post(cut.url("/api/v1/decisions"))
        .bearer_auth("direct-token")
        .json(&body)
        .send()
        .await;
    let read = match sent {
        Err(_) => None,
        Ok(r) => r.json::<PushResponse>().await.ok(),
    };
    assert!(read.is_none(), "the answer never arrives whole");
    let held = jxjy_platform::manage::decisions(&cut.conn()).unwrap();
    assert_eq!(held.len(), 1, "but the decision was applied");
}

#[tokio::test]
async fn every_response_has_a_date() {
    let s = start(Options::default()).await;
    for r in [
        client().get(s.url("/openapi.json")).send().await.unwrap(),
        client()
            .get(s.url("/api/v1/rules?year=2019"))
            .send()
            .await
            .unwrap(),
        client()
            .post(s.url("/api/v1/auth/login"))
            .body("x")
            .send()
            .await
            .unwrap(),
    ] {
        let date = r.headers()["date"].to_str().unwrap().to_owned();
        assert!(date.ends_with(" GMT"), "{date}");
    }
}

#[tokio::test]
async fn the_openapi_document_is_served_and_committed() {
    let s = start(Options::default()).await;
    let served: Value = client()
        .get(s.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(served["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/auth/login",
        "/api/v1/units/{unit_id}/declarations",
        "/api/v1/evidence/{sha256}",
        "/api/v1/decisions",
    ] {
        assert!(served["paths"].get(path).is_some(), "{path} documented");
    }
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../docs/openapi.json"
    ))
    .expect("docs/openapi.json is committed");
    assert!(
        committed == jxjy_platform::openapi::document_text(),
        "docs/openapi.json differs from what the code generates: run `cargo run -p jxjy-platform -- openapi > docs/openapi.json`"
    );
}

/// The audit anchor (#17): each push may carry the reviewer profile's chain head; the platform
/// keeps the last one per profile, says whether a new one extends it, and gives the one it held
/// before so the client can check its own entry.
#[tokio::test]
async fn the_audit_head_is_anchored_and_a_rewind_or_rewrite_is_answered() {
    let s = start(Options::default()).await;
    let t = s.login(0).await;
    let profile = "0123456789abcdef0123456789abcdef";
    let h = |c: char| c.to_string().repeat(64);
    let send = |seq: u64, hash: String| {
        let (url, token) = (s.url("/api/v1/decisions"), t.access_token.clone());
        async move {
            client()
                .post(url)
                .bearer_auth(token)
                .json(
                    &json!({"items": [], "audit": {"profile": profile, "seq": seq, "hash": hash}}),
                )
                .send()
                .await
                .unwrap()
        }
    };
    let answer = |r: reqwest::Response| async move {
        assert_eq!(r.status(), 200);
        let v: PushResponse = r.json().await.unwrap();
        v.audit.unwrap()
    };
    let first = answer(send(5, h('a')).await).await;
    assert_eq!(first.result, "first");
    assert_eq!(first.previous, None);
    let later = answer(send(9, h('b')).await).await;
    assert_eq!(later.result, "extended");
    assert_eq!(
        later.previous.as_ref().map(|p| (p.seq, p.hash.clone())),
        Some((5, h('a')))
    );
    let same = answer(send(9, h('b')).await).await;
    assert_eq!(same.result, "unchanged");
    // Going back, or the same length with another hash: answered, and the anchor stays.
    let back = answer(send(3, h('c')).await).await;
    assert_eq!(back.result, "rewound");
    let other = answer(send(9, h('d')).await).await;
    assert_eq!(other.result, "rewritten");
    assert_eq!(other.previous.map(|p| (p.seq, p.hash)), Some((9, h('b'))));
    // A push without a head gets no audit answer (older clients).
    let r = client()
        .post(s.url("/api/v1/decisions"))
        .bearer_auth(&t.access_token)
        .json(&json!({"items": []}))
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert!(v.get("audit").is_none(), "{v}");
    // Malformed heads are problems.
    for bad in [
        json!({"profile": "x", "seq": 1, "hash": h('a')}),
        json!({"profile": profile, "seq": 1, "hash": "ABC"}),
        json!({"profile": profile, "seq": 1, "hash": h('a'), "extra": 1}),
        // Past 2^53 − 1, the document's maximum (no JSON reader keeps such a number exactly).
        json!({"profile": profile, "seq": 1u64 << 53, "hash": h('a')}),
    ] {
        let r = client()
            .post(s.url("/api/v1/decisions"))
            .bearer_auth(&t.access_token)
            .json(&json!({"items": [], "audit": bad}))
            .send()
            .await
            .unwrap();
        assert_problem(r, 422).await;
    }
}

/// The unit is checked before the idempotency key is looked up (#21): replaying another unit's
/// key for its declaration answers 403, never that unit's stored result.
#[tokio::test]
async fn another_units_key_replayed_learns_nothing() {
    let s = start(Options::default()).await;
    let (t1, t2) = (s.login(0).await, s.login(1).await);
    let (d, _, _, _) = pull_all(&s, &t2.access_token, "U02", "declarations", 500).await;
    let theirs = pending(&d)[0].clone();
    let item = json!({"idempotency_key": "their-key", "declaration_id": theirs["id"],
                      "declaration_version": theirs["version"], "outcome": "reject", "reason": "证明材料不清晰"});
    let first = push(&s, &t2.access_token, json!([item])).await;
    assert_eq!(first.results[0].result, "applied");
    let replay = push(&s, &t1.access_token, json!([item])).await;
    assert_eq!(replay.results[0].result, "rejected");
    assert_eq!(
        replay.results[0].problem.as_ref().map(|p| p.status),
        Some(403)
    );
    assert!(replay.results[0].applied_version.is_none());
    assert!(replay.results[0].declaration.is_none());
}

async fn refresh_with(s: &Server, token: &str) -> reqwest::Response {
    client()
        .post(s.url("/api/v1/auth/refresh"))
        .json(&json!({"refresh_token": token}))
        .send()
        .await
        .unwrap()
}

async fn rules_with(s: &Server, access: &str) -> u16 {
    client()
        .get(s.url("/api/v1/rules?year=2019"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Sessions (#21): refreshing ends the old access token; a refresh token presented twice ends
/// the whole session, the thief's tokens and the owner's alike; logout ends a session.
#[tokio::test]
async fn refresh_rotates_a_reused_refresh_token_ends_the_session_and_logout_works() {
    let s = start(Options::default()).await;
    let first = s.login(0).await;
    let r = refresh_with(&s, &first.refresh_token).await;
    assert_eq!(r.status(), 200);
    let second: jxjy_platform::api::TokenResponse = r.json().await.unwrap();
    assert_eq!(
        rules_with(&s, &first.access_token).await,
        401,
        "the old access token ended"
    );
    assert_eq!(rules_with(&s, &second.access_token).await, 200);

    // The first refresh token comes back (it was copied): the session ends for everyone.
    assert_problem(refresh_with(&s, &first.refresh_token).await, 401).await;
    assert_eq!(rules_with(&s, &second.access_token).await, 401);
    assert_problem(refresh_with(&s, &second.refresh_token).await, 401).await;

    // Logout ends a session; another session of the same reviewer goes on.
    let a = s.login(0).await;
    let b = s.login(0).await;
    let out = client()
        .post(s.url("/api/v1/auth/logout"))
        .bearer_auth(&a.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(rules_with(&s, &a.access_token).await, 401);
    assert_problem(refresh_with(&s, &a.refresh_token).await, 401).await;
    assert_eq!(rules_with(&s, &b.access_token).await, 200);
    let again = client()
        .post(s.url("/api/v1/auth/logout"))
        .bearer_auth(&a.access_token)
        .send()
        .await
        .unwrap();
    assert_problem(again, 401).await;
}

/// A session ends at its absolute lifetime however it is refreshed (#21). No clock is read:
/// the tokens' lifetimes are capped by the session's end, and a session whose lifetime is over
/// (0 s) refreshes nothing.
#[tokio::test]
async fn a_session_has_an_absolute_lifetime() {
    let s = start(Options {
        config: Config {
            session_ttl_secs: 1000,
            ..Config::default()
        },
        ..Options::default()
    })
    .await;
    let t = s.login(0).await;
    assert!(
        t.expires_in <= 1000,
        "capped by the session: {}",
        t.expires_in
    );
    let mut last = t.expires_in;
    let mut refresh = t.refresh_token.clone();
    for _ in 0..5 {
        let r = refresh_with(&s, &refresh).await;
        assert_eq!(r.status(), 200);
        let next: jxjy_platform::api::TokenResponse = r.json().await.unwrap();
        assert!(
            next.expires_in <= last,
            "refreshing never extends the session"
        );
        last = next.expires_in;
        refresh = next.refresh_token;
    }

    let over = start(Options {
        config: Config {
            session_ttl_secs: 0,
            ..Config::default()
        },
        ..Options::default()
    })
    .await;
    let t = over.login(0).await;
    assert_eq!(t.expires_in, 0);
    assert_eq!(rules_with(&over, &t.access_token).await, 401);
    assert_problem(refresh_with(&over, &t.refresh_token).await, 401).await;
}

/// Failed logins of one account make it wait, with Retry-After, even with the right password;
/// other accounts are not slowed (#21). That the wait grows and ends (no permanent lockout) is
/// the throttle's unit test, on time passed in.
#[tokio::test]
async fn failed_logins_slow_down_that_account_only() {
    let s = start(Options::default()).await;
    let login = |user: String, password: String| {
        let url = s.url("/api/v1/auth/login");
        async move {
            client()
                .post(url)
                .json(&json!({"username": user, "password": password}))
                .send()
                .await
                .unwrap()
        }
    };
    let (u0, u1) = (s.accounts[0].clone(), s.accounts[1].clone());
    for _ in 0..3 {
        assert_problem(login(u0.username.clone(), "wrong".into()).await, 401).await;
    }
    let slowed = login(u0.username.clone(), u0.password.clone()).await;
    assert_eq!(slowed.status(), 429);
    let wait: u64 = slowed.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&wait), "{wait}");
    let p = assert_problem(slowed, 429).await;
    assert!(
        p["detail"].as_str().unwrap().contains("failed logins"),
        "{p}"
    );
    // Another account is not held up.
    assert_eq!(
        login(u1.username.clone(), u1.password.clone())
            .await
            .status(),
        200
    );
    // After the wait, the right password works.
    tokio::time::sleep(std::time::Duration::from_secs(wait + 1)).await;
    assert_eq!(
        login(u0.username.clone(), u0.password.clone())
            .await
            .status(),
        200
    );
}

/// The document says what the server does (#21 item 1, first part): errors are
/// problem+json, query parameters are in the query with their real optionality, an evidence
/// hash has its pattern, and every operation lists 429 and every protected one 401.
#[test]
fn the_document_is_exact_about_errors_and_parameters() {
    let doc: Value = serde_json::from_str(&jxjy_platform::openapi::document_text()).unwrap();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("429"), "{method} {path}");
            assert!(responses.contains_key("500"), "{method} {path}");
            if op.get("requestBody").is_some() {
                assert!(responses.contains_key("413"), "{method} {path}");
            }
            if op.get("security").is_some() {
                assert!(responses.contains_key("401"), "{method} {path}");
            }
            for (status, answer) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    let content = answer["content"].as_object().unwrap();
                    assert_eq!(
                        content.keys().collect::<Vec<_>>(),
                        vec!["application/problem+json"],
                        "{method} {path} {status}"
                    );
                }
            }
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                let in_path = path.contains(&format!("{{{name}}}"));
                assert_eq!(
                    p["in"],
                    if in_path { "path" } else { "query" },
                    "{path} {name}"
                );
            }
        }
    }
    assert!(operations >= 10);
    let year = &doc["paths"]["/api/v1/rules"]["get"]["parameters"][0];
    assert_eq!(
        (year["name"].as_str(), year["required"].as_bool()),
        (Some("year"), Some(true))
    );
    let since = &doc["paths"]["/api/v1/units/{unit_id}/staff"]["get"]["parameters"][1];
    assert_eq!(since["required"], false);
    let sha = &doc["paths"]["/api/v1/evidence/{sha256}"]["get"]["parameters"][0];
    assert_eq!(sha["schema"]["pattern"], "^[0-9a-f]{64}$");

    // Pulled items are the interchange types, with the fields a vendor must always send.
    let schemas = &doc["components"]["schemas"];
    for (path, page, item) in [
        ("/api/v1/units/{unit_id}/staff", "StaffPage", "Staff"),
        (
            "/api/v1/units/{unit_id}/declarations",
            "DeclarationPage",
            "Declaration",
        ),
    ] {
        let schema =
            &doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(schema["$ref"], format!("#/components/schemas/{page}"));
        assert_eq!(
            schemas[page]["allOf"][1]["properties"]["items"]["items"]["$ref"],
            format!("#/components/schemas/{item}")
        );
    }
    let required = |name: &str| -> Vec<String> {
        serde_json::from_value(schemas[name]["required"].clone()).unwrap()
    };
    for field in [
        "id",
        "staff_id",
        "category",
        "form",
        "start_date",
        "end_date",
    ] {
        assert!(
            required("Declaration").contains(&field.to_owned()),
            "{field}"
        );
    }
    for field in ["id", "name", "id_number"] {
        assert!(required("Staff").contains(&field.to_owned()), "{field}");
    }
    for field in ["id", "file_name", "media_type", "size", "sha256"] {
        assert!(required("Evidence").contains(&field.to_owned()), "{field}");
    }
    let forms: Vec<String> = serde_json::from_value(schemas["Form"]["enum"].clone()).unwrap();
    assert_eq!(forms.len(), jxjy_core::Form::ALL.len());
    assert_eq!(schemas["Hours"]["type"], "number");

    // Operation ids are unique, and the links lead from a login to the pulls and the evidence.
    let mut ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all, "unique operationIds");
    let login = &doc["paths"]["/api/v1/auth/login"]["post"]["responses"]["200"]["links"];
    assert_eq!(
        login["PullDeclarations"]["parameters"]["unit_id"],
        "$response.body#/unit_id"
    );
    let decls =
        &doc["paths"]["/api/v1/units/{unit_id}/declarations"]["get"]["responses"]["200"]["links"];
    assert_eq!(decls["Evidence"]["operationId"], "downloadEvidence");
}
