//! The audit chain's anchor outside the PC (#17): each push carries the chain's head, the
//! platform keeps the last one per profile and answers with the one it held before. A head that
//! goes back, or an entry that no longer has the hash the platform saw, is a rewrite: an alarm
//! that stays until an administrator looks.

use crate::db::Store;
use crate::error::StoreError;
use rusqlite::OptionalExtension;

/// The head to send with a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHead {
    /// The profile's random id (32 hex digits).
    pub profile: String,
    pub seq: u64,
    pub hash: String,
}

const PROFILE_ID: &str = "profile_id";
const ALARM: &str = "audit_alarm";

impl Store {
    /// The profile's random id, made by `make` the first time.
    pub fn ensure_profile_id(
        &mut self,
        make: impl FnOnce() -> String,
    ) -> Result<String, StoreError> {
        if let Some(id) = self.meta(PROFILE_ID)? {
            return Ok(id);
        }
        let id = make();
        self.set_meta(PROFILE_ID, &id)?;
        Ok(id)
    }

    /// The chain's head with the profile's id, or None before the first entry (or the id).
    pub fn audit_head_for_push(&self) -> Result<Option<AuditHead>, StoreError> {
        let Some(profile) = self.meta(PROFILE_ID)? else {
            return Ok(None);
        };
        let head: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(head.map(|(seq, hash)| AuditHead {
            profile,
            seq: u64::try_from(seq).unwrap_or(0),
            hash,
        }))
    }

    /// Checks the platform's answer to a pushed head: `result` as it said it, `previous` the
    /// head it held before. Returns the problem found (also kept as an alarm), if any.
    pub fn check_audit_anchor(
        &mut self,
        result: &str,
        previous: Option<(u64, &str)>,
    ) -> Result<Option<String>, StoreError> {
        let problem = match (result, previous) {
            ("rewound", Some((seq, _))) => Some(format!(
                "the platform saw {seq} audit entries from this profile; it has fewer now (truncated)"
            )),
            ("rewritten", Some((seq, _))) => Some(format!(
                "audit entry {seq} has another hash than the platform saw (rewritten)"
            )),
            (_, Some((seq, hash))) => {
                let here: Option<String> = self
                    .conn
                    .query_row(
                        "SELECT hash FROM audit_log WHERE seq = ?1",
                        [i64::try_from(seq).unwrap_or(i64::MAX)],
                        |r| r.get(0),
                    )
                    .optional()?;
                match here {
                    Some(h) if h == hash => None,
                    Some(_) => Some(format!(
                        "audit entry {seq} has another hash than the platform saw (rewritten)"
                    )),
                    None => Some(format!(
                        "audit entry {seq}, which the platform saw, is gone (truncated)"
                    )),
                }
            }
            _ => None,
        };
        if let Some(p) = &problem {
            self.set_meta(ALARM, p)?;
        }
        Ok(problem)
    }

    /// What is wrong with the audit trail: what the check at open found, else what the
    /// platform's anchor showed (kept until an administrator clears it).
    pub fn audit_problem(&self) -> Result<Option<String>, StoreError> {
        if let Some(p) = &self.audit_at_open().problem {
            return Ok(Some(p.clone()));
        }
        self.meta(ALARM)
    }
}
