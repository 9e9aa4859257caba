//! The Tauri shell of jxjy-review: thin commands over the core, the store and the sync engine;
//! one `{code, message}` error across IPC; sync progress and state as `sync` events.

pub mod applog;
pub mod bindings;
pub mod commands;
pub mod error;
pub mod idle;
pub mod instance;
pub mod memory;
pub mod reading_worker;
#[cfg(target_os = "linux")]
pub mod render_env;
pub mod state;
pub mod sync_worker;
pub mod validate;

use state::AppState;
use std::sync::Arc;
use sync_worker::{Emit, Schedule, SyncEvent};
use tauri::{AppHandle, Builder, Emitter, Manager, Runtime};

/// When this process started (ms since the epoch), for start-up measurements.
pub static STARTED_AT_MS: std::sync::OnceLock<i64> = std::sync::OnceLock::new();

/// The event the sync bar listens to.
pub const SYNC_EVENT: &str = "sync";

/// Gives the app its state, with sync events going to `handle`. Called by the setup hook; the
/// mock runtime of the tests does not run that hook, so tests call it themselves.
pub fn attach<R: Runtime>(handle: &AppHandle<R>, home: jxjy_store::Home, schedule: Schedule) {
    if handle.try_state::<Arc<AppState>>().is_some() {
        return;
    }
    let h = handle.clone();
    let emit: Emit = Arc::new(move |event: SyncEvent| {
        if let Err(e) = h.emit(SYNC_EVENT, &event) {
            eprintln!("cannot send a sync event to the window: {e}");
        }
    });
    let h = handle.clone();
    let on_lock: state::OnLock = Arc::new(move |profile: &str| {
        if let Err(e) = h.emit(LOCKED_EVENT, profile) {
            eprintln!("cannot tell the window of the lock: {e}");
        }
    });
    let state = Arc::new(AppState::new(home, emit, on_lock, schedule));
    if !state.instance.another() {
        commands::upload::clear(state.home.root());
    }
    watch_idle(Arc::downgrade(&state));
    handle.manage(state);
}

/// The event that says the profile locked itself (idle); its payload is the profile's name.
pub const LOCKED_EVENT: &str = "locked";

/// Checks every few seconds whether the reviewer has been away long enough to lock; ends
/// with the app.
fn watch_idle(state: std::sync::Weak<AppState>) {
    let spawned = std::thread::Builder::new()
        .name("jxjy-idle".into())
        .spawn(move || loop {
            std::thread::sleep(std::time::Duration::from_secs(5));
            let Some(state) = state.upgrade() else { return };
            if let Err(e) = state.lock_if_idle(std::time::Instant::now()) {
                state.log.error(&format!("idle lock: {}", e.message));
            }
        });
    if let Err(e) = spawned {
        // Without the watcher the lock button and Ctrl+L still lock; say so loudly.
        eprintln!("cannot start the idle lock: {e}");
    }
}

/// Registers the app's commands and state on any runtime, so tests can use the mock runtime.
pub fn setup<R: Runtime>(
    builder: Builder<R>,
    home: jxjy_store::Home,
    schedule: Schedule,
) -> Builder<R> {
    builder
        .setup(move |app| {
            attach(app.handle(), home.clone(), schedule);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::session::app_start,
            commands::session::profile_lock_state,
            commands::session::profile_open,
            commands::session::profile_set_up,
            commands::session::profile_recover,
            commands::session::lock,
            commands::session::activity,
            commands::session::idle_lock_set,
            commands::session::session,
            commands::session::login,
            commands::session::logout,
            commands::review::queue,
            commands::review::dashboard,
            commands::review::declaration,
            commands::review::decide,
            commands::review::batch_preview,
            commands::review::batch_approve,
            commands::review::undo,
            commands::review::undo_batch,
            commands::review::conflicts,
            commands::review::history,
            commands::review::roster,
            commands::review::reveal_id_number,
            commands::sync::sync_now,
            commands::sync::sync_pause,
            commands::sync::sync_state,
            commands::evidence::evidence_content,
            commands::evidence::evidence_reading,
            commands::evidence::reading_progress,
            commands::preview::credit_preview,
            commands::office::spotcheck::spotcheck_list,
            commands::office::spotcheck::spotcheck_create,
            commands::office::spotcheck::spotcheck_pack,
            commands::office::spotcheck::spotcheck_record,
            commands::office::spotcheck::spotcheck_export,
            commands::office::exports::export_xlsx,
            commands::office::exports::print_view,
            commands::office::roster::roster_import_check,
            commands::office::roster::roster_import_apply,
            commands::office::exchange::exchange_export,
            commands::office::exchange::exchange_import,
            commands::upload::upload_begin,
            commands::upload::upload_piece,
            commands::upload::upload_progress,
        ])
}

/// Starts the desktop app. `JXJY_HOME` and `JXJY_KEYRING` (os | keyutils | memory) as for the
/// CLI; `JXJY_SYNC_INTERVAL_SECS` changes the automatic sync interval.
pub fn run() {
    let _ = STARTED_AT_MS.set(chrono::Utc::now().timestamp_millis());
    // WebKitGTK only: WebView2 on Windows renders as it chooses.
    #[cfg(target_os = "linux")]
    render_env::apply();
    let backend = std::env::var("JXJY_KEYRING").unwrap_or_default();
    let Some(backend) = jxjy_store::keys::Backend::parse(&backend) else {
        eprintln!(
            "error: JXJY_KEYRING must be {}, not `{backend}`",
            jxjy_store::keys::Backend::NAMES
        );
        std::process::exit(2);
    };
    jxjy_store::keys::install(backend);
    let home = match jxjy_store::Home::from_env() {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let mut schedule = Schedule::default();
    if let Some(secs) = std::env::var("JXJY_SYNC_INTERVAL_SECS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        schedule.interval = std::time::Duration::from_secs(secs.max(5));
    }
    let result = setup(tauri::Builder::default(), home, schedule).run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("error: jxjy-review could not start: {e}");
        std::process::exit(1);
    }
}
