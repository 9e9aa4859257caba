//! Image files decoded within bounds: the size is checked from the header before any pixel is
//! allocated, the camera's EXIF orientation applied, and very large photos scaled down to what
//! OCR needs.

use crate::{Limits, ReadError};
use image::{imageops, DynamicImage, ImageDecoder, ImageReader, RgbImage};
use std::io::Cursor;

/// Photos are scaled to this long side: more pixels only slow recognition.
const PAGE_LONG_SIDE: u32 = 2400;

/// A PNG or JPEG file as an RGB page, upright.
pub fn image(bytes: &[u8], limits: &Limits) -> Result<RgbImage, ReadError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ReadError::Undecodable(e.to_string()))?;
    let mut bounds = image::Limits::default();
    bounds.max_alloc = Some(limits.max_pixels.saturating_mul(4).saturating_add(1 << 20));
    reader.limits(bounds);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| ReadError::Undecodable(e.to_string()))?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > limits.max_pixels {
        return Err(ReadError::TooManyPixels(w, h));
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img =
        DynamicImage::from_decoder(decoder).map_err(|e| ReadError::Undecodable(e.to_string()))?;
    img.apply_orientation(orientation);
    Ok(fit(img.to_rgb8()))
}

/// Raw samples of a PDF image (8 bits, gray or RGB) as an RGB page.
pub fn raw(
    samples: &[u8],
    width: u32,
    height: u32,
    channels: usize,
    limits: &Limits,
) -> Result<RgbImage, ReadError> {
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(ReadError::TooManyPixels(width, height));
    }
    let need = width as usize * height as usize * channels;
    if samples.len() < need || width == 0 || height == 0 {
        return Err(ReadError::Undecodable(
            "image data shorter than its size".into(),
        ));
    }
    let img = match channels {
        1 => image::GrayImage::from_raw(width, height, samples[..need].to_vec())
            .map(|g| DynamicImage::ImageLuma8(g).to_rgb8()),
        3 => RgbImage::from_raw(width, height, samples[..need].to_vec()),
        _ => None,
    };
    img.map(fit)
        .ok_or_else(|| ReadError::Undecodable("unsupported image samples".into()))
}

/// Scales a page down to [`PAGE_LONG_SIDE`] when it is larger.
fn fit(img: RgbImage) -> RgbImage {
    let long = img.width().max(img.height());
    if long <= PAGE_LONG_SIDE {
        return img;
    }
    let s = PAGE_LONG_SIDE as f32 / long as f32;
    let (w, h) = (
        ((img.width() as f32 * s) as u32).max(1),
        ((img.height() as f32 * s) as u32).max(1),
    );
    imageops::resize(&img, w, h, imageops::FilterType::Triangle)
}
