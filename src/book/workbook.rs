//! Reading a book that is a workbook (xlsx, xlsm, xlsb, xls, ods) through calamine: one sheet
//! per table, each cell placed at its absolute spreadsheet address (`book.xlsx: budget!C17`).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use calamine::{open_workbook, Data, Ods, Range, Reader, Sheets, Xls, Xlsb, Xlsx};
use chrono::{Datelike, NaiveDate};

use super::assemble::{assemble_table, text_value, SourceRow};
use super::csv_folder::table_name_for;
use super::{CellValue, RawBook, RawTable, TABLE_NAMES};
use crate::diag::{Diagnostics, Place};

/// The file extensions read as workbooks, lower case.
pub const WORKBOOK_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Reads every sheet whose name is a table's (matched with [`super::normalise_name`]). Other
/// sheets are a warning; two sheets for one table are an error (the first is read). `None`, with
/// an error naming the file, when the file is not a workbook calamine can open, whatever is
/// wrong with it: missing, empty, truncated, encrypted or something else renamed.
pub fn read_workbook(path: &Path, diagnostics: &mut Diagnostics) -> Option<RawBook> {
    let label = path.display().to_string();
    let file_place = Place::File {
        file: label.clone().into(),
    };
    if std::fs::metadata(path).is_ok_and(|metadata| metadata.len() == 0) {
        diagnostics.error(file_place, "the file is empty; it is not a workbook");
        return None;
    }
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(extension.as_str(), "xlsx" | "xlsm" | "xlsb" | "ods") {
        if let Err(reason) = super::package::check_package(path) {
            diagnostics.error(file_place, reason);
            return None;
        }
    }
    // calamine parses untrusted bytes; should it ever panic on a damaged file, that is this
    // file's problem to report, not a reason for accord to crash.
    let mut local = Diagnostics::default();
    let read = catch_unwind(AssertUnwindSafe(|| read_sheets(path, &label, &mut local)));
    match read {
        Ok(book) => {
            diagnostics.append(local);
            book
        }
        Err(_) => {
            diagnostics.error(
                file_place,
                "cannot be read as a workbook: it appears to be damaged; open it in a \
                 spreadsheet program and save it again",
            );
            None
        }
    }
}

fn open(path: &Path) -> Result<Sheets<std::io::BufReader<std::fs::File>>, String> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "xlsx" | "xlsm" => open_workbook::<Xlsx<_>, _>(path)
            .map(Sheets::Xlsx)
            .map_err(|e| e.to_string()),
        "xlsb" => open_workbook::<Xlsb<_>, _>(path)
            .map(Sheets::Xlsb)
            .map_err(|e| e.to_string()),
        "xls" => open_workbook::<Xls<_>, _>(path)
            .map(Sheets::Xls)
            .map_err(|e| e.to_string()),
        "ods" => open_workbook::<Ods<_>, _>(path)
            .map(Sheets::Ods)
            .map_err(|e| e.to_string()),
        _ => calamine::open_workbook_auto(path).map_err(|e| e.to_string()),
    }
}

fn read_sheets(path: &Path, label: &str, diagnostics: &mut Diagnostics) -> Option<RawBook> {
    let mut workbook = match open(path) {
        Ok(workbook) => workbook,
        Err(error) => {
            let message = if path.exists() {
                format!(
                    "cannot be read as a workbook (it may be damaged, password-protected, or \
                     not really a workbook): {error}"
                )
            } else {
                "no such file".to_owned()
            };
            diagnostics.error(
                Place::File {
                    file: label.to_owned().into(),
                },
                message,
            );
            return None;
        }
    };
    let mut tables: Vec<RawTable> = Vec::new();
    let mut sources = super::TableSources::default();
    for sheet in workbook.sheet_names() {
        let sheet_place = Place::WholeSheet {
            file: label.to_owned().into(),
            sheet: sheet.clone().into(),
        };
        let Some(table_name) = table_name_for(&sheet) else {
            diagnostics.warning(
                sheet_place,
                format!("sheet {sheet} is not a table accord reads; ignored"),
            );
            continue;
        };
        if let Err(message) = sources.claim(table_name, &sheet, "sheet") {
            diagnostics.error(sheet_place, message);
            continue;
        }
        match workbook.worksheet_range(&sheet) {
            Ok(range) => tables.push(sheet_table(table_name, label, &sheet, &range, diagnostics)),
            Err(error) => {
                diagnostics.error(sheet_place, format!("cannot read this sheet: {error}"))
            }
        }
    }
    tables.sort_by_key(|table| TABLE_NAMES.iter().position(|name| *name == table.name));
    Some(RawBook {
        label: label.to_owned(),
        tables,
        sources: Vec::new(),
    })
}

