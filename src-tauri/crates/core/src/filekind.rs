//! Content sniffing of evidence files: the viewer shows only kinds that cannot run script,
//! recognized by their first bytes, whatever the declared media type or file name says.

use serde::Serialize;

/// The evidence kinds the viewer renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Gif,
    Webp,
}

impl FileKind {
    pub const ALL: [FileKind; 5] = [
        FileKind::Pdf,
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Gif,
        FileKind::Webp,
    ];

    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
        }
    }
}

/// The kind of `bytes`, or None for anything else (SVG, HTML, scripts, unknown) — refused.
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"%PDF-") {
        Some(FileKind::Pdf)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileKind::Png)
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some(FileKind::Jpeg)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(FileKind::Gif)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(FileKind::Webp)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_safe_kinds_by_their_first_bytes_only() {
        let cases: &[(&[u8], Option<FileKind>)] = &[
            (b"%PDF-1.7\n...", Some(FileKind::Pdf)),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", Some(FileKind::Png)),
            (b"\xff\xd8\xff\xe0\0\x10JFIF", Some(FileKind::Jpeg)),
            (b"GIF89a....", Some(FileKind::Gif)),
            (b"RIFF\x10\0\0\0WEBPVP8 ", Some(FileKind::Webp)),
            // Script-capable or unknown: refused.
            (b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>", None),
            (b"<!DOCTYPE html><html>", None),
            (b"<?xml version=\"1.0\"?><svg>", None),
            (b"  %PDF-1.4", None),
            (b"RIFF\x10\0\0\0WAVE", None),
            (b"", None),
        ];
        for (bytes, want) in cases {
            assert_eq!(sniff(bytes), *want, "{:?}", String::from_utf8_lossy(bytes));
        }
    }
}
