//! QR codes on a page (rqrr): the first one that decodes, its bytes read as UTF-8.

use image::{imageops, DynamicImage, RgbImage};

/// The search runs on at most this long side: a QR code on a certificate stays well resolved.
const QR_LONG_SIDE: u32 = 1600;

pub fn decode(page: &RgbImage) -> Option<String> {
    let gray = DynamicImage::ImageRgb8(page.clone()).to_luma8();
    let long = gray.width().max(gray.height());
    let gray = if long > QR_LONG_SIDE {
        let s = QR_LONG_SIDE as f32 / long as f32;
        imageops::resize(
            &gray,
            ((gray.width() as f32 * s) as u32).max(1),
            ((gray.height() as f32 * s) as u32).max(1),
            imageops::FilterType::Triangle,
        )
    } else {
        gray
    };
    let mut prepared = rqrr::PreparedImage::prepare(gray);
    for grid in prepared.detect_grids().into_iter().take(4) {
        let mut bytes = Vec::new();
        if grid.decode_to(&mut bytes).is_ok() {
            if let Ok(text) = String::from_utf8(bytes) {
                return Some(text);
            }
        }
    }
    None
}
