//! What a certificate shows and where: the layouts real issuers use (基地培训班结业证书,
//! 培训合格证书, 学术会议参会证明, 学时证明, 考试合格证书, 服务证明), their wording and date
//! forms varied, as a list of items on a page at 150 dpi.

use crate::fonts::FontKind;
use chrono::{Datelike, NaiveDate};
use jxjy_core::synth::Rng;

/// The facts a certificate is made from.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub holder_name: String,
    pub organizer: String,
    pub title: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// In hundredths; None prints no hours (days, or nothing).
    pub hours_centi: Option<i64>,
    pub days: Option<u32>,
    pub certificate_no: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layout {
    BaseTraining,
    Qualified,
    Conference,
    HoursProof,
    Exam,
    Service,
}

impl Layout {
    pub const ALL: [Layout; 6] = [
        Layout::BaseTraining,
        Layout::Qualified,
        Layout::Conference,
        Layout::HoursProof,
        Layout::Exam,
        Layout::Service,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Layout::BaseTraining => "base_training",
            Layout::Qualified => "qualified",
            Layout::Conference => "conference",
            Layout::HoursProof => "hours_proof",
            Layout::Exam => "exam",
            Layout::Service => "service",
        }
    }
}

/// One thing drawn on the page; positions in pixels from the top left at 150 dpi.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text {
        x: f32,
        y: f32,
        size: f32,
        font: FontKind,
        text: String,
        rgb: [u8; 3],
    },
    /// A red round seal: the issuer's name around the rim, a star in the middle.
    Seal {
        cx: f32,
        cy: f32,
        r: f32,
        text: String,
    },
    Qr {
        x: f32,
        y: f32,
        size: f32,
        payload: String,
    },
    /// A frame around the page (two lines), in the colour given.
    Frame { inset: f32, rgb: [u8; 3] },
}

pub struct Page {
    pub width: u32,
    pub height: u32,
    pub items: Vec<Item>,
}

fn cn_digit(d: u32) -> char {
    ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'][d as usize % 10]
}

fn cn_year(y: i32) -> String {
    y.to_string()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .map(cn_digit)
        .collect()
}

fn cn_small(n: u32) -> String {
    match n {
        0..=10 => [
            "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
        ][n as usize]
            .to_string(),
        11..=19 => format!("十{}", cn_digit(n - 10)),
        _ if n.is_multiple_of(10) => format!("{}十", cn_digit(n / 10)),
        _ => format!("{}十{}", cn_digit(n / 10), cn_digit(n % 10)),
    }
}

/// The range in one of the forms certificates print.
pub fn date_range(s: NaiveDate, e: NaiveDate, rng: &mut Rng) -> String {
    let same_month = s.month() == e.month() && s.year() == e.year();
    let form = rng.below(7);
    if s == e {
        return match form % 3 {
            0 => format!("{}年{}月{}日", s.year(), s.month(), s.day()),
            1 => format!("{}.{:02}.{:02}", s.year(), s.month(), s.day()),
            _ => format!(
                "{}年{}月{}日",
                cn_year(s.year()),
                cn_small(s.month()),
                cn_small(s.day())
            ),
        };
    }
    match form {
        0 => format!(
            "{}年{}月{}日至{}月{}日",
            s.year(),
            s.month(),
            s.day(),
            e.month(),
            e.day()
        ),
        1 => format!(
            "{}.{:02}.{:02}—{}.{:02}.{:02}",
            s.year(),
            s.month(),
            s.day(),
            e.year(),
            e.month(),
            e.day()
        ),
        2 if same_month => format!("{}年{}月{}日—{}日", s.year(), s.month(), s.day(), e.day()),
        3 => format!(
            "{}/{}/{}-{}/{}/{}",
            s.year(),
            s.month(),
            s.day(),
            e.year(),
            e.month(),
            e.day()
        ),
        4 => format!(
            "{}年{}月{}日至{}月{}日",
            cn_year(s.year()),
            cn_small(s.month()),
            cn_small(s.day()),
            cn_small(e.month()),
            cn_small(e.day())
        ),
        _ => format!(
            "{}年{}月{}日至{}年{}月{}日",
            s.year(),
            s.month(),
            s.day(),
            e.year(),
            e.month(),
            e.day()
        ),
    }
}

fn hours_text(centi: i64, rng: &mut Rng) -> String {
    let h = if centi % 100 == 0 {
        (centi / 100).to_string()
    } else {
        format!("{:.1}", centi as f64 / 100.0)
    };
    match rng.below(4) {
        0 => format!("共计{h}学时"),
        1 => format!("计{h}学时"),
        2 => format!("合计{h}学时"),
        _ => format!("共{h}学时"),
    }
}

/// Splits body text into lines of at most `per_line` characters.
fn wrap(text: &str, per_line: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(per_line.max(1))
        .map(|c| c.iter().collect())
        .collect()
}

