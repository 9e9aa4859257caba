//! Crash safety: a child process writes decisions in a loop and is SIGKILLed at random moments,
//! 200 times. After each kill the database is intact, the audit chain verifies, and every
//! decision whose commit returned is there exactly once, with its outbox entry.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use jxjy_core::synth::Rng;
use jxjy_core::Status;
use jxjy_store::queries::QueueFilter;
use jxjy_store::{ProfileName, Sensitive, Store};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

const CHILD_ENV: &str = "JXJY_CRASH_CHILD_DB";
const ROUNDS: usize = 200;

fn key() -> [u8; 32] {
    key_from(42)()
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
    let pid = std::process::id();
    for n in 0.. {
        let next = store
            .queue(&QueueFilter {
                status: Some(Status::PendingUnitReview),
                review_state: Some("open".into()),
                limit: 1,
                ..QueueFilter::default()
            })
            .unwrap()
            .rows;
        let Some(row) = next.first() else { break };
        let key = format!("{pid}-{n}");
        let decision = approve(&store, &row.id, &key);
        store.decide(&decision, now()).unwrap();
        writeln!(out, "COMMITTED {key}").unwrap();
        out.flush().unwrap();
    }
    writeln!(out, "DONE").unwrap();
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
        fill(&mut store, 700, 10, 11);
    }
    let exe = std::env::current_exe().unwrap();
    let mut rng = Rng::new(2024);
    let mut committed: Vec<String> = Vec::new();
    let mut kills = 0;
    for _ in 0..ROUNDS {
        let mut child = Command::new(&exe)
            .args([
                "crash_child_writer",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
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
        // Wait for the child to be ready, then kill it at a random moment. (The test harness
        // may print its own words before ours on the same line.)
        let ready = rx
            .iter()
            .find(|l| l.ends_with("READY") || l.starts_with("COMMITTED"))
            .expect("child started");
        assert!(ready.ends_with("READY"), "{ready}");
        std::thread::sleep(Duration::from_micros(rng.below(120_000)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
        reader.join().unwrap();
        let mut done = false;
        for line in rx.try_iter() {
            if let Some(k) = line.strip_prefix("COMMITTED ") {
                committed.push(k.to_owned());
            }
            done |= line == "DONE";
        }
        check(&path, &committed);
        assert!(
            !done,
            "the child ran out of work before it was killed; seed more declarations"
        );
    }
    eprintln!("{kills} kills, {} decisions committed", committed.len());
    assert_eq!(kills, ROUNDS);
    let unique: HashSet<&String> = committed.iter().collect();
    assert_eq!(unique.len(), committed.len());
    assert!(
        committed.len() > ROUNDS / 4,
        "the child made progress: {}",
        committed.len()
    );
}
