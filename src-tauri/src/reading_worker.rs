//! One background thread per open profile reads the evidence files (text layer, OCR, QR) and
//! keeps each declaration's reading flags and its 证书内容 comparison current. It owns its own
//! database connection and reads one file at a time, so the review screens never wait for it,
//! and between two files it turns to the declaration the reviewer opened.

use crate::applog::AppLog;
use crate::error::AppError;
use crate::sync_worker::{Emit, SyncEvent};
use jxjy_store::{DbKey, Home, ProfileName, Store};
use jxjy_usecases::evidence::LazyOcr;
use jxjy_usecases::readings::{self, Step};
use serde::Serialize;
use std::collections::HashSet;
use std::sync::mpsc::{self, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How far the reading of the unit's evidence is, for the sync bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ReadingProgress {
    /// Files read at this reader's version, of all downloaded files of live declarations.
    pub read: u64,
    pub total: u64,
    /// Whether images wait for the OCR models, which are not installed.
    pub models_missing: bool,
}

/// What the background reader reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Every file: text layers, QR codes and OCR of images.
    Full,
    /// Text layers and QR codes only; images wait as if the models were missing (tests that
    /// check the reading path without minutes of OCR).
    TextOnly,
    /// No reader (tests whose flags must not change under them).
    Off,
}

/// How often an idle reader looks for newly downloaded files.
const POLL: Duration = Duration::from_secs(5);
/// How long after a store error the reader tries again.
const BACKOFF: Duration = Duration::from_secs(30);
/// Declarations compared per step, so a request for the one on screen waits little.
const REFRESH_BATCH: usize = 20;

enum Request {
    /// The reviewer opened this declaration: its files and comparison come next.
    Prefer(String),
    Stop,
}

pub struct ReadingWorker {
    tx: mpsc::Sender<Request>,
    last: Shared,
    thread: Option<JoinHandle<()>>,
}

/// The progress last sent, for a window that asks before the next event.
type Shared = Arc<Mutex<Option<ReadingProgress>>>;

struct Ctx {
    home: Home,
    profile: ProfileName,
    key: DbKey,
    emit: Emit,
    log: Arc<AppLog>,
    last: Shared,
}

/// What the loop does after looking at its requests.
enum Next {
    Go(Option<String>),
    Stop,
}

impl Ctx {
    fn progress(&self, store: &Store, models_missing: bool) {
        match readings::progress(store) {
            Ok((read, total)) => {
                let p = ReadingProgress {
                    read,
                    total,
                    models_missing,
                };
                let Ok(mut last) = self.last.lock() else {
                    return;
                };
                if last.as_ref() != Some(&p) {
                    *last = Some(p.clone());
                    (self.emit)(SyncEvent::Reading(p));
                }
            }
            Err(e) => self.log.warn(&format!("reading progress unknown: {e}")),
        }
    }

    /// Takes every waiting request without blocking; the latest declaration wins.
    fn drain(rx: &mpsc::Receiver<Request>, mut prefer: Option<String>) -> Next {
        loop {
            match rx.try_recv() {
                Ok(Request::Prefer(id)) => prefer = Some(id),
                Ok(Request::Stop) | Err(TryRecvError::Disconnected) => return Next::Stop,
                Err(TryRecvError::Empty) => return Next::Go(prefer),
            }
        }
    }

    /// Waits up to `wait` for a request.
    fn wait(rx: &mpsc::Receiver<Request>, wait: Duration, prefer: Option<String>) -> Next {
        match rx.recv_timeout(wait) {
            Ok(Request::Prefer(id)) => Self::drain(rx, Some(id)),
            Ok(Request::Stop) | Err(RecvTimeoutError::Disconnected) => Next::Stop,
            Err(RecvTimeoutError::Timeout) => Next::Go(prefer),
        }
    }

