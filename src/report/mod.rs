//! Report tables: the engine's results laid out as the rows and columns of SPEC §3, with
//! values already in their written form (amounts `1234.50`, years `2012/13`). No formatting
//! beyond that: each renderer decides how a table looks in its format.

pub mod adjustments;
pub mod compare;
pub mod invoice;
mod issue;
pub mod journals;
pub mod monitoring;
pub mod plan;
mod reconcile;
pub mod statement;
pub mod statement_settlement;
pub mod wording;
pub mod year;

pub use issue::issue_table;
pub use reconcile::reconcile;

use crate::engine::Results;
use crate::money::Money;

/// A ledger line that was not counted, as `unmapped.csv` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    pub source: String,
    pub line_number: usize,
    pub cost_centre: String,
    pub amount: Money,
    /// `no programme`, `outside the book's years` or `after actuals_to`.
    pub reason: &'static str,
}

/// One machine-readable table: a file name, a header and rows of text cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The file it is written to, e.g. `allocations.csv`.
    pub file_name: &'static str,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// How many leading columns the rows are sorted by.
    pub sort_columns: usize,
    /// Columns holding free text from the book (neutralised against spreadsheet formulas).
    pub text_columns: Vec<&'static str>,
}

impl Table {
    fn new(file_name: &'static str, header: &[&'static str], sort_columns: usize) -> Table {
        Table {
            file_name,
            header: header.to_vec(),
            rows: Vec::new(),
            sort_columns,
            text_columns: Vec::new(),
        }
    }

    /// Sorts rows by their leading columns: whole numbers by value before other text, which
    /// sorts by its characters (the order `check-contract` expects). The sort is stable.
    fn sort(&mut self) {
        let n = self.sort_columns;
        // Most tables are made in their order already: checking costs one comparison a row
        // and no allocation; only a table out of order is sorted.
        let in_order = self
            .rows
            .windows(2)
            .all(|w| compare_rows(&w[0], &w[1], n) != std::cmp::Ordering::Greater);
        if !in_order {
            self.rows.sort_by_cached_key(|row| {
                row.iter()
                    .take(n)
                    .map(|v| match sort_number(v) {
                        Some(number) => (0u8, number, String::new()),
                        None => (1, 0, v.clone()),
                    })
                    .collect::<Vec<_>>()
            });
        }
    }
}

/// A cell's value as a whole number, for sorting: `Some` when it is all digits and fits a
/// `u128`; other text sorts by its characters, after every number.
fn sort_number(v: &str) -> Option<u128> {
    if v.bytes().all(|b| b.is_ascii_digit()) {
        v.parse::<u128>().ok()
    } else {
        None
    }
}

/// The order of [`Table::sort`] on the first `n` cells of two rows, without allocating.
fn compare_rows(a: &[String], b: &[String], n: usize) -> std::cmp::Ordering {
    for (x, y) in a.iter().zip(b).take(n) {
        let order = match (sort_number(x), sort_number(y)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => x.cmp(y),
        };
        if order.is_ne() {
            return order;
        }
    }
    a.len().min(n).cmp(&b.len().min(n))
}

fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_string()
}

/// Every machine-readable table of SPEC §3, in the order they are listed there.
pub fn tables(results: &Results, unmapped: &[Unmapped]) -> Vec<Table> {
    let mut allocations = Table::new(
        "allocations.csv",
        &[
            "year",
            "programme",
            "council",
            "kind",
            "days",
            "weight",
            "amount",
        ],
        3,
    );
    for a in &results.allocations {
        allocations.rows.push(vec![
            a.year.to_string(),
            a.programme.clone(),
            a.council.clone(),
            a.kind.as_str().to_string(),
            a.days.to_string(),
            a.weight.normalize().to_string(),
            a.amount.to_string(),
        ]);
    }
    let mut carry_forward = Table::new(
        "carry_forward.csv",
        &[
            "year",
            "programme",
            "status",
            "opening",
            "budget",
            "grants",
            "guest_charges",
            "member_contributions",
            "actual",
            "closing",
        ],
        2,
    );
    for e in &results.year_ends {
        carry_forward.rows.push(vec![
            e.year.to_string(),
            e.programme.clone(),
            e.status.as_str().to_string(),
            e.opening.to_string(),
            e.budget.to_string(),
            e.grants.to_string(),
            e.guest_charges.to_string(),
            e.member_contributions.to_string(),
            e.actual.to_string(),
            e.closing.to_string(),
        ]);
    }
    let mut invoices = Table::new(
        "invoices.csv",
        &["invoice", "year", "issuer", "payer", "programme", "amount"],
        5,
    );
    for i in &results.invoices {
        invoices.rows.push(vec![
            i.invoice.clone(),
            i.year.to_string(),
            i.issuer.clone(),
            i.payer.clone(),
            i.programme.clone(),
            i.amount.to_string(),
        ]);
    }
    let mut variance = Table::new(
        "variance.csv",
        &[
            "year",
            "programme",
            "category",
            "budget",
            "actual",
            "variance",
            "exception",
        ],
        3,
    );
    variance.text_columns = vec!["category"];
    for v in &results.variance {
        variance.rows.push(vec![
            v.year.to_string(),
            v.programme.clone(),
            v.category.clone(),
            v.budget.to_string(),
            v.actual.to_string(),
            v.variance.to_string(),
            yes_no(v.exception),
        ]);
    }
    let mut benefits = Table::new(
        "benefits.csv",
        &["year", "programme", "council", "type", "target", "achieved"],
        4,
    );
    for b in &results.benefits {
        benefits.rows.push(vec![
            b.year.to_string(),
            b.programme.clone(),
            b.council.clone(),
            b.benefit_type.as_str().to_string(),
            b.target.map(|t| t.to_string()).unwrap_or_default(),
            b.achieved.to_string(),
        ]);
    }
    let mut returns = Table::new("returns.csv", &["year", "council", "paid", "cashable"], 2);
    for r in &results.returns {
        returns.rows.push(vec![
            r.year.to_string(),
            r.council.clone(),
            r.paid.to_string(),
            r.cashable.to_string(),
        ]);
    }
    let mut unmapped_table = Table::new(
        "unmapped.csv",
        &["source", "line", "cost_centre", "amount", "reason"],
        2,
    );
    unmapped_table.text_columns = vec!["source", "cost_centre"];
    for u in unmapped {
        unmapped_table.rows.push(vec![
            u.source.clone(),
            u.line_number.to_string(),
            u.cost_centre.clone(),
            u.amount.to_string(),
            u.reason.to_string(),
        ]);
    }
    let mut all = vec![
        allocations,
        carry_forward,
        invoices,
        variance,
        benefits,
        returns,
        unmapped_table,
        issue::issue_table(results),
    ];
    // SPEC §9: only when a year is in progress.
    all.extend(monitoring::monitoring_table(results));
    for table in &mut all {
        table.sort();
    }
    all
}
