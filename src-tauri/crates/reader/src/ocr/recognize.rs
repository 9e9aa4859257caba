//! Text recognition (SVTR/CRNN with CTC): a box, straightened and scaled to 48 px high, becomes a
//! sequence of character probabilities; the best character per step, repeats and blanks dropped,
//! is the text.

use super::detect::Quad;
use crate::ReadError;
use image::RgbImage;
use std::sync::{Arc, OnceLock};
use tract_onnx::prelude::*;

const HEIGHT: usize = 48;
/// Input widths the recognizer is optimized for; a box takes the narrowest that holds it.
const WIDTHS: [usize; 4] = [320, 640, 960, 1440];

pub struct Recognizer {
    model: InferenceModel,
    plans: [OnceLock<Result<Arc<TypedSimplePlan>, String>>; 4],
    /// Index 0 is CTC's blank; then the model's alphabet; then a space.
    alphabet: Vec<String>,
}

impl Recognizer {
    pub fn load(onnx: &[u8]) -> Result<Self, ReadError> {
        let proto = tract_onnx::onnx()
            .proto_model_for_read(&mut &onnx[..])
            .map_err(|e| ReadError::Model(format!("recognition model: {e}")))?;
        let chars = proto
            .metadata_props
            .iter()
            .find(|p| p.key == "character")
            .ok_or_else(|| ReadError::Model("recognition model has no alphabet".into()))?;
        let mut alphabet = vec![String::new()];
        alphabet.extend(chars.value.lines().map(str::to_string));
        alphabet.push(" ".into());
        let model = tract_onnx::onnx()
            .model_for_proto_model(&proto)
            .map_err(|e| ReadError::Model(format!("recognition model: {e}")))?;
        Ok(Recognizer {
            model,
            plans: Default::default(),
            alphabet,
        })
    }

    fn plan(&self, bucket: usize) -> Result<Arc<TypedSimplePlan>, ReadError> {
        let width = WIDTHS[bucket];
        self.plans[bucket]
            .get_or_init(|| {
                let plan = self
                    .model
                    .clone()
                    .with_input_fact(0, f32::fact([1, 3, HEIGHT, width]).into())
                    .and_then(|m| m.into_optimized())
                    .and_then(|m| m.into_runnable())
                    .map_err(|e| e.to_string())?;
                Ok(plan)
            })
            .clone()
            .map_err(|e| ReadError::Model(format!("recognition plan: {e}")))
    }

    /// The text in the box and the mean probability of its characters.
    pub fn read(&self, page: &RgbImage, quad: &Quad) -> Result<(String, f32), ReadError> {
        let want = ((HEIGHT as f32 * quad.len / quad.height.max(1.0)).ceil() as usize).max(8);
        let bucket = WIDTHS
            .iter()
            .position(|w| *w >= want)
            .unwrap_or(WIDTHS.len() - 1);
        let width = WIDTHS[bucket];
        let out_w = want.min(width);
        let input = straighten(page, quad, out_w, width);
        let out = self
            .plan(bucket)?
            .run(tvec!(input.into()))
            .map_err(|e| ReadError::Model(format!("recognition run: {e}")))?;
        let first = out
            .first()
            .ok_or_else(|| ReadError::Model("recognition: no output".into()))?;
        let probs = first
            .to_plain_array_view::<f32>()
            .map_err(|e| ReadError::Model(format!("recognition output: {e}")))?;
        let shape = probs.shape().to_vec();
        if shape.len() != 3 || shape[2] != self.alphabet.len() {
            return Err(ReadError::Model(format!(
                "recognition output shape {shape:?}"
            )));
        }
        let mut text = String::new();
        let (mut last, mut sum, mut n) = (0usize, 0f32, 0usize);
        for t in 0..shape[1] {
            let (mut best, mut p) = (0usize, f32::MIN);
            for k in 0..shape[2] {
                let v = probs[[0, t, k]];
                if v > p {
                    p = v;
                    best = k;
                }
            }
            if best != 0 && best != last {
                if let Some(c) = self.alphabet.get(best) {
                    text.push_str(c);
                    sum += p;
                    n += 1;
                }
            }
            last = best;
        }
        Ok((text, if n == 0 { 0.0 } else { sum / n as f32 }))
    }
}

/// The quad sampled (bilinear) into a `1×3×48×width` tensor scaled to [-1, 1], the text filling
/// `out_w` columns and the rest left at 0 (the models' padding).
fn straighten(page: &RgbImage, q: &Quad, out_w: usize, width: usize) -> Tensor {
    let (pw, ph) = (page.width() as f32, page.height() as f32);
    let (vx, vy) = (-q.uy, q.ux);
    let mut arr = tract_ndarray::Array4::<f32>::zeros((1, 3, HEIGHT, width));
    for v in 0..HEIGHT {
        let fv = ((v as f32 + 0.5) / HEIGHT as f32 - 0.5) * q.height;
        for u in 0..out_w {
            let fu = ((u as f32 + 0.5) / out_w as f32 - 0.5) * q.len;
            let x = (q.cx + fu * q.ux + fv * vx - 0.5).clamp(0.0, pw - 1.0);
            let y = (q.cy + fu * q.uy + fv * vy - 0.5).clamp(0.0, ph - 1.0);
            let (x0, y0) = (x.floor() as u32, y.floor() as u32);
            let (x1, y1) = (
                (x0 + 1).min(page.width() - 1),
                (y0 + 1).min(page.height() - 1),
            );
            let (ax, ay) = (x - x0 as f32, y - y0 as f32);
            let (p00, p10, p01, p11) = (
                page.get_pixel(x0, y0),
                page.get_pixel(x1, y0),
                page.get_pixel(x0, y1),
                page.get_pixel(x1, y1),
            );
            for c in 0..3 {
                let s = 2 - c;
                let top = p00[s] as f32 * (1.0 - ax) + p10[s] as f32 * ax;
                let bottom = p01[s] as f32 * (1.0 - ax) + p11[s] as f32 * ax;
                arr[[0, c, v, u]] = (top * (1.0 - ay) + bottom * ay) / 127.5 - 1.0;
            }
        }
    }
    arr.into()
}
