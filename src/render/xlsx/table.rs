//! One table into a sheet, the way every workbook of accord writes one: a header row (figure
//! columns' names to the right), rows of text (always string cells, never formulas) and money,
//! and an optional total row of SUM formulas whose values, given by the report model, are
//! cached for readers without a calculation engine; the header frozen and the columns sized.

use super::style::{money_value, Styles};
use crate::money::Money;
use rust_xlsxwriter::utility::{cell_range, column_number_to_name};
use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

/// A SUM formula over a range, its value cached.
pub fn sum_formula(first: (u32, u16), last: (u32, u16), value: Money) -> Formula {
    Formula::new(format!(
        "=SUM({})",
        cell_range(first.0, first.1, last.0, last.1)
    ))
    .set_result(value.to_string())
}

/// A total at (`row`, `col`): a SUM formula over the cells from `first_row` down to the row
/// above (its value cached), or a plain number when there is nothing above to add up.
pub fn write_total(
    sheet: &mut Worksheet,
    (row, col): (u32, u16),
    first_row: u32,
    value: Money,
    styles: &Styles,
) -> Result<(), XlsxError> {
    if row > first_row {
        let formula = sum_formula((first_row, col), (row - 1, col), value);
        sheet.write_formula_with_format(row, col, formula, &styles.money_total)?;
    } else {
        sheet.write_number_with_format(row, col, money_value(value), &styles.money_total)?;
    }
    Ok(())
}

/// A column: its name in the header, whether that name stands right (over figures), and its
/// width (`None` leaves the sheet's default).
pub struct Column {
    pub name: String,
    pub right: bool,
    pub width: Option<f64>,
    /// Headed in the plain style of `plan.xlsx`'s blocks (bold, ruled below, no band).
    pub plain: bool,
}

impl Column {
    /// A text column.
    pub fn text(name: impl Into<String>, width: Option<f64>) -> Column {
        Column {
            name: name.into(),
            right: false,
            width,
            plain: false,
        }
    }

    /// A column of one of `plan.xlsx`'s blocks: its name in the plain header style, its width
    /// set by the sheet.
    pub fn plain(name: impl Into<String>) -> Column {
        Column {
            name: name.into(),
            right: false,
            width: None,
            plain: true,
        }
    }

    /// A figures column: its name to the right.
    pub fn figures(name: impl Into<String>, width: Option<f64>) -> Column {
        Column {
            name: name.into(),
            right: true,
            width,
            plain: false,
        }
    }
}

/// A decimal as a spreadsheet number (for display only).
fn decimal(value: rust_decimal::Decimal) -> f64 {
    value.to_string().parse::<f64>().unwrap_or_default()
}

/// One cell of a row.
pub enum Value {
    Text(String),
    Money(Money),
    /// Nothing written.
    Blank,
    /// The SUM of the row's cells from column `from` to the one before, its value given.
    RowSum {
        from: u16,
        value: Money,
    },
    /// The row's cell in column `of` less its cell in column `less`, its value given.
    RowDifference {
        of: u16,
        less: u16,
        value: Money,
    },
    /// An amount in the total's format (a total with nothing to add up).
    TotalMoney(Money),
    /// Pounds per pound (`£0.00`).
    Ratio(rust_decimal::Decimal),
    /// A whole number.
    Integer(i64),
    /// A fraction shown as a percentage (`0.0%`).
    Percent(rust_decimal::Decimal),
    /// A plain ratio (`0.00`).
    PlainRatio(rust_decimal::Decimal),
    /// A status in words, coloured by its name (`green`, `amber`, `red`; else not reported).
    Status {
        text: String,
        status: Option<&'static str>,
    },
    /// The SUM of the column's rows above, its value given (a plain number when there are none).
    ColumnSum(Money),
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }
}