    /// One step: one file read, then the comparisons it made stale (the declaration on screen
    /// first), so that the progress sent after the step finds them stored. Returns whether
    /// there may be more to do right away.
    fn step(
        &self,
        store: &mut Store,
        ocr: &mut LazyOcr,
        prefer: Option<&str>,
        skip: &mut HashSet<String>,
    ) -> Result<bool, AppError> {
        let started = Instant::now();
        let step = readings::read_next(store, ocr, prefer, skip)?;
        let refreshed = readings::refresh_stale(store, prefer, REFRESH_BATCH)?;
        match step {
            Step::Read => {
                self.log.info(&format!(
                    "evidence file read in {} ms",
                    started.elapsed().as_millis()
                ));
                Ok(true)
            }
            Step::Skipped => {
                if skip.len() == 1 {
                    self.log
                        .warn("images wait for the OCR models, which are not installed");
                }
                Ok(true)
            }
            Step::Idle => Ok(refreshed > 0),
        }
    }

    fn main(self, rx: mpsc::Receiver<Request>, ocr_on: bool) {
        let mut store: Option<Store> = None;
        let mut ocr = if ocr_on {
            LazyOcr::new(None)
        } else {
            LazyOcr::text_only()
        };
        let mut skip = HashSet::new();
        let mut prefer: Option<String> = None;
        let mut next = Next::Go(None);
        loop {
            match next {
                Next::Stop => break,
                Next::Go(p) => prefer = p.or(prefer),
            }
            if store.is_none() {
                match jxjy_usecases::profile::open_with_key(&self.home, &self.profile, &self.key) {
                    Ok(s) => store = Some(s),
                    Err(e) => {
                        self.log
                            .error(&format!("reading worker cannot open the store: {e}"));
                        next = Self::wait(&rx, BACKOFF, prefer.take());
                        continue;
                    }
                }
            }
            let Some(st) = store.as_mut() else { break };
            let more = match self.step(st, &mut ocr, prefer.as_deref(), &mut skip) {
                Ok(more) => more,
                Err(e) => {
                    self.log.error(&format!(
                        "evidence reading failed: {:?}: {}",
                        e.code, e.message
                    ));
                    next = Self::wait(&rx, BACKOFF, prefer.take());
                    continue;
                }
            };
            self.progress(st, !skip.is_empty());
            next = if more {
                Self::drain(&rx, prefer.clone())
            } else {
                // All read: what the reviewer opened is done; wait for new files.
                prefer = None;
                if let Err(e) = st.release_cache() {
                    self.log
                        .warn(&format!("reading worker cannot release its cache: {e}"));
                }
                Self::wait(&rx, POLL, None)
            };
        }
    }
}

impl ReadingWorker {
    /// Starts the reader of a profile just unlocked; none when `reading` is `Off`.
    pub fn start(
        home: Home,
        profile: ProfileName,
        key: DbKey,
        emit: Emit,
        log: Arc<AppLog>,
        reading: Reading,
    ) -> Result<Option<ReadingWorker>, AppError> {
        let ocr = match reading {
            Reading::Off => return Ok(None),
            Reading::Full => true,
            Reading::TextOnly => false,
        };
        let (tx, rx) = mpsc::channel();
        let last = Shared::default();
        let ctx = Ctx {
            home,
            profile,
            key,
            emit,
            log,
            last: last.clone(),
        };
        let thread = std::thread::Builder::new()
            .name("jxjy-read".into())
            .spawn(move || ctx.main(rx, ocr))
            .map_err(AppError::internal)?;
        Ok(Some(ReadingWorker {
            tx,
            last,
            thread: Some(thread),
        }))
    }

    /// The reviewer opened `declaration_id`: its files are read next.
    pub fn prefer(&self, declaration_id: String) {
        // A stopped worker reads nothing; the detail pane shows the reading as pending.
        let _ = self.tx.send(Request::Prefer(declaration_id));
    }
}

impl ReadingWorker {
    /// The progress last computed, if the worker got that far.
    pub fn last(&self) -> Option<ReadingProgress> {
        self.last.lock().ok().and_then(|g| g.clone())
    }
}

impl Drop for ReadingWorker {
    fn drop(&mut self) {
        // The file being read is finished first (at most a few seconds of OCR).
        if self.tx.send(Request::Stop).is_ok() {
            if let Some(t) = self.thread.take() {
                if t.join().is_err() {
                    eprintln!("reading worker panicked");
                }
            }
        }
    }
}
