//! Crash safety: a child process writes decisions in a loop and is SIGKILLed at random moments,
//! 200 times. After each kill the database is intact, the audit chain verifies, and every
//! decision whose commit returned is there exactly once, with its outbox entry.
//!
//! Nothing here depends on how fast the machine is: the child never runs out of work (when no
//! open declaration is left it receives a fresh batch, as a pull would bring), and each kill
//! comes after a number of commits the parent has counted plus a random pause, so every round
//! kills a child that is still writing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use jxjy_core::synth::{generate, Rng, SynthParams};
use jxjy_core::{RuleSet, Status};
use jxjy_store::import::PullPage;
use jxjy_store::queries::QueueFilter;
use jxjy_store::{ProfileName, Sensitive, Store};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

const CHILD_ENV: &str = "JXJY_CRASH_CHILD_DB";
/// The child's number, given by the parent: the prefix of its decision keys.
const ROUND_ENV: &str = "JXJY_CRASH_CHILD_ROUND";
const ROUNDS: usize = 200;
/// The unit the parent seeds and the child replenishes from: small, so replenishing happens.
const STAFF: usize = 40;
const PER_STAFF: usize = 10;
const SEED: u64 = 11;

fn key() -> [u8; 32] {
    *key_from(42).expose()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Not a test on its own: the body of the child process that `sigkill_*` spawns. It reads the
/// database key on stdin (never from the environment) and decides until it is killed.
#[test]
fn crash_child_writer() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).unwrap();
    let mut k = [0u8; 32];
    for (i, b) in k.iter_mut().enumerate() {
        *b = u8::from_str_radix(&text.trim()[i * 2..i * 2 + 2], 16).unwrap();
    }
    let profile = ProfileName::new("crash").unwrap();
    let mut store = Store::open_path(path.as_ref(), profile, &Sensitive::new(k)).unwrap();
    let mut out = std::io::stdout();
    writeln!(out, "READY").unwrap();
    out.flush().unwrap();
    // The parent numbers its children: process ids are reused (quickly under Wine), so they
    // cannot tell one child's keys from an earlier one's.
    let pid = std::env::var(ROUND_ENV).unwrap();
    let mut batch = 0u32;
    for n in 0u64.. {
        let next = store
            .queue(&QueueFilter {
                status: Some(Status::PendingUnitReview),
                review_state: Some(jxjy_core::ReviewState::Open),
                limit: 1,
                ..QueueFilter::default()
            })
            .unwrap()
            .rows;
        let Some(row) = next.first() else {
            // Out of open declarations: more arrive, so the work never ends before the kill.
            batch += 1;
            replenish(&mut store, &format!("{pid}-{batch}"));
            continue;
        };
        if store.declaration(&row.id).unwrap().evaluation.is_none() {
            // An earlier child was killed between a batch's arrival and its evaluation: evaluate
            // now, as the app's next sync would.
            evaluate(&mut store);
            continue;
        }
        let key = format!("{pid}-{n}");
        let decision = approve(&store, &row.id, &key);
        store.decide(&decision, now()).unwrap();
        writeln!(out, "COMMITTED {key}").unwrap();
        out.flush().unwrap();
    }
}

/// Adds a copy of the synthetic unit's declarations under new ids (`tag` makes them unique)
/// and evaluates them, as a pull of new declarations would.
fn replenish(store: &mut Store, tag: &str) {
    arrive(store, tag);
    evaluate(store);
}

/// The copy arrives, not yet evaluated (a kill can fall between the two).
fn arrive(store: &mut Store, tag: &str) {
    let input = generate(&SynthParams {
        staff: STAFF,
        declarations_per_staff: PER_STAFF,
        seed: SEED,
        ..SynthParams::default()
    });
    let declarations = input
        .declarations
        .into_iter()
        .map(|mut d| {
            d.id = format!("{}-{tag}", d.id);
            d
        })
        .collect();
    let page = PullPage {
        scope: jxjy_core::SyncScope::Declarations,
        declarations,
        cursor: format!("c-{tag}"),
        ..PullPage::empty(jxjy_core::SyncScope::Declarations)
    };
    store.apply_page(&page, now()).unwrap();
}

fn evaluate(store: &mut Store) {
    store
        .reevaluate(&RuleSet::for_year(2019).unwrap(), 2019, today())
        .unwrap();
}

