//! The Tauri shell of jxjy-review: thin commands over the core, one error type across IPC.

pub mod commands;
pub mod error;

use tauri::{Builder, Runtime};

/// Registers the app's commands and state on any runtime, so tests can use the mock runtime.
pub fn setup<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::app_info,
        commands::credit_preview
    ])
}

/// Starts the desktop app.
pub fn run() {
    let result = setup(tauri::Builder::default()).run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("error: jxjy-review could not start: {e}");
        std::process::exit(1);
    }
}
