//! `jxjy audit`: check the whole audit chain, and export it for the administrator.

use crate::review::{open_even_if_audit_broken, print_json, Common};
use crate::Failure;
use anyhow::anyhow;
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum AuditCmd {
    /// Walk the whole chain (every entry re-hashed); exit 1 when it is broken.
    Verify(VerifyArgs),
    /// Write every entry as JSON Lines, chain hashes included.
    Export {
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Args)]
pub struct VerifyArgs {
    #[arg(long)]
    json: bool,
}

pub fn run(common: &Common, cmd: &AuditCmd) -> Result<(), Failure> {
    let store = open_even_if_audit_broken(common)?;
    match cmd {
        AuditCmd::Verify(a) => {
            let report = store.verify_audit()?;
            if a.json {
                print_json(&report)?;
            }
            match report.problem {
                None => {
                    if !a.json {
                        eprintln!("audit trail intact: {} entries", report.entries);
                    }
                    Ok(())
                }
                Some(problem) => Err(Failure::from(anyhow!(
                    "the audit trail is broken: {problem}"
                ))),
            }
        }
        AuditCmd::Export { out } => {
            let mut n = 0;
            jxjy_usecases::files::write_atomically(out, |w| -> Result<(), Failure> {
                n = store.export_audit(w)?;
                Ok(())
            })?;
            eprintln!("wrote {n} audit entries to {}", out.display());
            Ok(())
        }
    }
}
