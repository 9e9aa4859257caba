//! Random JSON thrown at the push endpoint: never a 5xx, one result per item, and the store
//! changes only by the decisions reported as applied.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use proptest::prelude::*;
use serde_json::{json, Value};

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1.0e6f64..1.0e6).prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
        Just(json!("'; DROP TABLE declarations; --")),
        Just(json!("approve")),
        Just(json!("U01-D0000001")),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Items that are nearly right: real field names with random or real values.
fn arb_item() -> impl Strategy<Value = Value> {
    let field = |name: &'static str, good: Value| {
        prop_oneof![
            3 => Just(Some(good)),
            1 => arb_json().prop_map(Some),
            1 => Just(None),
        ]
        .prop_map(move |v| (name, v))
    };
    (
        any::<u32>(),
        field("declaration_id", json!("U01-D0000001")),
        field("declaration_version", json!(1)),
        field("outcome", json!("reject")),
        field("reason", json!("与已有申报重复")),
        field("credited_hours", json!(10)),
        field("category", json!("professional")),
    )
        .prop_map(|(k, a, b, c, d, e, f)| {
            let mut m = serde_json::Map::new();
            m.insert("idempotency_key".into(), json!(format!("fz-{k}")));
            for (name, v) in [a, b, c, d, e, f] {
                if let Some(v) = v {
                    m.insert(name.into(), v);
                }
            }
            Value::Object(m)
        })
}

fn arb_body() -> impl Strategy<Value = Value> {
    prop_oneof![
        arb_json(),
        prop::collection::vec(prop_oneof![arb_item(), arb_json()], 0..6)
            .prop_map(|items| json!({"items": items})),
    ]
}

#[test]
fn random_json_never_breaks_the_server() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(start(Options::default()));
    let token = rt.block_on(server.login(0)).access_token;
    let version_sum = |s: &Server| -> i64 {
        s.conn()
            .query_row("SELECT sum(version) FROM declarations", [], |r| r.get(0))
            .unwrap()
    };
    let before = version_sum(&server);
    let count = |s: &Server| -> i64 {
        s.conn()
            .query_row("SELECT count(*) FROM declarations", [], |r| r.get(0))
            .unwrap()
    };
    let rows_before = count(&server);
    let applied = std::cell::Cell::new(0i64);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    runner
        .run(&arb_body(), |body| {
            let r = rt
                .block_on(
                    client()
                        .post(server.url("/api/v1/decisions"))
                        .bearer_auth(&token)
                        .header("content-type", "application/json")
                        .body(body.to_string())
                        .send(),
                )
                .unwrap();
            let status = r.status().as_u16();
            prop_assert!(status < 500, "{status} for {body}");
            let v: Value = rt.block_on(r.json()).unwrap();
            if status == 200 {
                let items = body["items"].as_array().map_or(0, Vec::len);
                let results = v["results"].as_array().unwrap();
                prop_assert_eq!(results.len(), items);
                applied.set(
                    applied.get()
                        + results.iter().filter(|x| x["result"] == "applied").count() as i64,
                );
            } else {
                prop_assert!(v["status"] == status);
            }
            Ok(())
        })
        .unwrap();
    let held = jxjy_platform::manage::decisions(&server.conn()).unwrap();
    assert_eq!(
        held.len() as i64,
        applied.get(),
        "only applied decisions are stored"
    );
    assert_eq!(
        version_sum(&server) - before,
        applied.get(),
        "only applied decisions changed declarations"
    );
    assert_eq!(count(&server), rows_before, "nothing dropped");
}
