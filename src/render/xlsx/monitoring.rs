//! The `Monitoring` sheet of the summary workbook of the year in progress (SPEC §9): the date
//! the actuals run to, each programme's budget, budget to date, actual to date, forecast
//! outturn, variance and forecast closing (exceptions first, with SUM totals), then every
//! programme and category. Text from the book goes in as string cells only.

use super::style::{money_value, Styles};
use super::summary_sheets::write_total;
use crate::engine::MonitoringRow;
use crate::report::monitoring::{explanation, MonitoringReport};
use rust_xlsxwriter::{Worksheet, XlsxError};

fn yes_no(flag: bool) -> &'static str {
    if flag {
        "yes"
    } else {
        "no"
    }
}

fn header(
    sheet: &mut Worksheet,
    row: u32,
    names: &[&str],
    text_columns: usize,
    styles: &Styles,
) -> Result<(), XlsxError> {
    for (col, name) in names.iter().enumerate() {
        let format = if col >= text_columns && col < names.len() - 1 {
            &styles.header_right
        } else {
            &styles.header
        };
        sheet.write_string_with_format(row, col as u16, *name, format)?;
    }
    Ok(())
}

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
    let first = 4u32;
    header(
        sheet,
        first - 1,
        &[
            "Programme",
            "Budget",
            "Budget to date",
            "Actual to date",
            "Forecast outturn",
            "Variance",
            "Forecast closing",
            "Exception",
        ],
        1,
        styles,
    )?;
    for (r, p) in report.programmes.iter().enumerate() {
        let row = first + r as u32;
        sheet.write_string(row, 0, &p.programme)?;
        let figures = [
            p.budget,
            p.budget_to_date,
            p.actual_to_date,
            p.forecast_outturn,
            p.variance,
            p.closing,
        ];
        for (i, amount) in figures.iter().enumerate() {
            sheet.write_number_with_format(
                row,
                1 + i as u16,
                money_value(*amount),
                &styles.money,
            )?;
        }
        sheet.write_string(row, 7, yes_no(p.exception))?;
    }
    let total_row = first + report.programmes.len() as u32;
    let t = &report.total;
    sheet.write_string_with_format(total_row, 0, "Total", &styles.bold)?;
    let totals = [
        t.budget,
        t.budget_to_date,
        t.actual_to_date,
        t.forecast_outturn,
        t.variance,
        t.closing,
    ];
    for (i, amount) in totals.iter().enumerate() {
        write_total(sheet, (total_row, 1 + i as u16), first, *amount, styles)?;
    }

    let category_header_row = total_row + 3;
    sheet.write_string_with_format(
        category_header_row - 1,
        0,
        "By programme and category, exceptions first",
        &styles.heading,
    )?;
    header(
        sheet,
        category_header_row,
        &[
            "Programme",
            "Category",
            "Budget",
            "Budget to date",
            "Actual to date",
            "Forecast outturn",
            "Variance",
            "Exception",
        ],
        2,
        styles,
    )?;
    for (r, m) in report.rows.iter().enumerate() {
        let row = category_header_row + 1 + r as u32;
        write_row(sheet, row, m, styles)?;
    }
    sheet.set_freeze_panes(first, 0)?;
    sheet.set_column_width(0, 14)?;
    for col in 1..7 {
        sheet.set_column_width(col, 17)?;
    }
    sheet.set_column_width(7, 10)?;
    Ok(())
}

fn write_row(
    sheet: &mut Worksheet,
    row: u32,
    m: &MonitoringRow,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.write_string(row, 0, &m.programme)?;
    sheet.write_string(row, 1, &m.category)?;
    let figures = [
        m.budget,
        m.budget_to_date,
        m.actual_to_date,
        m.forecast_outturn,
        m.variance,
    ];
    for (i, amount) in figures.iter().enumerate() {
        sheet.write_number_with_format(row, 2 + i as u16, money_value(*amount), &styles.money)?;
    }
    sheet.write_string(row, 7, yes_no(m.exception))?;
    Ok(())
}
