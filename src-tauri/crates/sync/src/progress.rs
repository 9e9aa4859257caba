//! Progress through an injected sink, and cancellation.

use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Login,
    PullStaff,
    PullDeclarations,
    Evaluate,
    Push,
    Evidence,
    Done,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Progress {
    pub phase: Phase,
    pub items_done: u64,
    pub items_total: Option<u64>,
    /// Body bytes received and sent so far in this sync.
    pub bytes_down: u64,
    pub bytes_up: u64,
}

/// Receives progress; the app turns it into events, the CLI into lines.
pub trait ProgressSink: Send + Sync {
    fn report(&self, p: &Progress);
}

/// A sink that drops everything.
pub struct Quiet;

impl ProgressSink for Quiet {
    fn report(&self, _: &Progress) {}
}

impl<F: Fn(&Progress) + Send + Sync> ProgressSink for F {
    fn report(&self, p: &Progress) {
        self(p);
    }
}

/// Cancels a running sync at its next step.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}
