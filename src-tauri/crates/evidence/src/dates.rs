//! The date ranges certificates print: 2019年5月10日至5月12日, 2019年5月10日-12日,
//! 2019.05.10-2019.05.12, 2019/5/10-5/12, 二〇一九年五月十日至十二日, and, without a year,
//! 5月10日至12日. The end may leave out what it shares with the start.

use crate::normalize::chinese_number;
use chrono::NaiveDate;
use regex::Regex;
use std::sync::OnceLock;

/// A day as printed: the year may be left out (the declaration's year then stands in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

impl Day {
    /// The date, with `year` where none was printed; None when no such day exists.
    pub fn on(self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year.unwrap_or(year), self.month, self.day)
    }
}

/// A range found in the text, with its span in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: Day,
    pub end: Day,
    pub span: (usize, usize),
}

const NUM: &str = r"[0-9]{1,4}|[〇零一二三四五六七八九十]{1,4}";

/// The two forms as regular expressions (a test checks that both compile).
fn patterns() -> &'static [Regex] {
    static P: OnceLock<Vec<Regex>> = OnceLock::new();
    P.get_or_init(|| {
        let to = r"\s*(?:至|到|-|起至|止于)\s*";
        let cjk = format!(
            r"(?:(?P<y1>{NUM})\s*年\s*)?(?P<m1>{NUM})\s*月\s*(?P<d1>{NUM})\s*[日号]?{to}(?:(?P<y2>{NUM})\s*年\s*)?(?:(?P<m2>{NUM})\s*月\s*)?(?P<d2>{NUM})\s*[日号]"
        );
        let dotted = format!(
            r"(?P<y1>[0-9]{{4}})\s*[./-]\s*(?P<m1>[0-9]{{1,2}})\s*[./-]\s*(?P<d1>[0-9]{{1,2}}){to}(?:(?P<y2>[0-9]{{4}})\s*[./-]\s*)?(?:(?P<m2>[0-9]{{1,2}})\s*[./-]\s*)?(?P<d2>[0-9]{{1,2}})(?:[^0-9]|$)"
        );
        [cjk, dotted]
            .iter()
            .filter_map(|p| Regex::new(p).ok())
            .collect()
    })
}

/// A single day where a course's date stands (after 于, or a 时间 label): a one-day course.
fn single_pattern() -> Option<&'static Regex> {
    static P: OnceLock<Option<Regex>> = OnceLock::new();
    P.get_or_init(|| {
        let p = format!(
            r"(?:于|时间\s*[:：]?|日期\s*[:：])\s*(?:(?:(?P<y1>{NUM})\s*年\s*)?(?P<m1>{NUM})\s*月\s*(?P<d1>{NUM})\s*[日号]|(?P<y2>[0-9]{{4}})\s*[./-]\s*(?P<m2>[0-9]{{1,2}})\s*[./-]\s*(?P<d2>[0-9]{{1,2}}))"
        );
        Regex::new(&p).ok()
    })
    .as_ref()
}

/// The first one-day date in `text` (folded) in a place where a course's date stands, as a
/// range of one day.
pub fn single_day(text: &str) -> Option<Range> {
    let c = single_pattern()?.captures(text)?;
    let (y, m, d) = if c.name("m1").is_some() {
        ("y1", "m1", "d1")
    } else {
        ("y2", "m2", "d2")
    };
    let year = number(c.name(y)).and_then(|v| i32::try_from(v).ok());
    let day = Day {
        year,
        month: number(c.name(m))?,
        day: number(c.name(d))?,
    };
    day.on(year.unwrap_or(2000))?;
    if year.is_some_and(|y| !(1990..=2100).contains(&y)) {
        return None;
    }
    let first = c.name(m).and_then(|_| c.name(y).or(c.name(m)))?;
    let last = c.name(d)?;
    let mut stop = last.end();
    if let Some(ch) = text[stop..]
        .chars()
        .next()
        .filter(|ch| matches!(ch, '日' | '号'))
    {
        stop += ch.len_utf8();
    }
    Some(Range {
        start: day,
        end: day,
        span: (char_index(text, first.start()), char_index(text, stop)),
    })
}

fn number(s: Option<regex::Match<'_>>) -> Option<u32> {
    let s = s?.as_str();
    s.parse::<u32>().ok().or_else(|| chinese_number(s))
}

