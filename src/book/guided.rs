//! The parts of a written workbook that guide entry (SPEC §4): every table's sheet, a note on
//! each header cell, drop-downs for closed sets and for codes of another sheet, and data
//! validation with input messages for dates, amounts, numbers and years. Apart from `write`,
//! which lays out the values, because this is about the rows still to be typed.

use std::collections::HashMap;

use rust_xlsxwriter::{
    row_col_to_cell_absolute, DataValidation, DataValidationErrorStyle, DataValidationRule,
    ExcelDateTime, Formula, Note, Worksheet, XlsxError,
};

use super::{normalise_name, Cell, CellValue, RawTable, TABLE_NAMES};
use crate::diag::Place;
use crate::guide::{self, Entry};
use crate::model::table_schema;

/// How many rows below the last one written the validations reach, so that new rows get them.
pub const ROWS_AHEAD: u32 = 200;

/// Largest amount accord accepts in a cell (GBP), as the validation's bounds.
const AMOUNT_LIMIT: f64 = 1_000_000_000_000.0;

/// Largest weight, percentage or driver value accord accepts.
const NUMBER_LIMIT: f64 = 1_000_000_000.0;

/// The tables in the order of [`TABLE_NAMES`], each one present: a missing table becomes its
/// schema's header with no rows.
pub fn every_table(tables: &[RawTable]) -> Vec<RawTable> {
    let mut out: Vec<RawTable> = Vec::new();
    for name in TABLE_NAMES {
        match tables.iter().find(|t| t.name == name) {
            Some(table) => out.push(table.clone()),
            None => {
                let schema = table_schema(name).expect("every table has a schema");
                let place = Place::File {
                    file: format!("{name}.csv").into(),
                };
                out.push(RawTable {
                    name: name.to_string(),
                    place: place.clone(),
                    headers: schema
                        .columns
                        .iter()
                        .map(|c| Cell {
                            value: CellValue::Text(c.name.to_string()),
                            place: place.clone(),
                        })
                        .collect(),
                    rows: Vec::new(),
                });
            }
        }
    }
    out.extend(
        tables
            .iter()
            .filter(|t| !TABLE_NAMES.contains(&t.name.as_str()))
            .cloned(),
    );
    out
}

/// The schema column a header cell names, in its matching form.
fn header_name(cell: &Cell) -> Option<String> {
    match &cell.value {
        CellValue::Text(text) => Some(normalise_name(text)),
        _ => None,
    }
}

/// The last row any sheet's validations reach (0-based), and where each code table's codes
/// are: the formula of the range a drop-down lists.
pub struct CodeRanges {
    ranges: HashMap<String, String>,
}

impl CodeRanges {
    pub fn of(tables: &[RawTable]) -> CodeRanges {
        let mut ranges = HashMap::new();
        for table in tables.iter().filter(|t| guide::is_code_table(&t.name)) {
            let Some(column) = table
                .headers
                .iter()
                .position(|h| header_name(h).as_deref() == Some("code"))
            else {
                continue;
            };
            let Ok(column) = u16::try_from(column) else {
                continue;
            };
            let last = last_row(table);
            ranges.insert(
                table.name.clone(),
                format!(
                    "='{}'!{}:{}",
                    table.name,
                    row_col_to_cell_absolute(1, column),
                    row_col_to_cell_absolute(last, column)
                ),
            );
        }
        CodeRanges { ranges }
    }
}

/// The last row (0-based) a sheet's validations reach: [`ROWS_AHEAD`] below its last row.
fn last_row(table: &RawTable) -> u32 {
    u32::try_from(table.rows.len())
        .unwrap_or(u32::MAX)
        .saturating_add(ROWS_AHEAD)
        .min(1_048_575)
}

