//! Realistic synthetic data for the demo, the tests and the benchmarks: the core's synthetic
//! units (Chinese names, valid ID numbers, real organizers, every form and flag situation),
//! with real PDF and PNG evidence files and one reviewer account per unit. Deterministic.

use crate::auth::hash_password;
use crate::certificates;
use crate::db::next_seq;
use crate::files;
use jxjy_certgen::Fonts;
use jxjy_core::synth::{generate, Rng, SynthParams};
use jxjy_core::{Declaration, Form, Hours};
use rusqlite::{params, Connection};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

const UNIT_NAMES: &[&str] = &[
    "第一师阿拉尔市人民医院",
    "石河子大学",
    "第八师石河子市农业技术推广中心",
    "第二师铁门关市第一中学",
    "第十四师昆玉市水利管理处",
    "第三师图木舒克市疾病预防控制中心",
];

#[derive(Debug, Clone)]
pub struct SeedParams {
    pub units: usize,
    pub staff_per_unit: usize,
    pub declarations_per_staff: usize,
    pub evidence: bool,
    pub seed: u64,
    pub year: i32,
}

impl Default for SeedParams {
    fn default() -> Self {
        SeedParams {
            units: 1,
            staff_per_unit: 300,
            declarations_per_staff: 10,
            evidence: true,
            seed: 1,
            year: 2019,
        }
    }
}

/// A demo reviewer account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Account {
    pub username: String,
    pub password: String,
    pub unit_id: String,
    pub unit_name: String,
}

/// Counts of what was made.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SeedReport {
    pub staff: usize,
    pub declarations: usize,
    pub evidence_files: usize,
    pub accounts: Vec<Account>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Replaces the synthetic hashes of a declaration's evidence with real files; the same
/// synthetic hash (a reused certificate) maps to the same real file.
fn attach_files(
    d: &mut Declaration,
    made: &mut HashMap<String, (String, u64, String, String)>,
    files_out: &mut Vec<(String, String, Vec<u8>)>,
) {
    for e in &mut d.evidence {
        let (sha, size, media, name) = made
            .entry(e.sha256.clone())
            .or_insert_with(|| {
                let (bytes, media, name) = if e.media_type == "application/pdf" {
                    let lines = vec![
                        "Certificate of continuing education".to_owned(),
                        format!("Declaration {}", d.id),
                        format!("Staff {}", d.staff_id),
                        format!("Dates {} - {}", d.start_date, d.end_date),
                        format!("Hours {}", d.claimed_hours.unwrap_or(Hours::ZERO)),
                    ];
                    (files::pdf(&lines), "application/pdf", "证书.pdf")
                } else {
                    (files::png(96, 64, &d.id), "image/png", "证书.png")
                };
                let sha = hex(&Sha256::digest(&bytes));
                let size = bytes.len() as u64;
                files_out.push((sha.clone(), media.to_owned(), bytes));
                (sha, size, media.to_owned(), name.to_owned())
            })
            .clone();
        e.sha256 = sha;
        e.size = size;
        e.media_type = media;
        e.file_name = name;
    }
}

/// Replaces the synthetic hashes with realistic certificates (one per distinct synthetic hash:
/// a reused certificate stays one file), recording each file's ground truth.
fn attach_certificates(
    tx: &rusqlite::Transaction<'_>,
    decls: &mut [Declaration],
    names: &HashMap<String, String>,
    year: i32,
    fonts: &Fonts,
    rng: &mut Rng,
    files_out: &mut Vec<(String, String, Vec<u8>)>,
) -> anyhow::Result<()> {
    let mut jobs = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut previous_no: Option<String> = None;
    for d in decls.iter() {
        for e in &d.evidence {
            if seen.contains_key(&e.sha256) {
                continue;
            }
            let name = names.get(&d.staff_id).map(String::as_str).unwrap_or("");
            let j = certificates::job(d, name, year, previous_no.as_deref(), rng);
            previous_no = Some(certificates::certificate_no(d, year));
            seen.insert(e.sha256.clone(), jobs.len());
            jobs.push(j);
        }
    }
    let made = certificates::make_all(jobs, fonts)?;
    let mut by_synthetic: HashMap<String, (String, u64, String, String)> = HashMap::new();
    for (synthetic, i) in &seen {
        let Some(m) = made.get(*i) else { continue };
        let sha = hex(&Sha256::digest(&m.bytes));
        by_synthetic.insert(
            synthetic.clone(),
            (
                sha.clone(),
                m.bytes.len() as u64,
                m.media_type.to_owned(),
                m.file_name.clone(),
            ),
        );
    }
    for m in &made {
        let sha = hex(&Sha256::digest(&m.bytes));
        tx.execute(
            "INSERT OR IGNORE INTO evidence_truth (sha256, declaration_id, format, layout, discrepancy)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![sha, m.job.declaration_id, m.job.format.code(), m.job.layout.code(), m.job.discrepancy.map(|d| d.code())],
        )?;
        files_out.push((sha, m.media_type.to_owned(), m.bytes.clone()));
    }
    for d in decls.iter_mut() {
        for e in &mut d.evidence {
            if let Some((sha, size, media, name)) = by_synthetic.get(&e.sha256) {
                e.sha256 = sha.clone();
                e.size = *size;
                e.media_type = media.clone();
                e.file_name = name.clone();
            }
        }
    }
    Ok(())
}

