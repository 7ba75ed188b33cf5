//! Reading a book that is a folder of CSV files, one `<table>.csv` per table, as Excel or a
//! ledger system exports them (UTF-8 or Windows-1252, CRLF or LF line endings).

use std::path::Path;

use super::assemble::{assemble_table, text_value, SourceRow, MAX_ROWS};
use super::encoding::decode_text;
use super::{normalise_name, RawBook, RawTable, TABLE_NAMES};
use crate::diag::{Diagnostics, Place};

/// Reads every `<table>.csv` in `folder` (the `.csv` matched in any case, the table name with
/// [`normalise_name`]). Other CSV files are a warning, other files are ignored, and two files for
/// the same table are an error (the first by name is read). `None` when the folder itself cannot
/// be listed.
pub fn read_csv_folder(folder: &Path, diagnostics: &mut Diagnostics) -> Option<RawBook> {
    let label = folder.display().to_string();
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) => {
            diagnostics.error(
                Place::File { file: label.into() },
                format!("cannot list this folder: {error}"),
            );
            return None;
        }
    };
    let mut file_names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| is_csv_name(name))
        .collect();
    // read_dir's order is the file system's; sorting makes tables and messages repeatable.
    file_names.sort();

    let mut tables: Vec<RawTable> = Vec::new();
    let mut sources = super::TableSources::default();
    let mut hashed = Vec::new();
    for file_name in &file_names {
        let path = folder.join(file_name);
        let file_label = path.display().to_string();
        // Each file is read once: its bytes are hashed for the manifest, then parsed.
        let bytes = std::fs::read(&path);
        if let Ok(bytes) = &bytes {
            hashed.push(super::SourceFile::of(file_label.clone(), bytes));
        }
        let stem = &file_name[..file_name.len() - ".csv".len()];
        let Some(table_name) = table_name_for(stem) else {
            diagnostics.warning(
                Place::File {
                    file: file_label.into(),
                },
                "not a table accord reads; ignored",
            );
            continue;
        };
        if let Err(message) = sources.claim(table_name, file_name, "file") {
            diagnostics.error(
                Place::File {
                    file: file_label.into(),
                },
                message,
            );
            continue;
        }
        if let Some(table) = csv_table_from(table_name, &path, bytes, diagnostics) {
            tables.push(table);
        }
    }
    tables.sort_by_key(|table| TABLE_NAMES.iter().position(|name| *name == table.name));
    Some(RawBook {
        label,
        tables,
        sources: hashed,
    })
}

fn is_csv_name(file_name: &str) -> bool {
    file_name.len() > ".csv".len()
        && file_name
            .get(file_name.len() - ".csv".len()..)
            .is_some_and(|extension| extension.eq_ignore_ascii_case(".csv"))
}

/// The accord table a file stem or sheet name stands for, if any.
pub(crate) fn table_name_for(name: &str) -> Option<&'static str> {
    let normalised = normalise_name(name);
    TABLE_NAMES.into_iter().find(|table| *table == normalised)
}

/// Reads one CSV file as the table `table_name`. The first line with a value is the header. Each
/// row's place is the line its record starts on, each cell's adds its 1-based field number.
/// `None` (with an error) when the file cannot be read at all.
pub fn read_csv_table(
    table_name: &str,
    path: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<RawTable> {
    csv_table_from(table_name, path, std::fs::read(path), diagnostics)
}

/// [`read_csv_table`] on what reading `path` gave.
fn csv_table_from(
    table_name: &str,
    path: &Path,
    read: std::io::Result<Vec<u8>>,
    diagnostics: &mut Diagnostics,
) -> Option<RawTable> {
    let file = path.display().to_string();
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(error) => {
            diagnostics.error(
                Place::File { file: file.into() },
                format!("cannot read this file: {error}"),
            );
            return None;
        }
    };
    let (text, _) = decode_text(&bytes);
    drop(bytes);
    let rows = csv_rows(&text, &file, diagnostics);
    drop(text);
    Some(assemble_table(
        table_name,
        Place::File { file: file.into() },
        rows,
        diagnostics,
    ))
}

