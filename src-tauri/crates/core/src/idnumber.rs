//! GB 11643-1999 citizen identity numbers (居民身份证号码) and how they are shown.

use chrono::NaiveDate;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The check character (ISO 7064 MOD 11-2) for the first 17 digits, if they are digits.
pub fn check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    CHECK.get((sum % 11) as usize).copied()
}

/// An 18-character number with a real birth date and the right check character.
pub fn is_valid(id: &str) -> bool {
    if id.len() != 18 || !id.is_ascii() {
        return false;
    }
    let (body, last) = id.split_at(17);
    let Some(expected) = check_char(body) else {
        return false;
    };
    let birth_ok = NaiveDate::parse_from_str(&body[6..14], "%Y%m%d").is_ok();
    birth_ok && last.eq_ignore_ascii_case(&expected.to_string())
}

/// Shows the first four and last four characters: `6501**********123X`.
pub fn mask(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_numbers() {
        // The sample number of GB 11643-1999 itself.
        assert!(is_valid("11010519491231002X"));
        assert!(is_valid("11010519491231002x"));
        assert!(!is_valid("110105194912310021"));
        assert!(!is_valid("11010519491331002X"), "month 13");
        assert!(!is_valid("1101051949123100"));
        assert_eq!(check_char("65010219800101123"), Some('4'));
        assert!(is_valid("650102198001011234"), "the DOMAIN.md example");
    }

    #[test]
    fn masks_the_middle() {
        assert_eq!(mask("65010219800101123X"), "6501**********123X");
        assert_eq!(mask("123"), "***");
    }
}
