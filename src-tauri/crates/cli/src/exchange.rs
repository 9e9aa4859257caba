//! `jxjy exchange`: decisions out of a site with no link, snapshots into one, by file.

use crate::review::{open, open_even_if_audit_broken, print_json, Common};
use crate::Failure;
use anyhow::{anyhow, Context};
use clap::{Args, Subcommand};
use jxjy_usecases::exchange::{self, ExchangeKind};
use std::io::BufRead;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ExchangeCmd {
    /// Write the decisions waiting for upload (with their audit entries) into a sealed file.
    Export(OutArgs),
    /// Write roster, declarations and evidence into a sealed snapshot for a site with no link.
    Snapshot(OutArgs),
    /// Import a decisions file or a snapshot into this profile (nothing is applied from a
    /// changed file; importing a file twice changes nothing).
    Import(InArgs),
}

#[derive(Args)]
pub struct OutArgs {
    #[arg(long)]
    out: PathBuf,
    /// Read the passphrase (at least 8 characters) from the first line of standard input.
    #[arg(long, required = true)]
    passphrase_stdin: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct InArgs {
    file: PathBuf,
    /// Read the passphrase from the first line of standard input.
    #[arg(long, required = true)]
    passphrase_stdin: bool,
    #[arg(long)]
    json: bool,
}

fn passphrase() -> Result<String, Failure> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the passphrase from stdin")?;
    let p = line.trim_end_matches(['\n', '\r']).to_owned();
    if p.is_empty() {
        return Err(Failure::input(anyhow!("no passphrase on stdin")));
    }
    Ok(p)
}

pub fn run(common: &Common, cmd: &ExchangeCmd) -> Result<(), Failure> {
    let now = chrono::Utc::now();
    match cmd {
        ExchangeCmd::Export(a) | ExchangeCmd::Snapshot(a) => {
            let kind = match cmd {
                ExchangeCmd::Snapshot(_) => ExchangeKind::Snapshot,
                _ => ExchangeKind::Decisions,
            };
            let pass = passphrase()?;
            let store = open_even_if_audit_broken(common)?;
            let report = exchange::export(&store, kind, &pass, &a.out, now)?;
            if a.json {
                print_json(&report)?;
            } else {
                eprintln!(
                    "wrote {} ({} bytes): {} decisions, {} staff, {} declarations, {} evidence files",
                    a.out.display(),
                    report.bytes,
                    report.decisions,
                    report.staff,
                    report.declarations,
                    report.evidence_files
                );
            }
            Ok(())
        }
        ExchangeCmd::Import(a) => {
            let pass = passphrase()?;
            let mut store = open(common)?;
            let file = std::fs::File::open(&a.file)
                .with_context(|| format!("cannot open {}", a.file.display()))
                .map_err(Failure::input)?;
            let report = exchange::import(
                &mut store,
                std::io::BufReader::new(file),
                &pass,
                &common.profile,
                now,
            )?;
            if a.json {
                print_json(&report)?;
            } else {
                eprintln!(
                    "imported {} from {}: {} decisions queued, {} already here, {} skipped; {} staff, {} declarations, {} evidence files",
                    report.kind,
                    report.origin,
                    report.imported,
                    report.already_present,
                    report.skipped.len(),
                    report.staff,
                    report.declarations,
                    report.evidence_files
                );
                for s in &report.skipped {
                    eprintln!("skipped {}: {}", s.id, s.reason);
                }
            }
            Ok(())
        }
    }
}
