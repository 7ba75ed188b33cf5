//! Tests of `read_book` end to end: dispatch, workbooks written by `write` and read back, and
//! files that are not books at all.

use chrono::NaiveDate;
use rust_xlsxwriter::{Formula, Workbook};

use super::*;
use crate::test_dir::TestDir;

fn text(value: &str) -> CellValue {
    CellValue::Text(value.to_owned())
}

fn date(year: i32, month: u32, day: u32) -> CellValue {
    CellValue::Date(NaiveDate::from_ymd_opt(year, month, day).unwrap())
}

/// A table as `model` would never see it (no places), for writing.
fn table(name: &str, headers: &[&str], rows: Vec<Vec<CellValue>>) -> RawTable {
    let place = Place::File { file: "-".into() };
    let cell = |value: CellValue| Cell {
        value,
        place: place.clone(),
    };
    RawTable {
        name: name.to_owned(),
        place: place.clone(),
        headers: headers.iter().map(|h| cell(text(h))).collect(),
        rows: rows
            .into_iter()
            .map(|cells| RawRow {
                place: place.clone(),
                cells: cells.into_iter().map(cell).collect(),
            })
            .collect(),
    }
}

fn values(table: &RawTable) -> Vec<Vec<CellValue>> {
    let rows = table.rows.iter();
    rows.map(|row| row.cells.iter().map(|c| c.value.clone()).collect())
        .collect()
}

fn messages(diagnostics: &Diagnostics) -> Vec<String> {
    diagnostics.items.iter().map(|d| d.to_string()).collect()
}

#[test]
fn a_written_workbook_reads_back_with_its_values_and_places() {
    let dir = TestDir::new("round_trip");
    let path = dir.path().join("book.xlsx");
    let link = r#"=HYPERLINK("http://example.com","x")"#;
    let budget = table(
        "budget",
        &["year", "programme", "amount", "from", "note", "flag"],
        vec![
            vec![
                text("2012/13"),
                text("OFFICE"),
                text("1234.50"),
                text("2012-04-01"),
                text(link),
                CellValue::Bool(true),
            ],
            vec![
                text("2013/14"),
                text("007"),
                CellValue::Number(-7.25),
                date(2013, 4, 1),
                CellValue::Error("#REF!".into()),
                CellValue::Empty,
            ],
            vec![
                text("2014/15"),
                text("SKILLS"),
                text("12"),
                CellValue::Empty,
                text("2012-02-30"),
                CellValue::Empty,
            ],
        ],
    );
    let councils = table(
        "councils",
        &["code", "name"],
        vec![vec![text("BAR"), text("Barnet")]],
    );
    write_workbook(&[budget, councils], &path).expect("written");

    let (book, diagnostics) = read_book(&path);
    assert!(diagnostics.items.is_empty(), "{:?}", messages(&diagnostics));
    let book = book.expect("a book");
    assert_eq!(book.label, path.display().to_string());
    let names: Vec<&str> = book.tables.iter().map(|t| t.name.as_str()).collect();
    // Every table gets its sheet (SPEC §4), in the SPEC's order, whatever order they came in.
    assert_eq!(
        names,
        crate::book::TABLE_NAMES.to_vec(),
        "tables come in the SPEC's order"
    );

    let budget = book.table("budget").unwrap();
    assert_eq!(
        values(budget),
        [
            vec![
                text("2012/13"),
                text("OFFICE"),
                CellValue::Number(1234.5),
                date(2012, 4, 1),
                text(link),
                CellValue::Bool(true)
            ],
            vec![
                text("2013/14"),
                text("007"),
                CellValue::Number(-7.25),
                date(2013, 4, 1),
                text("#REF!"),
                CellValue::Empty
            ],
            vec![
                text("2014/15"),
                text("SKILLS"),
                CellValue::Number(12.0),
                CellValue::Empty,
                text("2012-02-30"),
                CellValue::Empty
            ],
        ]
    );
    let file = path.display().to_string();
    assert_eq!(budget.place.to_string(), format!("{file}: budget"));
    assert_eq!(
        budget.headers[2].place.to_string(),
        format!("{file}: budget!C1")
    );
    assert_eq!(
        budget.rows[0].cells[2].place.to_string(),
        format!("{file}: budget!C2")
    );
    assert_eq!(
        budget.rows[2].place.to_string(),
        format!("{file}: budget!4:4")
    );
}

#[test]
fn the_same_tables_give_the_same_bytes() {
    let dir = TestDir::new("deterministic");
    let tables = [table(
        "settings",
        &["key", "value"],
        vec![vec![text("office"), text("OFFICE")]],
    )];
    let first = dir.path().join("first.xlsx");
    let second = dir.path().join("second.xlsx");
    write_workbook(&tables, &first).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    write_workbook(&tables, &second).unwrap();
    assert_eq!(
        std::fs::read(first).unwrap(),
        std::fs::read(second).unwrap()
    );
}

