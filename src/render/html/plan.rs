//! The report layer's sheets of typed cells as HTML tables (statuses in words, coloured), and
//! the annual report's section of a year's `index.html`. Also what the annual report's PDF
//! shares with it: the cell wording (the sheets as shown and the headline figures are
//! `report::plan::annual_shown`). The top
//! dashboard's plan and charts are in `plan_dashboard`.

use super::{escape, figure};
use crate::engine::plan::{AnnualReport, Rag};
use crate::model::Book;
use crate::report::plan::{annual_sheets, headline, Block, Cell, Sheet, Span};
use crate::report::wording::pounds;
use std::fmt::Write;

/// The file name of a year's annual report, inside the year's folder.
pub const ANNUAL_REPORT_PDF: &str = "annual_report.pdf";

/// A cell as a reader sees it: amounts as `£1,234.50`, statuses in words.
pub fn shown(cell: &Cell) -> String {
    match cell {
        Cell::Money(m) | Cell::Total { result: m, .. } => pounds(*m),
        other => other.written(),
    }
}

fn is_number(cell: &Cell) -> bool {
    matches!(
        cell,
        Cell::Money(_) | Cell::Total { .. } | Cell::Integer(_) | Cell::Percent(_) | Cell::Ratio(_)
    )
}

/// Which columns of a block hold figures only (right-aligned).
pub fn numeric_columns(block: &Block) -> Vec<bool> {
    (0..block.header.len())
        .map(|i| {
            let cells = || block.rows.iter().filter_map(|r| r.get(i));
            cells().any(is_number) && cells().all(|c| is_number(c) || matches!(c, Cell::Blank))
        })
        .collect()
}

/// A row of totals (bold, ruled above): one adding up the rows above it.
pub fn is_total_row(row: &[Cell]) -> bool {
    row.iter().any(|c| {
        matches!(
            c,
            Cell::Total {
                of: Span::Above,
                ..
            }
        )
    })
}

/// `cashable savings` -> `Cashable savings`.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn status_style(cell: &Cell) -> &'static str {
    match cell {
        Cell::Status(Some(Rag::Green)) => " style=\"background:#d9f2df;font-weight:bold\"",
        Cell::Status(Some(Rag::Amber)) => " style=\"background:#fdebc8;font-weight:bold\"",
        Cell::Status(Some(Rag::Red)) => " style=\"background:#f8d3d0;font-weight:bold\"",
        _ => "",
    }
}

/// One block as an HTML table; every piece of text is escaped.
pub fn block_table(block: &Block) -> String {
    let numeric = numeric_columns(block);
    let mut out = String::from("<table>\n<thead><tr>");
    for (name, n) in block.header.iter().zip(&numeric) {
        let class = if *n { " class=\"n\"" } else { "" };
        let _ = write!(out, "<th{class}>{}</th>", escape(&capitalised(name)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &block.rows {
        out.push_str(if is_total_row(row) {
            "<tr class=\"total\">"
        } else {
            "<tr>"
        });
        for (cell, n) in row
            .iter()
            .zip(numeric.iter().chain(std::iter::repeat(&false)))
        {
            let class = if *n { " class=\"n\"" } else { "" };
            let _ = write!(
                out,
                "<td{class}{}>{}</td>",
                status_style(cell),
                escape(&shown(cell))
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// A sheet: its title as a heading, its notes, then its blocks (titled when there are several).
pub fn sheet_html(sheet: &Sheet, heading: &str) -> String {
    let mut out = format!("<{heading}>{}</{heading}>\n", escape(&sheet.title));
    for note in &sheet.notes {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(note));
    }
    for block in sheet.blocks.iter().filter(|b| !b.rows.is_empty()) {
        if sheet.blocks.len() > 1 {
            let _ = writeln!(out, "<h4>{}</h4>", escape(&capitalised(&block.title)));
        }
        out.push_str(&block_table(block));
    }
    out
}

/// The annual report's section of a year's `index.html`.
pub fn annual_section(report: &AnnualReport, book: &Book) -> String {
    let mut out = format!(
        "<h2 id=\"annual-report\">Annual report {}</h2>\n<p class=\"note\">The partnership's annual report (Accord 8.2): outturn against budget, variances by exception, savings against targets and each council's return. Printable: <a href=\"{ANNUAL_REPORT_PDF}\">annual_report.pdf</a>.</p>\n<div class=\"figures\">",
        escape(&report.year.to_string())
    );
    for (label, value) in headline(report) {
        out.push_str(&figure(&label, &value));
    }
    out.push_str("</div>\n");
    for sheet in annual_sheets(report, book) {
        out.push_str(&sheet_html(&sheet, "h3"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;

    #[test]
    fn tables_escape_text_align_figures_and_say_statuses_in_words() {
        let block = Block {
            title: "t".into(),
            header: vec!["programme".into(), "achieved".into(), "status".into()],
            rows: vec![
                vec![
                    Cell::Text("<script>".into()),
                    Cell::Money(Money::from_pence(123_456)),
                    Cell::Status(Some(Rag::Amber)),
                ],
                vec![
                    Cell::Text("total".into()),
                    Cell::Total {
                        result: Money::from_pence(123_456),
                        of: Span::Above,
                    },
                    Cell::Status(None),
                ],
            ],
        };
        assert_eq!(numeric_columns(&block), vec![false, true, false]);
        let html = block_table(&block);
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"));
        assert!(html.contains("<td class=\"n\">£1,234.56</td>"));
        assert!(html.contains(">amber</td>") && html.contains(">not yet reported</td>"));
        assert!(html.contains("<tr class=\"total\">"));
        assert_eq!(capitalised("in words"), "In words");
    }
}
