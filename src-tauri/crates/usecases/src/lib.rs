//! jxjy-usecases: one function per thing a reviewer does, called by the desktop app's commands
//! and by the CLI alike, so neither shell builds a decision, opens a store or writes a file its
//! own way.
//!
//! A crate of its own rather than a module of the store: a use case spans the store, the office
//! formats and the file system (a spot-check pack reads the store and writes a zip), and the
//! store stays the one place of SQL with no knowledge of xlsx or folders.

pub mod error;
pub mod evidence;
pub mod exchange;
pub mod exports;
pub mod files;
pub mod ids;
pub mod profile;
pub mod readings;
pub mod review;
pub mod roster;
pub mod spotcheck;

pub use error::UseCaseError;
