//! Pulling by cursor (SYNC.md rule 1): pages committed with their cursor, a prefetch of the
//! next page while one is written, checksums that trigger one full re-pull, adaptive pages.

use crate::client::Answer;
use crate::error::SyncError;

use super::Engine;
use jxjy_core::{Declaration, Staff, SyncScope};
use jxjy_store::import::PullPage;
use std::collections::HashSet;
use std::time::Duration;

impl Engine<'_> {
    /// Pulls one scope page by page, each page committed with its cursor (rule 1). On a count or
    /// checksum mismatch the scope is pulled once more from the start; items the platform no
    /// longer has are then marked withdrawn — nothing is wiped.
    pub(super) async fn pull_scope(
        &mut self,
        unit: &str,
        scope: SyncScope,
    ) -> Result<(), SyncError> {
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
                self.report.checksum_mismatch.push(scope);
                return Ok(());
            }
            self.report.repulled.push(scope);
            self.store.reset_cursor(scope)?;
            full = true;
        }
    }

    /// Writes one pulled page with its cursor; returns the ids it brought.
    pub(super) fn apply_pulled(
        &mut self,
        scope: SyncScope,
        page: &crate::wire::PullResponse,
    ) -> Result<Vec<String>, SyncError> {
        let mut p = PullPage {
            tombstones: page.tombstones.clone(),
            cursor: page.next_cursor.clone(),
            server_count: page.count,
            server_checksum: page.checksum.clone(),
            ..PullPage::empty(scope)
        };
        let n = page.items.len() as u64;
        let ids: Vec<String> = match scope {
            SyncScope::Staff => {
                p.staff = page
                    .items
                    .iter()
                    .map(|v| serde_json::from_value::<Staff>(v.clone()))
                    .collect::<Result<_, _>>()
                    .map_err(|e| SyncError::BadData(format!("a staff record: {e}")))?;
                self.report.staff_received += n;
                p.staff.iter().map(|s| s.id.clone()).collect()
            }
            SyncScope::Declarations => {
                p.declarations = page
                    .items
                    .iter()
                    .map(|v| serde_json::from_value::<Declaration>(v.clone()))
                    .collect::<Result<_, _>>()
                    .map_err(|e| SyncError::BadData(format!("a declaration: {e}")))?;
                self.report.declarations_received += n;
                p.declarations.iter().map(|d| d.id.clone()).collect()
            }
        };
        self.report.tombstones += page.tombstones.len() as u64;
        self.store.apply_page(&p, (self.now)())?;
        self.advance(n, 0, 0);
        Ok(ids)
    }

    /// Whether a scope's last page agrees with what is stored (no checksum: nothing to check).
    pub(super) fn scope_agrees(
        &self,
        scope: SyncScope,
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
    pub(super) async fn pull_changes(&mut self, unit: &str) -> Result<(), SyncError> {
        let staff = self.store.cursor(SyncScope::Staff)?;
        let decls = self.store.cursor(SyncScope::Declarations)?;
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
            (SyncScope::Staff, changes.staff),
            (SyncScope::Declarations, changes.declarations),
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
    pub(super) fn adapt_page_size(&mut self, items: u64, took: Duration) {
        if items < self.page_size as u64 {
            return;
        }
        if took < Duration::from_secs(2) {
            self.page_size = (self.page_size * 2).min(self.max_page_size);
        } else if took > Duration::from_secs(15) {
            self.page_size = (self.page_size / 2).max(50);
        }
    }
}
