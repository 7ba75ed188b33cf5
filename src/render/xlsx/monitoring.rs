//! The `Monitoring` sheet of the summary workbook of the year in progress (SPEC §9): the date
//! the actuals run to, each programme's budget, budget to date, actual to date, forecast
//! outturn, variance and forecast closing (exceptions first, with SUM totals), then every
//! programme and category: the rows and columns of `report::monitoring`, which the dashboard
//! lays out too. Text from the book goes in as string cells only.

use super::style::Styles;
use super::table::{Column, SheetTable, Total, Value};
use crate::report::monitoring::{
    exception_word, explanation, MonitoringReport, CATEGORY_FIGURES, PROGRAMME_FIGURES,
};
use rust_xlsxwriter::{Worksheet, XlsxError};

pub fn monitoring_sheet(
    sheet: &mut Worksheet,
    report: &MonitoringReport,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Monitoring")?;
    sheet.write_string_with_format(
        0,
        0,
        format!(
            "Budget monitoring, {}, actuals to {}",
            report.year,
            report.actuals_to.format("%-d %B %Y")
        ),
        &styles.title,
    )?;
    sheet.write_string(1, 0, explanation(report))?;
    let mut columns = vec![Column::text("Programme", Some(14.0))];
    columns.extend(
        PROGRAMME_FIGURES
            .iter()
            .map(|(name, _)| Column::figures(*name, Some(17.0))),
    );
    columns.push(Column::text("Exception", Some(10.0)));
    let rows = report
        .programmes
        .iter()
        .map(|p| {
            let mut cells = vec![Value::text(&p.programme)];
            cells.extend(PROGRAMME_FIGURES.iter().map(|(_, f)| Value::Money(f(p))));
            cells.push(Value::text(exception_word(p.exception)));
            cells
        })
        .collect();
    let mut total = vec![Total::Label("Total")];
    total.extend(
        PROGRAMME_FIGURES
            .iter()
            .map(|(_, f)| Total::Sum(f(&report.total))),
    );
    let total_row = SheetTable {
        header_row: 3,
        columns,
        rows,
        total: Some(total),
        freeze_columns: Some(0),
    }
    .write(sheet, styles)?
        - 1;

    let category_header_row = total_row + 3;
    sheet.write_string_with_format(
        category_header_row - 1,
        0,
        "By programme and category, exceptions first",
        &styles.heading,
    )?;
    let mut columns = vec![
        Column::text("Programme", None),
        Column::text("Category", None),
    ];
    columns.extend(
        CATEGORY_FIGURES
            .iter()
            .map(|(name, _)| Column::figures(*name, None)),
    );
    columns.push(Column::text("Exception", None));
    let rows = report
        .rows
        .iter()
        .map(|m| {
            let mut cells = vec![Value::text(&m.programme), Value::text(&m.category)];
            cells.extend(CATEGORY_FIGURES.iter().map(|(_, f)| Value::Money(f(m))));
            cells.push(Value::text(exception_word(m.exception)));
            cells
        })
        .collect();
    SheetTable {
        header_row: category_header_row,
        columns,
        rows,
        total: None,
        freeze_columns: None,
    }
    .write(sheet, styles)?;
    Ok(())
}