/// Adds the notes and validations of one written sheet.
pub fn guide_sheet(
    worksheet: &mut Worksheet,
    table: &RawTable,
    codes: &CodeRanges,
) -> Result<(), XlsxError> {
    if table_schema(&table.name).is_none() {
        return Ok(());
    }
    worksheet.set_default_note_author("accord");
    let last = last_row(table);
    for (index, header) in table.headers.iter().enumerate() {
        let Some(name) = header_name(header) else {
            continue;
        };
        let Ok(col) = u16::try_from(index) else {
            continue;
        };
        let column_guide = guide::column_guide(&table.name, &name);
        if column_guide.note.is_empty() {
            continue;
        }
        let note = Note::new(column_guide.note)
            .add_author_prefix(false)
            .set_width(300)
            .set_height(90);
        worksheet.insert_note(0, col, &note)?;
        if let Some(validation) = validation(column_guide.entry, codes)? {
            worksheet.add_data_validation(1, col, last, col, &validation)?;
        }
    }
    if table.name == "settings" {
        guide_settings(worksheet, table)?;
    }
    Ok(())
}

/// The validation of a column's cells, when its entry has one.
fn validation(entry: Entry, codes: &CodeRanges) -> Result<Option<DataValidation>, XlsxError> {
    let made = match entry {
        Entry::Choice(words) => Some(
            DataValidation::new()
                .allow_list_strings(words)?
                .set_input_title("Choose from the list")?
                .set_input_message(format!("One of: {}.", words.join(", ")))?
                .set_error_message(format!("Write one of: {}.", words.join(", ")))?,
        ),
        Entry::Refers(table) => match codes.ranges.get(table) {
            Some(range) => Some(
                DataValidation::new()
                    .allow_list_formula(Formula::new(range))
                    .set_input_title("Choose a code")?
                    .set_input_message(format!("A code of the {table} sheet."))?
                    .set_error_message(format!(
                        "This is not a code of the {table} sheet; add it there first."
                    ))?,
            ),
            None => None,
        },
        Entry::Date => {
            let first = ExcelDateTime::from_ymd(1900, 1, 1)?;
            let last = ExcelDateTime::from_ymd(2199, 12, 31)?;
            Some(
                DataValidation::new()
                    .allow_date(DataValidationRule::Between(first, last))
                    .set_input_title("A date")?
                    .set_input_message(guide::DATE_MESSAGE)?
                    .set_error_style(DataValidationErrorStyle::Warning)
                    .set_error_message("accord reads dates like 01/04/2012 or 2012-04-01.")?,
            )
        }
        Entry::Amount => Some(
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::Between(-AMOUNT_LIMIT, AMOUNT_LIMIT))
                .set_input_title("An amount (GBP)")?
                .set_input_message(guide::AMOUNT_MESSAGE)?
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_error_message("accord reads amounts like 1234.50, -1234.50 or (1,234.50).")?,
        ),
        Entry::Number => Some(
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::Between(0.0, NUMBER_LIMIT))
                .set_input_title("A number, 0 or more")?
                .set_input_message(guide::NUMBER_MESSAGE)?
                .set_error_message("Write a number of 0 or more, like 2.5.")?,
        ),
        Entry::Year => Some(
            DataValidation::new()
                .allow_any_value()
                .set_input_title("A financial year")?
                .set_input_message(guide::YEAR_MESSAGE)?,
        ),
        Entry::Text => None,
    };
    Ok(made.map(|v| v.ignore_blank(true)))
}

/// The settings sheet: a drop-down of the closed set on the value cell of each setting that
/// has one (`sik_basis`).
fn guide_settings(worksheet: &mut Worksheet, table: &RawTable) -> Result<(), XlsxError> {
    let column = |wanted: &str| {
        table
            .headers
            .iter()
            .position(|h| header_name(h).as_deref() == Some(wanted))
            .and_then(|i| u16::try_from(i).ok())
    };
    let (Some(key_col), Some(value_col)) = (column("key"), column("value")) else {
        return Ok(());
    };
    for (offset, row) in table.rows.iter().enumerate() {
        let key = row
            .cells
            .get(usize::from(key_col))
            .and_then(|c| match &c.value {
                CellValue::Text(t) => Some(normalise_name(t)),
                _ => None,
            });
        let Some(key) = key else { continue };
        let Some((_, words)) = guide::CLOSED_SETTINGS.iter().find(|(k, _)| *k == key) else {
            continue;
        };
        let row_index = u32::try_from(offset + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        let validation = DataValidation::new()
            .allow_list_strings(words)?
            .set_input_title("Choose from the list")?
            .set_input_message(format!("{key}: one of {}.", words.join(", ")))?;
        worksheet.add_data_validation(row_index, value_col, row_index, value_col, &validation)?;
    }
    Ok(())
}
