//! Text from the book stays inert in every document (a council named like a spreadsheet
//! formula, a programme named like a script), and the same book gives the same bytes.

use super::{pdf_text, reports};
use crate::support::*;
use calamine::{open_workbook, Data, Reader, Xlsx};
use std::fs;

/// A PDF's object structure without its (compressed) stream data, where a name such as
/// `/URI` would have to be for a reader to act on it.
fn outside_streams(pdf: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = pdf;
    while let Some(start) = find(rest, b"stream\n") {
        out.extend_from_slice(&rest[..start]);
        let after = &rest[start..];
        let end = find(after, b"endstream").expect("every stream ends");
        rest = &after[end + b"endstream".len()..];
    }
    out.extend_from_slice(rest);
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn text_from_the_book_is_inert_in_every_document() {
    let dir = scratch("inert");
    let book = copy_fixture(&dir);
    let name = "=HYPERLINK(\"http://x\",\"pay\")";
    edit(
        &book,
        "councils.csv",
        "London Borough of Harrow",
        "\"=HYPERLINK(\"\"http://x\"\",\"\"pay\"\")\"",
    );
    edit(
        &book,
        "programmes.csv",
        "Passenger Transport Programme",
        "<script>alert(1)</script>",
    );
    let out = dir.join("reports");
    let output = accord(&[
        "run",
        book.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let year = out.join("2013-14");

    // xlsx: string cells with the text as written, and no formula anywhere mentions it.
    let mut statement: Xlsx<_> = open_workbook(year.join("statements/HRW.xlsx")).unwrap();
    let cells = statement.worksheet_range("Statement").unwrap();
    assert!(
        cells
            .used_cells()
            .any(|(_, _, c)| matches!(c, Data::String(s) if s.contains(name))),
        "the name is a string cell"
    );
    let formulas = statement.worksheet_formula("Statement").unwrap();
    assert!(
        formulas
            .used_cells()
            .all(|(_, _, f)| f.is_empty() || f.starts_with("SUM(")),
        "only accord's SUM formulas"
    );
    let mut summary: Xlsx<_> = open_workbook(year.join("summary.xlsx")).unwrap();
    let matrix = summary.worksheet_range("Contributions").unwrap();
    assert!(matrix
        .used_cells()
        .any(|(_, _, c)| matches!(c, Data::String(s) if s == "<script>alert(1)</script>")));
    let formulas = summary.worksheet_formula("Contributions").unwrap();
    assert!(formulas
        .used_cells()
        .all(|(_, _, f)| f.is_empty() || f.starts_with("SUM(")));

    // HTML: escaped, so no link to the outside and no script.
    for page in [out.join("index.html"), year.join("index.html")] {
        let html = fs::read_to_string(&page).unwrap();
        assert!(
            !html.contains("<script") && !html.contains("href=\"http"),
            "{}",
            page.display()
        );
    }
    let html = fs::read_to_string(year.join("index.html")).unwrap();
    assert!(
        html.contains("=HYPERLINK(&quot;http://x&quot;,&quot;pay&quot;)"),
        "the name shows, escaped"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));

    // PDF: plain text, and no link, action or script objects.
    let invoice = year.join("invoices/WLA-2013-14-EAL-HRW.pdf");
    assert!(
        pdf_text(&invoice).contains(name),
        "the name is printed as text"
    );
    for pdf in [
        invoice,
        year.join("statements/HRW.pdf"),
        year.join("invoices/WLA-2013-14-HOU-BAR.pdf"),
    ] {
        let bytes = outside_streams(&fs::read(&pdf).unwrap());
        for active in [
            "/URI",
            "/Annots",
            "/JavaScript",
            "/JS",
            "/OpenAction",
            "/AA",
            "/Launch",
        ] {
            assert!(
                !bytes.windows(active.len()).any(|w| w == active.as_bytes()),
                "{}: no {active}",
                pdf.display()
            );
        }
    }
    assert!(pdf_text(&year.join("invoices/WLA-2013-14-HOU-BAR.pdf"))
        .contains("<script>alert(1)</script>"));
}

#[test]
fn documents_are_the_same_bytes_every_run_and_in_the_manifest() {
    let dir = scratch("documents-twice");
    let again = dir.join("again");
    let output = accord(&[
        "run",
        fixture().to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let first = tree(reports());
    assert_eq!(
        first,
        tree(&again),
        "two runs give identical folders, PDFs and workbooks included"
    );
    let manifest = fs::read_to_string(reports().join("manifest.json")).unwrap();
    for (path, _) in first.iter().filter(|(p, _)| p != "manifest.json") {
        assert!(
            manifest.contains(&format!("\"{path}\"")),
            "the manifest lists {path}"
        );
    }
    for text in ["CreationDate", "ModDate"] {
        let pdf = &first.iter().find(|(p, _)| p.ends_with(".pdf")).unwrap().1;
        assert!(
            !pdf.windows(text.len()).any(|w| w == text.as_bytes()),
            "no {text} in a PDF"
        );
    }
}
