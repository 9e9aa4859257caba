//! The certificate as PDF: a text PDF sets the page's text in an embedded subset of its font
//! (Type 0, Identity-H, with a ToUnicode map so its text can be read back), the seal and frame as
//! vector ink, the QR code as an image; a scanned PDF is one JPEG page image.

use crate::fonts::{FontKind, Fonts};
use crate::layout::{Item, Page};
use ab_glyph::{Font, FontRef};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
use std::collections::BTreeMap;
use std::io::Write;

/// 150 dpi pixels to PDF points.
const PT: f32 = 72.0 / 150.0;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("font: {0}")]
    Font(String),
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

pub fn text_pdf(page: &Page, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut alloc = || {
        next += 1;
        Ref::new(next - 1)
    };
    let (catalog, pages, page_id, content_id) = (alloc(), alloc(), alloc(), alloc());
    let (w, h) = (page.width as f32 * PT, page.height as f32 * PT);
    // The glyphs each font shows, remapped to the subset's ids.
    let mut used: BTreeMap<FontKind, (subsetter::GlyphRemapper, BTreeMap<u16, char>)> =
        BTreeMap::new();
    let mut content = Content::new();
    let mut qr_images = Vec::new();
    for item in &page.items {
        match item {
            Item::Frame { inset, rgb } => {
                let [r, g, b] = rgb.map(|c| c as f32 / 255.0);
                content.set_stroke_rgb(r, g, b).set_line_width(3.0 * PT);
                let i = inset * PT;
                content.rect(i, i, w - 2.0 * i, h - 2.0 * i).stroke();
                let i = (inset + 18.0) * PT;
                content
                    .set_line_width(1.0 * PT)
                    .rect(i, i, w - 2.0 * i, h - 2.0 * i)
                    .stroke();
            }
            Item::Text {
                x,
                y,
                size,
                font,
                text,
                rgb,
            } => {
                let face = fonts.get(*font);
                let f = FontRef::try_from_slice_and_index(&face.data, face.index)
                    .map_err(|e| PdfError::Font(e.to_string()))?;
                let (map, chars) = used
                    .entry(*font)
                    .or_insert_with(|| (subsetter::GlyphRemapper::new(), BTreeMap::new()));
                let mut codes = Vec::new();
                for ch in text.chars() {
                    let gid = f.glyph_id(ch).0;
                    let new = map.remap(gid);
                    chars.insert(new, ch);
                    codes.extend_from_slice(&new.to_be_bytes());
                }
                let [r, g, b] = rgb.map(|c| c as f32 / 255.0);
                let name = font_name(*font);
                content
                    .set_fill_rgb(r, g, b)
                    .begin_text()
                    .set_font(Name(name.as_bytes()), size * PT);
                // The item's y is the top of the line; the baseline is about 0.88 em lower.
                content
                    .next_line(x * PT, h - (y + size * 0.88) * PT)
                    .show(Str(&codes))
                    .end_text();
            }
            Item::Seal { cx, cy, r, .. } => {
                content
                    .set_stroke_rgb(0.84, 0.15, 0.17)
                    .set_line_width(8.0 * PT);
                // A circle from four Bézier arcs.
                let (x, y, rr) = (cx * PT, h - cy * PT, r * PT);
                let k = 0.5523 * rr;
                content.move_to(x + rr, y);
                content.cubic_to(x + rr, y + k, x + k, y + rr, x, y + rr);
                content.cubic_to(x - k, y + rr, x - rr, y + k, x - rr, y);
                content.cubic_to(x - rr, y - k, x - k, y - rr, x, y - rr);
                content.cubic_to(x + k, y - rr, x + rr, y - k, x + rr, y);
                content.close_path().stroke();
            }
            Item::Qr {
                x,
                y,
                size,
                payload,
            } => {
                if let Some(code) = crate::qr::image(payload, 4) {
                    let px = code.width() as usize;
                    let samples = code.into_raw();
                    let id = alloc();
                    let name = format!("Qr{}", qr_images.len());
                    content.save_state().transform([
                        size * PT,
                        0.0,
                        0.0,
                        size * PT,
                        x * PT,
                        h - (y + size) * PT,
                    ]);
                    content.x_object(Name(name.as_bytes())).restore_state();
                    qr_images.push((id, name, px, deflate(&samples)));
                }
            }
        }
    }
    let content_bytes = deflate(&content.finish());
    let mut font_refs = Vec::new();
    for (kind, (map, chars)) in &used {
        let face = fonts.get(*kind);
        let f = FontRef::try_from_slice_and_index(&face.data, face.index)
            .map_err(|e| PdfError::Font(e.to_string()))?;
        let subset = subsetter::subset(&face.data, face.index, map)
            .map_err(|e| PdfError::Font(e.to_string()))?;
        let (type0, cid, descriptor, file, cmap) = (alloc(), alloc(), alloc(), alloc(), alloc());
        let name = font_name(*kind);
        let base = format!("JXJYAA+{}", face.name);
        let info = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };
        pdf.type0_font(type0)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);
        let upem = f.units_per_em().unwrap_or(1000.0);
        let mut widths = vec![0f32; map.num_gids() as usize];
        for (old, new) in (0..=u16::MAX).filter_map(|g| map.get(g).map(|n| (g, n))) {
            if let Some(wd) = widths.get_mut(new as usize) {
                *wd = f.h_advance_unscaled(ab_glyph::GlyphId(old)) / upem * 1000.0;
            }
        }
        let mut c = pdf.cid_font(cid);
        c.subtype(CidFontType::Type2)
            .base_font(Name(base.as_bytes()))
            .system_info(info)
            .font_descriptor(descriptor)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        c.widths().consecutive(0, widths);
        c.finish();
        pdf.font_descriptor(descriptor)
            .name(Name(base.as_bytes()))
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(0.0, -200.0, 1000.0, 900.0))
            .italic_angle(0.0)
            .ascent(880.0)
            .descent(-120.0)
            .cap_height(700.0)
            .stem_v(80.0)
            .font_file2(file);
        let compressed = deflate(&subset);
        pdf.stream(file, &compressed).filter(Filter::FlateDecode);
        let mut u = UnicodeCmap::new(Name(b"Custom"), info);
        for (gid, ch) in chars {
            u.pair(*gid, *ch);
        }
        pdf.cmap(cmap, &u.finish());
        font_refs.push((name, type0));
    }
    for (id, _, px, data) in &qr_images {
        let mut img = pdf.image_xobject(*id, data);
        img.filter(Filter::FlateDecode);
        img.width(*px as i32)
            .height(*px as i32)
            .bits_per_component(8);
        img.color_space().device_gray();
    }
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page_id]).count(1);
    let mut p = pdf.page(page_id);
    p.media_box(Rect::new(0.0, 0.0, w, h))
        .parent(pages)
        .contents(content_id);
    let mut res = p.resources();
    let mut fonts_dict = res.fonts();
    for (name, id) in &font_refs {
        fonts_dict.pair(Name(name.as_bytes()), *id);
    }
    fonts_dict.finish();
    let mut xo = res.x_objects();
    for (id, name, _, _) in &qr_images {
        xo.pair(Name(name.as_bytes()), *id);
    }
    xo.finish();
    res.finish();
    p.finish();
    pdf.stream(content_id, &content_bytes)
        .filter(Filter::FlateDecode);
    Ok(pdf.finish())
}

