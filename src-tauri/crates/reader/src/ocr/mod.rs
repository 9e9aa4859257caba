//! OCR of one page image with the PaddleOCR-family models (PP-OCRv4 detection and recognition, as
//! RapidOCR ships them in ONNX): detection finds the text boxes, recognition reads each box.
//! tract runs the models — pure Rust, so the Windows build needs no C++ runtime.

mod detect;
mod recognize;

use crate::ReadError;
use image::RgbImage;
use serde::{Deserialize, Serialize};

pub use detect::Quad;

/// A box of text as read: its characters, the recognizer's mean confidence, and where it stands
/// on the page (in the page image's pixels).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Word {
    pub text: String,
    pub score: f32,
    pub rect: Rect,
}

/// An axis-aligned rectangle in page pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

/// Both models, loaded once and shared (a run takes `&self`).
pub struct Ocr {
    det: detect::Detector,
    rec: recognize::Recognizer,
}

impl Ocr {
    /// Loads the detection and recognition models from their ONNX bytes; the recognizer's
    /// alphabet comes from the model's own `character` metadata.
    pub fn load(det_onnx: &[u8], rec_onnx: &[u8]) -> Result<Self, ReadError> {
        Ok(Ocr {
            det: detect::Detector::load(det_onnx)?,
            rec: recognize::Recognizer::load(rec_onnx)?,
        })
    }

    /// Reads a page: the boxes found, each read, in reading order (top to bottom, left to
    /// right). Seals are washed out first: the red channel alone keeps black text dark and turns
    /// red ink pale.
    pub fn read_page(&self, page: &RgbImage) -> Result<Vec<Word>, ReadError> {
        let ink = wash_out_red(page);
        let quads = self.det.detect(&ink)?;
        let mut words = Vec::with_capacity(quads.len());
        for quad in quads {
            let (text, score) = self.rec.read(&ink, &quad)?;
            let text = text.trim().to_string();
            if text.is_empty() || score < 0.5 {
                continue;
            }
            words.push(Word {
                text,
                score,
                rect: quad.bounds(page.width(), page.height()),
            });
        }
        Ok(words)
    }
}

/// The red channel in all three: red seals and red stamps fade, black and blue text stays.
fn wash_out_red(page: &RgbImage) -> RgbImage {
    let mut out = page.clone();
    for p in out.pixels_mut() {
        let r = p[0];
        p.0 = [r, r, r];
    }
    out
}
