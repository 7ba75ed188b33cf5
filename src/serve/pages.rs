//! The pages `accord serve` shows: the upload form, a book's errors and warnings, a pack
//! (summary, dashboard, documents, zip), and short status pages. Plain HTML built from
//! escaped text, styled like the reports' own pages; they work without script (the upload
//! page's drag-and-drop is `/static/upload.js`, an enhancement of its file field).

use crate::diag::{Diagnostics, Severity};
use crate::model::Book;
use crate::output::OutputFile;
use crate::pipeline::Run;
use crate::render::html::{escape, STYLE};

/// One row of a problems table.
#[derive(Debug, Clone)]
pub struct Problem {
    pub severity: Severity,
    /// Where it is: `wla.xlsx: budget!E2` or `budget.csv:2:5` (blank for the book as a whole).
    pub place: String,
    pub message: String,
    /// What to write instead, when the message says.
    pub fix: String,
}

const EXTRA_STYLE: &str = "
form.upload{margin:18px 0}
.drop{border:2px dashed #1c4a78;border-radius:8px;padding:28px;text-align:center;background:#f7f9fc}
.drop.over{background:#dce6f0}
.drop input{margin:10px 0}
button{background:#1c4a78;color:#fff;border:0;border-radius:4px;padding:8px 18px;font-size:15px;cursor:pointer}
p.summary{font-weight:bold;background:#eef2f7;padding:10px 14px;border-radius:6px}
tr.error td.severity{color:#a31515;font-weight:bold}
tr.warning td.severity{color:#8a5a00}
ul.files li{margin:2px 0}
.dashboard{border:1px solid #ddd;border-radius:6px;padding:0 16px 12px;margin-top:12px;overflow-x:auto}
";

/// The navigation of every page. The page explaining a figure (SPEC §6, issue 10) belongs
/// here too once the library has it.
fn nav() -> String {
    "<a href=\"/\">Upload a book</a><a href=\"/compare\" id=\"nav-compare\">Compare books</a><a href=\"/template.xlsx\">Template workbook</a>".into()
}

/// A whole page around `body` (HTML made from escaped text). `script` names a script of the
/// server's own (`/static/...`), the only kind the content security policy lets run.
pub fn layout(title: &str, body: &str, script: Option<&str>) -> String {
    let script = script
        .map(|s| format!("<script src=\"{}\" defer></script>\n", escape(s)))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{title}</title>\n<style>{STYLE}{EXTRA_STYLE}</style>\n{script}</head>\n<body>\n\
<header><h1>accord</h1><p>The West London Alliance's cost allocation, from a web page</p></header>\n\
<nav>{nav}</nav>\n<main>\n{body}</main>\n\
<footer>accord {version}: the same work as <code>accord run</code>, on this computer.</footer>\n\
</body>\n</html>\n",
        title = escape(title),
        nav = nav(),
        version = env!("CARGO_PKG_VERSION"),
    )
}

/// The upload page: a plain form with a file field, which the script turns into a drop zone.
pub fn upload_page(note: Option<&str>) -> String {
    let note = note
        .map(|n| format!("<p class=\"summary\">{}</p>\n", escape(n)))
        .unwrap_or_default();
    let body = format!(
        "<h2>Upload the budget book</h2>\n{note}\
<p>Give the partnership's budget book: a workbook (<code>.xlsx</code>, <code>.xlsm</code>, \
<code>.xls</code>, <code>.ods</code>) or a <code>.zip</code> of its CSV files, one \
<code>&lt;table&gt;.csv</code> per table. accord checks it and, when it is valid, works out \
the reports: the same files as <code>accord run</code>. Up to {limit} MB.</p>\n\
<form class=\"upload\" method=\"post\" action=\"/upload\" enctype=\"multipart/form-data\">\n\
<div class=\"drop\" id=\"drop\"><label for=\"book\">Choose the book, or drop it here</label><br>\n\
<input type=\"file\" id=\"book\" name=\"book\" accept=\".xlsx,.xlsm,.xls,.ods,.zip\" required><br>\n\
<button type=\"submit\" id=\"submit\">Check and run</button></div>\n</form>\n\
<p>New book? Start from the <a href=\"/template.xlsx\" id=\"template\">template workbook</a>: \
every table with its header and an example row (the same as <code>accord init book.xlsx</code>).</p>\n",
        limit = super::safety::MAX_UPLOAD_BYTES / 1_000_000,
    );
    layout("accord: upload a book", &body, Some("/static/upload.js"))
}

/// The compare page: book A, and book B or what-if changes, one a line. A plain form.
pub fn compare_page(note: Option<&str>) -> String {
    let note = note
        .map(|n| format!("<p class=\"summary\">{}</p>\n", escape(n)))
        .unwrap_or_default();
    let body = format!(
        "<h2>Compare two books, or a book with what-if changes</h2>\n{note}\
<p>Give book A, and either book B or what-if changes: accord works out what every council \
pays under each and every row that differs, the same files as <code>accord compare</code>. \
Each book is checked as an upload is. Up to {limit} MB in all.</p>\n\
<form class=\"upload\" method=\"post\" action=\"/compare\" enctype=\"multipart/form-data\">\n\
<div class=\"drop\"><label for=\"book_a\">Book A</label><br>\n\
<input type=\"file\" id=\"book_a\" name=\"book_a\" accept=\".xlsx,.xlsm,.xls,.ods,.zip\" required><br>\n\
<label for=\"book_b\">Book B (or leave it empty and write what-if changes below)</label><br>\n\
<input type=\"file\" id=\"book_b\" name=\"book_b\" accept=\".xlsx,.xlsm,.xls,.ods,.zip\"><br>\n\
<label for=\"what_if\">What-if changes to book A, one a line: <code>leave:COUNCIL:DATE</code>, \
<code>leave:COUNCIL:PROGRAMME:DATE</code>, <code>join:COUNCIL:DATE[:NAME]</code>, \
<code>join:COUNCIL:PROGRAMME:DATE</code> or <code>budget:PROGRAMME:YEAR:PCT</code></label><br>\n\
<textarea id=\"what_if\" name=\"what_if\" rows=\"4\" cols=\"50\" placeholder=\"leave:HRW:2014-06-01\"></textarea><br>\n\
<button type=\"submit\" id=\"compare\">Compare</button></div>\n</form>\n",
        limit = super::safety::MAX_UPLOAD_BYTES / 1_000_000,
    );
    layout("accord: compare books", &body, None)
}

/// A comparison that cannot be made: every problem, each naming its book or change.
pub fn compare_problems_page(title: &str, problems: &[Problem]) -> String {
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let warnings = problems.len() - errors;
    let mut body = format!(
        "<h2>{}</h2>\n<p class=\"summary\" id=\"counts\">{}, {}: nothing was compared and nothing was written. \
Put right each place below, then compare again.</p>\n",
        escape(title),
        crate::text::counted(errors, "error"),
        crate::text::counted(warnings, "warning"),
    );
    body.push_str(&problems_table("problems", problems));
    body.push_str("<p><a href=\"/compare\">Compare again</a></p>\n");
    layout(&format!("accord: {title}"), &body, None)
}

/// A comparison's pack: its one line, the comparison page (`index.html`) itself, every file
/// to open or download, and all of them as one zip.
pub fn compare_pack_page(
    label_a: &str,
    label_b: &str,
    summary: &str,
    files: &[OutputFile],
) -> String {
    let mut body = format!(
        "<h2>A: {} &middot; B: {}</h2>\n<p class=\"summary\" id=\"summary\">{}</p>\n\
<p><a id=\"zip\" href=\"{zip}\" download>Download the whole comparison ({zip})</a> \
&middot; <a href=\"files/index.html\">open the comparison on its own</a></p>\n",
        escape(label_a),
        escape(label_b),
        escape(summary),
        zip = super::job::ZIP_NAME,
    );
    body.push_str("<h2>Comparison</h2>\n<div class=\"dashboard\" id=\"comparison\">\n");
    body.push_str(&index_main(files));
    body.push_str("</div>\n");
    body.push_str(&documents(files));
    layout(&format!("accord: {label_a} and {label_b}"), &body, None)
}

fn problems_table(id: &str, problems: &[Problem]) -> String {
    let mut html = format!(
        "<table id=\"{id}\">\n<tr><th>Kind</th><th>Place</th><th>Problem</th><th>What to write instead</th></tr>\n",
    );
    for p in problems {
        let (class, label) = match p.severity {
            Severity::Error => ("error", "error"),
            Severity::Warning => ("warning", "warning"),
        };
        html.push_str(&format!(
            "<tr class=\"{class}\"><td class=\"severity\">{label}</td><td class=\"place\">{}</td><td class=\"message\">{}</td><td class=\"fix\">{}</td></tr>\n",
            escape(&p.place),
            escape(&p.message),
            escape(&p.fix)
        ));
    }
    html.push_str("</table>\n");
    html
}

/// An invalid book: every error and warning with its place and fix, and nothing else.
pub fn problems_page(display_name: &str, problems: &[Problem], diags: &Diagnostics) -> String {
    let errors = diags
        .error_count()
        .max(problems.iter().filter(|p| p.is_error()).count());
    let warnings = diags.warning_count();
    let mut body = format!(
        "<h2>{} has to be put right</h2>\n<p class=\"summary\" id=\"counts\">{}, {}: nothing was worked out and nothing was written. \
Correct the book at each place below, then upload it again.</p>\n",
        escape(display_name),
        crate::text::counted(errors, "error"),
        crate::text::counted(warnings, "warning"),
    );
    body.push_str(&problems_table("problems", problems));
    if diags.unlisted_errors > 0 || diags.unlisted_warnings > 0 {
        body.push_str(&format!(
            "<p class=\"note\">Only the first {} errors and warnings are listed ({} more errors and {} more warnings are not); those above are often the same mistake.</p>\n",
            crate::diag::MAX_LISTED,
            diags.unlisted_errors,
            diags.unlisted_warnings
        ));
    }
    body.push_str("<p><a href=\"/\">Upload the corrected book</a></p>\n");
    layout(&format!("accord: {display_name} has errors"), &body, None)
}

/// What the pack page shows.
pub struct Pack<'a> {
    pub display_name: &'a str,
    pub summary: &'a str,
    pub warnings: &'a [Problem],
    pub book: &'a Book,
    pub run: &'a Run,
}

/// A valid book's pack: the one-line summary, its warnings, the dashboard, every year's
/// documents to open or download, and the whole reports folder as one zip. Links are
/// relative to the pack's address (`/packs/<id>/`).
pub fn pack_page(pack: &Pack) -> String {
    let mut body = format!(
        "<h2>{}</h2>\n<p class=\"summary\" id=\"summary\">{}</p>\n\
<p><a id=\"zip\" href=\"{zip}\" download>Download the whole reports folder ({zip})</a> \
&middot; <a href=\"files/index.html\">open the dashboard on its own</a></p>\n",
        escape(pack.display_name),
        escape(pack.summary),
        zip = super::job::ZIP_NAME,
    );
    if !pack.warnings.is_empty() {
        body.push_str(&format!(
            "<h2>{}</h2>\n",
            crate::text::counted(pack.warnings.len(), "warning")
        ));
        body.push_str(&problems_table("warnings", pack.warnings));
    }
    body.push_str("<h2>Dashboard</h2>\n<div class=\"dashboard\" id=\"dashboard\">\n");
    body.push_str(&index_main(&pack.run.files));
    body.push_str("</div>\n");
    body.push_str(&documents(&pack.run.files));
    layout(&format!("accord: {}", pack.display_name), &body, None)
}

/// The folder's own top page (`index.html`: the dashboard, or the comparison), its content
/// only, with its links made relative to the pack's page.
fn index_main(files: &[OutputFile]) -> String {
    let html = files
        .iter()
        .find(|f| f.path.as_os_str() == "index.html")
        .map(|f| String::from_utf8_lossy(&f.content).into_owned())
        .unwrap_or_default();
    let content = match (html.find("<main>"), html.find("</main>")) {
        (Some(start), Some(end)) if start < end => &html[start + "<main>".len()..end],
        _ => "",
    };
    content.replace("href=\"", "href=\"files/")
}

/// Every file of the reports folder, by year, each to open or download.
fn documents(files: &[OutputFile]) -> String {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for file in files {
        let path = file.path.to_string_lossy().into_owned();
        let group = match path.split_once('/') {
            Some((year, _)) => year.replace('-', "/"),
            None => "The whole book".to_string(),
        };
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, files)) => files.push(path),
            None => groups.push((group, vec![path])),
        }
    }
    groups.sort_by(|a, b| (a.0 != "The whole book", &a.0).cmp(&(b.0 != "The whole book", &b.0)));
    let mut html = String::from("<h2 id=\"documents\">Documents</h2>\n");
    for (group, mut files) in groups {
        files.sort();
        html.push_str(&format!(
            "<h3>{}</h3>\n<ul class=\"files\">\n",
            escape(&group)
        ));
        for path in files {
            let href = path
                .split('/')
                .map(percent_encode)
                .collect::<Vec<_>>()
                .join("/");
            html.push_str(&format!(
                "<li><a href=\"files/{href}\">{}</a> (<a href=\"files/{href}?download=1\" download>download</a>)</li>\n",
                escape(&path)
            ));
        }
        html.push_str("</ul>\n");
    }
    html
}

/// A path segment percent-encoded for a link: everything but `A-Z a-z 0-9 - . _ ~`.
pub fn percent_encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A short page for a refusal or a failure: what happened and what to do.
pub fn status_page(title: &str, text: &str) -> String {
    layout(
        &format!("accord: {title}"),
        &format!(
            "<h2>{}</h2>\n<p>{}</p>\n<p><a href=\"/\">Back to the upload page</a></p>\n",
            escape(title),
            escape(text)
        ),
        None,
    )
}

/// The script of the upload page: the drop zone. The form works without it.
pub const UPLOAD_JS: &str = r#"// accord serve: drop a book on the page to upload it (the file field works without this).
(function () {
  var drop = document.getElementById('drop');
  var input = document.getElementById('book');
  if (!drop || !input || !window.DataTransfer) { return; }
  ['dragenter', 'dragover'].forEach(function (name) {
    drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add('over'); });
  });
  ['dragleave', 'drop'].forEach(function (name) {
    drop.addEventListener(name, function () { drop.classList.remove('over'); });
  });
  drop.addEventListener('drop', function (e) {
    e.preventDefault();
    if (!e.dataTransfer || e.dataTransfer.files.length !== 1) { return; }
    input.files = e.dataTransfer.files;
    input.form.submit();
  });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_percent_encoded() {
        let cases = [
            ("index.html", "index.html"),
            ("WLA-2012-13-EAL-HRW.pdf", "WLA-2012-13-EAL-HRW.pdf"),
            ("a b", "a%20b"),
            ("<x>", "%3Cx%3E"),
        ];
        for (segment, expected) in cases {
            assert_eq!(percent_encode(segment), expected, "{segment:?}");
        }
    }

    #[test]
    fn text_from_the_book_is_escaped() {
        let problems = [Problem {
            severity: Severity::Error,
            place: "<b>.xlsx: budget!E2".into(),
            message: "\"<script>\" is not an amount".into(),
            fix: "write it like 1234.50".into(),
        }];
        let page = problems_page("<b>.xlsx", &problems, &Diagnostics::default());
        assert!(
            !page.contains("<script>") && !page.contains("<b>"),
            "{page}"
        );
        assert!(page.contains("&lt;script&gt;"));
    }
}
