//! One background thread per open profile runs the sync engine: at start, on "sync now", on a
//! timer, and every few seconds while the link is down so that sync resumes by itself when it
//! returns. It owns its own database connection, so the review screens never wait for a sync.
//! A decision wakes it too, once the reviewer pauses (`Debounce`), so a burst of decisions
//! goes up in one push. Progress and state go out through an injected `Emit` (Tauri events in
//! the app).

use crate::applog::AppLog;
use crate::error::{AppError, ErrorCode};
use jxjy_store::sync_state::SyncStatus;
use jxjy_store::{DbKey, Home, ProfileName, Store};
use jxjy_sync::engine::{SyncOptions, SyncReport};
use jxjy_sync::{CancelToken, Client, Engine, Progress};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What the sync bar hears.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SyncEvent {
    Progress(Progress),
    State(Box<SyncState>),
    /// The background reading of the evidence (see `reading_worker`).
    Reading(crate::reading_worker::ReadingProgress),
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SyncState {
    pub running: bool,
    pub status: Option<SyncStatus>,
    /// The last attempt's failure, for the reviewer.
    pub error: Option<AppError>,
    pub report: Option<SyncReport>,
    /// Seconds until the next automatic attempt.
    pub next_in_secs: Option<u64>,
}

pub type Emit = Arc<dyn Fn(SyncEvent) + Send + Sync>;

/// When automatic syncs happen.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    pub first: Duration,
    pub interval: Duration,
    /// After a failed attempt; doubles up to `retry_max` while the link stays down.
    pub retry: Duration,
    pub retry_max: Duration,
    /// A decision's sync starts once no other decision came for this long…
    pub quiet: Duration,
    /// …or this long after the first decision of a burst, whichever is sooner.
    pub quiet_max: Duration,
    /// What the background reader of the evidence does.
    pub reading: crate::reading_worker::Reading,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            first: Duration::from_millis(300),
            interval: Duration::from_secs(300),
            retry: Duration::from_secs(10),
            retry_max: Duration::from_secs(60),
            quiet: Duration::from_secs(3),
            quiet_max: Duration::from_secs(20),
            reading: crate::reading_worker::Reading::Full,
        }
    }
}

/// When the sync a burst of decisions asks for is due: `quiet` after the last decision, at
/// most `quiet_max` after the first. Pure: the worker passes the time in.
#[derive(Debug, Clone, Copy)]
pub struct Debounce {
    quiet: Duration,
    most: Duration,
    burst: Option<(Instant, Instant)>,
}

impl Debounce {
    pub fn new(quiet: Duration, most: Duration) -> Debounce {
        Debounce {
            quiet,
            most,
            burst: None,
        }
    }

    /// A decision was recorded at `now`.
    pub fn decided(&mut self, now: Instant) {
        let first = self.burst.map_or(now, |(first, _)| first);
        self.burst = Some((first, now));
    }

    /// When the burst's sync is due, if a burst is waiting.
    pub fn due(&self) -> Option<Instant> {
        self.burst
            .map(|(first, last)| (last + self.quiet).min(first + self.most))
    }

    /// A sync started: the burst is in it.
    pub fn clear(&mut self) {
        self.burst = None;
    }
}

enum Request {
    Now {
        evidence_first: Option<String>,
    },
    /// A decision was recorded.
    Decided,
    Stop,
}

pub struct SyncWorker {
    tx: mpsc::Sender<Request>,
    cancel: Arc<Mutex<CancelToken>>,
    running: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

struct Ctx {
    home: Home,
    profile: ProfileName,
    /// The unlocked profile's key for the worker's own connection; zeroized when it stops.
    key: DbKey,
    emit: Emit,
    log: Arc<AppLog>,
    cancel: Arc<Mutex<CancelToken>>,
    running: Arc<AtomicBool>,
}

impl Ctx {
    fn state(
        &self,
        store: Option<&Store>,
        error: Option<AppError>,
        report: Option<SyncReport>,
        next: Option<Duration>,
    ) {
        let status = store.and_then(|s| match s.sync_status() {
            Ok(st) => Some(st),
            Err(e) => {
                self.log.error(&format!("sync status unreadable: {e}"));
                None
            }
        });
        (self.emit)(SyncEvent::State(Box::new(SyncState {
            running: self.running.load(Ordering::SeqCst),
            status,
            error,
            report,
            next_in_secs: next.map(|d| d.as_secs()),
        })));
    }

