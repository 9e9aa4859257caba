//! Pushing the outbox and the spot-check findings: idempotent batches, each item's answer
//! (applied, conflict with both versions, rejected) recorded with its audit entry.

use super::Engine;
use crate::error::SyncError;
use crate::progress::Phase;
use crate::wire::{FindingItem, PushItem, PushResult};
use jxjy_store::sync_state::PushOutcome;
use std::collections::HashMap;

impl Engine<'_> {
    /// Sends the outbox in order, in batches; an entry leaves the outbox only when the platform
    /// echoed its key (rule 8). Returns how many results came back.
    pub(super) async fn push(&mut self) -> Result<u64, SyncError> {
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
            // The chain's head goes with each push: the platform's anchor (#17).
            let head = self
                .store
                .audit_head_for_push()?
                .map(|h| crate::wire::AuditHead {
                    profile: h.profile,
                    seq: h.seq,
                    hash: h.hash,
                });
            let sent = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
            let counter = sent.clone();
            let attempts = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
            let attempts_seen = attempts.clone();
            let result = self
                .call(move |c, t| {
                    let items = items.clone();
                    let head = head.clone();
                    let counter = counter.clone();
                    attempts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    async move {
                        let (answer, bytes) = c.push(&t, &items, head.as_ref()).await?;
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
            if let Some(a) = &response.audit {
                let previous = a.previous.as_ref().map(|p| (p.seq, p.hash.as_str()));
                if let Some(problem) = self.store.check_audit_anchor(&a.result, previous)? {
                    self.report.audit_problem = Some(problem);
                }
            }
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
    pub(super) async fn push_findings(&mut self) -> Result<(), SyncError> {
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
}
