//! What a scanner and a phone camera do to a printed certificate: a scan is slightly skewed,
//! toned and noisy; a photo is the page on a desk, seen at an angle and tilted, unevenly lit,
//! a little blurred and noisy. Deterministic from the seed.

use image::{imageops, Rgb, RgbImage};
use imageproc::geometric_transformations::{
    rotate_about_center, warp_into, Interpolation, Projection,
};
use jxjy_core::synth::Rng;

fn uniform(rng: &mut Rng) -> f32 {
    (rng.next_u64() >> 40) as f32 / (1u64 << 24) as f32
}

/// Roughly normal noise of deviation `sigma` (the sum of four uniforms).
fn noise(rng: &mut Rng, sigma: f32) -> f32 {
    let s: f32 = (0..4).map(|_| uniform(rng)).sum::<f32>() - 2.0;
    s * sigma * 1.73
}

fn add_noise(img: &mut RgbImage, rng: &mut Rng, sigma: f32, mono: bool) {
    for p in img.pixels_mut() {
        let n = noise(rng, sigma);
        for c in 0..3 {
            let extra = if mono { 0.0 } else { noise(rng, sigma * 0.3) };
            p[c] = (p[c] as f32 + n + extra).clamp(0.0, 255.0) as u8;
        }
    }
}

/// A flatbed scan: rotated by up to 1.5°, toned, noisy; gray for some scanners.
pub fn scan(page: &RgbImage, rng: &mut Rng) -> RgbImage {
    let angle = (uniform(rng) - 0.5) * 3.0f32.to_radians();
    let mut img = rotate_about_center(page, angle, Interpolation::Bilinear, Rgb([250, 250, 248]));
    let gray = rng.chance(40);
    let (lift, gain) = (8.0 + uniform(rng) * 14.0, 0.86 + uniform(rng) * 0.1);
    for p in img.pixels_mut() {
        let luma = (p[0] as f32 * 0.3 + p[1] as f32 * 0.59 + p[2] as f32 * 0.11) as u8;
        for c in 0..3 {
            let v = if gray { luma } else { p[c] } as f32;
            p[c] = (lift + v * gain).clamp(0.0, 255.0) as u8;
        }
    }
    let sigma = 5.0 + uniform(rng) * 4.0;
    add_noise(&mut img, rng, sigma, gray);
    if rng.chance(50) {
        img = imageops::blur(&img, 0.5 + uniform(rng) * 0.4);
    }
    img
}

/// A phone photo of the printed page lying on a desk.
pub fn photo(page: &RgbImage, rng: &mut Rng) -> RgbImage {
    let portrait = page.height() >= page.width();
    let (w, h) = if portrait {
        (2250u32, 3000u32)
    } else {
        (3000u32, 2250u32)
    };
    let desk = *rng.pick(&[
        [96u8, 72, 52],
        [140, 140, 136],
        [60, 62, 70],
        [182, 170, 150],
    ]);
    let mut out = RgbImage::from_pixel(w, h, Rgb(desk));
    // Where the page's corners land: inset, tilted and in perspective.
    let (pw, ph) = (page.width() as f32, page.height() as f32);
    let fill = 0.78 + uniform(rng) * 0.12;
    let scale = (w as f32 * fill / pw).min(h as f32 * fill / ph);
    let (cx, cy) = (
        w as f32 / 2.0 + (uniform(rng) - 0.5) * 80.0,
        h as f32 / 2.0 + (uniform(rng) - 0.5) * 80.0,
    );
    let angle = (uniform(rng) - 0.5) * 10.0f32.to_radians();
    let (sin, cos) = angle.sin_cos();
    let keystone = (uniform(rng) - 0.5) * 0.12;
    let corners = [(-0.5f32, -0.5f32), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)].map(|(u, v)| {
        let squeeze = 1.0 - keystone * (v + 0.5);
        let (x, y) = (u * pw * scale * squeeze, v * ph * scale);
        (cx + x * cos - y * sin, cy + x * sin + y * cos)
    });
    let from = [(0.0, 0.0), (pw, 0.0), (pw, ph), (0.0, ph)];
    if let Some(proj) = Projection::from_control_points(from, corners) {
        warp_into(page, &proj, Interpolation::Bilinear, Rgb(desk), &mut out);
    }
    // Light from one side: a gradient from full to 60–85%, and a faint warm cast.
    let (lx, ly) = (uniform(rng) - 0.5, uniform(rng) - 0.5);
    let dim = 0.6 + uniform(rng) * 0.25;
    let norm = (lx * lx + ly * ly).sqrt().max(0.1);
    for (x, y, p) in out.enumerate_pixels_mut() {
        let t = ((x as f32 / w as f32 - 0.5) * lx + (y as f32 / h as f32 - 0.5) * ly) / norm + 0.5;
        let k = 1.0 - (1.0 - dim) * t.clamp(0.0, 1.0);
        let warm = [1.0, 0.97, 0.9];
        for c in 0..3 {
            p[c] = (p[c] as f32 * k * warm[c]).clamp(0.0, 255.0) as u8;
        }
    }
    let mut out = imageops::blur(&out, 0.9 + uniform(rng) * 0.8);
    let sigma = 6.0 + uniform(rng) * 5.0;
    add_noise(&mut out, rng, sigma, false);
    out
}

/// Black and white as a scanner's document mode makes it: gray, then a fixed threshold.
pub fn black_and_white(img: &RgbImage) -> image::GrayImage {
    let mut g = image::DynamicImage::ImageRgb8(img.clone()).to_luma8();
    for p in g.pixels_mut() {
        p[0] = if p[0] < 150 { 0 } else { 255 };
    }
    g
}
