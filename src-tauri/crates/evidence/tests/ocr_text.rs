//! Text as OCR really gives it: lines broken inside dates and hours, a dash read as 一, an O
//! among Chinese numerals, one-day courses, an organizer with a misread character.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use jxjy_evidence::crosscheck::{cross_check, Declared, Verdict};
use jxjy_evidence::read_fields;

type MonthDay = Option<(u32, u32)>;

fn md(f: &jxjy_evidence::Fields) -> (MonthDay, MonthDay) {
    (
        f.start_date.as_ref().map(|d| (d.value.month, d.value.day)),
        f.end_date.as_ref().map(|d| (d.value.month, d.value.day)),
    )
}

#[test]
fn dates_and_hours_broken_across_lines_are_read() {
    let table = [
        (
            "兹证明黄静同志于2019/5/29-20\n19/6/2在基层单位服务",
            Some((5, 29)),
            Some((6, 2)),
            None,
        ),
        (
            "兹证明马晓东同志于2019年5月15日一\n18日参加培训，共计28学\n时",
            Some((5, 15)),
            Some((5, 18)),
            Some(2800),
        ),
        (
            "兹有热依拉·阿不都同志于二O一九年八月七\n日至八月十一日参加会议，合计40学时",
            Some((8, 7)),
            Some((8, 11)),
            Some(4000),
        ),
        (
            "于2019年8月5\n日至2019年8月7日参加",
            Some((8, 5)),
            Some((8, 7)),
            None,
        ),
    ];
    for (text, start, end, hours) in table {
        let f = read_fields(text);
        assert_eq!(md(&f), (start, end), "{text}");
        assert_eq!(f.hours_centi.map(|h| h.value), hours, "{text}");
    }
}

#[test]
fn a_one_day_course_is_its_date_but_an_issue_date_alone_is_not() {
    let f = read_fields("兹证明杨红梅同志于2019.09.21参加培训，共4学时\n二〇一九年九月二十一日");
    assert_eq!(md(&f), (Some((9, 21)), Some((9, 21))));
    let f = read_fields("姓名：郭玉兰\n培训时间：2019.06.14\n获得学时：共8学时");
    assert_eq!(md(&f), (Some((6, 14)), Some((6, 14))));
    let f = read_fields("结业证书\n兵团专业技术人员继续教育基地\n2019年6月21日");
    assert_eq!(md(&f), (None, None));
}

#[test]
fn the_span_of_a_broken_range_points_at_the_original_characters() {
    let text = "兹证明黄静同志于2019/5/29-20\n19/6/2在基层";
    let f = read_fields(text);
    let span = f.start_date.map(|d| d.span).unwrap_or_default();
    let covered: String = text.chars().skip(span.0).take(span.1 - span.0).collect();
    assert_eq!(covered, "2019/5/29-20\n19/6/2");
}

#[test]
fn an_organizer_misread_by_a_character_agrees_another_division_does_not() {
    let d = |organizer| Declared {
        holder_name: "王桂芳",
        organizer,
        start_date: NaiveDate::from_ymd_opt(2019, 10, 22).unwrap_or_default(),
        end_date: NaiveDate::from_ymd_opt(2019, 10, 22).unwrap_or_default(),
        hours_centi: Some(400),
    };
    let table = [
        (
            "考试合格证书\n塔里术大学继续教育学院",
            "塔里木大学继续教育学院",
            Verdict::Agrees,
        ),
        (
            "参会证明\n兵卫生健康委员会",
            "兵团卫生健康委员会",
            Verdict::Agrees,
        ),
        (
            "证明\n第七师人力资源和社会保障局",
            "第八师人力资源和社会保障局",
            Verdict::Differs,
        ),
        (
            "证明\n中华医学会新疆分会",
            "新疆农垦科学院",
            Verdict::Differs,
        ),
    ];
    for (text, declared, want) in table {
        let f = read_fields(text);
        assert_eq!(
            cross_check(&f, &d(declared)).organizer,
            want,
            "{text} vs {declared}"
        );
    }
}

/// A seal stamped over the issuing body's line splits it into two OCR boxes (read with a space
/// between them), as letter-spacing does: the name is still the organizer, without the spaces.
#[test]
fn an_organizer_line_split_by_a_seal_is_still_read() {
    let text = "培训合格证书\n唐红梅同志：\n于2017年3月15日至3月17日参加学习，合计18学时，考核合格，特发此证\n兵团公共就业和 人才服务局\n2017年3月30日\n证书编号：BT201906-707493";
    let f = read_fields(text);
    assert_eq!(
        f.organizer.as_ref().unwrap().value,
        "兵团公共就业和人才服务局"
    );
    let spaced =
        read_fields("结业证书\n张伟同志：\n完成培训\n兵 团 卫 生 健 康 委 员 会\n2019年6月1日");
    assert_eq!(spaced.organizer.unwrap().value, "兵团卫生健康委员会");
    // A sentence is not a name: no suffix of an issuing body at its end.
    let none = read_fields("结业证书\n张伟同志：\n考核合格 特发此证");
    assert!(none.organizer.is_none());
}
