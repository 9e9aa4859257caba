//! The office files from a real store: xlsx exports read back with calamine, the corrections
//! import checked and applied, a spot-check pack as folder and zip, the print views.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use chrono::{TimeZone, Utc};
use jxjy_core::spotcheck::{SampleSize, SampleSpec};
use jxjy_core::synth::{generate, SynthParams};
use jxjy_core::RuleSet;
use jxjy_office::{pack, print, xlsx_in, xlsx_out, IdNumbers};
use jxjy_store::queries::QueueFilter;
use jxjy_store::roster::RosterFilter;
use jxjy_store::spotcheck::Finding;
use jxjy_store::{keys, Home, ProfileName, Store};
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 3, 2, 9, 0, 0).unwrap()
}

fn store(tag: &str) -> (std::path::PathBuf, Store) {
    static N: AtomicU64 = AtomicU64::new(0);
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| keys::install(keys::Backend::Memory));
    let n = N.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("jxjy-office-{}-{tag}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let p = ProfileName::new(&format!("office-{tag}-{n}-{}", std::process::id())).unwrap();
    let mut s = Store::open(&Home::new(&dir), &p, &jxjy_store::Sensitive::new([5u8; 32])).unwrap();
    let input = generate(&SynthParams {
        staff: 120,
        declarations_per_staff: 5,
        seed: 3,
        ..SynthParams::default()
    });
    s.import_input(&input).unwrap();
    s.set_meta("unit_name", "第一师阿拉尔市某单位").unwrap();
    s.set_meta("username", "reviewer1").unwrap();
    s.reevaluate(&RuleSet::for_year(2019).unwrap(), 2019, now().date_naive())
        .unwrap();
    (dir, s)
}

