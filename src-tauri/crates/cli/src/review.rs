//! The headless review flow: login, sync, status, queue, decide — on a reviewer profile under
//! `JXJY_HOME`, with secrets in the OS keyring.

use crate::Failure;
use anyhow::{anyhow, Context};
use clap::{Args, ValueEnum};
use jxjy_core::decision::Outcome;
use jxjy_core::{Hours, Status};
use jxjy_store::keys::{self, Backend};
use jxjy_store::queries::QueueFilter;
use jxjy_store::{Home, ProfileName, Store};
use jxjy_sync::engine::{login, SyncOptions};
use jxjy_sync::{CancelToken, Client, Engine, PlatformAddress, Progress};
use jxjy_usecases::profile;
use jxjy_usecases::review::{self, DecideRequest};
use std::io::{BufRead, Read, Write};

/// Options every review command shares.
#[derive(Args, Clone)]
pub struct Common {
    /// Reviewer profile (a folder under JXJY_HOME and its keyring entries).
    #[arg(long, global = true, env = "JXJY_PROFILE", default_value = "default")]
    pub profile: String,
    /// Read the profile's unlock secret from the first line of standard input (a profile that
    /// has none yet takes it as its first). A passphrase, if the command needs one, follows on
    /// the next line.
    #[arg(long, global = true)]
    pub unlock_stdin: bool,
}

/// Opens the profile for a command that changes or reads review data: refused while the audit
/// chain is broken (`jxjy audit verify` says where).
pub(crate) fn open(common: &Common) -> Result<Store, Failure> {
    let store = open_any(common)?;
    match &store.audit_problem()? {
        None => Ok(store),
        Some(problem) => Err(Failure::from(anyhow!(
            "the audit trail of profile `{}` is broken ({problem}): the records may have been tampered with; tell the administrator (`jxjy audit verify` shows it; `jxjy sync` and `jxjy exchange export` still send what is pending)",
            common.profile
        ))),
    }
}

/// Opens the profile for a command that must work even with a broken audit chain (sending
/// what is pending, reporting on the chain); says so on stderr when it is broken.
pub(crate) fn open_even_if_audit_broken(common: &Common) -> Result<Store, Failure> {
    let store = open_any(common)?;
    if let Some(problem) = &store.audit_problem()? {
        eprintln!(
            "error: the audit trail of profile `{}` is broken ({problem}); tell the administrator",
            common.profile
        );
    }
    Ok(store)
}

fn open_any(common: &Common) -> Result<Store, Failure> {
    let (home, profile) = home_and_profile(common)?;
    if !common.unlock_stdin {
        return Err(Failure::input(anyhow!(
            "profile `{}` is locked: pass --unlock-stdin and its unlock secret on the first line of stdin",
            common.profile
        )));
    }
    let secret = stdin_line("the unlock secret")?;
    let opening = profile::unlock_or_set_up(&home, &profile, &secret, chrono::Utc::now())
        .with_context(|| format!("cannot open profile `{}`", common.profile))
        .map_err(|e| Failure { code: 2, error: e })?;
    show_recovery(common, opening.recovery.as_ref());
    Ok(opening.store)
}

/// The keyring backend the environment names, installed; the data folder; the profile.
fn home_and_profile(common: &Common) -> Result<(Home, ProfileName), Failure> {
    let backend = std::env::var("JXJY_KEYRING").unwrap_or_default();
    let backend = Backend::parse(&backend).ok_or_else(|| {
        Failure::input(anyhow!(
            "JXJY_KEYRING must be {}, not `{backend}`",
            Backend::NAMES
        ))
    })?;
    keys::install(backend);
    let home = Home::from_env().map_err(|e| anyhow!(e))?;
    let profile = ProfileName::new(&common.profile).map_err(Failure::input)?;
    Ok((home, profile))
}

