//! Synthetic certificates that look like the real ones reviewers receive: the facts of a
//! declaration (or deliberately not quite them) set in one of several real layouts, with a red
//! seal and often a QR code, delivered as a text PDF, a scanned PDF, a flatbed scan or a phone
//! photo. For the reference platform's seed and the reader's accuracy benchmark; deterministic
//! from the seed given.

pub mod degrade;
pub mod fonts;
pub mod layout;
pub mod pdf;
pub mod qr;
pub mod raster;

pub use fonts::Fonts;
use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, RgbImage};
use jxjy_core::synth::Rng;
pub use layout::{Facts, Layout};

/// How the certificate reaches the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    TextPdf,
    ScannedPdf,
    Scan,
    Photo,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::TextPdf,
        Format::ScannedPdf,
        Format::Scan,
        Format::Photo,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Format::TextPdf => "text_pdf",
            Format::ScannedPdf => "scanned_pdf",
            Format::Scan => "scan",
            Format::Photo => "photo",
        }
    }
}

/// The one thing a certificate gets wrong on purpose (ground truth for tests and benchmarks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Discrepancy {
    Name,
    Dates,
    Hours,
    Organizer,
    /// The number of another declaration's certificate.
    ReusedNumber,
}

impl Discrepancy {
    pub const ALL: [Discrepancy; 5] = [
        Discrepancy::Name,
        Discrepancy::Dates,
        Discrepancy::Hours,
        Discrepancy::Organizer,
        Discrepancy::ReusedNumber,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Discrepancy::Name => "name",
            Discrepancy::Dates => "dates",
            Discrepancy::Hours => "hours",
            Discrepancy::Organizer => "organizer",
            Discrepancy::ReusedNumber => "reused_number",
        }
    }
}

/// Issuers a wrong-organizer certificate names (one of them differs from any declared one).
const OTHER_ORGANIZERS: [&str; 4] = [
    "新疆农垦科学院",
    "中华医学会新疆分会",
    "塔里木大学继续教育学院",
    "兵团卫生健康委员会",
];

impl Discrepancy {
    /// What a certificate with this discrepancy prints for `declared`: another person's name
    /// (the last character changed), the dates shifted 1–3 days, 8 or 16 hours more, another
    /// issuer, or `other_no` (another certificate's number).
    pub fn apply(self, declared: &Facts, other_no: &str, rng: &mut Rng) -> Facts {
        let mut p = declared.clone();
        match self {
            Discrepancy::Name => {
                let mut chars: Vec<char> = p.holder_name.chars().collect();
                if let Some(last) = chars.last_mut() {
                    *last = if *last == '华' { '斌' } else { '华' };
                }
                p.holder_name = chars.into_iter().collect();
            }
            Discrepancy::Dates => {
                let shift = chrono::Duration::days(1 + rng.below(3) as i64);
                p.start_date += shift;
                p.end_date += shift;
            }
            Discrepancy::Hours => {
                p.hours_centi = p.hours_centi.map(|h| h + 800 * (1 + rng.below(2) as i64))
            }
            Discrepancy::Organizer => {
                let others: Vec<&str> = OTHER_ORGANIZERS
                    .into_iter()
                    .filter(|o| *o != declared.organizer)
                    .collect();
                p.organizer = (*rng.pick(&others)).to_owned();
            }
            Discrepancy::ReusedNumber => p.certificate_no = other_no.to_owned(),
        }
        p
    }
}

/// A finished file.
#[derive(Debug, Clone)]
pub struct Made {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
    pub file_name: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MakeError {
    #[error("font: {0}")]
    Font(String),
    #[error("encoding the image: {0}")]
    Encode(String),
}

fn jpeg(img: &RgbImage, quality: u8) -> Result<Vec<u8>, MakeError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )
        .map_err(|e| MakeError::Encode(e.to_string()))?;
    Ok(out)
}

fn png_gray(img: &image::GrayImage) -> Result<Vec<u8>, MakeError> {
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::L8,
        )
        .map_err(|e| MakeError::Encode(e.to_string()))?;
    Ok(out)
}

/// The certificate of `facts` in `layout` and `format`; `seed` varies wording, date forms,
/// seal, QR code and degradation.
pub fn make(
    facts: &Facts,
    layout: Layout,
    format: Format,
    fonts: &Fonts,
    seed: u64,
) -> Result<Made, MakeError> {
    let mut rng = Rng::new(seed);
    let page = layout::page(facts, layout, &mut rng);
    let title = match layout {
        Layout::Conference => "参会证明",
        Layout::HoursProof => "学时证明",
        Layout::Service => "服务证明",
        _ => "证书",
    };
    if format == Format::TextPdf {
        let bytes = pdf::text_pdf(&page, fonts).map_err(|e| MakeError::Font(e.to_string()))?;
        return Ok(Made {
            bytes,
            media_type: "application/pdf",
            file_name: format!("{title}.pdf"),
        });
    }
    let clean = raster::draw(&page, fonts).map_err(|e| MakeError::Font(e.to_string()))?;
    match format {
        Format::Scan if rng.chance(30) => {
            // An office scanner's black-and-white mode: small files, a seal turned to black.
            let img = degrade::scan(&clean, &mut rng);
            let bw = degrade::black_and_white(&img);
            Ok(Made {
                bytes: png_gray(&bw)?,
                media_type: "image/png",
                file_name: format!("{title}扫描件.png"),
            })
        }
        Format::Scan => {
            let img = degrade::scan(&clean, &mut rng);
            let q = 80 + rng.below(12) as u8;
            Ok(Made {
                bytes: jpeg(&img, q)?,
                media_type: "image/jpeg",
                file_name: format!("{title}扫描件.jpg"),
            })
        }
        Format::ScannedPdf => {
            let img = degrade::scan(&clean, &mut rng);
            let data = jpeg(&img, 80)?;
            Ok(Made {
                bytes: pdf::scanned_pdf(&data, img.width(), img.height()),
                media_type: "application/pdf",
                file_name: format!("{title}扫描.pdf"),
            })
        }
        Format::Photo | Format::TextPdf => {
            let img = degrade::photo(&clean, &mut rng);
            let q = 80 + rng.below(8) as u8;
            Ok(Made {
                bytes: jpeg(&img, q)?,
                media_type: "image/jpeg",
                file_name: format!("IMG_{:04}.jpg", rng.below(10000)),
            })
        }
    }
}
