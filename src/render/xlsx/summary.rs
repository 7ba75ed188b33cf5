//! `summary.xlsx` for one year, the workbook taken to the Chief Executives' Board: what each
//! council pays per programme (a matrix whose totals are real SUM formulas), the carry-forward,
//! the balances over the years, the invoices and the variance, with native Excel charts (and,
//! for the year in progress, its monitoring sheet). Text
//! from the book is always written as a string cell, never as a formula.

use super::style::{fixed_properties, money_value, Styles};
use super::summary_sheets::{
    carry_forward_sheet, invoices_sheet, sum_formula, variance_sheet, write_total,
};
use crate::engine::Results;
use crate::model::Book;
use crate::money::Money;
use crate::values::Year;
use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet, XlsxError};

const MATRIX: &str = "Contributions";
const BALANCES: &str = "Balances";

/// The rows of the matrix: one per programme or support-in-kind pool in `year`, as
/// (programme, holder).
pub fn pools(results: &Results, year: Year) -> Vec<(String, String)> {
    let mut pools: Vec<(String, String)> = results
        .allocations
        .iter()
        .filter(|a| a.year == year)
        .map(|a| (a.programme.clone(), a.holder.clone()))
        .collect();
    pools.dedup();
    pools.sort();
    pools.dedup();
    pools
}

/// Every council that bears a part of anything in `year`, in code order.
pub fn payers(results: &Results, year: Year) -> Vec<String> {
    let mut codes: Vec<String> = results
        .allocations
        .iter()
        .filter(|a| a.year == year)
        .map(|a| a.council.clone())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// What `council` bears of a pool in `year`, if it takes part.
pub fn part(
    results: &Results,
    year: Year,
    pool: &(String, String),
    council: &str,
) -> Option<Money> {
    crate::report::wording::allocations_of(results, year, &pool.0)
        .iter()
        .find(|a| a.holder == pool.1 && a.council == council)
        .map(|a| a.amount)
}

pub fn summary_xlsx(book: &Book, results: &Results, year: Year) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&fixed_properties(&format!(
        "West London Alliance summary {year}"
    )));
    let styles = Styles::new();
    matrix_sheet(workbook.add_worksheet(), book, results, year, &styles)?;
    carry_forward_sheet(workbook.add_worksheet(), results, year, &styles)?;
    balances_sheet(workbook.add_worksheet(), results, &styles)?;
    invoices_sheet(workbook.add_worksheet(), results, year, &styles)?;
    variance_sheet(workbook.add_worksheet(), results, year, &styles)?;
    if let Some(report) = crate::report::monitoring::monitoring_report(book, results, year) {
        super::monitoring::monitoring_sheet(workbook.add_worksheet(), &report, &styles)?;
    }
    super::adjustments::adjustments_sheet(workbook.add_worksheet(), results, year, &styles)?;
    workbook.save_to_buffer()
}