fn sheet(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn all_queue(s: &Store) -> Vec<jxjy_store::queries::QueueRow> {
    let rows = s.queue_all(&QueueFilter::default()).unwrap();
    assert!(rows.len() > 500, "more than one page: {}", rows.len());
    rows
}

#[test]
fn the_queue_export_reads_back_with_masked_ids() {
    let (_d, mut s) = store("queue");
    let rows = all_queue(&s);
    let bytes = xlsx_out::queue(&rows, &IdNumbers::Masked).unwrap();
    let back = sheet(&bytes);
    assert_eq!(
        back.len(),
        rows.len() + 1,
        "heading + one row per declaration"
    );
    assert_eq!(back[0][0], "申报编号");
    assert_eq!(back[0][2], "身份证号（已脱敏）");
    let full: std::collections::HashMap<String, String> = s
        .load_input(2019)
        .unwrap()
        .staff
        .into_iter()
        .map(|x| (x.id, x.id_number))
        .collect();
    for (q, r) in rows.iter().zip(&back[1..]) {
        assert_eq!(r[0], q.id);
        assert_eq!(r[1], q.staff_name.clone().unwrap_or_default());
        assert_eq!(r[2], q.id_number_masked.clone().unwrap_or_default());
        if q.id_number_masked.is_some() {
            assert!(r[2].contains('*'), "masked: {}", r[2]);
            assert_ne!(Some(&r[2]), full.get(&q.staff_id), "never the full number");
        }
        assert_eq!(
            r[10].parse::<f64>().unwrap(),
            q.claimed_hours.unwrap().as_f64()
        );
    }
    // Full numbers only when asked, and the asking is audited.
    let before = s.verify_audit().unwrap().entries;
    let map = s
        .reveal_all_id_numbers("xlsx export", "reviewer1", now())
        .unwrap();
    assert_eq!(s.verify_audit().unwrap().entries, before + 1);
    let back = sheet(&xlsx_out::queue(&rows, &IdNumbers::Full(&map)).unwrap());
    assert_eq!(back[0][2], "身份证号");
    let (i, known) = rows
        .iter()
        .enumerate()
        .find(|(_, q)| q.id_number_masked.is_some())
        .unwrap();
    assert_eq!(&back[i + 1][2], full.get(&known.staff_id).unwrap());
}

#[test]
fn ledger_and_decisions_exports_read_back() {
    let (_d, s) = store("ledger");
    let roster = s.roster_all(2019).unwrap();
    let total = s
        .roster(&RosterFilter {
            year: 2019,
            ..RosterFilter::default()
        })
        .unwrap()
        .total;
    let back = sheet(&xlsx_out::ledger(&roster, 2019, &IdNumbers::Masked).unwrap());
    assert_eq!(back.len() as i64, total + 1);
    assert_eq!(back[1][0], roster[0].staff.id);
    assert!(back[1][2].contains('*'));
    let decisions = s.all_decisions().unwrap();
    let back = sheet(&xlsx_out::decisions(&decisions, |_| None).unwrap());
    assert_eq!(back.len(), decisions.len() + 1);
    assert_eq!(back[0][2], "审核结论");
}

#[test]
fn roster_corrections_are_checked_then_applied_on_confirmation() {
    let (_d, mut s) = store("roster");
    let ids: Vec<String> = {
        let mut v: Vec<String> = s.staff_ids().unwrap().into_iter().collect();
        v.sort();
        v
    };
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["人员编号", "姓名", "身份证号", "职称级别", "在岗"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, &ids[0]).unwrap();
    ws.write_string(1, 1, "王更正").unwrap();
    ws.write_string(1, 3, "副高级").unwrap();
    ws.write_string(2, 0, "NOBODY").unwrap();
    ws.write_string(2, 4, "是").unwrap();
    ws.write_string(3, 0, &ids[1]).unwrap();
    // An ID typed as a number: Excel keeps 15 digits, so it cannot be valid.
    ws.write_number(3, 2, 110105194912310021.0).unwrap();
    ws.write_string(4, 0, &ids[2]).unwrap();
    ws.write_string(4, 4, "否").unwrap();
    let bytes = wb.save_to_buffer().unwrap();

    let checks = xlsx_in::roster_corrections(&bytes, &s.staff_ids().unwrap()).unwrap();
    assert_eq!(checks.len(), 4);
    assert!(checks[0].errors.is_empty());
    assert_eq!(checks[1].row, 3);
    assert!(checks[1].errors[0].contains("不在本单位人员名单中"));
    assert!(
        checks[2].errors[0].contains("身份证号"),
        "{:?}",
        checks[2].errors
    );
    assert!(checks[3].errors.is_empty());

    // Nothing has changed yet.
    let name_before = s.staff(&ids[0]).unwrap().unwrap().name;
    assert_ne!(name_before, "王更正");
    let ok: Vec<_> = checks.iter().filter_map(|c| c.correction.clone()).collect();
    assert_eq!(
        s.apply_roster_corrections(&ok, "reviewer1", now()).unwrap(),
        2
    );
    let after = s.staff(&ids[0]).unwrap().unwrap();
    assert_eq!(after.name, "王更正");
    assert_eq!(after.title_level, Some(jxjy_core::TitleLevel::SeniorDeputy));
    assert!(!s.staff(&ids[2]).unwrap().unwrap().active);
    assert!(s.verify_audit().unwrap().ok());
    // Not a spreadsheet at all.
    assert!(xlsx_in::roster_corrections(b"name,id\n", &s.staff_ids().unwrap()).is_err());
}

#[test]
fn a_spot_check_pack_is_reproducible_and_written_as_folder_and_zip() {
    let (dir, mut s) = store("pack");
    let spec = SampleSpec {
        size: SampleSize::Count(12),
        min_per_form: 1,
        seed: 20200302,
    };
    let a = s
        .create_spotcheck("pack-a", 2019, &spec, "reviewer1", now())
        .unwrap();
    let b = s
        .create_spotcheck("pack-b", 2019, &spec, "reviewer1", now())
        .unwrap();
    assert!(a.candidates > 12, "{a:?}");
    let va = s.spotcheck_pack("pack-a").unwrap();
    let vb = s.spotcheck_pack("pack-b").unwrap();
    let ids = |v: &jxjy_store::spotcheck::PackView| {
        v.items
            .iter()
            .map(|i| i.declaration_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&va), ids(&vb), "same seed, same sample");
    assert!(va.items.len() >= 12);
    assert_eq!(b.items, a.items);
    let other = s
        .create_spotcheck(
            "pack-c",
            2019,
            &SampleSpec { seed: 1, ..spec },
            "reviewer1",
            now(),
        )
        .unwrap();
    assert_eq!(other.items, a.items);
    assert_ne!(ids(&s.spotcheck_pack("pack-c").unwrap()), ids(&va));

    // Findings: a problem needs a note; a finding is queued for upload.
    let first = va.items[0].declaration_id.clone();
    assert!(s
        .record_finding(
            "pack-a",
            &first,
            Finding::Problem,
            None,
            "reviewer1",
            "fk-1",
            now()
        )
        .is_err());
    let item = s
        .record_finding(
            "pack-a",
            &first,
            Finding::Problem,
            Some("会议通知与证书日期不符"),
            "reviewer1",
            "fk-1",
            now(),
        )
        .unwrap();
    assert_eq!(item.upload, jxjy_core::UploadState::Pending);
    assert_eq!(s.findings_to_push(10).unwrap().len(), 1);

    let va = s.spotcheck_pack("pack-a").unwrap();
    let files = pack::write_pack(
        &dir.join("out"),
        "抽审-2019",
        &va,
        "某单位",
        "2020-03-02",
        |sha| {
            (sha.as_bytes()[0] % 2 == 0)
                .then(|| std::io::Cursor::new(format!("file {sha}").into_bytes()))
        },
    )
    .unwrap();
    assert!(files.folder.join("抽审清单.xlsx").exists());
    let html = std::fs::read_to_string(files.folder.join("抽审材料汇总.html")).unwrap();
    assert!(html.contains("会议通知与证书日期不符"));
    assert!(!html.contains("<script"));
    let checklist = sheet(&std::fs::read(files.folder.join("抽审清单.xlsx")).unwrap());
    assert_eq!(checklist.len(), va.items.len() + 1);
    assert_eq!(checklist[1][12], "存在问题");
    // The zip holds the same files with the same bytes.
    let mut z = zip::ZipArchive::new(std::fs::File::open(&files.zip).unwrap()).unwrap();
    let mut names = 0;
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if f.is_dir() {
            continue;
        }
        names += 1;
        let rel = f
            .name()
            .unwrap()
            .strip_prefix("抽审-2019/")
            .unwrap()
            .to_owned();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        assert_eq!(
            bytes,
            std::fs::read(files.folder.join(&rel)).unwrap(),
            "{rel}"
        );
    }
    assert_eq!(names, files.files);
}

