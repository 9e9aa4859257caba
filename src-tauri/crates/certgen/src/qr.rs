//! A QR code as a gray image with its quiet zone: the one drawing both the raster page and the
//! text PDF use.

use image::{GrayImage, Luma};

/// Modules of white around the code, as the standard asks.
const QUIET: u32 = 4;

/// The code of `payload`, each module `cell` pixels square; None when it does not fit a code.
pub fn image(payload: &str, cell: u32) -> Option<GrayImage> {
    let code = qrcode::QrCode::new(payload.as_bytes()).ok()?;
    let n = code.width() as u32;
    let side = (n + 2 * QUIET) * cell;
    let colors = code.to_colors();
    Some(GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = ((x / cell).checked_sub(QUIET), (y / cell).checked_sub(QUIET));
        let dark = match (mx, my) {
            (Some(mx), Some(my)) if mx < n && my < n => {
                colors[(my * n + mx) as usize] == qrcode::Color::Dark
            }
            _ => false,
        };
        Luma([if dark { 0 } else { 255 }])
    }))
}

/// The module size that makes the code about `size` pixels wide (at least 2).
pub fn cell_for(payload: &str, size: f32) -> u32 {
    let n = qrcode::QrCode::new(payload.as_bytes())
        .map(|c| c.width() as u32)
        .unwrap_or(21);
    ((size / (n + 2 * QUIET) as f32).floor() as u32).max(2)
}
