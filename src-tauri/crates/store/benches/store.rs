//! Store benchmark with 10,000 staff and 100,000 declarations: opening (the unlock's Argon2id,
//! then SQLCipher, migration check, audit check), queue queries (filter + sort + page of 50) and writing decisions. Reports
//! p50/p95 and ratios against a baseline measured in the same run: an unfiltered page of 50 in
//! table order.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use chrono::{NaiveDate, TimeZone, Utc};
use jxjy_core::decision::{Decision, Outcome};
use jxjy_core::synth::{generate, Rng, SynthParams};
use jxjy_core::{Flag, Form, RuleSet, Status};
use jxjy_store::key_wrap::{Cost, Fresh};
use jxjy_store::queries::{QueueFilter, SortKey};
use jxjy_store::unlock::{self, SetUpFresh};
use jxjy_store::{Home, ProfileName, Store};

const SECRET: &str = "bench-unlock-secret";
use std::time::{Duration, Instant};

/// Makes one queue filter of a kind, varied by the random source.
type MakeFilter = Box<dyn Fn(&mut Rng) -> QueueFilter>;

fn percentile(mut xs: Vec<Duration>, p: f64) -> Duration {
    xs.sort();
    let i = ((xs.len() as f64 - 1.0) * p).round() as usize;
    xs[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(
    name: &str,
    xs: Vec<Duration>,
    goal_ms: Option<f64>,
    baseline_p50: Option<Duration>,
) -> Duration {
    let p50 = percentile(xs.clone(), 0.5);
    let p95 = percentile(xs, 0.95);
    let goal = goal_ms
        .map(|g| format!("  goal p95 <= {g} ms"))
        .unwrap_or_default();
    let ratio = baseline_p50
        .map(|b| format!("  ({:.1}x baseline)", p50.as_secs_f64() / b.as_secs_f64()))
        .unwrap_or_default();
    println!(
        "{name:<44} p50 {:>8.2} ms  p95 {:>8.2} ms{ratio}{goal}",
        ms(p50),
        ms(p95)
    );
    p50
}

fn main() {
    // `cargo bench` passes --bench; nothing to filter here.
    jxjy_store::keys::install(jxjy_store::keys::Backend::Memory);
    let dir = std::env::temp_dir().join(format!("jxjy-store-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let home = Home::new(&dir);
    let profile = ProfileName::new("bench").unwrap();
    let now = Utc.with_ymd_and_hms(2020, 1, 15, 9, 0, 0).unwrap();
    let mut key_rng = Rng::new(7);
    let mut bytes = |n: usize| -> Vec<u8> { (0..n).map(|_| key_rng.next_u64() as u8).collect() };
    let fresh = SetUpFresh {
        db_key: bytes(32).try_into().unwrap(),
        recovery: bytes(16).try_into().unwrap(),
        wrap: Fresh {
            salts: [bytes(16).try_into().unwrap(), bytes(16).try_into().unwrap()],
            nonces: [bytes(12).try_into().unwrap(), bytes(12).try_into().unwrap()],
        },
    };
    // The cost the app and the CLI use: the unlock is part of every open.
    let key = unlock::set_up(&home, &profile, SECRET, Cost::STANDARD, fresh)
        .unwrap()
        .key;
    let mut store = Store::open(&home, &profile, &key).unwrap();

    let t = Instant::now();
    let input = generate(&SynthParams {
        staff: 10_000,
        declarations_per_staff: 10,
        seed: 99,
        ..SynthParams::default()
    });
    store.import_input(&input).unwrap();
    let today = NaiveDate::from_ymd_opt(2020, 1, 15).unwrap();
    store
        .reevaluate(&RuleSet::for_year(2019).unwrap(), 2019, today)
        .unwrap();
    println!(
        "fill: {} staff, {} declarations, evaluated in {:.1} s",
        input.staff.len(),
        input.declarations.len(),
        t.elapsed().as_secs_f64()
    );
    drop(store);

    let mut opens = Vec::new();
    let mut dashboards = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let s = Store::open(&home, &profile, &key).unwrap();
        opens.push(t.elapsed());
        let t = Instant::now();
        s.dashboard().unwrap();
        dashboards.push(t.elapsed());
    }
    let mut store = Store::open(&home, &profile, &key).unwrap();

    let mut rng = Rng::new(3);
    let mut baseline = Vec::new();
    for _ in 0..200 {
        let offset = rng.below(90_000);
        let t = Instant::now();
        let n: i64 = store
            .raw_connection()
            .prepare_cached("SELECT count(*) FROM (SELECT id, staff_id, title FROM declarations LIMIT 50 OFFSET ?1)")
            .unwrap()
            .query_row([offset as i64], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 50);
        baseline.push(t.elapsed());
    }
    let base = report("baseline: 50 rows in table order", baseline, None, None);

    let names: Vec<String> = input
        .staff
        .iter()
        .map(|s| s.name.chars().take(2).collect())
        .collect();
    let filters: Vec<(&str, MakeFilter)> = vec![
        (
            "pending, by end date, page n",
            Box::new(|r: &mut Rng| QueueFilter {
                status: Some(Status::PendingUnitReview),
                offset: r.below(600) as u32 * 50,
                ..QueueFilter::default()
            }),
        ),
        (
            "pending + flag, by end date desc",
            Box::new(|r: &mut Rng| QueueFilter {
                status: Some(Status::PendingUnitReview),
                flag: Some(if r.chance(50) {
                    Flag::HoursMismatch
                } else {
                    Flag::MissingEvidence
                }),
                descending: true,
                ..QueueFilter::default()
            }),
        ),
        (
            "form + date range, by staff name",
            Box::new(|r: &mut Rng| QueueFilter {
                form: Some(if r.chance(50) {
                    Form::AcademicConference
                } else {
                    Form::OrganizedTraining
                }),
                from: NaiveDate::from_ymd_opt(2019, 3, 1),
                to: NaiveDate::from_ymd_opt(2019, 6, 30),
                sort: SortKey::StaffName,
                ..QueueFilter::default()
            }),
        ),
        (
            "search name fragment",
            Box::new(move |r: &mut Rng| QueueFilter {
                search: Some(names[r.below(names.len() as u64) as usize].clone()),
                ..QueueFilter::default()
            }),
        ),
        (
            "search ID number fragment",
            Box::new(|r: &mut Rng| QueueFilter {
                search: Some(format!("{:04}", r.below(10_000))),
                ..QueueFilter::default()
            }),
        ),
    ];
    let mut all = Vec::new();
    for (name, make) in &filters {
        let mut xs = Vec::new();
        for _ in 0..60 {
            let f = make(&mut rng);
            // The query itself, its count not remembered from an earlier round.
            store.forget_counts();
            let t = Instant::now();
            store.queue(&f).unwrap();
            xs.push(t.elapsed());
        }
        all.extend(xs.iter().copied());
        report(&format!("queue: {name}"), xs, None, Some(base));
    }
    report("queue: all filters", all, Some(20.0), Some(base));
    // A reviewer switching back and forth among a few filters: the counts are remembered.
    for remembered in [false, true] {
        let mut switching = Vec::new();
        for i in 0..60 {
            let f = QueueFilter {
                status: Some(Status::PendingUnitReview),
                form: [None, Some(Form::OnlineCourse), Some(Form::BaseTraining)][i % 3],
                limit: 25,
                ..QueueFilter::default()
            };
            if !remembered {
                store.forget_counts();
            }
            let t = Instant::now();
            store.queue(&f).unwrap();
            switching.push(t.elapsed());
        }
        report(
            &format!(
                "queue: switching among three filters, counts {}",
                if remembered {
                    "remembered"
                } else {
                    "counted each time"
                }
            ),
            switching,
            None,
            Some(base),
        );
    }
    let opens_p50 = report(
        "open (key given + migration check)",
        opens,
        Some(300.0),
        None,
    );
    report("dashboard counts, right after open", dashboards, None, None);

    let open_ids: Vec<(String, u64)> = store
        .queue(&QueueFilter {
            status: Some(Status::PendingUnitReview),
            review_state: Some(jxjy_core::ReviewState::Open),
            limit: 300,
            ..QueueFilter::default()
        })
        .unwrap()
        .rows
        .into_iter()
        .map(|r| (r.id, r.version))
        .collect();
    let mut writes = Vec::new();
    for (i, (id, version)) in open_ids.iter().enumerate() {
        let d = Decision {
            declaration_id: id.clone(),
            declaration_version: *version,
            outcome: Outcome::Return,
            credited_hours: None,
            category: None,
            reason: Some("证明材料不清晰，请重新上传".into()),
            reviewer: "bench".into(),
            decided_at: now,
            idempotency_key: format!("bench-{i}"),
        };
        let t = Instant::now();
        store.decide(&d, now).unwrap();
        writes.push(t.elapsed());
    }
    report(
        "decide (decision + outbox + audit, fsync)",
        writes,
        Some(5.0),
        None,
    );

    // 100,000 audit entries (audited ID readings; fsync off while filling): the first open
    // after them walks them all once, every later open only the checkpoint entry (#17).
    let staff_id = input.staff[0].id.clone();
    store
        .raw_connection()
        .execute_batch("PRAGMA synchronous = OFF;")
        .unwrap();
    let t = Instant::now();
    for _ in 0..100_000 {
        store.reveal_id_number(&staff_id, "bench", now).unwrap();
    }
    println!(
        "audit: 100,000 entries added in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    drop(store);
    let t = Instant::now();
    let s = Store::open(&home, &profile, &key).unwrap();
    let first = t.elapsed();
    assert!(s.audit_at_open().ok());
    drop(s);
    let mut later = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let s = Store::open(&home, &profile, &key).unwrap();
        later.push(t.elapsed());
        assert!(s.audit_at_open().ok());
    }
    println!(
        "open right after 100,000 new audit entries (they are all checked once): {:.0} ms",
        first.as_secs_f64() * 1000.0
    );
    // What the reviewer waits for: the unlock secret's Argon2id, then the open.
    let mut derives = Vec::new();
    let mut unlocked_opens = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let k = unlock::unlock(&home, &profile, SECRET, now).unwrap();
        derives.push(t.elapsed());
        let s = Store::open(&home, &profile, &k).unwrap();
        unlocked_opens.push(t.elapsed());
        assert!(s.audit_at_open().ok());
    }
    let derive_p50 = report(
        "unlock alone (Argon2id 64 MiB, t=3, p=1)",
        derives,
        None,
        None,
    );
    report(
        "unlock + open, 100,000 audit entries",
        unlocked_opens,
        Some(300.0 + ms(derive_p50)),
        Some(derive_p50),
    );
    report(
        "open with 100,000 audit entries checked before (checkpoint)",
        later,
        Some(300.0),
        Some(opens_p50),
    );
    let store = Store::open(&home, &profile, &key).unwrap();
    let t = Instant::now();
    assert!(store.verify_audit().unwrap().ok());
    println!(
        "jxjy audit verify: the whole chain of {} entries in {:.0} ms",
        store.audit_at_open().entries,
        t.elapsed().as_secs_f64() * 1000.0
    );
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}
