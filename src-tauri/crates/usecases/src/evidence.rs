//! Reading evidence files and cross-checking them with their declarations: where the OCR models
//! are found, what one file reads as (the shape `jxjy evidence read --json` prints and the app
//! shows), and the flags a declaration's files raise.

use crate::UseCaseError;
use jxjy_core::flags::Flag;
use jxjy_core::model::Declaration;
use jxjy_evidence::crosscheck::{Check, Declared, Verdict};
use jxjy_evidence::dates::Day;
use jxjy_evidence::findings::{duplicate_certificate_numbers, findings, Finding};
use jxjy_evidence::{Fields, Found};
use jxjy_reader::{Engine, Limits, Ocr, Place, Reading};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The two model files, as `scripts/fetch-ocr-models.sh` puts them.
pub const DET_MODEL: &str = "ch_PP-OCRv4_det_infer.onnx";
pub const REC_MODEL: &str = "ch_PP-OCRv4_rec_infer.onnx";

/// Where the models are looked for, in order: the folder named (a flag or `JXJY_OCR_MODELS`);
/// `ocr-models` beside the program (the installed app); `models/ocr` of the checkout the
/// program was built from (development and tests).
pub fn model_dirs(named: Option<&Path>, exe: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = named {
        dirs.push(d.to_path_buf());
    }
    if let Some(dir) = exe.and_then(Path::parent) {
        dirs.push(dir.join("ocr-models"));
        dirs.push(dir.join("resources").join("ocr-models"));
        if let Some(root) = dir.parent().and_then(Path::parent) {
            dirs.push(root.join("models").join("ocr"));
        }
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../models/ocr"));
    dirs
}

/// Loads the models from the first folder of [`model_dirs`] that holds both.
pub fn load_ocr(named: Option<&Path>) -> Result<Ocr, UseCaseError> {
    let exe = std::env::current_exe().ok();
    let dirs = model_dirs(named, exe.as_deref());
    let Some(dir) = dirs
        .iter()
        .find(|d| d.join(DET_MODEL).is_file() && d.join(REC_MODEL).is_file())
    else {
        return Err(UseCaseError::input(
            format!(
                "the OCR models ({DET_MODEL}, {REC_MODEL}) are in none of: {} (run scripts/fetch-ocr-models.sh)",
                dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
            ),
            "未找到文字识别模型，扫描件和照片无法识别",
        ));
    };
    let det = std::fs::read(dir.join(DET_MODEL))?;
    let rec = std::fs::read(dir.join(REC_MODEL))?;
    Ocr::load(&det, &rec).map_err(|e| {
        UseCaseError::input(
            format!("OCR models in {}: {e}", dir.display()),
            "文字识别模型无法加载",
        )
    })
}

/// Reads one file's bytes.
pub fn read_bytes(bytes: &[u8], ocr: Option<&Ocr>) -> Result<Reading, UseCaseError> {
    jxjy_reader::read(bytes, ocr, &Limits::default()).map_err(unreadable)
}

fn unreadable(e: jxjy_reader::ReadError) -> UseCaseError {
    UseCaseError::input(format!("cannot read the evidence: {e}"), "证明材料无法识别")
}

/// The OCR models, loaded the first time a file needs them (a text PDF never does).
pub struct LazyOcr {
    named: Option<PathBuf>,
    ocr: Option<Ocr>,
    /// Why the models could not be loaded, once tried.
    failed: Option<(String, String)>,
}

impl LazyOcr {
    pub fn new(named: Option<&Path>) -> LazyOcr {
        LazyOcr {
            named: named.map(Path::to_path_buf),
            ocr: None,
            failed: None,
        }
    }

    /// A reader that reads text layers and QR codes only: images are refused as needing models
    /// (the app's tests, which must not spend minutes of OCR in the background).
    pub fn text_only() -> LazyOcr {
        LazyOcr {
            named: None,
            ocr: None,
            failed: Some((
                "OCR is turned off".into(),
                "文字识别未启用，扫描件和照片无法识别".into(),
            )),
        }
    }

    /// Loads the models now (so that a timing of the next read leaves the loading out).
    pub fn load(&mut self) -> Result<(), UseCaseError> {
        if self.ocr.is_none() {
            self.ocr = Some(load_ocr(self.named.as_deref())?);
        }
        Ok(())
    }

    /// Reads one file, loading the models when it turns out to need OCR.
    pub fn read(&mut self, bytes: &[u8]) -> Result<Reading, UseCaseError> {
        self.try_read(bytes)?.map_err(unreadable)
    }

    /// Like [`LazyOcr::read`], but the file's own problems (the inner error) apart from the
    /// models' (the outer one: missing or broken, tried once).
    pub fn try_read(
        &mut self,
        bytes: &[u8],
    ) -> Result<Result<Reading, jxjy_reader::ReadError>, UseCaseError> {
        match jxjy_reader::read(bytes, self.ocr.as_ref(), &Limits::default()) {
            Err(jxjy_reader::ReadError::NeedsOcr) if self.ocr.is_none() => {
                if let Some((en, zh)) = &self.failed {
                    return Err(UseCaseError::input(en.clone(), zh.clone()));
                }
                if let Err(e) = self.load() {
                    self.failed = Some((e.to_string(), e.message_zh()));
                    return Err(e);
                }
                Ok(jxjy_reader::read(
                    bytes,
                    self.ocr.as_ref(),
                    &Limits::default(),
                ))
            }
            other => Ok(other),
        }
    }
}

/// A field as printed: its value and where on the page it was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldOut<T> {
    pub value: T,
    pub place: Option<Place>,
}

