//! Every IPC input is checked here before it reaches the store or the network.

use crate::error::AppError;

/// A declaration, staff or evidence id: 1–64 characters of letters, digits and `-_.:`.
pub fn id(what: &str, s: &str) -> Result<(), AppError> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid(format!("{what}格式不正确")))
    }
}

/// Free text up to `max` characters, without control characters other than newlines.
pub fn text(what: &str, s: &str, max: usize) -> Result<(), AppError> {
    if s.chars().count() > max {
        return Err(AppError::invalid(format!("{what}不能超过{max}字")));
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(AppError::invalid(format!("{what}含有不可见的控制字符")));
    }
    Ok(())
}

/// A SHA-256 digest in lower-case hex.
pub fn sha256(s: &str) -> Result<(), AppError> {
    if s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(AppError::invalid("证明材料编号格式不正确"))
    }
}

/// The platform's address: `https://` anywhere, plain `http://` only on this computer
/// (`jxjy_sync::PlatformAddress` says why); the reviewer is told what to type instead.
pub fn server(s: &str) -> Result<jxjy_sync::PlatformAddress, AppError> {
    jxjy_sync::PlatformAddress::parse(s).map_err(|e| AppError::invalid(e.message_zh()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_good_and_refuses_bad_inputs() {
        assert!(id("申报编号", "D-0001").is_ok());
        for bad in ["", "a b", "../x", "x'--", &"x".repeat(65)] {
            assert!(id("申报编号", bad).is_err(), "{bad}");
        }
        assert!(text("原因", "证明材料不清晰\n请重新上传", 500).is_ok());
        assert!(text("原因", "a\u{0}b", 500).is_err());
        assert!(text("原因", &"字".repeat(501), 500).is_err());
        assert!(sha256(&"ab".repeat(32)).is_ok());
        assert!(sha256(&"AB".repeat(32)).is_err());
        assert!(sha256("../../etc/passwd").is_err());
        assert!(server("http://127.0.0.1:8787").is_ok());
        assert!(server("https://zj.example.cn/api").is_ok());
        for bad in [
            "127.0.0.1:8787",
            "file:///etc/passwd",
            "http://",
            "javascript:alert(1)",
            "http:///x",
            "http://192.168.1.10:8787",
        ] {
            assert!(server(bad).is_err(), "{bad}");
        }
        let e = server("http://192.168.1.10:8787").unwrap_err();
        assert!(
            e.message.contains("https://192.168.1.10:8787"),
            "{}",
            e.message
        );
    }
}
