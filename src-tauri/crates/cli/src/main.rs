//! `jxjy`: the headless face of jxjy-review. Errors print one English line on stderr.

mod audit;
mod credit;
mod evidence;
mod exchange;
mod office;
mod review;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "jxjy",
    version,
    about = "继续教育学时初审 — continuing-education credit review"
)]
struct Cli {
    #[command(flatten)]
    common: review::Common,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate an interchange JSON file and print declarations and ledger as JSON.
    Credit(credit::CreditArgs),
    /// Read evidence files: a certificate's fields, QR code and text.
    #[command(subcommand)]
    Evidence(evidence::EvidenceCmd),
    /// Print a deterministic synthetic unit as interchange JSON (for demos and benchmarks).
    Generate(credit::GenerateArgs),
    /// Log in to the platform; the token goes to the OS keyring, the password nowhere.
    Login(review::LoginArgs),
    /// Forgot the unlock secret: open the profile with its recovery code and set a new one.
    Recover(review::RecoverArgs),
    /// Pull what changed, push decisions, fetch evidence.
    Sync(review::SyncArgs),
    /// Pending decisions, conflicts, last sync.
    Status(review::StatusArgs),
    /// The unit's declarations with their evaluation.
    Queue(review::QueueArgs),
    /// Record a decision: approve [--hours H] [--reason T], return --reason T, reject --reason T.
    Decide(review::DecideArgs),
    /// Take back the decision on a declaration while it has not been sent (or a whole batch
    /// approval with --batch).
    Undo(review::UndoArgs),
    /// Offline exchange files: export decisions, make a snapshot, import either.
    #[command(subcommand)]
    Exchange(exchange::ExchangeCmd),
    /// Spot-check packs (抽审): sample, list, show, export, record findings.
    #[command(subcommand)]
    Spotcheck(office::SpotcheckCmd),
    /// Export the queue, the decisions or the staff ledger as xlsx.
    Export(office::ExportArgs),
    /// Roster corrections from a spreadsheet.
    #[command(subcommand)]
    Roster(office::RosterCmd),
    /// Print views as A4 HTML: a staff member's hours certificate, the unit's summary.
    #[command(subcommand)]
    Print(office::PrintCmd),
    /// The audit trail: verify the whole chain, export it.
    #[command(subcommand)]
    Audit(audit::AuditCmd),
}

/// An error with the exit code it maps to: 2 for bad input, 1 for everything else.
pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
}

impl Failure {
    pub fn input(error: impl Into<anyhow::Error>) -> Failure {
        Failure {
            code: 2,
            error: error.into(),
        }
    }
}

impl From<jxjy_usecases::UseCaseError> for Failure {
    fn from(e: jxjy_usecases::UseCaseError) -> Failure {
        Failure {
            code: if e.is_input() { 2 } else { 1 },
            error: e.into(),
        }
    }
}

impl From<jxjy_store::StoreError> for Failure {
    fn from(e: jxjy_store::StoreError) -> Failure {
        jxjy_usecases::UseCaseError::from(e).into()
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        Failure::from(anyhow::Error::from(e))
    }
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Failure {
        Failure { code: 1, error }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Credit(args) => credit::run(&args),
        Command::Generate(args) => credit::generate(&args),
        Command::Evidence(cmd) => evidence::run(&cmd),
        Command::Login(args) => review::login_cmd(&cli.common, &args),
        Command::Recover(args) => review::recover_cmd(&cli.common, &args),
        Command::Sync(args) => review::sync_cmd(&cli.common, &args),
        Command::Status(args) => review::status_cmd(&cli.common, &args),
        Command::Queue(args) => review::queue_cmd(&cli.common, &args),
        Command::Decide(args) => review::decide_cmd(&cli.common, &args),
        Command::Undo(args) => review::undo_cmd(&cli.common, &args),
        Command::Exchange(cmd) => exchange::run(&cli.common, &cmd),
        Command::Spotcheck(cmd) => office::spotcheck(&cli.common, &cmd),
        Command::Export(args) => office::export(&cli.common, &args),
        Command::Roster(cmd) => office::roster(&cli.common, &cmd),
        Command::Print(cmd) => office::print_cmd(&cli.common, &cmd),
        Command::Audit(cmd) => audit::run(&cli.common, &cmd),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            // One line: anyhow's chain joined with ": ".
            let line = format!("{:#}", f.error).replace('\n', " ");
            eprintln!("error: {line}");
            ExitCode::from(f.code)
        }
    }
}
