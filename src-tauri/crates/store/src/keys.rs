//! Secrets in the OS keyring: the wrapped database key of each profile and the platform tokens.
//! Nothing here is ever written to a file, a log or an environment variable.

use crate::error::StoreError;
use crate::profile::ProfileName;
use std::fmt;
use zeroize::Zeroize;

/// The keyring service all entries of the app live under.
pub const SERVICE: &str = "jxjy-review";

/// A value that never prints itself, has no serializer, and is overwritten with zeros when it
/// is dropped (a lock takes the database key out of memory).
pub struct Sensitive<T: Zeroize>(T);

impl<T: Zeroize> Sensitive<T> {
    pub fn new(value: T) -> Sensitive<T> {
        Sensitive(value)
    }

    /// The secret itself; call sites are few and obvious.
    pub fn expose(&self) -> &T {
        &self.0
    }

    pub(crate) fn expose_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: Zeroize + Clone> Sensitive<T> {
    /// A second copy, for a second connection (the sync worker's); dropped as carefully.
    pub fn duplicate(&self) -> Sensitive<T> {
        Sensitive(self.0.clone())
    }
}

impl<T: Zeroize> Drop for Sensitive<T> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<T: Zeroize> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sensitive(<redacted>)")
    }
}

/// A SQLCipher raw key: 256 bits.
pub type DbKey = Sensitive<[u8; 32]>;

/// Which keyring the process talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The platform's own: Secret Service on Linux, Credential Manager on Windows, Keychain on
    /// macOS.
    Os,
    /// Linux kernel keyutils (session keyring): for headless machines and CI; not persistent.
    #[cfg(target_os = "linux")]
    Keyutils,
    /// Process memory: tests only.
    Memory,
}

impl Backend {
    /// Parses the `JXJY_KEYRING` setting (a backend name, never a secret).
    pub fn parse(name: &str) -> Option<Backend> {
        match name {
            "os" | "" => Some(Backend::Os),
            #[cfg(target_os = "linux")]
            "keyutils" => Some(Backend::Keyutils),
            "memory" => Some(Backend::Memory),
            _ => None,
        }
    }

    /// The names [`Backend::parse`] takes here, for an error message.
    pub const NAMES: &'static str = if cfg!(target_os = "linux") {
        "os, keyutils or memory"
    } else {
        "os or memory"
    };
}

/// The backend installed, for telling a missing Secret Service from other failures.
static INSTALLED: std::sync::OnceLock<Backend> = std::sync::OnceLock::new();

/// Selects the keyring for the whole process. Call once at start-up.
pub fn install(backend: Backend) {
    let _ = INSTALLED.set(backend);
    match backend {
        #[cfg(target_os = "linux")]
        Backend::Os => keyring::set_default_credential_builder(
            keyring::secret_service::default_credential_builder(),
        ),
        #[cfg(windows)]
        Backend::Os => {
            keyring::set_default_credential_builder(keyring::windows::default_credential_builder())
        }
        #[cfg(target_os = "macos")]
        Backend::Os => {
            keyring::set_default_credential_builder(keyring::macos::default_credential_builder())
        }
        #[cfg(target_os = "linux")]
        Backend::Keyutils => {
            keyring::set_default_credential_builder(keyring::keyutils::default_credential_builder())
        }
        Backend::Memory => crate::memory_keyring::install(),
    }
}

fn entry(profile: &ProfileName, what: &str) -> Result<keyring::Entry, StoreError> {
    keyring::Entry::new(SERVICE, &format!("{}:{what}", profile.as_str())).map_err(keyring_err)
}

