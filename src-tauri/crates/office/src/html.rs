//! A4 HTML pages: escaped text, print CSS, no script, no external resources.

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
@page { size: A4; margin: 18mm 16mm; }
body { font-family: 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'SimSun', sans-serif;
       font-size: 10.5pt; color: #000; margin: 0 auto; max-width: 178mm; }
h1 { font-size: 18pt; text-align: center; margin: 4mm 0 2mm; letter-spacing: 2pt; }
.sub { text-align: center; color: #333; margin-bottom: 5mm; }
table { border-collapse: collapse; width: 100%; margin: 3mm 0; page-break-inside: auto; }
tr { page-break-inside: avoid; }
th, td { border: 0.3mm solid #000; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top; }
th { background: #eee; font-weight: bold; }
td.n { text-align: right; white-space: nowrap; }
.facts td:first-child { width: 32mm; background: #f6f6f6; }
.sign { margin-top: 12mm; display: flex; justify-content: space-between; }
.sign div { width: 45%; }
.muted { color: #555; font-size: 9pt; }
.stamp { margin-top: 10mm; text-align: right; }
@media screen { body { padding: 10mm; background: #fff; } }
";

/// A whole page around `body` (already escaped HTML).
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
<title>{}</title><style>{STYLE}</style></head><body>\n{body}\n</body></html>\n",
        esc(title)
    )
}

/// A table from a heading and rows of (text, numeric?) cells.
pub fn table(heading: &[&str], rows: &[Vec<(String, bool)>]) -> String {
    let mut s = String::from("<table><thead><tr>");
    for h in heading {
        s.push_str(&format!("<th>{}</th>", esc(h)));
    }
    s.push_str("</tr></thead><tbody>");
    for r in rows {
        s.push_str("<tr>");
        for (v, num) in r {
            if *num {
                s.push_str(&format!("<td class=\"n\">{}</td>", esc(v)));
            } else {
                s.push_str(&format!("<td>{}</td>", esc(v)));
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}
