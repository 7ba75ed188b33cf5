//! The annual report (Accord 8.2) as a print-ready A4 PDF, `2012-13/annual_report.pdf`:
//! headline figures, then outturn against budget per programme, variances by exception,
//! savings against targets with each status in words, the partnership's cumulative savings
//! against its collective target (gap and run rate), and each council's return. Laid out by
//! the shared PDF flow from the same sheets the dashboard shows.

use super::flow::{Align, Column, Flow, Row, MARGIN, TEXT_WIDTH};
use super::font::Weight;
use super::{BLACK, GREY};
use crate::engine::plan::AnnualReport;
use crate::model::Book;
use crate::render::html::plan::{capitalised, is_total_row, numeric_columns, shown};
use crate::report::plan::{annual_sheets, headline, Block};

/// Columns whose cells are sentences or names get more of the width.
fn share(header: &str, numeric: bool) -> f32 {
    match header {
        _ if numeric => 1.0,
        "in words" => 6.0,
        "name" | "measure" => 2.6,
        "council" | "programme" => 0.7,
        _ => 1.0,
    }
}

fn block_table(flow: &mut Flow, block: &Block) {
    let numeric = numeric_columns(block);
    let columns: Vec<Column> = block
        .header
        .iter()
        .zip(&numeric)
        .map(|(h, n)| Column {
            width: share(h, *n),
            align: if *n { Align::Right } else { Align::Left },
        })
        .collect();
    let header: Vec<String> = block.header.iter().map(|h| capitalised(h)).collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows: Vec<Row> = block
        .rows
        .iter()
        .map(|r| {
            let cells = r.iter().map(shown).collect();
            if is_total_row(r) {
                Row::total(cells)
            } else {
                Row::plain(cells)
            }
        })
        .collect();
    flow.table(&columns, &header, &rows);
}

/// The PDF of one year's annual report.
pub fn annual_report_pdf(report: &AnnualReport, book: &Book) -> Vec<u8> {
    let year = report.year;
    let footer = format!(
        "Annual report of the West London Alliance shared programmes, {year} (Accord 8.2). Worked out by accord {} from the partnership's budget book.",
        env!("CARGO_PKG_VERSION")
    );
    let mut flow = Flow::new(&format!("Annual report {year}"), &footer);
    flow.title("Annual report", &format!("West London Alliance, {year}"));
    flow.paragraph(
        &format!("The shared programmes in {year}: what they spent against their budgets, the variances reported by exception, the savings they made against their targets, and what each council paid against what it saved."),
        9.0,
        Weight::Regular,
        BLACK,
    );
    flow.space(2.0);

    let figures = headline(report);
    let pairs: Vec<(&str, String)> = figures
        .iter()
        .map(|(label, value)| (label.as_str(), value.clone()))
        .collect();
    let half = pairs.len().div_ceil(2);
    let top = flow.cursor();
    let left = flow.pairs(MARGIN, top, &pairs[..half]);
    let right = flow.pairs(MARGIN + TEXT_WIDTH / 2.0 + 10.0, top, &pairs[half..]);
    flow.set_cursor(left.min(right) - 8.0);

    for sheet in annual_sheets(report, book) {
        flow.heading(&sheet.title);
        for note in &sheet.notes {
            flow.paragraph(note, 8.5, Weight::Regular, GREY);
        }
        flow.space(4.0);
        let titled = sheet.blocks.len() > 1;
        for block in sheet.blocks.iter().filter(|b| !b.rows.is_empty()) {
            if titled {
                flow.ensure(60.0);
                flow.paragraph(&capitalised(&block.title), 9.5, Weight::Bold, BLACK);
                flow.space(3.0);
            }
            block_table(&mut flow, block);
            flow.space(8.0);
        }
    }
    flow.finish().to_pdf()
}
