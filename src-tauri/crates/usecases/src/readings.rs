//! Reading the stored evidence in the background and keeping each declaration's reading flags
//! and its field-by-field comparison (证书内容 beside 申报内容) up to date: one file at a time,
//! so the app's worker can turn to the declaration on screen between any two files.

use crate::evidence::{declaration_findings, declared, reading_out, LazyOcr, ReadingOut};
use crate::UseCaseError;
use jxjy_core::flags::Flag;
use jxjy_evidence::crosscheck::{cross_check, Verdict};
use jxjy_evidence::dates::Day;
use jxjy_evidence::findings::certificate_key;
use jxjy_evidence::{Fields, Found};
use jxjy_reader::{Place, ReadError, READER_VERSION};
use jxjy_store::Store;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// A file's stored reading: what was read, or why nothing could be.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StoredReading {
    Read { reading: Box<ReadingOut> },
    Failed { message: String },
}

/// Where a field was read: the file, its page and the rectangle in that page's units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldPlace {
    pub sha256: String,
    pub page: u32,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    pub page_width: u32,
    pub page_height: u32,
}

/// The fields the detail pane compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReadField {
    HolderName,
    Dates,
    Hours,
    Organizer,
    CertificateNo,
}

impl ReadField {
    pub const ALL: [ReadField; 5] = [
        ReadField::HolderName,
        ReadField::Dates,
        ReadField::Hours,
        ReadField::Organizer,
        ReadField::CertificateNo,
    ];

    /// The row's name in the detail pane.
    pub fn zh(self) -> &'static str {
        match self {
            ReadField::HolderName => "姓名",
            ReadField::Dates => "起止日期",
            ReadField::Hours => "学时",
            ReadField::Organizer => "主办单位",
            ReadField::CertificateNo => "证书编号",
        }
    }
}

/// How a field read compares with the declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FieldVerdict {
    Agrees,
    Differs,
    NotFound,
    /// Read, with nothing declared to compare it with (the certificate number).
    Read,
}

impl FieldVerdict {
    pub const ALL: [FieldVerdict; 4] = [
        FieldVerdict::Agrees,
        FieldVerdict::Differs,
        FieldVerdict::NotFound,
        FieldVerdict::Read,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            FieldVerdict::Agrees => "一致",
            FieldVerdict::Differs => "不一致",
            FieldVerdict::NotFound => "未识别出",
            FieldVerdict::Read => "已识别",
        }
    }
}

/// One row of 证书内容 / 申报内容.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldRow {
    pub field: ReadField,
    /// What the declaration states (None for the certificate number).
    pub declared: Option<String>,
    /// What the certificate says, as read.
    pub read: Option<String>,
    pub verdict: FieldVerdict,
    pub place: Option<FieldPlace>,
}

/// A reading flag with what was read, as the detail pane lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReadingFinding {
    pub flag: Flag,
    pub detail: String,
}

/// What the readings of a declaration's files say, computed in the background and stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReadingSummary {
    pub rows: Vec<FieldRow>,
    pub findings: Vec<ReadingFinding>,
    /// Files of the declaration read so far, of all its files.
    pub files_read: u32,
    pub files_total: u32,
    /// Files that could not be read, each with why (in Chinese).
    pub failed: Vec<String>,
}

/// A declaration's reading as the app asks for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DeclarationReading {
    /// None of its files is read yet (not downloaded, or waiting for the reader).
    Pending,
    Ready {
        summary: ReadingSummary,
    },
}

/// What one step of the background reader did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A file was read (or found unreadable) and stored.
    Read,
    /// A file needs the OCR models, which are not there: left for now.
    Skipped,
    /// Nothing is left to read.
    Idle,
}

fn parse_day(s: &str) -> Option<Day> {
    let (year, rest) = match s.strip_prefix("--") {
        Some(rest) => (None, rest),
        None => {
            let (y, rest) = s.split_once('-')?;
            (Some(y.parse().ok()?), rest)
        }
    };
    let (m, d) = rest.split_once('-')?;
    Some(Day {
        year,
        month: m.parse().ok()?,
        day: d.parse().ok()?,
    })
}

