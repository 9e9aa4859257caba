//! `jxjy exchange`: decisions out of a site with no link, snapshots into one, by file.

use crate::review::{open, print_json, Common};
use crate::Failure;
use anyhow::{anyhow, Context};
use clap::{Args, Subcommand};
use jxjy_store::exchange::Seal;
use jxjy_store::keys;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

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

/// Writes through a temporary file renamed into place, so a crash never leaves a half file
/// under the final name.
pub(crate) fn write_atomically(
    path: &Path,
    f: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let tmp = path.with_extension("partial");
    let file =
        std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    let mut w = std::io::BufWriter::new(file);
    let result = f(&mut w).and_then(|()| {
        w.flush().context("cannot write the file")?;
        w.get_ref().sync_all().context("cannot sync the file")?;
        std::fs::rename(&tmp, path)
            .with_context(|| format!("cannot rename to {}", path.display()))?;
        Ok(())
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

pub fn run(common: &Common, cmd: &ExchangeCmd) -> Result<(), Failure> {
    let now = chrono::Utc::now();
    match cmd {
        ExchangeCmd::Export(a) | ExchangeCmd::Snapshot(a) => {
            let snapshot = matches!(cmd, ExchangeCmd::Snapshot(_));
            let pass = passphrase()?;
            let store = open(common)?;
            let (salt, nonce_prefix) = keys::exchange_random().map_err(|e| anyhow!(e))?;
            let seal = Seal {
                passphrase: &pass,
                salt,
                nonce_prefix,
            };
            let mut report = None;
            write_atomically(&a.out, |w| {
                let r = if snapshot {
                    store.export_snapshot(w, &seal, now)
                } else {
                    store.export_decisions(w, &seal, now)
                };
                report = Some(r.map_err(|e| match e.code() {
                    "invalid_input" | "not_allowed" => Failure::input(anyhow!(e)),
                    _ => Failure::from(anyhow!(e)),
                })?);
                Ok(())
            })?;
            let report = report.ok_or_else(|| anyhow!("nothing written"))?;
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
            let reviewer = store
                .meta("username")
                .map_err(|e| anyhow!(e))?
                .unwrap_or_else(|| common.profile.clone());
            let report = store
                .import_exchange(std::io::BufReader::new(file), &pass, &reviewer, now)
                .map_err(|e| match e.code() {
                    "database" | "io" => Failure::from(anyhow!(e)),
                    _ => Failure::input(anyhow!(e)),
                })?;
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
