//! `compare.xlsx`: a summary sheet (each council's change per year, with SUM totals and a
//! native chart) and one sheet per council (its change per year and programme, totals by SUM
//! and SUMIF formulas whose values are cached, and a chart of its change per year). Codes and
//! text from the books go in as string cells only. It lays out `report::compare`.

use super::style::{fixed_properties, Styles};
use super::table::{Column, SheetTable, Total, Value};
use crate::money::Money;
use crate::report::compare::{CompareView, CouncilFigures};
use rust_xlsxwriter::utility::{cell_range, column_number_to_name};
use rust_xlsxwriter::{Chart, ChartType, Formula, Workbook, Worksheet, XlsxError};

/// The summary sheet's name: it holds a space, so no council code (which names a sheet) can
/// take it.
const SUMMARY: &str = "All councils";

pub fn compare_xlsx(view: &CompareView<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&fixed_properties(
        "West London Alliance: comparison of two books",
    ));
    let styles = Styles::new();
    summary_sheet(workbook.add_worksheet(), view, &styles)?;
    for figures in &view.council_figures {
        council_sheet(workbook.add_worksheet(), view, figures, &styles)?;
    }
    workbook.save_to_buffer()
}

fn summary_sheet(
    sheet: &mut Worksheet,
    view: &CompareView<'_>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let comparison = view.comparison;
    sheet.set_name(SUMMARY)?;
    sheet.write_string_with_format(
        0,
        0,
        "What each council pays more (or less) under book B than under book A",
        &styles.title,
    )?;
    sheet.write_string(1, 0, format!("A: {}", comparison.label_a))?;
    sheet.write_string(2, 0, format!("B: {}", comparison.label_b))?;
    let years = &view.years;
    let header_row = 4u32;
    let mut columns = vec![Column::text("Council", Some(14.0))];
    columns.extend(
        years
            .iter()
            .map(|y| Column::figures(y.to_string(), Some(15.0))),
    );
    columns.push(Column::figures("Total", Some(15.0)));
    let rows = view
        .councils
        .iter()
        .map(|c| {
            let mut cells = vec![Value::text(&c.council)];
            cells.extend(c.per_year.iter().map(|d| Value::Money(*d)));
            cells.push(if years.is_empty() {
                Value::TotalMoney(Money::ZERO)
            } else {
                Value::RowSum {
                    from: 1,
                    value: c.total,
                }
            });
            cells
        })
        .collect();
    let mut total = vec![Total::Label("Total")];
    total.extend(view.year_totals.iter().map(|t| Total::Sum(*t)));
    total.push(Total::Sum(view.grand_total));
    let total_row = SheetTable {
        header_row,
        columns,
        rows,
        total: Some(total),
        freeze_columns: Some(1),
    }
    .write(sheet, styles)?
        - 1;
    if !years.is_empty() && !view.councils.is_empty() {
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
    view: &CompareView<'_>,
    figures: &CouncilFigures<'_>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let council = figures.council.as_str();
    sheet.set_name(council)?;
    sheet.write_string_with_format(
        0,
        0,
        format!("{council}: what it pays under each book, by year and programme"),
        &styles.title,
    )?;
    let header_row = 2u32;
    let rows = figures
        .rows
        .iter()
        .map(|d| {
            vec![
                Value::text(d.year.to_string()),
                Value::text(&d.programme),
                Value::Money(d.a),
                Value::Money(d.b),
                Value::RowDifference {
                    of: 3,
                    less: 2,
                    value: d.difference(),
                },
            ]
        })
        .collect();
    let total_row = SheetTable {
        header_row,
        columns: vec![
            Column::text("Year", Some(10.0)),
            Column::text("Programme", Some(16.0)),
            Column::figures("A", Some(15.0)),
            Column::figures("B", Some(15.0)),
            Column::figures("Difference", Some(15.0)),
        ],
        rows,
        total: Some(vec![
            Total::Label("Total"),
            Total::Label(""),
            Total::Sum(figures.total_a),
            Total::Sum(figures.total_b),
            Total::Sum(figures.total_difference),
        ]),
        freeze_columns: Some(2),
    }
    .write(sheet, styles)?
        - 1;

    // The change per year: SUMIF over the rows above.
    let by_year_header = total_row + 2;
    sheet.write_string_with_format(by_year_header, 0, "Year", &styles.header)?;
    sheet.write_string_with_format(by_year_header, 1, "Change", &styles.header_right)?;
    let years = &view.years;
    let first = header_row + 1;
    let last = total_row.saturating_sub(1).max(first);
    for (i, (year, change)) in years.iter().zip(&figures.by_year).enumerate() {
        let row = by_year_header + 1 + i as u32;
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