fn char_index(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

/// Every date range in `text` (already folded), in order, checked: real days, the end not
/// before the start, at most a year apart.
pub fn ranges(text: &str) -> Vec<Range> {
    let mut found: Vec<(usize, Range)> = Vec::new();
    for re in patterns() {
        for c in re.captures_iter(text) {
            let Some(whole) = c.get(0) else { continue };
            let year = |name: &str| number(c.name(name)).and_then(|y| i32::try_from(y).ok());
            let (Some(m1), Some(d1), Some(d2)) = (
                number(c.name("m1")),
                number(c.name("d1")),
                number(c.name("d2")),
            ) else {
                continue;
            };
            let y1 = year("y1");
            let start = Day {
                year: y1,
                month: m1,
                day: d1,
            };
            let end = Day {
                year: year("y2").or(y1),
                month: number(c.name("m2")).unwrap_or(m1),
                day: d2,
            };
            let probe = y1.unwrap_or(2000);
            let (Some(a), Some(b)) = (start.on(probe), end.on(probe)) else {
                continue;
            };
            if b < a || (b - a).num_days() > 366 || y1.is_some_and(|y| !(1990..=2100).contains(&y))
            {
                continue;
            }
            let mut stop = whole.end();
            // The dotted form reads one character past the last day; give it back.
            if let Some(last) = text[..stop].chars().last() {
                if !last.is_ascii_digit() && !matches!(last, '日' | '号') {
                    stop -= last.len_utf8();
                }
            }
            found.push((
                whole.start(),
                Range {
                    start,
                    end,
                    span: (char_index(text, whole.start()), char_index(text, stop)),
                },
            ));
        }
    }
    found.sort_by_key(|(at, _)| *at);
    found.dedup_by(|b, a| b.1.span.0 < a.1.span.1);
    found.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::fold;

    fn day(year: Option<i32>, month: u32, day: u32) -> Day {
        Day { year, month, day }
    }

    #[test]
    fn both_patterns_compile() {
        assert_eq!(patterns().len(), 2);
    }

    #[test]
    fn the_forms_certificates_use() {
        let y = Some(2019);
        let table = [
            ("于2019年5月10日至5月12日参加", day(y, 5, 10), day(y, 5, 12)),
            ("2019年5月10日至12日", day(y, 5, 10), day(y, 5, 12)),
            ("2019年5月10日-2019年5月12日", day(y, 5, 10), day(y, 5, 12)),
            ("2019.05.10—2019.05.12", day(y, 5, 10), day(y, 5, 12)),
            ("2019.05.10-05.12", day(y, 5, 10), day(y, 5, 12)),
            ("2019/5/10～5/12", day(y, 5, 10), day(y, 5, 12)),
            ("2019-05-10至2019-05-12", day(y, 5, 10), day(y, 5, 12)),
            ("二〇一九年五月十日至十二日", day(y, 5, 10), day(y, 5, 12)),
            (
                "二〇一九年十一月二十八日至十二月一日",
                day(y, 11, 28),
                day(y, 12, 1),
            ),
            (
                "２０１９年５月１０日至５月１２日",
                day(y, 5, 10),
                day(y, 5, 12),
            ),
            (
                "培训时间：5月10日至12日",
                day(None, 5, 10),
                day(None, 5, 12),
            ),
            (
                "2019年12月30日至2020年1月2日",
                day(y, 12, 30),
                day(Some(2020), 1, 2),
            ),
        ];
        for (text, start, end) in table {
            let found = ranges(&fold(text));
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!((found[0].start, found[0].end), (start, end), "{text}");
        }
    }

    #[test]
    fn what_is_not_a_range_is_left_alone() {
        for text in [
            "2019年6月1日",              // an issue date alone
            "2019年5月12日至5月10日",    // the end before the start
            "2019年2月30日至3月1日",     // no such day
            "电话：0997-2123456-8",      // digits and dashes
            "证书编号：2019-05-10-2019", // a number that looks like dates
        ] {
            assert_eq!(ranges(&fold(text)), vec![], "{text}");
        }
    }

    #[test]
    fn the_span_covers_the_range_in_characters() {
        let text = fold("兹证明张三同志于2019年5月10日至12日参加培训");
        let r = ranges(&text)[0];
        let covered: String = text
            .chars()
            .skip(r.span.0)
            .take(r.span.1 - r.span.0)
            .collect();
        assert_eq!(covered, "2019年5月10日至12日");
    }
}
