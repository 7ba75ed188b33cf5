//! Broken and hostile books: each ends with exit 1, a message naming the file (and the cell or
//! part where there is one) and the limit it hit, within seconds and without eating memory; a
//! run writes nothing and leaves earlier reports alone.

use crate::support::{accord, copy_fixture, fixture, repo, run_into, scratch, stderr, tree};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A small, fast pseudo-random generator, so the tests need no crate for noise.
struct Noise(u64);

impl Noise {
    fn letters(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| {
                self.0 = self
                    .0
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                char::from(b'a' + ((self.0 >> 33) % 26) as u8)
            })
            .collect()
    }
}

/// The fixture workbook with its grants sheet (xl/worksheets/sheet5.xml) edited.
fn workbook_with_grants(edit: impl Fn(String) -> String) -> Vec<u8> {
    workbook_edited(|name, content| {
        if name == "xl/worksheets/sheet5.xml" {
            edit(content)
        } else {
            content
        }
    })
}

/// The fixture workbook with each XML part passed through `edit(part name, content)`.
fn workbook_edited(edit: impl Fn(&str, String) -> String) -> Vec<u8> {
    let bytes = fs::read(repo().join("fixtures/wla.xlsx")).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).unwrap();
        let name = part.name().unwrap().into_owned();
        let mut content = Vec::new();
        part.read_to_end(&mut content).unwrap();
        if name.ends_with(".xml") {
            content = edit(&name, String::from_utf8(content).unwrap()).into_bytes();
        }
        out.start_file(name, options).unwrap();
        out.write_all(&content).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Adds rows to the end of a worksheet's sheetData.
fn with_rows(rows: &str) -> impl Fn(String) -> String + '_ {
    move |sheet| {
        assert!(sheet.contains("</sheetData>"));
        sheet.replace("</sheetData>", &format!("{rows}</sheetData>"))
    }
}