fn matrix_sheet(
    sheet: &mut Worksheet,
    book: &Book,
    results: &Results,
    year: Year,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(MATRIX)?;
    sheet.write_string_with_format(
        0,
        0,
        format!("What each council pays, {year}"),
        &styles.title,
    )?;
    let pools = pools(results, year);
    let councils = payers(results, year);
    let header_row = 2u32;
    let first_col = 2u16;
    let total_col = first_col + councils.len() as u16;
    sheet.write_string_with_format(header_row, 0, "Programme", &styles.header)?;
    sheet.write_string_with_format(header_row, 1, "For", &styles.header)?;
    for (i, council) in councils.iter().enumerate() {
        sheet.write_string_with_format(
            header_row,
            first_col + i as u16,
            council,
            &styles.header_right,
        )?;
    }
    sheet.write_string_with_format(header_row, total_col, "Total", &styles.header_right)?;
    let mut column_totals = vec![Money::ZERO; councils.len()];
    for (r, pool) in pools.iter().enumerate() {
        let row = header_row + 1 + r as u32;
        sheet.write_string(row, 0, &pool.0)?;
        sheet.write_string(
            row,
            1,
            crate::report::wording::programme_title(book, &pool.0, &pool.1),
        )?;
        let mut row_total = Money::ZERO;
        for (i, council) in councils.iter().enumerate() {
            if let Some(amount) = part(results, year, pool, council) {
                sheet.write_number_with_format(
                    row,
                    first_col + i as u16,
                    money_value(amount),
                    &styles.money,
                )?;
                row_total += amount;
                column_totals[i] += amount;
            }
        }
        let formula = sum_formula((row, first_col), (row, total_col - 1), row_total);
        sheet.write_formula_with_format(row, total_col, formula, &styles.money_total)?;
    }
    let total_row = header_row + 1 + pools.len() as u32;
    sheet.write_string_with_format(total_row, 0, "Total", &styles.bold)?;
    sheet.write_string_with_format(total_row, 1, "", &styles.bold)?;
    for (i, total) in column_totals.iter().enumerate() {
        let col = first_col + i as u16;
        write_total(sheet, (total_row, col), header_row + 1, *total, styles)?;
    }
    let grand: Money = column_totals.iter().copied().sum();
    write_total(sheet, (total_row, total_col), header_row + 1, grand, styles)?;
    sheet.set_freeze_panes(header_row + 1, first_col)?;
    sheet.set_column_width(0, 12)?;
    sheet.set_column_width(1, 44)?;
    for col in first_col..=total_col {
        sheet.set_column_width(col, 15)?;
    }

    if !pools.is_empty() && !councils.is_empty() {
        let mut chart = Chart::new(ChartType::ColumnStacked);
        chart
            .title()
            .set_name(&format!("What each council pays, by programme, {year}"));
        for r in 0..pools.len() as u32 {
            let row = header_row + 1 + r;
            chart
                .add_series()
                .set_name((MATRIX, row, 0))
                .set_categories((MATRIX, header_row, first_col, header_row, total_col - 1))
                .set_values((MATRIX, row, first_col, row, total_col - 1));
        }
        chart.y_axis().set_num_format("£#,##0");
        chart.set_width(820).set_height(420);
        sheet.insert_chart(total_row + 2, 0, &chart)?;
    }
    Ok(())
}

fn balances_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(BALANCES)?;
    sheet.write_string_with_format(
        0,
        0,
        "Closing balance of each programme, every year of the book",
        &styles.title,
    )?;
    let programmes = results.programme_codes();
    sheet.write_string_with_format(2, 0, "Year", &styles.header)?;
    sheet.write_string_with_format(2, 1, "Status", &styles.header)?;
    for (i, programme) in programmes.iter().enumerate() {
        sheet.write_string_with_format(2, 2 + i as u16, *programme, &styles.header_right)?;
    }
    for (r, year) in results.years.iter().enumerate() {
        let row = 3 + r as u32;
        sheet.write_string(row, 0, year.to_string())?;
        let forecast = results
            .year_ends
            .iter()
            .any(|e| e.year == *year && e.status == crate::engine::Status::Forecast);
        let status = match (results.in_progress == Some(*year), forecast) {
            (true, _) => "in progress",
            (false, true) => "forecast",
            (false, false) => "actual",
        };
        sheet.write_string(row, 1, status)?;
        for (i, programme) in programmes.iter().enumerate() {
            if let Some(e) = results
                .year_ends
                .iter()
                .find(|e| e.year == *year && e.programme == *programme)
            {
                sheet.write_number_with_format(
                    row,
                    2 + i as u16,
                    money_value(e.closing),
                    &styles.money,
                )?;
            }
        }
    }
    sheet.set_freeze_panes(3, 2)?;
    sheet.set_column_width(0, 10)?;
    sheet.set_column_width(1, 10)?;
    for i in 0..programmes.len() {
        sheet.set_column_width(2 + i as u16, 15)?;
    }
    let last = 2 + results.years.len() as u32;
    if !programmes.is_empty() && !results.years.is_empty() {
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
