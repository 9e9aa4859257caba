//! Realistic evidence for the seed (`jxjy-platform seed --evidence`): each declaration's
//! certificate made from its facts by jxjy-certgen in the layout of its form and in a format
//! drawn like real uploads (text PDF, scanned PDF, scan, phone photo); one in ten carries one
//! deliberate discrepancy, recorded in `evidence_truth` as ground truth for tests and the demo.

use jxjy_certgen::{make, Discrepancy, Facts, Fonts, Format, Layout};
use jxjy_core::synth::Rng;
use jxjy_core::{Declaration, Form};

/// One certificate to make.
#[derive(Debug, Clone)]
pub struct Job {
    pub declaration_id: String,
    pub printed: Facts,
    pub layout: Layout,
    pub format: Format,
    pub discrepancy: Option<Discrepancy>,
    pub seed: u64,
}

/// A made certificate with its ground truth.
#[derive(Debug, Clone)]
pub struct MadeFile {
    pub job: Job,
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
    pub file_name: String,
}

pub fn layout_of(form: Form, rng: &mut Rng) -> Layout {
    match form {
        Form::BaseTraining => Layout::BaseTraining,
        Form::AcademicConference => Layout::Conference,
        Form::QualificationExam
        | Form::PracticeQualificationExam
        | Form::TitleLanguageExam
        | Form::ComputerExam => Layout::Exam,
        Form::GrassrootsService | Form::AidXinjiang => Layout::Service,
        _ => *rng.pick(&[Layout::Qualified, Layout::HoursProof]),
    }
}

/// Real uploads: about a third text PDFs, a third scans, the rest photos and scanned PDFs.
pub fn format_of(rng: &mut Rng) -> Format {
    match rng.below(100) {
        0..=34 => Format::TextPdf,
        35..=64 => Format::Scan,
        65..=79 => Format::ScannedPdf,
        _ => Format::Photo,
    }
}

/// The certificate number a declaration's certificate carries.
pub fn certificate_no(d: &Declaration, year: i32) -> String {
    let digits: u64 =
        d.id.bytes()
            .fold(7u64, |h, b| h.wrapping_mul(131).wrapping_add(u64::from(b)));
    format!("BT{year}{:02}-{:06}", (digits % 14) + 1, digits % 1_000_000)
}

/// The job for one declaration's certificate; `previous_no` is another declaration's number
/// (for the reused-number discrepancy).
pub fn job(
    d: &Declaration,
    holder_name: &str,
    year: i32,
    previous_no: Option<&str>,
    rng: &mut Rng,
) -> Job {
    let layout = layout_of(d.form, rng);
    let hours = d.certified_hours.or(d.claimed_hours).map(|h| h.centi());
    let declared = Facts {
        holder_name: holder_name.to_owned(),
        organizer: d.organizer.clone(),
        title: if d.title.is_empty() {
            "专业技术人员继续教育培训".into()
        } else {
            d.title.clone()
        },
        start_date: d.start_date,
        end_date: d.end_date,
        hours_centi: if layout == Layout::Service {
            None
        } else {
            hours
        },
        days: d.days,
        certificate_no: certificate_no(d, year),
    };
    let mut discrepancy = rng.chance(10).then(|| *rng.pick(&Discrepancy::ALL));
    if discrepancy == Some(Discrepancy::Hours) && declared.hours_centi.is_none() {
        discrepancy = Some(Discrepancy::Dates);
    }
    if discrepancy == Some(Discrepancy::ReusedNumber) && previous_no.is_none() {
        discrepancy = Some(Discrepancy::Name);
    }
    let printed = match discrepancy {
        Some(d) => d.apply(&declared, previous_no.unwrap_or_default(), rng),
        None => declared.clone(),
    };
    Job {
        declaration_id: d.id.clone(),
        printed,
        layout,
        format: format_of(rng),
        discrepancy,
        seed: rng.next_u64(),
    }
}

/// Makes the certificates on every core, in order.
pub fn make_all(jobs: Vec<Job>, fonts: &Fonts) -> anyhow::Result<Vec<MadeFile>> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let chunk = jobs.len().div_ceil(threads).max(1);
    let results: Vec<anyhow::Result<Vec<MadeFile>>> = std::thread::scope(|s| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|j| {
                            let m = make(&j.printed, j.layout, j.format, fonts, j.seed)?;
                            Ok(MadeFile {
                                job: j.clone(),
                                bytes: m.bytes,
                                media_type: m.media_type,
                                file_name: m.file_name,
                            })
                        })
                        .collect::<anyhow::Result<Vec<_>>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a certificate thread failed")))
            })
            .collect()
    });
    let mut out = Vec::with_capacity(jobs.len());
    for r in results {
        out.extend(r?);
    }
    Ok(out)
}
