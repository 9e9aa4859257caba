//! The database key wrapped by the reviewer's unlock secret and by a recovery code: pure
//! cryptography, no I/O. What the keyring holds (the envelope) opens nothing without one of
//! the two: each wrap is AES-256-GCM under a key derived by Argon2id from the secret.

use crate::keys::{DbKey, Sensitive};
use serde::{Deserialize, Serialize};

/// Argon2id cost of deriving the wrapping key. Recorded in each envelope, so it can be raised
/// later without orphaning a profile; bounded when read, so a crafted envelope cannot ask for
/// gigabytes or minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cost {
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
}

impl Cost {
    /// 64 MiB, 3 passes, 1 lane (RFC 9106's second recommendation, one lane because an office
    /// PC has few cores): about a third of a second here, and an attacker with the envelope
    /// pays the same for every guess.
    pub const STANDARD: Cost = Cost {
        m_kib: 64 * 1024,
        t: 3,
        p: 1,
    };

    fn in_bounds(&self) -> bool {
        (8 * 1024..=1024 * 1024).contains(&self.m_kib)
            && (1..=10).contains(&self.t)
            && (1..=4).contains(&self.p)
    }
}

/// One wrap of the database key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wrap {
    salt: String,
    nonce: String,
    sealed: String,
}

/// What the keyring keeps for a profile: the key wrapped twice, never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub v: u32,
    pub cost: Cost,
    pub by_secret: Wrap,
    pub by_recovery: Wrap,
}

/// Fresh random bytes for one envelope (passed in: the caller owns randomness).
pub struct Fresh {
    pub salts: [[u8; 16]; 2],
    pub nonces: [[u8; 12]; 2],
}

/// Why a wrap would not open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnwrapError {
    /// The secret (or recovery code) is not the one the key was wrapped with.
    Wrong,
    /// The envelope is not one this program wrote.
    Malformed(&'static str),
}

/// The upper bound of an envelope as read from the keyring, checked before it is parsed.
pub const MAX_ENVELOPE_BYTES: usize = 4096;

/// Longest secret accepted (Argon2 would take more; nobody types more).
pub const MAX_SECRET_CHARS: usize = 256;

fn derive(secret: &str, salt: &[u8], cost: Cost) -> Result<Sensitive<[u8; 32]>, UnwrapError> {
    if !cost.in_bounds() {
        return Err(UnwrapError::Malformed("cost out of range"));
    }
    let params = argon2::Params::new(cost.m_kib, cost.t, cost.p, Some(32))
        .map_err(|_| UnwrapError::Malformed("cost out of range"))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Sensitive::new([0u8; 32]);
    argon
        .hash_password_into(secret.as_bytes(), salt, out.expose_mut())
        .map_err(|_| UnwrapError::Malformed("cannot derive"))?;
    Ok(out)
}

fn aead(kek: &Sensitive<[u8; 32]>) -> Result<ring::aead::LessSafeKey, UnwrapError> {
    let unbound = ring::aead::UnboundKey::new(&ring::aead::AES_256_GCM, kek.expose())
        .map_err(|_| UnwrapError::Malformed("cipher"))?;
    Ok(ring::aead::LessSafeKey::new(unbound))
}

/// Binds a wrap to its profile and its role, so an envelope copied to another profile, or the
/// recovery wrap offered as the secret wrap, does not open.
fn aad(profile: &str, role: &str) -> Vec<u8> {
    format!("jxjy-review db-key v1\n{role}\n{profile}").into_bytes()
}

fn wrap_one(
    key: &DbKey,
    secret: &str,
    cost: Cost,
    salt: [u8; 16],
    nonce: [u8; 12],
    aad_bytes: &[u8],
) -> Result<Wrap, UnwrapError> {
    let kek = derive(secret, &salt, cost)?;
    let mut buf = key.expose().to_vec();
    aead(&kek)?
        .seal_in_place_append_tag(
            ring::aead::Nonce::assume_unique_for_key(nonce),
            ring::aead::Aad::from(aad_bytes),
            &mut buf,
        )
        .map_err(|_| UnwrapError::Malformed("cipher"))?;
    let w = Wrap {
        salt: hex(&salt),
        nonce: hex(&nonce),
        sealed: hex(&buf),
    };
    buf.iter_mut().for_each(|b| *b = 0);
    Ok(w)
}

