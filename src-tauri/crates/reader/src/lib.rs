//! Reads an evidence file into what a reviewer checks: the certificate's fields (holder,
//! organizer, dates, hours, number), the QR code's text, and where on the page each field was
//! read. A PDF's text layer is taken as it is; images and image-only PDF pages go through OCR
//! ([`Ocr`]); QR codes are decoded wherever an image is. Pure: bytes in, findings out — the caller
//! loads the files and the models.

mod decode;
mod layout;
pub mod ocr;
mod pdf;
mod qr;

use jxjy_core::filekind::{sniff, FileKind};
use jxjy_evidence::Fields;
pub use layout::{Page, Place};
pub use ocr::{Ocr, Rect, Word};
use serde::{Deserialize, Serialize};

/// The reader's version: stored with every reading, so a new reader re-reads what an older one
/// read (and nothing else).
/// 2: an organizer line split by a seal or letter-spacing is read.
pub const READER_VERSION: u32 = 2;

/// Bounds on what one file may cost, checked before anything is decoded or allocated.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_file_bytes: usize,
    /// The most pixels one image may have (width × height).
    pub max_pixels: u64,
    /// The most pages of a PDF that are read; later pages are left.
    pub max_pages: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 40 << 20,
            max_pixels: 60_000_000,
            max_pages: 6,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the file is {0} bytes, more than the reader takes ({1})")]
    TooLarge(usize, usize),
    #[error("not a PDF, PNG or JPEG file")]
    UnknownFormat,
    #[error("the file cannot be decoded: {0}")]
    Undecodable(String),
    #[error("the image is {0}×{1} pixels, more than the reader takes")]
    TooManyPixels(u32, u32),
    #[error("the page has no text layer and no OCR models are loaded")]
    NeedsOcr,
    #[error("OCR model: {0}")]
    Model(String),
}

/// How the text was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// The PDF's own text.
    TextLayer,
    /// PP-OCRv4 on the page image.
    Ocr,
    /// Text layer on some pages, OCR on others.
    Mixed,
}

/// What was read from one file.
#[derive(Debug, Clone)]
pub struct Reading {
    pub engine: Engine,
    pub pages: Vec<Page>,
    /// The text, page after page, one line of the page per line.
    pub text: String,
    pub qr_text: Option<String>,
    pub fields: Fields,
}

impl Reading {
    /// Where the characters `span` of [`Reading::text`] were read.
    pub fn place_of(&self, span: (usize, usize)) -> Option<Place> {
        layout::place_of(&self.pages, span)
    }
}

/// Reads one evidence file. Without `ocr`, an image or an image-only PDF is [`ReadError::NeedsOcr`].
pub fn read(bytes: &[u8], ocr: Option<&Ocr>, limits: &Limits) -> Result<Reading, ReadError> {
    if bytes.len() > limits.max_file_bytes {
        return Err(ReadError::TooLarge(bytes.len(), limits.max_file_bytes));
    }
    let (pages, engine, qr_text) = match sniff(bytes) {
        Some(FileKind::Pdf) => pdf::read(bytes, ocr, limits)?,
        Some(FileKind::Png | FileKind::Jpeg) => {
            let image = decode::image(bytes, limits)?;
            let qr_text = qr::decode(&image);
            let ocr = ocr.ok_or(ReadError::NeedsOcr)?;
            let words = ocr.read_page(&image)?;
            let page = Page::from_words(image.width(), image.height(), words);
            (vec![page], Engine::Ocr, qr_text)
        }
        Some(FileKind::Gif | FileKind::Webp) | None => return Err(ReadError::UnknownFormat),
    };
    let text = layout::text_of(&pages);
    let fields = jxjy_evidence::read_fields(&text);
    Ok(Reading {
        engine,
        pages,
        text,
        qr_text,
        fields,
    })
}
