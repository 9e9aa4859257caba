//! Delta pulls: paging with cursors, the last page's count and checksum against what was
//! pulled, tombstones, a resume from the last cursor, a bad cursor, both scopes at once, the
//! scope of a unit, and the rule set.

use super::http::Answer;
use super::{ensure, Context, Outcome};
use jxjy_core::{Declaration, RuleSet, Staff};
use reqwest::Method;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Pages are small so that paging is exercised.
const STAFF_PAGE: usize = 7;
const DECLARATION_PAGE: usize = 50;
/// A pull stops after this many pages (a cursor that never ends is a failure).
const MAX_PAGES: usize = 10_000;

/// A pull page as the contract defines it.
pub type Page = crate::api::PullResponse;

/// What a whole pull gave: the live items by id, and the last cursor.
pub struct Pulled {
    pub live: BTreeMap<String, serde_json::Value>,
    pub tombstones: usize,
    pub pages: usize,
    pub cursor: String,
}

async fn get(
    cx: &Context,
    what: &str,
    path: &str,
    query: &[(&str, String)],
) -> Result<Answer, String> {
    let access = cx.access.as_deref().unwrap_or_default();
    cx.http
        .send(
            what,
            cx.http
                .request(Method::GET, path)
                .query(query)
                .bearer_auth(access),
        )
        .await
}

/// Pulls a scope whole, page by page, applying items and tombstones in order as a client does,
/// and checks the last page's count and checksum against what it holds.
async fn pull(cx: &Context, scope: &str, limit: usize) -> Result<Pulled, String> {
    let path = format!("/api/v1/units/{}/{scope}", cx.unit);
    let mut live = BTreeMap::new();
    let mut cursor = String::new();
    let mut tombstones = 0;
    for pages in 1..=MAX_PAGES {
        let mut query = vec![("limit", limit.to_string())];
        if !cursor.is_empty() {
            query.push(("since", cursor.clone()));
        }
        let a = get(cx, &format!("{scope} page {pages}"), &path, &query).await?;
        a.expect(200, &format!("{scope} page {pages}"))?;
        let page: Page = a.json()?;
        ensure(page.items.len() <= limit, || {
            format!(
                "a page of {} items for a limit of {limit}",
                page.items.len()
            )
        })?;
        for item in page.items {
            let id = item
                .get("id")
                .and_then(|v| v.as_str())
                .ok_or("an item without a string id")?
                .to_owned();
            live.insert(id, item);
        }
        tombstones += page.tombstones.len();
        for id in &page.tombstones {
            live.remove(id);
        }
        cursor = page.next_cursor;
        if !page.has_more {
            let key = |id: &String, v: &serde_json::Value| match scope {
                "staff" => id.clone(),
                _ => format!(
                    "{id}:{}",
                    v.get("version").and_then(|x| x.as_u64()).unwrap_or(0)
                ),
            };
            let count = page.count.ok_or("the last page has no count")?;
            ensure(count == live.len() as i64, || {
                format!(
                    "the last page counts {count} live items, the pages gave {}",
                    live.len()
                )
            })?;
            let keys: Vec<String> = live.iter().map(|(id, v)| key(id, v)).collect();
            let want = crate::api::pull::checksum(keys.iter().map(String::as_str));
            let got = page.checksum.ok_or("the last page has no checksum")?;
            ensure(got == want, || {
                "the last page's checksum is not the XOR of SHA-256 over the pulled items".into()
            })?;
            return Ok(Pulled {
                live,
                tombstones,
                pages,
                cursor,
            });
        }
        ensure(!cursor.is_empty(), || "has_more with no next_cursor".into())?;
    }
    Err(format!("{scope}: more than {MAX_PAGES} pages"))
}

pub async fn staff(cx: &mut Context) -> Outcome {
    let p = pull(cx, "staff", STAFF_PAGE).await?;
    let mut staff = Vec::with_capacity(p.live.len());
    for (id, v) in p.live {
        let s: Staff = serde_json::from_value(v)
            .map_err(|e| format!("staff {id} is not the interchange JSON: {e}"))?;
        staff.push(s);
    }
    let n = staff.len();
    cx.staff = staff;
    Ok(format!(
        "{n} staff in {} pages, count and checksum agree, {} tombstones",
        p.pages, p.tombstones
    ))
}