fn unwrap_one(w: &Wrap, secret: &str, cost: Cost, aad_bytes: &[u8]) -> Result<DbKey, UnwrapError> {
    let salt = unhex(&w.salt, 16).ok_or(UnwrapError::Malformed("salt"))?;
    let nonce: [u8; 12] = unhex(&w.nonce, 12)
        .and_then(|n| n.try_into().ok())
        .ok_or(UnwrapError::Malformed("nonce"))?;
    let mut sealed = unhex(&w.sealed, 48).ok_or(UnwrapError::Malformed("sealed key"))?;
    let kek = derive(secret, &salt, cost)?;
    let opened = aead(&kek)?
        .open_in_place(
            ring::aead::Nonce::assume_unique_for_key(nonce),
            ring::aead::Aad::from(aad_bytes),
            &mut sealed,
        )
        .map_err(|_| UnwrapError::Wrong)?;
    let mut key = Sensitive::new([0u8; 32]);
    if opened.len() != 32 {
        return Err(UnwrapError::Malformed("sealed key"));
    }
    key.expose_mut().copy_from_slice(opened);
    sealed.iter_mut().for_each(|b| *b = 0);
    Ok(key)
}

impl Envelope {
    /// Wraps `key` for `profile` by `secret` and by `recovery`.
    pub fn seal(
        profile: &str,
        key: &DbKey,
        secret: &str,
        recovery: &RecoveryCode,
        cost: Cost,
        fresh: &Fresh,
    ) -> Result<Envelope, UnwrapError> {
        Ok(Envelope {
            v: 1,
            cost,
            by_secret: wrap_one(
                key,
                secret,
                cost,
                fresh.salts[0],
                fresh.nonces[0],
                &aad(profile, "secret"),
            )?,
            by_recovery: wrap_one(
                key,
                recovery.expose(),
                cost,
                fresh.salts[1],
                fresh.nonces[1],
                &aad(profile, "recovery"),
            )?,
        })
    }

    /// The database key, if `secret` is the unlock secret.
    pub fn open_with_secret(&self, profile: &str, secret: &str) -> Result<DbKey, UnwrapError> {
        self.check_version()?;
        unwrap_one(&self.by_secret, secret, self.cost, &aad(profile, "secret"))
    }

    /// The database key, if `code` is the recovery code (in any spelling a person writes).
    pub fn open_with_recovery(&self, profile: &str, code: &str) -> Result<DbKey, UnwrapError> {
        self.check_version()?;
        let code = RecoveryCode::normalize(code).ok_or(UnwrapError::Wrong)?;
        unwrap_one(
            &self.by_recovery,
            code.expose(),
            self.cost,
            &aad(profile, "recovery"),
        )
    }

    fn check_version(&self) -> Result<(), UnwrapError> {
        if self.v == 1 {
            Ok(())
        } else {
            Err(UnwrapError::Malformed("unknown envelope version"))
        }
    }

    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses what the keyring returned, bounded first.
    pub fn from_text(text: &str) -> Result<Envelope, UnwrapError> {
        if text.len() > MAX_ENVELOPE_BYTES {
            return Err(UnwrapError::Malformed("envelope too long"));
        }
        serde_json::from_str(text).map_err(|_| UnwrapError::Malformed("envelope"))
    }
}

/// The Crockford base-32 alphabet: no I, L, O or U, so a code written by hand reads back.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A recovery code: 25 characters (125 random bits) in five groups, shown once at set-up.
pub struct RecoveryCode(Sensitive<String>);

impl RecoveryCode {
    /// The code made of `random` (16 bytes from the OS; the last 3 bits are unused).
    pub fn from_random(random: [u8; 16]) -> RecoveryCode {
        let bits = u128::from_be_bytes(random);
        let text: String = (0..25)
            .map(|i| {
                let idx = ((bits >> (128 - 5 * (i + 1))) & 31) as usize;
                char::from(ALPHABET.get(idx).copied().unwrap_or(b'0'))
            })
            .collect();
        RecoveryCode(Sensitive::new(text))
    }

    /// Reads a code as a person types it: any case, with or without spaces and dashes, and
    /// O/I/L for 0/1/1. `None` when it cannot be a code.
    pub fn normalize(typed: &str) -> Option<RecoveryCode> {
        if typed.len() > 100 {
            return None;
        }
        let mut out = String::with_capacity(25);
        for c in typed.chars() {
            let c = match c.to_ascii_uppercase() {
                ' ' | '-' | '\t' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
                return None;
            }
            out.push(c);
        }
        (out.len() == 25).then(|| RecoveryCode(Sensitive::new(out)))
    }

    /// The 25 characters without separators.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// As shown and printed: five groups of five.
    pub fn grouped(&self) -> String {
        let chars: Vec<char> = self.expose().chars().collect();
        chars
            .chunks(5)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-")
    }
}

impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

/// Why a new unlock secret is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeakSecret {
    TooShort,
    TooLong,
}

/// What `check_new_secret` asks, for the reviewer (the page shows it beside the fields).
pub const SECRET_RULE_ZH: &str =
    "解锁密码至少6位数字，或至少8个字符（可含字母、数字、符号）；请不要使用平台密码";

