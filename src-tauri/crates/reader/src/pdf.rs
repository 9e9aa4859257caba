//! PDF evidence (parsed by lopdf): each page's text layer with where each string stands, and for
//! a page without text — a scan saved as PDF — OCR of its largest image. QR codes are looked for
//! in the page images.

use crate::layout::Page;
use crate::ocr::{Ocr, Rect, Word};
use crate::{decode, qr, Engine, Limits, ReadError};
use image::RgbImage;
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::BTreeMap;
use std::io::Read;

/// A page with fewer characters than this in its text layer is read as an image.
const MIN_TEXT_CHARS: usize = 8;
/// The most images of one page decoded (for OCR and QR codes).
const MAX_IMAGES: usize = 4;

type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

pub fn read(
    bytes: &[u8],
    ocr: Option<&Ocr>,
    limits: &Limits,
) -> Result<(Vec<Page>, Engine, Option<String>), ReadError> {
    // lopdf is not written for hostile files: a panic in it is taken as an undecodable file.
    let doc = std::panic::catch_unwind(|| Document::load_mem(bytes))
        .map_err(|_| ReadError::Undecodable("malformed PDF".into()))?
        .map_err(|e| ReadError::Undecodable(format!("PDF: {e}")))?;
    let mut pages = Vec::new();
    let (mut by_text, mut by_ocr) = (0usize, 0usize);
    let mut qr_text = None;
    for (_, page_id) in doc.get_pages().into_iter().take(limits.max_pages) {
        let text_page =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| text_layer(&doc, page_id)))
                .map_err(|_| ReadError::Undecodable("malformed PDF page".into()))?;
        let images = page_images(&doc, page_id, limits);
        if qr_text.is_none() {
            qr_text = images.iter().find_map(qr::decode);
        }
        let chars: usize = text_page
            .rows
            .iter()
            .flatten()
            .map(|w| w.text.chars().filter(|c| !c.is_whitespace()).count())
            .sum();
        if chars >= MIN_TEXT_CHARS {
            by_text += 1;
            pages.push(text_page);
            continue;
        }
        let Some(scan) = images
            .into_iter()
            .max_by_key(|i| u64::from(i.width()) * u64::from(i.height()))
        else {
            pages.push(text_page);
            continue;
        };
        let ocr = ocr.ok_or(ReadError::NeedsOcr)?;
        let words = ocr.read_page(&scan)?;
        by_ocr += 1;
        pages.push(Page::from_words(scan.width(), scan.height(), words));
    }
    if pages.is_empty() {
        return Err(ReadError::Undecodable("PDF has no pages".into()));
    }
    let engine = match (by_text, by_ocr) {
        (_, 0) => Engine::TextLayer,
        (0, _) => Engine::Ocr,
        _ => Engine::Mixed,
    };
    Ok((pages, engine, qr_text))
}

/// The strings a page shows, each placed where the content stream puts it (in points from the
/// page's top left), merged into words where one string follows another without a gap.
fn text_layer(doc: &Document, page_id: ObjectId) -> Page {
    let media = media_box(doc, page_id);
    let (width, height) = (
        (media[2] - media[0]).max(1.0),
        (media[3] - media[1]).max(1.0),
    );
    let mut words = Vec::new();
    let encodings: BTreeMap<Vec<u8>, lopdf::Encoding> = doc
        .get_page_fonts(page_id)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(name, font)| font.get_font_encoding(doc).ok().map(|e| (name, e)))
        .collect();
    let Ok(content) = doc.get_and_decode_page_content(page_id) else {
        return Page::from_words(width as u32, height as u32, words);
    };
    let mut ctm = IDENTITY;
    let mut stack: Vec<Matrix> = Vec::new();
    let (mut tm, mut tlm) = (IDENTITY, IDENTITY);
    let (mut font, mut size, mut leading) = (Vec::new(), 12.0f64, 0.0f64);
    let num = |o: &Object| {
        o.as_float()
            .map(f64::from)
            .or_else(|_| o.as_i64().map(|v| v as f64))
            .unwrap_or(0.0)
    };
    for op in &content.operations {
        let args = &op.operands;
        let arg = |i: usize| args.get(i).map(num).unwrap_or(0.0);
        match op.operator.as_str() {
            "q" if stack.len() < 64 => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(IDENTITY),
            "cm" => ctm = mul(&[arg(0), arg(1), arg(2), arg(3), arg(4), arg(5)], &ctm),
            "BT" => (tm, tlm) = (IDENTITY, IDENTITY),
            "Tf" => {
                font = args
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .map(<[u8]>::to_vec)
                    .unwrap_or_default();
                size = arg(1);
            }
            "TL" => leading = arg(0),
            "Td" | "TD" => {
                if op.operator == "TD" {
                    leading = -arg(1);
                }
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, arg(0), arg(1)], &tlm);
                tm = tlm;
            }
            "Tm" => {
                tlm = [arg(0), arg(1), arg(2), arg(3), arg(4), arg(5)];
                tm = tlm;
            }
            "T*" => {
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -leading], &tlm);
                tm = tlm;
            }
            "Tj" | "'" | "\"" | "TJ" => {
                if op.operator != "Tj" && op.operator != "TJ" {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -leading], &tlm);
                    tm = tlm;
                }
                let Some(encoding) = encodings.get(&font) else {
                    continue;
                };
                let mut text = String::new();
                let mut advance = 0.0;
                for o in args.iter().flat_map(|o| match o {
                    Object::Array(items) => items.iter().collect::<Vec<_>>(),
                    other => vec![other],
                }) {
                    match o {
                        Object::String(bytes, _) => {
                            if let Ok(s) = Document::decode_text(encoding, bytes) {
                                advance += s
                                    .chars()
                                    .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
                                    .sum::<f64>()
                                    * size;
                                text.push_str(&s);
                            }
                        }
                        Object::Integer(_) | Object::Real(_) => advance -= num(o) / 1000.0 * size,
                        _ => {}
                    }
                }
                let m = mul(&tm, &ctm);
                let scale_y = (m[2] * m[2] + m[3] * m[3]).sqrt();
                let scale_x = (m[0] * m[0] + m[1] * m[1]).sqrt();
                let em = size * scale_y;
                let x = m[4] - media[0];
                let top = height - (m[5] - media[1]) - em * 0.88;
                let w = advance * scale_x;
                if !text.trim().is_empty() && w.is_finite() && em.is_finite() {
                    words.push(Word {
                        text,
                        score: 1.0,
                        rect: Rect {
                            x: clamp(x, width),
                            y: clamp(top, height),
                            w: clamp(w, width),
                            h: clamp(em, height).max(1),
                        },
                    });
                }
                tm = mul(&[1.0, 0.0, 0.0, 1.0, advance, 0.0], &tm);
            }
            _ => {}
        }
    }
    let mut page = Page::from_words(width as u32, height as u32, words);
    for row in &mut page.rows {
        *row = merge_touching(std::mem::take(row));
    }
    page
}

