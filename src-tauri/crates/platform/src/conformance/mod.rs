//! The conformance suite a platform vendor runs against an implementation of
//! `docs/openapi.json`: it drives the contract over HTTP as the app would — login and token
//! rotation, delta pulls with cursors and checksums, evidence ranges, idempotent batched pushes,
//! conflicts, scope, the problem format, compression — and reports a pass or a fail per check.
//!
//! It changes data: three pending declarations of the unit are decided (one returned, one
//! approved). Run it against a test unit.

mod auth;
mod evidence;
mod http;
mod pulls;
mod push;
mod wire;

pub use http::Http;

use jxjy_core::{Declaration, RuleSet, Staff};
use zeroize::Zeroizing;

/// Where and as whom the suite runs.
pub struct Target {
    /// The implementation's base URL, e.g. `https://platform.example/`.
    pub base: String,
    pub user: String,
    pub password: Zeroizing<String>,
    /// The unit to pull; the login's unit when absent.
    pub unit: Option<String>,
    /// The reviewed year for the rule set; the most common year of the unit's declarations
    /// when absent.
    pub year: Option<i32>,
}

/// One check's result: `Ok(what was seen)` or `Err(what was wrong)`.
pub struct Check {
    pub name: &'static str,
    pub result: Result<String, String>,
}

impl Check {
    /// The line printed for it.
    pub fn line(&self) -> String {
        match &self.result {
            Ok(seen) => format!("PASS {:<28} {seen}", self.name),
            Err(why) => format!("FAIL {:<28} {why}", self.name),
        }
    }
}

/// All checks, in the order they ran.
#[derive(Default)]
pub struct Report {
    pub checks: Vec<Check>,
}

impl Report {
    pub fn failed(&self) -> usize {
        self.checks.iter().filter(|c| c.result.is_err()).count()
    }

    pub fn summary(&self) -> String {
        format!(
            "conformance: {} checks, {} passed, {} failed",
            self.checks.len(),
            self.checks.len() - self.failed(),
            self.failed()
        )
    }
}

/// What earlier checks learned that later ones need.
pub(crate) struct Context {
    pub http: Http,
    pub target: Target,
    pub access: Option<String>,
    pub unit: String,
    pub staff: Vec<Staff>,
    pub declarations: Vec<Declaration>,
    pub rules: Option<RuleSet>,
    pub year: i32,
}

/// A check's outcome.
pub(crate) type Outcome = Result<String, String>;

/// Fails unless `cond`, with `why`.
pub(crate) fn ensure(cond: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if cond {
        Ok(())
    } else {
        Err(why())
    }
}

/// Runs every check against `target`, calling `each` as each one ends.
pub async fn run(target: Target, mut each: impl FnMut(&Check)) -> Report {
    let mut report = Report::default();
    let http = match Http::new(&target.base) {
        Ok(h) => h,
        Err(why) => {
            let c = Check {
                name: "setup",
                result: Err(why),
            };
            each(&c);
            report.checks.push(c);
            return report;
        }
    };
    let mut cx = Context {
        http,
        unit: target.unit.clone().unwrap_or_default(),
        target,
        access: None,
        staff: Vec::new(),
        declarations: Vec::new(),
        rules: None,
        year: 0,
    };
    let mut record = |name: &'static str, result: Outcome, report: &mut Report| {
        let c = Check { name, result };
        each(&c);
        report.checks.push(c);
    };
    record("auth.login", auth::login(&mut cx).await, &mut report);
    if cx.access.is_none() {
        return report;
    }
    record(
        "auth.wrong_password",
        auth::wrong_password(&cx).await,
        &mut report,
    );
    record("auth.no_token", auth::no_token(&cx).await, &mut report);
    record("pull.staff", pulls::staff(&mut cx).await, &mut report);
    record(
        "pull.declarations",
        pulls::declarations(&mut cx).await,
        &mut report,
    );
    record("pull.resume", pulls::resume(&cx).await, &mut report);
    record("pull.bad_cursor", pulls::bad_cursor(&cx).await, &mut report);
    record("pull.changes", pulls::changes(&cx).await, &mut report);
    record(
        "scope.other_unit",
        pulls::other_unit(&cx).await,
        &mut report,
    );
    record("rules.year", pulls::rules(&mut cx).await, &mut report);
    record(
        "rules.missing_year",
        pulls::rules_without_year(&cx).await,
        &mut report,
    );
    for (name, result) in evidence::all(&cx).await {
        record(name, result, &mut report);
    }
    record(
        "wire.gzip_response",
        wire::compressed_answer(&cx, "gzip").await,
        &mut report,
    );
    record(
        "wire.zstd_response",
        wire::compressed_answer(&cx, "zstd").await,
        &mut report,
    );
    record(
        "wire.gzip_request",
        wire::compressed_request(&cx).await,
        &mut report,
    );
    record("wire.bad_json", wire::bad_json(&cx).await, &mut report);
    for (name, result) in push::all(&cx).await {
        record(name, result, &mut report);
    }
    record(
        "auth.refresh_rotation",
        auth::refresh_rotation(&cx).await,
        &mut report,
    );
    record(
        "auth.refresh_reuse",
        auth::refresh_reuse(&cx).await,
        &mut report,
    );
    record("auth.logout", auth::logout(&cx).await, &mut report);
    let (dates, problems) = cx.http.wire_findings();
    record("wire.date_header", dates, &mut report);
    record("wire.problem_format", problems, &mut report);
    report
}
