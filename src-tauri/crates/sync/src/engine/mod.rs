//! The sync engine: log in, pull (rules, roster, declarations) by cursor, push the outbox,
//! pull again to see the platform's answers, evaluate, and fetch evidence — each step retried
//! over bad links and safe to interrupt at any moment.

mod auth;
mod evidence;
mod pull;
mod push;

use crate::client::Client;
use crate::error::SyncError;
use crate::progress::{CancelToken, Phase, Progress, ProgressSink};
use crate::retry::RetryPolicy;
use crate::wire::TokenResponse;
use chrono::{DateTime, NaiveDate, Utc};
use jxjy_core::synth::Rng;
use jxjy_core::{RuleSet, SyncScope};
use jxjy_store::keys::{self, Tokens};
use jxjy_store::{ProfileName, Sensitive, Store};
use serde::Serialize;

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncReport {
    pub staff_received: u64,
    pub declarations_received: u64,
    pub tombstones: u64,
    /// Scopes pulled again from the start because the checksum did not match.
    pub repulled: Vec<SyncScope>,
    /// Scopes whose checksum still differed after a full pull.
    pub checksum_mismatch: Vec<SyncScope>,
    pub applied: u64,
    /// Push requests sent (retries included).
    pub push_requests: u64,
    pub conflicts: u64,
    pub rejected: u64,
    pub evidence_downloaded: u64,
    pub evidence_failed: u64,
    /// Spot-check findings the platform stored (or already had).
    pub findings_sent: u64,
    pub requests: u64,
    pub retries: u64,
    pub bytes_down: u64,
    pub bytes_up: u64,
    pub clock_offset_secs: Option<i64>,
    /// The platform's audit anchor showed the local chain rewritten or truncated.
    pub audit_problem: Option<String>,
}

/// What a sync includes.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub evidence: bool,
    /// The declaration on screen: its evidence is fetched first.
    pub evidence_first: Option<String>,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            evidence: true,
            evidence_first: None,
        }
    }
}

pub struct Engine<'a> {
    store: &'a mut Store,
    client: Client,
    profile: ProfileName,
    sink: &'a dyn ProgressSink,
    cancel: CancelToken,
    rng: Rng,
    now: &'a (dyn Fn() -> DateTime<Utc> + Sync),
    pub policy: RetryPolicy,
    pub page_size: usize,
    /// The platform's page-size limit.
    pub max_page_size: usize,
    pub batch_size: usize,
    /// Evidence files downloaded at the same time.
    pub evidence_concurrency: usize,
    progress: Progress,
    report: SyncReport,
    access: Option<String>,
}

/// Logs in and keeps the tokens in the OS keyring; the password is not stored anywhere.
pub async fn login(
    store: &mut Store,
    client: &Client,
    username: &str,
    password: &str,
    year: i32,
) -> Result<TokenResponse, SyncError> {
    let answer = client.login(username, password).await?;
    let t = answer.body;
    keys::save_tokens(
        store.profile(),
        &Tokens {
            access: Sensitive::new(t.access_token.clone()),
            refresh: Sensitive::new(t.refresh_token.clone()),
        },
    )?;
    store.set_login_meta(client.base(), &t.username, &t.unit_id, &t.unit_name, year)?;
    Ok(t)
}

impl<'a> Engine<'a> {
    pub fn new(
        store: &'a mut Store,
        client: Client,
        sink: &'a dyn ProgressSink,
        cancel: CancelToken,
        seed: u64,
        now: &'a (dyn Fn() -> DateTime<Utc> + Sync),
    ) -> Engine<'a> {
        let profile = store.profile().clone();
        Engine {
            store,
            client,
            profile,
            sink,
            cancel,
            rng: Rng::new(seed),
            now,
            policy: RetryPolicy::default(),
            page_size: 500,
            max_page_size: 5000,
            batch_size: 200,
            evidence_concurrency: 3,
            progress: Progress {
                phase: Phase::Login,
                items_done: 0,
                items_total: None,
                bytes_down: 0,
                bytes_up: 0,
            },
            report: SyncReport::default(),
            access: None,
        }
    }

    fn phase(&mut self, phase: Phase, total: Option<u64>) {
        self.progress.phase = phase;
        self.progress.items_done = 0;
        self.progress.items_total = total;
        self.sink.report(&self.progress);
    }

    fn advance(&mut self, items: u64, down: u64, up: u64) {
        self.progress.items_done += items;
        self.progress.bytes_down += down;
        self.progress.bytes_up += up;
        self.report.bytes_down += down;
        self.report.bytes_up += up;
        self.sink.report(&self.progress);
    }

    async fn run(&mut self, options: &SyncOptions) -> Result<SyncReport, SyncError> {
        let meta = self.store.profile_meta()?;
        let unit = meta.unit_id.ok_or(SyncError::NotLoggedIn)?;
        let year = meta.review_year;
        self.phase(Phase::PullDeclarations, None);
        self.pull_changes(&unit).await?;
        let pushed = self.push().await?;
        self.push_findings().await?;
        if pushed > 0 {
            // The platform's answers changed versions and statuses: see them now.
            self.pull_scope(&unit, SyncScope::Declarations).await?;
        }
        self.phase(Phase::Evaluate, None);
        let rules = self.rules(year).await?;
        let today: NaiveDate = (self.now)().date_naive();
        self.store.reevaluate(&rules, year, today)?;
        if options.evidence {
            self.evidence(options.evidence_first.as_deref()).await?;
        }
        Ok(self.report.clone())
    }

    /// The platform's rule set for the year, fetched at most once a day (rule sets change
    /// rarely; a sync with nothing new should cost next to nothing); the built-in one when the
    /// platform has none.
    async fn rules(&mut self, year: i32) -> Result<RuleSet, SyncError> {
        let now = (self.now)();
        let fresh = self
            .store
            .meta("rules_fetched_at")?
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .is_some_and(|t| now.signed_duration_since(t) < chrono::Duration::hours(24));
        if fresh {
            if let Some(cached) = self.store.meta(&format!("rules_{year}"))? {
                if let Ok(r) = RuleSet::from_json(&cached) {
                    return Ok(r);
                }
            }
        }
        let doc = self
            .call(|c, t| async move { c.rules(&t, year).await })
            .await;
        match doc {
            Ok(v) => {
                let text = v.to_string();
                let rules =
                    RuleSet::from_json(&text).map_err(|e| SyncError::BadData(e.to_string()))?;
                self.store.set_meta(&format!("rules_{year}"), &text)?;
                self.store.set_meta("rules_fetched_at", &now.to_rfc3339())?;
                Ok(rules)
            }
            Err(SyncError::Refused { status: 404, .. }) => {
                RuleSet::for_year(year).map_err(|e| SyncError::BadData(e.to_string()))
            }
            Err(e) => Err(e),
        }
    }

    /// A whole sync. Its outcome is recorded for the status summary.
    pub async fn sync(&mut self, options: &SyncOptions) -> Result<SyncReport, SyncError> {
        let started = (self.now)().to_rfc3339();
        self.store.set_meta("last_attempt", &started)?;
        let result = self.run(options).await;
        match &result {
            Ok(report) => {
                self.store
                    .set_meta("last_sync", &(self.now)().to_rfc3339())?;
                self.store.set_meta("last_error", "")?;
                if let Some(o) = report.clock_offset_secs {
                    self.store.set_meta("clock_offset_secs", &o.to_string())?;
                }
            }
            Err(e) => self.store.set_meta("last_error", &e.to_string())?,
        }
        self.phase(Phase::Done, None);
        result
    }
}
