//! The app's log: English lines in `logs/app.log` inside the profile folder, rotated by size
//! (app.log → app.1.log → … → app.4.log) so a long-running desktop never fills the disk.

use chrono::{DateTime, SecondsFormat, Utc};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const MAX_BYTES: u64 = 1024 * 1024;
const KEEP: u32 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

struct Writer {
    dir: PathBuf,
    file: File,
    written: u64,
}

/// A size-rotated log file; before a profile is open, lines go to stderr only.
#[derive(Default)]
pub struct AppLog {
    inner: Mutex<Option<Writer>>,
}

fn open_file(dir: &Path) -> std::io::Result<(File, u64)> {
    std::fs::create_dir_all(dir)?;
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("app.log"))?;
    let len = file.metadata()?.len();
    Ok((file, len))
}

fn rotate(dir: &Path) -> std::io::Result<()> {
    for i in (1..KEEP).rev() {
        let from = dir.join(format!("app.{i}.log"));
        if from.exists() {
            std::fs::rename(&from, dir.join(format!("app.{}.log", i + 1)))?;
        }
    }
    std::fs::rename(dir.join("app.log"), dir.join("app.1.log"))
}

impl AppLog {
    /// Sends further lines to `dir/app.log`.
    pub fn open(&self, dir: &Path) -> std::io::Result<()> {
        let (file, written) = open_file(dir)?;
        if let Ok(mut g) = self.inner.lock() {
            *g = Some(Writer {
                dir: dir.to_owned(),
                file,
                written,
            });
        }
        Ok(())
    }

    pub fn write(&self, level: Level, now: DateTime<Utc>, message: &str) {
        let line = format!(
            "{} {:<5} {}\n",
            now.to_rfc3339_opts(SecondsFormat::Millis, true),
            format!("{level:?}").to_uppercase(),
            message.replace('\n', " ")
        );
        let Ok(mut g) = self.inner.lock() else {
            eprint!("{line}");
            return;
        };
        let Some(w) = g.as_mut() else {
            eprint!("{line}");
            return;
        };
        if w.written + line.len() as u64 > MAX_BYTES {
            let reopened = rotate(&w.dir).and_then(|()| open_file(&w.dir));
            match reopened {
                Ok((file, written)) => {
                    w.file = file;
                    w.written = written;
                }
                Err(e) => eprintln!("log rotation failed: {e}"),
            }
        }
        match w.file.write_all(line.as_bytes()) {
            Ok(()) => w.written += line.len() as u64,
            Err(e) => eprint!("log write failed ({e}): {line}"),
        }
    }

    pub fn info(&self, message: &str) {
        self.write(Level::Info, Utc::now(), message);
    }

    pub fn warn(&self, message: &str) {
        self.write(Level::Warn, Utc::now(), message);
    }

    pub fn error(&self, message: &str) {
        self.write(Level::Error, Utc::now(), message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotates_by_size_and_keeps_four_old_files() {
        let dir = std::env::temp_dir().join(format!("jxjy-applog-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let log = AppLog::default();
        log.open(&dir).unwrap();
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let line = "x".repeat(1000);
        for _ in 0..6_000 {
            log.write(Level::Info, now, &line);
        }
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "app.1.log",
                "app.2.log",
                "app.3.log",
                "app.4.log",
                "app.log"
            ]
        );
        for n in &names {
            let len = std::fs::metadata(dir.join(n)).unwrap().len();
            assert!(len <= MAX_BYTES, "{n} has {len} bytes");
        }
        let text = std::fs::read_to_string(dir.join("app.log")).unwrap();
        assert!(text.starts_with("2023-11-14T22:13:20.000Z INFO  x"));
        // Closed first: Windows keeps a folder with an open file in it.
        drop(log);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
