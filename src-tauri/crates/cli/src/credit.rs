//! `jxjy credit` and `jxjy generate`.

use crate::Failure;
use anyhow::Context;
use chrono::NaiveDate;
use clap::Args;
use jxjy_core::synth::{generate as synth, SynthParams};
use jxjy_core::{evaluate, parse_input, RuleSet};
use jxjy_usecases::evidence::{flags_from_dir, LazyOcr};
use std::io::Write;
use std::path::PathBuf;

#[derive(Args)]
pub struct CreditArgs {
    /// Interchange JSON (year, rules, staff, declarations).
    #[arg(long)]
    input: PathBuf,
    /// A rule-set JSON file to use instead of the built-in set named by the input.
    #[arg(long)]
    rules: Option<PathBuf>,
    /// The day the review happens (YYYY-MM-DD); default: today. Used by `future_date`.
    #[arg(long)]
    today: Option<NaiveDate>,
    /// A folder of evidence files, each named by its SHA-256 in lowercase hex: each is read and
    /// the cross-check flags (evidence_*_mismatch, evidence_unreadable, duplicate_certificate_no)
    /// are added to its declaration's `flags`.
    #[arg(long)]
    evidence_dir: Option<PathBuf>,
    /// The folder holding the OCR models (default: beside the program, or the checkout's
    /// models/ocr).
    #[arg(long, env = "JXJY_OCR_MODELS")]
    models: Option<PathBuf>,
}

pub fn run(args: &CreditArgs) -> Result<(), Failure> {
    let text = std::fs::read_to_string(&args.input)
        .with_context(|| format!("cannot read input file {}", args.input.display()))
        .map_err(Failure::input)?;
    let input = parse_input(&text).map_err(Failure::input)?;
    let rules = match &args.rules {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read rule file {}", path.display()))
                .map_err(Failure::input)?;
            RuleSet::from_json(&text)
                .with_context(|| format!("rule file {}", path.display()))
                .map_err(Failure::input)?
        }
        None => match &input.rules {
            Some(id) => RuleSet::builtin(id)
                .context("input field `rules`")
                .map_err(Failure::input)?,
            None => RuleSet::for_year(input.year)
                .context("input field `year`")
                .map_err(Failure::input)?,
        },
    };
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut evaluation = evaluate(&input, &rules, today);
    if let Some(dir) = &args.evidence_dir {
        if !dir.is_dir() {
            return Err(Failure::input(anyhow::anyhow!(
                "evidence folder {} does not exist",
                dir.display()
            )));
        }
        let names = input
            .staff
            .iter()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect();
        let mut ocr = LazyOcr::new(args.models.as_deref());
        let found = flags_from_dir(&input.declarations, &names, dir, &mut ocr, |done, total| {
            if done % 20 == 0 || done == total {
                eprintln!("evidence: read {done} of {total} files");
            }
        });
        for d in &mut evaluation.declarations {
            if let Some(f) = found.get(&d.id) {
                d.flags.extend(f.iter().map(|x| x.flag));
                d.flags.sort();
                d.flags.dedup();
            }
        }
    }
    let json = serde_json::to_string(&evaluation).context("cannot encode the evaluation")?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{json}").context("cannot write to stdout")?;
    Ok(())
}

#[derive(Args)]
pub struct GenerateArgs {
    #[arg(long, default_value_t = 2019)]
    year: i32,
    #[arg(long, default_value_t = 300)]
    staff: usize,
    #[arg(long, default_value_t = 10)]
    declarations_per_staff: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, default_value = "U01")]
    unit: String,
}

pub fn generate(args: &GenerateArgs) -> Result<(), Failure> {
    let input = synth(&SynthParams {
        year: args.year,
        unit_id: args.unit.clone(),
        staff: args.staff,
        declarations_per_staff: args.declarations_per_staff,
        seed: args.seed,
    });
    let json = serde_json::to_string_pretty(&input).context("cannot encode the unit")?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{json}").context("cannot write to stdout")?;
    Ok(())
}
