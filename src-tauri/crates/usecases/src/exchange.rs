//! Exchange files for sites with no link: pending decisions out, a snapshot in, sealed with a
//! passphrase and written atomically.

use crate::error::UseCaseError;
use crate::files::write_atomically;
use crate::ids;
use chrono::{DateTime, Utc};
use jxjy_store::exchange::{ExportReport, ImportReport, Seal};
use jxjy_store::Store;
use serde::Deserialize;
use std::io::Read;
use std::path::Path;

/// What an exchange file carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ExchangeKind {
    /// The decisions waiting for upload, with their audit entries.
    Decisions,
    /// Roster, declarations, evidence and rules, for a site with no link.
    Snapshot,
}

impl ExchangeKind {
    /// The file name's stem.
    pub fn stem(self) -> &'static str {
        match self {
            ExchangeKind::Decisions => "审核意见",
            ExchangeKind::Snapshot => "数据快照",
        }
    }
}

/// Writes an exchange file of `kind` to `path`.
pub fn export(
    store: &Store,
    kind: ExchangeKind,
    passphrase: &str,
    path: &Path,
    now: DateTime<Utc>,
) -> Result<ExportReport, UseCaseError> {
    let (salt, nonce_prefix) = ids::exchange_salt()?;
    let (own_seed, introduce_seed) = ids::signing_seeds()?;
    let seal = Seal {
        passphrase,
        salt,
        nonce_prefix,
        own_seed,
        introduce_seed,
    };
    write_atomically(path, |w| {
        Ok(match kind {
            ExchangeKind::Snapshot => store.export_snapshot(w, &seal, now),
            ExchangeKind::Decisions => store.export_decisions(w, &seal, now),
        }?)
    })
}

/// Imports an exchange file read from `input`; a changed file is refused whole.
pub fn import<R: Read>(
    store: &mut Store,
    input: R,
    passphrase: &str,
    fallback_actor: &str,
    now: DateTime<Utc>,
) -> Result<ImportReport, UseCaseError> {
    let meta = store.profile_meta()?;
    let actor = meta.actor(fallback_actor).to_owned();
    Ok(store.import_exchange(input, passphrase, &actor, now)?)
}
