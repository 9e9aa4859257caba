//! `jxjy spotcheck`, `jxjy export`, `jxjy roster` and `jxjy print`: the office side, offline.

use crate::review::{open, print_json, Common};
use crate::Failure;
use anyhow::{anyhow, Context};
use clap::{Args, Subcommand, ValueEnum};
use jxjy_core::spotcheck::{SampleSize, SampleSpec};
use jxjy_core::Status;
use jxjy_office::{pack, print, xlsx_in, xlsx_out, IdNumbers};
use jxjy_store::queries::QueueFilter;
use jxjy_store::spotcheck::Finding;
use jxjy_store::{keys, Store};
use std::path::{Path, PathBuf};

fn store_err(e: jxjy_store::StoreError) -> Failure {
    match e.code() {
        "invalid_input" | "not_found" | "not_allowed" => Failure::input(anyhow!(e)),
        _ => Failure::from(anyhow!(e)),
    }
}

fn actor(store: &Store, common: &Common) -> Result<String, Failure> {
    Ok(store
        .meta("username")
        .map_err(store_err)?
        .unwrap_or_else(|| common.profile.clone()))
}

fn year_of(store: &Store, year: Option<i32>) -> Result<i32, Failure> {
    Ok(match year {
        Some(y) => y,
        None => store
            .meta("review_year")
            .map_err(store_err)?
            .and_then(|y| y.parse().ok())
            .unwrap_or(2019),
    })
}

fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    crate::exchange::write_atomically(path, |w| {
        std::io::Write::write_all(w, bytes).context("cannot write the file")?;
        Ok(())
    })
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
            let seed = a.seed.unwrap_or_else(keys::jitter_seed);
            let spec = SampleSpec {
                size,
                min_per_form: a.min_per_form.min(1000),
                seed,
            };
            let year = year_of(&store, a.year)?;
            let id = keys::new_decision_key(now).map_err(store_err)?;
            let who = actor(&store, common)?;
            store
                .create_spotcheck(&id, year, &spec, &who, now)
                .map_err(store_err)?;
            let view = store.spotcheck_pack(&id).map_err(store_err)?;
            eprintln!(
                "pack {id}: {} of {} approved declarations of {year}, seed {seed}",
                view.pack.items, view.pack.candidates
            );
            print_json(&view)
        }
        SpotcheckCmd::List => print_json(&store.spotcheck_packs().map_err(store_err)?),
        SpotcheckCmd::Show { pack } => print_json(&store.spotcheck_pack(pack).map_err(store_err)?),
        SpotcheckCmd::Export { pack, out } => {
            let view = store.spotcheck_pack(pack).map_err(store_err)?;
            let unit = store
                .meta("unit_name")
                .map_err(store_err)?
                .unwrap_or_default();
            let name = format!(
                "抽审材料包-{}-{}",
                view.pack.year,
                pack.get(pack.len().saturating_sub(8)..).unwrap_or(pack)
            );
            std::fs::create_dir_all(out)
                .with_context(|| format!("cannot create {}", out.display()))?;
            let files = pack::write_pack(out, &name, &view, &unit, &today(), |sha| {
                store.open_evidence(sha).ok()
            })
            .map_err(|e| anyhow!(e))?;
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
            let who = actor(&store, common)?;
            let key = keys::new_decision_key(now).map_err(store_err)?;
            let finding = match finding {
                FindingArg::Confirmed => Finding::Confirmed,
                FindingArg::Problem => Finding::Problem,
            };
            let item = store
                .record_finding(pack, declaration, finding, note.as_deref(), &who, &key, now)
                .map_err(store_err)?;
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
    let now = chrono::Utc::now();
    let who = actor(&store, common)?;
    let year = year_of(&store, a.year)?;
    let full = if a.full_ids {
        Some(
            store
                .reveal_all_id_numbers("xlsx export", &who, now)
                .map_err(store_err)?,
        )
    } else {
        None
    };
    let ids = match &full {
        Some(m) => IdNumbers::Full(m),
        None => IdNumbers::Masked,
    };
    let (bytes, rows) = match a.what {
        ExportWhat::Queue => {
            let status: Option<Status> = a
                .status
                .as_deref()
                .map(|s| serde_json::from_value(serde_json::Value::String(s.to_owned())))
                .transpose()
                .map_err(|_| Failure::input(anyhow!("unknown status")))?;
            let rows = store
                .queue_all(&QueueFilter {
                    status,
                    ..QueueFilter::default()
                })
                .map_err(store_err)?;
            (xlsx_out::queue(&rows, &ids), rows.len())
        }
        ExportWhat::Decisions => {
            let rows = store.all_decisions().map_err(store_err)?;
            let names = |id: &str| {
                store
                    .declaration(id)
                    .ok()
                    .and_then(|v| v.staff.map(|s| s.name))
            };
            (xlsx_out::decisions(&rows, names), rows.len())
        }
        ExportWhat::Ledger => {
            let rows = store.roster_all(year).map_err(store_err)?;
            (xlsx_out::ledger(&rows, year, &ids), rows.len())
        }
    };
    let bytes = bytes.map_err(|e| anyhow!(e))?;
    write_file(&a.out, &bytes)?;
    eprintln!("wrote {} rows to {}", rows, a.out.display());
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
    let known = store.staff_ids().map_err(store_err)?;
    let checks = xlsx_in::roster_corrections(&bytes, &known)
        .map_err(|e| Failure::input(anyhow!("{e} ({})", e.message_zh())))?;
    let good: Vec<_> = checks.iter().filter_map(|c| c.correction.clone()).collect();
    let bad = checks.len() - good.len();
    for c in checks.iter().filter(|c| !c.errors.is_empty()) {
        for e in &c.errors {
            eprintln!("{e}");
        }
    }
    let applied = if *apply {
        let who = actor(&store, common)?;
        let n = store
            .apply_roster_corrections(&good, &who, chrono::Utc::now())
            .map_err(store_err)?;
        let year = year_of(&store, None)?;
        let rules = store.stored_rules(year).map_err(store_err)?;
        store
            .reevaluate(&rules, year, chrono::Utc::now().date_naive())
            .map_err(store_err)?;
        n
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
    let unit = store
        .meta("unit_name")
        .map_err(store_err)?
        .unwrap_or_default();
    let (html, out) = match cmd {
        PrintCmd::Staff { staff, out, year } => {
            let year = year_of(&store, *year)?;
            (
                crate::office::staff_certificate(&store, &unit, staff, year)?,
                out,
            )
        }
        PrintCmd::Summary { out, year } => {
            let year = year_of(&store, *year)?;
            let f = store.unit_figures(year).map_err(store_err)?;
            (
                print::unit_summary(&f, &actor(&store, common)?, &today()),
                out,
            )
        }
    };
    write_file(out, html.as_bytes())?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

/// The certificate of one person: the year's approved declarations and their ledger.
pub fn staff_certificate(
    store: &Store,
    unit: &str,
    staff_id: &str,
    year: i32,
) -> Result<String, Failure> {
    let c = store
        .certificate(staff_id, year, chrono::Local::now().date_naive())
        .map_err(store_err)?
        .ok_or_else(|| Failure::input(anyhow!("no staff member `{staff_id}`")))?;
    Ok(print::staff_certificate(unit, year, &c, &today()))
}