    fn fresh_cancel(&self) -> CancelToken {
        let token = CancelToken::default();
        if let Ok(mut g) = self.cancel.lock() {
            *g = token.clone();
        }
        token
    }

    /// One sync; the error is already mapped for the reviewer.
    fn run_once(
        &self,
        rt: &tokio::runtime::Runtime,
        store: &mut Store,
        evidence_first: Option<String>,
    ) -> Result<SyncReport, AppError> {
        let server = store
            .profile_meta()?
            .server
            .ok_or_else(|| AppError::new(ErrorCode::NotLoggedIn, "尚未登录平台，请先登录"))?;
        // Checked again here: an address stored before plain http was refused goes nowhere.
        let client = Client::for_address(&server)?;
        let emit = self.emit.clone();
        // At most ten progress events a second, plus every phase change.
        let last = Mutex::new((Instant::now(), None));
        let sink = move |p: &Progress| {
            let Ok(mut g) = last.lock() else { return };
            let phase_changed = g.1 != Some(p.phase);
            if phase_changed || g.0.elapsed() >= Duration::from_millis(100) {
                *g = (Instant::now(), Some(p.phase));
                emit(SyncEvent::Progress(p.clone()));
            }
        };
        let now = chrono::Utc::now;
        let mut engine = Engine::new(
            store,
            client,
            &sink,
            self.fresh_cancel(),
            jxjy_usecases::ids::jitter_seed(),
            &now,
        );
        // Give up on one attempt soon; the worker tries again on its own schedule.
        engine.policy.max_attempts = Some(4);
        let options = SyncOptions {
            evidence: true,
            evidence_first,
        };
        Ok(rt.block_on(engine.sync(&options))?)
    }

    fn main(self, rx: mpsc::Receiver<Request>, schedule: Schedule) {
        let rt = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                self.log.error(&format!("sync worker: no runtime: {e}"));
                self.state(None, Some(AppError::internal(e)), None, None);
                return;
            }
        };
        let mut store: Option<Store> = None;
        let mut next = Instant::now() + schedule.first;
        let mut retry = schedule.retry;
        let mut burst = Debounce::new(schedule.quiet, schedule.quiet_max);
        // Whether the last attempt reached the platform: decisions wake the worker only then
        // (while the link is down, the retry schedule is already running).
        let mut online = false;
        loop {
            let due = burst.due().map_or(next, |d| d.min(next));
            let wait = due.saturating_duration_since(Instant::now());
            let evidence_first = match rx.recv_timeout(wait) {
                Ok(Request::Now { evidence_first }) => evidence_first,
                Ok(Request::Decided) => {
                    if online {
                        burst.decided(Instant::now());
                    }
                    continue;
                }
                Ok(Request::Stop) | Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => None,
            };
            burst.clear();
            if store.is_none() {
                match jxjy_usecases::profile::open_with_key(&self.home, &self.profile, &self.key) {
                    Ok(s) => store = Some(s),
                    Err(e) => {
                        self.log
                            .error(&format!("sync worker cannot open the store: {e}"));
                        next = Instant::now() + schedule.retry_max;
                        self.state(None, Some(e.into()), None, Some(schedule.retry_max));
                        continue;
                    }
                }
            }
            let Some(st) = store.as_mut() else { continue };
            if matches!(st.profile_meta().map(|m| m.server), Ok(None)) {
                // Not logged in: wait for a request (login sends one).
                next = Instant::now() + Duration::from_secs(24 * 3600);
                self.state(Some(st), None, None, None);
                continue;
            }
            self.running.store(true, Ordering::SeqCst);
            self.state(Some(st), None, None, None);
            let started = Instant::now();
            let result = self.run_once(&rt, st, evidence_first);
            self.running.store(false, Ordering::SeqCst);
            // What the attempt read and parsed goes back to the system: after a first sync of
            // a large unit, the cache and the freed allocations are ~140 MiB.
            if let Err(e) = st.release_cache() {
                self.log
                    .warn(&format!("sync worker cannot release its cache: {e}"));
            }
            crate::memory::give_back();
            match result {
                Ok(report) => {
                    self.log.info(&format!(
                        "sync done in {:.1}s: {} staff, {} declarations, {} applied, {} conflicts, {} rejected, {} evidence, {} bytes down, {} up",
                        started.elapsed().as_secs_f64(), report.staff_received, report.declarations_received,
                        report.applied, report.conflicts, report.rejected, report.evidence_downloaded,
                        report.bytes_down, report.bytes_up
                    ));
                    retry = schedule.retry;
                    online = true;
                    next = Instant::now() + schedule.interval;
                    self.state(Some(st), None, Some(report), Some(schedule.interval));
                }
                Err(e) => {
                    self.log
                        .warn(&format!("sync failed: {:?}: {}", e.code, e.message));
                    online = e.code == ErrorCode::Cancelled;
                    let wait = match e.code {
                        ErrorCode::NotLoggedIn => Duration::from_secs(24 * 3600),
                        ErrorCode::Cancelled => schedule.interval,
                        _ => {
                            let w = retry;
                            retry = (retry * 2).min(schedule.retry_max);
                            w
                        }
                    };
                    next = Instant::now() + wait;
                    let shown = (e.code != ErrorCode::NotLoggedIn).then_some(wait);
                    self.state(Some(st), Some(e), None, shown);
                }
            }
        }
    }
}