/// One cell of the total row.
pub enum Total {
    /// A word in bold (`Total`, or an empty bold cell).
    Label(&'static str),
    /// Text in bold.
    Text(String),
    /// The SUM of the column's rows, its value given.
    Sum(Money),
    /// Nothing written.
    Skip,
}

/// A table whose header is at `header_row`.
pub struct SheetTable {
    pub header_row: u32,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
    /// The total row under the rows, one entry per column (short rows leave the rest empty).
    pub total: Option<Vec<Total>>,
    /// Freeze the rows down to the header and this many columns; `None` freezes nothing.
    pub freeze_columns: Option<u16>,
}

impl SheetTable {
    /// Writes the table; returns the row under it (under its total row, when it has one).
    pub fn write(&self, sheet: &mut Worksheet, styles: &Styles) -> Result<u32, XlsxError> {
        let header = self.header_row;
        for (col, column) in self.columns.iter().enumerate() {
            let format = if column.plain {
                &styles.block_header
            } else if column.right {
                &styles.header_right
            } else {
                &styles.header
            };
            sheet.write_string_with_format(header, col as u16, &column.name, format)?;
        }
        let first = header + 1;
        for (r, cells) in self.rows.iter().enumerate() {
            let row = first + r as u32;
            for (col, cell) in cells.iter().enumerate() {
                let col = col as u16;
                match cell {
                    Value::Text(text) => {
                        sheet.write_string(row, col, text)?;
                    }
                    Value::Money(amount) => {
                        sheet.write_number_with_format(
                            row,
                            col,
                            money_value(*amount),
                            &styles.money,
                        )?;
                    }
                    Value::Blank => {}
                    Value::RowSum { from, value } if col > *from => {
                        let formula = sum_formula((row, *from), (row, col - 1), *value);
                        sheet.write_formula_with_format(row, col, formula, &styles.money_total)?;
                    }
                    Value::RowSum { value, .. } | Value::TotalMoney(value) => {
                        sheet.write_number_with_format(
                            row,
                            col,
                            money_value(*value),
                            &styles.money_total,
                        )?;
                    }
                    Value::ColumnSum(value) => {
                        write_total(sheet, (row, col), first, *value, styles)?
                    }
                    Value::Integer(n) => {
                        sheet.write_number(row, col, *n as f64)?;
                    }
                    Value::Percent(p) => {
                        sheet.write_number_with_format(row, col, decimal(*p), &styles.percent)?;
                    }
                    Value::PlainRatio(r) => {
                        sheet.write_number_with_format(
                            row,
                            col,
                            decimal(*r),
                            &styles.plain_ratio,
                        )?;
                    }
                    Value::Status { text, status } => {
                        let format = status
                            .and_then(|s| styles.statuses.iter().find(|(name, _)| *name == s))
                            .map_or(&styles.unreported, |(_, format)| format);
                        sheet.write_string_with_format(row, col, text, format)?;
                    }
                    Value::RowDifference { of, less, value } => {
                        let formula = Formula::new(format!(
                            "={}{}-{}{}",
                            column_number_to_name(*of),
                            row + 1,
                            column_number_to_name(*less),
                            row + 1
                        ))
                        .set_result(value.to_string());
                        sheet.write_formula_with_format(row, col, formula, &styles.money)?;
                    }
                    Value::Ratio(ratio) => {
                        sheet.write_number_with_format(row, col, decimal(*ratio), &styles.ratio)?;
                    }
                }
            }
        }
        let mut next = first + self.rows.len() as u32;
        if let Some(total) = &self.total {
            for (col, cell) in total.iter().enumerate() {
                let col = col as u16;
                match cell {
                    Total::Label(word) => {
                        sheet.write_string_with_format(next, col, *word, &styles.bold)?;
                    }
                    Total::Text(text) => {
                        sheet.write_string_with_format(next, col, text, &styles.bold)?;
                    }
                    Total::Sum(value) => write_total(sheet, (next, col), first, *value, styles)?,
                    Total::Skip => {}
                }
            }
            next += 1;
        }
        if let Some(columns) = self.freeze_columns {
            sheet.set_freeze_panes(first, columns)?;
        }
        for (col, column) in self.columns.iter().enumerate() {
            if let Some(width) = column.width {
                sheet.set_column_width(col as u16, width)?;
            }
        }
        Ok(next)
    }
}
