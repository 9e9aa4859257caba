//! The idle lock: how long without input locks the open profile (1–120 minutes, 15 unless the
//! reviewer chose otherwise), and the clock that says when that time has passed. Pure but for
//! the small settings file; the time is always passed in.

use crate::error::AppError;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::{Duration, Instant};

/// Minutes without input before the profile locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(try_from = "u32", into = "u32")]
#[ts(as = "u32")]
pub struct IdleMinutes(u32);

impl IdleMinutes {
    pub const DEFAULT: IdleMinutes = IdleMinutes(15);
    pub const MIN: u32 = 1;
    pub const MAX: u32 = 120;
    const FILE: &'static str = "idle-lock-minutes";

    pub fn new(minutes: u32) -> Result<IdleMinutes, AppError> {
        if (Self::MIN..=Self::MAX).contains(&minutes) {
            Ok(IdleMinutes(minutes))
        } else {
            Err(AppError::invalid(format!(
                "自动锁定时间应为 {}–{} 分钟",
                Self::MIN,
                Self::MAX
            )))
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    pub fn duration(self) -> Duration {
        Duration::from_secs(u64::from(self.0) * 60)
    }

    /// The chosen time, or the default when none was chosen or the file is not one we wrote.
    pub fn load(root: &Path) -> IdleMinutes {
        let mut text = String::new();
        let read = std::fs::File::open(root.join(Self::FILE)).and_then(|f| {
            use std::io::Read;
            f.take(16).read_to_string(&mut text)
        });
        read.ok()
            .and_then(|_| text.trim().parse::<u32>().ok())
            .and_then(|m| IdleMinutes::new(m).ok())
            .unwrap_or(Self::DEFAULT)
    }

    pub fn save(self, root: &Path) -> Result<(), AppError> {
        std::fs::create_dir_all(root)
            .and_then(|()| std::fs::write(root.join(Self::FILE), self.0.to_string()))
            .map_err(|e| {
                AppError::new(
                    crate::error::ErrorCode::Io,
                    format!("无法保存自动锁定时间：{e}"),
                )
            })
    }
}

impl TryFrom<u32> for IdleMinutes {
    type Error = AppError;
    fn try_from(m: u32) -> Result<IdleMinutes, AppError> {
        IdleMinutes::new(m)
    }
}

impl From<IdleMinutes> for u32 {
    fn from(m: IdleMinutes) -> u32 {
        m.0
    }
}

/// When the reviewer last did something, and how long away locks.
#[derive(Debug, Clone, Copy)]
pub struct IdleClock {
    minutes: IdleMinutes,
    last_input: Instant,
}

impl IdleClock {
    pub fn new(minutes: IdleMinutes, now: Instant) -> IdleClock {
        IdleClock {
            minutes,
            last_input: now,
        }
    }

    pub fn touched(&mut self, now: Instant) {
        // A report from before the last one (threads racing) never moves the clock back.
        self.last_input = self.last_input.max(now);
    }

    pub fn minutes(&self) -> IdleMinutes {
        self.minutes
    }

    pub fn set_minutes(&mut self, minutes: IdleMinutes) {
        self.minutes = minutes;
    }

    pub fn is_idle(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.last_input) >= self.minutes.duration()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn the_profile_locks_once_the_chosen_minutes_pass_without_input() {
        let t0 = Instant::now();
        let mut c = IdleClock::new(IdleMinutes::DEFAULT, t0);
        assert!(!c.is_idle(t0 + 14 * MIN));
        assert!(c.is_idle(t0 + 15 * MIN), "15 minutes by default");
        c.touched(t0 + 14 * MIN);
        assert!(!c.is_idle(t0 + 28 * MIN), "input starts the clock again");
        c.touched(t0 + MIN);
        assert!(
            !c.is_idle(t0 + 28 * MIN),
            "a late report never moves it back"
        );
        c.set_minutes(IdleMinutes::new(1).unwrap());
        assert!(c.is_idle(t0 + 15 * MIN));
    }

    #[test]
    fn only_1_to_120_minutes_are_accepted_and_a_bad_file_means_the_default() {
        for bad in [0, 121, u32::MAX] {
            assert!(IdleMinutes::new(bad).is_err(), "{bad}");
            assert!(serde_json::from_str::<IdleMinutes>(&bad.to_string()).is_err());
        }
        for good in [1, 15, 120] {
            assert_eq!(IdleMinutes::new(good).unwrap().get(), good);
        }
        let dir = std::env::temp_dir().join(format!("jxjy-idle-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(IdleMinutes::load(&dir), IdleMinutes::DEFAULT, "no file");
        IdleMinutes::new(42).unwrap().save(&dir).unwrap();
        assert_eq!(IdleMinutes::load(&dir).get(), 42);
        for text in ["0", "999", "abc", "15 minutes and a lot more text after it"] {
            std::fs::write(dir.join(IdleMinutes::FILE), text).unwrap();
            assert_eq!(IdleMinutes::load(&dir), IdleMinutes::DEFAULT, "{text}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
