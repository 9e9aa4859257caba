//! Tauri commands: check the input, call the core or the store, map the error. Nothing else.

pub mod evidence;
pub mod office;
pub mod preview;
pub mod review;
pub mod session;
pub mod sync;
pub mod upload;

use crate::state::AppState;
use std::sync::Arc;

/// The managed state as commands receive it.
pub type AppStateRef<'a> = tauri::State<'a, Arc<AppState>>;