fn check(path: &std::path::Path, committed: &[String]) {
    let store = Store::open_path(
        path,
        ProfileName::new("crash").unwrap(),
        &Sensitive::new(key()),
    )
    .unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let audit = store.verify_audit().unwrap();
    assert!(audit.ok(), "{:?}", audit.problem);
    let conn = store.raw_connection();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let decisions = count("SELECT count(*) FROM decisions");
    assert_eq!(
        decisions,
        count("SELECT count(*) FROM outbox"),
        "every decision has its outbox entry"
    );
    assert_eq!(
        decisions, audit.entries,
        "every decision has its audit entry"
    );
    assert_eq!(
        decisions,
        count("SELECT count(*) FROM declarations WHERE review_state = 'decided'"),
        "every decision marked its declaration"
    );
    let in_outbox: HashSet<String> = conn
        .prepare("SELECT d.key FROM decisions d JOIN outbox o ON o.decision_key = d.key")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for k in committed {
        assert!(
            in_outbox.contains(k),
            "decision {k} was committed but is missing"
        );
    }
}

#[test]
fn sigkill_while_writing_loses_and_doubles_nothing() {
    keyring();
    let home = temp_home();
    let path = home.root().join("crash.db");
    {
        let mut store = Store::open_path(
            &path,
            ProfileName::new("crash").unwrap(),
            &Sensitive::new(key()),
        )
        .unwrap();
        fill(&mut store, STAFF, PER_STAFF, SEED);
        // As a child killed between a batch's arrival and its evaluation leaves it: the
        // children must cope with declarations that have no evaluation yet.
        arrive(&mut store, "unevaluated");
    }
    let exe = std::env::current_exe().unwrap();
    let mut rng = Rng::new(2024);
    let mut committed: Vec<String> = Vec::new();
    let mut waited_for = 0usize;
    let mut kills = 0;
    let child_log = home.root().join("child-stderr.txt");
    for round in 0..ROUNDS {
        let mut child = Command::new(&exe)
            .args([
                "crash_child_writer",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .env(ROUND_ENV, format!("child{round}"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // Kept, so that a child that dies on its own says why.
            .stderr(std::fs::File::create(&child_log).unwrap())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(hex(&key()).as_bytes())
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut line = String::new();
                match r.read_line(&mut line) {
                    Ok(0) | Err(_) => break,
                    // A line cut by the kill has no newline: its commit may not have returned.
                    Ok(_) if line.ends_with('\n') => {
                        if tx.send(line.trim_end().to_owned()).is_err() {
                            break;
                        }
                    }
                    Ok(_) => break,
                }
            }
        });
        // Wait for the child to be ready and for a few of its commits (the count, not a time,
        // decides how far it got), then kill it at a random moment of the work that follows.
        // (The test harness may print its own words before ours on the same line.)
        let ready = rx
            .iter()
            .find(|l| l.ends_with("READY") || l.starts_with("COMMITTED"))
            .expect("child started");
        assert!(ready.ends_with("READY"), "{ready}");
        let wait = usize::try_from(rng.below(4)).unwrap();
        let mut seen = Vec::new();
        while seen.len() < wait {
            let Ok(line) = rx.recv() else { break };
            if let Some(k) = line.strip_prefix("COMMITTED ") {
                seen.push(k.to_owned());
            }
        }
        if seen.len() < wait {
            let _ = child.wait();
            panic!(
                "the child stopped writing before it was killed ({} of {wait} commits seen); its stderr:\n{}",
                seen.len(),
                std::fs::read_to_string(&child_log).unwrap_or_default()
            );
        }
        waited_for += wait;
        std::thread::sleep(Duration::from_micros(rng.below(30_000)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
        reader.join().unwrap();
        committed.extend(seen);
        for line in rx.try_iter() {
            if let Some(k) = line.strip_prefix("COMMITTED ") {
                committed.push(k.to_owned());
            }
        }
        check(&path, &committed);
    }
    eprintln!("{kills} kills, {} decisions committed", committed.len());
    assert_eq!(kills, ROUNDS);
    let unique: HashSet<&String> = committed.iter().collect();
    assert_eq!(unique.len(), committed.len());
    assert!(
        committed.len() >= waited_for,
        "every commit the parent waited for is counted: {} of {waited_for}",
        committed.len()
    );
}
