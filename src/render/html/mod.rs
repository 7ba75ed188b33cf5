//! The pieces of accord's HTML pages: escaping (every piece of text goes through [`escape`]),
//! the page around the content with its styles inline, and tables. The pages load nothing:
//! no script, no font, no image from anywhere, and a Content-Security-Policy that forbids all
//! of it, so a page opened from disk shows the same thing on any machine, and text from the
//! book can never become active content.

pub mod adjustments;
pub mod compare;
pub mod dashboard;
pub mod explain;
pub mod monitoring;
pub mod plan;
pub mod plan_dashboard;
pub mod svg;
pub mod year_page;

use std::fmt::Write;

/// Text made safe for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub const STYLE: &str = "
body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;margin:0;color:#1b1b1b;background:#fff}
header{background:#1c4a78;color:#fff;padding:18px 32px}
header h1{margin:0;font-size:24px}
header p{margin:4px 0 0;opacity:.85}
nav{padding:8px 32px;background:#eef2f7;font-size:14px}
nav a{margin-right:14px;color:#1c4a78}
nav strong{margin-right:14px}
main{padding:8px 32px 40px;max-width:1200px}
h2{color:#1c4a78;font-size:19px;margin:28px 0 8px;border-bottom:2px solid #1c4a78;padding-bottom:4px}
p.note{color:#555;font-size:13px}
.figures{display:flex;flex-wrap:wrap;gap:12px;margin-top:16px}
.figure{background:#eef2f7;border-radius:6px;padding:10px 16px;min-width:170px}
.figure .label{font-size:12px;color:#555}
.figure .value{font-size:20px;font-weight:bold;color:#1c4a78}
table{border-collapse:collapse;font-size:13px;margin:6px 0 10px}
th{background:#dce6f0;text-align:left;padding:5px 8px;border-bottom:1px solid #888}
td{padding:4px 8px;border-bottom:1px solid #e2e2e2}
th.n,td.n{text-align:right;white-space:nowrap}
tr.total td{font-weight:bold;border-top:1.5px solid #333}
tr.exception td{background:#fdecea}
svg{max-width:100%;height:auto;display:block;margin:6px 0 4px}
svg .axis{font-size:12px;fill:#444}
svg .legend{font-size:12px;fill:#222}
footer{color:#666;font-size:12px;padding:16px 32px;border-top:1px solid #ddd}
";

/// A whole page. `title`, `subtitle` and `footer` are plain text; `nav` and `body` are HTML
/// built by this module's callers from escaped text.
pub fn page(title: &str, subtitle: &str, nav: &str, body: &str, footer: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
<header><h1>{}</h1><p>{}</p></header>\n<nav>{nav}</nav>\n<main>\n{body}</main>\n\
<footer>{}</footer>\n</body>\n</html>\n",
        escape(title),
        escape(title),
        escape(subtitle),
        escape(footer)
    )
}

/// A table cell: plain text, a right-aligned number, or a link.
pub enum Td {
    Text(String),
    Number(String),
    Link {
        href: String,
        text: String,
    },
    /// A right-aligned number that links to its working.
    NumberLink {
        href: String,
        text: String,
    },
}

impl Td {
    fn html(&self) -> String {
        match self {
            Td::Text(t) => format!("<td>{}</td>", escape(t)),
            Td::Number(n) => format!("<td class=\"n\">{}</td>", escape(n)),
            Td::Link { href, text } => {
                format!("<td><a href=\"{}\">{}</a></td>", escape(href), escape(text))
            }
            Td::NumberLink { href, text } => format!(
                "<td class=\"n\"><a href=\"{}\">{}</a></td>",
                escape(href),
                escape(text)
            ),
        }
    }
}

/// A row with a class (`total`, `exception`) or none.
pub struct Tr {
    pub class: Option<&'static str>,
    pub cells: Vec<Td>,
}

impl Tr {
    pub fn new(cells: Vec<Td>) -> Tr {
        Tr { class: None, cells }
    }

    pub fn with_class(class: &'static str, cells: Vec<Td>) -> Tr {
        Tr {
            class: Some(class),
            cells,
        }
    }
}

/// A table; header names ending in ` £` or marked numeric by `numeric` are right-aligned.
pub fn table(header: &[&str], numeric: &[bool], rows: &[Tr]) -> String {
    let mut out = String::from("<table>\n<thead><tr>");
    for (name, n) in header
        .iter()
        .zip(numeric.iter().chain(std::iter::repeat(&false)))
    {
        let class = if *n { " class=\"n\"" } else { "" };
        let _ = write!(out, "<th{class}>{}</th>", escape(name));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        match row.class {
            Some(class) => {
                let _ = write!(out, "<tr class=\"{class}\">");
            }
            None => out.push_str("<tr>"),
        }
        for cell in &row.cells {
            out.push_str(&cell.html());
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// A headline figure box.
pub fn figure(label: &str, value: &str) -> String {
    format!(
        "<div class=\"figure\"><div class=\"label\">{}</div><div class=\"value\">{}</div></div>",
        escape(label),
        escape(value)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_everywhere() {
        let cases = [
            (
                "=HYPERLINK(\"http://x\",\"pay\")",
                "=HYPERLINK(&quot;http://x&quot;,&quot;pay&quot;)",
            ),
            (
                "<script>alert(1)</script>",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            ("Children's & Adults'", "Children&#39;s &amp; Adults&#39;"),
            ("plain", "plain"),
        ];
        for (text, expected) in cases {
            assert_eq!(escape(text), expected);
        }
        let html = page("<t>", "s", "", "", "f");
        assert!(
            html.contains("<title>&lt;t&gt;</title>") && html.contains("Content-Security-Policy")
        );
        let link = Td::Link {
            href: "a\"b.pdf".into(),
            text: "<x>".into(),
        };
        assert_eq!(
            link.html(),
            "<td><a href=\"a&quot;b.pdf\">&lt;x&gt;</a></td>"
        );
    }
}
