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
