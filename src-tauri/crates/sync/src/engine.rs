//! The sync engine: log in, pull (rules, roster, declarations) by cursor, push the outbox,
//! pull again to see the platform's answers, evaluate, and fetch evidence — each step retried
//! over bad links and safe to interrupt at any moment.

use crate::client::{Answer, Client};
use crate::error::SyncError;
use crate::progress::{CancelToken, Phase, Progress, ProgressSink};
use crate::retry::RetryPolicy;
use crate::wire::{FindingItem, PushItem, PushResult, TokenResponse};
use chrono::{DateTime, NaiveDate, Utc};
use jxjy_core::synth::Rng;
use jxjy_core::{Declaration, RuleSet, Staff};
use jxjy_store::import::PullPage;
use jxjy_store::keys::{self, Tokens};
use jxjy_store::sync_state::PushOutcome;
use jxjy_store::{ProfileName, Sensitive, Store};
use reqwest::StatusCode;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::time::Duration;

/// What a download task reports back to the queue.
enum Fetch {
    /// The platform sends the whole file: drop what is stored.
    Restart(String),
    Bytes(String, Vec<u8>),
    Done(String, Result<(), SyncError>),
    /// A backoff wait is over.
    Retry(String),
}

/// The download queue's bookkeeping.
#[derive(Default)]
struct Downloads {
    results: HashMap<String, Result<(), SyncError>>,
    /// Where the next bytes of each file go.
    offsets: HashMap<String, u64>,
    attempts: HashMap<String, u32>,
    /// Files waiting out a backoff.
    waiting: HashSet<String>,
    refreshed: bool,
}

/// One attempt at one file from `offset`: sends its bytes in pieces and then how it ended.
async fn fetch_range(
    client: Client,
    token: String,
    sha: String,
    (offset, size): (u64, u64),
    tx: tokio::sync::mpsc::Sender<Fetch>,
) {
    let result = stream_range(&client, &token, &sha, (offset, size), &tx).await;
    // The queue may be gone (cancelled): nothing more to tell.
    let _ = tx.send(Fetch::Done(sha, result)).await;
}

