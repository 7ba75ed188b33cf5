//! A messy but honest book gives exactly the figures of its clean twin: the fixture rewritten
//! the way spreadsheets and people write books (byte-order marks, CRLF, Windows-1252 `£`,
//! spaces around values, thousands separators and accounting negatives, UK dates, blank rows,
//! headers in other cases, an extra column).

use crate::support::*;
use std::fs;

const AMOUNT_COLUMNS: [&str; 4] = ["amount", "opening", "target", "achieved"];
const DATE_COLUMNS: [&str; 5] = ["joined", "notice_given", "left", "from", "to"];

/// `142000.00` as `£142,000.00`, `-5.00` as `(£5.00)`.
fn messy_amount(plain: &str) -> String {
    let negative = plain.starts_with('-');
    let digits = plain.trim_start_matches('-');
    let (whole, pence) = digits.split_once('.').unwrap_or((digits, "00"));
    let grouped = accord::money::group_thousands(whole);
    if negative {
        format!("(£{grouped}.{pence})")
    } else {
        format!("£{grouped}.{pence}")
    }
}

/// `2013-11-20` as `20/11/2013`.
fn uk_date(iso: &str) -> String {
    match iso.split('-').collect::<Vec<_>>().as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

/// Windows-1252 for the characters the fixture uses (ASCII, and `£`).
fn windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '£' => 0xA3,
            c if c.is_ascii() => c as u8,
            c => panic!("{c:?} is not in the fixture"),
        })
        .collect()
}

#[test]
fn a_messy_book_gives_the_clean_figures() {
    let dir = scratch("messy");
    let book = copy_fixture(&dir);
    for entry in fs::read_dir(&book).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(&path)
            .unwrap();
        let records: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        let header = records[0].clone();
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .flexible(true)
            .from_writer(Vec::new());
        // Headers in title case with spaces, and a column accord does not know.
        let mut messy_header: Vec<String> = header
            .iter()
            .map(|h| {
                let spaced = h.replace('_', " ");
                let mut chars = spaced.chars();
                chars.next().map_or(String::new(), |f| {
                    f.to_uppercase().collect::<String>() + chars.as_str()
                })
            })
            .collect();
        messy_header.push("Notes".into());
        writer.write_record(&messy_header).unwrap();
        writer.write_record([""; 0]).unwrap();
        for (i, record) in records.iter().skip(1).enumerate() {
            let mut cells: Vec<String> = record
                .iter()
                .zip(&header)
                .map(|(value, column)| {
                    let value = if value.is_empty() {
                        String::new()
                    } else if AMOUNT_COLUMNS.contains(&column.as_str()) {
                        messy_amount(value)
                    } else if DATE_COLUMNS.contains(&column.as_str()) {
                        uk_date(value)
                    } else {
                        value.clone()
                    };
                    format!("  {value} ")
                })
                .collect();
            cells.push("checked by finance".into());
            writer.write_record(&cells).unwrap();
            if i % 5 == 0 {
                writer.write_record(vec![""; header.len()]).unwrap();
            }
        }
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        let bytes = if name == "budget.csv" || name == "actuals.csv" {
            windows_1252(&text)
        } else {
            let mut with_bom = b"\xEF\xBB\xBF".to_vec();
            with_bom.extend(text.as_bytes());
            with_bom
        };
        fs::write(&path, bytes).unwrap();
    }
    let out = dir.join("reports");
    let output = run_into(&book, &out);
    assert!(
        stderr(&output).contains("\"Notes\" is not a column"),
        "{}",
        stderr(&output)
    );
    assert_clean_figures(&out, "book");
}

