//! The seeded demo data: deterministic, every form and every flag situation, real files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use jxjy_core::{evaluate, Declaration, Flag, Form, Input, RuleSet, Staff};
use jxjy_platform::seed::{forms_present, seed, SeedParams};
use sha2::Digest;
use std::collections::BTreeSet;

fn seeded(p: &SeedParams) -> rusqlite::Connection {
    let path = common::temp_db();
    let mut conn = jxjy_platform::db::open(&path).unwrap();
    seed(&mut conn, p).unwrap();
    conn
}

fn dump(conn: &rusqlite::Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare("SELECT doc FROM declarations UNION ALL SELECT doc FROM staff ORDER BY 1")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn default_seed_has_every_form_and_flag_and_real_files() {
    let conn = seeded(&SeedParams::default());
    let forms: BTreeSet<Form> = forms_present(&conn).unwrap().into_iter().collect();
    assert_eq!(forms, Form::ALL.into_iter().collect());

    let staff: Vec<Staff> = conn
        .prepare("SELECT doc FROM staff")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|d| serde_json::from_str(&d.unwrap()).unwrap())
        .collect();
    let declarations: Vec<Declaration> = conn
        .prepare("SELECT doc FROM declarations")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|d| serde_json::from_str(&d.unwrap()).unwrap())
        .collect();
    assert_eq!(staff.len(), 300);
    assert!(
        (2_900..=3_100).contains(&declarations.len()),
        "{}",
        declarations.len()
    );
    let input = Input {
        year: 2019,
        rules: None,
        staff,
        declarations: declarations.clone(),
    };
    let e = evaluate(
        &input,
        &RuleSet::for_year(2019).unwrap(),
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
    );
    let flags: BTreeSet<Flag> = e
        .declarations
        .iter()
        .flat_map(|d| d.flags.iter().copied())
        .chain(e.ledger.iter().flat_map(|l| l.flags.iter().copied()))
        .collect();
    assert_eq!(
        flags,
        Flag::ALL
            .into_iter()
            .filter(|f| !f.is_from_reading())
            .collect::<BTreeSet<_>>(),
        "every flag situation the engine raises occurs"
    );

    // Every evidence file exists, is a real PDF or PNG, and matches its hash.
    let mut checked = 0;
    for e in declarations.iter().flat_map(|d| &d.evidence) {
        let data: Vec<u8> = conn
            .query_row(
                "SELECT data FROM evidence WHERE sha256 = ?1",
                [&e.sha256],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(data.len() as u64, e.size);
        assert_eq!(
            jxjy_platform::auth::hex(&sha2::Sha256::digest(&data)),
            e.sha256
        );
        match e.media_type.as_str() {
            "application/pdf" => assert!(data.starts_with(b"%PDF-")),
            "image/png" => assert!(data.starts_with(b"\x89PNG")),
            other => panic!("unexpected media type {other}"),
        }
        checked += 1;
    }
    assert!(checked > 1000);
}

#[test]
fn the_same_seed_gives_the_same_data() {
    let p = SeedParams {
        units: 2,
        staff_per_unit: 20,
        declarations_per_staff: 5,
        evidence: true,
        seed: 9,
        year: 2019,
    };
    assert_eq!(dump(&seeded(&p)), dump(&seeded(&p)));
    let other = SeedParams {
        seed: 10,
        ..p.clone()
    };
    assert_ne!(dump(&seeded(&p)), dump(&seeded(&other)));
}

/// format, layout, discrepancy, media type, bytes, SHA-256
type TruthRow = (String, String, Option<String>, String, Vec<u8>, String);

/// `seed --evidence`: every file a certificate of its declaration in a known format and layout,
/// at the sizes real uploads have, with its ground truth; the same seed, the same files.
#[test]
fn realistic_certificates_carry_their_ground_truth() {
    let fonts = jxjy_certgen::Fonts::from_system().expect("fonts of scripts/setup-debian.sh");
    let p = SeedParams {
        units: 1,
        staff_per_unit: 12,
        declarations_per_staff: 10,
        evidence: true,
        seed: 3,
        year: 2019,
    };
    let make = || {
        let mut conn = jxjy_platform::db::open(&common::temp_db()).unwrap();
        jxjy_platform::seed::seed_with_certificates(&mut conn, &p, &fonts).unwrap();
        conn
    };
    let conn = make();
    let mut stmt = conn
        .prepare(
            "SELECT t.format, t.layout, t.discrepancy, e.media_type, e.data, t.sha256
             FROM evidence_truth t JOIN evidence e ON e.sha256 = t.sha256",
        )
        .unwrap();
    let rows: Vec<TruthRow> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let files: i64 = conn
        .query_row("SELECT count(*) FROM evidence", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows.len() as i64, files, "every file has its truth");
    assert!(rows.len() >= 20, "{}", rows.len());
    let mut formats = BTreeSet::new();
    for (format, layout, discrepancy, media, data, sha) in &rows {
        let digest: String = sha2::Sha256::digest(data)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(&digest, sha);
        assert!([
            "base_training",
            "qualified",
            "conference",
            "hours_proof",
            "exam",
            "service"
        ]
        .contains(&layout.as_str()));
        if let Some(d) = discrepancy {
            assert!(
                ["name", "dates", "hours", "organizer", "reused_number"].contains(&d.as_str()),
                "{d}"
            );
        }
        let kb = data.len() / 1024;
        match format.as_str() {
            "text_pdf" => assert!(
                media == "application/pdf" && data.starts_with(b"%PDF-") && kb < 200,
                "{kb} KB"
            ),
            "scanned_pdf" => assert!(
                media == "application/pdf" && (100..1500).contains(&kb),
                "{kb} KB"
            ),
            "scan" => assert!(
                media.starts_with("image/") && (10..1500).contains(&kb),
                "{media} {kb} KB"
            ),
            "photo" => assert!(
                media == "image/jpeg" && (500..3100).contains(&kb),
                "{kb} KB"
            ),
            other => panic!("format {other}"),
        }
        formats.insert(format.clone());
    }
    assert_eq!(formats.len(), 4, "{formats:?}");
    // Each declaration's evidence record names its certificate's type and size.
    let decls: Vec<String> = conn
        .prepare("SELECT doc FROM declarations")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for doc in decls {
        let d: Declaration = serde_json::from_str(&doc).unwrap();
        for e in d.evidence {
            let (media, size): (String, i64) = conn
                .query_row(
                    "SELECT media_type, length(data) FROM evidence WHERE sha256 = ?1",
                    [&e.sha256],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            assert_eq!((e.media_type, e.size as i64), (media, size));
        }
    }
    let again = make();
    let sum = |c: &rusqlite::Connection| -> Vec<String> {
        c.prepare("SELECT sha256 FROM evidence ORDER BY 1")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(sum(&conn), sum(&again), "deterministic");
}
