//! Reading one typed field from one cell, with its place: the bridge between `book`'s raw
//! cells and the value parsers in `values` and `money`. A field that cannot be read becomes
//! an error at its cell, and marks its row as unusable.

use super::schema::TableSchema;
use crate::book::{normalise_name, Cell, CellValue, RawRow, RawTable};
use crate::diag::{Diagnostics, Place};
use crate::money::{self, Money, ReadAmount};
use crate::values::{self, Year};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Which column of a raw table holds each of a schema's columns.
pub struct Columns {
    index: HashMap<&'static str, usize>,
}

impl Columns {
    /// Matches a table's header against its schema. Unknown columns are warnings; missing
    /// required ones are errors (and then `None`: the table cannot be read).
    pub fn match_header(
        table: &RawTable,
        schema: &TableSchema,
        diags: &mut Diagnostics,
    ) -> Option<Columns> {
        let mut index = HashMap::new();
        for (i, header) in table.headers.iter().enumerate() {
            let text = cell_text(&header.value);
            let Some(text) = text else { continue };
            let name = normalise_name(&text);
            match schema.columns.iter().find(|c| c.name == name) {
                Some(column) => {
                    if index.insert(column.name, i).is_some() {
                        diags.error(
                            header.place.clone(),
                            format!(
                                "the column {:?} appears twice; keep one of them",
                                column.name
                            ),
                        );
                    }
                }
                None => diags.warning(
                    header.place.clone(),
                    format!(
                        "{} is not a column of {}; it is ignored (columns: {})",
                        crate::diag::quoted(&text),
                        schema.name,
                        schema.column_names().join(", ")
                    ),
                ),
            }
        }
        let missing: Vec<&str> = schema
            .columns
            .iter()
            .filter(|c| c.required && !index.contains_key(c.name))
            .map(|c| c.name)
            .collect();
        if !missing.is_empty() {
            let plural = if missing.len() == 1 {
                "column"
            } else {
                "columns"
            };
            diags.error(
                table.place.clone(),
                format!(
                    "the {} table has no {plural} {}; add a header cell for each in the first row (columns: {})",
                    schema.name,
                    missing.join(", "),
                    schema.column_names().join(", ")
                ),
            );
            return None;
        }
        Some(Columns { index })
    }
}

/// A cell's value as text, the way a person reads it; `None` for an empty cell.
pub fn cell_text(value: &CellValue) -> Option<String> {
    match value {
        CellValue::Empty => None,
        CellValue::Text(s) => Some(s.clone()),
        CellValue::Number(n) => Some(format!("{n}")),
        CellValue::Date(d) => Some(d.to_string()),
        CellValue::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.to_string()),
        CellValue::Error(e) => Some(e.clone()),
    }
}

/// Reads the fields of one row. Any failed required field sets `ok` to false.
pub struct RowReader<'a> {
    row: &'a RawRow,
    columns: &'a Columns,
    pub diags: &'a mut Diagnostics,
    pub ok: bool,
}

impl<'a> RowReader<'a> {
    pub fn new(row: &'a RawRow, columns: &'a Columns, diags: &'a mut Diagnostics) -> Self {
        RowReader {
            row,
            columns,
            diags,
            ok: true,
        }
    }

    pub fn place(&self) -> Place {
        self.row.place.clone()
    }

    /// The place of a column's cell (the row's place when the column is absent).
    pub fn place_of(&self, column: &str) -> Place {
        self.cell(column)
            .map_or_else(|| self.row.place.clone(), |c| c.place.clone())
    }

