//! A contribution statement as an xlsx workbook to work with: amounts as numbers in money
//! format with SUM totals, text from the book always as plain strings. The PDF form is
//! `render::pdf::statement`; both lay out the same sections of `report::statement`.

use super::style::{fixed_properties, money_value, Styles};
use super::table::write_total;
use crate::report::statement::{Cell, Statement};
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
        for (col, name) in section.header.iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, *name, &styles.header)?;
        }
        row += 1;
        let first = row;
        for cells in &section.rows {
            write_cells(sheet, row, cells, &styles, false, &mut widest)?;
            row += 1;
        }
        if let Some(total) = &section.total {
            write_cells(sheet, row, total, &styles, true, &mut widest)?;
            // The total is a real formula over the rows above, with its value cached.
            for (col, cell) in total.iter().enumerate() {
                if let Cell::Money(money) = cell {
                    write_total(sheet, (row, col as u16), first, *money, &styles)?;
                }
            }
            row += 1;
        }
    }
    for (col, width) in widest.iter().enumerate() {
        sheet.set_column_width(col as u16, width.min(60.0))?;
    }
    workbook.save_to_buffer()
}

fn write_cells(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    cells: &[Cell],
    styles: &Styles,
    total: bool,
    widest: &mut [f64; 8],
) -> Result<(), XlsxError> {
    for (col, cell) in cells.iter().enumerate() {
        let c = col as u16;
        match cell {
            Cell::Text(text) => {
                let format = if total { &styles.bold } else { &styles.text };
                sheet.write_string_with_format(row, c, text, format)?;
                if let Some(w) = widest.get_mut(col) {
                    *w = w.max(text.chars().count() as f64 + 2.0);
                }
            }
            Cell::Money(money) => {
                let format = if total {
                    &styles.money_total
                } else {
                    &styles.money
                };
                sheet.write_number_with_format(row, c, money_value(*money), format)?;
                if let Some(w) = widest.get_mut(col) {
                    *w = w.max(16.0);
                }
            }
            Cell::Ratio(ratio) => {
                let value = ratio.to_string().parse::<f64>().unwrap_or(0.0);
                sheet.write_number_with_format(row, c, value, &styles.ratio)?;
            }
        }
    }
    Ok(())
}
