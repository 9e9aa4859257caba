//! A reference platform seeded and served on loopback, and reviewer sites that run the real
//! `jxjy` with the real keyring (on Linux keyutils, in a session keyring named for the test; on
//! Windows the Credential Manager).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use jxjy_platform::api::Config;
use jxjy_platform::faults::{FaultConfig, RateLimiter};
use jxjy_platform::seed::{seed, Account, SeedParams};
use serde_json::Value;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub struct Platform {
    pub dir: PathBuf,
    pub db: PathBuf,
    pub url: String,
    pub account: Account,
    _rt: tokio::runtime::Runtime,
}

/// Seeds one unit (with evidence files) and serves it on a free loopback port.
pub fn platform(tag: &str, staff: usize, per_staff: usize) -> Platform {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = std::env::temp_dir().join(format!("jxjy-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("platform.db");
    let mut conn = jxjy_platform::db::open(&db).unwrap();
    let report = seed(
        &mut conn,
        &SeedParams {
            units: 1,
            staff_per_unit: staff,
            declarations_per_staff: per_staff,
            evidence: true,
            seed: 11,
            year: 2019,
        },
    )
    .unwrap();
    let addr: SocketAddr = rt
        .block_on(jxjy_platform::api::spawn_server(
            "127.0.0.1:0",
            conn,
            Config::default(),
            FaultConfig::default(),
            RateLimiter::new(0.0, 1.0),
        ))
        .unwrap();
    Platform {
        url: format!("http://{addr}"),
        account: report.accounts[0].clone(),
        dir,
        db,
        _rt: rt,
    }
}

/// The real `jxjy` with a real keyring its processes share: on Linux the kernel keyring, in the
/// session keyring `session` (keyctl runs jxjy in it); on Windows the Credential Manager.
pub fn jxjy_command(session: &str) -> Command {
    if cfg!(windows) {
        let mut c = Command::new(env!("CARGO_BIN_EXE_jxjy"));
        c.env("JXJY_KEYRING", "os");
        c
    } else {
        let mut c = Command::new("keyctl");
        c.args(["session", session, env!("CARGO_BIN_EXE_jxjy")])
            .env("JXJY_KEYRING", "keyutils");
        c
    }
}

impl Platform {
    pub fn site(&self, profile: &'static str) -> Site {
        Site {
            home: self.dir.join(profile),
            profile,
            session: format!("jxjy-{}-{}", self.dir.display(), std::process::id())
                .replace(['/', '.'], "-"),
        }
    }

    /// Logs `site` in as the unit's reviewer.
    pub fn login(&self, site: &Site) {
        site.ok(
            &[
                "login",
                "--server",
                &self.url,
                "--user",
                &self.account.username,
                "--password-stdin",
            ],
            &self.account.password,
        );
    }

    pub fn conn(&self) -> rusqlite::Connection {
        jxjy_platform::db::open(&self.db).unwrap()
    }
}

pub struct Site {
    pub home: PathBuf,
    pub profile: &'static str,
    pub session: String,
}

/// The unlock secret every test site chooses at its first login.
pub const SECRET: &str = "24681357";

impl Site {
    /// Runs `jxjy` as a script would: `login` gets the unlock secret on the line after the
    /// password; every other command gets `--unlock-stdin` and the secret before `stdin`.
    pub fn run_with(&self, args: &[&str], stdin: &str) -> Output {
        if args.first() == Some(&"login") {
            return self.run_raw(args, &format!("{stdin}\n{SECRET}\n"));
        }
        let mut with_unlock = args.to_vec();
        with_unlock.push("--unlock-stdin");
        self.run_raw(&with_unlock, &format!("{SECRET}\n{stdin}"))
    }

    /// Runs `jxjy` with exactly `args` and `stdin`.
    pub fn run_raw(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = jxjy_command(&self.session)
            .args(args)
            .env("JXJY_HOME", &self.home)
            .env("JXJY_PROFILE", self.profile)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("keyctl (package keyutils) runs jxjy");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    /// Runs and expects success; stdout as JSON (null when it is not JSON).
    pub fn ok(&self, args: &[&str], stdin: &str) -> Value {
        let out = self.run_with(args, stdin);
        assert!(
            out.status.success(),
            "jxjy {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
    }
}

pub fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}
