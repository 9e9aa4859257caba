//! `jxjy-platform`: seed, serve and inspect the reference platform.

use anyhow::Context;
use clap::{Parser, Subcommand};
use jxjy_platform::api::{router, AppState, Config};
use jxjy_platform::faults::{FaultConfig, Faults, RateLimiter};
use jxjy_platform::seed::{seed, seed_with_certificates, SeedParams};
use jxjy_platform::{db, manage};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "jxjy-platform",
    version,
    about = "Reference platform (专技平台) for jxjy-review"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Fill an empty database with synthetic units, staff, declarations, evidence and accounts.
    Seed {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, default_value_t = 1)]
        units: usize,
        #[arg(long, default_value_t = 300)]
        staff_per_unit: usize,
        #[arg(long, default_value_t = 10)]
        declarations_per_staff: usize,
        /// Make realistic certificates as evidence: text PDFs, scanned PDFs, scans and phone
        /// photos in several layouts, one in ten with a deliberate discrepancy (recorded in the
        /// table evidence_truth). Needs the fonts of fonts-wqy-zenhei and fonts-arphic-*.
        #[arg(long)]
        evidence: bool,
        /// Small valid PDF and PNG files instead of realistic certificates (quick).
        #[arg(long)]
        minimal_evidence: bool,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 2019)]
        year: i32,
    },
    /// Serve the API (and GET /openapi.json).
    Serve {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, default_value = "127.0.0.1:8787")]
        addr: SocketAddr,
        /// Access-token lifetime in seconds.
        #[arg(long, default_value_t = 3600)]
        token_ttl: i64,
        /// Requests per second per client address (0: no limit).
        #[arg(long, default_value_t = 50.0)]
        rate_limit: f64,
        #[arg(long, default_value_t = 100.0)]
        burst: f64,
        /// Faults (also from JXJY_FAULT_* env vars): added latency in ms.
        #[arg(long)]
        fault_latency_ms: Option<u64>,
        /// Share of 503 answers (0..1).
        #[arg(long)]
        fault_5xx: Option<f64>,
        /// Share of 429 answers.
        #[arg(long)]
        fault_429: Option<f64>,
        /// Share of captive-portal `200 text/html` answers.
        #[arg(long)]
        fault_portal: Option<f64>,
        /// Share of responses cut in the middle of the body (after the request was handled).
        #[arg(long)]
        fault_truncate: Option<f64>,
        /// Share of connections dropped after the request was handled.
        #[arg(long)]
        fault_drop: Option<f64>,
        #[arg(long)]
        fault_seed: Option<u64>,
    },
    /// Print the unit decisions the server holds.
    Decisions {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Print the spot-check findings the server holds.
    Findings {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Change a declaration as its declarant would (new version), or withdraw it.
    Amend {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        declaration: String,
        #[arg(long)]
        withdraw: bool,
    },
    /// Move unit-approved declarations through industry review and spot-check selection.
    Advance {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Check an implementation of the platform API against the contract: one PASS or FAIL line
    /// per check and a summary; exits non-zero when any fails. It decides three pending
    /// declarations of the unit: run it against a test unit.
    Conformance {
        /// The implementation's base URL (http or https).
        #[arg(long)]
        base: String,
        /// A reviewer account of the test unit.
        #[arg(long)]
        user: String,
        /// Read the account's password from the first line of stdin (never from an argument).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// The unit to check (default: the login's unit).
        #[arg(long)]
        unit: Option<String>,
        /// The reviewed year for the rule set (default: the year most declarations end in).
        #[arg(long)]
        year: Option<i32>,
    },
}

/// Runs the conformance suite and prints its lines; an error when a check failed.
fn conformance(target: jxjy_platform::conformance::Target) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let report = runtime.block_on(jxjy_platform::conformance::run(target, |c| {
        println!("{}", c.line())
    }));
    println!("{}", report.summary());
    if report.failed() > 0 {
        anyhow::bail!(
            "{} of {} conformance checks failed",
            report.failed(),
            report.checks.len()
        );
    }
    Ok(())
}

async fn serve(
    db_path: PathBuf,
    addr: SocketAddr,
    config: Config,
    faults: FaultConfig,
    limiter: RateLimiter,
) -> anyhow::Result<()> {
    let conn = db::open(&db_path).with_context(|| format!("cannot open {}", db_path.display()))?;
    let app = router(
        AppState::new(conn, config),
        Arc::new(Faults::new(faults)),
        Arc::new(limiter),
    );
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    eprintln!(
        "jxjy-platform: serving {} on http://{}",
        db_path.display(),
        listener.local_addr()?
    );
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .context("server failed")
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Seed {
            db: path,
            units,
            staff_per_unit,
            declarations_per_staff,
            evidence,
            minimal_evidence,
            seed: s,
            year,
        } => {
            let mut conn =
                db::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
            let used: i64 = conn.query_row("SELECT count(*) FROM units", [], |r| r.get(0))?;
            anyhow::ensure!(
                used == 0,
                "{} already holds data; seed an empty database",
                path.display()
            );
            let params = SeedParams {
                units,
                staff_per_unit,
                declarations_per_staff,
                evidence: evidence || minimal_evidence,
                seed: s,
                year,
            };
            let report = if evidence && !minimal_evidence {
                let fonts = jxjy_certgen::Fonts::from_system()?;
                seed_with_certificates(&mut conn, &params, &fonts)?
            } else {
                seed(&mut conn, &params)?
            };
            println!(
                "seeded {}: {} staff, {} declarations, {} evidence files",
                path.display(),
                report.staff,
                report.declarations,
                report.evidence_files
            );
            println!("demo reviewer accounts (user / password / unit):");
            for a in report.accounts {
                println!(
                    "  {} / {} / {} {}",
                    a.username, a.password, a.unit_id, a.unit_name
                );
            }
            Ok(())
        }
        Command::Serve {
            db: path,
            addr,
            token_ttl,
            rate_limit,
            burst,
            fault_latency_ms,
            fault_5xx,
            fault_429,
            fault_portal,
            fault_truncate,
            fault_drop,
            fault_seed,
        } => {
            let env = FaultConfig::from_env();
            let faults = FaultConfig {
                latency_ms: fault_latency_ms.unwrap_or(env.latency_ms),
                error_5xx: fault_5xx.unwrap_or(env.error_5xx),
                error_429: fault_429.unwrap_or(env.error_429),
                portal: fault_portal.unwrap_or(env.portal),
                truncate: fault_truncate.unwrap_or(env.truncate),
                drop: fault_drop.unwrap_or(env.drop),
                seed: fault_seed.unwrap_or(env.seed),
            };
            let config = Config {
                access_ttl_secs: token_ttl,
                ..Config::default()
            };
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(serve(
                path,
                addr,
                config,
                faults,
                RateLimiter::new(rate_limit, burst),
            ))
        }
        Command::Findings { db: path, json } => {
            let conn = db::open(&path)?;
            let list = manage::findings(&conn)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for f in list {
                    println!(
                        "{}  {}  {}  {}  {}",
                        f.recorded_at,
                        f.declaration_id,
                        f.finding,
                        f.reviewer,
                        f.note.unwrap_or_default()
                    );
                }
            }
            Ok(())
        }
        Command::Decisions { db: path, json } => {
            let conn = db::open(&path)?;
            let list = manage::decisions(&conn)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for d in list {
                    println!(
                        "{}  {}  {:?}  {}  {}",
                        d.received_at, d.declaration_id, d.outcome, d.reviewer, d.idempotency_key
                    );
                }
            }
            Ok(())
        }
        Command::Amend {
            db: path,
            declaration,
            withdraw,
        } => {
            let mut conn = db::open(&path)?;
            let v = manage::amend(&mut conn, &declaration, withdraw)?;
            if withdraw {
                println!("{declaration} withdrawn");
            } else {
                println!("{declaration} is now version {v}");
            }
            Ok(())
        }
        Command::Advance { db: path, seed: s } => {
            let mut conn = db::open(&path)?;
            let (industry, spot) = manage::advance(&mut conn, s)?;
            println!("{industry} declarations approved by the industry department, {spot} selected for spot checks");
            Ok(())
        }
        Command::Conformance {
            base,
            user,
            password_stdin: _,
            unit,
            year,
        } => {
            let mut line = zeroize::Zeroizing::new(String::new());
            std::io::stdin()
                .read_line(&mut line)
                .context("reading the password from stdin")?;
            let password = zeroize::Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_owned());
            anyhow::ensure!(
                !password.is_empty(),
                "no password on the first line of stdin"
            );
            conformance(jxjy_platform::conformance::Target {
                base,
                user,
                password,
                unit,
                year,
            })
        }
        Command::Openapi => {
            print!("{}", jxjy_platform::openapi::document_text());
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", format!("{e:#}").replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}
