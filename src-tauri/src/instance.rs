//! One app per data folder. On office PCs the icon is often double-clicked twice: a second
//! window on the same profiles would run a second sync worker, write the same log files, clear
//! the first window's uploads, and let a reviewer decide one declaration in two windows that do
//! not see each other. The first app holds an OS file lock on `<home>/app.lock` for as long as
//! it runs (the OS drops it when the process ends, crash or not); a later app finds it held and
//! only tells the reviewer to use the window already open.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

/// What this process is to its data folder.
#[derive(Debug)]
pub struct Instance {
    /// The held lock; `None` when locking was impossible (then the app runs anyway).
    _lock: Option<File>,
    another: bool,
}

impl Instance {
    /// Another app holds the data folder: this one must not open a profile.
    pub fn another(&self) -> bool {
        self.another
    }
}

/// Takes the data folder's lock if no other app holds it. A folder that cannot be locked at
/// all (a file system without locks) is not a reason to refuse the reviewer: that is logged
/// on stderr and the app runs.
pub fn claim(root: &Path) -> Instance {
    match try_claim(root) {
        Ok(i) => i,
        Err(e) => {
            eprintln!(
                "cannot lock {}: {e}; not checking for another window",
                root.display()
            );
            Instance {
                _lock: None,
                another: false,
            }
        }
    }
}

fn try_claim(root: &Path) -> std::io::Result<Instance> {
    std::fs::create_dir_all(root)?;
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(root.join("app.lock"))?;
    match file.try_lock() {
        Ok(()) => Ok(Instance {
            _lock: Some(file),
            another: false,
        }),
        Err(TryLockError::WouldBlock) => Ok(Instance {
            _lock: None,
            another: true,
        }),
        Err(TryLockError::Error(e)) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_second_claim_finds_the_first_and_the_lock_goes_with_it() {
        let root = std::env::temp_dir().join(format!("jxjy-instance-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let first = claim(&root);
        assert!(!first.another());
        assert!(claim(&root).another());
        drop(first);
        let again = claim(&root);
        assert!(!again.another(), "a closed app leaves the folder free");
        drop(again);
        let _ = std::fs::remove_dir_all(&root);
    }
}
