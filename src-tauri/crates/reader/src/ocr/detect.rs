//! Text detection (DB, "differentiable binarization"): the model gives each pixel a probability of
//! being text; the probable pixels grouped into regions, each region's smallest rotated
//! rectangle, widened by the model's shrink ratio, is a box of text.

use super::Rect;
use crate::ReadError;
use image::{imageops, GrayImage, Luma, RgbImage};
use imageproc::distance_transform::Norm;
use imageproc::point::Point;
use imageproc::region_labelling::{connected_components, Connectivity};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tract_onnx::prelude::*;

/// The long side the page is scaled to before detection: a certificate's smallest print stays
/// above 12 px, and the model costs grow with the area.
const DET_LONG_SIDE: u32 = 960;
/// Pixels above this probability are text (PaddleOCR's `thresh`).
const PIXEL_THRESHOLD: f32 = 0.3;
/// Regions whose mean probability is below this are dropped (`box_thresh`).
const BOX_THRESHOLD: f32 = 0.5;
/// The model shrinks text regions when it learns them; a box is widened back by this ratio.
const UNCLIP_RATIO: f32 = 1.6;
/// The most regions kept on one page (`max_candidates`): a noisy photo cannot make thousands.
const MAX_BOXES: usize = 400;

type Plan = Arc<TypedSimplePlan>;

/// A rotated rectangle in page pixels: centre, the unit vector along the text, its length along
/// the text and its height across it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quad {
    pub cx: f32,
    pub cy: f32,
    pub ux: f32,
    pub uy: f32,
    pub len: f32,
    pub height: f32,
}

impl Quad {
    /// The axis-aligned rectangle around it, clipped to the page.
    pub fn bounds(&self, width: u32, height: u32) -> Rect {
        let (hx, hy) = (self.ux * self.len / 2.0, self.uy * self.len / 2.0);
        let (vx, vy) = (-self.uy * self.height / 2.0, self.ux * self.height / 2.0);
        let xs = [
            self.cx - hx - vx,
            self.cx + hx - vx,
            self.cx + hx + vx,
            self.cx - hx + vx,
        ];
        let ys = [
            self.cy - hy - vy,
            self.cy + hy - vy,
            self.cy + hy + vy,
            self.cy - hy + vy,
        ];
        let clip = |v: f32, max: u32| v.clamp(0.0, max as f32);
        let x0 = clip(xs.iter().copied().fold(f32::MAX, f32::min), width);
        let x1 = clip(xs.iter().copied().fold(f32::MIN, f32::max), width);
        let y0 = clip(ys.iter().copied().fold(f32::MAX, f32::min), height);
        let y1 = clip(ys.iter().copied().fold(f32::MIN, f32::max), height);
        Rect {
            x: x0 as u32,
            y: y0 as u32,
            w: (x1 - x0) as u32,
            h: (y1 - y0) as u32,
        }
    }
}

/// The detection model, optimized once per input size met (a page's size rounded to 32).
pub struct Detector {
    model: InferenceModel,
    plans: Mutex<HashMap<(usize, usize), Plan>>,
}

impl Detector {
    pub fn load(onnx: &[u8]) -> Result<Self, ReadError> {
        let model = tract_onnx::onnx()
            .model_for_read(&mut &onnx[..])
            .map_err(|e| ReadError::Model(format!("detection model: {e}")))?;
        Ok(Detector {
            model,
            plans: Mutex::new(HashMap::new()),
        })
    }

    fn plan(&self, h: usize, w: usize) -> Result<Plan, ReadError> {
        let mut plans = self
            .plans
            .lock()
            .map_err(|_| ReadError::Model("detector lock".into()))?;
        if let Some(p) = plans.get(&(h, w)) {
            return Ok(p.clone());
        }
        let plan = self
            .model
            .clone()
            .with_input_fact(0, f32::fact([1, 3, h, w]).into())
            .and_then(|m| m.into_optimized())
            .and_then(|m| m.into_runnable())
            .map_err(|e| ReadError::Model(format!("detection plan: {e}")))?;
        // A handful of page shapes at most; more would only come from odd files.
        if plans.len() >= 8 {
            plans.clear();
        }
        plans.insert((h, w), plan.clone());
        Ok(plan)
    }