async fn stream_range(
    client: &Client,
    token: &str,
    sha: &str,
    (offset, size): (u64, u64),
    tx: &tokio::sync::mpsc::Sender<Fetch>,
) -> Result<(), SyncError> {
    let gone = |_| SyncError::Cancelled;
    let mut resp = client.evidence(token, sha, offset).await?;
    // No more than the declared size is read, whatever the server sends or says it sends.
    let too_long = || SyncError::Transient("the platform sends more than the file's size".into());
    let mut left = size.saturating_sub(offset);
    match resp.status() {
        StatusCode::PARTIAL_CONTENT => {
            let starts_at = resp
                .headers()
                .get(reqwest::header::CONTENT_RANGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("bytes "))
                .and_then(|v| v.split('-').next())
                .and_then(|v| v.parse::<u64>().ok());
            if starts_at != Some(offset) {
                tx.send(Fetch::Restart(sha.to_owned()))
                    .await
                    .map_err(gone)?;
                return Err(SyncError::Transient(
                    "the range answer does not continue the file".into(),
                ));
            }
        }
        StatusCode::OK => {
            if offset > 0 {
                tx.send(Fetch::Restart(sha.to_owned()))
                    .await
                    .map_err(gone)?;
                left = size;
            }
        }
        _ => {
            // 416: what is stored does not fit the file; start over.
            tx.send(Fetch::Restart(sha.to_owned()))
                .await
                .map_err(gone)?;
            return Err(SyncError::Transient(
                "range not satisfiable; starting over".into(),
            ));
        }
    }
    // The socket is read as fast as it fills (what sits unread in the kernel is lost when a
    // link resets); pieces go to the writer, and what arrived before a cut is kept.
    if resp.content_length().is_some_and(|n| n > left) {
        return Err(too_long());
    }
    const PIECE: usize = 64 * 1024;
    let mut pending: Vec<u8> = Vec::with_capacity(PIECE);
    let cut = loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if chunk.len() as u64 > left {
                    break Some(too_long());
                }
                left -= chunk.len() as u64;
                pending.extend_from_slice(&chunk);
                if pending.len() >= PIECE {
                    tx.send(Fetch::Bytes(sha.to_owned(), std::mem::take(&mut pending)))
                        .await
                        .map_err(gone)?;
                }
            }
            Ok(None) => break None,
            Err(e) => break Some(SyncError::Transient(format!("download cut: {e}"))),
        }
    };
    if !pending.is_empty() {
        tx.send(Fetch::Bytes(sha.to_owned(), pending))
            .await
            .map_err(gone)?;
    }
    cut.map_or(Ok(()), Err)
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncReport {
    pub staff_received: u64,
    pub declarations_received: u64,
    pub tombstones: u64,
    /// Scopes pulled again from the start because the checksum did not match.
    pub repulled: Vec<String>,
    /// Scopes whose checksum still differed after a full pull.
    pub checksum_mismatch: Vec<String>,
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
    store.set_meta("server", client.base())?;
    store.set_meta("username", &t.username)?;
    store.set_meta("unit_id", &t.unit_id)?;
    store.set_meta("unit_name", &t.unit_name)?;
    store.set_meta("review_year", &year.to_string())?;
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

    fn token(&mut self) -> Result<String, SyncError> {
        if let Some(t) = &self.access {
            return Ok(t.clone());
        }
        let tokens = keys::load_tokens(&self.profile)?.ok_or(SyncError::NotLoggedIn)?;
        let t = tokens.access.expose().clone();
        self.access = Some(t.clone());
        Ok(t)
    }

    /// Rule 3, 401: a new access token with the refresh token from the keyring.
    async fn refresh(&mut self) -> Result<(), SyncError> {
        let tokens = keys::load_tokens(&self.profile)?.ok_or(SyncError::NotLoggedIn)?;
        let answer = self.client.refresh(tokens.refresh.expose()).await?;
        keys::save_tokens(
            &self.profile,
            &Tokens {
                access: Sensitive::new(answer.body.access_token.clone()),
                refresh: Sensitive::new(answer.body.refresh_token.clone()),
            },
        )?;
        self.access = Some(answer.body.access_token);
        Ok(())
    }

    async fn sleep(&self, d: Duration) -> Result<(), SyncError> {
        let step = Duration::from_millis(100);
        let mut left = d;
        while !left.is_zero() {
            if self.cancel.is_cancelled() {
                return Err(SyncError::Cancelled);
            }
            let s = left.min(step);
            tokio::time::sleep(s).await;
            left = left.saturating_sub(s);
        }
        Ok(())
    }

    /// One API call with retries (rule 3) and one re-authentication on 401.
    async fn call<T, F, Fut>(&mut self, mut f: F) -> Result<T, SyncError>
    where
        F: FnMut(Client, String) -> Fut,
        Fut: Future<Output = Result<Answer<T>, SyncError>>,
    {
        let mut attempt = 0;
        let mut refreshed = false;
        loop {
            if self.cancel.is_cancelled() {
                return Err(SyncError::Cancelled);
            }
            let token = self.token()?;
            self.report.requests += 1;
            match f(self.client.clone(), token).await {
                Ok(answer) => {
                    if let Some(t) = answer.server_time {
                        let offset = (t - (self.now)()).num_seconds();
                        self.report.clock_offset_secs = Some(offset);
                    }
                    self.advance(0, answer.bytes, 0);
                    return Ok(answer.body);
                }
                Err(e) => self.recover(e, &mut attempt, &mut refreshed).await?,
            }
        }
    }

    /// What a failed attempt leads to (rule 3): one re-authentication on 401, a backoff wait
    /// on a transient failure (Ok: try again), anything else ends the operation.
    async fn recover(
        &mut self,
        e: SyncError,
        attempt: &mut u32,
        refreshed: &mut bool,
    ) -> Result<(), SyncError> {
        match e {
            SyncError::Unauthorized(_) if !*refreshed => {
                *refreshed = true;
                self.refresh().await
            }
            e if e.is_retryable() => {
                *attempt += 1;
                self.report.retries += 1;
                if self.policy.gives_up(*attempt) {
                    return Err(SyncError::GaveUp {
                        attempts: *attempt,
                        last: e.to_string(),
                    });
                }
                let d = self.policy.delay(*attempt, &e, &mut self.rng);
                self.sleep(d).await
            }
            e => Err(e),
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

    async fn run(&mut self, options: &SyncOptions) -> Result<SyncReport, SyncError> {
        let unit = self.store.meta("unit_id")?.ok_or(SyncError::NotLoggedIn)?;
        let year: i32 = self
            .store
            .meta("review_year")?
            .and_then(|y| y.parse().ok())
            .unwrap_or(2019);
        self.phase(Phase::PullDeclarations, None);
        self.pull_changes(&unit).await?;
        let pushed = self.push().await?;
        self.push_findings().await?;
        if pushed > 0 {
            // The platform's answers changed versions and statuses: see them now.
            self.pull_scope(&unit, "declarations").await?;
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

    /// Pulls one scope page by page, each page committed with its cursor (rule 1). On a count or
    /// checksum mismatch the scope is pulled once more from the start; items the platform no
    /// longer has are then marked withdrawn — nothing is wiped.
    async fn pull_scope(&mut self, unit: &str, scope: &'static str) -> Result<(), SyncError> {
        let mut full = false;
        loop {
            let mut since = if full {
                None
            } else {
                self.store.cursor(scope)?
            };
            let mut seen: HashSet<String> = HashSet::new();
            // Every cursor of this pull: one that comes back is a cycle, not progress.
            let mut cursors: HashSet<String> = HashSet::new();
            // The next page is asked for while this one is written (rule 6: the link never
            // idles for the local work); if that early request fails, the page is fetched again
            // the careful way, with retries.
            let mut prefetched: Option<
                tokio::task::JoinHandle<Result<Answer<crate::wire::PullResponse>, SyncError>>,
            > = None;
            let last = loop {
                let started = std::time::Instant::now();
                let early = match prefetched.take() {
                    Some(handle) => match handle.await {
                        Ok(Ok(answer)) => Some(answer),
                        _ => None,
                    },
                    None => None,
                };
                let page = match early {
                    Some(answer) => {
                        self.report.requests += 1;
                        self.advance(0, answer.bytes, 0);
                        answer.body
                    }
                    None => {
                        // A page that fails is asked for again at half the size: on a link that
                        // cuts every N bytes, pages shrink until they get through.
                        let limit = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(
                            self.page_size,
                        ));
                        let shared = limit.clone();
                        let unit = unit.to_owned();
                        let cursor = since.clone();
                        let page = self
                            .call(move |c, t| {
                                let unit = unit.clone();
                                let cursor = cursor.clone();
                                let shared = shared.clone();
                                async move {
                                    let n = shared.load(std::sync::atomic::Ordering::Relaxed);
                                    let r = c.pull(&t, &unit, scope, cursor.as_deref(), n).await;
                                    if matches!(r, Err(SyncError::Transient(_))) {
                                        shared.store(
                                            (n / 2).max(20),
                                            std::sync::atomic::Ordering::Relaxed,
                                        );
                                    }
                                    r
                                }
                            })
                            .await?;
                        self.page_size = limit.load(std::sync::atomic::Ordering::Relaxed);
                        page
                    }
                };
                if page.has_more && !self.cancel.is_cancelled() {
                    let (client, token, unit) =
                        (self.client.clone(), self.token()?, unit.to_owned());
                    let (next, n) = (page.next_cursor.clone(), self.page_size);
                    prefetched = Some(tokio::spawn(async move {
                        client.pull(&token, &unit, scope, Some(&next), n).await
                    }));
                }
                if page.has_more && !cursors.insert(page.next_cursor.clone()) {
                    return Err(SyncError::BadData(
                        "the platform's cursor came back to an earlier page of this pull".into(),
                    ));
                }
                let n = page.items.len() as u64;
                seen.extend(self.apply_pulled(scope, &page)?);
                self.adapt_page_size(n, started.elapsed());
                since = Some(page.next_cursor.clone());
                if !page.has_more {
                    break page;
                }
            };
            if full {
                self.store.mark_unseen_withdrawn(scope, &seen)?;
            }
            let (Some(count), Some(sum)) = (last.count, last.checksum) else {
                return Ok(());
            };
            let (local_count, local_sum) = self.store.scope_checksum(scope)?;
            if local_count == count && local_sum == sum {
                return Ok(());
            }
            if full {
                self.report.checksum_mismatch.push(scope.to_owned());
                return Ok(());
            }
            self.report.repulled.push(scope.to_owned());
            self.store.reset_cursor(scope)?;
            full = true;
        }
    }

    /// Writes one pulled page with its cursor; returns the ids it brought.
    fn apply_pulled(
        &mut self,
        scope: &str,
        page: &crate::wire::PullResponse,
    ) -> Result<Vec<String>, SyncError> {
        let mut p = PullPage {
            scope: scope.to_owned(),
            tombstones: page.tombstones.clone(),
            cursor: page.next_cursor.clone(),
            server_count: page.count,
            server_checksum: page.checksum.clone(),
            ..PullPage::default()
        };
        let n = page.items.len() as u64;
        let ids: Vec<String> = if scope == "staff" {
            p.staff = page
                .items
                .iter()
                .map(|v| serde_json::from_value::<Staff>(v.clone()))
                .collect::<Result<_, _>>()
                .map_err(|e| SyncError::BadData(format!("a staff record: {e}")))?;
            self.report.staff_received += n;
            p.staff.iter().map(|s| s.id.clone()).collect()
        } else {
            p.declarations = page
                .items
                .iter()
                .map(|v| serde_json::from_value::<Declaration>(v.clone()))
                .collect::<Result<_, _>>()
                .map_err(|e| SyncError::BadData(format!("a declaration: {e}")))?;
            self.report.declarations_received += n;
            p.declarations.iter().map(|d| d.id.clone()).collect()
        };
        self.report.tombstones += page.tombstones.len() as u64;
        self.store.apply_page(&p, (self.now)())?;
        self.advance(n, 0, 0);
        Ok(ids)
    }

    /// Whether a scope's last page agrees with what is stored (no checksum: nothing to check).
    fn scope_agrees(
        &self,
        scope: &str,
        page: &crate::wire::PullResponse,
    ) -> Result<bool, SyncError> {
        match (page.count, page.checksum.as_deref()) {
            (Some(count), Some(sum)) => {
                let (c, s) = self.store.scope_checksum(scope)?;
                Ok(c == count && s == sum)
            }
            _ => Ok(true),
        }
    }

    /// Both scopes in one round trip; a scope with more to come, or whose checksum disagrees,
    /// continues on its own.
    async fn pull_changes(&mut self, unit: &str) -> Result<(), SyncError> {
        let staff = self.store.cursor("staff")?;
        let decls = self.store.cursor("declarations")?;
        let (u, n) = (unit.to_owned(), self.page_size);
        let changes = self
            .call(move |c, t| {
                let (u, staff, decls) = (u.clone(), staff.clone(), decls.clone());
                async move {
                    c.changes(&t, &u, staff.as_deref(), decls.as_deref(), n)
                        .await
                }
            })
            .await?;
        for (scope, page) in [
            ("staff", changes.staff),
            ("declarations", changes.declarations),
        ] {
            self.apply_pulled(scope, &page)?;
            if page.has_more || !self.scope_agrees(scope, &page)? {
                self.pull_scope(unit, scope).await?;
            }
        }
        Ok(())
    }

    /// Rule 6: pages grow on a fast link (fewer round trips) and shrink on a slow one (less to
    /// lose when a page is cut), aiming at a few seconds per page.
    fn adapt_page_size(&mut self, items: u64, took: Duration) {
        if items < self.page_size as u64 {
            return;
        }
        if took < Duration::from_secs(2) {
            self.page_size = (self.page_size * 2).min(self.max_page_size);
        } else if took > Duration::from_secs(15) {
            self.page_size = (self.page_size / 2).max(50);
        }
    }

    /// Sends the outbox in order, in batches; an entry leaves the outbox only when the platform
    /// echoed its key (rule 8). Returns how many results came back.
    async fn push(&mut self) -> Result<u64, SyncError> {
        let total = self.store.sync_status()?.pending;
        self.phase(Phase::Push, Some(total.max(0) as u64));
        let mut answered = 0;
        loop {
            let batch = self.store.take_outbox_batch(self.batch_size)?;
            if batch.is_empty() {
                return Ok(answered);
            }
            let items: Vec<PushItem> = batch
                .iter()
                .map(|d| PushItem {
                    idempotency_key: d.key.clone(),
                    declaration_id: d.declaration_id.clone(),
                    declaration_version: d.declaration_version,
                    outcome: d.outcome,
                    credited_hours: d.credited_hours.map(|h| h.as_f64()),
                    category: d.category,
                    reason: d.reason.clone(),
                    decided_at: d.decided_at.clone(),
                })
                .collect();
            let sent = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
            let counter = sent.clone();
            let attempts = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
            let attempts_seen = attempts.clone();
            let result = self
                .call(move |c, t| {
                    let items = items.clone();
                    let counter = counter.clone();
                    attempts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    async move {
                        let (answer, bytes) = c.push(&t, &items).await?;
                        counter.fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
                        Ok(answer)
                    }
                })
                .await;
            self.advance(0, 0, sent.load(std::sync::atomic::Ordering::Relaxed));
            self.report.push_requests += attempts_seen.load(std::sync::atomic::Ordering::Relaxed);
            let response = match result {
                Ok(r) => r,
                Err(e) => {
                    self.store.note_push_error(&e.to_string())?;
                    return Err(e);
                }
            };
            let by_key: HashMap<String, PushResult> = response
                .results
                .into_iter()
                .filter_map(|r| r.idempotency_key.clone().map(|k| (k, r)))
                .collect();
            let mut echoed = 0;
            for d in &batch {
                let Some(r) = by_key.get(&d.key) else {
                    continue;
                };
                let outcome = match r.result.as_str() {
                    "applied" | "duplicate" => {
                        self.report.applied += 1;
                        PushOutcome::Applied {
                            version: r.applied_version,
                        }
                    }
                    "conflict" => {
                        self.report.conflicts += 1;
                        PushOutcome::Conflict {
                            current: r.declaration.clone().map(Box::new),
                            detail: r
                                .problem
                                .as_ref()
                                .and_then(|p| p.detail.clone())
                                .unwrap_or_default(),
                        }
                    }
                    "rejected" => {
                        self.report.rejected += 1;
                        PushOutcome::Rejected {
                            detail: r
                                .problem
                                .as_ref()
                                .and_then(|p| p.detail.clone())
                                .unwrap_or_else(|| "rejected".into()),
                        }
                    }
                    _ => continue,
                };
                self.store
                    .record_push_result(&d.key, &outcome, (self.now)())?;
                echoed += 1;
            }
            answered += echoed;
            self.advance(echoed, 0, 0);
            if echoed < batch.len() as u64 {
                // Some keys were not echoed: the answer does not count for them (rule 8).
                let e = SyncError::Transient(format!(
                    "{} of {} decisions were not acknowledged",
                    batch.len() as u64 - echoed,
                    batch.len()
                ));
                self.store.note_push_error(&e.to_string())?;
                return Err(e);
            }
        }
    }

    /// Sends recorded spot-check findings, a batch at a time, each by its key; the platform's
    /// answer per key marks it sent or rejected (with the reason kept for the reviewer).
    async fn push_findings(&mut self) -> Result<(), SyncError> {
        loop {
            let batch = self.store.findings_to_push(self.batch_size)?;
            if batch.is_empty() {
                return Ok(());
            }
            let items: Vec<FindingItem> = batch
                .iter()
                .map(|f| FindingItem {
                    idempotency_key: f.key.clone(),
                    pack_id: f.pack_id.clone(),
                    declaration_id: f.declaration_id.clone(),
                    finding: match f.finding {
                        jxjy_store::spotcheck::Finding::Confirmed => "confirmed".into(),
                        jxjy_store::spotcheck::Finding::Problem => "problem".into(),
                    },
                    note: f.note.clone(),
                    recorded_at: f.recorded_at.clone(),
                })
                .collect();
            let response = self
                .call(move |c, t| {
                    let items = items.clone();
                    async move { c.push_findings(&t, &items).await }
                })
                .await?;
            let mut answered = 0;
            for r in &response.results {
                let Some(key) = &r.idempotency_key else {
                    continue;
                };
                let accepted = matches!(r.result.as_str(), "stored" | "duplicate");
                let note = r.problem.as_ref().and_then(|p| p.detail.clone());
                self.store
                    .record_finding_result(key, accepted, note.as_deref())?;
                if accepted {
                    self.report.findings_sent += 1;
                }
                answered += 1;
            }
            if answered < batch.len() {
                return Err(SyncError::Transient(format!(
                    "{} of {} findings were not acknowledged",
                    batch.len() - answered,
                    batch.len()
                )));
            }
        }
    }

    /// Downloads missing evidence (the declaration on screen first), a few files at a time,
    /// resuming from the bytes already stored, verified by hash (rule 5). A file that keeps
    /// failing is counted and left for the next sync; decisions never wait for it. Cancelling
    /// pauses: what arrived is kept and the next run resumes.
    pub async fn evidence(&mut self, first: Option<&str>) -> Result<(), SyncError> {
        let todo = self.store.evidence_to_fetch(first)?;
        self.phase(Phase::Evidence, Some(todo.len() as u64));
        let results = self.download(todo).await?;
        for r in results.values() {
            match r {
                Ok(()) => self.report.evidence_downloaded += 1,
                Err(_) => self.report.evidence_failed += 1,
            }
        }
        Ok(())
    }

    /// One file now (the one on screen), resumed with `Range` + `If-Range` until complete and
    /// verified.
    pub async fn fetch_file(&mut self, sha: &str, size: u64) -> Result<(), SyncError> {
        let mut results = self.download(vec![(sha.to_owned(), size)]).await?;
        results
            .remove(sha)
            .unwrap_or_else(|| Err(SyncError::Transient("not downloaded".into())))
    }

    /// The download queue: up to `evidence_concurrency` files in flight; their bytes come back
    /// through a channel and are written here, in order per file, as they arrive.
    async fn download(
        &mut self,
        files: Vec<(String, u64)>,
    ) -> Result<HashMap<String, Result<(), SyncError>>, SyncError> {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Fetch>(64);
        let sizes: HashMap<String, u64> = files.iter().cloned().collect();
        let mut queue: std::collections::VecDeque<String> =
            files.into_iter().map(|(s, _)| s).collect();
        let mut state = Downloads::default();
        let mut busy = 0usize;
        loop {
            if self.cancel.is_cancelled() {
                return Err(SyncError::Cancelled);
            }
            while busy < self.evidence_concurrency.max(1) {
                let Some(sha) = queue.pop_front() else { break };
                let size = sizes.get(&sha).copied().unwrap_or(0);
                let (stored, _) = self.store.evidence_progress(&sha)?.unwrap_or((0, size));
                if stored >= size {
                    let done = self
                        .store
                        .finish_evidence(&sha)
                        .map_err(|e| SyncError::Transient(e.to_string()));
                    if self.settle(&sha, done, &mut state, &tx).await? {
                        queue.push_front(sha);
                    } else if state.waiting.contains(&sha) {
                        busy += 1; // a backoff timer holds its place
                    }
                    continue;
                }
                state.offsets.insert(sha.clone(), stored);
                self.report.requests += 1;
                let (client, token, tx) = (self.client.clone(), self.token()?, tx.clone());
                tokio::spawn(fetch_range(client, token, sha, (stored, size), tx));
                busy += 1;
            }
            if busy == 0 && queue.is_empty() {
                return Ok(state.results);
            }
            let Some(msg) = rx.recv().await else {
                return Ok(state.results);
            };
            match msg {
                Fetch::Restart(sha) => {
                    self.store.reset_evidence(&sha)?;
                    state.offsets.insert(sha, 0);
                }
                Fetch::Bytes(sha, data) => {
                    let at = state.offsets.get(&sha).copied().unwrap_or(0);
                    let size = sizes.get(&sha).copied().unwrap_or(0);
                    if at.saturating_add(data.len() as u64) > size {
                        // More than the file has: drop what is stored; this attempt fails.
                        self.store.reset_evidence(&sha)?;
                        state.offsets.insert(sha, u64::MAX / 2);
                        continue;
                    }
                    let stored = self.store.append_evidence(&sha, at, &data)?;
                    state.offsets.insert(sha, stored);
                    self.advance(0, data.len() as u64, 0);
                }
                Fetch::Done(sha, outcome) => {
                    busy -= 1;
                    let size = sizes.get(&sha).copied().unwrap_or(0);
                    let done = match outcome {
                        Ok(()) if state.offsets.get(&sha).copied() == Some(size) => self
                            .store
                            .finish_evidence(&sha)
                            .map_err(|e| SyncError::Transient(e.to_string())),
                        Ok(()) => Err(SyncError::Transient("the download ended early".into())),
                        Err(e) => Err(e),
                    };
                    if self.settle(&sha, done, &mut state, &tx).await? {
                        queue.push_front(sha);
                    } else if state.waiting.contains(&sha) {
                        busy += 1; // a backoff timer holds its place
                    }
                }
                Fetch::Retry(sha) => {
                    busy -= 1;
                    state.waiting.remove(&sha);
                    queue.push_front(sha);
                }
            }
        }
    }

    /// Records a finished attempt. Returns true to try again at once (after a new token);
    /// a transient failure waits out its backoff on a timer task, so other files go on.
    async fn settle(
        &mut self,
        sha: &str,
        done: Result<(), SyncError>,
        state: &mut Downloads,
        tx: &tokio::sync::mpsc::Sender<Fetch>,
    ) -> Result<bool, SyncError> {
        let e = match done {
            Ok(()) => {
                state.results.insert(sha.to_owned(), Ok(()));
                self.advance(1, 0, 0);
                return Ok(false);
            }
            Err(e) => e,
        };
        match e {
            SyncError::Unauthorized(_) if !state.refreshed => {
                state.refreshed = true;
                self.refresh().await?;
                Ok(true)
            }
            e if e.is_retryable() => {
                let n = state.attempts.entry(sha.to_owned()).or_insert(0);
                *n += 1;
                self.report.retries += 1;
                if self.policy.gives_up(*n) {
                    let attempts = *n;
                    state.results.insert(
                        sha.to_owned(),
                        Err(SyncError::GaveUp {
                            attempts,
                            last: e.to_string(),
                        }),
                    );
                    self.advance(1, 0, 0);
                    return Ok(false);
                }
                let wait = self.policy.delay(*n, &e, &mut self.rng);
                let (tx, key) = (tx.clone(), sha.to_owned());
                state.waiting.insert(key.clone());
                tokio::spawn(async move {
                    tokio::time::sleep(wait).await;
                    // The queue may be gone (cancelled): then there is nothing to retry.
                    let _ = tx.send(Fetch::Retry(key)).await;
                });
                Ok(false)
            }
            e @ (SyncError::Store(_) | SyncError::NotLoggedIn | SyncError::Cancelled) => Err(e),
            e => {
                state.results.insert(sha.to_owned(), Err(e));
                self.advance(1, 0, 0);
                Ok(false)
            }
        }
    }
}
