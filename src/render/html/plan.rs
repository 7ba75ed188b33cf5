//! The report layer's sheets of typed cells as HTML tables (statuses in words, coloured), and
//! the annual report's section of a year's `index.html`. Also what the annual report's PDF
//! shares with it: the cell wording, the sheets as shown, the headline figures. The top
//! dashboard's plan and charts are in `plan_dashboard`.

use super::{escape, figure};
use crate::engine::plan::{AnnualReport, Rag, RunRate, TargetProgress};
use crate::model::Book;
use crate::money::Money;
use crate::report::plan::{annual_report_sheets, Block, Cell, Sheet, Span};
use crate::report::wording::pounds;
use crate::values::Year;
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

/// The progress towards the collective target as rows of a `measure, value` block: the gap
/// and run rate as at the latest reported year (and what was achieved by then, when that is
/// not the report's year).
fn target_rows(t: &TargetProgress, year: Year) -> Vec<Vec<Cell>> {
    let as_at = t
        .as_at
        .map_or_else(|| "nothing reported yet".to_string(), |y| y.to_string());
    let mut rows = Vec::new();
    if t.as_at != Some(year) {
        rows.push(vec![
            Cell::Text(format!("cumulative cashable achieved, as at {as_at}")),
            Cell::Money(t.achieved_to_date),
        ]);
    }
    rows.push(vec![
        Cell::Text(format!("gap, as at {as_at}")),
        Cell::Money(t.gap),
    ]);
    rows.push(vec![
        Cell::Text(format!("years left to {}", t.by)),
        Cell::Integer(i64::from(t.years_left)),
    ]);
    if let RunRate::PerYear(rate) = t.run_rate {
        rows.push(vec![
            Cell::Text("run rate needed a year".into()),
            Cell::Money(rate),
        ]);
    }
    rows
}

fn drop_column(block: &mut Block, name: &str) {
    if let Some(i) = block.header.iter().position(|h| h == name) {
        block.header.remove(i);
        for row in &mut block.rows {
            if i < row.len() {
                row.remove(i);
            }
        }
    }
}

/// The annual report's sheets as both the PDF and the dashboard show them: the report layer's
/// sheets, with the returns' year and ratio columns dropped (every row is the year's, and the
/// ratio is in the words beside it) and shorter headings, and the partnership's gap and run rate needed to reach
/// its collective target among its savings (the run rate in words as a note).
pub fn annual_sheets(report: &AnnualReport, book: &Book) -> Vec<Sheet> {
    let mut sheets = annual_report_sheets(report, book);
    for sheet in &mut sheets {
        if sheet.name == "returns" {
            sheet.notes.push("Paid is every allocation the council bears (the Office, programmes and support in kind, its own shares included); saved is its cashable savings.".into());
            for block in &mut sheet.blocks {
                drop_column(block, "year");
                drop_column(block, "saved per GBP 1 paid");
                for header in &mut block.header {
                    *header = match header.as_str() {
                        "cashable savings" => "saved".into(),
                        "savings less paid" => "saved less paid".into(),
                        _ => std::mem::take(header),
                    };
                }
            }
        }
        if sheet.name == "savings" {
            let Some(t) = &report.target else { continue };
            for block in sheet.blocks.iter_mut().filter(|b| b.title == "partnership") {
                block.rows.retain(|r| {
                    !matches!(r.first(), Some(Cell::Text(label)) if label.starts_with("run rate"))
                });
                block.rows.extend(target_rows(t, report.year));
            }
            sheet
                .notes
                .push(format!("Run rate needed: {}.", t.run_rate_text()));
        }
    }
    sheets
}

/// The annual report's headline figures, label and value.
pub fn headline(report: &AnnualReport) -> Vec<(String, String)> {
    let sum = |f: fn(&crate::engine::plan::Outturn) -> Money| -> Money {
        report.outturn.iter().map(f).sum()
    };
    let variance = sum(|o| o.variance);
    let mut out = vec![
        ("Budget".to_string(), pounds(sum(|o| o.budget))),
        ("Spent".to_string(), pounds(sum(|o| o.actual))),
        (
            if variance.is_negative() {
                "Underspent".to_string()
            } else {
                "Overspent".to_string()
            },
            pounds(variance.abs()),
        ),
        (
            "Variance exceptions".to_string(),
            report.exceptions.len().to_string(),
        ),
    ];
    if let Some(p) = &report.partnership {
        out.push((format!("Cashable savings {}", p.year), pounds(p.achieved)));
        if let Some(c) = p.cumulative_achieved {
            out.push(("Cumulative cashable savings".into(), pounds(c)));
        }
    }
    if let Some(t) = &report.target {
        out.push((format!("Collective target, {}", t.by), pounds(t.target)));
        if let Some(as_at) = t.as_at {
            out.push((format!("Gap as at {as_at}"), pounds(t.gap)));
        }
        if let RunRate::PerYear(rate) = t.run_rate {
            out.push(("Run rate needed a year".into(), pounds(rate)));
        }
    }
    out
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