/// A new secret: at least 6 digits, or at least 8 characters of any kind.
pub fn check_new_secret(secret: &str) -> Result<(), WeakSecret> {
    let n = secret.chars().count();
    if n > MAX_SECRET_CHARS {
        return Err(WeakSecret::TooLong);
    }
    let digits_only = !secret.is_empty() && secret.chars().all(|c| c.is_ascii_digit());
    if (digits_only && n >= 6) || n >= 8 {
        Ok(())
    } else {
        Err(WeakSecret::TooShort)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str, len: usize) -> Option<Vec<u8>> {
    if s.len() != len * 2 || !s.is_ascii() {
        return None;
    }
    (0..len)
        .map(|i| u8::from_str_radix(s.get(i * 2..i * 2 + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cheapest cost in bounds: these tests check the wrapping, not the cost.
    const CHEAP: Cost = Cost {
        m_kib: 8 * 1024,
        t: 1,
        p: 1,
    };

    fn fresh(n: u8) -> Fresh {
        Fresh {
            salts: [[n; 16], [n + 1; 16]],
            nonces: [[n; 12], [n + 2; 12]],
        }
    }

    #[test]
    fn the_secret_and_the_recovery_code_open_it_and_nothing_else() {
        let key: DbKey = Sensitive::new([42u8; 32]);
        let code = RecoveryCode::from_random([7u8; 16]);
        let env = Envelope::seal("r1", &key, "246810", &code, CHEAP, &fresh(1)).unwrap();
        let text = env.to_text();
        assert!(
            !text.contains(&"2a".repeat(32)),
            "the raw key is not in the envelope"
        );
        let env = Envelope::from_text(&text).unwrap();
        assert_eq!(
            env.open_with_secret("r1", "246810").unwrap().expose(),
            &[42u8; 32]
        );
        let typed = code.grouped().to_lowercase();
        assert_eq!(
            env.open_with_recovery("r1", &typed).unwrap().expose(),
            &[42u8; 32]
        );
        assert_eq!(
            env.open_with_secret("r1", "246811").unwrap_err(),
            UnwrapError::Wrong
        );
        // The recovery code is not a secret, nor the secret a recovery code.
        assert_eq!(
            env.open_with_secret("r1", code.expose()).unwrap_err(),
            UnwrapError::Wrong
        );
        // An envelope copied into another profile opens nothing there.
        assert_eq!(
            env.open_with_secret("r2", "246810").unwrap_err(),
            UnwrapError::Wrong
        );
    }

    #[test]
    fn crafted_envelopes_are_refused_before_any_work() {
        let key: DbKey = Sensitive::new([1u8; 32]);
        let code = RecoveryCode::from_random([3u8; 16]);
        let mut env = Envelope::seal("p", &key, "12345678", &code, CHEAP, &fresh(2)).unwrap();
        env.cost.m_kib = 64 * 1024 * 1024;
        assert!(matches!(
            env.open_with_secret("p", "12345678"),
            Err(UnwrapError::Malformed(_))
        ));
        assert!(Envelope::from_text(&"x".repeat(MAX_ENVELOPE_BYTES + 1)).is_err());
        assert!(Envelope::from_text("{\"v\":1}").is_err());
        env.cost = CHEAP;
        env.v = 2;
        assert!(matches!(
            env.open_with_secret("p", "12345678"),
            Err(UnwrapError::Malformed(_))
        ));
    }

    #[test]
    fn new_secrets_are_six_digits_or_eight_characters() {
        for ok in [
            "123456",
            "98765432",
            "abcdefgh",
            "审核人密码审核人密",
            "12345a78",
        ] {
            assert_eq!(check_new_secret(ok), Ok(()), "{ok}");
        }
        for short in ["", "12345", "abc1234", "12345 7", "审核人密码"] {
            assert_eq!(
                check_new_secret(short),
                Err(WeakSecret::TooShort),
                "{short}"
            );
        }
        assert_eq!(check_new_secret(&"x".repeat(257)), Err(WeakSecret::TooLong));
    }

    #[test]
    fn recovery_codes_read_back_as_people_write_them() {
        let code = RecoveryCode::from_random([0xa5u8; 16]);
        assert_eq!(code.expose().len(), 25);
        assert_eq!(code.grouped().len(), 29);
        let back =
            RecoveryCode::normalize(&format!(" {} ", code.grouped().to_lowercase())).unwrap();
        assert_eq!(back.expose(), code.expose());
        assert_eq!(
            RecoveryCode::normalize("OOOOO-IIIII-LLLLL-00000-11111").map(|c| c.expose().to_owned()),
            Some("0000011111111110000011111".to_owned())
        );
        assert!(RecoveryCode::normalize("UUUUU-00000-00000-00000-00000").is_none());
        assert!(RecoveryCode::normalize("0000").is_none());
        assert_eq!(format!("{code:?}"), "RecoveryCode(<redacted>)");
    }
}