/// Splits decoded CSV text into rows; a record the parser rejects is an error at its line, and
/// reading goes on with the next record.
fn csv_rows(text: &str, file: &str, diagnostics: &mut Diagnostics) -> Vec<SourceRow> {
    let file: std::sync::Arc<str> = file.into();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line_number = record
                    .position()
                    .map_or(0, |position| record_line_number(text, position));
                let place = Place::Csv {
                    file: file.clone(),
                    line_number,
                    column_number: None,
                };
                if let Some(index) = record.iter().position(|field| field.contains('\n')) {
                    let field = &record[index];
                    let last_line = line_number + field.matches('\n').count();
                    diagnostics.error(
                        place.with_column(index + 1),
                        format!(
                            "this cell runs on from line {line_number} to line {last_line}: it \
                             starts with a quote (\") and ends only at the next quote (or the end \
                             of the file), so those lines are not read as rows. If the quote is a \
                             slip, remove it; if the cell is meant to hold line breaks, remove \
                             them"
                        ),
                    );
                    continue;
                }
                // Only up to the last value: a line of a million commas is a million empty
                // cells, and need not become a million values.
                let used = (0..record.len())
                    .rposition(|index| !record[index].trim().is_empty())
                    .map_or(0, |last| last + 1);
                if used == 0 {
                    continue;
                }
                rows.push(SourceRow {
                    place,
                    first_column_number: 1,
                    values: record.iter().take(used).map(text_value).collect(),
                });
                // The header and one row more than a table may hold are enough for the table
                // to say it is too long; reading on would only spend memory.
                if rows.len() > MAX_ROWS + 1 {
                    break;
                }
            }
            Err(error) => {
                let place = match error.position() {
                    Some(position) => Place::Csv {
                        file: file.clone(),
                        line_number: position.line() as usize,
                        column_number: None,
                    },
                    None => Place::File { file: file.clone() },
                };
                diagnostics.error(place, format!("this line is not valid CSV: {error}"));
                // Reading from memory, an I/O error cannot repeat itself usefully; any other
                // error has consumed its record, so the next read moves on.
                if error.is_io_error() || error.position().is_none() {
                    break;
                }
            }
        }
    }
    rows
}

