//! How well the evidence reader does its job, per format (text PDF, scanned PDF, scan, photo):
//! certificates made by jxjy-certgen in every layout, a third of them with one deliberate
//! discrepancy, read and cross-checked as the app does. Reports mismatch recall, false flags on
//! matching certificates, per-field extraction accuracy and time per file.
//!
//! `cargo bench -p jxjy-usecases --bench evidence_accuracy -- [per-format count] [seed]`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Datelike, Duration, NaiveDate};
use jxjy_certgen::{make, Discrepancy, Facts, Fonts, Format, Layout};
use jxjy_core::flags::Flag;
use jxjy_core::model::{Category, Declaration, Form, Status};
use jxjy_core::synth::Rng;
use jxjy_core::Hours;
use jxjy_evidence::crosscheck::Verdict;
use jxjy_evidence::findings::duplicate_certificate_numbers;
use jxjy_usecases::evidence::{declaration_findings, LazyOcr};
use std::collections::BTreeMap;
use std::time::Instant;

const SURNAMES: [&str; 16] = [
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "马", "孙", "胡", "郭", "何", "高",
];
const GIVEN: [&str; 16] = [
    "建国", "秀英", "志强", "海燕", "伟", "丽娟", "晓东", "红梅", "国庆", "玉兰", "军", "静",
    "新民", "桂芳", "文博", "雪莲",
];
const MINORITY: [&str; 6] = [
    "阿依古丽·买买提",
    "艾尔肯·吐尔逊",
    "古丽娜尔·艾力",
    "买买提江·依明",
    "热依拉·阿不都",
    "努尔兰·哈力别克",
];
const ORGANIZERS: [&str; 8] = [
    "兵团专业技术人员继续教育基地",
    "新疆生产建设兵团人力资源和社会保障局",
    "石河子大学继续教育学院",
    "兵团卫生健康委员会",
    "中华医学会新疆分会",
    "第八师石河子市人力资源和社会保障局",
    "新疆农垦科学院",
    "塔里木大学继续教育学院",
];
const TITLES: [&str; 6] = [
    "现代农业节水灌溉技术培训班",
    "基层医疗卫生人员能力提升培训",
    "兵团中小学教师信息技术应用能力研修",
    "全国心血管病学术年会",
    "水利工程建设质量管理专题研修班",
    "专业技术人员职业道德与创新能力",
];

fn facts(i: usize, rng: &mut Rng) -> Facts {
    let name = if rng.chance(20) {
        rng.pick(&MINORITY).to_string()
    } else {
        format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN))
    };
    let start = NaiveDate::from_ymd_opt(2019, 3, 1).unwrap_or_default()
        + Duration::days(rng.below(250) as i64);
    let len = rng.below(5) as i64;
    let days = len as u32 + 1;
    Facts {
        holder_name: name,
        organizer: rng.pick(&ORGANIZERS).to_string(),
        title: rng.pick(&TITLES).to_string(),
        start_date: start,
        end_date: start + Duration::days(len),
        hours_centi: Some(i64::from(days) * 800 - if rng.chance(30) { 400 } else { 0 }),
        days: if rng.chance(40) { Some(days) } else { None },
        certificate_no: format!(
            "BT2019{:02}-{:05}",
            rng.below(14) + 1,
            10000 + i * 37 % 90000
        ),
    }
}

fn declaration(id: &str, f: &Facts) -> Declaration {
    Declaration {
        id: id.into(),
        staff_id: format!("S-{id}"),
        category: Category::Professional,
        form: Form::BaseTraining,
        level: None,
        exam_level: None,
        title: f.title.clone(),
        organizer: f.organizer.clone(),
        start_date: f.start_date,
        end_date: f.end_date,
        days: f.days,
        presented_paper: false,
        claimed_hours: f.hours_centi.map(Hours::from_centi),
        certified_hours: None,
        confirmation_ref: None,
        evidence: vec![],
        status: Status::default(),
        version: 1,
    }
}

fn flag_of(d: Discrepancy) -> Flag {
    match d {
        Discrepancy::Name => Flag::EvidenceNameMismatch,
        Discrepancy::Dates => Flag::EvidenceDatesMismatch,
        Discrepancy::Hours => Flag::EvidenceHoursMismatch,
        Discrepancy::Organizer => Flag::EvidenceOrganizerMismatch,
        Discrepancy::ReusedNumber => Flag::DuplicateCertificateNo,
    }
}

