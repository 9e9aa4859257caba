//! Files the app and the CLI write: through the office crate's one atomic writer
//! (`jxjy_office::atomic`), so a file appears whole under its name or not at all.

use crate::error::UseCaseError;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use jxjy_office::atomic::{write_atomically, write_atomically_for, Readers};

/// Writes `bytes` to `path`, atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), UseCaseError> {
    write_atomically(path, |w| w.write_all(bytes))?;
    Ok(())
}

/// Writes `bytes` to `path`, atomically, readable by `readers`.
pub fn write_bytes_for(path: &Path, readers: Readers, bytes: &[u8]) -> Result<(), UseCaseError> {
    write_atomically_for(path, readers, |w| w.write_all(bytes))?;
    Ok(())
}

/// `dir/<stem>-<yyyymmdd-hhmmss>.<ext>` for a file the app names itself; `dir` is created.
pub fn stamped(
    dir: &Path,
    stem: &str,
    ext: &str,
    local_now: chrono::DateTime<chrono::Local>,
) -> Result<PathBuf, UseCaseError> {
    std::fs::create_dir_all(dir).map_err(|e| jxjy_office::atomic::at(dir, "create", e))?;
    Ok(dir.join(format!(
        "{stem}-{}.{ext}",
        local_now.format("%Y%m%d-%H%M%S")
    )))
}
