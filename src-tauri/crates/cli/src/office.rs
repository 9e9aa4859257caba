//! `jxjy spotcheck`, `jxjy export`, `jxjy roster` and `jxjy print`: the office side, offline.

use crate::review::{open, print_json, Common};
use crate::Failure;
use anyhow::{anyhow, Context};
use clap::{Args, Subcommand, ValueEnum};
use jxjy_core::spotcheck::{SampleSize, SampleSpec};
use jxjy_core::Status;
use jxjy_store::queries::QueueFilter;
use jxjy_store::spotcheck::Finding;
use jxjy_usecases::exports::{self, ExportKind, PrintInput};
use jxjy_usecases::{files, ids, roster, spotcheck};
use std::path::PathBuf;

fn store_err(e: jxjy_store::StoreError) -> Failure {
    Failure::from(e)
}

#[derive(Subcommand)]
pub enum SpotcheckCmd {
    /// Draw a reproducible, risk-weighted sample of the year's approved declarations.
    Sample(SampleArgs),
    /// List the packs of this profile.
    List,
    /// Show one pack with its items and findings.
    Show { pack: String },
    /// Write a pack as a folder and a zip: evidence, xlsx checklist, printable summary.
    Export {
        pack: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Record the finding on one item (offline; it is uploaded by the next sync).
    Record {
        pack: String,
        declaration: String,
        finding: FindingArg,
        #[arg(long)]
        note: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FindingArg {
    Confirmed,
    Problem,
}

#[derive(Args)]
pub struct SampleArgs {
    #[arg(long)]
    year: Option<i32>,
    /// How many declarations.
    #[arg(long, conflicts_with = "percent", required_unless_present = "percent")]
    count: Option<u32>,
    /// Or what share of them, in percent (e.g. 5 or 2.5).
    #[arg(long)]
    percent: Option<f64>,
    /// At least this many of every form of study that has candidates.
    #[arg(long, default_value_t = 1)]
    min_per_form: u32,
    /// The seed: the same seed gives the same sample. A random one is chosen and printed
    /// when left out.
    #[arg(long)]
    seed: Option<u64>,
}

pub fn spotcheck(common: &Common, cmd: &SpotcheckCmd) -> Result<(), Failure> {
    let mut store = open(common)?;
    let now = chrono::Utc::now();
    match cmd {
        SpotcheckCmd::Sample(a) => {
            let size = match (a.count, a.percent) {
                (Some(n), _) => SampleSize::Count(n),
                (None, Some(p)) if (0.0..=100.0).contains(&p) => {
                    SampleSize::PerMille((p * 10.0).round() as u32)
                }
                _ => return Err(Failure::input(anyhow!("--percent must be 0 to 100"))),
            };
            let seed = a.seed.unwrap_or_else(ids::sample_seed);
            let spec = SampleSpec {
                size,
                min_per_form: a.min_per_form.min(1000),
                seed,
            };
            let summary = spotcheck::start_pack(&mut store, a.year, &spec, &common.profile, now)?;
            let id = summary.id;
            let view = store.spotcheck_pack(&id).map_err(store_err)?;
            eprintln!(
                "pack {id}: {} of {} approved declarations of {}, seed {seed}",
                view.pack.items, view.pack.candidates, view.pack.year
            );
            print_json(&view)
        }
        SpotcheckCmd::List => print_json(&store.spotcheck_packs().map_err(store_err)?),
        SpotcheckCmd::Show { pack } => print_json(&store.spotcheck_pack(pack).map_err(store_err)?),
        SpotcheckCmd::Export { pack, out } => {
            let (files, _) = spotcheck::export_pack(&store, pack, out, chrono::Local::now())?;
            eprintln!(
                "wrote {} and {} ({} files; {} evidence files not downloaded yet)",
                files.folder.display(),
                files.zip.display(),
                files.files,
                files.missing_evidence
            );
            print_json(&files)
        }
        SpotcheckCmd::Record {
            pack,
            declaration,
            finding,
            note,
        } => {
            let finding = match finding {
                FindingArg::Confirmed => Finding::Confirmed,
                FindingArg::Problem => Finding::Problem,
            };
            let item = spotcheck::record_finding(
                &mut store,
                pack,
                declaration,
                finding,
                note.as_deref(),
                &common.profile,
                now,
            )?;
            print_json(&item)
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportWhat {
    /// The declarations (all, or one status).
    Queue,
    /// Every decision of this profile.
    Decisions,
    /// The roster with the year's ledger.
    Ledger,
}

#[derive(Args)]
pub struct ExportArgs {
    what: ExportWhat,
    #[arg(long)]
    out: PathBuf,
    /// Full ID numbers instead of masked ones (the reading is audited).
    #[arg(long)]
    full_ids: bool,
    #[arg(long)]
    year: Option<i32>,
    /// Queue only: one status (e.g. pending_unit_review).
    #[arg(long)]
    status: Option<String>,
}

pub fn export(common: &Common, a: &ExportArgs) -> Result<(), Failure> {
    let mut store = open(common)?;
    let kind = match a.what {
        ExportWhat::Queue => ExportKind::Queue,
        ExportWhat::Decisions => ExportKind::Decisions,
        ExportWhat::Ledger => ExportKind::Ledger,
    };
    let status: Option<Status> = a
        .status
        .as_deref()
        .map(|s| serde_json::from_value(serde_json::Value::String(s.to_owned())))
        .transpose()
        .map_err(|_| Failure::input(anyhow!("unknown status")))?;
    let filter = QueueFilter {
        status,
        ..QueueFilter::default()
    };
    let book = exports::xlsx(
        &mut store,
        kind,
        a.full_ids,
        &filter,
        a.year,
        &common.profile,
        chrono::Utc::now(),
    )?;
    book.write(&a.out)?;
    if book.full_ids {
        eprintln!(
            "wrote {} rows with full ID numbers to {} (readable by you only)",
            book.rows,
            a.out.display()
        );
    } else {
        eprintln!("wrote {} rows to {}", book.rows, a.out.display());
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum RosterCmd {
    /// Check a corrections sheet (xlsx) row by row; `--apply` applies the rows without errors.
    Import {
        file: PathBuf,
        #[arg(long)]
        apply: bool,
    },
}

pub fn roster(common: &Common, cmd: &RosterCmd) -> Result<(), Failure> {
    let RosterCmd::Import { file, apply } = cmd;
    let mut store = open(common)?;
    let bytes = std::fs::read(file)
        .with_context(|| format!("cannot read {}", file.display()))
        .map_err(Failure::input)?;
    let sheet = roster::check_corrections(&store, &bytes).map_err(|e| match e {
        jxjy_usecases::UseCaseError::Office(o) => {
            Failure::input(anyhow!("{o} ({})", o.message_zh()))
        }
        other => Failure::from(other),
    })?;
    let (checks, good) = (sheet.rows, sheet.ready);
    let bad = checks.len() - good.len();
    for c in checks.iter().filter(|c| !c.errors.is_empty()) {
        for e in &c.errors {
            eprintln!("{e}");
        }
    }
    let applied = if *apply {
        roster::apply_corrections(&mut store, &good, &common.profile, chrono::Utc::now())?
    } else {
        0
    };
    eprintln!(
        "{} rows: {} ready, {} with errors; {}",
        checks.len(),
        good.len(),
        bad,
        if *apply {
            format!("{applied} applied")
        } else {
            "nothing applied (add --apply to apply the ready rows)".into()
        }
    );
    print_json(&checks)
}

#[derive(Subcommand)]
pub enum PrintCmd {
    /// A staff member's hours certificate (学时证明) for the year.
    Staff {
        staff: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        year: Option<i32>,
    },
    /// The unit's review summary for the year.
    Summary {
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        year: Option<i32>,
    },
}

pub fn print_cmd(common: &Common, cmd: &PrintCmd) -> Result<(), Failure> {
    let store = open(common)?;
    let (what, out, year) = match cmd {
        PrintCmd::Staff { staff, out, year } => (PrintInput::Staff(staff.clone()), out, *year),
        PrintCmd::Summary { out, year } => (PrintInput::Summary, out, *year),
    };
    let html = exports::print_view(&store, &what, year, &common.profile, chrono::Local::now())?;
    files::write_bytes(out, html.as_bytes())?;
    eprintln!("wrote {}", out.display());
    Ok(())
}