/// Says, once, the recovery code a set-up or a recovery made (on stderr, so `--json` output
/// stays clean).
fn show_recovery(common: &Common, code: Option<&jxjy_store::key_wrap::RecoveryCode>) {
    if let Some(code) = code {
        eprintln!(
            "profile `{}`: unlock secret set. Recovery code, shown only now — write it down and keep it away from this PC: {}",
            common.profile,
            code.grouped()
        );
    }
}

/// One line of standard input, bounded (a secret, a password, a passphrase, a code).
pub(crate) fn stdin_line(what: &str) -> Result<String, Failure> {
    let mut line = String::new();
    let mut lock = std::io::stdin().lock();
    (&mut lock)
        .take(1024)
        .read_line(&mut line)
        .with_context(|| format!("cannot read {what} from stdin"))?;
    let value = line.trim_end_matches(['\n', '\r']).to_owned();
    if value.is_empty() {
        return Err(Failure::input(anyhow!("no {what} on stdin")));
    }
    if line.len() >= 1024 && !line.ends_with('\n') {
        return Err(Failure::input(anyhow!("{what} on stdin is too long")));
    }
    Ok(value)
}

#[derive(Args)]
pub struct RecoverArgs {
    /// Read the recovery code from the first line of stdin and the new unlock secret from the
    /// second.
    #[arg(long, required = true)]
    recovery_stdin: bool,
}

/// Opens the profile with its recovery code and sets a new unlock secret (and prints a new
/// recovery code); the data is untouched.
pub fn recover_cmd(common: &Common, _args: &RecoverArgs) -> Result<(), Failure> {
    let (home, profile) = home_and_profile(common)?;
    let code = stdin_line("the recovery code")?;
    let secret = stdin_line("the new unlock secret")?;
    let opening = profile::recover(&home, &profile, &code, &secret, chrono::Utc::now())
        .with_context(|| format!("cannot recover profile `{}`", common.profile))
        .map_err(|e| Failure { code: 2, error: e })?;
    show_recovery(common, opening.recovery.as_ref());
    Ok(())
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
        .map_err(Failure::from)
}

pub(crate) fn print_json<T: serde::Serialize>(v: &T) -> Result<(), Failure> {
    let text = serde_json::to_string(v).context("cannot encode JSON")?;
    writeln!(std::io::stdout().lock(), "{text}").context("cannot write to stdout")?;
    Ok(())
}

#[derive(Args)]
pub struct LoginArgs {
    /// The platform's address: https://… (plain http only to this computer, e.g.
    /// http://127.0.0.1:8787)
    #[arg(long)]
    server: String,
    #[arg(long)]
    user: String,
    /// Read the platform password from the first line of stdin (it is never stored) and the
    /// profile's unlock secret from the second (for a profile without one: its new secret).
    #[arg(long, required = true)]
    password_stdin: bool,
    /// The year under review.
    #[arg(long, default_value_t = 2019)]
    year: i32,
}

pub fn login_cmd(common: &Common, args: &LoginArgs) -> Result<(), Failure> {
    // Refused before the password is even read, let alone sent.
    let address = PlatformAddress::parse(&args.server).map_err(|e| Failure::input(anyhow!(e)))?;
    let password = stdin_line("the password")?;
    // The second line: the profile's unlock secret (its first, for a profile without one).
    let (home, profile) = home_and_profile(common)?;
    let secret = stdin_line("the unlock secret (second line)")?;
    let opening = profile::unlock_or_set_up(&home, &profile, &secret, chrono::Utc::now())
        .with_context(|| format!("cannot open profile `{}`", common.profile))
        .map_err(|e| Failure { code: 2, error: e })?;
    let mut store = opening.store;
    if let Some(problem) = store.audit_problem()? {
        return Err(Failure::from(anyhow!(
            "the audit trail of profile `{}` is broken ({problem}); tell the administrator",
            common.profile
        )));
    }
    show_recovery(common, opening.recovery.as_ref());
    let client = Client::new(&address).map_err(|e| anyhow!(e))?;
    let rt = runtime()?;
    let t = rt
        .block_on(login(&mut store, &client, &args.user, &password, args.year))
        .map_err(|e| anyhow!("login failed: {e}"))?;
    eprintln!(
        "logged in as {} ({} {}); profile `{}`",
        t.username, t.unit_id, t.unit_name, common.profile
    );
    Ok(())
}