    /// The boxes of text on the page, in reading order.
    pub fn detect(&self, page: &RgbImage) -> Result<Vec<Quad>, ReadError> {
        let (pw, ph) = page.dimensions();
        if pw < 8 || ph < 8 {
            return Ok(Vec::new());
        }
        let scale = DET_LONG_SIDE as f32 / pw.max(ph) as f32;
        let round32 = |v: f32| ((v / 32.0).round().max(1.0) * 32.0) as u32;
        let (w, h) = (round32(pw as f32 * scale), round32(ph as f32 * scale));
        let small = imageops::resize(page, w, h, imageops::FilterType::Triangle);
        let input: Tensor =
            tract_ndarray::Array4::from_shape_fn((1, 3, h as usize, w as usize), |(_, c, y, x)| {
                // BGR, as the models were trained from OpenCV images; scaled to [-1, 1].
                let p = small.get_pixel(x as u32, y as u32);
                p[2 - c] as f32 / 127.5 - 1.0
            })
            .into();
        let out = self
            .plan(h as usize, w as usize)?
            .run(tvec!(input.into()))
            .map_err(|e| ReadError::Model(format!("detection run: {e}")))?;
        let first = out
            .first()
            .ok_or_else(|| ReadError::Model("detection: no output".into()))?;
        let prob = first
            .to_plain_array_view::<f32>()
            .map_err(|e| ReadError::Model(format!("detection output: {e}")))?;
        let shape = prob.shape().to_vec();
        if shape.len() != 4 || shape[2] != h as usize || shape[3] != w as usize {
            return Err(ReadError::Model(format!(
                "detection output shape {shape:?}"
            )));
        }
        let at = |x: u32, y: u32| prob[[0, 0, y as usize, x as usize]];
        let mut mask = GrayImage::new(w, h);
        for (x, y, p) in mask.enumerate_pixels_mut() {
            if at(x, y) > PIXEL_THRESHOLD {
                *p = Luma([255]);
            }
        }
        let mask = imageproc::morphology::dilate(&mask, Norm::LInf, 1);
        let labels = connected_components(&mask, Connectivity::Eight, Luma([0]));
        let mut regions: HashMap<u32, (Vec<Point<i32>>, f32)> = HashMap::new();
        for (x, y, l) in labels.enumerate_pixels() {
            if l[0] == 0 {
                continue;
            }
            let r = regions.entry(l[0]).or_default();
            r.0.push(Point::new(x as i32, y as i32));
            r.1 += at(x, y);
        }
        let (sx, sy) = (pw as f32 / w as f32, ph as f32 / h as f32);
        let mut quads: Vec<Quad> = regions
            .into_values()
            .filter(|(pts, sum)| pts.len() >= 12 && sum / pts.len() as f32 >= BOX_THRESHOLD)
            .filter_map(|(pts, _)| quad_of(&pts))
            .filter(|q| q.height >= 3.0 && q.len >= 3.0)
            .map(|q| scale_quad(q, sx, sy))
            .collect();
        quads.sort_by(|a, b| {
            (a.cy, a.cx)
                .partial_cmp(&(b.cy, b.cx))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        quads.truncate(MAX_BOXES);
        Ok(quads)
    }
}

/// The region's smallest rotated rectangle, widened by the unclip distance, as a quad whose
/// direction runs along its long side and points rightwards.
fn quad_of(points: &[Point<i32>]) -> Option<Quad> {
    if points.is_empty() {
        return None;
    }
    let c = imageproc::geometry::min_area_rect(points);
    let f = |p: Point<i32>| (p.x as f32, p.y as f32);
    let (p0, p1, p2) = (f(c[0]), f(c[1]), f(c[2]));
    let e1 = (p1.0 - p0.0, p1.1 - p0.1);
    let e2 = (p2.0 - p1.0, p2.1 - p1.1);
    let l1 = (e1.0 * e1.0 + e1.1 * e1.1).sqrt() + 1.0;
    let l2 = (e2.0 * e2.0 + e2.1 * e2.1).sqrt() + 1.0;
    let (along, len, height) = if l1 >= l2 { (e1, l1, l2) } else { (e2, l2, l1) };
    let norm = (along.0 * along.0 + along.1 * along.1).sqrt();
    let (mut ux, mut uy) = if norm > 0.0 {
        (along.0 / norm, along.1 / norm)
    } else {
        (1.0, 0.0)
    };
    if ux < 0.0 {
        ux = -ux;
        uy = -uy;
    }
    let cx = c.iter().map(|p| p.x as f32).sum::<f32>() / 4.0 + 0.5;
    let cy = c.iter().map(|p| p.y as f32).sum::<f32>() / 4.0 + 0.5;
    let d = len * height * UNCLIP_RATIO / (2.0 * (len + height));
    Some(Quad {
        cx,
        cy,
        ux,
        uy,
        len: len + 2.0 * d,
        height: height + 2.0 * d,
    })
}

/// From the detection map's pixels to the page's.
fn scale_quad(q: Quad, sx: f32, sy: f32) -> Quad {
    let (ux, uy) = (q.ux * sx, q.uy * sy);
    let n = (ux * ux + uy * uy).sqrt().max(f32::EPSILON);
    // The height runs across the text: its scale is that of the perpendicular direction.
    let (vx, vy) = (-q.uy * sx, q.ux * sy);
    let hn = (vx * vx + vy * vy).sqrt();
    Quad {
        cx: q.cx * sx,
        cy: q.cy * sy,
        ux: ux / n,
        uy: uy / n,
        len: q.len * n,
        height: q.height * hn,
    }
}
