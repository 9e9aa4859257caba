//! The fields of a certificate found in its text: who holds it, who issued it, when, how many
//! hours (or days), and its number — each with the span of characters it was read from.

use crate::dates::{ranges, single_day, Day};
use crate::normalize::{chinese_number, fold, undo_ocr_slips, without_breaks};
use regex::Regex;
use std::sync::OnceLock;

/// A value and the characters `(start, end)` of the folded text it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<T> {
    pub value: T,
    pub span: (usize, usize),
}

impl<T> Found<T> {
    /// The same value with its span moved by `back` (from a derived text to the original).
    fn respan(self, back: &impl Fn((usize, usize)) -> (usize, usize)) -> Found<T> {
        Found {
            span: back(self.span),
            value: self.value,
        }
    }
}

/// What was read; a field is None when nothing fit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    pub holder_name: Option<Found<String>>,
    pub organizer: Option<Found<String>>,
    pub start_date: Option<Found<Day>>,
    pub end_date: Option<Found<Day>>,
    /// In hundredths of an hour (共计24学时 → 2400).
    pub hours_centi: Option<Found<i64>>,
    pub days: Option<Found<u32>>,
    pub certificate_no: Option<Found<String>>,
}

struct Patterns {
    name_label: Regex,
    name_before_title: Regex,
    name_after_verb: Regex,
    hours: Regex,
    days: Regex,
    number: Regex,
    organizer_label: Regex,
    organizer_by: Regex,
    organizer_line: Regex,
}

fn patterns() -> Option<&'static Patterns> {
    static P: OnceLock<Option<Patterns>> = OnceLock::new();
    P.get_or_init(|| {
        const NAME: &str = r"[\p{Han}·•]{2,12}";
        let re = |p: &str| Regex::new(p).ok();
        Some(Patterns {
            name_label: re(&format!(r"(?:姓\s*名|持证人|学员)\s*[:：]?\s*(?P<v>{NAME}?)(?:\s|$|[,，(（]|性别|身份证|工作单位|单位)"))?,
            name_before_title: re(&format!(r"(?m)(?:^|[ \t,，:：])(?P<v>{NAME}?)[ \t]*(?:同志|先生|女士|学员)"))?,
            name_after_verb: re(&format!(r"(?:兹证明|兹有|证明)[ \t:：]*(?P<v>{NAME}?)[ \t]*(?:同志|先生|女士|[,，]|于|在|参加|已|同学|\(|（|身份证|，)"))?,
            hours: re(r"(?P<lead>共计|合计|总计|累计|计|共|获得|授予|折合)?\s*(?P<v>[0-9]+(?:\.[0-9]{1,2})?|[一二三四五六七八九十]{1,3})\s*(?:个)?\s*(?:学时|课时)")?,
            days: re(r"(?:共|为期|计)\s*(?P<v>[0-9]{1,3}|[一二三四五六七八九十]{1,3})\s*天")?,
            number: re(r"(?i:证书编号|证书号|证号|编号|no\.?|№)\s*[:：]?\s*(?P<v>[A-Za-z0-9][A-Za-z0-9\-_/()（）〔〕\[\]]{3,40})")?,
            organizer_label: re(r"(?:发证单位|主办单位|颁发单位|培训单位|发证机关|签发单位|主办方|举办单位|培训机构)\s*[:：]?\s*(?P<v>[\p{Han}（）()A-Za-z0-9]{4,40})")?,
            organizer_by: re(r"由\s*(?P<v>[\p{Han}（）()]{4,40}?)\s*(?:主办|举办|组织|承办)")?,
            organizer_line: re(r"^\s*(?P<v>\p{Han}[\p{Han}（）() ]{3,50}?(?:中心|学会|协会|学院|大学|委员会|局|厅|办公室|基地|研究院|研究所|医院|公司|集团|部|处|站|学校|院|会))\s*(?:\(盖章\)|（盖章）|盖章)?\s*$")?,
        })
    })
    .as_ref()
}

fn char_span(text: &str, m: regex::Match<'_>) -> (usize, usize) {
    let start = text[..m.start()].chars().count();
    (start, start + m.as_str().chars().count())
}

fn found<T>(text: &str, m: regex::Match<'_>, value: T) -> Found<T> {
    Found {
        value,
        span: char_span(text, m),
    }
}

/// Words a name pattern can catch that are no name.
const NOT_A_NAME: [&str; 12] = [
    "参加",
    "培训",
    "学习",
    "证明",
    "证书",
    "本人",
    "该同志",
    "特此",
    "合格",
    "结业",
    "学员",
    "以上",
];

fn plausible_name(s: &str) -> bool {
    let n = s.chars().count();
    (2..=12).contains(&n) && !NOT_A_NAME.iter().any(|w| s.contains(w))
}

