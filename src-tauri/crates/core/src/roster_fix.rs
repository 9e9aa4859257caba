//! Roster corrections from a spreadsheet (人员信息更正): each row is checked on its own and
//! every problem is reported in Chinese with its row number, before anything is applied.
//! Pure: the caller reads the cells and knows the roster.

use crate::idnumber;
use crate::labels::title_level_zh;
use crate::TitleLevel;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The column headings a sheet may use; `人员编号` is required, the others optional.
pub const COLUMNS: [&str; 7] = [
    "人员编号",
    "姓名",
    "身份证号",
    "职称系列",
    "职称级别",
    "申报上一级资格",
    "在岗",
];

/// The changes for one person; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RosterCorrection {
    pub staff_id: String,
    pub name: Option<String>,
    pub id_number: Option<String>,
    pub title_series: Option<String>,
    pub title_level: Option<TitleLevel>,
    pub applying_promotion: Option<bool>,
    pub active: Option<bool>,
}

impl RosterCorrection {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.id_number.is_none()
            && self.title_series.is_none()
            && self.title_level.is_none()
            && self.applying_promotion.is_none()
            && self.active.is_none()
    }
}

/// One row's outcome: a correction, or the reasons it cannot be one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RowCheck {
    /// The row number as the spreadsheet shows it (the heading is row 1).
    pub row: u32,
    pub correction: Option<RosterCorrection>,
    pub errors: Vec<String>,
}

/// Checks every row. Errors about the sheet as a whole (no `人员编号` column) come back as
/// `Err` in Chinese.
pub fn check_rows(
    heading: &[String],
    rows: &[Vec<String>],
    known_staff: &HashSet<String>,
) -> Result<Vec<RowCheck>, String> {
    let col = |name: &str| heading.iter().position(|h| h.trim() == name);
    let Some(id_col) = col(COLUMNS[0]) else {
        return Err(format!(
            "第1行须为列标题，且包含“人员编号”列；可用的列：{}",
            COLUMNS.join("、")
        ));
    };
    let cols: Vec<Option<usize>> = COLUMNS.iter().map(|c| col(c)).collect();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, cells) in rows.iter().enumerate() {
        let row = i as u32 + 2;
        let cell = |c: Option<usize>| {
            c.and_then(|c| cells.get(c))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
        };
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut errors = Vec::new();
        let staff_id = cell(Some(id_col)).unwrap_or_default().to_owned();
        if staff_id.is_empty() {
            errors.push(format!("第{row}行：缺少人员编号"));
        } else if !known_staff.contains(&staff_id) {
            errors.push(format!(
                "第{row}行：人员编号“{staff_id}”不在本单位人员名单中"
            ));
        } else if !seen.insert(staff_id.clone()) {
            errors.push(format!("第{row}行：人员编号“{staff_id}”在表中重复出现"));
        }
        let mut c = RosterCorrection {
            staff_id: staff_id.clone(),
            ..RosterCorrection::default()
        };
        if let Some(name) = cell(cols[1]) {
            if name.chars().count() > 50 || name.chars().any(char::is_control) {
                errors.push(format!("第{row}行：姓名过长或含有不可见字符"));
            } else {
                c.name = Some(name.to_owned());
            }
        }
        if let Some(id) = cell(cols[2]) {
            let id = id.to_ascii_uppercase();
            if idnumber::is_valid(&id) {
                c.id_number = Some(id);
            } else {
                errors.push(format!(
                    "第{row}行：身份证号“{}”无效（应为18位且校验位正确；若表中显示为科学计数法，请将该列设为文本格式）",
                    idnumber::mask(&id)
                ));
            }
        }
        if let Some(series) = cell(cols[3]) {
            if series.chars().count() > 50 {
                errors.push(format!("第{row}行：职称系列过长"));
            } else {
                c.title_series = Some(series.to_owned());
            }
        }
        if let Some(level) = cell(cols[4]) {
            match TitleLevel::ALL
                .iter()
                .find(|l| title_level_zh(**l) == level)
            {
                Some(l) => c.title_level = Some(*l),
                None => errors.push(format!(
                    "第{row}行：职称级别“{level}”无法识别，应为{}之一",
                    TitleLevel::ALL.map(title_level_zh).join("、")
                )),
            }
        }
        for (idx, field) in [(5usize, 0u8), (6, 1)] {
            if let Some(v) = cell(cols[idx]) {
                match yes_no(v) {
                    Some(b) if field == 0 => c.applying_promotion = Some(b),
                    Some(b) => c.active = Some(b),
                    None => errors.push(format!(
                        "第{row}行：“{}”应填“是”或“否”，不是“{v}”",
                        COLUMNS[idx]
                    )),
                }
            }
        }
        if errors.is_empty() && c.is_empty() {
            errors.push(format!("第{row}行：除人员编号外没有要更正的内容"));
        }
        out.push(RowCheck {
            row,
            correction: errors.is_empty().then_some(c),
            errors,
        });
    }
    Ok(out)
}

fn yes_no(v: &str) -> Option<bool> {
    match v {
        "是" | "Y" | "y" | "1" | "TRUE" | "true" => Some(true),
        "否" | "N" | "n" | "0" | "FALSE" | "false" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn rows_are_checked_one_by_one() {
        let known: HashSet<String> = ["S1", "S2", "S3"].iter().map(|x| (*x).to_owned()).collect();
        let heading = s(&["人员编号", "姓名", "身份证号", "职称级别", "申报上一级资格"]);
        let rows = vec![
            s(&["S1", "张三", "", "中级", "是"]),
            s(&["S9", "", "", "", ""]),
            s(&["S2", "", "11010519491231002X", "", ""]),
            s(&["S3", "", "110105194912310021", "高级", "也许"]),
            s(&["", "", "", "", ""]),
            s(&["S1", "李四", "", "", ""]),
        ];
        let r = check_rows(&heading, &rows, &known).unwrap();
        assert_eq!(r.len(), 5, "the blank row is skipped");
        assert_eq!(r[0].row, 2);
        let c = r[0].correction.as_ref().unwrap();
        assert_eq!(c.name.as_deref(), Some("张三"));
        assert_eq!(c.title_level, Some(TitleLevel::Intermediate));
        assert_eq!(c.applying_promotion, Some(true));
        assert!(r[1].errors[0].contains("不在本单位人员名单中"));
        assert_eq!(
            r[2].correction.as_ref().unwrap().id_number.as_deref(),
            Some("11010519491231002X")
        );
        assert_eq!(r[3].errors.len(), 3, "{:?}", r[3].errors);
        assert!(r[3].errors[0].starts_with("第5行：身份证号"));
        assert!(r[4].errors[0].contains("重复出现"));
        assert!(r[4].correction.is_none());
    }

    #[test]
    fn a_sheet_without_the_id_column_is_refused() {
        let e = check_rows(&s(&["姓名"]), &[], &HashSet::new()).unwrap_err();
        assert!(e.contains("人员编号"));
    }
}
