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
            "{file}: the messy book's figures differ from the clean one's"
        );
    }
}