/// One sheet as a table. `range` covers only the used cells, starting wherever the first one
/// is: `Range::start()` gives that offset, so places are absolute (`budget!C17` is the C17 a
/// spreadsheet program shows). The header is the first non-empty row of the used range.
fn sheet_table(
    table_name: &str,
    file: &str,
    sheet: &str,
    range: &Range<Data>,
    diagnostics: &mut Diagnostics,
) -> RawTable {
    let file: std::sync::Arc<str> = file.into();
    let sheet: std::sync::Arc<str> = sheet.into();
    let place = Place::WholeSheet {
        file: file.clone(),
        sheet: sheet.clone(),
    };
    let (first_row_index, first_column_index) = range.start().unwrap_or((0, 0));
    let rows = range.rows().enumerate().map(|(offset, cells)| SourceRow {
        place: Place::Sheet {
            file: file.clone(),
            sheet: sheet.clone(),
            row_number: first_row_index as usize + offset + 1,
            column_number: None,
        },
        first_column_number: first_column_index as usize + 1,
        values: cells.iter().map(cell_value).collect(),
    });
    assemble_table(table_name, place, rows, diagnostics)
}

/// A calamine cell as accord keeps it. A formula cell arrives as the value it last showed.
fn cell_value(data: &Data) -> CellValue {
    match data {
        Data::Empty => CellValue::Empty,
        Data::String(text) => text_value(text),
        Data::Float(number) => CellValue::Number(*number),
        Data::Int(number) => CellValue::Number(*number as f64),
        Data::Bool(value) => CellValue::Bool(*value),
        Data::DateTime(datetime) if datetime.is_duration() => CellValue::Error(format!(
            "a length of time ({} days), not a date",
            datetime.as_f64()
        )),
        Data::DateTime(datetime) => match datetime.as_datetime() {
            Some(datetime) if datetime.date().year() >= 1900 => CellValue::Date(datetime.date()),
            _ => CellValue::Error(format!(
                "a time or a date before 1900 (spreadsheet serial {}), not a calendar date",
                datetime.as_f64()
            )),
        },
        Data::DateTimeIso(text) => iso_date(text)
            .map(CellValue::Date)
            .unwrap_or_else(|| text_value(text)),
        Data::DurationIso(text) => text_value(text),
        Data::Error(error) => CellValue::Error(error.to_string()),
    }
}

/// The date part of an ISO 8601 date or date-time (`2012-04-01`, `2012-04-01T09:30:00`), as an
/// OpenDocument date cell holds it.
fn iso_date(text: &str) -> Option<NaiveDate> {
    let date_part = text.trim().split('T').next()?;
    NaiveDate::parse_from_str(date_part, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};

    fn date(year: i32, month: u32, day: u32) -> CellValue {
        CellValue::Date(NaiveDate::from_ymd_opt(year, month, day).unwrap())
    }

    #[test]
    fn calamine_cells_convert() {
        let serial = |value| {
            Data::DateTime(ExcelDateTime::new(
                value,
                ExcelDateTimeType::DateTime,
                false,
            ))
        };
        let cases = [
            (
                Data::String("  Barnet \u{A0}".into()),
                CellValue::Text("Barnet".into()),
            ),
            (Data::String("   ".into()), CellValue::Empty),
            (Data::Float(1234.5), CellValue::Number(1234.5)),
            (Data::Int(-7), CellValue::Number(-7.0)),
            (Data::Bool(true), CellValue::Bool(true)),
            (serial(41000.0), date(2012, 4, 1)),
            (serial(41000.75), date(2012, 4, 1)),
            (serial(1.0), date(1900, 1, 1)),
            (Data::DateTimeIso("2012-04-01".into()), date(2012, 4, 1)),
            (
                Data::DateTimeIso("2012-04-01T10:00:00".into()),
                date(2012, 4, 1),
            ),
            (
                Data::DateTimeIso("10:00:00".into()),
                CellValue::Text("10:00:00".into()),
            ),
            (
                Data::DurationIso("PT1H".into()),
                CellValue::Text("PT1H".into()),
            ),
            (
                Data::Error(CellErrorType::Ref),
                CellValue::Error("#REF!".into()),
            ),
            (Data::Empty, CellValue::Empty),
        ];
        for (data, expected) in cases {
            assert_eq!(cell_value(&data), expected, "{data:?}");
        }
        for value in [0.5, 0.0, -3.0] {
            let converted = cell_value(&serial(value));
            assert!(
                matches!(converted, CellValue::Error(_)),
                "{value}: {converted:?}"
            );
        }
        let duration = Data::DateTime(ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false));
        assert!(matches!(cell_value(&duration), CellValue::Error(_)));
    }
}
