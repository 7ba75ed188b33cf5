//! The plain table sheets of `summary.xlsx`: carry-forward, invoices and variance, each a
//! table of `table` (frozen header, SUM totals whose values are cached for readers without a
//! calculation engine) over the year's summary. Text from the book goes in as string cells
//! only.

use super::style::Styles;
use super::table::{Column, SheetTable, Total, Value};
use crate::report::year::{YearSummary, CARRY_FORWARD_COLUMNS};
use rust_xlsxwriter::{Worksheet, XlsxError};

pub fn carry_forward_sheet(
    sheet: &mut Worksheet,
    summary: &YearSummary<'_>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Carry forward")?;
    sheet.write_string_with_format(
        0,
        0,
        format!("Programme balances, {}", summary.year),
        &styles.title,
    )?;
    let mut columns = vec![
        Column::text("Programme", Some(12.0)),
        Column::text("Status", Some(10.0)),
    ];
    columns.extend(
        CARRY_FORWARD_COLUMNS
            .iter()
            .map(|name| Column::figures(*name, Some(17.0))),
    );
    let rows = summary
        .carry_forward
        .iter()
        .map(|e| {
            let mut cells = vec![Value::text(&e.programme), Value::text(e.status)];
            cells.extend(e.values.iter().map(|v| Value::Money(*v)));
            cells
        })
        .collect();
    let mut total = vec![Total::Label("Total"), Total::Label("")];
    total.extend(summary.carry_forward_totals.iter().map(|t| Total::Sum(*t)));
    SheetTable {
        header_row: 2,
        columns,
        rows,
        total: Some(total),
        freeze_columns: Some(1),
    }
    .write(sheet, styles)?;
    Ok(())
}

pub fn invoices_sheet(
    sheet: &mut Worksheet,
    summary: &YearSummary<'_>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Invoices")?;
    sheet.write_string_with_format(0, 0, format!("Invoices, {}", summary.year), &styles.title)?;
    let rows = summary
        .invoice_lines
        .iter()
        .map(|line| {
            vec![
                Value::text(&line.invoice),
                Value::text(&line.issuer),
                Value::text(&line.payer),
                Value::text(&line.programme),
                Value::Money(line.amount),
            ]
        })
        .collect();
    SheetTable {
        header_row: 2,
        columns: vec![
            Column::text("Invoice", Some(24.0)),
            Column::text("Issuer", Some(11.0)),
            Column::text("Payer", Some(11.0)),
            Column::text("Programme", Some(11.0)),
            Column::figures("Amount", Some(16.0)),
        ],
        rows,
        total: Some(vec![
            Total::Label("Total"),
            Total::Skip,
            Total::Skip,
            Total::Skip,
            Total::Sum(summary.invoiced),
        ]),
        freeze_columns: Some(0),
    }
    .write(sheet, styles)?;
    Ok(())
}

pub fn variance_sheet(
    sheet: &mut Worksheet,
    summary: &YearSummary<'_>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Variance")?;
    sheet.write_string_with_format(
        0,
        0,
        format!("Actual against budget, {}", summary.year),
        &styles.title,
    )?;
    if summary.variance.is_empty() {
        sheet.write_string(
            2,
            0,
            "No actuals for this year: its figures are a forecast.",
        )?;
        return Ok(());
    }
    let rows = summary
        .variance
        .iter()
        .map(|v| {
            vec![
                Value::text(&v.programme),
                Value::text(&v.category),
                Value::Money(v.budget),
                Value::Money(v.actual),
                Value::Money(v.variance),
                Value::text(if v.exception { "yes" } else { "no" }),
            ]
        })
        .collect();
    SheetTable {
        header_row: 2,
        columns: vec![
            Column::text("Programme", Some(12.0)),
            Column::text("Category", Some(24.0)),
            Column::figures("Budget", Some(16.0)),
            Column::figures("Actual", Some(16.0)),
            Column::figures("Variance", Some(16.0)),
            Column::text("Exception", Some(10.0)),
        ],
        rows,
        total: None,
        freeze_columns: Some(0),
    }
    .write(sheet, styles)?;
    Ok(())
}