fn clamp(v: f64, max: f64) -> u32 {
    if v.is_finite() {
        v.clamp(0.0, max) as u32
    } else {
        0
    }
}

/// Strings that follow one another without a visible gap are one word (a PDF may show a name
/// one glyph at a time).
fn merge_touching(row: Vec<Word>) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::with_capacity(row.len());
    for w in row {
        if let Some(last) = out.last_mut() {
            let end = last.rect.x + last.rect.w;
            if w.rect.x <= end + last.rect.h / 4 {
                last.text.push_str(&w.text);
                let right = (w.rect.x + w.rect.w).max(end);
                let bottom = (w.rect.y + w.rect.h).max(last.rect.y + last.rect.h);
                last.rect.y = last.rect.y.min(w.rect.y);
                last.rect.w = right - last.rect.x;
                last.rect.h = bottom - last.rect.y;
                continue;
            }
        }
        out.push(w);
    }
    out
}

fn media_box(doc: &Document, page_id: ObjectId) -> [f64; 4] {
    let mut id = Some(page_id);
    for _ in 0..16 {
        let Some(dict) = id.and_then(|i| doc.get_dictionary(i).ok()) else {
            break;
        };
        if let Ok(Object::Array(a)) = dict.get(b"MediaBox") {
            let v: Vec<f64> = a
                .iter()
                .filter_map(|o| {
                    o.as_float()
                        .ok()
                        .map(f64::from)
                        .or_else(|| o.as_i64().ok().map(|i| i as f64))
                })
                .collect();
            if v.len() == 4 && v.iter().all(|x| x.is_finite()) {
                return [v[0], v[1], v[2], v[3]];
            }
        }
        id = dict.get(b"Parent").and_then(Object::as_reference).ok();
    }
    [0.0, 0.0, 595.0, 842.0]
}

/// The page's image XObjects that decode (JPEG, or 8-bit gray or RGB deflated samples), at most
/// [`MAX_IMAGES`], each bounded before it is inflated.
fn page_images(doc: &Document, page_id: ObjectId, limits: &Limits) -> Vec<RgbImage> {
    let Ok(page) = doc.get_dictionary(page_id) else {
        return Vec::new();
    };
    let resources = match page.get(b"Resources") {
        Ok(Object::Reference(r)) => doc.get_dictionary(*r).ok(),
        Ok(Object::Dictionary(d)) => Some(d),
        _ => None,
    };
    let xobjects = resources.and_then(|r| match r.get(b"XObject") {
        Ok(Object::Reference(x)) => doc.get_dictionary(*x).ok(),
        Ok(Object::Dictionary(d)) => Some(d),
        _ => None,
    });
    let Some(xobjects) = xobjects else {
        return Vec::new();
    };
    xobjects
        .iter()
        .filter_map(|(_, v)| v.as_reference().ok())
        .filter_map(|id| doc.get_object(id).ok()?.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image"))
        .take(MAX_IMAGES)
        .filter_map(|s| image_of(&s.dict, &s.content, limits))
        .collect()
}

fn image_of(dict: &Dictionary, content: &[u8], limits: &Limits) -> Option<RgbImage> {
    let int = |k: &[u8]| dict.get(k).and_then(Object::as_i64).ok();
    let (w, h) = (
        u32::try_from(int(b"Width")?).ok()?,
        u32::try_from(int(b"Height")?).ok()?,
    );
    if u64::from(w) * u64::from(h) > limits.max_pixels {
        return None;
    }
    let filters: Vec<&[u8]> = match dict.get(b"Filter") {
        Ok(Object::Name(n)) => vec![n.as_slice()],
        Ok(Object::Array(a)) => a.iter().filter_map(|o| o.as_name().ok()).collect(),
        _ => Vec::new(),
    };
    match filters.as_slice() {
        [b"DCTDecode"] => decode::image(content, limits).ok(),
        [b"FlateDecode"] => {
            let channels = match dict.get(b"ColorSpace").and_then(Object::as_name) {
                Ok(b"DeviceGray") => 1usize,
                Ok(b"DeviceRGB") => 3,
                _ => return None,
            };
            if int(b"BitsPerComponent") != Some(8) {
                return None;
            }
            let need = w as usize * h as usize * channels;
            let mut samples = Vec::with_capacity(need.min(limits.max_file_bytes));
            flate2::read::ZlibDecoder::new(content)
                .take(need as u64)
                .read_to_end(&mut samples)
                .ok()?;
            decode::raw(&samples, w, h, channels, limits).ok()
        }
        _ => None,
    }
}
