//! Migrations, each beside the tables it creates; applied in one transaction and recorded in
//! `PRAGMA user_version`. A database newer than this program is refused, never touched.

mod audit;
mod decisions;
mod declarations;
mod evidence;
mod spotcheck;
mod staff;
mod sync;

use crate::error::StoreError;
use rusqlite::Connection;

/// One schema version: the statements of every table module for that version.
struct Migration {
    version: i64,
    parts: &'static [&'static str],
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        parts: &[
            staff::V1,
            declarations::V1,
            evidence::V1,
            decisions::V1,
            sync::V1,
            audit::V1,
        ],
    },
    Migration {
        version: 2,
        parts: &[decisions::V2],
    },
    Migration {
        version: 3,
        parts: &[declarations::V3],
    },
    Migration {
        version: 4,
        parts: &[spotcheck::V4],
    },
    Migration {
        version: 5,
        parts: &[declarations::V5],
    },
    Migration {
        version: 6,
        parts: &[decisions::V6],
    },
    Migration {
        version: 7,
        parts: &[evidence::V7],
    },
];

/// The schema version this program writes.
pub const LATEST: i64 = 7;

/// Brings the database to `LATEST`, or refuses a newer one.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > LATEST {
        return Err(StoreError::TooNew {
            found,
            supported: LATEST,
        });
    }
    if found == LATEST {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
    for m in MIGRATIONS.iter().filter(|m| m.version > found) {
        for sql in m.parts {
            tx.execute_batch(sql)?;
        }
    }
    tx.pragma_update(None, "user_version", LATEST)?;
    tx.commit()?;
    Ok(())
}
