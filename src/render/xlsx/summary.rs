//! `summary.xlsx` for one year, the workbook taken to the Chief Executives' Board: what each
//! council pays per programme (a matrix whose totals are real SUM formulas), the carry-forward,
//! the balances over the years, the invoices and the variance, with native Excel charts (and,
//! for the year in progress, its monitoring sheet). It lays out the year's summary
//! (`report::year`); text from the book is always written as a string cell, never as a formula.

use super::style::{fixed_properties, Styles};
use super::summary_sheets::{carry_forward_sheet, invoices_sheet, variance_sheet};
use super::table::{Column, SheetTable, Total, Value};
use crate::report::year::{Balances, YearSummary};
use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet, XlsxError};

const MATRIX: &str = "Contributions";
const BALANCES: &str = "Balances";

pub fn summary_xlsx(summary: &YearSummary<'_>) -> Result<Vec<u8>, XlsxError> {
    let year = summary.year;
    let mut workbook = Workbook::new();
    workbook.set_properties(&fixed_properties(&format!(
        "West London Alliance summary {year}"
    )));
    let styles = Styles::new();
    matrix_sheet(workbook.add_worksheet(), summary, &styles)?;
    carry_forward_sheet(workbook.add_worksheet(), summary, &styles)?;
    balances_sheet(workbook.add_worksheet(), &summary.balances, &styles)?;
    invoices_sheet(workbook.add_worksheet(), summary, &styles)?;
    variance_sheet(workbook.add_worksheet(), summary, &styles)?;
    if let Some(report) = &summary.monitoring {
        super::monitoring::monitoring_sheet(workbook.add_worksheet(), report, &styles)?;
    }
    super::adjustments::adjustments_sheet(
        workbook.add_worksheet(),
        &summary.adjustments,
        year,
        &styles,
    )?;
    workbook.save_to_buffer()
}

fn matrix_sheet(
    sheet: &mut Worksheet,
    summary: &YearSummary<'_>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let year = summary.year;
    sheet.set_name(MATRIX)?;
    sheet.write_string_with_format(
        0,
        0,
        format!("What each council pays, {year}"),
        &styles.title,
    )?;
    let header_row = 2u32;
    let first_col = 2u16;
    let total_col = first_col + summary.payers.len() as u16;
    let mut columns = vec![
        Column::text("Programme", Some(12.0)),
        Column::text("For", Some(44.0)),
    ];
    columns.extend(
        summary
            .payers
            .iter()
            .map(|c| Column::figures(c.as_str(), Some(15.0))),
    );
    columns.push(Column::figures("Total", Some(15.0)));
    let rows = summary
        .pools
        .iter()
        .map(|pool| {
            let mut cells = vec![Value::text(&pool.programme), Value::text(&pool.title)];
            cells.extend(
                pool.parts
                    .iter()
                    .map(|p| p.map_or(Value::Blank, Value::Money)),
            );
            cells.push(Value::RowSum {
                from: first_col,
                value: pool.total,
            });
            cells
        })
        .collect();
    let mut total = vec![Total::Label("Total"), Total::Label("")];
    total.extend(summary.paid.iter().map(|p| Total::Sum(*p)));
    total.push(Total::Sum(summary.raised));
    let next = SheetTable {
        header_row,
        columns,
        rows,
        total: Some(total),
        freeze_columns: Some(first_col),
    }
    .write(sheet, styles)?;

    if !summary.pools.is_empty() && !summary.payers.is_empty() {
        let mut chart = Chart::new(ChartType::ColumnStacked);
        chart
            .title()
            .set_name(&format!("What each council pays, by programme, {year}"));
        for r in 0..summary.pools.len() as u32 {
            let row = header_row + 1 + r;
            chart
                .add_series()
                .set_name((MATRIX, row, 0))
                .set_categories((MATRIX, header_row, first_col, header_row, total_col - 1))
                .set_values((MATRIX, row, first_col, row, total_col - 1));
        }
        chart.y_axis().set_num_format("£#,##0");
        chart.set_width(820).set_height(420);
        sheet.insert_chart(next + 1, 0, &chart)?;
    }
    Ok(())
}

fn balances_sheet(
    sheet: &mut Worksheet,
    balances: &Balances,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(BALANCES)?;
    sheet.write_string_with_format(
        0,
        0,
        "Closing balance of each programme, every year of the book",
        &styles.title,
    )?;
    let programmes = &balances.programmes;
    let mut columns = vec![
        Column::text("Year", Some(10.0)),
        Column::text("Status", Some(10.0)),
    ];
    columns.extend(
        programmes
            .iter()
            .map(|p| Column::figures(p.as_str(), Some(15.0))),
    );
    let rows = balances
        .years
        .iter()
        .map(|y| {
            let mut cells = vec![Value::text(y.year.to_string()), Value::text(y.status)];
            cells.extend(
                y.closing
                    .iter()
                    .map(|c| c.map_or(Value::Blank, Value::Money)),
            );
            cells
        })
        .collect();
    SheetTable {
        header_row: 2,
        columns,
        rows,
        total: None,
        freeze_columns: Some(2),
    }
    .write(sheet, styles)?;
    let last = 2 + balances.years.len() as u32;
    if !programmes.is_empty() && !balances.years.is_empty() {
        let mut chart = Chart::new(ChartType::Line);
        chart
            .title()
            .set_name("Closing balance by programme over the years");
        for i in 0..programmes.len() as u16 {
            chart
                .add_series()
                .set_name((BALANCES, 2, 2 + i))
                .set_categories((BALANCES, 3, 0, last, 0))
                .set_values((BALANCES, 3, 2 + i, last, 2 + i));
        }
        chart.y_axis().set_num_format("£#,##0");
        chart.set_width(820).set_height(420);
        sheet.insert_chart(last + 2, 0, &chart)?;
    }
    Ok(())
}
