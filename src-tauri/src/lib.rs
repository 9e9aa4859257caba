//! The Tauri shell of jxjy-review: thin commands over the core, the store and the sync engine;
//! one `{code, message}` error across IPC; sync progress and state as `sync` events.

pub mod applog;
pub mod bindings;
pub mod commands;
pub mod error;
pub mod instance;
pub mod memory;
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
    let state = AppState::new(home, emit, schedule);
    if !state.instance.another() {
        commands::upload::clear(state.home.root());
    }
    handle.manage(Arc::new(state));
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
            commands::session::profile_open,
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
    render_env::apply();
    let backend = std::env::var("JXJY_KEYRING").unwrap_or_default();
    let Some(backend) = jxjy_store::keys::Backend::parse(&backend) else {
        eprintln!("error: JXJY_KEYRING must be os, keyutils or memory, not `{backend}`");
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
