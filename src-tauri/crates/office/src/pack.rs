//! A spot-check pack on disk: `抽审清单.xlsx`, `抽审材料汇总.html` and `evidence/` with each
//! file named by its item's rank, as a folder and as a zip of the same files.

use crate::{print, xlsx_out, OfficeError};
use jxjy_store::spotcheck::{PackEvidence, PackView};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The name an evidence file gets in the pack: rank, then the declarant's own file name made
/// safe for every file system (no separators, no control characters, at most 80 characters).
pub fn evidence_file_name(rank: i64, e: &PackEvidence) -> String {
    let safe: String = e
        .file_name
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let safe = safe
        .trim_matches(['.', ' '])
        .chars()
        .take(80)
        .collect::<String>();
    let short = e.sha256.get(..8).unwrap_or_default();
    if safe.is_empty() {
        format!("{rank:03}-{short}")
    } else {
        format!("{rank:03}-{short}-{safe}")
    }
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PackFiles {
    pub folder: PathBuf,
    pub zip: PathBuf,
    pub files: usize,
    /// Evidence not on this machine yet (listed in the checklist, left out of the pack).
    pub missing_evidence: usize,
}

/// Writes the pack into `dir/<name>/` and `dir/<name>.zip`. `evidence` gives a reader of a
/// file's bytes (which fails at the end when they do not verify), or `None` when it is not
/// downloaded. Evidence is copied through, never held whole: into the folder first, then from
/// there into the zip.
pub fn write_pack<R: Read>(
    dir: &Path,
    name: &str,
    view: &PackView,
    unit_name: &str,
    printed_on: &str,
    mut evidence: impl FnMut(&str) -> Option<R>,
) -> Result<PackFiles, OfficeError> {
    let folder = dir.join(name);
    std::fs::create_dir_all(folder.join("evidence"))?;
    let documents: Vec<(String, Vec<u8>)> = vec![
        ("抽审清单.xlsx".into(), xlsx_out::checklist(view)?),
        (
            "抽审材料汇总.html".into(),
            print::pack_summary(view, unit_name, printed_on).into_bytes(),
        ),
    ];
    let mut files: Vec<String> = Vec::new();
    for (rel, bytes) in &documents {
        std::fs::write(folder.join(rel), bytes)?;
        files.push(rel.clone());
    }
    let mut missing = 0;
    for item in &view.items {
        for e in &item.evidence {
            let Some(mut reader) = evidence(&e.sha256) else {
                missing += 1;
                continue;
            };
            let rel = format!("evidence/{}", evidence_file_name(item.rank, e));
            let path = folder.join(&rel);
            let copied = std::fs::File::create(&path).and_then(|f| {
                let mut w = std::io::BufWriter::new(f);
                std::io::copy(&mut reader, &mut w)?;
                w.flush()
            });
            if let Err(err) = copied {
                // A file that did not verify is not left behind looking like evidence.
                let _ = std::fs::remove_file(&path);
                return Err(err.into());
            }
            files.push(rel);
        }
    }
    let zip_path = dir.join(format!("{name}.zip"));
    crate::atomic::write_atomically(&zip_path, |out| -> Result<(), OfficeError> {
        let mut z = zip::ZipWriter::new(out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.add_directory(format!("{name}/evidence/"), opts)?;
        for rel in &files {
            z.start_file(format!("{name}/{rel}"), opts)?;
            let mut f = std::fs::File::open(folder.join(rel))?;
            std::io::copy(&mut f, &mut z)?;
        }
        z.finish()?.flush()?;
        Ok(())
    })?;
    Ok(PackFiles {
        folder,
        zip: zip_path,
        files: files.len(),
        missing_evidence: missing,
    })
}