#[derive(Default)]
struct Tally {
    n: usize,
    discrepant: usize,
    caught: usize,
    matching: usize,
    false_flagged: usize,
    fields: BTreeMap<&'static str, (usize, usize)>,
    ms: Vec<f64>,
    bytes: Vec<usize>,
    misses: Vec<String>,
}

fn main() {
    let args: Vec<String> = std::env::args().filter(|a| !a.starts_with("--")).collect();
    let per_format: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(18);
    let seed: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(7);
    let fonts = match Fonts::from_system() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("evidence_accuracy: {e}");
            std::process::exit(1);
        }
    };
    let mut ocr = LazyOcr::new(None);
    if let Err(e) = ocr.load() {
        eprintln!("evidence_accuracy: {e}");
        std::process::exit(1);
    }
    let mut rng = Rng::new(seed);
    let mut tallies: BTreeMap<Format, Tally> = BTreeMap::new();
    let mut numbers: Vec<(String, String)> = Vec::new();
    let mut rows = Vec::new();
    let mut previous_no = String::from("BT201901-00000");
    for (fi, format) in Format::ALL.into_iter().enumerate() {
        for i in 0..per_format {
            let k = fi * per_format + i;
            let declared = facts(k, &mut rng);
            let layout = Layout::ALL[k % 6];
            let discrepancy = match (i % 3 == 2).then(|| Discrepancy::ALL[(k / 3) % 5]) {
                // A service certificate prints no hours.
                Some(Discrepancy::Hours) if layout == Layout::Service => Some(Discrepancy::Dates),
                other => other,
            };
            let printed = match discrepancy {
                Some(d) => d.apply(&declared, &previous_no, &mut rng),
                None => declared.clone(),
            };
            previous_no = declared.certificate_no.clone();
            let made = match make(&printed, layout, format, &fonts, seed * 1000 + k as u64) {
                Ok(m) => m,
                Err(e) => {
                    eprintln!("evidence_accuracy: making a certificate: {e}");
                    std::process::exit(1);
                }
            };
            if let Ok(dir) = std::env::var("JXJY_BENCH_DUMP") {
                let _ = std::fs::write(
                    std::path::Path::new(&dir).join(format!("{k:04}-{}", made.file_name)),
                    &made.bytes,
                );
            }
            let t = Instant::now();
            let reading = ocr.read(&made.bytes);
            match &reading {
                Err(e) => eprintln!("D{k:04}: {e}"),
                Ok(r) if std::env::var("JXJY_BENCH_TEXT").is_ok() => {
                    eprintln!("D{k:04} {:?}:\n{}\n{:?}", r.engine, r.text, r.fields)
                }
                Ok(_) => {}
            }
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            let id = format!("D{k:04}");
            let tally = tallies.entry(format).or_default();
            tally.ms.push(ms);
            tally.bytes.push(made.bytes.len());
            let fields = reading
                .as_ref()
                .map(|r| r.fields.clone())
                .unwrap_or_default();
            if let Some(n) = &fields.certificate_no {
                numbers.push((id.clone(), n.value.clone()));
            }
            // What the reader got right, against what the certificate prints.
            let f = &fields;
            let checks: [(&'static str, bool, bool); 6] = [
                (
                    "holder_name",
                    true,
                    f.holder_name.as_ref().is_some_and(|x| {
                        x.value.replace('·', "") == printed.holder_name.replace('·', "")
                    }),
                ),
                (
                    "organizer",
                    true,
                    f.organizer.as_ref().is_some_and(|x| {
                        x.value.contains(&printed.organizer) || printed.organizer.contains(&x.value)
                    }),
                ),
                (
                    "start_date",
                    true,
                    f.start_date
                        .as_ref()
                        .is_some_and(|x| x.value.on(2019) == Some(printed.start_date)),
                ),
                (
                    "end_date",
                    true,
                    f.end_date.as_ref().is_some_and(|x| {
                        x.value.on(printed.start_date.year()) == Some(printed.end_date)
                    }),
                ),
                (
                    "hours",
                    layout != Layout::Service && printed.hours_centi.is_some(),
                    f.hours_centi.as_ref().map(|x| x.value) == printed.hours_centi,
                ),
                (
                    "certificate_no",
                    true,
                    f.certificate_no
                        .as_ref()
                        .is_some_and(|x| x.value == printed.certificate_no),
                ),
            ];
            for (name, applies, ok) in checks {
                if applies && !ok && std::env::var("JXJY_BENCH_FIELDS").is_ok() {
                    let text = reading
                        .as_ref()
                        .map(|r| r.text.replace('\n', " | "))
                        .unwrap_or_default();
                    eprintln!(
                        "field D{k:04} {format:?} {name}: read {:?}\n    in {text}",
                        match name {
                            "holder_name" =>
                                format!("{:?}", f.holder_name.as_ref().map(|x| &x.value)),
                            "organizer" => format!(
                                "{:?} want {}",
                                f.organizer.as_ref().map(|x| &x.value),
                                printed.organizer
                            ),
                            "start_date" | "end_date" => format!(
                                "{:?}..{:?}",
                                f.start_date.as_ref().map(|x| x.value),
                                f.end_date.as_ref().map(|x| x.value)
                            ),
                            "hours" => format!("{:?}", f.hours_centi.as_ref().map(|x| x.value)),
                            _ => format!("{:?}", f.certificate_no.as_ref().map(|x| &x.value)),
                        }
                    );
                }
                if applies {
                    let e = tally.fields.entry(name).or_default();
                    e.0 += usize::from(ok);
                    e.1 += 1;
                }
            }
            rows.push((id, format, layout, discrepancy, declared, fields));
        }
    }
    let dup = duplicate_certificate_numbers(numbers.iter().map(|(d, n)| (d.as_str(), n.as_str())));
    for (id, format, layout, discrepancy, declared, fields) in &rows {
        let decl = declaration(id, declared);
        let (check, found) = declaration_findings(&decl, &declared.holder_name, &[fields]);
        let mut flags: Vec<Flag> = found.iter().map(|f| f.flag).collect();
        if dup.contains_key(id) {
            flags.push(Flag::DuplicateCertificateNo);
        }
        let tally = tallies.entry(*format).or_default();
        tally.n += 1;
        // Service certificates print no hours, and the number reused is flagged on both.
        let ignore = |f: &Flag| *f == Flag::DuplicateCertificateNo;
        match discrepancy {
            Some(d) => {
                tally.discrepant += 1;
                if flags.contains(&flag_of(*d)) {
                    tally.caught += 1;
                } else {
                    tally.misses.push(format!(
                        "{id} {:?} {:?} missed {:?} (got {flags:?}, check {check:?})",
                        format, layout, d
                    ));
                }
            }
            None => {
                tally.matching += 1;
                let wrong: Vec<&Flag> = flags.iter().filter(|f| !ignore(f)).collect();
                // The declaration whose number another certificate reused is flagged with it:
                // that is the hint working, not a false flag.
                if !wrong.is_empty() {
                    tally.false_flagged += 1;
                    tally.misses.push(format!(
                        "{id} {:?} {:?} false {wrong:?} (check {:?})",
                        format,
                        layout,
                        check.map(|c| (
                            c.holder_name == Verdict::Agrees,
                            c.dates == Verdict::Agrees,
                            c.hours == Verdict::Agrees,
                            c.organizer == Verdict::Agrees
                        ))
                    ));
                }
            }
        }
    }
    println!("| format | files | size p50 | recall | false flags | name | organizer | start | end | hours | number | ms p50 | ms p95 |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (format, t) in &mut tallies {
        t.ms.sort_by(|a, b| a.total_cmp(b));
        t.bytes.sort_unstable();
        let pct = |a: usize, b: usize| {
            if b == 0 {
                "—".to_string()
            } else {
                format!("{:.0}%", 100.0 * a as f64 / b as f64)
            }
        };
        let field = |k: &str| {
            t.fields
                .get(k)
                .map(|(a, b)| pct(*a, *b))
                .unwrap_or_default()
        };
        let p = |q: f64| {
            t.ms.get(((t.ms.len() as f64 - 1.0) * q).round() as usize)
                .copied()
                .unwrap_or(0.0)
        };
        println!(
            "| {} | {} | {} KB | {} ({}/{}) | {} ({}/{}) | {} | {} | {} | {} | {} | {} | {:.0} | {:.0} |",
            format.code(),
            t.n,
            t.bytes.get(t.bytes.len() / 2).copied().unwrap_or(0) / 1024,
            pct(t.caught, t.discrepant),
            t.caught,
            t.discrepant,
            pct(t.false_flagged, t.matching),
            t.false_flagged,
            t.matching,
            field("holder_name"),
            field("organizer"),
            field("start_date"),
            field("end_date"),
            field("hours"),
            field("certificate_no"),
            p(0.5),
            p(0.95)
        );
    }
    for t in tallies.values() {
        for m in &t.misses {
            eprintln!("  {m}");
        }
    }
}
