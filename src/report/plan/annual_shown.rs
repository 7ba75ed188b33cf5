//! The annual report as both its PDF and the year's dashboard show it: the report layer's
//! sheets with the returns' year and ratio columns dropped and shorter headings, the
//! partnership's gap and run rate among its savings, and the headline figures.

use super::{annual_report_sheets, Block, Cell, Sheet};
use crate::engine::plan::{AnnualReport, RunRate, TargetProgress};
use crate::model::Book;
use crate::money::Money;
use crate::report::wording::pounds;
use crate::values::Year;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::plan::Outturn;

    fn outturn(budget: i128, actual: i128) -> Outturn {
        Outturn {
            programme: "ADULTS".into(),
            budget: Money::from_pence(budget),
            actual: Money::from_pence(actual),
            variance: Money::from_pence(actual - budget),
            closing: Money::ZERO,
        }
    }

    #[test]
    fn the_headline_adds_the_outturn_and_names_an_under_or_overspend() {
        type Case<'a> = (&'a [(i128, i128)], [(&'a str, &'a str); 3]);
        let cases: &[Case] = &[
            (
                &[(10_000, 9_000), (5_000, 5_500)],
                [
                    ("Budget", "£150.00"),
                    ("Spent", "£145.00"),
                    ("Underspent", "£5.00"),
                ],
            ),
            (
                &[(10_000, 13_000)],
                [
                    ("Budget", "£100.00"),
                    ("Spent", "£130.00"),
                    ("Overspent", "£30.00"),
                ],
            ),
            (
                &[],
                [
                    ("Budget", "£0.00"),
                    ("Spent", "£0.00"),
                    ("Overspent", "£0.00"),
                ],
            ),
        ];
        for (lines, expected) in cases {
            let report = AnnualReport {
                year: crate::values::parse_year("2012/13").unwrap(),
                outturn: lines.iter().map(|(b, a)| outturn(*b, *a)).collect(),
                exceptions: Vec::new(),
                savings: Vec::new(),
                partnership: None,
                target: None,
                returns: Vec::new(),
            };
            let figures = headline(&report);
            let shown: Vec<(&str, &str)> = figures
                .iter()
                .take(3)
                .map(|(l, v)| (l.as_str(), v.as_str()))
                .collect();
            assert_eq!(shown, expected.to_vec(), "{lines:?}");
            assert_eq!(
                figures[3],
                ("Variance exceptions".to_string(), "0".to_string())
            );
        }
    }
}
