//! What the app holds while it runs: the data folder, the log, and the open profile (its store
//! connection for the review screens and its sync worker). Store work runs on tokio's blocking
//! pool, never on the UI thread.

use crate::applog::AppLog;
use crate::error::{AppError, ErrorCode};
use crate::sync_worker::{Emit, Schedule, SyncWorker};
use jxjy_store::{Home, ProfileName, Store, StoreError};
use std::sync::{Arc, Mutex};

/// Opens a profile's store; a new profile gets a fresh 256-bit key from the OS.
pub fn open_store(home: &Home, profile: &ProfileName) -> Result<Store, StoreError> {
    jxjy_usecases::profile::open(home, profile)
}

pub struct Session {
    pub profile: ProfileName,
    pub store: Store,
    pub worker: SyncWorker,
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
    session: Mutex<Option<Session>>,
}

/// `JXJY_EXPORT_DIR`, else `~/Documents/继续教育初审`, else a folder beside the profiles.
pub fn exports_dir(home: &Home) -> std::path::PathBuf {
    if let Some(d) = std::env::var_os("JXJY_EXPORT_DIR") {
        return d.into();
    }
    match std::env::var_os("HOME").map(std::path::PathBuf::from) {
        Some(h) if h.join("Documents").is_dir() => h.join("Documents").join("继续教育初审"),
        Some(h) if h.is_dir() => h.join("继续教育初审"),
        _ => home.root().join("exports"),
    }
}

impl AppState {
    pub fn new(home: Home, emit: Emit, schedule: Schedule) -> AppState {
        AppState {
            exports: exports_dir(&home),
            instance: crate::instance::claim(home.root()),
            home,
            log: Arc::new(AppLog::default()),
            emit,
            schedule,
            session: Mutex::new(None),
        }
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Option<Session>>, AppError> {
        self.session
            .lock()
            .map_err(|_| AppError::internal("session lock poisoned"))
    }

    /// Opens `profile` (creating it on first use), closing the one open before.
    pub fn open_profile(&self, profile: ProfileName) -> Result<(), AppError> {
        if self.instance.another() {
            return Err(AppError::new(
                ErrorCode::AlreadyRunning,
                "继续教育学时初审已在另一个窗口中打开，请切换到该窗口",
            ));
        }
        let mut g = self.lock()?;
        // The old worker stops (and its connection closes) before the new one starts.
        *g = None;
        let store = open_store(&self.home, &profile)?;
        if let Err(e) = self.log.open(&self.home.profile_dir(&profile).join("logs")) {
            eprintln!("cannot open the log file: {e}");
        }
        self.log
            .info(&format!("profile `{}` opened", profile.as_str()));
        let worker = SyncWorker::start(
            self.home.clone(),
            profile.clone(),
            self.emit.clone(),
            self.log.clone(),
            self.schedule,
        )?;
        if let Err(e) = std::fs::write(self.home.root().join("last-profile"), profile.as_str()) {
            self.log
                .warn(&format!("cannot remember the last profile: {e}"));
        }
        *g = Some(Session {
            profile,
            store,
            worker,
            pending_roster: None,
        });
        Ok(())
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
        let s = g
            .as_mut()
            .ok_or_else(|| AppError::new(ErrorCode::NoProfile, "尚未打开审核档案"))?;
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
