//! The plain table sheets of `summary.xlsx`: carry-forward, invoices and variance, each with a
//! frozen header and SUM totals whose values are cached for readers without a calculation
//! engine. Text from the book goes in as string cells only.

use super::style::{money_value, Styles};
use crate::engine::Results;
use crate::money::Money;
use crate::values::Year;
use rust_xlsxwriter::utility::cell_range;
use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

pub fn sum_formula(first: (u32, u16), last: (u32, u16), value: Money) -> Formula {
    Formula::new(format!(
        "=SUM({})",
        cell_range(first.0, first.1, last.0, last.1)
    ))
    .set_result(value.to_string())
}

/// A total at (`row`, `col`): a SUM formula over the cells from `first_row` down to the row
/// above (its value cached for readers without a calculation engine), or a plain zero when
/// there is nothing above to add up.
pub fn write_total(
    sheet: &mut Worksheet,
    (row, col): (u32, u16),
    first_row: u32,
    value: Money,
    styles: &Styles,
) -> Result<(), XlsxError> {
    if row > first_row {
        let formula = sum_formula((first_row, col), (row - 1, col), value);
        sheet.write_formula_with_format(row, col, formula, &styles.money_total)?;
    } else {
        sheet.write_number_with_format(row, col, money_value(value), &styles.money_total)?;
    }
    Ok(())
}

pub fn carry_forward_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    year: Year,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Carry forward")?;
    sheet.write_string_with_format(0, 0, format!("Programme balances, {year}"), &styles.title)?;
    let header = [
        "Programme",
        "Status",
        "Opening",
        "Budget",
        "Grants",
        "Guest charges",
        "Member contributions",
        "Actual",
        "Closing",
    ];
    for (col, name) in header.iter().enumerate() {
        let format = if col < 2 {
            &styles.header
        } else {
            &styles.header_right
        };
        sheet.write_string_with_format(2, col as u16, *name, format)?;
    }
    let ends: Vec<_> = results
        .year_ends
        .iter()
        .filter(|e| e.year == year)
        .collect();
    let mut totals = [Money::ZERO; 7];
    for (r, e) in ends.iter().enumerate() {
        let row = 3 + r as u32;
        sheet.write_string(row, 0, &e.programme)?;
        sheet.write_string(row, 1, e.status.as_str())?;
        let values = [
            e.opening,
            e.budget,
            e.grants,
            e.guest_charges,
            e.member_contributions,
            e.actual,
            e.closing,
        ];
        for (i, value) in values.iter().enumerate() {
            sheet.write_number_with_format(
                row,
                2 + i as u16,
                money_value(*value),
                &styles.money,
            )?;
            totals[i] += *value;
        }
    }
    let total_row = 3 + ends.len() as u32;
    sheet.write_string_with_format(total_row, 0, "Total", &styles.bold)?;
    sheet.write_string_with_format(total_row, 1, "", &styles.bold)?;
    for (i, total) in totals.iter().enumerate() {
        write_total(sheet, (total_row, 2 + i as u16), 3, *total, styles)?;
    }
    sheet.set_freeze_panes(3, 1)?;
    sheet.set_column_width(0, 12)?;
    sheet.set_column_width(1, 10)?;
    for col in 2..9 {
        sheet.set_column_width(col, 17)?;
    }
    Ok(())
}

pub fn invoices_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    year: Year,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Invoices")?;
    sheet.write_string_with_format(0, 0, format!("Invoices, {year}"), &styles.title)?;
    for (col, name) in ["Invoice", "Issuer", "Payer", "Programme", "Amount"]
        .iter()
        .enumerate()
    {
        let format = if col == 4 {
            &styles.header_right
        } else {
            &styles.header
        };
        sheet.write_string_with_format(2, col as u16, *name, format)?;
    }
    let lines: Vec<_> = results.invoices.iter().filter(|i| i.year == year).collect();
    for (r, line) in lines.iter().enumerate() {
        let row = 3 + r as u32;
        sheet.write_string(row, 0, &line.invoice)?;
        sheet.write_string(row, 1, &line.issuer)?;
        sheet.write_string(row, 2, &line.payer)?;
        sheet.write_string(row, 3, &line.programme)?;
        sheet.write_number_with_format(row, 4, money_value(line.amount), &styles.money)?;
    }
    let total_row = 3 + lines.len() as u32;
    let total: Money = lines.iter().map(|l| l.amount).sum();
    sheet.write_string_with_format(total_row, 0, "Total", &styles.bold)?;
    write_total(sheet, (total_row, 4), 3, total, styles)?;
    sheet.set_freeze_panes(3, 0)?;
    sheet.set_column_width(0, 24)?;
    for col in 1..4 {
        sheet.set_column_width(col, 11)?;
    }
    sheet.set_column_width(4, 16)?;
    Ok(())
}

pub fn variance_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    year: Year,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Variance")?;
    sheet.write_string_with_format(
        0,
        0,
        format!("Actual against budget, {year}"),
        &styles.title,
    )?;
    let rows: Vec<_> = results.variance.iter().filter(|v| v.year == year).collect();
    if rows.is_empty() {
        sheet.write_string(
            2,
            0,
            "No actuals for this year: its figures are a forecast.",
        )?;
        return Ok(());
    }
    let header = [
        "Programme",
        "Category",
        "Budget",
        "Actual",
        "Variance",
        "Exception",
    ];
    for (col, name) in header.iter().enumerate() {
        let format = if (2..5).contains(&col) {
            &styles.header_right
        } else {
            &styles.header
        };
        sheet.write_string_with_format(2, col as u16, *name, format)?;
    }
    for (r, v) in rows.iter().enumerate() {
        let row = 3 + r as u32;
        sheet.write_string(row, 0, &v.programme)?;
        sheet.write_string(row, 1, &v.category)?;
        sheet.write_number_with_format(row, 2, money_value(v.budget), &styles.money)?;
        sheet.write_number_with_format(row, 3, money_value(v.actual), &styles.money)?;
        sheet.write_number_with_format(row, 4, money_value(v.variance), &styles.money)?;
        sheet.write_string(row, 5, if v.exception { "yes" } else { "no" })?;
    }
    sheet.set_freeze_panes(3, 0)?;
    sheet.set_column_width(0, 12)?;
    sheet.set_column_width(1, 24)?;
    for col in 2..5 {
        sheet.set_column_width(col, 16)?;
    }
    sheet.set_column_width(5, 10)?;
    Ok(())
}
