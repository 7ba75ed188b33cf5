//! The `Adjustments` sheet of the summary workbook: the year's supplementary invoices and
//! credit notes (SPEC §5), one row per line, issued or to send, with what was invoiced before,
//! what is due now and the difference, and SUM totals. Text from the book goes in as strings.

use super::style::{money_value, Styles};
use super::summary_sheets::write_total;
use crate::engine::Results;
use crate::report::adjustments::year_adjustments;
use crate::values::Year;
use rust_xlsxwriter::{Worksheet, XlsxError};

pub fn adjustments_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    year: Year,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Adjustments")?;
    sheet.write_string_with_format(
        0,
        0,
        format!("Supplementary invoices and credit notes, {year}"),
        &styles.title,
    )?;
    let adjustments = year_adjustments(results, year);
    if adjustments.documents.is_empty() {
        sheet.write_string(
            2,
            0,
            "No adjustments: every invoice stands as it was issued, or is not yet issued.",
        )?;
        return Ok(());
    }
    let header = [
        "Document",
        "Kind",
        "Adjusts",
        "Issuer",
        "Payer",
        "Programme",
        "Status",
        "Invoiced before",
        "Now due",
        "Difference",
    ];
    for (col, name) in header.iter().enumerate() {
        let format = if col >= 7 {
            &styles.header_right
        } else {
            &styles.header
        };
        sheet.write_string_with_format(2, col as u16, *name, format)?;
    }
    let mut row = 3u32;
    for a in &adjustments.documents {
        let d = a.document;
        for line in &d.lines {
            sheet.write_string(row, 0, &d.number)?;
            sheet.write_string(row, 1, d.kind.as_str())?;
            sheet.write_string(row, 2, d.invoice())?;
            sheet.write_string(row, 3, &d.issuer)?;
            sheet.write_string(row, 4, &d.payer)?;
            sheet.write_string(row, 5, &line.programme)?;
            sheet.write_string(row, 6, &a.status)?;
            for (i, amount) in [line.before, line.now, line.amount].iter().enumerate() {
                sheet.write_number_with_format(
                    row,
                    7 + i as u16,
                    money_value(*amount),
                    &styles.money,
                )?;
            }
            row += 1;
        }
    }
    sheet.write_string_with_format(row, 0, "Total", &styles.bold)?;
    for (i, total) in adjustments.totals.iter().enumerate() {
        write_total(sheet, (row, 7 + i as u16), 3, *total, styles)?;
    }
    sheet.set_freeze_panes(3, 0)?;
    sheet.set_column_width(0, 26)?;
    sheet.set_column_width(1, 14)?;
    sheet.set_column_width(2, 24)?;
    sheet.set_column_width(6, 18)?;
    for col in 7..10 {
        sheet.set_column_width(col, 16)?;
    }
    Ok(())
}
