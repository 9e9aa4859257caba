//! What a certificate says against what was declared, field by field: agrees, differs or not
//! found. Strict where a mismatch matters (a name is one person: a homophone is another), tolerant
//! where certificates vary (an organizer's short and full names, 同志 after a name, a range
//! printed without its year).

use crate::fields::Fields;
use chrono::{Datelike, NaiveDate};

/// One field's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Agrees,
    Differs,
    NotFound,
}

/// What was declared, as the cross-check needs it.
pub struct Declared<'a> {
    pub holder_name: &'a str,
    pub organizer: &'a str,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// Claimed or certified hours, in hundredths; None when the declaration states none.
    pub hours_centi: Option<i64>,
}

/// The verdict for each field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    pub holder_name: Verdict,
    pub organizer: Verdict,
    pub dates: Verdict,
    pub hours: Verdict,
}

/// The prefixes an organizer's full name carries and its short name leaves out.
const REGION_PREFIXES: [&str; 4] = ["新疆生产建设兵团", "新疆维吾尔自治区", "新疆", "兵团"];

fn name_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '•' | '.' | '・'))
        .collect::<String>()
        .trim_end_matches("同志")
        .to_owned()
}

fn organizer_key(s: &str) -> String {
    let mut k: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '（' | '）' | '“' | '”' | '"'))
        .collect();
    for p in REGION_PREFIXES {
        if let Some(rest) = k.strip_prefix(p) {
            k = rest.to_owned();
        }
    }
    k
}

fn organizers_agree(read: &str, declared: &str) -> bool {
    let (a, b) = (organizer_key(read), organizer_key(declared));
    let shorter = a.chars().count().min(b.chars().count());
    if shorter < 2 {
        return false;
    }
    // One character in five may be misread or dropped (木 read as 术, 团 left out): another
    // organizer differs in far more than that.
    // Numbers are never forgiven: 第七师 is not 第八师.
    let numerals = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_digit() || "〇一二三四五六七八九十百".contains(*c))
            .collect()
    };
    a.contains(&b)
        || b.contains(&a)
        || (numerals(&a) == numerals(&b) && edit_distance(&a, &b) <= (shorter / 5).max(1))
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = if ca == cb {
                prev
            } else {
                1 + prev.min(here).min(row[j])
            };
            prev = here;
        }
    }
    row[b.len()]
}

/// Compares `fields` with `declared`.
pub fn cross_check(fields: &Fields, declared: &Declared<'_>) -> Check {
    let verdict = |found: bool, agrees: bool| match (found, agrees) {
        (false, _) => Verdict::NotFound,
        (true, true) => Verdict::Agrees,
        (true, false) => Verdict::Differs,
    };
    let name = fields.holder_name.as_ref();
    let organizer = fields.organizer.as_ref();
    let year = declared.start_date.year();
    let dates = match (fields.start_date.as_ref(), fields.end_date.as_ref()) {
        (Some(s), Some(e)) => {
            let start_year = s.value.year.unwrap_or(year);
            // A range without its year is read in the declared one.
            let agrees = s.value.on(start_year) == Some(declared.start_date)
                && e.value.on(e.value.year.unwrap_or(start_year)) == Some(declared.end_date);
            verdict(true, agrees)
        }
        _ => Verdict::NotFound,
    };
    let hours = match (fields.hours_centi.as_ref(), declared.hours_centi) {
        (Some(h), Some(d)) => verdict(true, h.value == d),
        (Some(_), None) => Verdict::Agrees,
        (None, _) => Verdict::NotFound,
    };
    Check {
        holder_name: verdict(
            name.is_some(),
            name.is_some_and(|n| name_key(&n.value) == name_key(declared.holder_name)),
        ),
        organizer: verdict(
            organizer.is_some(),
            organizer.is_some_and(|o| organizers_agree(&o.value, declared.organizer)),
        ),
        dates,
        hours,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_fields;
    use Verdict::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    const CERT: &str = "结业证书\n张建国同志：\n于5月10日至12日参加培训，共计24学时。\n兵团专业技术人员继续教育基地";

    #[test]
    fn tolerant_of_forms_strict_on_facts() {
        let declared = |name, organizer, start, end, hours| Declared {
            holder_name: name,
            organizer,
            start_date: start,
            end_date: end,
            hours_centi: hours,
        };
        let f = read_fields(CERT);
        let table = [
            // The full name of the organizer, and a range printed without its year.
            (
                declared(
                    "张建国",
                    "新疆生产建设兵团专业技术人员继续教育基地",
                    ymd(2019, 5, 10),
                    ymd(2019, 5, 12),
                    Some(2400),
                ),
                (Agrees, Agrees, Agrees, Agrees),
            ),
            // Another person — a homophone is another person.
            (
                declared(
                    "张建华",
                    "兵团专业技术人员继续教育基地",
                    ymd(2019, 5, 10),
                    ymd(2019, 5, 12),
                    Some(2400),
                ),
                (Differs, Agrees, Agrees, Agrees),
            ),
            // Shifted dates, other hours, another organizer.
            (
                declared(
                    "张建国",
                    "第一师医学会",
                    ymd(2019, 5, 11),
                    ymd(2019, 5, 13),
                    Some(3200),
                ),
                (Agrees, Differs, Differs, Differs),
            ),
        ];
        for (d, (n, o, dt, h)) in table {
            let c = cross_check(&f, &d);
            assert_eq!(
                (c.holder_name, c.organizer, c.dates, c.hours),
                (n, o, dt, h),
                "{}",
                d.holder_name
            );
        }
    }

    #[test]
    fn nothing_read_is_not_found_not_a_mismatch() {
        let d = Declared {
            holder_name: "张建国",
            organizer: "兵团",
            start_date: ymd(2019, 5, 10),
            end_date: ymd(2019, 5, 12),
            hours_centi: Some(2400),
        };
        let c = cross_check(&read_fields("@@@"), &d);
        assert_eq!(
            (c.holder_name, c.organizer, c.dates, c.hours),
            (NotFound, NotFound, NotFound, NotFound)
        );
    }
}
