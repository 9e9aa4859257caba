//! What the app holds while it runs: the data folder, the log, and the open profile (its store
//! connection for the review screens and its sync worker). Store work runs on tokio's blocking
//! pool, never on the UI thread. A profile is open only between its unlock and its lock: the
//! unwrapped database key lives in the session and nowhere else.

use crate::applog::AppLog;
use crate::error::{AppError, ErrorCode};
use crate::idle::{IdleClock, IdleMinutes};
use crate::reading_worker::ReadingWorker;
use crate::sync_worker::{Emit, Schedule, SyncWorker};
use jxjy_store::{DbKey, Home, ProfileName, Store};
use jxjy_usecases::profile::Opening;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Tells the window that the profile was locked (idle): it shows the unlock screen.
pub type OnLock = Arc<dyn Fn(&str) + Send + Sync>;

pub struct Session {
    pub profile: ProfileName,
    pub store: Store,
    /// The unwrapped database key: zeroized when the session ends (a lock, a switch, quit).
    pub key: DbKey,
    pub worker: SyncWorker,
    /// Reads the evidence files in the background (none in tests that turn it off).
    pub reader: Option<ReadingWorker>,
    /// Roster corrections checked and shown, waiting for the reviewer's confirmation.
    pub pending_roster: Option<(u64, Vec<jxjy_core::roster_fix::RosterCorrection>)>,
}

pub struct AppState {
    pub home: Home,
    pub log: Arc<AppLog>,
    pub emit: Emit,
    pub schedule: Schedule,
    /// Where exports, packs and exchange files are written (shown to the reviewer).
    pub exports: std::path::PathBuf,
    /// Whether another app already has this data folder open.
    pub instance: crate::instance::Instance,
    pub on_lock: OnLock,
    session: Mutex<Option<Session>>,
    /// The profile whose session a lock ended: commands answer "locked" until it is unlocked.
    locked: Mutex<Option<ProfileName>>,
    idle: Mutex<IdleClock>,
}

/// `JXJY_EXPORT_DIR`, else the user's Documents folder (the known folder on Windows, even
/// when redirected; XDG's on Linux) `/继续教育初审`, else one in the home folder, else one beside
/// the profiles.
pub fn exports_dir(home: &Home) -> std::path::PathBuf {
    const FOLDER: &str = "继续教育初审";
    if let Some(d) = std::env::var_os("JXJY_EXPORT_DIR") {
        return d.into();
    }
    if let Some(d) = dirs::document_dir() {
        return d.join(FOLDER);
    }
    match dirs::home_dir() {
        Some(h) if h.join("Documents").is_dir() => h.join("Documents").join(FOLDER),
        Some(h) if h.is_dir() => h.join(FOLDER),
        _ => home.root().join("exports"),
    }
}

impl AppState {
    pub fn new(home: Home, emit: Emit, on_lock: OnLock, schedule: Schedule) -> AppState {
        let idle = IdleClock::new(IdleMinutes::load(home.root()), Instant::now());
        AppState {
            exports: exports_dir(&home),
            instance: crate::instance::claim(home.root()),
            home,
            log: Arc::new(AppLog::default()),
            emit,
            on_lock,
            schedule,
            session: Mutex::new(None),
            locked: Mutex::new(None),
            idle: Mutex::new(idle),
        }
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Option<Session>>, AppError> {
        self.session
            .lock()
            .map_err(|_| AppError::internal("session lock poisoned"))
    }

    fn locked_name(&self) -> Result<std::sync::MutexGuard<'_, Option<ProfileName>>, AppError> {
        self.locked
            .lock()
            .map_err(|_| AppError::internal("lock state poisoned"))
    }

