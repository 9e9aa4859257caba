//! Start-up, profiles, log in and out.

use super::AppStateRef;
use crate::error::{AppError, ErrorCode};
use crate::idle::IdleMinutes;
use crate::state::{blocking, Session};
use crate::validate;
use chrono::Utc;
use jxjy_store::unlock::LockState;
use jxjy_store::{keys, Home, ProfileName, StoreError};
use jxjy_sync::engine::login as platform_login;
use jxjy_sync::Client;
use jxjy_usecases::profile::{self, Opening};
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

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
    /// Minutes without input before the open profile locks.
    pub idle_lock_minutes: IdleMinutes,
    /// The idle lock's shortest and longest time, in minutes.
    pub idle_lock_range: [u32; 2],
    /// What a new unlock secret must be, to show beside its fields.
    pub secret_rule: String,
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
        idle_lock_minutes: state.idle_minutes()?,
        idle_lock_range: [IdleMinutes::MIN, IdleMinutes::MAX],
        secret_rule: jxjy_store::key_wrap::SECRET_RULE_ZH.to_owned(),
    })
}

/// A profile just given a secret (a first use, or a recovery), with its recovery code to show
/// once.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SetUpInfo {
    pub session: SessionInfo,
    /// Five groups of five characters: the page shows it once, to write down or print.
    pub recovery_code: String,
}

/// Where a profile stands: new, waiting for a secret (from before secrets), or protected.
#[tauri::command]
pub async fn profile_lock_state(
    state: AppStateRef<'_>,
    name: String,
) -> Result<LockState, AppError> {
    let profile = ProfileName::new(name.trim())?;
    let st = state.inner().clone();
    tauri::async_runtime::spawn_blocking(move || Ok(profile::lock_state(&st.home, &profile)?))
        .await
        .map_err(AppError::internal)?
}

/// Runs an opening (Argon2id takes a moment) off the UI thread and starts its session. The
/// secrets are zeroized once used, whatever the outcome.
async fn open_with(
    state: &AppStateRef<'_>,
    name: &str,
    mut secrets: Vec<String>,
    open: impl FnOnce(&Home, &ProfileName, &[String]) -> Result<Opening, StoreError> + Send + 'static,
) -> Result<(SessionInfo, Option<String>), AppError> {
    let profile = match ProfileName::new(name.trim()) {
        Ok(p) => p,
        Err(e) => {
            secrets.iter_mut().for_each(Zeroize::zeroize);
            return Err(e.into());
        }
    };
    let st = state.inner().clone();
    tauri::async_runtime::spawn_blocking(move || {
        let opened = st
            .check_single()
            .and_then(|()| Ok(open(&st.home, &profile, &secrets)?));
        secrets.iter_mut().for_each(Zeroize::zeroize);
        let mut opening = opened?;
        let recovery = opening.recovery.take().map(|c| c.grouped());
        st.start_session(profile, opening)?;
        Ok((st.with(|s| session_info(s))?, recovery))
    })
    .await
    .map_err(AppError::internal)?
}

/// Unlocks a protected profile with its secret; its sync worker starts with it. A wrong secret
/// is counted and the next try waits longer; nothing is ever deleted.
#[tauri::command]
pub async fn profile_open(
    state: AppStateRef<'_>,
    name: String,
    secret: String,
) -> Result<SessionInfo, AppError> {
    let now = Utc::now();
    let (info, _) = open_with(&state, &name, vec![secret], move |home, p, s| {
        profile::unlock(home, p, first(s), now)
    })
    .await?;
    Ok(info)
}

/// Gives a new profile (or one from before unlock secrets) its secret and opens it.
#[tauri::command]
pub async fn profile_set_up(
    state: AppStateRef<'_>,
    name: String,
    secret: String,
) -> Result<SetUpInfo, AppError> {
    let (session, code) = open_with(&state, &name, vec![secret], |home, p, s| {
        profile::set_up(home, p, first(s))
    })
    .await?;
    set_up_info(session, code)
}

/// Opens a protected profile with its recovery code and sets a new secret; the old code stops
/// working and a new one is shown.
#[tauri::command(rename_all = "snake_case")]
pub async fn profile_recover(
    state: AppStateRef<'_>,
    name: String,
    code: String,
    new_secret: String,
) -> Result<SetUpInfo, AppError> {
    let now = Utc::now();
    let (session, code) = open_with(&state, &name, vec![code, new_secret], move |home, p, s| {
        let (code, secret) = (first(s), s.get(1).map_or("", String::as_str));
        profile::recover(home, p, code, secret, now)
    })
    .await?;
    set_up_info(session, code)
}

fn first(secrets: &[String]) -> &str {
    secrets.first().map_or("", String::as_str)
}

fn set_up_info(session: SessionInfo, code: Option<String>) -> Result<SetUpInfo, AppError> {
    let recovery_code = code.ok_or_else(|| AppError::internal("no recovery code"))?;
    Ok(SetUpInfo {
        session,
        recovery_code,
    })
}

/// Locks the open profile now (the lock button, Ctrl+L, a switch): the key leaves memory and
/// the sync worker stops until the next unlock. Returns the profile locked.
#[tauri::command]
pub async fn lock(state: AppStateRef<'_>) -> Result<Option<String>, AppError> {
    let st = state.inner().clone();
    tauri::async_runtime::spawn_blocking(move || st.lock_session())
        .await
        .map_err(AppError::internal)?
}

/// The reviewer pressed a key or moved the mouse: the idle lock's clock starts again.
#[tauri::command]
pub fn activity(state: AppStateRef<'_>) -> Result<(), AppError> {
    state.touched(std::time::Instant::now())
}

/// Sets how many minutes without input lock the profile (1–120).
#[tauri::command]
pub fn idle_lock_set(state: AppStateRef<'_>, minutes: u32) -> Result<IdleMinutes, AppError> {
    let minutes = IdleMinutes::new(minutes)?;
    state.set_idle_minutes(minutes, std::time::Instant::now())?;
    Ok(minutes)
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
