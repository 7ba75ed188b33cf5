//! A contribution statement as an A4 PDF to file and send: its headline figures, then each
//! section of the statement's model as a table. The workbook form is `render::xlsx::statement`.

use super::flow::{Align, Column, Flow, Row};
use super::font::Weight;
use super::GREY;
use crate::report::statement::{Cell, Statement};

pub fn statement_pdf(s: &Statement) -> Vec<u8> {
    let footer = format!(
        "Contribution statement of {} for {}. Worked out by accord {} from the West London Alliance budget book.",
        s.council,
        s.year,
        env!("CARGO_PKG_VERSION")
    );
    let mut flow = Flow::new(
        &format!("Contribution statement {} {}", s.council, s.year),
        &footer,
    );
    flow.title(
        "Contribution statement",
        &format!("West London Alliance, {}", s.year),
    );
    flow.paragraph(&s.title_line(), 13.0, Weight::Bold, super::BLACK);
    flow.space(4.0);
    let top = flow.cursor();
    let pairs: Vec<(&str, String)> = s
        .figures
        .iter()
        .map(|(label, money)| (*label, crate::money::pounds(*money)))
        .collect();
    let bottom = flow.pairs(super::flow::MARGIN, top, &pairs);
    flow.set_cursor(bottom - 4.0);
    for section in &s.sections {
        flow.heading(&section.title);
        if section.rows.is_empty() {
            flow.paragraph(section.empty, 9.0, Weight::Regular, GREY);
            continue;
        }
        let columns: Vec<Column> = section
            .widths
            .iter()
            .zip(&section.rows[0])
            .map(|(width, cell)| Column {
                width: *width,
                align: match cell {
                    Cell::Text(_) => Align::Left,
                    Cell::Money(_) | Cell::Ratio(_) => Align::Right,
                },
            })
            .collect();
        let mut rows: Vec<Row> = section
            .rows
            .iter()
            .map(|r| Row::plain(r.iter().map(Cell::shown).collect()))
            .collect();
        if let Some(total) = &section.total {
            rows.push(Row::total(total.iter().map(Cell::shown).collect()));
        }
        flow.table(&columns, &section.header, &rows);
    }
    flow.finish().to_pdf()
}
