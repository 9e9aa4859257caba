//! An in-memory keyring for tests: entries are shared by every `keyring::Entry` of the process
//! (unlike the keyring crate's mock), and nothing touches a file.

use keyring::credential::{Credential, CredentialApi, CredentialBuilderApi, CredentialPersistence};
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

type Secrets = Mutex<HashMap<(String, String), Vec<u8>>>;

fn secrets() -> &'static Secrets {
    static SECRETS: OnceLock<Secrets> = OnceLock::new();
    SECRETS.get_or_init(|| Mutex::new(HashMap::new()))
}

fn with<T>(f: impl FnOnce(&mut HashMap<(String, String), Vec<u8>>) -> T) -> keyring::Result<T> {
    let mut map = secrets()
        .lock()
        .map_err(|_| keyring::Error::PlatformFailure("memory keyring poisoned".into()))?;
    Ok(f(&mut map))
}

struct MemoryCredential {
    key: (String, String),
}

impl CredentialApi for MemoryCredential {
    fn set_secret(&self, secret: &[u8]) -> keyring::Result<()> {
        with(|m| {
            m.insert(self.key.clone(), secret.to_vec());
        })
    }

    fn get_secret(&self) -> keyring::Result<Vec<u8>> {
        with(|m| m.get(&self.key).cloned())?.ok_or(keyring::Error::NoEntry)
    }

    fn delete_credential(&self) -> keyring::Result<()> {
        with(|m| m.remove(&self.key))?
            .map(|_| ())
            .ok_or(keyring::Error::NoEntry)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

struct MemoryBuilder;

impl CredentialBuilderApi for MemoryBuilder {
    fn build(
        &self,
        _target: Option<&str>,
        service: &str,
        user: &str,
    ) -> keyring::Result<Box<Credential>> {
        Ok(Box::new(MemoryCredential {
            key: (service.to_owned(), user.to_owned()),
        }))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn persistence(&self) -> CredentialPersistence {
        CredentialPersistence::ProcessOnly
    }
}

/// Makes the memory keyring the process's default.
pub fn install() {
    keyring::set_default_credential_builder(Box::new(MemoryBuilder));
}

/// Puts a secret directly (tests that hand a key to a child process use this).
pub fn put(service: &str, user: &str, secret: &[u8]) -> keyring::Result<()> {
    with(|m| {
        m.insert((service.to_owned(), user.to_owned()), secret.to_vec());
    })
}

/// Every secret stored for `user` (tests that check what the keyring holds for a profile).
pub fn secrets_of(user_prefix: &str) -> Vec<(String, Vec<u8>)> {
    with(|m| {
        m.iter()
            .filter(|((_, user), _)| user.starts_with(user_prefix))
            .map(|((_, user), secret)| (user.clone(), secret.clone()))
            .collect()
    })
    .unwrap_or_default()
}
