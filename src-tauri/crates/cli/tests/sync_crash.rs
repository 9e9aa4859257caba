//! The headless flow with a real keyring (Linux keyutils, in a named session keyring shared by
//! the processes of this test) against the reference platform on loopback: `jxjy sync` is
//! SIGKILLed at random moments during pull and push, 120 times; after one clean sync, client
//! and server agree and every decision is on the server exactly once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use jxjy_core::synth::Rng;
use jxjy_platform::api::Config;
use jxjy_platform::faults::{FaultConfig, RateLimiter};
use jxjy_platform::seed::{seed, SeedParams};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

const SECRET: &str = "97531024";

/// Writes `line` and closes stdin.
fn feed(child: &mut Child, line: &str) {
    if let Some(mut stdin) = child.stdin.take() {
        let _ = writeln!(stdin, "{line}");
    }
}

struct Env {
    home: PathBuf,
    session: String,
}

impl Env {
    fn command(&self, args: &[&str]) -> Command {
        let mut c = common::jxjy_command(&self.session);
        c.args(args)
            .env("JXJY_HOME", &self.home)
            // Keyutils entries can outlive the session keyring (they are linked into the user's
            // persistent keyring), so two runs of this test at once must not share a profile name.
            .env("JXJY_PROFILE", format!("crash-{}", std::process::id()))
            .stderr(Stdio::piped())
            .stdout(Stdio::piped());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut child = self
            .unlocked(args)
            .spawn()
            .expect("keyctl (package keyutils) runs jxjy");
        feed(&mut child, SECRET);
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "jxjy {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_slice(&self.run(args).stdout).unwrap()
    }

    /// Runs with the unlock secret on stdin (as every profile-opening command needs).
    fn unlocked(&self, args: &[&str]) -> Command {
        let mut c = self.command(args);
        c.arg("--unlock-stdin").stdin(Stdio::piped());
        c
    }

    fn spawn(&self, args: &[&str]) -> Child {
        let mut child = self.unlocked(args).stdout(Stdio::null()).spawn().unwrap();
        feed(&mut child, SECRET);
        child
    }
}

fn server_state(db: &Path) -> HashMap<String, (u64, String)> {
    let conn = jxjy_platform::db::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, version, status FROM declarations WHERE deleted = 0")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            (r.get::<_, i64>(1)? as u64, r.get::<_, String>(2)?),
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// Kills `child` a random time after its sync began (its first progress line: the unlock
/// before it takes as long as the machine makes it, so the moments are counted from there).
fn kill_at_random(child: &mut Child, rng: &mut Rng, max_ms: u64) {
    use std::io::BufRead;
    if let Some(err) = child.stderr.take() {
        let mut err = std::io::BufReader::new(err);
        let mut first = String::new();
        let _ = err.read_line(&mut first);
        // Keep reading, so the child never writes into a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
    }
    std::thread::sleep(Duration::from_millis(rng.below(max_ms)));
    // SIGKILL; the child may already have finished, which is a moment too.
    let _ = child.kill();
    child.wait().unwrap();
}

#[test]
fn sigkill_during_sync_loses_and_doubles_nothing() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = std::env::temp_dir().join(format!("jxjy-cli-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("platform.db");
    let mut conn = jxjy_platform::db::open(&db).unwrap();
    let report = seed(
        &mut conn,
        &SeedParams {
            units: 1,
            staff_per_unit: 150,
            declarations_per_staff: 10,
            evidence: false,
            seed: 8,
            year: 2019,
        },
    )
    .unwrap();
    let account = report.accounts[0].clone();
    let addr: SocketAddr = rt
        .block_on(jxjy_platform::api::spawn_server(
            "127.0.0.1:0",
            conn,
            Config::default(),
            FaultConfig::default(),
            RateLimiter::new(0.0, 1.0),
        ))
        .unwrap();
    let env = Env {
        home: dir.join("home"),
        session: format!("jxjy-crash-{}", std::process::id()),
    };
    let url = format!("http://{addr}");

    let mut login = env
        .command(&[
            "login",
            "--server",
            &url,
            "--user",
            &account.username,
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    login
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{}\n{SECRET}\n", account.password).as_bytes())
        .unwrap();
    let out = login.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "login: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut rng = Rng::new(77);
    let mut kills = 0;
    // Killed while pulling (small pages, so there are many commits to land between).
    for _ in 0..60 {
        let mut c = env.spawn(&["sync", "--no-evidence", "--page-size", "20"]);
        kill_at_random(&mut c, &mut rng, 400);
        kills += 1;
    }
    env.run(&["sync", "--no-evidence"]);

    // Decide some, then kill syncs while they push (and pull again), deciding more in between.
    let queue = env.json(&["queue", "--status", "pending_unit_review", "--json"]);
    let ids: Vec<String> = queue
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["declaration"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.len() >= 120, "{} pending", ids.len());
    let mut decided: HashSet<String> = HashSet::new();
    let mut next = 0;
    for round in 0..60 {
        for _ in 0..2 {
            let id = &ids[next];
            next += 1;
            let args: Vec<&str> = if round % 3 == 0 {
                vec![
                    "decide",
                    id,
                    "return",
                    "--reason",
                    "证明材料不清晰，请重新上传",
                    "--json",
                ]
            } else {
                vec!["decide", id, "approve", "--json"]
            };
            let rec = env.json(&args);
            decided.insert(rec["key"].as_str().unwrap().to_owned());
        }
        let mut c = env.spawn(&["sync", "--no-evidence", "--page-size", "20"]);
        kill_at_random(&mut c, &mut rng, 600);
        kills += 1;
    }
    assert!(kills >= 100);

    // One clean sync, then compare.
    env.run(&["sync", "--no-evidence"]);
    let status = env.json(&["status", "--json"]);
    assert_eq!(status["pending"], 0, "{status}");
    assert_eq!(status["conflicts"], 0, "{status}");
    assert_eq!(status["rejected"], 0, "{status}");
    let held = jxjy_platform::manage::decisions(&jxjy_platform::db::open(&db).unwrap()).unwrap();
    let held_keys: HashSet<String> = held.iter().map(|d| d.idempotency_key.clone()).collect();
    assert_eq!(held.len(), decided.len(), "nothing doubled");
    assert_eq!(held_keys, decided, "nothing lost");

    let server = server_state(&db);
    let local: HashMap<String, (u64, String)> = env
        .json(&["queue", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let d = &v["declaration"];
            (
                d["id"].as_str().unwrap().to_owned(),
                (
                    d["version"].as_u64().unwrap(),
                    d["status"].as_str().unwrap().to_owned(),
                ),
            )
        })
        .collect();
    assert_eq!(local, server, "client and server agree");
    let _ = std::fs::remove_dir_all(&dir);
}
