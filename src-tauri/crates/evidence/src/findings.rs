//! From a cross-check to the reviewer's flags, each with a detail that quotes what was read
//! (a hint, never a decision), and the certificate numbers found on more than one declaration.

use crate::crosscheck::{cross_check, Check, Declared, Verdict};
use crate::dates::Day;
use crate::fields::Fields;
use jxjy_core::flags::Flag;
use std::collections::{BTreeMap, BTreeSet};

/// One flag raised by reading, with what was read (in Chinese, for the detail pane).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub flag: Flag,
    pub detail: String,
}

fn day(d: &Day) -> String {
    match d.year {
        Some(y) => format!("{y}年{}月{}日", d.month, d.day),
        None => format!("{}月{}日", d.month, d.day),
    }
}

fn hours(centi: i64) -> String {
    if centi % 100 == 0 {
        format!("{}学时", centi / 100)
    } else {
        format!("{:.2}学时", centi as f64 / 100.0)
    }
}

/// The flags one file's fields raise against the declaration: one per field that differs, or
/// `evidence_unreadable` when no field at all was found.
pub fn findings(fields: &Fields, declared: &Declared<'_>) -> (Check, Vec<Finding>) {
    let check = cross_check(fields, declared);
    let mut out = Vec::new();
    let nothing = [check.holder_name, check.organizer, check.dates, check.hours]
        .iter()
        .all(|v| *v == Verdict::NotFound)
        && fields.certificate_no.is_none();
    if nothing {
        out.push(Finding {
            flag: Flag::EvidenceUnreadable,
            detail: "未读出姓名、日期、学时或发证单位".into(),
        });
        return (check, out);
    }
    if check.holder_name == Verdict::Differs {
        if let Some(n) = &fields.holder_name {
            out.push(Finding {
                flag: Flag::EvidenceNameMismatch,
                detail: format!(
                    "证书上的姓名：{}；申报人：{}",
                    n.value, declared.holder_name
                ),
            });
        }
    }
    if check.dates == Verdict::Differs {
        if let (Some(s), Some(e)) = (&fields.start_date, &fields.end_date) {
            out.push(Finding {
                flag: Flag::EvidenceDatesMismatch,
                detail: format!(
                    "证书上的日期：{}至{}；申报：{}至{}",
                    day(&s.value),
                    day(&e.value),
                    declared.start_date.format("%Y年%-m月%-d日"),
                    declared.end_date.format("%Y年%-m月%-d日")
                ),
            });
        }
    }
    if check.hours == Verdict::Differs {
        if let (Some(h), Some(d)) = (&fields.hours_centi, declared.hours_centi) {
            out.push(Finding {
                flag: Flag::EvidenceHoursMismatch,
                detail: format!("证书上的学时：{}；申报：{}", hours(h.value), hours(d)),
            });
        }
    }
    if check.organizer == Verdict::Differs {
        if let Some(o) = &fields.organizer {
            out.push(Finding {
                flag: Flag::EvidenceOrganizerMismatch,
                detail: format!(
                    "证书上的发证单位：{}；申报的主办单位：{}",
                    o.value, declared.organizer
                ),
            });
        }
    }
    (check, out)
}

/// A certificate number as compared: case, spaces, separators and the brackets' width do not
/// count (OCR drops a dash as often as it reads one).
pub fn certificate_key(no: &str) -> String {
    crate::normalize::fold(no)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The declarations whose certificate number is also read on another declaration, each with the
/// other declarations' ids. `numbers` holds (declaration id, number read) for every file read.
pub fn duplicate_certificate_numbers<'a>(
    numbers: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut by_key: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for (decl, no) in numbers {
        let key = certificate_key(no);
        if key.chars().count() >= 4 {
            by_key.entry(key).or_default().insert(decl);
        }
    }
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for decls in by_key.values().filter(|d| d.len() > 1) {
        for d in decls {
            let others = decls.iter().filter(|o| *o != d).map(|o| o.to_string());
            out.entry(d.to_string()).or_default().extend(others);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_fields;
    use chrono::NaiveDate;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn declared<'a>(name: &'a str, hours: i64) -> Declared<'a> {
        Declared {
            holder_name: name,
            organizer: "兵团专业技术人员继续教育基地",
            start_date: ymd(2019, 5, 10),
            end_date: ymd(2019, 5, 12),
            hours_centi: Some(hours),
        }
    }

    const CERT: &str = "结业证书\n兹证明 张建国 同志于2019年5月10日至5月12日参加培训，共计24学时。\n证书编号：BT2019-0001\n新疆生产建设兵团专业技术人员继续教育基地";

    #[test]
    fn each_differing_field_raises_its_flag_quoting_what_was_read() {
        let f = read_fields(CERT);
        let flags = |d: Declared<'_>| {
            findings(&f, &d)
                .1
                .into_iter()
                .map(|x| x.flag)
                .collect::<Vec<_>>()
        };
        assert_eq!(flags(declared("张建国", 2400)), vec![]);
        assert_eq!(
            flags(declared("张建军", 2400)),
            vec![Flag::EvidenceNameMismatch]
        );
        assert_eq!(
            flags(declared("张建国", 3200)),
            vec![Flag::EvidenceHoursMismatch]
        );
        let mut shifted = declared("张建国", 2400);
        shifted.end_date = ymd(2019, 5, 13);
        assert_eq!(flags(shifted), vec![Flag::EvidenceDatesMismatch]);
        let mut other = declared("张建国", 2400);
        other.organizer = "兵团卫生健康委员会";
        assert_eq!(flags(other), vec![Flag::EvidenceOrganizerMismatch]);
        let (_, found) = findings(&f, &declared("张建军", 2400));
        assert!(found[0].detail.contains("张建国"), "{}", found[0].detail);
    }

    #[test]
    fn nothing_read_is_unreadable() {
        let f = read_fields("模糊 不清 ……");
        let (_, found) = findings(&f, &declared("张建国", 2400));
        assert_eq!(
            found.iter().map(|x| x.flag).collect::<Vec<_>>(),
            vec![Flag::EvidenceUnreadable]
        );
    }

    #[test]
    fn a_number_on_two_declarations_flags_both_but_not_two_files_of_one() {
        let dup = duplicate_certificate_numbers([
            ("D1", "BT-2019-0001"),
            ("D1", "bt-2019-0001"),
            ("D2", "ＢＴ-2019-0001 "),
            ("D3", "BT-2019-0002"),
        ]);
        assert_eq!(dup.keys().collect::<Vec<_>>(), vec!["D1", "D2"]);
        assert!(dup["D1"].contains("D2"));
        let one = duplicate_certificate_numbers([("D1", "BT-2019-0001"), ("D1", "BT-2019-0001")]);
        assert!(one.is_empty());
    }
}
