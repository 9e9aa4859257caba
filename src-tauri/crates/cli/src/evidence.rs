//! `jxjy evidence read FILE --json`: what the reader finds in one evidence file.

use crate::Failure;
use anyhow::Context;
use clap::{Args, Subcommand};
use jxjy_usecases::evidence::{reading_out, LazyOcr};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Subcommand)]
pub enum EvidenceCmd {
    /// Read a certificate (PDF, PNG or JPEG): its fields, the QR code, the text, the engine.
    Read(ReadArgs),
}

#[derive(Args)]
pub struct ReadArgs {
    file: PathBuf,
    /// Print JSON (`{"fields": …, "text", "engine", "ms"}`); otherwise a short summary.
    #[arg(long)]
    json: bool,
    /// The folder holding the OCR models (default: beside the program, or the checkout's
    /// models/ocr).
    #[arg(long, env = "JXJY_OCR_MODELS")]
    pub models: Option<PathBuf>,
}

/// The largest file read: more is refused before it is loaded.
const MAX_FILE: u64 = 40 << 20;

pub fn run(cmd: &EvidenceCmd) -> Result<(), Failure> {
    let EvidenceCmd::Read(args) = cmd;
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("cannot open {}", args.file.display()))
        .map_err(Failure::input)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", args.file.display()))
        .map_err(Failure::input)?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(Failure::input(anyhow::anyhow!(
            "{} is larger than {MAX_FILE} bytes",
            args.file.display()
        )));
    }
    let mut ocr = LazyOcr::new(args.models.as_deref());
    if !bytes.starts_with(b"%PDF-") {
        ocr.load()
            .map_err(|e| Failure::input(anyhow::anyhow!("{e}")))?;
    }
    let started = Instant::now();
    let reading = ocr
        .read(&bytes)
        .map_err(|e| Failure::input(anyhow::anyhow!("{}: {e}", args.file.display())))?;
    let ms = started.elapsed().as_millis() as u64;
    let out = reading_out(&reading);
    let mut stdout = std::io::stdout().lock();
    if args.json {
        let mut v = serde_json::to_value(&out).context("cannot encode the reading")?;
        if let Some(o) = v.as_object_mut() {
            o.insert("ms".into(), ms.into());
        }
        writeln!(stdout, "{v}").context("cannot write to stdout")?;
    } else {
        let f = &out.fields;
        let show = |label: &str, v: Option<String>| {
            format!("{label:<15}{}", v.unwrap_or_else(|| "—".into()))
        };
        let lines = [
            show(
                "holder_name",
                f.holder_name.as_ref().map(|x| x.value.clone()),
            ),
            show("organizer", f.organizer.as_ref().map(|x| x.value.clone())),
            show("start_date", f.start_date.as_ref().map(|x| x.value.clone())),
            show("end_date", f.end_date.as_ref().map(|x| x.value.clone())),
            show("hours", f.hours.as_ref().map(|x| x.value.to_string())),
            show(
                "certificate_no",
                f.certificate_no.as_ref().map(|x| x.value.clone()),
            ),
            show("qr_text", f.qr_text.clone()),
            format!("{:<15}{:?}, {ms} ms", "engine", out.engine),
        ];
        writeln!(stdout, "{}", lines.join("\n")).context("cannot write to stdout")?;
    }
    Ok(())
}