#[derive(Args)]
pub struct SyncArgs {
    #[arg(long)]
    json: bool,
    /// Skip evidence downloads.
    #[arg(long)]
    no_evidence: bool,
    /// Give up after this many attempts of one request (0: keep trying).
    #[arg(long, default_value_t = 12)]
    max_attempts: u32,
    /// Declarations per page to start with (it adapts to the link).
    #[arg(long, default_value_t = 500)]
    page_size: usize,
}

pub fn sync_cmd(common: &Common, args: &SyncArgs) -> Result<(), Failure> {
    let mut store = open_even_if_audit_broken(common)?;
    let server = store
        .profile_meta()?
        .server
        .ok_or_else(|| anyhow!("not logged in: run `jxjy login` first"))?;
    let client = Client::for_address(&server).map_err(|e| anyhow!(e))?;
    let json = args.json;
    let sink = move |p: &Progress| {
        if !json {
            eprintln!(
                "{:?}: {}{} items, {} bytes down, {} bytes up",
                p.phase,
                p.items_done,
                p.items_total.map(|t| format!("/{t}")).unwrap_or_default(),
                p.bytes_down,
                p.bytes_up
            );
        }
    };
    let now = chrono::Utc::now;
    let mut engine = Engine::new(
        &mut store,
        client,
        &sink,
        CancelToken::default(),
        jxjy_usecases::ids::jitter_seed(),
        &now,
    );
    engine.policy.max_attempts = (args.max_attempts > 0).then_some(args.max_attempts);
    engine.page_size = args.page_size.clamp(10, 5000);
    if args.page_size < 50 {
        // A deliberately small page (tests, a very bad link): keep it.
        engine.max_page_size = engine.page_size;
    }
    let options = SyncOptions {
        evidence: !args.no_evidence,
        evidence_first: None,
    };
    let rt = runtime()?;
    let report = rt
        .block_on(engine.sync(&options))
        .map_err(|e| anyhow!("sync failed: {e}"))?;
    if args.json {
        print_json(&report)?;
    } else {
        eprintln!(
            "synced: {} staff and {} declarations received, {} decisions applied, {} conflicts, {} rejected, {} evidence files",
            report.staff_received, report.declarations_received, report.applied, report.conflicts, report.rejected, report.evidence_downloaded
        );
    }
    Ok(())
}

#[derive(Args)]
pub struct StatusArgs {
    #[arg(long)]
    json: bool,
}

pub fn status_cmd(common: &Common, args: &StatusArgs) -> Result<(), Failure> {
    let store = open_even_if_audit_broken(common)?;
    let s = store.sync_status().map_err(|e| anyhow!(e))?;
    if args.json {
        print_json(&s)
    } else {
        println!(
            "pending {} · conflicts {} · rejected {} · last sync {}",
            s.pending,
            s.conflicts,
            s.rejected,
            s.last_sync.as_deref().unwrap_or("never")
        );
        Ok(())
    }
}

