//! Draws a page's items on an image: text in its font, the frame, the QR code, and the seal as
//! ink over the text (multiplied, as a stamp is).

use crate::fonts::Fonts;
use crate::layout::{Item, Page};
use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{GrayImage, Luma, Rgb, RgbImage};
use imageproc::drawing::{draw_hollow_rect_mut, draw_text_mut};
use imageproc::rect::Rect;

const SEAL_RED: [f32; 3] = [214.0, 38.0, 44.0];

pub fn draw(page: &Page, fonts: &Fonts) -> Result<RgbImage, ab_glyph::InvalidFont> {
    let mut img = RgbImage::from_pixel(page.width, page.height, Rgb([253, 252, 247]));
    for item in &page.items {
        match item {
            Item::Text {
                x,
                y,
                size,
                font,
                text,
                rgb,
            } => {
                let face = fonts.get(*font);
                let f = FontRef::try_from_slice_and_index(&face.data, face.index)?;
                draw_text_mut(
                    &mut img,
                    Rgb(*rgb),
                    *x as i32,
                    *y as i32,
                    PxScale::from(*size),
                    &f,
                    text,
                );
            }
            Item::Frame { inset, rgb } => {
                let (w, h) = (page.width as f32, page.height as f32);
                for k in 0..6 {
                    let i = inset + k as f32;
                    let r = Rect::at(i as i32, i as i32)
                        .of_size((w - 2.0 * i) as u32, (h - 2.0 * i) as u32);
                    draw_hollow_rect_mut(&mut img, r, Rgb(*rgb));
                }
                let i = inset + 18.0;
                let r = Rect::at(i as i32, i as i32)
                    .of_size((w - 2.0 * i) as u32, (h - 2.0 * i) as u32);
                draw_hollow_rect_mut(&mut img, r, Rgb(*rgb));
            }
            Item::Qr {
                x,
                y,
                size,
                payload,
            } => {
                if let Some(code) = crate::qr::image(payload, crate::qr::cell_for(payload, *size)) {
                    image::imageops::replace(
                        &mut img,
                        &image::DynamicImage::ImageLuma8(code).to_rgb8(),
                        *x as i64,
                        *y as i64,
                    );
                }
            }
            Item::Seal { cx, cy, r, text } => {
                let face = fonts.get(crate::fonts::FontKind::Song);
                let f = FontRef::try_from_slice_and_index(&face.data, face.index)?;
                let mask = seal_mask(*r, text, &f);
                stamp(&mut img, &mask, *cx - *r - 10.0, *cy - *r - 10.0);
            }
        }
    }
    Ok(img)
}

/// The seal's ink as coverage: a ring, a star, the name around the upper rim.
fn seal_mask(r: f32, text: &str, font: &FontRef<'_>) -> GrayImage {
    let side = (2.0 * r + 20.0) as u32;
    let c = side as f32 / 2.0;
    let mut m = GrayImage::new(side, side);
    for (x, y, p) in m.enumerate_pixels_mut() {
        let d = ((x as f32 - c).powi(2) + (y as f32 - c).powi(2)).sqrt();
        if (r - 9.0..=r).contains(&d) {
            *p = Luma([230]);
        }
    }
    // A five-pointed star.
    let (outer, inner) = (r * 0.26, r * 0.1);
    let pts: Vec<imageproc::point::Point<i32>> = (0..10)
        .map(|i| {
            let a = -std::f32::consts::FRAC_PI_2 + i as f32 * std::f32::consts::PI / 5.0;
            let rad = if i % 2 == 0 { outer } else { inner };
            imageproc::point::Point::new((c + rad * a.cos()) as i32, (c + rad * a.sin()) as i32)
        })
        .collect();
    imageproc::drawing::draw_polygon_mut(&mut m, &pts, Luma([230]));
    // The name, one glyph at a time, upright to the rim.
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len().max(1) as f32;
    let span = std::f32::consts::PI * 1.35;
    let size = (r * 0.3).min(span * r * 0.72 / n);
    let scaled = font.as_scaled(PxScale::from(size));
    for (i, ch) in chars.iter().enumerate() {
        let a = -std::f32::consts::FRAC_PI_2 - span / 2.0 + span * (i as f32 + 0.5) / n;
        let (gx, gy) = (
            c + (r - 14.0 - size * 0.55) * a.cos(),
            c + (r - 14.0 - size * 0.55) * a.sin(),
        );
        let mut glyph = scaled.scaled_glyph(*ch);
        glyph.position = ab_glyph::point(0.0, 0.0);
        let Some(outline) = font.outline_glyph(glyph) else {
            continue;
        };
        let b = outline.px_bounds();
        let (ow, oh) = (b.width(), b.height());
        let rot = a + std::f32::consts::FRAC_PI_2;
        let (sin, cos) = rot.sin_cos();
        outline.draw(|x, y, v| {
            let (lx, ly) = (x as f32 - ow / 2.0, y as f32 - oh / 2.0);
            let (px, py) = (gx + lx * cos - ly * sin, gy + lx * sin + ly * cos);
            if px >= 0.0 && py >= 0.0 && (px as u32) < side && (py as u32) < side {
                let p = m.get_pixel_mut(px as u32, py as u32);
                p[0] = p[0].max((v * 230.0) as u8);
            }
        });
    }
    m
}

/// Ink multiplied over the page at (x, y).
fn stamp(img: &mut RgbImage, mask: &GrayImage, x: f32, y: f32) {
    for (mx, my, a) in mask.enumerate_pixels() {
        let (px, py) = (x as i64 + mx as i64, y as i64 + my as i64);
        if a[0] == 0 || px < 0 || py < 0 || px >= img.width() as i64 || py >= img.height() as i64 {
            continue;
        }
        let alpha = a[0] as f32 / 255.0 * 0.85;
        let p = img.get_pixel_mut(px as u32, py as u32);
        for c in 0..3 {
            let under = p[c] as f32;
            let inked = under * SEAL_RED[c] / 255.0;
            p[c] = (under * (1.0 - alpha) + inked * alpha) as u8;
        }
    }
}