/// The fields of a stored reading, as the cross-check takes them (their spans are not kept).
pub fn fields_of(out: &ReadingOut) -> Fields {
    fn found<T, U>(
        f: &Option<crate::evidence::FieldOut<T>>,
        map: impl Fn(&T) -> Option<U>,
    ) -> Option<Found<U>> {
        f.as_ref().and_then(|x| {
            map(&x.value).map(|value| Found {
                value,
                span: (0, 0),
            })
        })
    }
    let f = &out.fields;
    Fields {
        holder_name: found(&f.holder_name, |s| Some(s.clone())),
        organizer: found(&f.organizer, |s| Some(s.clone())),
        start_date: found(&f.start_date, |s| parse_day(s)),
        end_date: found(&f.end_date, |s| parse_day(s)),
        hours_centi: found(&f.hours, |h| {
            h.is_finite().then(|| (h * 100.0).round() as i64)
        }),
        days: found(&f.days, |d| Some(*d)),
        certificate_no: found(&f.certificate_no, |s| Some(s.clone())),
    }
}

fn failed_message(e: &ReadError) -> String {
    match e {
        ReadError::TooLarge(..) => "文件过大，未识别".into(),
        ReadError::UnknownFormat => "不是 PDF、PNG 或 JPEG 文件，未识别".into(),
        ReadError::Undecodable(_) => "文件已损坏，无法解码".into(),
        ReadError::TooManyPixels(..) => "图像像素过多，未识别".into(),
        ReadError::NeedsOcr | ReadError::Model(_) => "文字识别模型不可用".into(),
    }
}

/// Reads the next file that has no reading at this reader's version (the files of `first`
/// first) and stores the result. Files in `skip` (their OCR could not run) are passed over.
pub fn read_next(
    store: &mut Store,
    ocr: &mut LazyOcr,
    first: Option<&str>,
    skip: &mut HashSet<String>,
) -> Result<Step, UseCaseError> {
    let candidates = store.evidence_to_read(READER_VERSION, first, skip.len() + 1)?;
    let Some(next) = candidates.into_iter().find(|c| !skip.contains(&c.sha256)) else {
        return Ok(Step::Idle);
    };
    let bytes = store.read_evidence(&next.sha256)?;
    let stored = match ocr.try_read(&bytes) {
        Ok(Ok(reading)) => StoredReading::Read {
            reading: Box::new(reading_out(&reading)),
        },
        Ok(Err(e)) => StoredReading::Failed {
            message: failed_message(&e),
        },
        // The models are missing or broken: this file waits, the others (text PDFs) go on.
        Err(_) => {
            skip.insert(next.sha256);
            return Ok(Step::Skipped);
        }
    };
    let key = match &stored {
        StoredReading::Read { reading } => reading
            .fields
            .certificate_no
            .as_ref()
            .map(|c| certificate_key(&c.value))
            .filter(|k| k.chars().count() >= 4),
        StoredReading::Failed { .. } => None,
    };
    let json = serde_json::to_string(&stored)
        .map_err(|e| UseCaseError::input(format!("reading: {e}"), "识别结果无法保存"))?;
    store.put_reading(&next.sha256, READER_VERSION, &json, key.as_deref())?;
    Ok(Step::Read)
}

/// Recomputes the reading flags and summary of up to `limit` declarations whose files were
/// read since (`first`, the declaration on screen, first); returns how many were computed.
pub fn refresh_stale(
    store: &mut Store,
    first: Option<&str>,
    limit: usize,
) -> Result<usize, UseCaseError> {
    let stale = store.stale_reading_declarations(first, limit)?;
    let mut done = 0;
    for s in &stale {
        let (flags, summary) = compute(store, &s.id)?;
        let json = serde_json::to_string(&summary)
            .map_err(|e| UseCaseError::input(format!("summary: {e}"), "识别结果无法保存"))?;
        if store.set_declaration_reading(&s.id, s.version, s.seq, &flags, &json)? {
            done += 1;
        }
    }
    Ok(done)
}