fn holder(p: &Patterns, text: &str) -> Option<Found<String>> {
    for re in [&p.name_label, &p.name_after_verb, &p.name_before_title] {
        for c in re.captures_iter(text) {
            let Some(m) = c.name("v") else { continue };
            let name = m.as_str().trim_end_matches(['·', '•']);
            if plausible_name(name) {
                return Some(found(text, m, name.to_owned()));
            }
        }
    }
    None
}

fn hours(p: &Patterns, text: &str) -> Option<Found<i64>> {
    let mut best: Option<(bool, Found<i64>)> = None;
    for c in p.hours.captures_iter(text) {
        let Some(m) = c.name("v") else { continue };
        let centi = match m.as_str().parse::<f64>() {
            Ok(h) if h.is_finite() && h <= 10_000.0 => (h * 100.0).round() as i64,
            Ok(_) => continue,
            Err(_) => match chinese_number(m.as_str()) {
                Some(h) => i64::from(h) * 100,
                None => continue,
            },
        };
        let total = c
            .name("lead")
            .is_some_and(|l| matches!(l.as_str(), "共计" | "合计" | "总计" | "累计"));
        let this = found(text, m, centi);
        // A total (共计…) wins; else the largest figure (a per-day figure is smaller).
        best = match best {
            None => Some((total, this)),
            Some((bt, b)) if (total && !bt) || (total == bt && this.value > b.value) => {
                Some((total, this))
            }
            keep => keep,
        };
    }
    best.map(|(_, f)| f)
}

fn days(p: &Patterns, text: &str) -> Option<Found<u32>> {
    p.days.captures_iter(text).find_map(|c| {
        let m = c.name("v")?;
        let n = m
            .as_str()
            .parse::<u32>()
            .ok()
            .or_else(|| chinese_number(m.as_str()))?;
        Some(found(text, m, n))
    })
}

fn certificate_no(p: &Patterns, text: &str) -> Option<Found<String>> {
    p.number.captures_iter(text).find_map(|c| {
        // 身份证号 is an ID number, never the certificate's.
        if text[..c.get(0)?.start()].ends_with("身份") {
            return None;
        }
        let m = c.name("v")?;
        let v = m.as_str().trim_end_matches(['-', '_', '/']);
        // A number has digits; a word after "No" is not one.
        v.chars()
            .any(|ch| ch.is_ascii_digit())
            .then(|| found(text, m, v.to_owned()))
    })
}

fn organizer(p: &Patterns, text: &str) -> Option<Found<String>> {
    let labelled = [&p.organizer_label, &p.organizer_by]
        .into_iter()
        .find_map(|re| {
            let c = re.captures(text)?;
            let m = c.name("v")?;
            Some(found(text, m, m.as_str().to_owned()))
        });
    if labelled.is_some() {
        return labelled;
    }
    // The issuing body's line, at the foot of the certificate: the last line that is one name.
    let mut offset = 0;
    let mut last = None;
    for line in text.split_inclusive('\n') {
        if let Some(c) = p
            .organizer_line
            .captures(line.trim_end_matches(['\n', '\r']))
        {
            if let Some(m) = c.name("v") {
                let start = offset + line[..m.start()].chars().count();
                // A seal or letter-spacing splits the name into boxes: 兵团公共就业和 人才服务局.
                let value: String = m.as_str().chars().filter(|c| *c != ' ').collect();
                if !value.contains("证书") && !value.contains("证明") {
                    last = Some(Found {
                        span: (start, start + m.as_str().chars().count()),
                        value,
                    });
                }
            }
        }
        offset += line.chars().count();
    }
    last
}

