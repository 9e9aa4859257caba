//! The offline exchange: pending decisions out of a profile with no link, into the same
//! reviewer's profile on a connected machine; and platform snapshots the other way. The file
//! format is `jxjy_exchange`; this module decides what goes in and how it is applied: in one
//! transaction, so a refused file applies nothing, and by idempotency key, so a second import
//! of the same file changes nothing.

use crate::audit::{self, AuditEntry};
use crate::db::Store;
use crate::decide::{decision_from_row, DecisionRecord, DECISION_COLUMNS};
use crate::error::StoreError;
use crate::import::upsert_all_newer;
use chrono::{DateTime, Utc};
use jxjy_core::{Declaration, Staff};
use jxjy_exchange::{Kind, Opener, Origin, Record, Sealer};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};

/// What seals a file: the reviewer's passphrase and fresh random bytes from the caller.
pub struct Seal<'a> {
    pub passphrase: &'a str,
    pub salt: [u8; 16],
    pub nonce_prefix: [u8; 7],
    /// This profile's signing seed, if it has none yet.
    pub own_seed: [u8; 32],
    /// The seed of the key a snapshot hands to the regiment profile started from it.
    pub introduce_seed: [u8; 32],
}

/// The profile a file belongs to: a decisions file goes only to the same reviewer and unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Owner {
    username: String,
    unit_id: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionsManifest {
    owner: Owner,
    profile: String,
    server: Option<String>,
    count: u64,
}

