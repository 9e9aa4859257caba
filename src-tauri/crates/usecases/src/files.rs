//! The one atomic file writer: a file the app or the CLI writes appears whole under its name or
//! not at all (written to `<name>.partial`, synced, renamed); a failure leaves nothing behind.

use crate::error::UseCaseError;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Writes `path` through `f`, atomically.
pub fn write_atomically<T, E>(
    path: &Path,
    f: impl FnOnce(&mut BufWriter<std::fs::File>) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<UseCaseError>,
{
    let tmp = partial(path);
    let file = std::fs::File::create(&tmp)
        .map_err(|e| UseCaseError::io(format!("cannot create {}", tmp.display()), e))?;
    let mut w = BufWriter::new(file);
    let result = f(&mut w).and_then(|value| {
        w.flush()
            .and_then(|()| w.get_ref().sync_all())
            .map_err(|e| UseCaseError::io(format!("cannot write {}", tmp.display()), e))?;
        std::fs::rename(&tmp, path)
            .map_err(|e| UseCaseError::io(format!("cannot rename to {}", path.display()), e))?;
        Ok(value)
    });
    if result.is_err() {
        drop(w);
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes `bytes` to `path`, atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), UseCaseError> {
    write_atomically(path, |w| {
        w.write_all(bytes)
            .map_err(|e| UseCaseError::io(format!("cannot write {}", path.display()), e))
    })
}

/// `dir/<stem>-<yyyymmdd-hhmmss>.<ext>` for a file the app names itself; `dir` is created.
pub fn stamped(
    dir: &Path,
    stem: &str,
    ext: &str,
    local_now: chrono::DateTime<chrono::Local>,
) -> Result<PathBuf, UseCaseError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| UseCaseError::io(format!("cannot create {}", dir.display()), e))?;
    Ok(dir.join(format!(
        "{stem}-{}.{ext}",
        local_now.format("%Y%m%d-%H%M%S")
    )))
}

fn partial(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".partial");
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("jxjy-files-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap_or_default();
        d
    }

    #[test]
    fn a_failed_write_leaves_neither_the_file_nor_its_partial() {
        let d = dir("fail");
        let path = d.join("out.xlsx");
        let r: Result<(), UseCaseError> = write_atomically(&path, |w| {
            w.write_all(b"half").map_err(|e| UseCaseError::io("x", e))?;
            Err(UseCaseError::input("stop", "停"))
        });
        assert!(r.is_err());
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(&d).map(|r| r.count()).unwrap_or(99), 0);
    }

    #[test]
    fn a_good_write_replaces_the_old_file_whole() {
        let d = dir("ok");
        let path = d.join("a.jxjy");
        std::fs::write(&path, b"old").unwrap_or_default();
        write_bytes(&path, b"new content").unwrap_or_default();
        assert_eq!(std::fs::read(&path).unwrap_or_default(), b"new content");
        assert!(!d.join("a.jxjy.partial").exists());
    }
}