/// What was read, in the interchange's units (dates `YYYY-MM-DD`, or `--MM-DD` when the year
/// was not printed; hours as a number).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldsOut {
    pub holder_name: Option<FieldOut<String>>,
    pub organizer: Option<FieldOut<String>>,
    pub start_date: Option<FieldOut<String>>,
    pub end_date: Option<FieldOut<String>>,
    pub hours: Option<FieldOut<f64>>,
    pub days: Option<FieldOut<u32>>,
    pub certificate_no: Option<FieldOut<String>>,
    pub qr_text: Option<String>,
}

/// One file's reading as `jxjy evidence read --json` prints it (the CLI adds `ms`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReadingOut {
    pub fields: FieldsOut,
    pub text: String,
    pub engine: Engine,
    pub reader_version: u32,
}

fn day_text(d: &Day) -> String {
    match d.year {
        Some(y) => format!("{y:04}-{:02}-{:02}", d.month, d.day),
        None => format!("--{:02}-{:02}", d.month, d.day),
    }
}

pub fn reading_out(r: &Reading) -> ReadingOut {
    fn out<T, U>(r: &Reading, f: &Option<Found<T>>, map: impl Fn(&T) -> U) -> Option<FieldOut<U>> {
        f.as_ref().map(|x| FieldOut {
            value: map(&x.value),
            place: r.place_of(x.span),
        })
    }
    let f = &r.fields;
    ReadingOut {
        fields: FieldsOut {
            holder_name: out(r, &f.holder_name, String::clone),
            organizer: out(r, &f.organizer, String::clone),
            start_date: out(r, &f.start_date, day_text),
            end_date: out(r, &f.end_date, day_text),
            hours: out(r, &f.hours_centi, |c| *c as f64 / 100.0),
            days: out(r, &f.days, |d| *d),
            certificate_no: out(r, &f.certificate_no, String::clone),
            qr_text: r.qr_text.clone(),
        },
        text: r.text.clone(),
        engine: r.engine,
        reader_version: jxjy_reader::READER_VERSION,
    }
}

/// What a declaration states, as the cross-check compares it.
pub fn declared<'a>(d: &'a Declaration, holder_name: &'a str) -> Declared<'a> {
    let hours = d.certified_hours.or(d.claimed_hours).map(|h| h.centi());
    Declared {
        holder_name,
        organizer: &d.organizer,
        start_date: d.start_date,
        end_date: d.end_date,
        hours_centi: hours,
    }
}

