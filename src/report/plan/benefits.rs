//! The benefits sheets: each programme's status, the partnership's savings against its
//! collective target, and each council's return, with the rules said in words beside them.
//! Shared by `plan.xlsx` and the annual report.

use super::{Block, Cell, ChartSpec, Sheet};
use crate::engine::plan::{CouncilReturn, Plan, RunRate, TargetProgress};
use crate::money::Money;
use rust_decimal::Decimal;

/// `achieved / target` as a fraction; `None` for a zero target.
pub(super) fn share_of(achieved: Money, target: Money) -> Option<Decimal> {
    (!target.is_zero()).then(|| achieved.to_decimal() / target.to_decimal())
}

/// The status rule in words, for the notes under a status table.
pub fn status_rule(amber_pct: Decimal) -> String {
    format!(
        "Each programme's targets and achieved savings of every type, summed over councils: green at or above target (or a target of 0), amber at or above {}% of it, red below; none where no target is written. A year after the latest reported year is not yet reported.",
        amber_pct.normalize()
    )
}

pub(super) fn status_sheet(plan: &Plan) -> Sheet {
    let mut sheet = Sheet::new(
        "status",
        "Programme status by year: savings against targets (GBP)",
    );
    sheet.notes.push(status_rule(plan.amber_pct));
    let mut block = Block::new(
        "status",
        &[
            "year",
            "programme",
            "target",
            "achieved",
            "% of target",
            "status",
        ],
    );
    for s in &plan.status {
        block.rows.push(vec![
            Cell::text(s.year.to_string()),
            Cell::text(s.programme.as_str()),
            Cell::money_or_blank(s.target),
            Cell::Money(s.achieved),
            s.target
                .and_then(|target| share_of(s.achieved, target))
                .map_or(Cell::Blank, Cell::Percent),
            Cell::Status(s.status),
        ]);
    }
    sheet.blocks.push(block);
    sheet
}

/// The savings rule in words.
pub const SAVINGS_RULE: &str = "Only cashable savings count towards the collective target: they are the savings that take money out of a council's budget. Non-cashable savings and cost avoidance are shown for reference and not added.";

pub(super) fn savings_sheet(plan: &Plan) -> Sheet {
    let savings = &plan.savings;
    let mut sheet = Sheet::new(
        "savings",
        "The partnership's cashable savings against its collective target (GBP)",
    );
    sheet.notes.push(SAVINGS_RULE.into());
    let mut header = vec![
        "year",
        "target",
        "achieved",
        "cumulative target",
        "cumulative achieved",
    ];
    if savings.target.is_some() {
        header.push("collective target");
    }
    header.push("achieved, all types");
    let mut block = Block::new("by year", &header);
    for y in &savings.years {
        // A year not reported yet shows no achieved figures, rather than zeros.
        let reported = y.cumulative_achieved.is_some();
        let mut row = vec![
            Cell::text(y.year.to_string()),
            Cell::Money(y.target),
            Cell::money_or_blank(reported.then_some(y.achieved)),
            Cell::Money(y.cumulative_target),
            Cell::money_or_blank(y.cumulative_achieved),
        ];
        if let Some(t) = &savings.target {
            row.push(Cell::money_or_blank((y.year <= t.by).then_some(t.target)));
        }
        row.push(Cell::money_or_blank(
            reported.then_some(y.achieved_all_types),
        ));
        block.rows.push(row);
    }
    let lines = if savings.target.is_some() {
        vec![3, 4, 5]
    } else {
        vec![3, 4]
    };
    sheet.chart = Some(ChartSpec {
        title: "Cashable savings against the target".into(),
        block: 0,
        categories: 0,
        columns: vec![2],
        lines,
    });
    sheet.blocks.push(block);
    let Some(t) = &savings.target else {
        sheet.notes.push(
            "The book's settings give no collective_target, so progress towards one is not shown."
                .into(),
        );
        return sheet;
    };
    let mut progress = Block::new("progress", &["measure", "value"]);
    let run_rate = match t.run_rate {
        RunRate::PerYear(rate) => Cell::Money(rate),
        RunRate::Met | RunRate::NoYearsLeft => Cell::Blank,
    };
    for (label, value) in [
        ("collective target", Cell::Money(t.target)),
        ("target year", Cell::text(t.by.to_string())),
        ("as at", Cell::text(as_at_text(t))),
        ("achieved to date", Cell::Money(t.achieved_to_date)),
        ("gap", Cell::Money(t.gap)),
        ("years left", Cell::Integer(i64::from(t.years_left))),
        ("run rate needed a year", run_rate),
        ("in words", Cell::text(t.run_rate_text())),
    ] {
        progress.rows.push(vec![Cell::text(label), value]);
    }
    sheet.blocks.push(progress);
    sheet
}

/// The year the gap is measured at, in words.
pub(super) fn as_at_text(t: &TargetProgress) -> String {
    t.as_at
        .map_or_else(|| "nothing reported yet".to_string(), |y| y.to_string())
}

/// The returns table's header and rows, shared with the annual report.
pub(super) fn returns_block<'a>(
    title: &str,
    returns: impl Iterator<Item = &'a CouncilReturn>,
) -> Block {
    let mut block = Block::new(
        title,
        &[
            "year",
            "council",
            "paid",
            "cashable savings",
            "savings less paid",
            "saved per GBP 1 paid",
            "in words",
        ],
    );
    for r in returns {
        block.rows.push(vec![
            Cell::text(r.year.to_string()),
            Cell::text(r.council.as_str()),
            Cell::Money(r.paid),
            Cell::Money(r.cashable),
            Cell::Money(r.net),
            r.per_pound.map_or(Cell::Blank, Cell::Ratio),
            Cell::text(r.in_words.as_str()),
        ]);
    }
    block
}

pub(super) fn returns_sheet(plan: &Plan) -> Sheet {
    let mut sheet = Sheet::new(
        "returns",
        "Each council's return: cashable savings against all it paid (GBP)",
    );
    sheet.notes.push("Paid is every allocation a council bears: the Office, programmes and support in kind, its own shares included. A council that paid nothing has no ratio.".into());
    sheet
        .blocks
        .push(returns_block("returns", plan.returns.iter()));
    sheet
}
