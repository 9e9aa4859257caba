//! Batched idempotent pushes: applied, then the same key replayed; a stale version's conflict;
//! one bad item in a batch; a key reused for another declaration; and the platform's own check
//! of a credit (never above the rule's, another figure only with a reason).

use super::{ensure, Context, Outcome};
use jxjy_core::engine::annually_limited;
use jxjy_core::{evaluate, Category, Declaration, DeclarationResult, Input, Status};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
struct Response {
    results: Vec<Result1>,
}

#[derive(Deserialize)]
struct Result1 {
    idempotency_key: Option<String>,
    result: String,
    applied_version: Option<u64>,
    declaration: Option<Value>,
    problem: Option<Value>,
}

impl Result1 {
    fn status(&self) -> Option<u64> {
        self.problem
            .as_ref()
            .and_then(|p| p.get("status"))
            .and_then(Value::as_u64)
    }
}

async fn push(cx: &Context, what: &str, items: Value) -> Result<Vec<Result1>, String> {
    let access = cx.access.as_deref().unwrap_or_default();
    let req = cx
        .http
        .request(Method::POST, "/api/v1/decisions")
        .bearer_auth(access)
        .json(&json!({"items": items}));
    let a = cx.http.send(what, req).await?;
    a.expect(200, what)?;
    let r: Response = a.json()?;
    ensure(r.results.len() == items_len(&items), || {
        format!(
            "{what}: {} results for {} items",
            r.results.len(),
            items_len(&items)
        )
    })?;
    Ok(r.results)
}

fn items_len(items: &Value) -> usize {
    items.as_array().map_or(0, Vec::len)
}

/// A key of this run: the same suite run twice must not replay its first run's decisions.
fn key(run: &str, n: u32) -> String {
    format!("conformance-{run}-{n}")
}

fn evaluated(cx: &Context, d: &Declaration) -> Option<DeclarationResult> {
    let rules = cx.rules.as_ref()?;
    let input = Input {
        year: cx.year,
        rules: None,
        staff: cx
            .staff
            .iter()
            .filter(|s| s.id == d.staff_id)
            .cloned()
            .collect(),
        declarations: cx
            .declarations
            .iter()
            .filter(|x| x.staff_id == d.staff_id)
            .cloned()
            .collect(),
    };
    // The day matters only to the future-date flag, never to a credit.
    evaluate(&input, rules, chrono::Utc::now().date_naive())
        .declarations
        .into_iter()
        .find(|r| r.id == d.id)
}

/// Every push check, by name.
pub async fn all(cx: &Context) -> Vec<(&'static str, Outcome)> {
    let mut run = [0u8; 6];
    if getrandom::fill(&mut run).is_err() {
        return vec![("push", Err("no randomness for the run's keys".into()))];
    }
    let run = crate::auth::hex(&run);
    let pending: Vec<&Declaration> = cx
        .declarations
        .iter()
        .filter(|d| d.status == Status::PendingUnitReview)
        .collect();
    let Some(rules) = cx.rules.as_ref() else {
        return vec![("push", Err("no rule set (rules.year failed)".into()))];
    };
    // Under no yearly limit and credited something, so that the rule's figure is exact.
    let exact: Vec<&Declaration> = pending
        .iter()
        .copied()
        .filter(|d| !annually_limited(d, rules))
        .filter(|d| evaluated(cx, d).is_some_and(|e| e.credited_hours.as_f64() >= 1.0))
        .collect();
    let (Some(returned), Some(approved), Some(refused)) = (
        pending
            .iter()
            .copied()
            .find(|d| exact.iter().all(|e| e.id != d.id))
            .or_else(|| exact.get(2).copied()),
        exact.first().copied(),
        exact.get(1).copied(),
    ) else {
        return vec![("push", Err(format!(
            "the unit needs 3 pending declarations, 2 of them credited 1 hour or more under no yearly limit; it has {} pending, {} such",
            pending.len(),
            exact.len()
        )))];
    };
    vec![
        (
            "push.idempotent_replay",
            idempotent(cx, &run, returned).await,
        ),
        ("push.stale_version", stale(cx, &run, returned).await),
        ("push.batch_one_bad_item", batch(cx, &run, approved).await),
        (
            "push.key_reused_elsewhere",
            key_reused(cx, &run, refused).await,
        ),
        ("push.credit_checked", credit(cx, &run, refused).await),
    ]
}

fn return_item(k: &str, d: &Declaration, version: u64) -> Value {
    json!({"idempotency_key": k, "declaration_id": d.id, "declaration_version": version,
           "outcome": "return", "reason": "conformance: 证明材料不清晰，请重新上传"})
}

