//! `compare.xlsx`: a summary sheet (each council's change per year, with SUM totals and a
//! native chart) and one sheet per council (its change per year and programme, totals by SUM
//! and SUMIF formulas whose values are cached, and a chart of its change per year). Codes and
//! text from the books go in as string cells only.

use super::style::{fixed_properties, money_value, Styles};
use super::table::{sum_formula, write_total};
use crate::compare::Comparison;
use crate::money::Money;
use rust_xlsxwriter::utility::{cell_range, column_number_to_name};
use rust_xlsxwriter::{Chart, ChartType, Formula, Workbook, Worksheet, XlsxError};

/// The summary sheet's name: it holds a space, so no council code (which names a sheet) can
/// take it.
const SUMMARY: &str = "All councils";

pub fn compare_xlsx(comparison: &Comparison) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&fixed_properties(
        "West London Alliance: comparison of two books",
    ));
    let styles = Styles::new();
    summary_sheet(workbook.add_worksheet(), comparison, &styles)?;
    for council in comparison.councils() {
        council_sheet(workbook.add_worksheet(), comparison, council, &styles)?;
    }
    workbook.save_to_buffer()
}

fn summary_sheet(
    sheet: &mut Worksheet,
    comparison: &Comparison,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(SUMMARY)?;
    sheet.write_string_with_format(
        0,
        0,
        "What each council pays more (or less) under book B than under book A",
        &styles.title,
    )?;
    sheet.write_string(1, 0, format!("A: {}", comparison.label_a))?;
    sheet.write_string(2, 0, format!("B: {}", comparison.label_b))?;
    let years = comparison.years();
    let councils = comparison.councils();
    let header_row = 4u32;
    let total_col = 1 + years.len() as u16;
    sheet.write_string_with_format(header_row, 0, "Council", &styles.header)?;
    for (i, year) in years.iter().enumerate() {
        sheet.write_string_with_format(
            header_row,
            1 + i as u16,
            year.to_string(),
            &styles.header_right,
        )?;
    }
    sheet.write_string_with_format(header_row, total_col, "Total", &styles.header_right)?;
    let mut year_totals = vec![Money::ZERO; years.len()];
    for (r, council) in councils.iter().enumerate() {
        let row = header_row + 1 + r as u32;
        sheet.write_string(row, 0, *council)?;
        let mut row_total = Money::ZERO;
        for (i, year) in years.iter().enumerate() {
            let difference = comparison
                .totals
                .iter()
                .find(|t| t.year == *year && t.council == *council)
                .map_or(Money::ZERO, |t| t.difference());
            sheet.write_number_with_format(
                row,
                1 + i as u16,
                money_value(difference),
                &styles.money,
            )?;
            row_total += difference;
            year_totals[i] += difference;
        }
        if years.is_empty() {
            sheet.write_number_with_format(row, total_col, 0.0, &styles.money_total)?;
        } else {
            let formula = sum_formula((row, 1), (row, total_col - 1), row_total);
            sheet.write_formula_with_format(row, total_col, formula, &styles.money_total)?;
        }
    }
    let total_row = header_row + 1 + councils.len() as u32;
    sheet.write_string_with_format(total_row, 0, "Total", &styles.bold)?;
    for (i, total) in year_totals.iter().enumerate() {
        write_total(
            sheet,
            (total_row, 1 + i as u16),
            header_row + 1,
            *total,
            styles,
        )?;
    }
    let grand: Money = year_totals.iter().copied().sum();
    write_total(sheet, (total_row, total_col), header_row + 1, grand, styles)?;
    sheet.set_freeze_panes(header_row + 1, 1)?;
    sheet.set_column_width(0, 14)?;
    for col in 1..=total_col {
        sheet.set_column_width(col, 15)?;
    }
    if !years.is_empty() && !councils.is_empty() {
        let mut chart = Chart::new(ChartType::Column);
        chart
            .title()
            .set_name("Change in what each council pays, by year");
        for i in 0..years.len() as u16 {
            chart
                .add_series()
                .set_name((SUMMARY, header_row, 1 + i))
                .set_categories((SUMMARY, header_row + 1, 0, total_row - 1, 0))
                .set_values((SUMMARY, header_row + 1, 1 + i, total_row - 1, 1 + i));
        }
        chart.y_axis().set_num_format("£#,##0");
        chart.set_width(820).set_height(420);
        sheet.insert_chart(total_row + 2, 0, &chart)?;
    }
    Ok(())
}

