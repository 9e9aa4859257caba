//! A profile opens only with its reviewer's unlock secret (or the recovery code): the keyring
//! holds the database key wrapped by both, never the key itself. Wrong attempts are counted in
//! the profile's folder and slow the next ones down; nothing is ever deleted by them.

use crate::error::StoreError;
use crate::key_wrap::{self, Cost, Envelope, Fresh, RecoveryCode, UnwrapError};
use crate::keys::{self, DbKey, Sensitive};
use crate::profile::{Home, ProfileName};
use chrono::{DateTime, Utc};

/// Where a profile stands with its unlock secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LockState {
    /// No data yet: the first use chooses the secret.
    New,
    /// Data from a release before unlock secrets (its raw key is in the keyring): the reviewer
    /// sets a secret, which wraps that key.
    NeedsSecret,
    /// Opens with the secret or the recovery code.
    Protected,
}

/// The random bytes a set-up or a recovery needs (the caller owns randomness).
pub struct SetUpFresh {
    pub db_key: [u8; 32],
    pub recovery: [u8; 16],
    pub wrap: Fresh,
}

/// What a set-up or a recovery gives: the key to open the store with, and the recovery code
/// to show once.
#[derive(Debug)]
pub struct Opened {
    pub key: DbKey,
    pub recovery: RecoveryCode,
}

/// The growing delay after wrong attempts: three are free (typos), then 10 s, doubling up to
/// 15 minutes. It never resets by itself; a right secret or the recovery code does.
pub fn wait_after(failures: u32) -> chrono::Duration {
    if failures < 3 {
        return chrono::Duration::zero();
    }
    let secs = 10i64.saturating_mul(1i64 << (failures - 3).min(20));
    chrono::Duration::seconds(secs.min(900))
}

