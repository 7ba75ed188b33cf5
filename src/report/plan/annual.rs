//! The annual report's tables (Accord 8.2) for one year with actuals: outturn against budget,
//! variances by exception, savings against targets, and each council's return. The PDF and the
//! dashboard lay these out; this module only arranges the figures.

use super::benefits::{as_at_text, returns_block, share_of, status_rule, SAVINGS_RULE};
use super::{Block, Cell, Sheet, Span};
use crate::engine::plan::AnnualReport;
use crate::model::Book;
use crate::money::Money;

/// The annual report for one year as sheets: outturn, exceptions, savings, returns.
pub fn annual_report_sheets(report: &AnnualReport, book: &Book) -> Vec<Sheet> {
    let year = report.year;
    let mut outturn = Sheet::new(
        "outturn",
        format!("Outturn {year}: spend against budget per programme (GBP)"),
    );
    outturn
        .notes
        .push("variance = actual − budget: positive is an overspend.".into());
    let mut block = Block::new(
        "outturn",
        &[
            "programme",
            "name",
            "budget",
            "actual",
            "variance",
            "closing balance",
        ],
    );
    for o in &report.outturn {
        block.rows.push(vec![
            Cell::text(o.programme.as_str()),
            Cell::text(super::programme_name(book, &o.programme)),
            Cell::Money(o.budget),
            Cell::Money(o.actual),
            Cell::Money(o.variance),
            Cell::Money(o.closing),
        ]);
    }
    let total = |f: fn(&crate::engine::plan::Outturn) -> Money| Cell::Total {
        result: report.outturn.iter().map(f).sum(),
        of: Span::Above,
    };
    block.rows.push(vec![
        Cell::text("total"),
        Cell::Blank,
        total(|o| o.budget),
        total(|o| o.actual),
        total(|o| o.variance),
        total(|o| o.closing),
    ]);
    outturn.blocks.push(block);

    let mut exceptions = Sheet::new("exceptions", format!("Variances by exception {year} (GBP)"));
    exceptions.notes.push(format!(
        "A variance is an exception when it reaches both {}% of the budget and GBP {}.",
        book.settings.variance_pct.normalize(),
        crate::money::grouped(book.settings.variance_abs)
    ));
    let mut block = Block::new(
        "exceptions",
        &["programme", "category", "budget", "actual", "variance"],
    );
    for v in &report.exceptions {
        block.rows.push(vec![
            Cell::text(v.programme.as_str()),
            Cell::text(v.category.as_str()),
            Cell::Money(v.budget),
            Cell::Money(v.actual),
            Cell::Money(v.variance),
        ]);
    }
    if report.exceptions.is_empty() {
        exceptions.notes.push("No exceptions this year.".into());
    }
    exceptions.blocks.push(block);

    let mut savings = Sheet::new("savings", format!("Savings against targets {year} (GBP)"));
    savings.notes.push(status_rule(book.settings.amber_pct));
    let mut block = Block::new(
        "by programme",
        &["programme", "target", "achieved", "% of target", "status"],
    );
    for s in &report.savings {
        block.rows.push(vec![
            Cell::text(s.programme.as_str()),
            Cell::money_or_blank(s.target),
            Cell::Money(s.achieved),
            s.target
                .and_then(|target| share_of(s.achieved, target))
                .map_or(Cell::Blank, Cell::Percent),
            Cell::Status(s.status),
        ]);
    }
    savings.blocks.push(block);
    if let Some(p) = &report.partnership {
        savings.notes.push(SAVINGS_RULE.into());
        let mut block = Block::new("partnership", &["measure", "value"]);
        block
            .rows
            .push(vec![Cell::text("cashable target"), Cell::Money(p.target)]);
        block.rows.push(vec![
            Cell::text("cashable achieved"),
            Cell::Money(p.achieved),
        ]);
        block.rows.push(vec![
            Cell::text("cumulative cashable achieved"),
            Cell::money_or_blank(p.cumulative_achieved),
        ]);
        if let Some(t) = &report.target {
            block
                .rows
                .push(vec![Cell::text("collective target"), Cell::Money(t.target)]);
            block.rows.push(vec![
                Cell::text("target year"),
                Cell::text(t.by.to_string()),
            ]);
            block.rows.push(vec![
                Cell::text(format!("run rate needed, as at {}", as_at_text(t))),
                Cell::text(t.run_rate_text()),
            ]);
        }
        savings.blocks.push(block);
    }

    let mut returns = Sheet::new("returns", format!("Each council's return {year} (GBP)"));
    returns
        .blocks
        .push(returns_block("returns", report.returns.iter()));
    vec![outturn, exceptions, savings, returns]
}
