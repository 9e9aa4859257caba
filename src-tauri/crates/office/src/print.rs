//! Print views in the words of the notice: a staff member's hours certificate (学时证明), the
//! unit's review summary, and a spot-check pack's summary. Each is one A4 HTML document.

use crate::html::{esc, page, table};
use jxjy_core::labels::{category_zh, form_zh, status_zh, title_level_zh};
use jxjy_core::Hours;
use jxjy_store::figures::Certificate;
use jxjy_store::figures::UnitFigures;
use jxjy_store::spotcheck::{Finding, PackView};

fn h(x: Hours) -> String {
    format!("{}", x.as_f64())
}

/// "已达标", "未达标", or "视同完成（clauses）" when a deemed completion, not the hours, meets it.
fn standing(satisfied: bool, hours: Hours, min: Hours, deemed: &[String]) -> String {
    match (satisfied, hours >= min) {
        (false, _) => "，未达标".to_owned(),
        (true, true) => "，已达标".to_owned(),
        (true, false) => format!("，视同完成（{}）", esc(&deemed.join("、"))),
    }
}

/// A staff member's hours certificate for a year: the approved declarations and the ledger
/// computed over them alone.
pub fn staff_certificate(unit_name: &str, year: i32, c: &Certificate, printed_on: &str) -> String {
    let (staff, l) = (&c.staff, &c.ledger);
    let mut body = format!(
        "<h1>专业技术人员继续教育学时证明</h1><div class=\"sub\">{year}年度</div>\
<table class=\"facts\"><tr><td>姓名</td><td>{}</td><td>身份证号</td><td>{}</td></tr>\
<tr><td>工作单位</td><td colspan=\"3\">{}</td></tr>\
<tr><td>职称系列</td><td>{}</td><td>职称级别</td><td>{}</td></tr></table>",
        esc(&staff.name),
        esc(&staff.id_number_masked),
        esc(unit_name),
        esc(&staff.title_series),
        esc(staff.title_level.map(title_level_zh).unwrap_or("—")),
    );
    let rows: Vec<Vec<(String, bool)>> = c
        .rows
        .iter()
        .enumerate()
        .map(|(i, q)| {
            vec![
                ((i + 1).to_string(), true),
                (form_zh(q.form).to_owned(), false),
                (q.title.clone(), false),
                (q.organizer.clone(), false),
                (format!("{} 至 {}", q.start_date, q.end_date), false),
                (category_zh(q.category).to_owned(), false),
                (q.credited_hours.map(h).unwrap_or_default(), true),
                (status_zh(q.status).to_owned(), false),
            ]
        })
        .collect();
    if rows.is_empty() {
        body.push_str("<p>本年度尚无通过初审的申报。</p>");
    } else {
        body.push_str(&table(
            &[
                "序号",
                "学习形式",
                "名称",
                "主办单位",
                "起止日期",
                "科目类别",
                "认定学时",
                "状态",
            ],
            &rows,
        ));
    }
    let overall = if l.complete {
        if l.deemed_by.is_empty() {
            "已完成当年度继续教育学习任务".to_owned()
        } else {
            format!("已完成（视同完成：{}）", l.deemed_by.join("、"))
        }
    } else {
        format!(
            "尚未完成：尚缺公需科目{}学时、专业科目{}学时",
            h(l.shortfall.public),
            h(l.shortfall.professional)
        )
    };
    body.push_str(&format!(
        "<table class=\"facts\"><tr><td>公需科目</td><td>{} 学时（要求不少于{}学时）{}</td></tr>\
<tr><td>专业科目</td><td>{} 学时（要求不少于{}学时）{}</td></tr>\
<tr><td>年度完成情况</td><td>{}</td></tr></table>",
        h(l.public_hours),
        h(c.public_min),
        standing(
            l.public_satisfied,
            l.public_hours,
            c.public_min,
            &l.deemed_by
        ),
        h(l.professional_hours),
        h(c.professional_min),
        standing(
            l.professional_satisfied,
            l.professional_hours,
            c.professional_min,
            &l.deemed_by
        ),
        esc(&overall),
    ));
    body.push_str(&format!(
        "<p class=\"muted\">学时按兵团专业技术人员继续教育学时认定标准（2019）核算，只计已通过单位初审的申报。</p>\
<div class=\"sign\"><div>单位审核人：</div><div>打印日期：{}</div></div>\
<div class=\"stamp\">（单位盖章）</div>",
        esc(printed_on)
    ));
    page(
        &format!("{}{}年度继续教育学时证明", staff.name, year),
        &body,
    )
}

