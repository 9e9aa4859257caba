//! jxjy-store: the reviewer's encrypted offline store.
//!
//! One SQLCipher database per reviewer profile, keyed by 256 random bits that the OS keyring
//! holds only wrapped by the reviewer's unlock secret (and a recovery code). Decisions, their outbox entries and audit entries commit together; the audit log
//! is a hash chain that detects edited, inserted and deleted entries.

pub mod audit;
pub mod audit_anchor;
pub mod batch;
mod cipher_start;
mod codes;
mod count_cache;
pub mod db;
pub mod decide;
pub mod error;
pub mod evidence;
pub mod exchange;
pub mod figures;
pub mod import;
pub mod key_wrap;
pub mod keys;
pub mod memory_keyring;
pub mod profile;
pub mod profile_meta;
pub mod queries;
pub mod readings;
pub mod roster;
pub mod roster_fix;
mod schema;
pub mod signing;
pub mod spotcheck;
pub mod sync_state;
pub mod undo;
pub mod unlock;

pub use db::Store;
pub use error::StoreError;
pub use keys::{DbKey, Sensitive};
pub use profile::{Home, ProfileName};
pub use profile_meta::ProfileMeta;