async fn idempotent(cx: &Context, run: &str, d: &Declaration) -> Outcome {
    let item = return_item(&key(run, 1), d, d.version);
    let first = push(cx, "a return", json!([item])).await?;
    let r = &first[0];
    ensure(r.result == "applied", || {
        format!("a return answered `{}`", r.result)
    })?;
    ensure(
        r.idempotency_key.as_deref() == Some(key(run, 1).as_str()),
        || "the result names another key".into(),
    )?;
    let v = r.applied_version.ok_or("no applied_version")?;
    ensure(v > d.version, || {
        format!("applied_version {v} is not after {}", d.version)
    })?;
    let again = push(cx, "the same key again", json!([item])).await?;
    ensure(again[0].result == "duplicate", || {
        format!("a replay answered `{}`", again[0].result)
    })?;
    ensure(again[0].applied_version == Some(v), || {
        "the replay's applied_version is not the first's".into()
    })?;
    Ok(format!(
        "applied as version {v}, the replay answered duplicate with it"
    ))
}

async fn stale(cx: &Context, run: &str, d: &Declaration) -> Outcome {
    let item = return_item(&key(run, 2), d, d.version);
    let r = push(cx, "a decision on the old version", json!([item])).await?;
    ensure(r[0].result == "conflict", || {
        format!(
            "a decision on a replaced version answered `{}`",
            r[0].result
        )
    })?;
    let now = r[0]
        .declaration
        .as_ref()
        .ok_or("a conflict without the declaration as it is now")?;
    let now: Declaration = serde_json::from_value(now.clone())
        .map_err(|e| format!("the conflict's declaration: {e}"))?;
    ensure(now.id == d.id && now.version > d.version, || {
        "the conflict's declaration is not the newer version".into()
    })?;
    Ok(format!("conflict, with version {}", now.version))
}

async fn batch(cx: &Context, run: &str, d: &Declaration) -> Outcome {
    let e = evaluated(cx, d).ok_or("not evaluated")?;
    let items = json!([
        {"idempotency_key": key(run, 3), "declaration_id": d.id, "declaration_version": d.version, "outcome": "approve"},
        {"idempotency_key": key(run, 4), "declaration_id": d.id, "declaration_version": d.version,
         "outcome": "approve", "credited_hours": e.credited_hours.as_f64(), "category": e.category},
    ]);
    let r = push(cx, "a batch with one bad item", items).await?;
    ensure(
        r[0].result == "rejected" && r[0].status() == Some(422),
        || {
            format!(
                "an approval without hours answered `{}` ({:?})",
                r[0].result,
                r[0].status()
            )
        },
    )?;
    ensure(r[1].result == "applied", || {
        format!(
            "an approval with the rule's credit ({} h) answered `{}` {:?}",
            e.credited_hours, r[1].result, r[1].problem
        )
    })?;
    Ok(format!(
        "the bad item rejected (422), the approval of {} h applied",
        e.credited_hours
    ))
}

async fn key_reused(cx: &Context, run: &str, d: &Declaration) -> Outcome {
    // Key 1 was applied to another declaration.
    let item = return_item(&key(run, 1), d, d.version);
    let r = push(cx, "a key reused", json!([item])).await?;
    ensure(
        r[0].result == "rejected" && r[0].status() == Some(422),
        || {
            format!(
                "a key of another declaration answered `{}` ({:?})",
                r[0].result,
                r[0].status()
            )
        },
    )?;
    Ok("rejected (422)".into())
}

async fn credit(cx: &Context, run: &str, d: &Declaration) -> Outcome {
    let e = evaluated(cx, d).ok_or("not evaluated")?;
    let approve = |k: u32, hours: f64, category: Category, reason: Option<&str>| {
        json!({"idempotency_key": key(run, k), "declaration_id": d.id, "declaration_version": d.version,
               "outcome": "approve", "credited_hours": hours, "category": category, "reason": reason})
    };
    let computed = e.computed_hours.as_f64();
    let credited = e.credited_hours.as_f64();
    let other = match e.category {
        Category::Public => Category::Professional,
        Category::Professional => Category::Public,
    };
    let items = json!([
        approve(
            5,
            computed + 1.0,
            e.category,
            Some("conformance: more than the rule")
        ),
        approve(6, credited - 0.5, e.category, None),
        approve(7, credited, other, Some("conformance: another category")),
    ]);
    let r = push(cx, "credits the rule does not allow", items).await?;
    for (i, why) in [
        "more than the rule gives",
        "another figure without a reason",
        "another category",
    ]
    .iter()
    .enumerate()
    {
        ensure(
            r[i].result == "rejected" && r[i].status() == Some(422),
            || format!("{why}: answered `{}` ({:?})", r[i].result, r[i].status()),
        )?;
    }
    Ok(format!(
        "rejected (422): {} h above the rule's {computed}, {} h without a reason, another category",
        computed + 1.0,
        credited - 0.5
    ))
}