/// The flags of one declaration from the readings of its files (those that could be read), and
/// the verdict per field of the first file that says anything.
pub fn declaration_findings(
    d: &Declaration,
    holder_name: &str,
    readings: &[&Fields],
) -> (Option<Check>, Vec<Finding>) {
    let decl = declared(d, holder_name);
    let mut all: Vec<(Check, Vec<Finding>)> = readings.iter().map(|f| findings(f, &decl)).collect();
    // A declaration with a certificate and, say, a receipt: a file that reads nothing is not
    // unreadable evidence while another file of the declaration reads.
    let readable = all
        .iter()
        .any(|(_, f)| !f.iter().any(|x| x.flag == Flag::EvidenceUnreadable));
    if readable {
        for (_, f) in &mut all {
            f.retain(|x| x.flag != Flag::EvidenceUnreadable);
        }
    }
    // A field another file confirms is not a mismatch: the certificate and its cover letter may
    // differ in what they print.
    let agrees = |pick: fn(&Check) -> Verdict| all.iter().any(|(c, _)| pick(c) == Verdict::Agrees);
    let confirmed = [
        (Flag::EvidenceNameMismatch, agrees(|c| c.holder_name)),
        (Flag::EvidenceDatesMismatch, agrees(|c| c.dates)),
        (Flag::EvidenceHoursMismatch, agrees(|c| c.hours)),
        (Flag::EvidenceOrganizerMismatch, agrees(|c| c.organizer)),
    ];
    let mut out: Vec<Finding> = Vec::new();
    for f in all.iter().flat_map(|(_, f)| f) {
        let overruled = confirmed.iter().any(|(flag, ok)| *flag == f.flag && *ok);
        if !overruled && !out.iter().any(|o| o.flag == f.flag) {
            out.push(f.clone());
        }
    }
    (all.first().map(|(c, _)| *c), out)
}

/// For `jxjy credit --evidence-dir`: the reading flags of each declaration whose files are in
/// `dir` (named by their SHA-256), `duplicate_certificate_no` across all of them included.
pub fn flags_from_dir(
    declarations: &[Declaration],
    names: &BTreeMap<String, String>,
    dir: &Path,
    ocr: &mut LazyOcr,
    mut progress: impl FnMut(usize, usize),
) -> BTreeMap<String, Vec<Finding>> {
    let mut out: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    let mut numbers: Vec<(String, String)> = Vec::new();
    let total = declarations.iter().map(|d| d.evidence.len()).sum();
    let mut done = 0;
    for d in declarations {
        let mut fields = Vec::new();
        for e in &d.evidence {
            done += 1;
            progress(done, total);
            let valid = e.sha256.len() == 64 && e.sha256.bytes().all(|b| b.is_ascii_hexdigit());
            let Ok(bytes) = (if valid {
                std::fs::read(dir.join(e.sha256.to_ascii_lowercase()))
            } else {
                continue;
            }) else {
                continue;
            };
            match ocr.read(&bytes) {
                Ok(r) => fields.push(r.fields),
                Err(_) => fields.push(Fields::default()),
            }
        }
        if fields.is_empty() {
            continue;
        }
        for f in &fields {
            if let Some(n) = &f.certificate_no {
                numbers.push((d.id.clone(), n.value.clone()));
            }
        }
        let name = names.get(&d.staff_id).map(String::as_str).unwrap_or("");
        let refs: Vec<&Fields> = fields.iter().collect();
        let (_, found) = declaration_findings(d, name, &refs);
        out.insert(d.id.clone(), found);
    }
    let dup = duplicate_certificate_numbers(numbers.iter().map(|(d, n)| (d.as_str(), n.as_str())));
    for (decl, others) in dup {
        let detail = format!(
            "同一证书编号也出现在申报 {}",
            others.into_iter().collect::<Vec<_>>().join("、")
        );
        out.entry(decl).or_default().push(Finding {
            flag: Flag::DuplicateCertificateNo,
            detail,
        });
    }
    out
}
