//! `jxjy exchange`: decisions out of a site with no link, snapshots into one, by file.

use crate::review::{open, open_even_if_audit_broken, print_json, Common};
use crate::Failure;
use anyhow::Context;
use clap::{Args, Subcommand};
use jxjy_usecases::exchange::{self, ExchangeKind};
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
    /// Read the passphrase (at least 8 characters) from standard input, on the line after the
    /// unlock secret.
    #[arg(long, required = true)]
    passphrase_stdin: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct InArgs {
    file: PathBuf,
    /// Read the passphrase from standard input, on the line after the unlock secret.
    #[arg(long, required = true)]
    passphrase_stdin: bool,
    #[arg(long)]
    json: bool,
}

/// The passphrase: the line after the unlock secret.
fn passphrase() -> Result<String, Failure> {
    crate::review::stdin_line("the passphrase")
}

pub fn run(common: &Common, cmd: &ExchangeCmd) -> Result<(), Failure> {
    let now = chrono::Utc::now();
    match cmd {
        ExchangeCmd::Export(a) | ExchangeCmd::Snapshot(a) => {
            let kind = match cmd {
                ExchangeCmd::Snapshot(_) => ExchangeKind::Snapshot,
                _ => ExchangeKind::Decisions,
            };
            let store = open_even_if_audit_broken(common)?;
            let pass = passphrase()?;
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
            let mut store = open(common)?;
            let pass = passphrase()?;
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
