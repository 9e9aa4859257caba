//! The queue's counts, remembered while the database is unchanged.
//!
//! A reviewer switches among a few filters over and over, and each switch asks for the count of
//! its matches — 2 ms at 100,000 declarations, on the path of every filter change. A count is
//! valid until a row changes: by this connection (its total of changed rows moves) or by
//! another, the sync worker's (SQLite's `data_version` moves). Either empties the cache.

use rusqlite::Connection;
use std::collections::HashMap;

/// At most this many filters are remembered; past it the cache starts again.
const MAX: usize = 256;

#[derive(Default)]
pub(crate) struct CountCache {
    stamp: Option<(i64, u64)>,
    counts: HashMap<String, i64>,
}

impl CountCache {
    /// The count for `key` (the query's text and arguments), computed by `count` when the
    /// database changed since it was remembered, or it never was.
    pub(crate) fn get(
        &mut self,
        conn: &Connection,
        key: String,
        count: impl FnOnce() -> rusqlite::Result<i64>,
    ) -> rusqlite::Result<i64> {
        let version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let stamp = Some((version, conn.total_changes()));
        if self.stamp != stamp || self.counts.len() >= MAX {
            self.counts.clear();
            self.stamp = stamp;
        }
        if let Some(n) = self.counts.get(&key) {
            return Ok(*n);
        }
        let n = count()?;
        self.counts.insert(key, n);
        Ok(n)
    }
}