impl SyncWorker {
    pub fn start(
        home: Home,
        profile: ProfileName,
        key: DbKey,
        emit: Emit,
        log: Arc<AppLog>,
        schedule: Schedule,
    ) -> Result<SyncWorker, AppError> {
        let (tx, rx) = mpsc::channel();
        let cancel = Arc::new(Mutex::new(CancelToken::default()));
        let running = Arc::new(AtomicBool::new(false));
        let ctx = Ctx {
            home,
            profile,
            key,
            emit,
            log,
            cancel: cancel.clone(),
            running: running.clone(),
        };
        let thread = std::thread::Builder::new()
            .name("jxjy-sync".into())
            .spawn(move || ctx.main(rx, schedule))
            .map_err(AppError::internal)?;
        Ok(SyncWorker {
            tx,
            cancel,
            running,
            thread: Some(thread),
        })
    }

    /// Starts a sync now (after the running one, if any).
    pub fn request(&self, evidence_first: Option<String>) -> Result<(), AppError> {
        self.tx
            .send(Request::Now { evidence_first })
            .map_err(|_| AppError::internal("sync worker stopped"))
    }

    /// A decision was recorded: when the link is up, a sync follows once the reviewer pauses.
    pub fn decided(&self) {
        // A stopped worker has nothing to wake; the decision is safe in the outbox.
        let _ = self.tx.send(Request::Decided);
    }

    /// Stops the running sync at its next step; what it has done stays done.
    pub fn pause(&self) {
        if let Ok(g) = self.cancel.lock() {
            g.cancel();
        }
    }

    pub fn running(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }
}

impl Drop for SyncWorker {
    fn drop(&mut self) {
        self.pause();
        // The thread may already be gone; then there is nothing to stop.
        if self.tx.send(Request::Stop).is_ok() {
            if let Some(t) = self.thread.take() {
                if t.join().is_err() {
                    eprintln!("sync worker panicked");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn a_burst_of_decisions_is_due_once_the_reviewer_pauses() {
        let t0 = Instant::now();
        let mut d = Debounce::new(3 * S, 20 * S);
        assert_eq!(d.due(), None, "nothing decided, nothing due");
        d.decided(t0);
        assert_eq!(d.due(), Some(t0 + 3 * S));
        // Each decision inside the quiet time moves the sync on: one push for the burst.
        d.decided(t0 + 2 * S);
        d.decided(t0 + 4 * S);
        assert_eq!(d.due(), Some(t0 + 7 * S));
        d.clear();
        assert_eq!(d.due(), None);
    }

    #[test]
    fn a_reviewer_who_never_pauses_still_gets_a_sync_after_quiet_max() {
        let t0 = Instant::now();
        let mut d = Debounce::new(3 * S, 20 * S);
        for i in 0..30 {
            d.decided(t0 + i * S);
        }
        assert_eq!(d.due(), Some(t0 + 20 * S));
    }
}
