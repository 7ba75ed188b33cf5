//! The `Adjustments` sheet of the summary workbook: the year's supplementary invoices and
//! credit notes (SPEC §5), one row per line, issued or to send, with what was invoiced before,
//! what is due now and the difference, and SUM totals. Text from the book goes in as strings.

use super::style::Styles;
use super::table::{Column, SheetTable, Total, Value};
use crate::report::adjustments::YearAdjustments;
use crate::values::Year;
use rust_xlsxwriter::{Worksheet, XlsxError};

pub fn adjustments_sheet(
    sheet: &mut Worksheet,
    adjustments: &YearAdjustments<'_>,
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
    if adjustments.documents.is_empty() {
        sheet.write_string(
            2,
            0,
            "No adjustments: every invoice stands as it was issued, or is not yet issued.",
        )?;
        return Ok(());
    }
    let rows = adjustments
        .documents
        .iter()
        .flat_map(|a| {
            let d = a.document;
            d.lines.iter().map(move |line| {
                vec![
                    Value::text(&d.number),
                    Value::text(d.kind.as_str()),
                    Value::text(d.invoice()),
                    Value::text(&d.issuer),
                    Value::text(&d.payer),
                    Value::text(&line.programme),
                    Value::text(&a.status),
                    Value::Money(line.before),
                    Value::Money(line.now),
                    Value::Money(line.amount),
                ]
            })
        })
        .collect();
    let mut total = vec![Total::Label("Total")];
    total.extend((1..7).map(|_| Total::Skip));
    total.extend(adjustments.totals.iter().map(|t| Total::Sum(*t)));
    SheetTable {
        header_row: 2,
        columns: vec![
            Column::text("Document", Some(26.0)),
            Column::text("Kind", Some(14.0)),
            Column::text("Adjusts", Some(24.0)),
            Column::text("Issuer", None),
            Column::text("Payer", None),
            Column::text("Programme", None),
            Column::text("Status", Some(18.0)),
            Column::figures("Invoiced before", Some(16.0)),
            Column::figures("Now due", Some(16.0)),
            Column::figures("Difference", Some(16.0)),
        ],
        rows,
        total: Some(total),
        freeze_columns: Some(0),
    }
    .write(sheet, styles)?;
    Ok(())
}
