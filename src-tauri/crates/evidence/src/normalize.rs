//! Text as OCR and PDF extractors give it, made comparable: full-width ASCII to half-width,
//! the many dashes and tildes of a date range to one, and Chinese numerals in dates to digits.

/// Full-width forms (０-９, Ａ-Ｚ, ：, （ …) to ASCII, the ideographic space to a space, and every
/// range dash (—, –, ─, ~, ～, 〜, －) to `-`. Keeps the text's length in characters, so spans
/// found in the result point at the same characters of the input.
pub fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '—' | '–' | '─' | '~' | '～' | '〜' | '－' | '―' | '‐' | '‑' => '-',
            c @ '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

fn is_cn_digit(c: char) -> bool {
    matches!(
        c,
        '〇' | '零' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// What OCR makes of dates, undone (keeping the length in characters): a range dash read as
/// 一 (`15日一18日`, `2019.05.10一05.12`) back to `-`, and an O or 0 among Chinese numerals
/// (`二O一九`) back to 〇.
pub fn undo_ocr_slips(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = i
            .checked_sub(1)
            .and_then(|j| chars.get(j))
            .copied()
            .unwrap_or(' ');
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        let fixed = match c {
            '一' if (prev.is_ascii_digit() || matches!(prev, '日' | '号'))
                && next.is_ascii_digit() =>
            {
                '-'
            }
            'O' | 'o' | '0' | 'О' | 'Ｏ' if is_cn_digit(prev) && is_cn_digit(next) => '〇',
            c => c,
        };
        out.push(fixed);
    }
    out
}

/// The text without its line breaks, and for each of its characters the index of that
/// character in the text: OCR breaks lines inside a date or a number (`2019/5/29-20⏎19/6/2`).
pub fn without_breaks(text: &str) -> (String, Vec<usize>) {
    let mut joined = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        if c != '\n' && c != '\r' {
            joined.push(c);
            map.push(i);
        }
    }
    (joined, map)
}

/// The value of a Chinese numeral digit as used in dates (〇/零 to 九, and 十).
pub fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | 'О' | 'o' | 'O' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// A number written in Chinese numerals as dates and hours use them: digit by digit for a year
/// (二〇一九 = 2019), or with 十 for 1–99 (十二 = 12, 二十 = 20, 二十四 = 24). None when it is
/// not one.
pub fn chinese_number(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return None;
    }
    if let Some(pos) = chars.iter().position(|&c| c == '十') {
        let tens = match pos {
            0 => 1,
            1 => chinese_digit(chars[0]).filter(|d| *d > 0)?,
            _ => return None,
        };
        let ones = match chars.get(pos + 1..)? {
            [] => 0,
            [c] => chinese_digit(*c).filter(|d| *d > 0)?,
            _ => return None,
        };
        return Some(tens * 10 + ones);
    }
    let mut n: u32 = 0;
    for c in chars {
        n = n.checked_mul(10)?.checked_add(chinese_digit(c)?)?;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_dashes_fold_and_keep_the_length() {
        let text = "２０１９．０５．１０—２０１９．０５．１２　共计２４学时（ＮＯ：Ａ１）";
        let folded = fold(text);
        assert_eq!(folded, "2019.05.10-2019.05.12 共计24学时(NO:A1)");
        assert_eq!(folded.chars().count(), text.chars().count());
    }

    #[test]
    fn chinese_numbers_of_dates_and_hours() {
        let table = [
            ("二〇一九", Some(2019)),
            ("二零二零", Some(2020)),
            ("五", Some(5)),
            ("十", Some(10)),
            ("十二", Some(12)),
            ("二十", Some(20)),
            ("三十一", Some(31)),
            ("二十四", Some(24)),
            ("十十", None),
            ("", None),
            ("甲", None),
        ];
        for (text, want) in table {
            assert_eq!(chinese_number(text), want, "{text}");
        }
    }
}
