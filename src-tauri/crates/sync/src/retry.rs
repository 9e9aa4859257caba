//! Full-jitter exponential backoff that honours `Retry-After`. Randomness is passed in.

use crate::error::SyncError;
use jxjy_core::synth::Rng;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    pub base: Duration,
    pub cap: Duration,
    /// Attempts before giving up; `None` retries until cancelled (the app while it runs).
    pub max_attempts: Option<u32>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base: Duration::from_millis(500),
            cap: Duration::from_secs(60),
            max_attempts: Some(12),
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempt` (1-based) after `error`: uniform in
    /// [0, min(cap, base·2^attempt)], and never less than the server's `Retry-After`.
    pub fn delay(&self, attempt: u32, error: &SyncError, rng: &mut Rng) -> Duration {
        let exp = self
            .base
            .saturating_mul(2u32.saturating_pow(attempt.min(20)))
            .min(self.cap);
        let millis = u64::try_from(exp.as_millis()).unwrap_or(u64::MAX).max(1);
        let jittered = Duration::from_millis(rng.below(millis + 1));
        match error {
            SyncError::RateLimited {
                retry_after: Some(ra),
            } => jittered.max(*ra),
            _ => jittered,
        }
    }

    pub fn gives_up(&self, attempt: u32) -> bool {
        self.max_attempts.is_some_and(|m| attempt >= m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_are_capped_and_honour_retry_after() {
        let p = RetryPolicy {
            base: Duration::from_millis(100),
            cap: Duration::from_secs(2),
            max_attempts: Some(3),
        };
        let mut rng = Rng::new(1);
        let t = SyncError::Transient("x".into());
        for attempt in 1..10 {
            let d = p.delay(attempt, &t, &mut rng);
            assert!(d <= Duration::from_secs(2));
            assert!(d <= Duration::from_millis(100 * 2u64.pow(attempt)));
        }
        let limited = SyncError::RateLimited {
            retry_after: Some(Duration::from_secs(5)),
        };
        assert!(p.delay(1, &limited, &mut rng) >= Duration::from_secs(5));
        assert!(!p.gives_up(2) && p.gives_up(3));
    }
}