#[test]
fn places_are_absolute_when_the_used_range_starts_at_b3() {
    let dir = TestDir::new("offset");
    let path = dir.path().join("Offset.XLSX");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Budget").unwrap();
    sheet.write_string(2, 1, "year").unwrap();
    sheet.write_string(2, 2, "amount").unwrap();
    sheet.write_string(4, 1, "2012/13").unwrap();
    sheet
        .write_formula(4, 2, Formula::new("=2+2").set_result("4"))
        .unwrap();
    sheet.write_string(5, 4, "stray").unwrap();
    workbook.save(&path).unwrap();

    let (book, diagnostics) = read_book(&path);
    let file = path.display().to_string();
    assert_eq!(
        messages(&diagnostics),
        [format!(
            "{file}: Budget!E6: warning: value in a column with no header; ignored"
        )]
    );
    let budget = book.unwrap().table("budget").cloned().unwrap();
    assert_eq!(
        budget.headers.len(),
        2,
        "the empty header cells to the right are dropped"
    );
    assert_eq!(
        budget.headers[0].place.to_string(),
        format!("{file}: Budget!B3")
    );
    // Row 4 is blank; the formula reads as the value it last showed.
    assert_eq!(
        values(&budget),
        [vec![text("2012/13"), CellValue::Number(4.0)]]
    );
    assert_eq!(
        budget.rows[0].cells[1].place.to_string(),
        format!("{file}: Budget!C5")
    );
}

#[test]
fn sheet_names_match_tables_and_others_are_warned_about() {
    let dir = TestDir::new("sheets");
    let path = dir.path().join("book.xlsx");
    let mut workbook = Workbook::new();
    for name in ["Cost Centres", "Notes", "cost_centres", "Support-in-kind"] {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).unwrap();
        sheet.write_string(0, 0, "year").unwrap();
    }
    // An empty sheet is a table with no header.
    workbook.add_worksheet().set_name("settings").unwrap();
    workbook.save(&path).unwrap();

    let (book, diagnostics) = read_book(&path);
    let file = path.display().to_string();
    assert_eq!(
        messages(&diagnostics),
        [
            format!("{file}: Notes: warning: sheet Notes is not a table accord reads; ignored"),
            format!(
                "{file}: cost_centres: error: a second sheet for the cost_centres table (the \
                 first is Cost Centres); keep one and rename or remove the other"
            ),
        ]
    );
    let book = book.unwrap();
    let names: Vec<&str> = book.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["support_in_kind", "cost_centres", "settings"]);
    let settings = book.table("settings").unwrap();
    assert!(settings.headers.is_empty() && settings.rows.is_empty());
}

#[test]
fn what_is_not_a_book_is_an_error_naming_it() {
    let dir = TestDir::new("not_books");
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let mut truncated = workbook_bytes(&[table("budget", &["year"], vec![])]).unwrap();
    truncated.truncate(truncated.len() / 2);
    let cases: Vec<(std::path::PathBuf, &str)> = vec![
        (
            dir.write("random.xlsx", &junk),
            "cannot be read as a workbook",
        ),
        (
            dir.write("random.ods", &junk),
            "cannot be read as a workbook",
        ),
        (
            dir.write("random.xls", &junk),
            "cannot be read as a workbook",
        ),
        (
            dir.write("truncated.xlsx", &truncated),
            "cannot be read as a workbook",
        ),
        (
            dir.write("zip.xlsx", b"PK\x03\x04not really"),
            "cannot be read as a workbook",
        ),
        (dir.write("empty.xlsx", b""), "the file is empty"),
        (
            dir.write("budget.csv", b"year\n"),
            "a single CSV file is not a book",
        ),
        (dir.write("book.txt", b"year\n"), "not a budget book"),
        (dir.path().join("missing.xlsx"), "no such file or folder"),
        (dir.path().join("missing"), "no such file or folder"),
    ];
    for (path, expected) in cases {
        let (book, diagnostics) = read_book(&path);
        assert!(book.is_none(), "{}", path.display());
        let messages = messages(&diagnostics);
        let prefix = format!("{}: error: ", path.display());
        assert!(
            messages.len() == 1
                && messages[0].starts_with(&prefix)
                && messages[0].contains(expected),
            "{}: {messages:?}",
            path.display()
        );
    }
}

#[test]
fn a_folder_is_read_as_csv_files() {
    let dir = TestDir::new("folder_book");
    dir.write("budget.csv", b"year,amount\n2012/13,10\n");
    let (book, diagnostics) = read_book(dir.path());
    assert!(diagnostics.items.is_empty());
    let book = book.unwrap();
    assert_eq!(book.label, dir.path().display().to_string());
    assert_eq!(
        values(book.table("budget").unwrap()),
        [vec![text("2012/13"), text("10")]]
    );
}
