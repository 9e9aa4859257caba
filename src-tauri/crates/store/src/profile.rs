//! Reviewer profiles: several reviewers may share a PC; each has a folder and keyring entries.

use crate::error::StoreError;
use std::path::{Path, PathBuf};

/// A checked profile name: safe as a folder name and a keyring account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProfileName(String);

impl ProfileName {
    pub fn new(name: &str) -> Result<ProfileName, StoreError> {
        let ok = !name.is_empty()
            && name.chars().count() <= 64
            && !name.starts_with('.')
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if ok {
            Ok(ProfileName(name.to_owned()))
        } else {
            Err(StoreError::InvalidProfile(name.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The folder that holds every profile (`JXJY_HOME`, or the OS's app-data folder).
#[derive(Debug, Clone)]
pub struct Home {
    root: PathBuf,
}

impl Home {
    pub fn new(root: impl Into<PathBuf>) -> Home {
        Home { root: root.into() }
    }

    /// `JXJY_HOME` when set, else the platform's per-user data folder.
    pub fn from_env() -> Result<Home, StoreError> {
        if let Some(dir) = std::env::var_os("JXJY_HOME").filter(|v| !v.is_empty()) {
            return Ok(Home::new(dir));
        }
        default_data_dir()
            .map(|d| Home::new(d.join("jxjy-review")))
            .ok_or(StoreError::NoHome)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn profile_dir(&self, profile: &ProfileName) -> PathBuf {
        self.root.join("profiles").join(profile.as_str())
    }

    pub fn db_path(&self, profile: &ProfileName) -> PathBuf {
        self.profile_dir(profile).join("store.db")
    }

    /// Profiles that have a folder, sorted by name.
    pub fn profiles(&self) -> Result<Vec<ProfileName>, StoreError> {
        let dir = self.root.join("profiles");
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StoreError::Io(e)),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(StoreError::Io)?;
            if entry.file_type().map_err(StoreError::Io)?.is_dir() {
                if let Some(name) = entry.file_name().to_str() {
                    if let Ok(p) = ProfileName::new(name) {
                        names.push(p);
                    }
                }
            }
        }
        names.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(names)
    }
}

/// The OS's per-user data folder: `%LOCALAPPDATA%` on Windows (the database stays on this PC,
/// out of a roaming profile that would copy it at every logon), `~/Library/Application Support`
/// on macOS, `$XDG_DATA_HOME` or `~/.local/share` on Linux.
fn default_data_dir() -> Option<PathBuf> {
    dirs::data_local_dir()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_are_safe() {
        assert!(ProfileName::new("reviewer-01").is_ok());
        assert!(ProfileName::new("张三").is_ok());
        for bad in ["", "../x", "a/b", ".hidden", "a b", &"x".repeat(65)] {
            assert!(ProfileName::new(bad).is_err(), "{bad}");
        }
    }
}