fn place(sha256: &str, p: &Place) -> FieldPlace {
    FieldPlace {
        sha256: sha256.to_owned(),
        page: u32::try_from(p.page).unwrap_or(0),
        x: p.rect.x,
        y: p.rect.y,
        w: p.rect.w,
        h: p.rect.h,
        page_width: p.page_width,
        page_height: p.page_height,
    }
}

fn day_text(d: &Day) -> String {
    match d.year {
        Some(y) => format!("{y}年{}月{}日", d.month, d.day),
        None => format!("{}月{}日", d.month, d.day),
    }
}

fn hours_text(centi: i64) -> String {
    if centi % 100 == 0 {
        format!("{}学时", centi / 100)
    } else {
        format!("{:.2}学时", centi as f64 / 100.0)
    }
}

/// The flags and the field-by-field summary of one declaration from its files' readings.
fn compute(store: &Store, id: &str) -> Result<(Vec<Flag>, ReadingSummary), UseCaseError> {
    let view = store.declaration(id)?;
    let d = &view.declaration;
    let name = view.staff.as_ref().map(|s| s.name.as_str()).unwrap_or("");
    let mut read: Vec<(String, ReadingOut)> = Vec::new();
    let mut failed = Vec::new();
    for r in store.readings_of_declaration(id)? {
        match serde_json::from_str::<StoredReading>(&r.reading) {
            Ok(StoredReading::Read { reading }) => read.push((r.sha256, *reading)),
            Ok(StoredReading::Failed { message }) => failed.push(message),
            Err(_) => failed.push("识别结果已损坏，将重新识别".into()),
        }
    }
    let fields: Vec<Fields> = read.iter().map(|(_, r)| fields_of(r)).collect();
    let mut all: Vec<&Fields> = fields.iter().collect();
    let empty = Fields::default();
    if all.is_empty() && !failed.is_empty() {
        all.push(&empty);
    }
    let (_, mut found) = declaration_findings(d, name, &all);
    let decl = declared(d, name);
    let checks: Vec<_> = fields.iter().map(|f| cross_check(f, &decl)).collect();
    // Per field, the file that agrees, else one that differs, else nothing found.
    let best =
        |pick: fn(&jxjy_evidence::crosscheck::Check) -> Verdict| -> (Verdict, Option<usize>) {
            [Verdict::Agrees, Verdict::Differs]
                .into_iter()
                .find_map(|v| {
                    checks
                        .iter()
                        .position(|c| pick(c) == v)
                        .map(|i| (v, Some(i)))
                })
                .unwrap_or((Verdict::NotFound, None))
        };
    let verdict = |v: Verdict| match v {
        Verdict::Agrees => FieldVerdict::Agrees,
        Verdict::Differs => FieldVerdict::Differs,
        Verdict::NotFound => FieldVerdict::NotFound,
    };
    let at = |i: Option<usize>, get: &dyn Fn(&ReadingOut) -> Option<Place>| {
        i.and_then(|i| read.get(i))
            .and_then(|(sha, r)| get(r).map(|p| place(sha, &p)))
    };
    let mut rows = Vec::new();
    let (v, i) = best(|c| c.holder_name);
    rows.push(FieldRow {
        field: ReadField::HolderName,
        declared: Some(name.to_owned()),
        read: i
            .and_then(|i| fields[i].holder_name.as_ref())
            .map(|f| f.value.clone()),
        verdict: verdict(v),
        place: at(i, &|r| r.fields.holder_name.as_ref().and_then(|f| f.place)),
    });
    let (v, i) = best(|c| c.dates);
    rows.push(FieldRow {
        field: ReadField::Dates,
        declared: Some(format!(
            "{}至{}",
            d.start_date.format("%Y年%-m月%-d日"),
            d.end_date.format("%Y年%-m月%-d日")
        )),
        read: i.map(|i| {
            let f = &fields[i];
            let s = f.start_date.as_ref().map(|x| day_text(&x.value));
            let e = f.end_date.as_ref().map(|x| day_text(&x.value));
            match (s, e) {
                (Some(s), Some(e)) if s != e => format!("{s}至{e}"),
                (Some(s), _) | (None, Some(s)) => s,
                (None, None) => String::new(),
            }
        }),
        verdict: verdict(v),
        place: at(i, &|r| {
            r.fields
                .start_date
                .as_ref()
                .or(r.fields.end_date.as_ref())
                .and_then(|f| f.place)
        }),
    });
    let (v, i) = best(|c| c.hours);
    rows.push(FieldRow {
        field: ReadField::Hours,
        declared: decl.hours_centi.map(hours_text),
        read: i.and_then(|i| {
            let f = &fields[i];
            f.hours_centi
                .as_ref()
                .map(|h| hours_text(h.value))
                .or(f.days.as_ref().map(|d| format!("{}天", d.value)))
        }),
        verdict: verdict(v),
        place: at(i, &|r| {
            r.fields.hours.as_ref().and_then(|f| f.place).or(r
                .fields
                .days
                .as_ref()
                .and_then(|f| f.place))
        }),
    });
    let (v, i) = best(|c| c.organizer);
    rows.push(FieldRow {
        field: ReadField::Organizer,
        declared: Some(d.organizer.clone()),
        read: i
            .and_then(|i| fields[i].organizer.as_ref())
            .map(|f| f.value.clone()),
        verdict: verdict(v),
        place: at(i, &|r| r.fields.organizer.as_ref().and_then(|f| f.place)),
    });
    let number = read
        .iter()
        .find_map(|(sha, r)| r.fields.certificate_no.as_ref().map(|c| (sha, c)));
    rows.push(FieldRow {
        field: ReadField::CertificateNo,
        declared: None,
        read: number.map(|(_, c)| c.value.clone()),
        verdict: if number.is_some() {
            FieldVerdict::Read
        } else {
            FieldVerdict::NotFound
        },
        place: number.and_then(|(sha, c)| c.place.as_ref().map(|p| place(sha, p))),
    });
    // The same certificate number on another live declaration, of anyone.
    let mut others: Vec<String> = Vec::new();
    for (_, r) in &read {
        if let Some(c) = &r.fields.certificate_no {
            let key = certificate_key(&c.value);
            if key.chars().count() >= 4 {
                for o in store.declarations_with_certificate(&key, id)? {
                    if !others.contains(&o) {
                        others.push(o);
                    }
                }
            }
        }
    }
    if !others.is_empty() {
        found.push(jxjy_evidence::findings::Finding {
            flag: Flag::DuplicateCertificateNo,
            detail: format!("同一证书编号也出现在申报 {}", others.join("、")),
        });
    }
    let flags: Vec<Flag> = found.iter().map(|f| f.flag).collect();
    let summary = ReadingSummary {
        rows,
        findings: found
            .into_iter()
            .map(|f| ReadingFinding {
                flag: f.flag,
                detail: f.detail,
            })
            .collect(),
        files_read: u32::try_from(read.len() + failed.len()).unwrap_or(u32::MAX),
        files_total: u32::try_from(view.evidence.len()).unwrap_or(u32::MAX),
        failed,
    };
    Ok((flags, summary))
}

/// The reading of a declaration for the detail pane.
pub fn declaration_reading(store: &Store, id: &str) -> Result<DeclarationReading, UseCaseError> {
    match store.declaration_reading_summary(id)? {
        Some(json) => match serde_json::from_str::<ReadingSummary>(&json) {
            Ok(summary) => Ok(DeclarationReading::Ready { summary }),
            Err(_) => Ok(DeclarationReading::Pending),
        },
        None => Ok(DeclarationReading::Pending),
    }
}

/// Files read at this reader's version, of all present files.
pub fn progress(store: &Store) -> Result<(u64, u64), UseCaseError> {
    Ok(store.reading_progress(READER_VERSION)?)
}
