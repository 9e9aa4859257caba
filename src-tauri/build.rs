//! Generates the Tauri context. The app manifest lists our commands so that the capability file
//! can allow exactly these and no others.

/// Every command the page may call (also in capabilities/default.json and lib.rs).
const COMMANDS: &[&str] = &[
    "app_start",
    "profile_open",
    "profile_lock_state",
    "profile_set_up",
    "profile_recover",
    "lock",
    "activity",
    "idle_lock_set",
    "session",
    "login",
    "logout",
    "queue",
    "dashboard",
    "declaration",
    "decide",
    "undo",
    "undo_batch",
    "batch_preview",
    "batch_approve",
    "conflicts",
    "history",
    "roster",
    "reveal_id_number",
    "sync_now",
    "sync_pause",
    "sync_state",
    "evidence_content",
    "evidence_reading",
    "reading_progress",
    "credit_preview",
    "spotcheck_list",
    "spotcheck_create",
    "spotcheck_pack",
    "spotcheck_record",
    "spotcheck_export",
    "export_xlsx",
    "print_view",
    "roster_import_check",
    "roster_import_apply",
    "exchange_export",
    "exchange_import",
    "upload_begin",
    "upload_piece",
    "upload_progress",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        eprintln!("tauri build step failed: {e:#}");
        std::process::exit(1);
    }
}
