//! `jxjy credit` and `jxjy generate`.

use crate::Failure;
use anyhow::Context;
use chrono::NaiveDate;
use clap::Args;
use jxjy_core::synth::{generate as synth, SynthParams};
use jxjy_core::{evaluate, parse_input, RuleSet};
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
    let evaluation = evaluate(&input, &rules, today);
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