/// Seconds still to wait before the next attempt may be made.
pub fn seconds_to_wait(failures: u32, last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> u64 {
    let Some(last) = last else { return 0 };
    let delay = wait_after(failures);
    // Never more than the delay itself, even when the clock was set back.
    let left = ((last + delay) - now).min(delay);
    u64::try_from(left.num_milliseconds().max(0))
        .map(|ms| ms.div_ceil(1000))
        .unwrap_or(0)
}

pub fn lock_state(home: &Home, profile: &ProfileName) -> Result<LockState, StoreError> {
    let has_data = std::fs::metadata(home.db_path(profile))
        .map(|m| m.len() > 0)
        .unwrap_or(false);
    // An envelope without its database (the OS keyring outlives a deleted data folder) guards
    // nothing: the profile is new here, and a set-up sets the old envelope aside.
    if has_data && keys::load_envelope(profile)?.is_some() {
        return Ok(LockState::Protected);
    }
    match (has_data, keys::load_legacy_db_key(profile)?) {
        (false, _) => Ok(LockState::New),
        (true, Some(_)) => Ok(LockState::NeedsSecret),
        (true, None) => Err(StoreError::KeyMissing {
            profile: profile.as_str().to_owned(),
        }),
    }
}

fn weak(e: key_wrap::WeakSecret) -> StoreError {
    StoreError::WeakSecret(e)
}

fn malformed(what: &str) -> StoreError {
    StoreError::Keyring(format!("the wrapped database key is malformed ({what})"))
}

fn envelope(profile: &ProfileName) -> Result<Envelope, StoreError> {
    let text = keys::load_envelope(profile)?.ok_or_else(|| StoreError::NoUnlockSecret {
        profile: profile.as_str().to_owned(),
    })?;
    Envelope::from_text(&text).map_err(|e| match e {
        UnwrapError::Malformed(w) => malformed(w),
        UnwrapError::Wrong => malformed("unreadable"),
    })
}

/// Chooses the first unlock secret of a new profile, or of one whose raw key predates
/// secrets (that key is wrapped, then removed from the keyring). Refused for a profile that
/// already has one: changing it needs the old one or the recovery code.
pub fn set_up(
    home: &Home,
    profile: &ProfileName,
    secret: &str,
    cost: Cost,
    fresh: SetUpFresh,
) -> Result<Opened, StoreError> {
    key_wrap::check_new_secret(secret).map_err(weak)?;
    let key = match lock_state(home, profile)? {
        LockState::Protected => {
            return Err(StoreError::HasUnlockSecret {
                profile: profile.as_str().to_owned(),
            })
        }
        LockState::New => {
            if let Some(orphan) = keys::load_envelope(profile)? {
                keys::set_envelope_aside(profile, &orphan)?;
            }
            Sensitive::new(fresh.db_key)
        }
        LockState::NeedsSecret => {
            keys::load_legacy_db_key(profile)?.ok_or_else(|| StoreError::KeyMissing {
                profile: profile.as_str().to_owned(),
            })?
        }
    };
    let recovery = RecoveryCode::from_random(fresh.recovery);
    let env = Envelope::seal(profile.as_str(), &key, secret, &recovery, cost, &fresh.wrap)
        .map_err(|_| malformed("cannot seal"))?;
    keys::save_envelope(profile, &env.to_text())?;
    keys::delete_legacy_db_key(profile)?;
    Ok(Opened { key, recovery })
}

/// The database key, with the unlock secret. A wrong secret is counted; past three, the next
/// attempt waits (`UnlockThrottled`), whatever it holds.
pub fn unlock(
    home: &Home,
    profile: &ProfileName,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<DbKey, StoreError> {
    let env = envelope(profile)?;
    let attempts = Attempts::at(home, profile);
    attempts.check(now)?;
    match env.open_with_secret(profile.as_str(), secret) {
        Ok(key) => {
            attempts.clear();
            Ok(key)
        }
        Err(UnwrapError::Wrong) => Err(attempts.failed(now, false)),
        Err(UnwrapError::Malformed(w)) => Err(malformed(w)),
    }
}

/// Opens with the recovery code and sets `new_secret` (and a new recovery code: the old one
/// has been seen). The data is untouched; only the wrapping changes.
pub fn recover(
    home: &Home,
    profile: &ProfileName,
    code: &str,
    new_secret: &str,
    cost: Cost,
    fresh: SetUpFresh,
    now: DateTime<Utc>,
) -> Result<Opened, StoreError> {
    key_wrap::check_new_secret(new_secret).map_err(weak)?;
    let env = envelope(profile)?;
    let attempts = Attempts::at(home, profile);
    attempts.check(now)?;
    let key = match env.open_with_recovery(profile.as_str(), code) {
        Ok(key) => key,
        Err(UnwrapError::Wrong) => return Err(attempts.failed(now, true)),
        Err(UnwrapError::Malformed(w)) => return Err(malformed(w)),
    };
    let recovery = RecoveryCode::from_random(fresh.recovery);
    let env = Envelope::seal(
        profile.as_str(),
        &key,
        new_secret,
        &recovery,
        cost,
        &fresh.wrap,
    )
    .map_err(|_| malformed("cannot seal"))?;
    keys::save_envelope(profile, &env.to_text())?;
    attempts.clear();
    Ok(Opened { key, recovery })
}

/// The count of wrong attempts and the time of the last, in the profile's folder. (Someone who
/// can delete this file as the same OS user resets the delay; each guess still costs the
/// Argon2id derivation — see the README's threat model.)
struct Attempts {
    path: std::path::PathBuf,
    profile: String,
}

impl Attempts {
    fn at(home: &Home, profile: &ProfileName) -> Attempts {
        Attempts {
            path: home.profile_dir(profile).join("unlock-failures"),
            profile: profile.as_str().to_owned(),
        }
    }

    fn read(&self) -> (u32, Option<DateTime<Utc>>) {
        use std::io::Read;
        let mut text = String::new();
        let read =
            std::fs::File::open(&self.path).and_then(|f| f.take(64).read_to_string(&mut text));
        if read.is_err() {
            return (0, None);
        }
        let mut parts = text.split_whitespace();
        let count = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
        let last = parts
            .next()
            .and_then(|ms| ms.parse().ok())
            .and_then(DateTime::<Utc>::from_timestamp_millis);
        (count, last)
    }

    fn check(&self, now: DateTime<Utc>) -> Result<(), StoreError> {
        let (count, last) = self.read();
        match seconds_to_wait(count, last, now) {
            0 => Ok(()),
            wait_s => Err(StoreError::UnlockThrottled {
                profile: self.profile.clone(),
                wait_s,
            }),
        }
    }

    fn failed(&self, now: DateTime<Utc>, recovery: bool) -> StoreError {
        let (count, _) = self.read();
        let count = count.saturating_add(1);
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        // Written in place: a lost count only shortens one delay.
        let _ = std::fs::write(&self.path, format!("{count} {}\n", now.timestamp_millis()));
        let wait_s = seconds_to_wait(count, Some(now), now);
        if recovery {
            StoreError::WrongRecoveryCode {
                profile: self.profile.clone(),
                wait_s,
            }
        } else {
            StoreError::WrongSecret {
                profile: self.profile.clone(),
                wait_s,
            }
        }
    }

    fn clear(&self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + s, 0).unwrap_or_default()
    }

    #[test]
    fn the_delay_grows_and_is_capped() {
        let table = [
            (0, 0),
            (2, 0),
            (3, 10),
            (4, 20),
            (5, 40),
            (8, 320),
            (9, 640),
            (10, 900),
            (1000, 900),
        ];
        for (failures, secs) in table {
            assert_eq!(wait_after(failures).num_seconds(), secs, "{failures}");
        }
    }

    #[test]
    fn the_wait_counts_down_with_time_passed_in() {
        assert_eq!(seconds_to_wait(3, None, at(0)), 0);
        assert_eq!(seconds_to_wait(3, Some(at(0)), at(0)), 10);
        assert_eq!(seconds_to_wait(3, Some(at(0)), at(9)), 1);
        assert_eq!(seconds_to_wait(3, Some(at(0)), at(10)), 0);
        assert_eq!(seconds_to_wait(2, Some(at(0)), at(0)), 0);
        // A clock set back does not lock anyone out for longer than the delay.
        assert_eq!(seconds_to_wait(4, Some(at(100)), at(0)), 20);
    }
}