/// The fixture as a person's workbook: sheets in reverse order with a hidden notes sheet and a
/// cover sheet; the settings table on a hidden sheet; each table starting at C4, with blank
/// rows; amounts as numbers, as text (`£1,234.50`), and as
/// formulas with their cached results; dates as date cells and as UK text; codes with spaces
/// around them; and trailing empty but formatted cells.
#[test]
fn a_messy_workbook_gives_the_clean_figures() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

    let dir = scratch("messy-workbook");
    let mut workbook = Workbook::new();
    let cover = workbook.add_worksheet().set_name("Cover").unwrap();
    cover
        .write_string(0, 0, "West London Alliance budget book")
        .unwrap();
    let mut names: Vec<String> = fs::read_dir(fixture())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.reverse();
    let boxed = Format::new().set_border(rust_xlsxwriter::FormatBorder::Thin);
    let (mut formulas, mut texts, mut date_cells) = (0, 0, 0);
    for name in &names {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(fixture().join(format!("{name}.csv")))
            .unwrap();
        let records: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        let header = records[0].clone();
        // Sheet names as people write them: "Support In Kind".
        let sheet_name = name
            .split('_')
            .map(|w| w[..1].to_uppercase() + &w[1..])
            .collect::<Vec<_>>()
            .join(" ");
        let sheet = workbook.add_worksheet().set_name(&sheet_name).unwrap();
        if name == "settings" {
            sheet.set_hidden(true);
        }
        let (top, left) = (3u32, 2u16);
        for (column, title) in header.iter().enumerate() {
            sheet
                .write_string(top, left + column as u16, title.to_uppercase())
                .unwrap();
        }
        let mut row = top + 1;
        for (i, record) in records.iter().skip(1).enumerate() {
            if i % 7 == 3 {
                row += 1; // a blank row
            }
            for (column, (value, title)) in record.iter().zip(&header).enumerate() {
                let col = left + column as u16;
                if value.is_empty() {
                    continue;
                }
                let is_number = value.parse::<f64>().is_ok();
                if AMOUNT_COLUMNS.contains(&title.as_str()) && is_number {
                    let number: f64 = value.parse().unwrap();
                    match i % 3 {
                        0 => sheet.write_number(row, col, number).map(|_| ()),
                        1 => {
                            texts += 1;
                            sheet
                                .write_string(row, col, messy_amount(value))
                                .map(|_| ())
                        }
                        _ => {
                            formulas += 1;
                            let formula = Formula::new(format!("={number}*2/2")).set_result(value);
                            sheet.write_formula(row, col, formula).map(|_| ())
                        }
                    }
                    .unwrap();
                } else if DATE_COLUMNS.contains(&title.as_str()) {
                    if i % 2 == 0 {
                        date_cells += 1;
                        let date = ExcelDateTime::parse_from_str(value).unwrap();
                        let format = Format::new().set_num_format("dd/mm/yyyy");
                        sheet
                            .write_datetime_with_format(row, col, &date, &format)
                            .unwrap();
                    } else {
                        sheet.write_string(row, col, uk_date(value)).unwrap();
                    }
                } else {
                    sheet.write_string(row, col, format!(" {value}  ")).unwrap();
                }
            }
            // Formatted but empty cells after the table.
            sheet
                .write_blank(row, left + header.len() as u16 + 2, &boxed)
                .unwrap();
            row += 1;
        }
    }
    let notes = workbook.add_worksheet().set_name("Notes").unwrap();
    notes
        .write_string(0, 0, "working notes; not a table")
        .unwrap();
    notes.set_hidden(true);
    assert!(formulas > 10 && texts > 10 && date_cells > 5);
    let book = dir.join("Budget Book 2013.xlsx");
    workbook.save(&book).unwrap();

    let out = dir.join("reports");
    let output = run_into(&book, &out);
    for sheet in ["Cover", "Notes"] {
        assert!(
            stderr(&output).contains(&format!("sheet {sheet} is not a table accord reads")),
            "{}",
            stderr(&output)
        );
    }
    assert_clean_figures(&out, "workbook");
}

/// Checks the figures in a reports folder are the fixture's golden ones, byte for byte.
fn assert_clean_figures(out: &std::path::Path, what: &str) {
    let golden = repo().join("tests/golden/wla");
    for file in [
        "allocations.csv",
        "carry_forward.csv",
        "invoices.csv",
        "variance.csv",
        "benefits.csv",
        "returns.csv",
    ] {
        assert_eq!(
            fs::read_to_string(out.join(file)).unwrap(),
            fs::read_to_string(golden.join(file)).unwrap(),
            "{file}: the messy {what}'s figures differ from the clean book's"
        );
    }
}
