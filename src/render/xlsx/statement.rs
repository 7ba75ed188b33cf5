//! A contribution statement as an xlsx workbook to work with: amounts as numbers in money
//! format with SUM totals, text from the book always as plain strings. The PDF form is
//! `render::pdf::statement`; both lay out the same sections of `report::statement`.

use super::style::{fixed_properties, money_value, Styles};
use super::table::{Column, SheetTable, Total, Value};
use crate::report::statement::{Cell, Section, Statement};
use rust_xlsxwriter::{Workbook, XlsxError};

pub fn statement_xlsx(s: &Statement) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&fixed_properties(&format!(
        "Contribution statement {} {}",
        s.council, s.year
    )));
    let styles = Styles::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Statement")?;
    sheet.write_string_with_format(0, 0, "Contribution statement", &styles.title)?;
    sheet.write_string(1, 0, s.title_line())?;
    sheet.write_string(2, 0, format!("Financial year {}", s.year))?;
    let mut row = 4u32;
    for (label, money) in &s.figures {
        sheet.write_string_with_format(row, 0, *label, &styles.bold)?;
        sheet.write_number_with_format(row, 1, money_value(*money), &styles.money)?;
        row += 1;
    }
    let mut widest = [12.0f64; 8];
    for section in &s.sections {
        row += 1;
        sheet.write_string_with_format(row, 0, &section.title, &styles.heading)?;
        row += 1;
        if section.rows.is_empty() {
            sheet.write_string(row, 0, section.empty)?;
            row += 1;
            continue;
        }
        note_widths(section, &mut widest);
        let rows = section
            .rows
            .iter()
            .map(|cells| cells.iter().map(value).collect())
            .collect();
        let total = section.total.as_ref().map(|cells| {
            cells
                .iter()
                .map(|cell| match cell {
                    Cell::Text(text) => Total::Text(text.clone()),
                    // The total is a real formula over the rows above, with its value cached.
                    Cell::Money(money) => Total::Sum(*money),
                    Cell::Ratio(_) => Total::Skip,
                })
                .collect()
        });
        row = SheetTable {
            header_row: row,
            columns: section
                .header
                .iter()
                .map(|name| Column::text(*name, None))
                .collect(),
            rows,
            total,
            freeze_columns: None,
        }
        .write(sheet, &styles)?;
    }
    for (col, width) in widest.iter().enumerate() {
        sheet.set_column_width(col as u16, width.min(60.0))?;
    }
    workbook.save_to_buffer()
}

fn value(cell: &Cell) -> Value {
    match cell {
        Cell::Text(text) => Value::text(text),
        Cell::Money(money) => Value::Money(*money),
        Cell::Ratio(ratio) => Value::Ratio(*ratio),
    }
}

/// Widens the columns to what `section`'s text and amounts need.
fn note_widths(section: &Section, widest: &mut [f64; 8]) {
    for cells in section.rows.iter().chain(&section.total) {
        for (col, cell) in cells.iter().enumerate() {
            let Some(w) = widest.get_mut(col) else {
                continue;
            };
            match cell {
                Cell::Text(text) => *w = w.max(text.chars().count() as f64 + 2.0),
                Cell::Money(_) => *w = w.max(16.0),
                Cell::Ratio(_) => {}
            }
        }
    }
}
