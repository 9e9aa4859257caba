//! The reader on certificates made the way real ones are (jxjy-certgen), and on hostile files.
//! OCR tests need the models of scripts/fetch-ocr-models.sh and the fonts of the setup script.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use jxjy_certgen::{make, Facts, Fonts, Format, Layout};
use jxjy_reader::{read, Engine, Limits, Ocr, ReadError};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

fn fonts() -> &'static Fonts {
    static F: OnceLock<Fonts> = OnceLock::new();
    F.get_or_init(|| Fonts::from_system().expect("the Chinese fonts of scripts/setup-debian.sh"))
}

fn ocr() -> &'static Ocr {
    static O: OnceLock<Ocr> = OnceLock::new();
    O.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../models/ocr");
        let det = std::fs::read(dir.join("ch_PP-OCRv4_det_infer.onnx"))
            .expect("models: run scripts/fetch-ocr-models.sh");
        let rec = std::fs::read(dir.join("ch_PP-OCRv4_rec_infer.onnx"))
            .expect("models: run scripts/fetch-ocr-models.sh");
        Ocr::load(&det, &rec).expect("the models load")
    })
}

fn facts() -> Facts {
    Facts {
        holder_name: "阿依古丽·买买提".into(),
        organizer: "兵团专业技术人员继续教育基地".into(),
        title: "现代农业节水灌溉技术培训班".into(),
        start_date: NaiveDate::from_ymd_opt(2019, 5, 10).unwrap(),
        end_date: NaiveDate::from_ymd_opt(2019, 5, 12).unwrap(),
        hours_centi: Some(2400),
        days: None,
        certificate_no: "BT201905-004211".into(),
    }
}

fn check(format: Format, layout: Layout, seed: u64, engine: Engine) {
    let f = facts();
    let made = make(&f, layout, format, fonts(), seed).unwrap();
    let r = read(&made.bytes, Some(ocr()), &Limits::default()).unwrap();
    assert_eq!(r.engine, engine, "{format:?}");
    let x = &r.fields;
    let ctx = format!("{format:?} {layout:?}:\n{}", r.text);
    assert_eq!(
        x.holder_name.as_ref().map(|n| n.value.replace('·', "")),
        Some("阿依古丽买买提".into()),
        "{ctx}"
    );
    assert_eq!(
        x.start_date.as_ref().and_then(|d| d.value.on(2019)),
        Some(f.start_date),
        "{ctx}"
    );
    assert_eq!(
        x.end_date.as_ref().and_then(|d| d.value.on(2019)),
        Some(f.end_date),
        "{ctx}"
    );
    assert_eq!(x.hours_centi.as_ref().map(|h| h.value), Some(2400), "{ctx}");
    assert_eq!(
        x.certificate_no.as_ref().map(|n| n.value.replace('-', "")),
        Some("BT201905004211".into()),
        "{ctx}"
    );
    // Each field has its place on the page, inside the page.
    let place = r
        .place_of(x.holder_name.as_ref().unwrap().span)
        .expect("the name's place");
    assert!(
        place.rect.x + place.rect.w <= place.page_width
            && place.rect.y + place.rect.h <= place.page_height
    );
    assert!(place.rect.w > 0 && place.rect.h > 0);
}

#[test]
fn a_text_pdf_is_read_from_its_text_layer() {
    check(Format::TextPdf, Layout::BaseTraining, 3, Engine::TextLayer);
    check(Format::TextPdf, Layout::HoursProof, 4, Engine::TextLayer);
}

#[test]
fn a_text_pdf_needs_no_ocr() {
    let made = make(&facts(), Layout::Qualified, Format::TextPdf, fonts(), 5).unwrap();
    assert!(read(&made.bytes, None, &Limits::default()).is_ok());
}

#[test]
fn a_scan_and_a_scanned_pdf_are_read_by_ocr() {
    check(Format::Scan, Layout::Qualified, 11, Engine::Ocr);
    check(Format::ScannedPdf, Layout::Exam, 12, Engine::Ocr);
}

#[test]
fn a_phone_photo_is_read_by_ocr_and_its_qr_code_decoded() {
    // Seeds whose certificate carries a QR code (certgen draws one on most).
    let f = facts();
    let mut decoded = 0;
    for seed in [21, 22, 23] {
        let made = make(&f, Layout::Conference, Format::Photo, fonts(), seed).unwrap();
        let r = read(&made.bytes, Some(ocr()), &Limits::default()).unwrap();
        assert_eq!(
            r.fields.hours_centi.as_ref().map(|h| h.value),
            Some(2400),
            "{}",
            r.text
        );
        decoded += usize::from(
            r.qr_text
                .as_deref()
                .is_some_and(|q| q.contains("BT201905-004211")),
        );
    }
    let scan = make(&f, Layout::BaseTraining, Format::Scan, fonts(), 31).unwrap();
    let r = read(&scan.bytes, Some(ocr()), &Limits::default()).unwrap();
    decoded += usize::from(r.qr_text.is_some());
    assert!(decoded >= 1, "no QR code decoded");
}

#[test]
fn an_image_without_models_needs_ocr() {
    let made = make(&facts(), Layout::Qualified, Format::Scan, fonts(), 7).unwrap();
    assert!(matches!(
        read(&made.bytes, None, &Limits::default()),
        Err(ReadError::NeedsOcr)
    ));
}

#[test]
fn hostile_files_are_refused_with_an_error() {
    let limits = Limits::default();
    // A PNG header that claims 100000 × 100000 pixels.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&100_000u32.to_be_bytes());
    png.extend_from_slice(&100_000u32.to_be_bytes());
    png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    assert!(matches!(
        read(&png, Some(ocr()), &limits),
        Err(ReadError::TooManyPixels(..)) | Err(ReadError::Undecodable(_))
    ));
    assert!(matches!(
        read(b"", None, &limits),
        Err(ReadError::UnknownFormat)
    ));
    assert!(matches!(
        read(b"%PDF-1.4\n garbage", None, &limits),
        Err(ReadError::Undecodable(_))
    ));
    let big = vec![0u8; 1024];
    let small = Limits {
        max_file_bytes: 100,
        ..limits
    };
    assert!(matches!(
        read(&big, None, &small),
        Err(ReadError::TooLarge(..))
    ));
    // A real PDF cut short.
    let made = make(&facts(), Layout::Qualified, Format::TextPdf, fonts(), 9).unwrap();
    for cut in [
        10,
        made.bytes.len() / 3,
        made.bytes.len() / 2,
        made.bytes.len() - 10,
    ] {
        let _ = read(&made.bytes[..cut], None, &limits);
    }
    // A JPEG cut short.
    let photo = make(&facts(), Layout::Qualified, Format::Scan, fonts(), 8).unwrap();
    let _ = read(&photo.bytes[..photo.bytes.len() / 2], Some(ocr()), &limits);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Any bytes after a PDF, PNG or JPEG signature: an answer, never a panic.
    #[test]
    fn any_bytes_give_an_answer(kind in 0usize..3, body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let sig: &[u8] = [b"%PDF-1.7\n".as_slice(), b"\x89PNG\r\n\x1a\n".as_slice(), b"\xff\xd8\xff\xe0".as_slice()][kind];
        let mut bytes = sig.to_vec();
        bytes.extend_from_slice(&body);
        let _ = read(&bytes, None, &Limits::default());
    }
}
