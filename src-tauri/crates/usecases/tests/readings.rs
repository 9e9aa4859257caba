//! Background reading on a real SQLCipher store: certificates made as real ones are (text PDFs,
//! so no OCR model is needed), read once per reader version, their flags merged into the
//! declarations' (kept through a re-evaluation, seen by batch approve), and the field-by-field
//! summary the detail pane shows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use jxjy_certgen::{make, Facts, Fonts, Format, Layout};
use jxjy_core::model::{Declaration, Evidence};
use jxjy_core::synth::{generate, SynthParams};
use jxjy_core::{Flag, ReviewState, RuleSet, Status, SyncScope};
use jxjy_store::import::PullPage;
use jxjy_store::queries::QueueFilter;
use jxjy_store::{Home, ProfileName, Store};
use jxjy_usecases::evidence::LazyOcr;
use jxjy_usecases::readings::{
    declaration_reading, progress, read_next, refresh_stale, DeclarationReading, FieldVerdict,
    ReadField, Step,
};
use sha2::{Digest, Sha256};
use std::collections::HashSet;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 1, 15, 9, 30, 0).unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 15).unwrap()
}

fn hex(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

fn store(tag: &str) -> Store {
    jxjy_store::keys::install(jxjy_store::keys::Backend::Memory);
    let dir = std::env::temp_dir().join(format!("jxjy-read-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let name = ProfileName::new(&format!("{tag}-{}", std::process::id())).unwrap();
    jxjy_usecases::profile::set_up(&Home::new(dir), &name, "12345678")
        .unwrap()
        .store
}

fn apply(store: &mut Store, declarations: Vec<Declaration>) {
    store
        .apply_page(
            &PullPage {
                declarations,
                cursor: "d".into(),
                ..PullPage::empty(SyncScope::Declarations)
            },
            now(),
        )
        .unwrap();
}

fn reevaluate(store: &mut Store) {
    store
        .reevaluate(&RuleSet::for_year(2019).unwrap(), 2019, today())
        .unwrap();
}

fn facts_of(d: &Declaration, name: &str, no: &str) -> Facts {
    Facts {
        holder_name: name.into(),
        organizer: d.organizer.clone(),
        title: "专业技术人员继续教育培训".into(),
        start_date: d.start_date,
        end_date: d.end_date,
        hours_centi: d.certified_hours.or(d.claimed_hours).map(|h| h.centi()),
        days: None,
        certificate_no: no.into(),
    }
}

fn open_unflagged(store: &Store, n: u32) -> Vec<String> {
    store
        .queue(&QueueFilter {
            status: Some(Status::PendingUnitReview),
            review_state: Some(ReviewState::Open),
            flagged: Some(false),
            limit: n,
            ..QueueFilter::default()
        })
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.id)
        .collect()
}

fn flags(store: &Store, id: &str) -> Vec<Flag> {
    store.declaration(id).unwrap().evaluation.unwrap().flags
}

fn read_all(store: &mut Store, ocr: &mut LazyOcr) -> usize {
    let mut skip = HashSet::new();
    let mut n = 0;
    while read_next(store, ocr, None, &mut skip).unwrap() != Step::Idle {
        n += 1;
    }
    while refresh_stale(store, None, 10).unwrap() > 0 {}
    n
}

#[test]
fn readings_raise_their_flags_once_and_batch_approve_leaves_those_out() {
    let fonts = Fonts::from_system().expect("fonts of scripts/setup-debian.sh");
    let mut store = store("flags");
    let input = generate(&SynthParams {
        staff: 12,
        declarations_per_staff: 5,
        seed: 3,
        ..SynthParams::default()
    });
    apply(&mut store, input.declarations.clone());
    store
        .apply_page(
            &PullPage {
                staff: input.staff.clone(),
                cursor: "s".into(),
                ..PullPage::empty(SyncScope::Staff)
            },
            now(),
        )
        .unwrap();
    reevaluate(&mut store);
    let ids = open_unflagged(&store, 5);
    assert_eq!(ids.len(), 5, "the synthetic unit has open, unflagged items");

    // 0 matches; 1 prints other hours; 2 and 3 carry one certificate number; 4 is not a
    // certificate at all.
    let mut changed = Vec::new();
    let mut files = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let mut d = input
            .declarations
            .iter()
            .find(|d| &d.id == id)
            .unwrap()
            .clone();
        let name = store.staff(&d.staff_id).unwrap().unwrap().name;
        // Online courses name the platform; a printed certificate names an issuing body.
        d.organizer = "兵团专业技术人员继续教育基地".into();
        let no = if i == 2 || i == 3 {
            "BT2019-7777".to_owned()
        } else {
            format!("BT2019-{i:04}")
        };
        let mut printed = facts_of(&d, &name, &no);
        if i == 1 {
            printed.hours_centi = Some(printed.hours_centi.unwrap_or(0) + 1200);
        }
        let bytes = if i == 4 {
            b"%PDF-1.4\n% not a certificate, and broken\n".to_vec()
        } else {
            make(
                &printed,
                Layout::BaseTraining,
                Format::TextPdf,
                &fonts,
                7 + i as u64,
            )
            .unwrap()
            .bytes
        };
        let sha = hex(&bytes);
        d.evidence = vec![Evidence {
            id: format!("E-{i}"),
            file_name: "证书.pdf".into(),
            media_type: "application/pdf".into(),
            size: bytes.len() as u64,
            sha256: sha.clone(),
        }];
        files.push((sha, bytes));
        changed.push(d);
    }
    apply(&mut store, changed);
    reevaluate(&mut store);
    for id in &ids {
        assert!(
            flags(&store, id).is_empty(),
            "nothing read yet, nothing flagged"
        );
        assert_eq!(
            declaration_reading(&store, id).unwrap(),
            DeclarationReading::Pending
        );
    }
    // Only downloaded files are read.
    let mut ocr = LazyOcr::new(Some(std::path::Path::new("/nonexistent-models")));
    assert_eq!(read_all(&mut store, &mut ocr), 0);
    for (sha, bytes) in &files {
        store.put_evidence(sha, bytes).unwrap();
    }
    let (read, total) = progress(&store).unwrap();
    assert!(total >= 5 && read == 0, "{read}/{total}");
    let n = read_all(&mut store, &mut ocr);
    assert!(n >= 5, "every downloaded file is read: {n}");
    let (read, total) = progress(&store).unwrap();
    assert_eq!(read, total);

    assert!(
        flags(&store, &ids[0]).is_empty(),
        "{:?}",
        flags(&store, &ids[0])
    );
    assert_eq!(flags(&store, &ids[1]), vec![Flag::EvidenceHoursMismatch]);
    assert_eq!(flags(&store, &ids[2]), vec![Flag::DuplicateCertificateNo]);
    assert_eq!(flags(&store, &ids[3]), vec![Flag::DuplicateCertificateNo]);
    assert_eq!(flags(&store, &ids[4]), vec![Flag::EvidenceUnreadable]);

    // The detail pane's comparison: field by field, with where each was read.
    let DeclarationReading::Ready { summary } = declaration_reading(&store, &ids[1]).unwrap()
    else {
        panic!("read");
    };
    let row = |f: ReadField| summary.rows.iter().find(|r| r.field == f).unwrap().clone();
    assert_eq!(row(ReadField::HolderName).verdict, FieldVerdict::Agrees);
    assert_eq!(row(ReadField::Dates).verdict, FieldVerdict::Agrees);
    assert_eq!(
        row(ReadField::Organizer).verdict,
        FieldVerdict::Agrees,
        "{summary:?}"
    );
    let hours = row(ReadField::Hours);
    assert_eq!(hours.verdict, FieldVerdict::Differs);
    let place = hours.place.expect("where the hours were read");
    assert_eq!(place.sha256, files[1].0);
    assert!(place.x + place.w <= place.page_width && place.y + place.h <= place.page_height);
    assert_eq!(
        row(ReadField::CertificateNo).read.as_deref(),
        Some("BT2019-0001")
    );
    assert!(
        summary.findings[0].detail.contains("证书上的学时"),
        "{:?}",
        summary.findings
    );
    let DeclarationReading::Ready { summary } = declaration_reading(&store, &ids[2]).unwrap()
    else {
        panic!("read");
    };
    assert!(
        summary.findings[0].detail.contains(&ids[3]),
        "{:?}",
        summary.findings
    );

    // A re-evaluation keeps them; batch approve leaves the flagged ones out.
    reevaluate(&mut store);
    assert_eq!(flags(&store, &ids[1]), vec![Flag::EvidenceHoursMismatch]);
    let plan = store.batch_plan(&ids).unwrap();
    let planned: Vec<&str> = plan.eligible.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(planned, vec![ids[0].as_str()]);
    assert_eq!(plan.skipped.len(), 4);

    // Nothing is read twice at the same reader version.
    assert_eq!(read_all(&mut store, &mut ocr), 0);

    // A new version of a declaration (corrected hours) is checked again from the stored reading.
    let mut d = store.declaration(&ids[1]).unwrap().declaration;
    d.version += 1;
    d.claimed_hours = d
        .claimed_hours
        .map(|h| jxjy_core::Hours::from_centi(h.centi() + 1200));
    d.certified_hours = d
        .certified_hours
        .map(|h| jxjy_core::Hours::from_centi(h.centi() + 1200));
    apply(&mut store, vec![d]);
    reevaluate(&mut store);
    assert!(
        flags(&store, &ids[1]).is_empty(),
        "an old reading's flag is gone with its version"
    );
    assert_eq!(
        read_all(&mut store, &mut ocr),
        0,
        "the file is not read again"
    );
    assert!(
        flags(&store, &ids[1]).is_empty(),
        "{:?}",
        flags(&store, &ids[1])
    );
    assert!(matches!(
        declaration_reading(&store, &ids[1]).unwrap(),
        DeclarationReading::Ready { .. }
    ));
}