    fn cell(&self, column: &str) -> Option<&'a Cell> {
        self.columns
            .index
            .get(column)
            .and_then(|i| self.row.cells.get(*i))
    }

    /// The cell's value, or `None` when it is empty or its column is absent. An error cell
    /// (`#REF!`) is reported here, once, for every kind of field.
    fn value(&mut self, column: &str) -> Option<&'a CellValue> {
        let cell = self.cell(column)?;
        match &cell.value {
            CellValue::Empty => None,
            CellValue::Error(e) => {
                self.diags.error(
                    cell.place.clone(),
                    format!("the cell holds the spreadsheet error {e}; fix the formula or type the value"),
                );
                self.ok = false;
                None
            }
            other => Some(other),
        }
    }

    fn fail(&mut self, column: &str, message: String) {
        let place = self.place_of(column);
        self.diags.error(place, message);
        self.ok = false;
    }

    fn missing(&mut self, column: &str, example: &str) {
        self.fail(
            column,
            format!("{column} is empty; write one, like {example}"),
        );
    }

    /// Free text; `None` when empty.
    pub fn text(&mut self, column: &str) -> Option<String> {
        self.value(column).and_then(cell_text)
    }

    pub fn required_text(&mut self, column: &str, example: &str) -> String {
        let text = self.text(column);
        if text.is_none() && self.ok {
            self.missing(column, example);
        }
        text.unwrap_or_default()
    }

    /// A council or programme code; a whole-number cell is read as its digits.
    pub fn code(&mut self, column: &str, required: bool) -> Option<String> {
        let Some(value) = self.value(column) else {
            if required && self.ok {
                self.missing(column, "HRW");
            }
            return None;
        };
        let text = match value {
            CellValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            other => cell_text(other).unwrap_or_default(),
        };
        match values::parse_code(&text) {
            Ok(code) => Some(code),
            Err(message) => {
                self.fail(column, message);
                None
            }
        }
    }

    pub fn year(&mut self, column: &str) -> Option<Year> {
        let Some(value) = self.value(column) else {
            if self.ok {
                self.missing(column, "2012/13");
            }
            return None;
        };
        let parsed = match value {
            CellValue::Text(s) => values::parse_year(s),
            other => Err(format!(
                "{} is not a financial year; write it as text like 2012/13",
                cell_text(other).unwrap_or_default()
            )),
        };
        parsed.map_err(|m| self.fail(column, m)).ok()
    }

    /// An optional date: a date cell, or text in ISO or UK day-first form.
    pub fn date(&mut self, column: &str) -> Option<NaiveDate> {
        let value = self.value(column)?;
        let parsed = match value {
            CellValue::Date(d) => values::check_date_range(*d),
            CellValue::Text(s) => values::parse_date_text(s),
            other => Err(format!(
                "{} is not a date; write it like 2012-04-01 or 01/04/2012 (day first)",
                cell_text(other).unwrap_or_default()
            )),
        };
        parsed.map_err(|m| self.fail(column, m)).ok()
    }

    /// A required amount in pence; a value that is not whole pence is rounded with a warning.
    pub fn amount(&mut self, column: &str) -> Option<Money> {
        let Some(value) = self.value(column) else {
            if self.ok {
                self.missing(column, "1234.50");
            }
            return None;
        };
        let read: Result<ReadAmount, String> = match value {
            CellValue::Number(n) => money::amount_from_float(*n),
            CellValue::Text(s) => money::parse_amount_text(s),
            other => Err(format!(
                "{} is not an amount; write it like 1234.50, £1,234.50, -1,234.50 or (1,234.50)",
                cell_text(other).unwrap_or_default()
            )),
        };
        match read {
            Ok(read) => {
                if read.rounded {
                    let place = self.place_of(column);
                    let shown = cell_text(value).unwrap_or_default();
                    self.diags.warning(
                        place,
                        format!(
                            "{shown} is not a whole number of pence; rounded half-up to {}",
                            read.money
                        ),
                    );
                }
                Some(read.money)
            }
            Err(message) => {
                self.fail(column, message);
                None
            }
        }
    }

    /// A required amount that must already be whole pence (a register line written by accord):
    /// a value with more than two decimals is an error, not a rounding.
    pub fn exact_amount(&mut self, column: &str) -> Option<Money> {
        let Some(value) = self.value(column) else {
            if self.ok {
                self.missing(column, "1234.50");
            }
            return None;
        };
        let read: Result<ReadAmount, String> = match value {
            CellValue::Number(n) => money::amount_from_float(*n),
            CellValue::Text(s) => money::parse_amount_text(s),
            other => Err(format!(
                "{} is not an amount; write it like 1234.50",
                cell_text(other).unwrap_or_default()
            )),
        };
        match read {
            Ok(read) if read.rounded => {
                let shown = cell_text(value).unwrap_or_default();
                self.fail(
                    column,
                    format!("{shown} has more than two decimals; a register line is whole pence, as accord wrote it (like {})", read.money),
                );
                None
            }
            Ok(read) => Some(read.money),
            Err(message) => {
                self.fail(column, message);
                None
            }
        }
    }

    /// An optional number ≥ 0 with at most 6 decimal places (a `fixed` percentage that may be
    /// 0, a `drivers` value): `what` names it in messages, `example` shows one.
    pub fn non_negative(&mut self, column: &str, what: &str, example: &str) -> Option<Decimal> {
        let value = self.value(column)?;
        let shown = cell_text(value).unwrap_or_default();
        let zero = match value {
            CellValue::Number(n) => *n == 0.0,
            CellValue::Text(s) => {
                let s = s.trim().trim_end_matches('%').trim();
                !s.is_empty() && s.bytes().all(|b| b == b'0' || b == b'.') && s.contains('0')
            }
            _ => false,
        };
        if zero {
            return Some(Decimal::ZERO);
        }
        let negative = match value {
            CellValue::Number(n) => *n < 0.0,
            CellValue::Text(s) => {
                let s = s.trim();
                s.starts_with('-') || (s.starts_with('(') && s.ends_with(')'))
            }
            _ => false,
        };
        let parsed = match value {
            _ if negative => Err(format!(
                "{} is negative; a {what} is a number of 0 or more, like {example}",
                crate::diag::quoted(&shown)
            )),
            CellValue::Number(n) => values::weight_from_float(*n),
            CellValue::Text(s) => values::parse_weight_text(s),
            _ => Err(String::new()),
        }
        .map_err(|m| {
            if m.contains("not a weight") || m.is_empty() {
                format!(
                    "{} is not a {what}; write a number of 0 or more, like {example}",
                    crate::diag::quoted(&shown)
                )
            } else {
                m.replace("a weight", &format!("a {what}"))
            }
        });
        parsed.map_err(|m| self.fail(column, m)).ok()
    }

    /// One of a fixed set of words (matched like headers), or `default` when empty.
    pub fn choice<T: Copy>(&mut self, column: &str, options: &[(&str, T)], default: T) -> T {
        let Some(text) = self.text(column) else {
            return default;
        };
        let wanted = normalise_name(&text);
        match options.iter().find(|(word, _)| *word == wanted) {
            Some((_, value)) => *value,
            None => {
                let words: Vec<&str> = options.iter().map(|(w, _)| *w).collect();
                self.fail(
                    column,
                    format!(
                        "{} is not a {column}; write one of: {}",
                        crate::diag::quoted(&text),
                        words.join(", ")
                    ),
                );
                default
            }
        }
    }
}
