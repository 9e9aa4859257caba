//! The evidence download queue: content-addressed, resumable by range, a few files at a
//! time, the file on screen first.

use crate::client::Client;
use crate::error::SyncError;
use crate::progress::Phase;

use super::Engine;
use reqwest::StatusCode;
use std::collections::{HashMap, HashSet};

/// What a download task reports back to the queue.
pub(super) enum Fetch {
    /// The platform sends the whole file: drop what is stored.
    Restart(String),
    Bytes(String, Vec<u8>),
    Done(String, Result<(), SyncError>),
    /// A backoff wait is over.
    Retry(String),
}

/// The download queue's bookkeeping.
#[derive(Default)]
pub(super) struct Downloads {
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

impl Engine<'_> {
    /// The download queue: up to `evidence_concurrency` files in flight; their bytes come back
    /// through a channel and are written here, in order per file, as they arrive.
    pub(super) async fn download(
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
    pub(super) async fn settle(
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
}