/// The unit's review summary (单位初审情况汇总).
pub fn unit_summary(s: &UnitFigures, reviewer: &str, printed_on: &str) -> String {
    let mut body = format!(
        "<h1>继续教育学时单位初审情况汇总</h1><div class=\"sub\">{}　{}年度</div>",
        esc(&s.unit_name),
        s.year
    );
    body.push_str(&table(
        &["项目", "数量"],
        &[
            vec![
                ("本单位专业技术人员".into(), false),
                (s.staff_total.to_string(), true),
            ],
            vec![
                ("已完成年度学习任务".into(), false),
                (s.staff_complete.to_string(), true),
            ],
            vec![
                ("本机审核通过".into(), false),
                (s.approved_here.to_string(), true),
            ],
            vec![
                ("本机退回修改".into(), false),
                (s.returned_here.to_string(), true),
            ],
            vec![
                ("本机不予认定".into(), false),
                (s.rejected_here.to_string(), true),
            ],
            vec![
                ("待上传的审核意见".into(), false),
                (s.waiting_upload.to_string(), true),
            ],
            vec![
                ("待审且有疑点的申报".into(), false),
                (s.open_flagged.to_string(), true),
            ],
            vec![
                ("已认定学时合计".into(), false),
                (h(s.credited_hours), true),
            ],
        ],
    ));
    let rows: Vec<Vec<(String, bool)>> = s
        .by_status
        .iter()
        .map(|(st, n)| vec![(status_zh(*st).to_owned(), false), (n.to_string(), true)])
        .collect();
    body.push_str("<h3>申报状态</h3>");
    body.push_str(&table(&["状态", "申报数"], &rows));
    body.push_str(&format!(
        "<div class=\"sign\"><div>审核人：{}</div><div>打印日期：{}</div></div><div class=\"stamp\">（单位盖章）</div>",
        esc(reviewer),
        esc(printed_on)
    ));
    page(&format!("{}{}年度初审情况汇总", s.unit_name, s.year), &body)
}

/// The printable summary of a spot-check pack (抽审材料包).
pub fn pack_summary(view: &PackView, unit_name: &str, printed_on: &str) -> String {
    let p = &view.pack;
    let mut body = format!(
        "<h1>继续教育学时抽审材料</h1><div class=\"sub\">{}　{}年度</div>\
<table class=\"facts\"><tr><td>抽样范围</td><td>{}年度已审核通过的申报，共{}条</td></tr>\
<tr><td>抽取数量</td><td>{}条（每种学习形式至少{}条；有疑点、学时较高、会议达上限、视同完成的申报权重更高）</td></tr>\
<tr><td>随机种子</td><td>{}（相同种子可重现同一样本）</td></tr>\
<tr><td>生成</td><td>{}　{}</td></tr></table>",
        esc(unit_name),
        p.year,
        p.year,
        p.candidates,
        p.items,
        p.spec.min_per_form,
        esc(&p.seed),
        esc(&p.created_by),
        esc(&p.created_at),
    );
    let rows: Vec<Vec<(String, bool)>> = view
        .items
        .iter()
        .map(|i| {
            let reasons: Vec<&str> = i.reasons.iter().map(|r| r.zh()).collect();
            vec![
                (i.rank.to_string(), true),
                (i.declaration_id.clone(), false),
                (i.staff_name.clone().unwrap_or_default(), false),
                (form_zh(i.form).to_owned(), false),
                (i.title.clone(), false),
                (i.credited_hours.map(h).unwrap_or_default(), true),
                (
                    if reasons.is_empty() {
                        "随机抽取".to_owned()
                    } else {
                        reasons.join("、")
                    },
                    false,
                ),
                (i.evidence.len().to_string(), true),
                (
                    match i.finding {
                        Some(Finding::Confirmed) => Finding::Confirmed.zh().to_owned(),
                        Some(Finding::Problem) => format!(
                            "{}：{}",
                            Finding::Problem.zh(),
                            i.note.clone().unwrap_or_default()
                        ),
                        None => "　".to_owned(),
                    },
                    false,
                ),
            ]
        })
        .collect();
    body.push_str(&table(
        &[
            "序号",
            "申报编号",
            "姓名",
            "学习形式",
            "名称",
            "认定学时",
            "抽样原因",
            "材料数",
            "核查结果",
        ],
        &rows,
    ));
    body.push_str(&format!(
        "<p class=\"muted\">证明材料见本材料包 evidence 文件夹，文件名以序号开头；核查结果亦可填入“抽审清单.xlsx”。</p>\
<div class=\"sign\"><div>核查人：</div><div>打印日期：{}</div></div>",
        esc(printed_on)
    ));
    page(&format!("{}{}年度抽审材料", unit_name, p.year), &body)
}