/// Fills an empty platform database; evidence files (when asked for) are small valid PDFs and
/// PNGs, quick to make.
pub fn seed(conn: &mut Connection, p: &SeedParams) -> anyhow::Result<SeedReport> {
    seed_inner(conn, p, None)
}

/// Fills an empty platform database with realistic certificates as evidence (see
/// `certificates`): slower, for the demo and the reader's measurements.
pub fn seed_with_certificates(
    conn: &mut Connection,
    p: &SeedParams,
    fonts: &Fonts,
) -> anyhow::Result<SeedReport> {
    seed_inner(
        conn,
        &SeedParams {
            evidence: true,
            ..p.clone()
        },
        Some(fonts),
    )
}

fn seed_inner(
    conn: &mut Connection,
    p: &SeedParams,
    fonts: Option<&Fonts>,
) -> anyhow::Result<SeedReport> {
    let mut rng = Rng::new(p.seed);
    let mut report = SeedReport::default();
    let tx = conn.transaction()?;
    // The year under review: approvals are checked under its rule set (see credit_check).
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('review_year', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![p.year.to_string()],
    )?;
    for u in 0..p.units {
        let unit_id = format!("U{:02}", u + 1);
        let unit_name = UNIT_NAMES[u % UNIT_NAMES.len()].to_owned();
        tx.execute(
            "INSERT INTO units (id, name) VALUES (?1, ?2)",
            params![unit_id, unit_name],
        )?;
        let mut input = generate(&SynthParams {
            year: p.year,
            unit_id: unit_id.clone(),
            staff: p.staff_per_unit,
            declarations_per_staff: p.declarations_per_staff,
            seed: p.seed.wrapping_mul(1000).wrapping_add(u as u64),
        });
        for s in &input.staff {
            let seq = next_seq(&tx)?;
            tx.execute(
                "INSERT INTO staff (id, unit_id, doc, seq) VALUES (?1, ?2, ?3, ?4)",
                params![s.id, unit_id, serde_json::to_string(s)?, seq],
            )?;
        }
        let mut made = HashMap::new();
        let mut new_files = Vec::new();
        if let (true, Some(fonts)) = (p.evidence, fonts) {
            let names: HashMap<String, String> = input
                .staff
                .iter()
                .map(|s| (s.id.clone(), s.name.clone()))
                .collect();
            attach_certificates(
                &tx,
                &mut input.declarations,
                &names,
                p.year,
                fonts,
                &mut rng,
                &mut new_files,
            )?;
        }
        for d in &mut input.declarations {
            if p.evidence && fonts.is_none() {
                attach_files(d, &mut made, &mut new_files);
            }
            let seq = next_seq(&tx)?;
            tx.execute(
                "INSERT INTO declarations (id, unit_id, staff_id, version, status, doc, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    d.id,
                    unit_id,
                    d.staff_id,
                    d.version as i64,
                    serde_json::to_value(d.status)?.as_str().unwrap_or_default(),
                    serde_json::to_string(d)?,
                    seq
                ],
            )?;
            for e in &d.evidence {
                tx.execute(
                    "INSERT OR IGNORE INTO evidence_units (sha256, unit_id) VALUES (?1, ?2)",
                    params![e.sha256, unit_id],
                )?;
            }
        }
        for (sha, media, bytes) in &new_files {
            tx.execute(
                "INSERT OR IGNORE INTO evidence (sha256, media_type, data) VALUES (?1, ?2, ?3)",
                params![sha, media, bytes],
            )?;
        }
        let password = format!("jxjy-{:08x}", rng.next_u64() as u32);
        let mut salt = [0u8; 16];
        for b in &mut salt {
            *b = rng.next_u64() as u8;
        }
        let username = format!("reviewer-{}", unit_id.to_lowercase());
        let hash = hash_password(&password, salt).map_err(anyhow::Error::msg)?;
        tx.execute(
            "INSERT INTO users (username, password_hash, unit_id, display_name) VALUES (?1, ?2, ?3, ?4)",
            params![username, hash, unit_id, format!("{unit_name}初审员")],
        )?;
        report.staff += input.staff.len();
        report.declarations += input.declarations.len();
        report.evidence_files += new_files.len();
        report.accounts.push(Account {
            username,
            password,
            unit_id,
            unit_name,
        });
    }
    tx.commit()?;
    Ok(report)
}

/// Whether the seeded data holds every form (checked by tests).
pub fn forms_present(conn: &Connection) -> rusqlite::Result<Vec<Form>> {
    let mut stmt = conn.prepare("SELECT DISTINCT json_extract(doc, '$.form') FROM declarations")?;
    let forms = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .filter_map(|f| f.ok())
        .filter_map(|f| serde_json::from_value(serde_json::Value::String(f)).ok())
        .collect();
    Ok(forms)
}
