//! The one atomic file writer of the program: a file appears whole under its name or not at all
//! (written to `<name>.partial`, synced, renamed into place); a failure leaves nothing behind.
//! The app, the CLI and the spot-check pack's zip all write through it.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Wraps an I/O error with the path it concerns (`cannot <what> <path>: <error>`).
pub fn at(path: &Path, what: &str, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("cannot {what} {}: {e}", path.display()))
}

/// Who may read a file the program writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readers {
    /// As the folder's defaults give (the umask on Unix, the folder's inherited ACL on Windows).
    Default,
    /// The owner only: mode 0600 on Unix, set when the file is created, before a byte is in it.
    /// On Windows the file inherits its folder's ACL, which under the user's profile (where the
    /// exports folder is) grants only that user, SYSTEM and the Administrators.
    Owner,
}

/// Writes `path` through `f`, atomically. `f`'s own error type only needs to take an I/O error.
pub fn write_atomically<T, E>(
    path: &Path,
    f: impl FnOnce(&mut BufWriter<std::fs::File>) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<std::io::Error>,
{
    write_atomically_for(path, Readers::Default, f)
}

fn create(path: &Path, readers: Readers) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if readers == Readers::Owner {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    // On Windows a new file takes its folder's ACL: under the user's profile (Documents,
    // %LOCALAPPDATA%) that grants the user, SYSTEM and Administrators only, which is what
    // `Owner` asks for; the README says so for a Documents folder redirected to a share.
    #[cfg(not(unix))]
    let _ = readers;
    let file = options.open(path)?;
    // A partial file left by a crash may exist with other rights: the mode is set again.
    #[cfg(unix)]
    if readers == Readers::Owner {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

/// `write_atomically` with the readers of the file chosen.
pub fn write_atomically_for<T, E>(
    path: &Path,
    readers: Readers,
    f: impl FnOnce(&mut BufWriter<std::fs::File>) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<std::io::Error>,
{
    let tmp = partial(path);
    let file = create(&tmp, readers).map_err(|e| at(&tmp, "create", e))?;
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

    #[cfg(unix)]
    #[test]
    fn an_owner_only_file_is_0600_from_its_first_byte() {
        use std::os::unix::fs::PermissionsExt;
        let d = dir("private");
        let path = d.join("ids.xlsx");
        write_atomically_for(&path, Readers::Owner, |w| {
            let mode = std::fs::metadata(partial(&path))?.permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "the partial file");
            w.write_all(b"secret")
        })
        .unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
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
