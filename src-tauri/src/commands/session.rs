//! Start-up, profiles, log in and out.

use super::AppStateRef;
use crate::error::{AppError, ErrorCode};
use crate::state::{blocking, Session};
use crate::validate;
use jxjy_store::{keys, ProfileName};
use jxjy_sync::engine::login as platform_login;
use jxjy_sync::Client;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RuleSetInfo {
    pub id: String,
    pub name: String,
    pub first_year: i32,
}

/// What the window needs before a profile is open.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct StartInfo {
    pub version: String,
    pub profiles: Vec<String>,
    pub last_profile: Option<String>,
    /// The platform address to offer on the login screen (`JXJY_SERVER`).
    pub default_server: Option<String>,
    pub rule_sets: Vec<RuleSetInfo>,
    /// When the app process started (ms since the epoch; 0 under the test runtime).
    pub started_at_ms: f64,
    /// Another window of the app has this data folder open; this one only says so.
    pub already_running: bool,
}

/// The open profile and its platform login.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SessionInfo {
    pub profile: String,
    pub logged_in: bool,
    /// The profile knows its reviewer and unit (from a login or a snapshot): it can be used
    /// offline even when the login has expired.
    pub offline_ready: bool,
    pub server: Option<String>,
    pub username: Option<String>,
    pub unit_id: Option<String>,
    pub unit_name: Option<String>,
    pub review_year: i32,
    /// The annual minimum of the rule set in force for the review year: what the ledger's
    /// bars and headings measure against.
    pub requirement: Requirement,
    /// What checking the audit chain at open found wrong (English detail), if anything: the
    /// page shows an alarm.
    pub audit_problem: Option<String>,
}

/// A year's minimum hours per category.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ts_rs::TS)]
pub struct Requirement {
    pub public_hours: jxjy_core::Hours,
    pub professional_hours: jxjy_core::Hours,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct LoginInput {
    pub server: String,
    pub username: String,
    /// Used once for the login request; never stored.
    pub password: String,
    pub year: i32,
}

fn session_info(s: &Session) -> Result<SessionInfo, AppError> {
    let meta = s.store.profile_meta()?;
    let has_tokens = keys::load_tokens(&s.profile)?.is_some();
    let rules = s.store.stored_rules(meta.review_year)?;
    Ok(SessionInfo {
        profile: s.profile.as_str().to_owned(),
        logged_in: has_tokens && meta.username.is_some(),
        offline_ready: meta.offline_ready(),
        requirement: Requirement {
            public_hours: rules.annual.public_min_hours,
            professional_hours: rules.annual.professional_min_hours,
        },
        server: meta.server,
        username: meta.username,
        unit_id: meta.unit_id,
        unit_name: meta.unit_name,
        review_year: meta.review_year,
        audit_problem: s.store.audit_problem()?,
    })
}

#[tauri::command]
pub fn app_start(state: AppStateRef<'_>) -> Result<StartInfo, AppError> {
    let profiles = state
        .home
        .profiles()?
        .into_iter()
        .map(|p| p.as_str().to_owned())
        .collect();
    Ok(StartInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        profiles,
        last_profile: state.last_profile(),
        default_server: std::env::var("JXJY_SERVER")
            .ok()
            .filter(|s| validate::server(s).is_ok()),
        rule_sets: jxjy_core::ruleset::builtins()
            .into_iter()
            .map(|s| RuleSetInfo {
                id: s.id,
                name: s.name,
                first_year: s.first_year,
            })
            .collect(),
        started_at_ms: crate::STARTED_AT_MS.get().copied().unwrap_or(0) as f64,
        already_running: state.instance.another(),
    })
}

/// Opens (or creates) a reviewer profile; its sync worker starts with it.
#[tauri::command]
pub async fn profile_open(state: AppStateRef<'_>, name: String) -> Result<SessionInfo, AppError> {
    let profile = ProfileName::new(name.trim())?;
    let st = state.inner().clone();
    tauri::async_runtime::spawn_blocking(move || {
        st.open_profile(profile)?;
        st.with(|s| session_info(s))
    })
    .await
    .map_err(AppError::internal)?
}

#[tauri::command]
pub async fn session(state: AppStateRef<'_>) -> Result<SessionInfo, AppError> {
    blocking(state.inner(), |s| session_info(s)).await
}

/// Logs in to the platform: the tokens go to the OS keyring, the password nowhere. A first
/// sync starts right after.
#[tauri::command]
pub async fn login(state: AppStateRef<'_>, input: LoginInput) -> Result<SessionInfo, AppError> {
    let address = validate::server(input.server.trim())?;
    validate::text("用户名", &input.username, 64)?;
    if input.username.trim().is_empty() || input.password.is_empty() {
        return Err(AppError::invalid("请输入用户名和密码"));
    }
    validate::text("密码", &input.password, 256)?;
    if !(2019..=2100).contains(&input.year) {
        return Err(AppError::invalid("审核年度应在2019年及以后"));
    }
    let log = state.log.clone();
    blocking(state.inner(), move |s| {
        let client = Client::new(&address)?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(AppError::internal)?;
        let answer = rt.block_on(platform_login(
            &mut s.store,
            &client,
            input.username.trim(),
            &input.password,
            input.year,
        ));
        match answer {
            Ok(t) => log.info(&format!("logged in as {} ({})", t.username, t.unit_id)),
            Err(jxjy_sync::SyncError::Unauthorized(_)) => {
                return Err(AppError::new(ErrorCode::NotLoggedIn, "用户名或密码不正确"))
            }
            Err(e) => return Err(e.into()),
        }
        s.worker.request(None)?;
        session_info(s)
    })
    .await
}

/// Ends the platform session (when the platform can be reached within a few seconds) and
/// forgets the tokens; the local data and unsent decisions stay.
#[tauri::command]
pub async fn logout(state: AppStateRef<'_>) -> Result<SessionInfo, AppError> {
    let log = state.log.clone();
    blocking(state.inner(), move |s| {
        s.worker.pause();
        let server = s.store.profile_meta()?.server;
        if let (Some(tokens), Some(server)) = (keys::load_tokens(&s.profile)?, server) {
            let ended = Client::for_address(&server).and_then(|client| {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| jxjy_sync::SyncError::Transient(e.to_string()))?;
                Ok(rt.block_on(async {
                    tokio::time::timeout(
                        std::time::Duration::from_secs(5),
                        client.logout(tokens.access.expose()),
                    )
                    .await
                }))
            });
            match ended {
                Ok(Ok(Ok(()))) => log.info("platform session ended"),
                // Offline or refused: the tokens are forgotten here all the same, and the
                // platform ends the session when it expires.
                Ok(Ok(Err(e))) => log.warn(&format!("platform logout failed: {e}")),
                Ok(Err(_)) => log.warn("platform logout timed out"),
                Err(e) => log.warn(&format!("platform logout skipped: {e}")),
            }
        }
        keys::delete_tokens(&s.profile)?;
        session_info(s)
    })
    .await
}