#[derive(Args)]
pub struct QueueArgs {
    /// Only this status (e.g. pending_unit_review).
    #[arg(long)]
    status: Option<String>,
    /// A staff name fragment, the digits the ID mask shows, a whole ID number, or the start of
    /// a declaration id (hidden ID digits find nothing).
    #[arg(long)]
    search: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn queue_cmd(common: &Common, args: &QueueArgs) -> Result<(), Failure> {
    let store = open(common)?;
    let status: Option<Status> = match &args.status {
        None => None,
        Some(s) => Some(
            serde_json::from_value(serde_json::Value::String(s.clone()))
                .map_err(|_| Failure::input(anyhow!("unknown status `{s}`")))?,
        ),
    };
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page = store
            .queue(&QueueFilter {
                status,
                search: args.search.clone(),
                offset,
                limit: 500,
                sort: jxjy_store::queries::SortKey::Id,
                ..QueueFilter::default()
            })
            .map_err(|e| anyhow!(e))?;
        let n = page.rows.len();
        for row in page.rows {
            let v = store.declaration(&row.id).map_err(|e| anyhow!(e))?;
            out.push(serde_json::json!({
                "declaration": v.declaration,
                "evaluation": v.evaluation,
                "review_state": v.review_state,
                "staff_name": row.staff_name,
            }));
        }
        if n < 500 {
            break;
        }
        offset += 500;
    }
    if args.json {
        print_json(&out)
    } else {
        for v in &out {
            println!(
                "{}  {}  {}  {}",
                v["declaration"]["id"].as_str().unwrap_or(""),
                v["staff_name"].as_str().unwrap_or(""),
                v["declaration"]["status"].as_str().unwrap_or(""),
                v["evaluation"]["explanation"].as_str().unwrap_or("")
            );
        }
        Ok(())
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OutcomeArg {
    Approve,
    Return,
    Reject,
}

#[derive(Args)]
pub struct DecideArgs {
    /// Declaration id.
    id: String,
    outcome: OutcomeArg,
    /// Credited hours (approve; default: the computed credit).
    #[arg(long)]
    hours: Option<f64>,
    #[arg(long)]
    reason: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn decide_cmd(common: &Common, args: &DecideArgs) -> Result<(), Failure> {
    let mut store = open(common)?;
    let outcome = match args.outcome {
        OutcomeArg::Approve => Outcome::Approve,
        OutcomeArg::Return => Outcome::Return,
        OutcomeArg::Reject => Outcome::Reject,
    };
    let credited_hours = match args.hours {
        None => None,
        Some(h) => Some(
            Hours::from_f64(h)
                .ok_or_else(|| Failure::input(anyhow!("--hours must be a non-negative number")))?,
        ),
    };
    let request = DecideRequest {
        declaration_id: args.id.clone(),
        declaration_version: None,
        outcome,
        credited_hours,
        reason: args.reason.clone(),
    };
    let record = review::decide(&mut store, request, chrono::Utc::now()).map_err(|e| {
        let code = if e.is_input() { 2 } else { 1 };
        Failure {
            code,
            error: anyhow!(e).context("cannot record the decision"),
        }
    })?;
    if args.json {
        print_json(&record)
    } else {
        eprintln!(
            "recorded {:?} of {} (key {}); it will be sent at the next sync",
            outcome, args.id, record.key
        );
        Ok(())
    }
}

#[derive(Args)]
pub struct UndoArgs {
    /// Declaration id (or, with --batch, the batch id a batch approval printed).
    id: String,
    /// Undo a whole batch approval.
    #[arg(long)]
    batch: bool,
    #[arg(long)]
    json: bool,
}

pub fn undo_cmd(common: &Common, args: &UndoArgs) -> Result<(), Failure> {
    let mut store = open(common)?;
    let now = chrono::Utc::now();
    if args.batch {
        let r = review::undo_batch(&mut store, &args.id, now)?;
        if args.json {
            return print_json(&r);
        }
        eprintln!(
            "undid {} decisions of batch {}; {} had already been sent and stay",
            r.undone.len(),
            args.id,
            r.kept.len()
        );
        return Ok(());
    }
    let record = review::undo(&mut store, &args.id, now)?;
    if args.json {
        print_json(&record)
    } else {
        eprintln!(
            "undid {:?} of {} (key {}); the declaration is back in the queue",
            record.outcome, args.id, record.key
        );
        Ok(())
    }
}
