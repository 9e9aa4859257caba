//! xlsx exports: the queue, the decisions, the staff ledger, and a spot-check checklist.
//! Every sheet: a bold, frozen heading row with filters, text cells for ids (so WPS never
//! turns an ID number into 1.1E+17), numbers for hours.

use crate::IdNumbers;
use jxjy_core::labels::{category_zh, form_zh, status_zh, title_level_zh};
use jxjy_core::Hours;
use jxjy_store::decide::DecisionRecord;
use jxjy_store::queries::QueueRow;
use jxjy_store::roster::RosterRow;
use jxjy_store::spotcheck::{Finding, PackView};
use rust_xlsxwriter::{DataValidation, Format, Workbook, Worksheet, XlsxError};

/// One cell value.
enum Cell {
    Text(String),
    Hours(Option<Hours>),
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn yes(b: bool) -> Cell {
    text(if b { "是" } else { "否" })
}

fn sheet(
    wb: &mut Workbook,
    name: &str,
    heading: &[&str],
    widths: &[f64],
    rows: impl Iterator<Item = Vec<Cell>>,
) -> Result<u32, XlsxError> {
    let bold = Format::new().set_bold().set_background_color("#DDE6F0");
    let textf = Format::new().set_num_format("@");
    let hours = Format::new().set_num_format("0.##");
    let ws: &mut Worksheet = wb.add_worksheet();
    ws.set_name(name)?;
    for (c, h) in heading.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
        ws.set_column_width(c as u16, widths.get(c).copied().unwrap_or(14.0))?;
    }
    let mut r = 0u32;
    for row in rows {
        r += 1;
        for (c, cell) in row.into_iter().enumerate() {
            match cell {
                Cell::Text(s) => ws.write_string_with_format(r, c as u16, s, &textf)?,
                Cell::Hours(Some(h)) => {
                    ws.write_number_with_format(r, c as u16, h.as_f64(), &hours)?
                }
                Cell::Hours(None) => ws,
            };
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if !heading.is_empty() {
        ws.autofilter(0, 0, r, heading.len() as u16 - 1)?;
    }
    Ok(r)
}

/// The queue as filtered on screen.
pub fn queue(rows: &[QueueRow], ids: &IdNumbers<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let heading = [
        "申报编号",
        "姓名",
        ids.heading(),
        "学习形式",
        "科目类别",
        "状态",
        "培训/学习名称",
        "主办单位",
        "开始日期",
        "结束日期",
        "申报学时",
        "认定学时",
        "疑点提示",
    ];
    let widths = [
        12.0, 10.0, 21.0, 16.0, 10.0, 12.0, 36.0, 28.0, 12.0, 12.0, 10.0, 10.0, 30.0,
    ];
    sheet(
        &mut wb,
        "申报列表",
        &heading,
        &widths,
        rows.iter().map(|q| {
            vec![
                text(&q.id),
                text(q.staff_name.clone().unwrap_or_default()),
                text(ids.cell(&q.staff_id, q.id_number_masked.as_deref())),
                text(form_zh(q.form)),
                text(category_zh(q.category)),
                text(status_zh(q.status)),
                text(&q.title),
                text(&q.organizer),
                text(&q.start_date),
                text(&q.end_date),
                Cell::Hours(q.claimed_hours),
                Cell::Hours(q.credited_hours),
                text(
                    q.flags
                        .iter()
                        .map(|f| f.badge_zh())
                        .collect::<Vec<_>>()
                        .join("、"),
                ),
            ]
        }),
    )?;
    wb.save_to_buffer()
}

/// Every decision of the profile, with the declarant's name beside it.
pub fn decisions(
    rows: &[DecisionRecord],
    name_of: impl Fn(&str) -> Option<String>,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let heading = [
        "申报编号",
        "姓名",
        "审核结论",
        "认定学时",
        "科目类别",
        "审核意见",
        "审核人",
        "审核时间",
        "上传状态",
        "平台说明",
        "意见编号",
    ];
    let widths = [
        12.0, 10.0, 10.0, 10.0, 10.0, 36.0, 12.0, 22.0, 12.0, 30.0, 38.0,
    ];
    sheet(
        &mut wb,
        "审核意见",
        &heading,
        &widths,
        rows.iter().map(|d| {
            vec![
                text(&d.declaration_id),
                text(name_of(&d.declaration_id).unwrap_or_default()),
                text(d.outcome.label_zh()),
                Cell::Hours(d.credited_hours),
                text(d.category.map(category_zh).unwrap_or_default()),
                text(d.reason.clone().unwrap_or_default()),
                text(&d.reviewer),
                text(&d.decided_at),
                text(d.state.zh()),
                text(d.server_note.clone().unwrap_or_default()),
                text(&d.key),
            ]
        }),
    )?;
    wb.save_to_buffer()
}

/// The roster with each person's ledger for the year (年度完成情况).
pub fn ledger(rows: &[RosterRow], year: i32, ids: &IdNumbers<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let heading = [
        "人员编号",
        "姓名",
        ids.heading(),
        "职称系列",
        "职称级别",
        "公需科目学时",
        "专业科目学时",
        "公需达标",
        "专业达标",
        "年度完成",
        "视同完成",
        "尚缺公需",
        "尚缺专业",
    ];
    let widths = [
        12.0, 10.0, 21.0, 14.0, 10.0, 12.0, 12.0, 10.0, 10.0, 10.0, 16.0, 10.0, 10.0,
    ];
    sheet(
        &mut wb,
        &format!("{year}年度完成情况"),
        &heading,
        &widths,
        rows.iter().map(|r| {
            let s = &r.staff;
            let l = r.ledger.as_ref();
            vec![
                text(&s.id),
                text(&s.name),
                text(ids.cell(&s.id, Some(&s.id_number_masked))),
                text(&s.title_series),
                text(s.title_level.map(title_level_zh).unwrap_or_default()),
                Cell::Hours(Some(l.map_or(Hours::ZERO, |l| l.public_hours))),
                Cell::Hours(Some(l.map_or(Hours::ZERO, |l| l.professional_hours))),
                yes(l.is_some_and(|l| l.public_satisfied)),
                yes(l.is_some_and(|l| l.professional_satisfied)),
                yes(l.is_some_and(|l| l.complete)),
                text(l.map(|l| l.deemed_by.join("、")).unwrap_or_default()),
                Cell::Hours(l.map(|l| l.shortfall.public).or(Some(Hours::whole(30)))),
                Cell::Hours(
                    l.map(|l| l.shortfall.professional)
                        .or(Some(Hours::whole(60))),
                ),
            ]
        }),
    )?;
    wb.save_to_buffer()
}

/// The checklist of a spot-check pack: one row per item, with a drop-down for the result.
pub fn checklist(view: &PackView) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let heading = [
        "序号",
        "申报编号",
        "姓名",
        "身份证号（已脱敏）",
        "学习形式",
        "培训/学习名称",
        "主办单位",
        "起止日期",
        "认定学时",
        "依据条款",
        "抽样原因",
        "证明材料文件",
        "核查结果",
        "问题说明",
    ];
    let widths = [
        6.0, 12.0, 10.0, 21.0, 16.0, 32.0, 26.0, 24.0, 10.0, 10.0, 24.0, 40.0, 12.0, 36.0,
    ];
    let n = sheet(
        &mut wb,
        "抽审清单",
        &heading,
        &widths,
        view.items.iter().map(|i| {
            let reasons: Vec<&str> = i.reasons.iter().map(|r| r.zh()).collect();
            vec![
                text(i.rank.to_string()),
                text(&i.declaration_id),
                text(i.staff_name.clone().unwrap_or_default()),
                text(i.id_number_masked.clone().unwrap_or_default()),
                text(form_zh(i.form)),
                text(&i.title),
                text(&i.organizer),
                text(format!("{} 至 {}", i.start_date, i.end_date)),
                Cell::Hours(i.credited_hours),
                text(i.clause.clone().unwrap_or_default()),
                text(if reasons.is_empty() {
                    "随机抽取".to_owned()
                } else {
                    reasons.join("、")
                }),
                text(
                    i.evidence
                        .iter()
                        .map(|e| crate::pack::evidence_file_name(i.rank, e))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                text(i.finding.map(Finding::zh).unwrap_or_default()),
                text(i.note.clone().unwrap_or_default()),
            ]
        }),
    )?;
    if n > 0 {
        let dv = DataValidation::new()
            .allow_list_strings(&[Finding::Confirmed.zh(), Finding::Problem.zh()])?
            .ignore_blank(true);
        if let Some(ws) = wb.worksheets_mut().first_mut() {
            ws.add_data_validation(1, 12, n, 12, &dv)?;
        }
    }
    wb.save_to_buffer()
}