fn keyring_err(e: keyring::Error) -> StoreError {
    // On Linux the OS keyring is the Secret Service over D-Bus: without a session bus or a
    // keyring daemon (a server, a container, an SSH login) every call fails the same way, and
    // the D-Bus message does not say what to do.
    let os_backend = INSTALLED.get().is_none_or(|b| *b == Backend::Os);
    if cfg!(target_os = "linux")
        && os_backend
        && matches!(
            e,
            keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_)
        )
    {
        return StoreError::NoSecretService;
    }
    StoreError::Keyring(e.to_string())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex32(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(s.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

/// A raw database key as releases before the unlock secret kept it: read once, to wrap it
/// when the reviewer sets a secret, then deleted.
pub(crate) fn load_legacy_db_key(profile: &ProfileName) -> Result<Option<DbKey>, StoreError> {
    match entry(profile, "db-key")?.get_password() {
        Ok(text) => unhex32(text.trim())
            .map(|k| Some(Sensitive::new(k)))
            .ok_or_else(|| StoreError::Keyring("the stored database key is malformed".into())),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_err(e)),
    }
}

/// Stores a raw key the legacy way (tests of the upgrade only).
#[doc(hidden)]
pub fn save_legacy_db_key(profile: &ProfileName, key: &DbKey) -> Result<(), StoreError> {
    entry(profile, "db-key")?
        .set_password(&hex(key.expose()))
        .map_err(keyring_err)
}

/// The wrapped database key (an `Envelope` as text), if the profile has an unlock secret.
pub(crate) fn load_envelope(profile: &ProfileName) -> Result<Option<String>, StoreError> {
    match entry(profile, "db-envelope")?.get_password() {
        Ok(text) => Ok(Some(text)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_err(e)),
    }
}

/// Stores the envelope and reads it back, so a keyring that silently drops writes is caught
/// before any data is encrypted with a key that would be lost.
pub(crate) fn save_envelope(profile: &ProfileName, text: &str) -> Result<(), StoreError> {
    entry(profile, "db-envelope")?
        .set_password(text)
        .map_err(keyring_err)?;
    match load_envelope(profile)? {
        Some(back) if back == text => Ok(()),
        _ => Err(StoreError::Keyring(
            "the keyring did not keep the wrapped database key".into(),
        )),
    }
}

/// Sets an envelope aside (`db-envelope-replaced`, the last one only) before a new one takes
/// its name: one whose database file is gone — a data folder deleted or moved while the OS
/// keyring kept its entries — is replaced when the profile is set up again, and a folder
/// restored later can still be opened by hand with the old secret.
pub(crate) fn set_envelope_aside(profile: &ProfileName, text: &str) -> Result<(), StoreError> {
    entry(profile, "db-envelope-replaced")?
        .set_password(text)
        .map_err(keyring_err)
}

/// The platform tokens of a profile: the access token and the one-time refresh token.
pub struct Tokens {
    pub access: Sensitive<String>,
    pub refresh: Sensitive<String>,
}

/// Stores the platform tokens (never the password).
pub fn save_tokens(profile: &ProfileName, tokens: &Tokens) -> Result<(), StoreError> {
    entry(profile, "access-token")?
        .set_password(tokens.access.expose())
        .map_err(keyring_err)?;
    entry(profile, "refresh-token")?
        .set_password(tokens.refresh.expose())
        .map_err(keyring_err)?;
    Ok(())
}

/// The stored tokens, if the profile has logged in.
pub fn load_tokens(profile: &ProfileName) -> Result<Option<Tokens>, StoreError> {
    let get = |what: &str| -> Result<Option<String>, StoreError> {
        match entry(profile, what)?.get_password() {
            Ok(v) => Ok(Some(v)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_err(e)),
        }
    };
    match (get("access-token")?, get("refresh-token")?) {
        (Some(a), Some(r)) => Ok(Some(Tokens {
            access: Sensitive::new(a),
            refresh: Sensitive::new(r),
        })),
        _ => Ok(None),
    }
}

/// Forgets the tokens (log out). The database and its key stay.
pub fn delete_tokens(profile: &ProfileName) -> Result<(), StoreError> {
    for what in ["access-token", "refresh-token"] {
        match entry(profile, what)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => {}
            Err(e) => return Err(keyring_err(e)),
        }
    }
    Ok(())
}

/// Removes the legacy raw key once the envelope holds it.
pub(crate) fn delete_legacy_db_key(profile: &ProfileName) -> Result<(), StoreError> {
    match entry(profile, "db-key")?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keyring_err(e)),
    }
}

/// The SQLCipher `PRAGMA key` literal for a raw key (no passphrase derivation: the key is
/// already 256 random bits).
pub(crate) fn pragma_literal(key: &DbKey) -> String {
    format!("\"x'{}'\"", hex(key.expose()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_never_prints() {
        let k: DbKey = Sensitive::new([7u8; 32]);
        assert_eq!(format!("{k:?}"), "Sensitive(<redacted>)");
    }

    #[test]
    fn hex_round_trip() {
        let k = [0xabu8; 32];
        assert_eq!(unhex32(&hex(&k)), Some(k));
        assert_eq!(unhex32("zz"), None);
    }
}