/// Reads the fields of a certificate from its text (any extractor's: it is folded first).
pub fn read_fields(text: &str) -> Fields {
    let text = fold(text);
    let Some(p) = patterns() else {
        return Fields::default();
    };
    let text = undo_ocr_slips(&text);
    // Dates, hours and numbers are read on the text without line breaks (OCR breaks lines
    // inside them); their spans are mapped back to the text's characters.
    let (joined, map) = without_breaks(&text);
    let joined = undo_ocr_slips(&joined);
    let back = |span: (usize, usize)| -> (usize, usize) {
        let start = map.get(span.0).copied().unwrap_or(span.0);
        let end = span
            .1
            .checked_sub(1)
            .and_then(|i| map.get(i))
            .map(|i| i + 1)
            .unwrap_or(start);
        (start, end.max(start))
    };
    let range = ranges(&joined)
        .into_iter()
        .next()
        .or_else(|| single_day(&joined));
    Fields {
        holder_name: holder(p, &text).or_else(|| holder(p, &joined).map(|f| f.respan(&back))),
        organizer: organizer(p, &text),
        start_date: range.map(|r| Found {
            value: r.start,
            span: back(r.span),
        }),
        end_date: range.map(|r| Found {
            value: r.end,
            span: back(r.span),
        }),
        hours_centi: hours(p, &joined).map(|f| f.respan(&back)),
        days: days(p, &joined).map(|f| f.respan(&back)),
        certificate_no: certificate_no(p, &joined).map(|f| f.respan(&back)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (holder, organizer, start (month, day), end, hours in hundredths, number)
    type Seen<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        Option<(u32, u32)>,
        Option<(u32, u32)>,
        Option<i64>,
        Option<&'a str>,
    );

    fn values(f: &Fields) -> Seen<'_> {
        (
            f.holder_name.as_ref().map(|x| x.value.as_str()),
            f.organizer.as_ref().map(|x| x.value.as_str()),
            f.start_date.as_ref().map(|x| (x.value.month, x.value.day)),
            f.end_date.as_ref().map(|x| (x.value.month, x.value.day)),
            f.hours_centi.as_ref().map(|x| x.value),
            f.certificate_no.as_ref().map(|x| x.value.as_str()),
        )
    }

    #[test]
    fn the_patterns_compile() {
        assert!(patterns().is_some());
    }

    /// Layouts of the certificates the notice names (基地培训班结业证书, 培训合格证书, 学术会议参会证明,
    /// 学时证明), as their text comes out of a PDF text layer or OCR.
    #[test]
    fn the_fields_of_common_layouts() {
        let table = [
            (
                "结业证书\n证书编号：BT2019-0512-037\n张建国同志：\n于2019年5月10日至5月12日参加兵团专业技术人员继续教育基地举办的“现代农业技术”培训班，共计24学时，经考核合格，准予结业。\n兵团专业技术人员继续教育基地\n2019年5月20日",
                (Some("张建国"), Some("兵团专业技术人员继续教育基地"), Some((5, 10)), Some((5, 12)), Some(2400), Some("BT2019-0512-037")),
            ),
            (
                "培训合格证书\n姓名：李梅 性别：女\n培训时间：2019.06.03—2019.06.07\n培训内容：护理质量管理\n学时：40学时\n发证单位：第一师医学会\nNo.20190603118",
                (Some("李梅"), Some("第一师医学会"), Some((6, 3)), Some((6, 7)), Some(4000), Some("20190603118")),
            ),
            (
                "参会证明\n兹证明 阿依古丽·买买提 同志于二〇一九年九月十六日至十八日参加由新疆维吾尔自治区医学会主办的全国学术会议，并宣读论文。\n编号：XJYX-2019-0916-22",
                (Some("阿依古丽·买买提"), Some("新疆维吾尔自治区医学会"), Some((9, 16)), Some((9, 18)), None, Some("XJYX-2019-0916-22")),
            ),
            (
                "学时证明\n兹有王磊（身份证号：6590********1234）参加2019年兵团公需科目培训，每天6学时，共计18学时。\n特此证明\n第八师石河子市人力资源和社会保障局\n2019年10月8日",
                (Some("王磊"), Some("第八师石河子市人力资源和社会保障局"), None, None, Some(1800), None),
            ),
        ];
        for (text, want) in table {
            let f = read_fields(text);
            assert_eq!(values(&f), want, "{text}");
        }
    }

    #[test]
    fn spans_point_at_what_was_read() {
        let text = "结业证书\n张建国同志：参加培训，共计２４学时。\n兵团专业技术人员继续教育基地";
        let folded = fold(text);
        let f = read_fields(text);
        let at = |span: (usize, usize)| -> String {
            folded.chars().skip(span.0).take(span.1 - span.0).collect()
        };
        assert_eq!(at(f.holder_name.unwrap().span), "张建国");
        assert_eq!(at(f.hours_centi.unwrap().span), "24");
        assert_eq!(
            at(f.organizer.unwrap().span),
            "兵团专业技术人员继续教育基地"
        );
    }

    #[test]
    fn nothing_readable_reads_nothing() {
        assert_eq!(read_fields(""), Fields::default());
        assert_eq!(read_fields("@@@ ### 0101"), Fields::default());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text (OCR gives anything): no panic, and every span lies inside the folded text.
        #[test]
        fn any_text_reads_without_panic_and_spans_stay_inside(
            text in "(\\PC|[0-9年月日至学时编号：同志\\n.\\-])*"
        ) {
            let f = read_fields(&text);
            let len = fold(&text).chars().count();
            let spans = [
                f.holder_name.map(|x| x.span),
                f.organizer.map(|x| x.span),
                f.start_date.map(|x| x.span),
                f.hours_centi.map(|x| x.span),
                f.days.map(|x| x.span),
                f.certificate_no.map(|x| x.span),
            ];
            for (a, b) in spans.into_iter().flatten() {
                prop_assert!(a <= b && b <= len, "{a}..{b} of {len}");
            }
        }
    }
}
