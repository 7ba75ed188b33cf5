//! Writing raw tables as a workbook, one sheet per table: how `accord convert` makes the
//! fixture workbook from the fixture CSV folder (so the two never drift) and `accord init` a
//! starter book. The same tables always give the same bytes.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::guided::{every_table, CodeRanges};
use super::{CellValue, RawTable};

/// Why a workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot build the workbook's sheet {sheet}: {source}")]
    Sheet { sheet: String, source: XlsxError },
    #[error("cannot assemble the workbook: {0}")]
    Assemble(XlsxError),
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// The creation date written into every workbook's document properties, fixed so that the
/// same tables give the same bytes (rust_xlsxwriter would otherwise stamp the current time).
const CREATION_DATE: (u16, u8, u8) = (2000, 1, 1);

/// Narrowest and widest column, in characters.
const COLUMN_WIDTH_RANGE: (usize, usize) = (8, 60);

/// Writes `tables` to `path` as an xlsx workbook, one sheet per table named after it: the
/// header row bold and frozen, then the rows. See [`workbook_bytes`] for how values are written.
pub fn write_workbook(tables: &[RawTable], path: &Path) -> Result<(), WriteError> {
    let bytes = workbook_bytes(tables)?;
    std::fs::write(path, bytes).map_err(|source| WriteError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// The xlsx bytes for `tables`. Text that is a plain decimal number (`1234.50`, `-7`) becomes a
/// number cell (formatted `#,##0.00` when it has exactly two decimals), and text that is an ISO
/// date (`2012-04-01`) a date cell, so the workbook reads as a person would have typed it. All
/// other text is written as text, never as a formula, whatever it starts with. Numbers with a
/// leading zero (`007`) or more than 15 digits stay text: a number cell would lose digits.
pub fn workbook_bytes(tables: &[RawTable]) -> Result<Vec<u8>, WriteError> {
    let mut workbook = Workbook::new();
    let (year, month, day) = CREATION_DATE;
    let created = ExcelDateTime::from_ymd(year, month, day).expect("a valid fixed date");
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    // Every table gets its sheet, the missing ones with their header only (SPEC §4), so the
    // workbook guides the entry of every table.
    let tables = every_table(tables);
    let codes = CodeRanges::of(&tables);
    for table in &tables {
        let worksheet = workbook.add_worksheet();
        write_sheet(worksheet, table)
            .and_then(|()| super::guided::guide_sheet(worksheet, table, &codes))
            .map_err(|source| WriteError::Sheet {
                sheet: table.name.clone(),
                source,
            })?;
    }
    workbook.save_to_buffer().map_err(WriteError::Assemble)
}

fn write_sheet(worksheet: &mut Worksheet, table: &RawTable) -> Result<(), XlsxError> {
    let header_format = Format::new().set_bold();
    let money_format = Format::new().set_num_format("#,##0.00");
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    worksheet.set_name(&table.name)?;

    let mut widths: Vec<usize> = Vec::new();
    let mut note_width = |column: usize, width: usize| {
        if widths.len() <= column {
            widths.resize(column + 1, 0);
        }
        widths[column] = widths[column].max(width);
    };
    for (column, header) in table.headers.iter().enumerate() {
        let col = column_index(column)?;
        let text = display_text(&header.value);
        worksheet.write_string_with_format(0, col, &text, &header_format)?;
        note_width(column, text.chars().count());
    }
    for (row_offset, row) in table.rows.iter().enumerate() {
        let row_index =
            u32::try_from(row_offset + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (column, cell) in row.cells.iter().enumerate() {
            let col = column_index(column)?;
            match &cell.value {
                CellValue::Empty => {}
                CellValue::Text(text) => {
                    if let Some((number, decimals)) = plain_decimal(text) {
                        if decimals == 2 {
                            worksheet.write_number_with_format(
                                row_index,
                                col,
                                number,
                                &money_format,
                            )?;
                        } else {
                            worksheet.write_number(row_index, col, number)?;
                        }
                    } else if let Some(date) = iso_date(text).and_then(excel_date) {
                        worksheet.write_datetime_with_format(
                            row_index,
                            col,
                            &date,
                            &date_format,
                        )?;
                    } else {
                        worksheet.write_string(row_index, col, text)?;
                    }
                }
                CellValue::Number(number) => {
                    worksheet.write_number(row_index, col, *number)?;
                }
                CellValue::Date(date) => match excel_date(*date) {
                    Some(date) => {
                        worksheet.write_datetime_with_format(
                            row_index,
                            col,
                            &date,
                            &date_format,
                        )?;
                    }
                    None => {
                        worksheet.write_string(
                            row_index,
                            col,
                            date.format("%Y-%m-%d").to_string(),
                        )?;
                    }
                },
                CellValue::Bool(value) => {
                    worksheet.write_boolean(row_index, col, *value)?;
                }
                CellValue::Error(text) => {
                    worksheet.write_string(row_index, col, text)?;
                }
            }
            note_width(column, display_text(&cell.value).chars().count());
        }
    }
    for (column, width) in widths.into_iter().enumerate() {
        let width = (width + 2).clamp(COLUMN_WIDTH_RANGE.0, COLUMN_WIDTH_RANGE.1);
        worksheet.set_column_width(column_index(column)?, width as f64)?;
    }
    worksheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn column_index(column: usize) -> Result<u16, XlsxError> {
    u16::try_from(column).map_err(|_| XlsxError::RowColumnLimitError)
}

/// Roughly what a cell shows, to size its column.
fn display_text(value: &CellValue) -> String {
    match value {
        CellValue::Empty => String::new(),
        CellValue::Text(text) | CellValue::Error(text) => text.clone(),
        // Thousands separators and two decimals, as `#,##0.00` shows it.
        CellValue::Number(number) => format!("{number:.2},,"),
        CellValue::Date(_) => "yyyy-mm-dd".to_owned(),
        CellValue::Bool(value) => value.to_string().to_uppercase(),
    }
}

/// A text of the form `-?digits(.digits)?` as a number and its count of decimals. Not one with
/// a needless leading zero (`007`, a code) or more than 15 digits (beyond an f64's precision).
fn plain_decimal(text: &str) -> Option<(f64, usize)> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || fraction.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    if whole.len() > 1 && whole.starts_with('0') {
        return None;
    }
    let decimals = fraction.map_or(0, str::len);
    if whole.len() + decimals > 15 {
        return None;
    }
    text.parse().ok().map(|number| (number, decimals))
}

/// A text of exactly the form `YYYY-MM-DD` that is a real date.
fn iso_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            4 | 7 => *byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The spreadsheet date for a calendar date; `None` before 1900, where spreadsheets have none.
fn excel_date(date: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(date.year()).ok()?;
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_decimals_are_recognised() {
        let cases: &[(&str, Option<(f64, usize)>)] = &[
            ("1234.50", Some((1234.5, 2))),
            ("-7", Some((-7.0, 0))),
            ("0.5", Some((0.5, 1))),
            ("0", Some((0.0, 0))),
            ("007", None),
            ("1,234.50", None),
            ("£5", None),
            ("1.", None),
            (".5", None),
            ("-", None),
            ("1e5", None),
            ("1234567890123456", None),
            ("=1+1", None),
        ];
        for (text, expected) in cases {
            assert_eq!(plain_decimal(text), *expected, "{text}");
        }
    }

    #[test]
    fn iso_dates_are_recognised() {
        let cases = [
            ("2012-04-01", NaiveDate::from_ymd_opt(2012, 4, 1)),
            ("2012-4-1", None),
            ("2012-02-30", None),
            ("01/04/2012", None),
            ("2012-04-01T00:00", None),
        ];
        for (text, expected) in cases {
            assert_eq!(iso_date(text), expected, "{text}");
        }
    }
}