pub async fn declarations(cx: &mut Context) -> Outcome {
    let p = pull(cx, "declarations", DECLARATION_PAGE).await?;
    let mut decls = Vec::with_capacity(p.live.len());
    for (id, v) in p.live {
        let d: Declaration = serde_json::from_value(v)
            .map_err(|e| format!("declaration {id} is not the interchange JSON: {e}"))?;
        for e in &d.evidence {
            ensure(jxjy_core::evidence_record::is_sha256_hex(&e.sha256), || {
                format!("declaration {id}: an evidence sha256 is not 64 lowercase hex digits")
            })?;
        }
        decls.push(d);
    }
    let n = decls.len();
    ensure(n > 0, || {
        "the unit has no declarations to check the rest with".into()
    })?;
    cx.declarations = decls;
    Ok(format!(
        "{n} declarations in {} pages, count and checksum agree, {} tombstones",
        p.pages, p.tombstones
    ))
}

pub async fn resume(cx: &Context) -> Outcome {
    let p = pull(cx, "staff", STAFF_PAGE).await?;
    let path = format!("/api/v1/units/{}/staff", cx.unit);
    let a = get(
        cx,
        "staff since the last cursor",
        &path,
        &[("since", p.cursor.clone())],
    )
    .await?;
    a.expect(200, "a pull from the last cursor")?;
    let page: Page = a.json()?;
    ensure(
        page.items.is_empty() && page.tombstones.is_empty() && !page.has_more,
        || {
            format!(
                "nothing changed, yet {} items and {} tombstones came",
                page.items.len(),
                page.tombstones.len()
            )
        },
    )?;
    Ok("nothing new after the last cursor".into())
}

pub async fn bad_cursor(cx: &Context) -> Outcome {
    let path = format!("/api/v1/units/{}/staff", cx.unit);
    let a = get(
        cx,
        "a made-up cursor",
        &path,
        &[("since", "not-a-cursor-!".into())],
    )
    .await?;
    a.expect(400, "a cursor the server never gave")?;
    let b = get(cx, "limit 0", &path, &[("limit", "0".into())]).await?;
    b.expect(400, "limit=0")?;
    Ok("400 for a made-up cursor and for limit=0".into())
}

pub async fn changes(cx: &Context) -> Outcome {
    #[derive(Deserialize)]
    struct Both {
        staff: Page,
        declarations: Page,
    }
    let path = format!("/api/v1/units/{}/changes", cx.unit);
    let a = get(cx, "changes", &path, &[("limit", "5".into())]).await?;
    a.expect(200, "changes")?;
    let both: Both = a.json()?;
    ensure(
        both.staff.items.len() <= 5 && both.declarations.items.len() <= 5,
        || "more items than the limit".into(),
    )?;
    ensure(
        (both.staff.items.len() + both.declarations.items.len() > 0)
            || (cx.staff.is_empty() && cx.declarations.is_empty()),
        || "a first changes pull of a unit with data brought nothing".into(),
    )?;
    Ok(format!(
        "{} staff and {} declarations in one answer",
        both.staff.items.len(),
        both.declarations.items.len()
    ))
}

pub async fn other_unit(cx: &Context) -> Outcome {
    let other = if cx.unit == "conformance-other-unit" {
        "conformance-another-unit"
    } else {
        "conformance-other-unit"
    };
    for scope in ["staff", "declarations", "changes"] {
        let path = format!("/api/v1/units/{other}/{scope}");
        let a = get(cx, &format!("another unit's {scope}"), &path, &[]).await?;
        a.expect(403, &format!("another unit's {scope}"))?;
    }
    Ok("403 for another unit's staff, declarations and changes".into())
}

/// The year the unit's declarations mostly end in.
fn usual_year(decls: &[Declaration]) -> Option<i32> {
    use chrono::Datelike;
    let mut years: BTreeMap<i32, usize> = BTreeMap::new();
    for d in decls {
        *years.entry(d.end_date.year()).or_default() += 1;
    }
    years
        .into_iter()
        .max_by_key(|(y, n)| (*n, *y))
        .map(|(y, _)| y)
}

pub async fn rules(cx: &mut Context) -> Outcome {
    let year = cx
        .target
        .year
        .or_else(|| usual_year(&cx.declarations))
        .ok_or("no year given and no declarations to take it from")?;
    cx.year = year;
    let a = get(cx, "rules", "/api/v1/rules", &[("year", year.to_string())]).await?;
    a.expect(200, &format!("the rules of {year}"))?;
    let text = String::from_utf8(a.body).map_err(|_| "the rule set is not UTF-8".to_owned())?;
    let rules = RuleSet::from_json(&text).map_err(|e| format!("the rule set is not valid: {e}"))?;
    ensure(rules.covers(year), || {
        format!("the rule set does not cover {year}")
    })?;
    let id = rules.id.clone();
    cx.rules = Some(rules);
    Ok(format!("rule set {id} for {year}"))
}

pub async fn rules_without_year(cx: &Context) -> Outcome {
    let a = get(cx, "rules without a year", "/api/v1/rules", &[]).await?;
    a.expect(400, "the rules without a year")?;
    Ok("400".into())
}