    fn idle_clock(&self) -> Result<std::sync::MutexGuard<'_, IdleClock>, AppError> {
        self.idle
            .lock()
            .map_err(|_| AppError::internal("idle clock poisoned"))
    }

    /// Refuses to open anything while another window holds the data folder.
    pub fn check_single(&self) -> Result<(), AppError> {
        if self.instance.another() {
            return Err(AppError::new(
                ErrorCode::AlreadyRunning,
                "继续教育学时初审已在另一个窗口中打开，请切换到该窗口",
            ));
        }
        Ok(())
    }

    /// Starts the session of a profile just unlocked (or set up), ending the one open before:
    /// a switch locks the profile left.
    pub fn start_session(&self, profile: ProfileName, opening: Opening) -> Result<(), AppError> {
        self.check_single()?;
        let mut g = self.lock()?;
        // The old worker stops (and its connection closes) before the new one starts.
        *g = None;
        let Opening { store, key, .. } = opening;
        if let Err(e) = self.log.open(&self.home.profile_dir(&profile).join("logs")) {
            eprintln!("cannot open the log file: {e}");
        }
        self.log
            .info(&format!("profile `{}` unlocked", profile.as_str()));
        let worker = SyncWorker::start(
            self.home.clone(),
            profile.clone(),
            key.duplicate(),
            self.emit.clone(),
            self.log.clone(),
            self.schedule,
        )?;
        let reader = ReadingWorker::start(
            self.home.clone(),
            profile.clone(),
            key.duplicate(),
            self.emit.clone(),
            self.log.clone(),
            self.schedule.reading,
        )?;
        if let Err(e) = std::fs::write(self.home.root().join("last-profile"), profile.as_str()) {
            self.log
                .warn(&format!("cannot remember the last profile: {e}"));
        }
        *g = Some(Session {
            profile,
            store,
            key,
            worker,
            reader,
            pending_roster: None,
        });
        *self.locked_name()? = None;
        self.idle_clock()?.touched(Instant::now());
        Ok(())
    }

    /// Ends the open session: the store closes, the sync worker stops (a sync in flight is
    /// cancelled; what it had not sent stays in the outbox) and the key is zeroized. Returns the
    /// profile locked, if one was open.
    pub fn lock_session(&self) -> Result<Option<String>, AppError> {
        let mut g = self.lock()?;
        let Some(session) = g.take() else {
            return Ok(self.locked_name()?.as_ref().map(|p| p.as_str().to_owned()));
        };
        let name = session.profile.clone();
        drop(session);
        drop(g);
        self.log
            .info(&format!("profile `{}` locked", name.as_str()));
        let shown = name.as_str().to_owned();
        *self.locked_name()? = Some(name);
        Ok(Some(shown))
    }

    /// The reviewer did something (a key, a click): the idle clock starts again.
    pub fn touched(&self, now: Instant) -> Result<(), AppError> {
        self.idle_clock()?.touched(now);
        Ok(())
    }

    pub fn idle_minutes(&self) -> Result<IdleMinutes, AppError> {
        Ok(self.idle_clock()?.minutes())
    }

    /// Changes (and remembers) how long without input locks the profile.
    pub fn set_idle_minutes(&self, minutes: IdleMinutes, now: Instant) -> Result<(), AppError> {
        minutes.save(self.home.root())?;
        let mut clock = self.idle_clock()?;
        clock.set_minutes(minutes);
        clock.touched(now);
        Ok(())
    }

    /// Locks the open profile when the reviewer has been away for the chosen time; the window
    /// hears of it. Called by the idle watcher with the time passed in.
    pub fn lock_if_idle(&self, now: Instant) -> Result<bool, AppError> {
        if !self.idle_clock()?.is_idle(now) || self.lock()?.is_none() {
            return Ok(false);
        }
        let Some(name) = self.lock_session()? else {
            return Ok(false);
        };
        self.log.info("locked after the idle time");
        (self.on_lock)(&name);
        Ok(true)
    }

    /// The profile opened last time if it still exists, else the only profile there is (one
    /// made with the CLI, say).
    pub fn last_profile(&self) -> Option<String> {
        let remembered = std::fs::read_to_string(self.home.root().join("last-profile"))
            .ok()
            .and_then(|n| ProfileName::new(n.trim()).ok())
            .filter(|n| self.home.db_path(n).exists());
        if let Some(n) = remembered {
            return Some(n.as_str().to_owned());
        }
        match self.home.profiles() {
            Ok(all) if all.len() == 1 => all.first().map(|n| n.as_str().to_owned()),
            _ => None,
        }
    }

    /// Runs `f` on the open session.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut g = self.lock()?;
        let Some(s) = g.as_mut() else {
            if let Some(p) = self.locked_name()?.as_ref() {
                return Err(AppError::new(
                    ErrorCode::Locked,
                    format!("档案“{}”已锁定，请输入解锁密码", p.as_str()),
                ));
            }
            return Err(AppError::new(ErrorCode::NoProfile, "尚未打开审核档案"));
        };
        f(s)
    }
}

/// Work on the store that takes this long has read, built and dropped whole-unit data (an
/// exchange file imported, a workbook written): its freed memory goes back to the system.
const HEAVY: std::time::Duration = std::time::Duration::from_millis(250);

/// Runs `f` on the open session on the blocking pool, so SQLite never blocks the UI thread.
pub async fn blocking<T: Send + 'static>(
    state: &Arc<AppState>,
    f: impl FnOnce(&mut Session) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let state = state.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let result = state.with(f);
        if started.elapsed() >= HEAVY {
            crate::memory::give_back();
        }
        if let Err(e) = &result {
            if e.code == ErrorCode::Internal || e.code == ErrorCode::Database {
                state.log.error(&format!("{:?}: {}", e.code, e.message));
            }
        }
        result
    })
    .await
    .map_err(AppError::internal)?
}