#[test]
fn print_views_escape_and_carry_the_figures() {
    let (_d, mut s) = store("print");
    // The certificate counts approved declarations only: its ledger is never above the full one.
    let rows = all_queue(&s);
    let staff_id = rows
        .iter()
        .find(|r| r.status == jxjy_core::Status::UnitApproved && r.id_number_masked.is_some())
        .unwrap()
        .staff_id
        .clone();
    let mut c = s
        .certificate(&staff_id, 2019, now().date_naive())
        .unwrap()
        .unwrap();
    let full = s.ledger(&staff_id, 2019).unwrap().unwrap();
    assert!(c.ledger.public_hours <= full.public_hours);
    assert!(c.ledger.professional_hours <= full.professional_hours);
    assert!(c
        .rows
        .iter()
        .all(|r| r.status != jxjy_core::Status::PendingUnitReview));
    c.staff.name = "<b>张</b>".into();
    let html = print::staff_certificate("某单位", 2019, &c, "2020-03-02");
    assert!(html.contains("&lt;b&gt;张&lt;/b&gt;"));
    assert!(html.contains("继续教育学时证明"));
    assert!(html.contains("要求不少于30学时"));
    assert!(!html.contains("<script"));
    // A clean pending declaration of 2019 (the synthetic unit spans several years).
    let view = s
        .queue_all(&QueueFilter {
            status: Some(jxjy_core::Status::PendingUnitReview),
            flagged: Some(false),
            ..QueueFilter::default()
        })
        .unwrap()
        .iter()
        .map(|r| s.declaration(&r.id).unwrap())
        .find(|v| v.evaluation.as_ref().is_some_and(|e| e.year == 2019))
        .unwrap();
    let decision = jxjy_core::decision::Decision::from_review(
        view.evaluation.as_ref().unwrap(),
        view.declaration.version,
        jxjy_core::decision::Review {
            outcome: jxjy_core::decision::Outcome::Approve,
            credited_hours: None,
            reason: None,
        },
        "reviewer1",
        now(),
        "k-print".into(),
    )
    .unwrap();
    s.decide(&decision, now()).unwrap();
    let figures = s.unit_figures(2019).unwrap();
    assert_eq!(figures.staff_total, 120);
    assert_eq!(figures.approved_here, 1);
    assert_eq!(figures.waiting_upload, 1);
    let html = print::unit_summary(&figures, "reviewer1", "2020-03-02");
    assert!(html.contains("第一师阿拉尔市某单位"));
    let _ = s.set_meta("x", "y");
}

#[test]
fn evidence_names_are_safe() {
    let e = jxjy_store::spotcheck::PackEvidence {
        sha256: "abcdef0123".into(),
        file_name: "../../etc/passwd\u{0}.pdf".into(),
        present: true,
    };
    let n = pack::evidence_file_name(7, &e);
    assert!(!n.contains('/') && !n.contains('\u{0}'), "{n}");
    assert!(n.starts_with("007-abcdef01-"));
}