/// The page for `facts` in `layout`, wording and date forms drawn from `rng`.
pub fn page(facts: &Facts, layout: Layout, rng: &mut Rng) -> Page {
    let landscape = matches!(layout, Layout::BaseTraining | Layout::Exam) && rng.chance(60);
    let (w, h) = if landscape {
        (1754u32, 1240u32)
    } else {
        (1240u32, 1754u32)
    };
    let (wf, hf) = (w as f32, h as f32);
    let mut items = Vec::new();
    let ink = [24, 24, 28];
    let frame_rgb = *rng.pick(&[[176, 32, 32], [168, 128, 48], [40, 70, 140]]);
    if layout != Layout::HoursProof && layout != Layout::Service {
        items.push(Item::Frame {
            inset: 50.0,
            rgb: frame_rgb,
        });
    }
    let title = match layout {
        Layout::BaseTraining => *rng.pick(&["结业证书", "培训结业证书"]),
        Layout::Qualified => *rng.pick(&["培训合格证书", "合格证书"]),
        Layout::Conference => *rng.pick(&["参会证明", "学术会议参会证明"]),
        Layout::HoursProof => *rng.pick(&["继续教育学时证明", "学时证明"]),
        Layout::Exam => *rng.pick(&["考试合格证书", "考核合格证明"]),
        Layout::Service => "服务证明",
    };
    let title_size = if landscape { 96.0 } else { 84.0 };
    let title_w = title.chars().count() as f32 * title_size;
    items.push(Item::Text {
        x: (wf - title_w) / 2.0,
        y: hf * 0.12,
        size: title_size,
        font: FontKind::Hei,
        text: title.into(),
        rgb: [150, 20, 20],
    });
    let range = date_range(facts.start_date, facts.end_date, rng);
    let hours = facts.hours_centi.map(|c| hours_text(c, rng));
    let days = facts.days.map(|d| format!("为期{d}天"));
    let amount = match (&hours, &days) {
        (Some(h), Some(d)) if rng.chance(40) => format!("{d}，{h}"),
        (Some(h), _) => h.clone(),
        (None, Some(d)) => d.clone(),
        (None, None) => String::new(),
    };
    let name = &facts.holder_name;
    let body = match layout {
        Layout::BaseTraining | Layout::Qualified => {
            if rng.chance(50) {
                format!("兹证明 {name} 同志于{range}参加由{}举办的“{}”，{amount}，经考核成绩合格，准予结业。", facts.organizer, facts.title)
            } else {
                format!("{name} 同志：\n于{range}参加“{}”学习，完成规定课程，{amount}，考核合格，特发此证。", facts.title)
            }
        }
        Layout::Conference => {
            format!("兹有 {name} 同志于{range}参加{}主办的“{}”学术会议，{amount}。\n特此证明。", facts.organizer, facts.title)
        }
        Layout::HoursProof => format!(
            "姓名：{name}\n培训项目：{}\n培训时间：{range}\n获得学时：{}\n主办单位：{}\n经审核，情况属实，特此证明。",
            facts.title,
            hours.clone().unwrap_or_else(|| amount.clone()),
            facts.organizer
        ),
        Layout::Exam => format!("{name} 同志于{range}参加“{}”考试，成绩合格，{amount}。\n特发此证。", facts.title),
        Layout::Service => format!("兹证明 {name} 同志于{range}在基层单位服务，表现良好。\n特此证明。"),
    };
    let font = *rng.pick(&[FontKind::Song, FontKind::Kai, FontKind::Hei]);
    let size = if landscape { 44.0 } else { 42.0 };
    let left = wf * 0.12;
    let per_line = ((wf - 2.0 * left) / size) as usize;
    let mut y = hf * 0.27;
    for para in body.split('\n') {
        for (i, line) in wrap(para, per_line).into_iter().enumerate() {
            let x = if i == 0 && !para.starts_with("姓名") && !para.contains('：') {
                left + 2.0 * size
            } else {
                left
            };
            items.push(Item::Text {
                x,
                y,
                size,
                font,
                text: line,
                rgb: ink,
            });
            y += size * 1.9;
        }
    }
    // The foot: number, issuer, issue date, seal over the issuer, QR code at the lower left.
    let foot_size = 38.0;
    let issue = facts.end_date + chrono::Duration::days(rng.below(20) as i64);
    let issue_text = if rng.chance(50) {
        format!("{}年{}月{}日", issue.year(), issue.month(), issue.day())
    } else {
        format!(
            "{}年{}月{}日",
            cn_year(issue.year()),
            cn_small(issue.month()),
            cn_small(issue.day())
        )
    };
    let org_w = facts.organizer.chars().count() as f32 * foot_size;
    let org_x = (wf * 0.88 - org_w).max(left);
    let org_y = hf * 0.74;
    items.push(Item::Text {
        x: org_x,
        y: org_y,
        size: foot_size,
        font: FontKind::Song,
        text: facts.organizer.clone(),
        rgb: ink,
    });
    let date_w = issue_text.chars().count() as f32 * foot_size * 0.8;
    items.push(Item::Text {
        x: wf * 0.86 - date_w,
        y: org_y + foot_size * 1.8,
        size: foot_size,
        font: FontKind::Song,
        text: issue_text,
        rgb: ink,
    });
    let label = *rng.pick(&["证书编号：", "编号：", "证书号："]);
    items.push(Item::Text {
        x: left,
        y: hf * 0.87,
        size: 32.0,
        font: FontKind::Hei,
        text: format!("{label}{}", facts.certificate_no),
        rgb: ink,
    });
    if rng.chance(85) {
        items.push(Item::Seal {
            cx: org_x + org_w * 0.55,
            cy: org_y + 20.0,
            r: 150.0,
            text: facts.organizer.clone(),
        });
    }
    if rng.chance(60) {
        items.push(Item::Qr {
            x: left,
            y: hf * 0.70,
            size: 200.0,
            payload: format!("JXJY-CERT|{}|{}", facts.certificate_no, facts.holder_name),
        });
    }
    Page {
        width: w,
        height: h,
        items,
    }
}