/// The line a record starts on. The csv crate places a record where it began looking for it,
/// which is before any blank lines it skipped on the way; those are counted here.
fn record_line_number(text: &str, position: &csv::Position) -> usize {
    let rest = text.as_bytes().get(position.byte() as usize..);
    let skipped = rest
        .unwrap_or_default()
        .iter()
        .take_while(|byte| matches!(byte, b'\r' | b'\n'))
        .filter(|byte| **byte == b'\n')
        .count();
    position.line() as usize + skipped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::assemble::MAX_CELL_CHARS;
    use crate::book::CellValue;
    use crate::test_dir::TestDir;

    fn read(dir: &TestDir) -> (RawBook, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        let book = read_csv_folder(dir.path(), &mut diagnostics).expect("folder reads");
        (book, diagnostics)
    }

    fn text(table: &RawTable, row: usize, column: usize) -> CellValue {
        table.rows[row].cells[column].value.clone()
    }

    #[test]
    fn utf8_with_bom_crlf_and_windows_1252_all_read_alike() {
        let dir = TestDir::new("csv_encodings");
        let utf8 =
            "\u{feff}year,amount\r\n2012/13,£1,234.50\r\n".replace("£1,234.50", "\"£1,234.50\"");
        dir.write("budget.csv", utf8.as_bytes());
        dir.write(
            "grants.csv",
            b"year,amount\r\n2012/13,\"\xA31,234.50\"\r\n2013/14,\x80 5\r\n",
        );
        let (book, diagnostics) = read(&dir);
        assert!(diagnostics.items.is_empty(), "{diagnostics:?}");
        for name in ["budget", "grants"] {
            let table = book.table(name).expect(name);
            assert_eq!(
                table.headers[0].value,
                CellValue::Text("year".into()),
                "{name}"
            );
            assert_eq!(
                text(table, 0, 1),
                CellValue::Text("£1,234.50".into()),
                "{name}"
            );
        }
        assert_eq!(
            text(book.table("grants").unwrap(), 1, 1),
            CellValue::Text("€ 5".into())
        );
    }

    #[test]
    fn blank_rows_skipped_spaces_trimmed_ragged_rows_padded() {
        let dir = TestDir::new("csv_shapes");
        dir.write(
            "Councils.CSV",
            b"code , name ,kind\n\n BAR ,  Barnet \n,,\nBRE\r\n\r\n\n\"HRW\",\"Harrow, London\",guest\n",
        );
        let (book, diagnostics) = read(&dir);
        assert!(diagnostics.items.is_empty(), "{diagnostics:?}");
        let table = book.table("councils").expect("councils");
        let rows: Vec<Vec<CellValue>> = table
            .rows
            .iter()
            .map(|row| row.cells.iter().map(|c| c.value.clone()).collect())
            .collect();
        let t = |s: &str| CellValue::Text(s.into());
        assert_eq!(
            rows,
            [
                vec![t("BAR"), t("Barnet"), CellValue::Empty],
                vec![t("BRE"), CellValue::Empty, CellValue::Empty],
                vec![t("HRW"), t("Harrow, London"), t("guest")],
            ]
        );
        let lines: Vec<String> = table.rows.iter().map(|r| r.place.to_string()).collect();
        let file = dir.path().join("Councils.CSV").display().to_string();
        assert_eq!(lines, [3, 5, 8].map(|n| format!("{file}:{n}")));
        assert_eq!(
            table.rows[1].cells[2].place.to_string(),
            format!("{file}:5:3")
        );
    }

    #[test]
    fn places_name_the_file_line_and_field() {
        let dir = TestDir::new("csv_places");
        dir.write(
            "budget.csv",
            b"\r\n\r\nyear,amount\r\n2012/13,10\r\n2013/14,20\r\n",
        );
        let (book, _) = read(&dir);
        let table = book.table("budget").unwrap();
        let file = dir.path().join("budget.csv").display().to_string();
        assert_eq!(table.place.to_string(), file);
        assert_eq!(table.headers[1].place.to_string(), format!("{file}:3:2"));
        assert_eq!(
            table.rows[1].cells[1].place.to_string(),
            format!("{file}:5:2")
        );
        // A cell spread over two lines is an error at the line it starts on (it is most often
        // a stray quote swallowing rows), and the record after it keeps its own line.
        dir.write("budget.csv", b"line,amount\n\"two\nlines\",1\nnext,2\n");
        let (book, diagnostics) = read(&dir);
        let table = book.table("budget").unwrap();
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].place.to_string(), format!("{file}:4"));
        let message = diagnostics.items[0].to_string();
        assert!(
            message.starts_with(&format!(
                "{file}:2:1: error: this cell runs on from line 2 to line 3"
            )),
            "{message}"
        );
    }

    #[test]
    fn a_stray_quote_is_found_however_far_it_runs() {
        let dir = TestDir::new("csv_stray_quote");
        let file = dir.path().join("budget.csv").display().to_string();
        dir.write(
            "budget.csv",
            b"year,line,amount\n2012/13,\"Office costs,100\n2012/13,Board,200\n2013/14,Staff,300\n",
        );
        let (book, diagnostics) = read(&dir);
        assert!(book.table("budget").unwrap().rows.is_empty());
        let messages: Vec<String> = diagnostics.items.iter().map(|d| d.to_string()).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].starts_with(&format!(
                "{file}:2:2: error: this cell runs on from line 2 to line 5: it starts with a quote"
            )),
            "{messages:?}"
        );
    }

    #[test]
    fn rows_are_held_to_a_spreadsheets_limits() {
        let dir = TestDir::new("csv_limits");
        let file = dir.path().join("budget.csv").display().to_string();
        let mut text = String::from("year,amount\n");
        // A cell longer than a spreadsheet cell can be; then a line of a million commas with a
        // value at its end; then trailing empty cells, which are no error.
        text.push_str(&format!("2012/13,{}\n", "9".repeat(MAX_CELL_CHARS + 1)));
        text.push_str(&format!("2013/14,1{}x\n", ",".repeat(1_000_000)));
        text.push_str(&format!("2014/15,2{}\n", ",".repeat(1_000_000)));
        dir.write("budget.csv", text.as_bytes());
        let (book, diagnostics) = read(&dir);
        let messages: Vec<String> = diagnostics.items.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            messages,
            [
                format!("{file}:2:2: error: this cell holds 32,768 characters, more than a spreadsheet cell can (32,767); write the value alone in the cell"),
                format!("{file}:3:16385: error: a value beyond column 16,384 (XFD), the last a spreadsheet has; accord reads no further. Remove what is out there, or check the file's separator is a comma"),
            ]
        );
        let table = book.table("budget").unwrap();
        assert_eq!(table.rows.len(), 3);
        assert_eq!(table.rows[0].cells[1].value, CellValue::Empty);
    }

    #[test]
    fn file_names_match_tables_like_headers_do() {
        let dir = TestDir::new("csv_names");
        dir.write("Support In-Kind.csv", b"year\n2012/13\n");
        dir.write("cost-centres.csv", b"cost_centre\nX\n");
        dir.write("notes.csv", b"anything\n");
        dir.write("README.txt", b"not csv");
        let (book, diagnostics) = read(&dir);
        let names: Vec<&str> = book.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["support_in_kind", "cost_centres"]);
        let messages: Vec<String> = diagnostics.items.iter().map(|d| d.to_string()).collect();
        let notes = dir.path().join("notes.csv").display().to_string();
        assert_eq!(
            messages,
            [format!(
                "{notes}: warning: not a table accord reads; ignored"
            )]
        );
    }

    #[test]
    fn two_files_for_one_table_is_an_error() {
        let dir = TestDir::new("csv_duplicates");
        dir.write("budget.csv", b"year\n2012/13\n");
        dir.write("Budget .csv", b"year\n2013/14\n");
        let (book, diagnostics) = read(&dir);
        assert!(diagnostics.has_errors());
        let error = diagnostics.errors().next().unwrap().to_string();
        assert!(
            error.contains("Budget .csv") && error.contains("a second file"),
            "{error}"
        );
        assert_eq!(book.tables.len(), 1);
    }

    #[test]
    fn an_empty_file_is_a_table_without_header() {
        let dir = TestDir::new("csv_empty");
        dir.write("settings.csv", b"");
        let (book, diagnostics) = read(&dir);
        assert!(diagnostics.items.is_empty());
        let table = book.table("settings").unwrap();
        assert!(table.headers.is_empty() && table.rows.is_empty());
    }

    #[test]
    fn odd_quoting_never_panics() {
        let dir = TestDir::new("csv_odd");
        dir.write(
            "budget.csv",
            b"a,b\n\"unterminated,1\nx\"y,2\n\"\"\"\n\r\r\n,\"",
        );
        let (book, _) = read(&dir);
        assert!(book.table("budget").is_some());
    }
}
