//! Failed logins per account: after three failures each further attempt waits longer (2, 4, 8…
//! seconds, at most five minutes), so guessing a password is slow — and no account is ever
//! locked for good, so an attacker cannot lock a reviewer out. The map is bounded: when full,
//! the entries whose wait is over go first, then the oldest.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures before any wait.
const FREE: u32 = 3;
const MAX_WAIT: Duration = Duration::from_secs(300);

pub struct AccountThrottle {
    cap: usize,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

/// The wait after `n` failures.
fn wait_after(n: u32) -> Duration {
    if n < FREE {
        return Duration::ZERO;
    }
    let exp = (n - FREE).min(16);
    Duration::from_secs(2u64 << exp).min(MAX_WAIT)
}

impl AccountThrottle {
    pub fn new(cap: usize) -> AccountThrottle {
        AccountThrottle {
            cap: cap.max(1),
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// How long `account` must still wait before its password is checked again, if at all.
    pub fn wait(&self, account: &str, now: Instant) -> Option<Duration> {
        let map = self.failures.lock().ok()?;
        let (n, last) = map.get(account)?;
        let until = *last + wait_after(*n);
        (until > now).then(|| until - now)
    }

    pub fn failed(&self, account: &str, now: Instant) {
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        if map.len() >= self.cap && !map.contains_key(account) {
            map.retain(|_, (n, last)| *last + wait_after(*n) > now);
            if map.len() >= self.cap {
                if let Some(oldest) = map
                    .iter()
                    .min_by_key(|(_, (_, t))| *t)
                    .map(|(k, _)| k.clone())
                {
                    map.remove(&oldest);
                }
            }
        }
        let e = map.entry(account.to_owned()).or_insert((0, now));
        *e = (e.0.saturating_add(1), now);
    }

    pub fn succeeded(&self, account: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(account);
        }
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.failures.lock().map(|m| m.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_after_three_failures_and_end() {
        let t = AccountThrottle::new(10);
        let t0 = Instant::now();
        for _ in 0..3 {
            t.failed("u", t0);
        }
        assert_eq!(t.wait("u", t0), Some(Duration::from_secs(2)));
        t.failed("u", t0);
        assert_eq!(t.wait("u", t0), Some(Duration::from_secs(4)));
        assert_eq!(
            t.wait("u", t0 + Duration::from_secs(4)),
            None,
            "never locked for good"
        );
        for _ in 0..40 {
            t.failed("u", t0);
        }
        assert_eq!(t.wait("u", t0), Some(MAX_WAIT));
        assert_eq!(t.wait("other", t0), None);
        t.succeeded("u");
        assert_eq!(t.wait("u", t0), None);
    }

    #[test]
    fn the_map_stays_within_its_cap() {
        let t = AccountThrottle::new(100);
        let t0 = Instant::now();
        for i in 0..10_000 {
            t.failed(&format!("a{i}"), t0 + Duration::from_millis(i));
        }
        assert!(t.tracked() <= 100, "{}", t.tracked());
    }
}