/// Runs `accord run BOOK --out OUT` over earlier reports, expects exit 1 with every fragment
/// in its messages, and checks the earlier reports are untouched.
fn refused(book: &Path, fragments: &[&str]) {
    let dir = book.parent().unwrap();
    let out = dir.join("reports");
    if !out.exists() {
        run_into(&fixture(), &out);
    }
    let before = tree(&out);
    let output = accord(&[
        "run",
        book.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{}: {err}", book.display());
    let first_line = err.lines().next().unwrap_or_default();
    assert!(
        first_line.starts_with(&book.display().to_string()),
        "the first message names the file:\n{err}"
    );
    for fragment in fragments {
        assert!(err.contains(fragment), "expected {fragment:?} in:\n{err}");
    }
    assert!(err.contains("nothing was written"), "{err}");
    assert!(tree(&out) == before, "the earlier reports are as they were");
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn workbooks_that_would_take_the_machine_are_refused_before_they_are_read() {
    let dir = scratch("hostile-workbooks");
    // Two cells at A1 and XFD1048576: calamine would allocate the rectangle between them,
    // hundreds of gigabytes.
    let far = write(
        &dir,
        "far.xlsx",
        &workbook_with_grants(|sheet| {
            with_rows(
                r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#,
            )(sheet.replace(r#"<dimension ref="A1:D6"/>"#, ""))
        }),
    );
    refused(
        &far,
        &[
            "sheet grants (part xl/worksheets/sheet5.xml) has cells from A1 to XFD1048576",
            "17,179,869,184 cells, more than accord reads in one sheet (10,000,000)",
        ],
    );
    // A cell beyond the last column a spreadsheet has.
    let wide = write(
        &dir,
        "wide.xlsx",
        &workbook_with_grants(with_rows(
            r#"<row r="20"><c r="ZZZZZ20" t="inlineStr"><is><t>x</t></is></c></row>"#,
        )),
    );
    refused(
        &wide,
        &["has a cell at ZZZZZ20, beyond the last row or column"],
    );
    // Two million cells in one row, each column one further than the last.
    let mut many = String::from(r#"<row r="20">"#);
    for n in 0..2_000_000u32 {
        many.push_str(&format!("<c><v>{}</v></c>", n.wrapping_mul(2_654_435_761)));
    }
    many.push_str("</row>");
    let million = write(
        &dir,
        "million-columns.xlsx",
        &workbook_with_grants(with_rows(&many)),
    );
    refused(
        &million,
        &["has a cell at XFE20, beyond the last row or column"],
    );
    // XML nested a million deep.
    let deep = format!(
        r#"<row r="20"><c r="A20" t="inlineStr"><is>{}{}</is></c></row>"#,
        "<x>".repeat(1_000_000),
        "</x>".repeat(1_000_000)
    );
    let deep = write(&dir, "deep.xlsx", &workbook_with_grants(with_rows(&deep)));
    refused(
        &deep,
        &[
            "sheet grants (part xl/worksheets/sheet5.xml) nests its XML 1,000,00",
            "deeper than accord reads (100)",
        ],
    );
}

#[test]
fn a_cell_of_tens_of_megabytes_is_refused_at_its_place() {
    let dir = scratch("hostile-big-cell");
    // Random letters, so the part does not compress like a bomb and reaches the reader.
    let letters = Noise(7).letters(30_000_000);
    let big = write(
        &dir,
        "big-cell.xlsx",
        &workbook_with_grants(with_rows(&format!(
            r#"<row r="20"><c r="B20" t="inlineStr"><is><t>{letters}</t></is></c></row>"#
        ))),
    );
    refused(
        &big,
        &["grants!B20: error: this cell holds 30,000,000 characters, more than a spreadsheet cell can (32,767)"],
    );
    let output = accord(&["validate", big.to_str().unwrap()]);
    assert!(
        stderr(&output).len() < 10_000,
        "no message repeats the cell"
    );

    let book = copy_fixture(&dir);
    let path = book.join("grants.csv");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        format!("{text}2013/14,{},HAR,1\n", "X".repeat(40_000_000)),
    )
    .unwrap();
    refused(
        &book,
        &["grants.csv:7:2: error: this cell holds 40,000,000 characters"],
    );
}

#[test]
fn csv_files_with_millions_of_columns_or_a_stray_quote_are_refused_at_their_line() {
    let dir = scratch("hostile-csv");
    let book = copy_fixture(&dir);
    let path = book.join("grants.csv");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{text}2013/14{}x\n", ",".repeat(3_000_000))).unwrap();
    refused(
        &book,
        &["grants.csv:7:16385: error: a value beyond column 16,384 (XFD)"],
    );

    let quote = scratch("hostile-quote");
    let book = copy_fixture(&quote);
    crate::support::edit(
        &book,
        "budget.csv",
        ",Office running costs",
        ",\"Office running costs",
    );
    refused(
        &book,
        &[
            "budget.csv:3:3: error: this cell runs on from line 3 to line",
            "If the quote is a slip, remove it",
        ],
    );
}

#[test]
fn broken_files_are_errors_naming_them() {
    let dir = scratch("hostile-broken");
    let fixture_bytes = fs::read(repo().join("fixtures/wla.xlsx")).unwrap();
    let truncated = write(
        &dir,
        "truncated.xlsx",
        &fixture_bytes[..fixture_bytes.len() / 2],
    );
    refused(&truncated, &["cannot be read as a workbook"]);
    let mut corrupted = fixture_bytes.clone();
    for byte in corrupted.iter_mut().skip(2_000).step_by(97).take(200) {
        *byte ^= 0x5a;
    }
    let corrupted = write(&dir, "corrupted.xlsx", &corrupted);
    refused(&corrupted, &["cannot be read as a workbook"]);
    let text = write(
        &dir,
        "letter.xlsx",
        b"Dear finance director,\nplease find attached...\n",
    );
    refused(&text, &["cannot be read as a workbook"]);
    let empty = write(&dir, "empty.ods", b"");
    refused(&empty, &["the file is empty; it is not a workbook"]);
}

#[test]
fn an_ods_whose_repeated_rows_expand_to_billions_of_cells_is_refused() {
    let dir = scratch("hostile-ods");
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="grants"><table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16000" office:value-type="float" office:value="1"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    out.start_file("mimetype", stored).unwrap();
    out.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    out.start_file("content.xml", stored).unwrap();
    out.write_all(content.as_bytes()).unwrap();
    let bomb = write(&dir, "bomb.ods", &out.finish().unwrap().into_inner());
    refused(
        &bomb,
        &["sheet grants (in part content.xml) expands, with its repeated rows and cells, to 16,768,000,000 cells"],
    );
}

#[test]
fn a_workbook_that_repeats_one_long_shared_string_everywhere_is_refused() {
    // 900,000 cells each naming the same 20,000-character shared string: a 2 MB file that
    // calamine would expand to 18 GB (it took 17.6 GB before accord counted it).
    let dir = scratch("hostile-shared");
    let amplified = workbook_edited(|name, content| match name {
        "xl/sharedStrings.xml" => content.replace(
            "</sst>",
            &format!("<si><t>{}</t></si></sst>", "Q".repeat(20_000)),
        ),
        "xl/worksheets/sheet5.xml" => {
            // The new string's index: the count of the strings before it.
            let index = fixture_shared_strings();
            let mut rows = String::new();
            for row in 10..60_010 {
                rows.push_str(&format!(r#"<row r="{row}">"#));
                for column in 'F'..='T' {
                    rows.push_str(&format!(r#"<c r="{column}{row}" t="s"><v>{index}</v></c>"#));
                }
                rows.push_str("</row>");
            }
            content.replace("</sheetData>", &format!("{rows}</sheetData>"))
        }
        _ => content,
    });
    assert!(amplified.len() < 4_000_000, "{} bytes", amplified.len());
    let path = write(&dir, "amplified.xlsx", &amplified);
    refused(
        &path,
        &["its cells repeat shared text that would take more than 512 MiB to hold"],
    );
}

/// How many strings the fixture workbook's shared-strings table holds.
fn fixture_shared_strings() -> usize {
    let bytes = fs::read(repo().join("fixtures/wla.xlsx")).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive
        .by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text.matches("<si>").count()
}
