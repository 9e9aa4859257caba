//! The one atomic file writer of the program: a file appears whole under its name or not at all
//! (written to `<name>.partial`, synced, renamed into place); a failure leaves nothing behind.
//! The app, the CLI and the spot-check pack's zip all write through it.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Wraps an I/O error with the path it concerns.
fn at(path: &Path, what: &str, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("cannot {what} {}: {e}", path.display()))
}

/// Writes `path` through `f`, atomically. `f`'s own error type only needs to take an I/O error.
pub fn write_atomically<T, E>(
    path: &Path,
    f: impl FnOnce(&mut BufWriter<std::fs::File>) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<std::io::Error>,
{
    let tmp = partial(path);
    let file = std::fs::File::create(&tmp).map_err(|e| at(&tmp, "create", e))?;
    let mut w = BufWriter::new(file);
    let result = f(&mut w).and_then(|value| {
        w.flush()
            .and_then(|()| w.get_ref().sync_all())
            .map_err(|e| at(&tmp, "write", e))?;
        std::fs::rename(&tmp, path).map_err(|e| at(path, "rename to", e))?;
        Ok(value)
    });
    if result.is_err() {
        drop(w);
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// `<path>.partial`, beside it.
pub fn partial(path: &Path) -> PathBuf {
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
        let d = std::env::temp_dir().join(format!("jxjy-atomic-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_failed_write_leaves_neither_the_file_nor_its_partial() {
        let d = dir("fail");
        let path = d.join("out.xlsx");
        let r: Result<(), std::io::Error> = write_atomically(&path, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("stop"))
        });
        assert!(r.is_err());
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 0);
    }

    #[test]
    fn a_good_write_replaces_the_old_file_whole() {
        let d = dir("ok");
        let path = d.join("a.jxjy");
        std::fs::write(&path, b"old").unwrap();
        write_atomically(&path, |w| w.write_all(b"new content")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new content");
        assert!(!d.join("a.jxjy.partial").exists());
    }

    #[test]
    fn a_missing_folder_is_named_in_the_error() {
        let path = std::env::temp_dir()
            .join("jxjy-no-such-dir-x")
            .join("f.xlsx");
        let e = write_atomically(&path, |w| w.write_all(b"x")).unwrap_err();
        assert!(e.to_string().contains("f.xlsx.partial"), "{e}");
    }
}
