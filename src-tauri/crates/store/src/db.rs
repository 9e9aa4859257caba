//! Opening a profile's database: SQLCipher with the unwrapped key, pragmas, migrations.

use crate::error::StoreError;
use crate::keys::{self, DbKey};
use crate::profile::{Home, ProfileName};
use crate::schema;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};

/// An open, unlocked, migrated profile database.
pub struct Store {
    pub(crate) conn: Connection,
    profile: ProfileName,
    path: PathBuf,
    pub(crate) counts: std::cell::RefCell<crate::count_cache::CountCache>,
    /// What checking the audit chain found when the profile was opened.
    audit_at_open: crate::audit::AuditReport,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("profile", &self.profile)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens the profile's database (creating it on first use) with its key, as unwrapped by
    /// `unlock` (the keyring alone never gives it).
    pub fn open(home: &Home, profile: &ProfileName, key: &DbKey) -> Result<Store, StoreError> {
        create_private_dir(&home.profile_dir(profile))?;
        Store::open_path(&home.db_path(profile), profile.clone(), key)
    }

    /// Opens (or creates) the database at `path` with `key`.
    pub fn open_path(path: &Path, profile: ProfileName, key: &DbKey) -> Result<Store, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        crate::cipher_start::wait_until_ready()?;
        let mut conn = Connection::open_with_flags(path, flags)?;
        // SQLCipher's own log would print decryption failures on stderr; we report them.
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        conn.execute_batch(&format!("PRAGMA key = {};", keys::pragma_literal(key)))?;
        // The first read decides whether the key fits.
        let check = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        });
        match check {
            Ok(_) => {}
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::NotADatabase => {
                return Err(StoreError::WrongKey {
                    profile: profile.as_str().to_owned(),
                })
            }
            Err(e) => return Err(e.into()),
        }
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA busy_timeout = 5000;
             PRAGMA cache_size = -65536;
             PRAGMA temp_store = MEMORY;",
        )?;
        schema::migrate(&mut conn)?;
        // Checked at every open, from the entry verified last: a rewrite or a truncation
        // shows as an alarm at once (the platform's anchor catches one that also reset this).
        let audit_at_open = crate::audit::verify_since_checkpoint(&conn)?;
        Ok(Store {
            conn,
            profile,
            path: path.to_owned(),
            counts: Default::default(),
            audit_at_open,
        })
    }

    /// What checking the audit chain found when this store was opened; a problem is an alarm.
    pub fn audit_at_open(&self) -> &crate::audit::AuditReport {
        &self.audit_at_open
    }

    pub fn profile(&self) -> &ProfileName {
        &self.profile
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `PRAGMA integrity_check`: `ok` or the first problems found.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(rows.join("; "))
    }

    /// Empties the connection's page cache (up to 64 MiB after a large sync) into the
    /// allocator; it fills again with what the next queries read.
    pub fn release_cache(&self) -> Result<(), StoreError> {
        Ok(self.conn.execute_batch("PRAGMA shrink_memory;")?)
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Forgets the remembered queue counts, for benchmarks that time the query itself.
    #[doc(hidden)]
    pub fn forget_counts(&self) {
        *self.counts.borrow_mut() = Default::default();
    }

    /// Direct access for tests and benchmarks that need raw SQL (tampering, fixtures).
    #[doc(hidden)]
    pub fn raw_connection(&self) -> &Connection {
        &self.conn
    }
}

fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    std::fs::create_dir_all(dir).map_err(StoreError::Io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(StoreError::Io)?;
    }
    Ok(())
}