fn font_name(kind: FontKind) -> &'static str {
    match kind {
        FontKind::Hei => "FHei",
        FontKind::Kai => "FKai",
        FontKind::Song => "FSong",
    }
}

/// A scanned page saved as PDF: one JPEG image filling an A4 page.
pub fn scanned_pdf(jpeg: &[u8], width: u32, height: u32) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let (catalog, pages, page_id, content_id, image) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
    );
    let (w, h) = if width > height {
        (842.0, 595.0)
    } else {
        (595.0, 842.0)
    };
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page_id]).count(1);
    let mut p = pdf.page(page_id);
    p.media_box(Rect::new(0.0, 0.0, w, h))
        .parent(pages)
        .contents(content_id);
    p.resources().x_objects().pair(Name(b"Scan"), image);
    p.finish();
    let mut img = pdf.image_xobject(image, jpeg);
    img.filter(Filter::DctDecode);
    img.width(width as i32)
        .height(height as i32)
        .bits_per_component(8);
    img.color_space().device_rgb();
    img.finish();
    let mut c = Content::new();
    c.save_state()
        .transform([w, 0.0, 0.0, h, 0.0, 0.0])
        .x_object(Name(b"Scan"))
        .restore_state();
    pdf.stream(content_id, &c.finish());
    pdf.finish()
}