/// One pending decision with the declaration as the reviewer saw it and its audit trail.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExchangedDecision {
    decision: DecisionRecord,
    seen_doc: Option<String>,
    audit: Vec<AuditEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CursorRow {
    scope: jxjy_core::SyncScope,
    cursor: String,
    server_count: Option<i64>,
    server_checksum: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SnapshotManifest {
    owner: Owner,
    unit_name: Option<String>,
    review_year: i32,
    server: Option<String>,
    /// The platform's rule set for the year (JSON), so evaluation works with no link.
    rules: Option<String>,
    cursors: Vec<CursorRow>,
    staff: u64,
    declarations: u64,
    evidence: u64,
    /// The signing seed (hex) of the profile started from this snapshot: the profile that made
    /// the snapshot knows its public half, so decisions coming back verify.
    signing_seed: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum SnapshotItem {
    Staff(Vec<Staff>),
    Declarations(Vec<Declaration>),
}

/// Rows per snapshot item: small enough to stream, large enough to keep framing cheap.
const CHUNK: usize = 500;

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportReport {
    pub kind: String,
    pub decisions: u64,
    pub staff: u64,
    pub declarations: u64,
    pub evidence_files: u64,
    pub bytes: u64,
}

/// An item an import left out, and why (Chinese, for the reviewer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SkippedItem {
    pub id: String,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportReport {
    pub kind: String,
    pub origin: String,
    pub created_at: String,
    /// Decisions queued for upload by this import.
    pub imported: u64,
    /// Decisions this profile already had (an earlier import, or its own): left as they are.
    pub already_present: u64,
    pub skipped: Vec<SkippedItem>,
    pub staff: u64,
    pub declarations: u64,
    pub evidence_files: u64,
}

fn json<T: Serialize>(v: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn parse<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes)
        .map_err(|e| StoreError::Exchange(jxjy_exchange::ExchangeError::BadRecord(e.to_string())))
}

fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Store {
    fn owner(&self) -> Result<Option<Owner>, StoreError> {
        let m = self.profile_meta()?;
        Ok(match (m.username, m.unit_id) {
            (Some(username), Some(unit_id)) => Some(Owner { username, unit_id }),
            _ => None,
        })
    }

    fn sealer<W: Write>(
        &self,
        out: W,
        kind: Kind,
        seal: &Seal<'_>,
        now: DateTime<Utc>,
    ) -> Result<Sealer<W>, StoreError> {
        let m = self.profile_meta()?;
        let (unit, user) = (m.unit_name(), m.username.as_deref().unwrap_or_default());
        let origin = Origin {
            kind,
            created_at: stamp(now),
            origin: format!("{user} · {unit} · {}", self.profile().as_str()),
        };
        Ok(Sealer::with_passphrase(
            out,
            origin,
            seal.passphrase,
            seal.salt,
            seal.nonce_prefix,
        )?)
    }

    /// Writes every decision waiting for upload, with its audit entries, into a sealed file.
    /// The decisions stay queued here: if this machine gets a link first, the platform applies
    /// each key once either way.
    pub fn export_decisions<W: Write>(
        &self,
        out: W,
        seal: &Seal<'_>,
        now: DateTime<Utc>,
    ) -> Result<ExportReport, StoreError> {
        let owner = self.owner()?.ok_or(StoreError::NotLoggedIn)?;
        let pending = self.outbox()?;
        let mut sealer = self.sealer(out, Kind::Decisions, seal, now)?;
        let manifest = DecisionsManifest {
            owner,
            profile: self.profile().as_str().to_owned(),
            server: self.profile_meta()?.server,
            count: pending.len() as u64,
        };
        let signer = self.own_signer(&seal.own_seed)?;
        sealer.record(&Record::Manifest(json(&manifest)?))?;
        for d in &pending {
            let seen_doc: Option<String> = self
                .conn
                .query_row(
                    "SELECT seen_doc FROM decisions WHERE key = ?1",
                    [&d.key],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            let audit = audit::history(&self.conn, &format!("declaration:{}", d.declaration_id))?;
            let item = ExchangedDecision {
                decision: d.clone(),
                seen_doc,
                audit,
            };
            sealer.record(&Record::Item(json(&item)?))?;
        }
        let (_, bytes) = sealer.finish(&signer)?;
        Ok(ExportReport {
            kind: "decisions".into(),
            decisions: pending.len() as u64,
            staff: 0,
            declarations: 0,
            evidence_files: 0,
            bytes,
        })
    }

    /// Writes the roster, the live declarations and every stored evidence file, with the sync
    /// cursors and rule set, into a sealed snapshot for a profile with no link.
    pub fn export_snapshot<W: Write>(
        &self,
        out: W,
        seal: &Seal<'_>,
        now: DateTime<Utc>,
    ) -> Result<ExportReport, StoreError> {
        let owner = self.owner()?.ok_or(StoreError::NotLoggedIn)?;
        let meta = self.profile_meta()?;
        let year = meta.review_year;
        let input = self.load_input(year)?;
        let cursors = self
            .conn
            .prepare(
                "SELECT scope, cursor, server_count, server_checksum FROM sync_cursors ORDER BY scope",
            )?
            .query_map([], |r| {
                Ok(CursorRow {
                    scope: crate::codes::from_code(&r.get::<_, String>(0)?)
                        .map_err(|e| rusqlite::Error::InvalidColumnName(e.to_string()))?,
                    cursor: r.get(1)?,
                    server_count: r.get(2)?,
                    server_checksum: r.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let present: Vec<String> = self
            .conn
            .prepare("SELECT sha256 FROM evidence WHERE state = 'present' ORDER BY sha256")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let manifest = SnapshotManifest {
            owner,
            unit_name: meta.unit_name,
            review_year: year,
            server: meta.server,
            rules: self.meta(&format!("rules_{year}"))?,
            cursors,
            staff: input.staff.len() as u64,
            declarations: input.declarations.len() as u64,
            evidence: present.len() as u64,
            signing_seed: crate::signing::seed_to_hex(&seal.introduce_seed).to_string(),
        };
        let signer = self.own_signer(&seal.own_seed)?;
        let introduced = jxjy_exchange::Signer::from_seed(&seal.introduce_seed)?.public_key();
        self.introduce(introduced, now)?;
        let mut sealer = self.sealer(out, Kind::Snapshot, seal, now)?;
        sealer.record(&Record::Manifest(json(&manifest)?))?;
        for chunk in input.staff.chunks(CHUNK) {
            let item = SnapshotItem::Staff(chunk.to_vec());
            sealer.record(&Record::Item(json(&item)?))?;
        }
        for chunk in input.declarations.chunks(CHUNK) {
            let item = SnapshotItem::Declarations(chunk.to_vec());
            sealer.record(&Record::Item(json(&item)?))?;
        }
        for sha in &present {
            let data = self.read_evidence(sha)?;
            sealer.record(&Record::Blob {
                sha256: sha.clone(),
                data,
            })?;
        }
        let (_, bytes) = sealer.finish(&signer)?;
        Ok(ExportReport {
            kind: "snapshot".into(),
            decisions: 0,
            staff: manifest.staff,
            declarations: manifest.declarations,
            evidence_files: manifest.evidence,
            bytes,
        })
    }

    /// Imports an exchange file of either kind. Everything is applied in one transaction after
    /// the last byte has been authenticated; any error applies nothing.
    pub fn import_exchange<R: Read>(
        &mut self,
        input: R,
        passphrase: &str,
        reviewer: &str,
        now: DateTime<Utc>,
    ) -> Result<ImportReport, StoreError> {
        let mut opener = Opener::with_passphrase(input, passphrase)?;
        let header = opener.header().clone();
        let Some(Record::Manifest(manifest)) = opener.next_record()? else {
            return Err(jxjy_exchange::ExchangeError::BadRecord("no manifest".into()).into());
        };
        let mut report = ImportReport {
            kind: match header.kind {
                Kind::Decisions => "decisions".into(),
                Kind::Snapshot => "snapshot".into(),
            },
            origin: header.origin.clone(),
            created_at: header.created_at.clone(),
            imported: 0,
            already_present: 0,
            skipped: Vec::new(),
            staff: 0,
            declarations: 0,
            evidence_files: 0,
        };
        let mine = self.owner()?;
        let own_key = self.signing_key()?;
        let trusted = self.decisions_signers()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        match header.kind {
            Kind::Decisions => {
                let m: DecisionsManifest = parse(&manifest)?;
                let mine = mine.ok_or(StoreError::NotLoggedIn)?;
                if m.owner != mine {
                    return Err(StoreError::ExchangeOwner {
                        file: format!("{} / {}", m.owner.username, m.owner.unit_id),
                        profile: format!("{} / {}", mine.username, mine.unit_id),
                    });
                }
                while let Some(record) = opener.next_record()? {
                    let Record::Item(body) = record else {
                        return Err(jxjy_exchange::ExchangeError::BadRecord(
                            "a file in a decisions file".into(),
                        )
                        .into());
                    };
                    let item: ExchangedDecision = parse(&body)?;
                    import_decision(&tx, item, &mine, reviewer, now, &mut report)?;
                }
                let signer = opener
                    .signer()
                    .ok_or(jxjy_exchange::ExchangeError::Unsigned)?;
                crate::signing::check_decisions_signer(&signer, &trusted)?;
            }
            Kind::Snapshot => {
                let m: SnapshotManifest = parse(&manifest)?;
                // The address a new profile will talk to: plain http elsewhere than this
                // computer is refused before anything is written.
                if let Some(server) = &m.server {
                    jxjy_core::address::PlatformAddress::parse(server)
                        .map_err(StoreError::SnapshotAddress)?;
                }
                if let Some(mine) = &mine {
                    if mine.unit_id != m.owner.unit_id {
                        return Err(StoreError::ExchangeOwner {
                            file: format!("{} / {}", m.owner.username, m.owner.unit_id),
                            profile: format!("{} / {}", mine.username, mine.unit_id),
                        });
                    }
                }
                while let Some(record) = opener.next_record()? {
                    match record {
                        Record::Item(body) => match parse::<SnapshotItem>(&body)? {
                            SnapshotItem::Staff(s) => {
                                report.staff += s.len() as u64;
                                upsert_all_newer(&tx, &s, &[])?;
                            }
                            SnapshotItem::Declarations(d) => {
                                report.declarations += d.len() as u64;
                                upsert_all_newer(&tx, &[], &d)?;
                            }
                        },
                        Record::Blob { sha256, data } => {
                            if store_blob(&tx, &sha256, &data)? {
                                report.evidence_files += 1;
                            }
                        }
                        Record::Manifest(_) => {}
                    }
                }
                let signer = opener
                    .signer()
                    .ok_or(jxjy_exchange::ExchangeError::Unsigned)?;
                let from = crate::signing::check_snapshot_signer(&tx, &signer, own_key)?;
                if from == crate::signing::SnapshotFrom::Source {
                    crate::signing::adopt_seed(&tx, &m.signing_seed)?;
                }
                adopt_snapshot(&tx, &m, mine.is_none(), now)?;
                audit::append(
                    &tx,
                    now,
                    reviewer,
                    "exchange_import_snapshot",
                    "profile",
                    None,
                    Some(&serde_json::json!({
                        "origin": header.origin,
                        "created_at": header.created_at,
                        "staff": report.staff,
                        "declarations": report.declarations,
                        "evidence_files": report.evidence_files,
                    })),
                )?;
            }
        }
        tx.commit()?;
        if header.kind == Kind::Snapshot {
            let year = self.profile_meta()?.review_year;
            let rules = self.stored_rules(year)?;
            self.reevaluate(&rules, year, now.date_naive())?;
        }
        Ok(report)
    }
}

/// Queues one imported decision unless this profile has it already (same key) or has its own
/// decision on the declaration waiting for upload (that one is the reviewer's latest word here).
fn import_decision(
    tx: &Transaction<'_>,
    item: ExchangedDecision,
    owner: &Owner,
    reviewer: &str,
    now: DateTime<Utc>,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    let d = item.decision;
    let known: Option<String> = tx
        .query_row(
            "SELECT state FROM decisions WHERE key = ?1",
            [&d.key],
            |r| r.get(0),
        )
        .optional()?;
    if known.is_some() {
        report.already_present += 1;
        return Ok(());
    }
    let other: Option<DecisionRecord> = tx
        .query_row(
            &format!(
                "SELECT {DECISION_COLUMNS} FROM decisions WHERE declaration_id = ?1 AND state = 'pending'"
            ),
            [&d.declaration_id],
            decision_from_row,
        )
        .optional()?;
    if let Some(other) = other {
        report.skipped.push(SkippedItem {
            id: d.declaration_id.clone(),
            reason: format!(
                "本机已有该申报待上传的审核意见（{}），未导入文件中的意见",
                other.decided_at
            ),
        });
        return Ok(());
    }
    if d.state != jxjy_core::DecisionState::Pending {
        report.skipped.push(SkippedItem {
            id: d.declaration_id.clone(),
            reason: "文件中的审核意见不是待上传状态".into(),
        });
        return Ok(());
    }
    if let Err(why) = check_imported(tx, &d, owner) {
        report.skipped.push(SkippedItem {
            id: d.declaration_id.clone(),
            reason: why,
        });
        return Ok(());
    }
    crate::decide::enqueue(tx, &d, item.seen_doc.as_deref(), now)?;
    let after = serde_json::json!({ "decision": d, "audit_at_origin": item.audit });
    audit::append(
        tx,
        now,
        reviewer,
        "exchange_import",
        &format!("declaration:{}", d.declaration_id),
        None,
        Some(&after),
    )?;
    report.imported += 1;
    Ok(())
}

/// An imported decision gets the checks a decision made here gets: made by this reviewer, its
/// shape (a reason for a return or a rejection, hours and category only on an approval), and,
/// where this profile holds the same version of the declaration evaluated, the full check
/// against that evaluation. The reason it fails, in Chinese, when it does.
fn check_imported(tx: &Transaction<'_>, d: &DecisionRecord, owner: &Owner) -> Result<(), String> {
    if d.reviewer != owner.username {
        return Err(format!(
            "审核意见由“{}”作出，不是本档案的审核人“{}”",
            d.reviewer, owner.username
        ));
    }
    let decided_at = DateTime::parse_from_rfc3339(&d.decided_at)
        .map_err(|_| "审核时间格式有误".to_owned())?
        .with_timezone(&Utc);
    let decision = jxjy_core::decision::Decision {
        declaration_id: d.declaration_id.clone(),
        declaration_version: d.declaration_version,
        outcome: d.outcome,
        credited_hours: d.credited_hours,
        category: d.category,
        reason: d.reason.clone(),
        reviewer: d.reviewer.clone(),
        decided_at,
        idempotency_key: d.key.clone(),
    };
    decision.validate_shape().map_err(|e| e.message_zh())?;
    if d.reason.as_deref().is_some_and(|r| r.chars().count() > 500) {
        return Err("审核意见超过500字".into());
    }
    let evaluation = crate::decide::evaluation_at(tx, &d.declaration_id, d.declaration_version)
        .map_err(|e| e.message_zh())?;
    if let Some(evaluation) = evaluation {
        decision.validate(&evaluation).map_err(|e| e.message_zh())?;
    }
    Ok(())
}

/// Stores an evidence file the snapshot carried (its hash was checked by the reader); false
/// when the file is not referenced by any declaration here.
fn store_blob(tx: &Transaction<'_>, sha256: &str, data: &[u8]) -> Result<bool, StoreError> {
    if data.len() as u64 > jxjy_core::evidence_record::MAX_EVIDENCE_BYTES {
        return Err(jxjy_exchange::ExchangeError::BadRecord(format!(
            "an evidence file of {} bytes is over the limit",
            data.len()
        ))
        .into());
    }
    let state: Option<String> = tx
        .query_row(
            "SELECT state FROM evidence WHERE sha256 = ?1",
            [sha256],
            |r| r.get(0),
        )
        .optional()?;
    match state.as_deref() {
        None => Ok(false),
        Some("present") => Ok(true),
        Some(_) => {
            tx.execute("DELETE FROM evidence_chunks WHERE sha256 = ?1", [sha256])?;
            crate::evidence::insert_chunks(tx, sha256, 0, data)?;
            tx.execute(
                "UPDATE evidence SET state = 'present', bytes_stored = ?2, size = ?2 WHERE sha256 = ?1",
                params![sha256, data.len() as i64],
            )?;
            Ok(true)
        }
    }
}

/// Takes over the snapshot's identity (for a profile that never logged in), rule set and
/// cursors (where this profile has none yet, so a later sync continues from the snapshot).
fn adopt_snapshot(
    tx: &Transaction<'_>,
    m: &SnapshotManifest,
    fresh_profile: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let set = |k: &str, v: &str| crate::sync_state::write_meta(tx, k, v);
    if fresh_profile {
        set("username", &m.owner.username)?;
        set("unit_id", &m.owner.unit_id)?;
        set("review_year", &m.review_year.to_string())?;
        if let Some(u) = &m.unit_name {
            set("unit_name", u)?;
        }
        if let Some(s) = &m.server {
            set("server", s)?;
        }
    }
    if let Some(rules) = &m.rules {
        set(&format!("rules_{}", m.review_year), rules)?;
    }
    // The snapshot's rules serve offline; they never stand in for the platform's: the next
    // sync that reaches the platform fetches them again (#17).
    tx.execute("DELETE FROM meta WHERE key = 'rules_fetched_at'", [])?;
    set("snapshot_imported_at", &now.to_rfc3339())?;
    for c in &m.cursors {
        tx.execute(
            "INSERT INTO sync_cursors (scope, cursor, server_count, server_checksum, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(scope) DO NOTHING",
            params![
                c.scope.code(),
                c.cursor,
                c.server_count,
                c.server_checksum,
                now.to_rfc3339()
            ],
        )?;
    }
    Ok(())
}