fn council_sheet(
    sheet: &mut Worksheet,
    comparison: &Comparison,
    council: &str,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(council)?;
    sheet.write_string_with_format(
        0,
        0,
        format!("{council}: what it pays under each book, by year and programme"),
        &styles.title,
    )?;
    let header_row = 2u32;
    for (col, name) in ["Year", "Programme", "A", "B", "Difference"]
        .iter()
        .enumerate()
    {
        let format = if col < 2 {
            &styles.header
        } else {
            &styles.header_right
        };
        sheet.write_string_with_format(header_row, col as u16, *name, format)?;
    }
    let rows: Vec<_> = comparison
        .differences
        .iter()
        .filter(|d| d.council == council)
        .collect();
    let (mut total_a, mut total_b) = (Money::ZERO, Money::ZERO);
    for (r, d) in rows.iter().enumerate() {
        let row = header_row + 1 + r as u32;
        sheet.write_string(row, 0, d.year.to_string())?;
        sheet.write_string(row, 1, &d.programme)?;
        sheet.write_number_with_format(row, 2, money_value(d.a), &styles.money)?;
        sheet.write_number_with_format(row, 3, money_value(d.b), &styles.money)?;
        let formula = Formula::new(format!("=D{}-C{}", row + 1, row + 1))
            .set_result(d.difference().to_string());
        sheet.write_formula_with_format(row, 4, formula, &styles.money)?;
        total_a += d.a;
        total_b += d.b;
    }
    let total_row = header_row + 1 + rows.len() as u32;
    sheet.write_string_with_format(total_row, 0, "Total", &styles.bold)?;
    sheet.write_string_with_format(total_row, 1, "", &styles.bold)?;
    write_total(sheet, (total_row, 2), header_row + 1, total_a, styles)?;
    write_total(sheet, (total_row, 3), header_row + 1, total_b, styles)?;
    write_total(
        sheet,
        (total_row, 4),
        header_row + 1,
        total_b - total_a,
        styles,
    )?;

    // The change per year: SUMIF over the rows above.
    let by_year_header = total_row + 2;
    sheet.write_string_with_format(by_year_header, 0, "Year", &styles.header)?;
    sheet.write_string_with_format(by_year_header, 1, "Change", &styles.header_right)?;
    let years = comparison.years();
    let first = header_row + 1;
    let last = total_row.saturating_sub(1).max(first);
    for (i, year) in years.iter().enumerate() {
        let row = by_year_header + 1 + i as u32;
        let change: Money = rows
            .iter()
            .filter(|d| d.year == *year)
            .map(|d| d.difference())
            .sum();
        sheet.write_string(row, 0, year.to_string())?;
        let formula = Formula::new(format!(
            "=SUMIF({},{},{})",
            cell_range(first, 0, last, 0),
            absolute_cell(row, 0),
            cell_range(first, 4, last, 4)
        ))
        .set_result(change.to_string());
        sheet.write_formula_with_format(row, 1, formula, &styles.money)?;
    }
    sheet.set_freeze_panes(header_row + 1, 2)?;
    sheet.set_column_width(0, 10)?;
    sheet.set_column_width(1, 16)?;
    for col in 2..=4 {
        sheet.set_column_width(col, 15)?;
    }
    if !years.is_empty() {
        let last_year_row = by_year_header + years.len() as u32;
        let mut chart = Chart::new(ChartType::Column);
        chart
            .title()
            .set_name(&format!("{council}: change in what it pays, by year"));
        chart
            .add_series()
            .set_name("Change")
            .set_categories((council, by_year_header + 1, 0, last_year_row, 0))
            .set_values((council, by_year_header + 1, 1, last_year_row, 1));
        chart.y_axis().set_num_format("£#,##0");
        chart.set_width(640).set_height(360);
        sheet.insert_chart(by_year_header, 3, &chart)?;
    }
    Ok(())
}

/// `A12` for a 0-based row and column.
fn absolute_cell(row: u32, col: u16) -> String {
    format!("{}{}", column_number_to_name(col), row + 1)
}
