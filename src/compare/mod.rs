//! Comparing two books (SPEC §6): what every council pays under each, per year and programme
//! and in all, and every input row that differs, so that each difference can be traced to its
//! cause. Pure: two checked books and their results in, plain tables out; `what_if` makes the
//! second book from the first.

pub mod changes;
pub mod what_if;

pub use changes::{changes, Change};

use crate::engine::Results;
use crate::model::Book;
use crate::money::Money;
use crate::report::Table;
use crate::values::Year;
use std::collections::BTreeMap;

/// One key of `compare.csv`: what a council pays for a programme (or all support in kind) in a
/// year, under each book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub year: Year,
    pub programme: String,
    pub council: String,
    pub a: Money,
    pub b: Money,
}

impl Difference {
    pub fn difference(&self) -> Money {
        self.b - self.a
    }
}

/// One row of `compare_totals.csv`: what a council pays in all in a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotalDifference {
    pub year: Year,
    pub council: String,
    pub a: Money,
    pub b: Money,
}

impl TotalDifference {
    pub fn difference(&self) -> Money {
        self.b - self.a
    }
}

/// Everything `accord compare` writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// What the two books are called (for people's documents).
    pub label_a: String,
    pub label_b: String,
    /// Sorted by year, programme, council.
    pub differences: Vec<Difference>,
    /// Sorted by year, council.
    pub totals: Vec<TotalDifference>,
    /// Sorted by table (in the SPEC's order), key, column.
    pub changes: Vec<Change>,
}

impl Comparison {
    /// True when no figure and no row differ.
    pub fn is_same(&self) -> bool {
        self.changes.is_empty() && self.differences.iter().all(|d| d.a == d.b)
    }

    /// Every council with a figure in either book, in code order.
    pub fn councils(&self) -> Vec<&str> {
        let mut codes: Vec<&str> = self.totals.iter().map(|t| t.council.as_str()).collect();
        codes.sort();
        codes.dedup();
        codes
    }

    /// Every year with a figure in either book, in order.
    pub fn years(&self) -> Vec<Year> {
        let mut years: Vec<Year> = self.totals.iter().map(|t| t.year).collect();
        years.sort();
        years.dedup();
        years
    }
}

fn by_key(results: &Results) -> BTreeMap<(Year, String, String), Money> {
    let mut sums = BTreeMap::new();
    for a in &results.allocations {
        *sums
            .entry((a.year, a.programme.to_string(), a.council.to_string()))
            .or_insert(Money::ZERO) += a.amount;
    }
    sums
}

/// Compares book `a` (with its results) with book `b`.
pub fn compare(
    (book_a, results_a): (&Book, &Results),
    (book_b, results_b): (&Book, &Results),
) -> Comparison {
    let a = by_key(results_a);
    let b = by_key(results_b);
    let mut keys: Vec<&(Year, String, String)> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    let differences: Vec<Difference> = keys
        .into_iter()
        .map(|key| Difference {
            year: key.0,
            programme: key.1.clone(),
            council: key.2.clone(),
            a: a.get(key).copied().unwrap_or(Money::ZERO),
            b: b.get(key).copied().unwrap_or(Money::ZERO),
        })
        .collect();
    let mut totals: BTreeMap<(Year, String), (Money, Money)> = BTreeMap::new();
    for d in &differences {
        let entry = totals
            .entry((d.year, d.council.clone()))
            .or_insert((Money::ZERO, Money::ZERO));
        entry.0 += d.a;
        entry.1 += d.b;
    }
    Comparison {
        label_a: book_a.label.clone(),
        label_b: book_b.label.clone(),
        differences,
        totals: totals
            .into_iter()
            .map(|((year, council), (a, b))| TotalDifference {
                year,
                council,
                a,
                b,
            })
            .collect(),
        changes: changes(book_a, book_b),
    }
}

/// `compare.csv`, `compare_totals.csv` and `changes.csv`, as report tables.
pub fn tables(comparison: &Comparison) -> Vec<Table> {
    let mut compare = Table {
        file_name: "compare.csv",
        header: vec!["year", "programme", "council", "a", "b", "difference"],
        rows: Vec::new(),
        sort_columns: 3,
        text_columns: Vec::new(),
    };
    for d in &comparison.differences {
        compare.rows.push(vec![
            d.year.to_string(),
            d.programme.clone(),
            d.council.clone(),
            d.a.to_string(),
            d.b.to_string(),
            d.difference().to_string(),
        ]);
    }
    let mut totals = Table {
        file_name: "compare_totals.csv",
        header: vec!["year", "council", "a", "b", "difference"],
        rows: Vec::new(),
        sort_columns: 2,
        text_columns: Vec::new(),
    };
    for t in &comparison.totals {
        totals.rows.push(vec![
            t.year.to_string(),
            t.council.clone(),
            t.a.to_string(),
            t.b.to_string(),
            t.difference().to_string(),
        ]);
    }
    let mut changes = Table {
        file_name: "changes.csv",
        header: vec!["table", "key", "column", "a", "b", "place_a", "place_b"],
        rows: Vec::new(),
        sort_columns: 3,
        text_columns: vec!["key", "place_a", "place_b"],
    };
    for c in &comparison.changes {
        changes.rows.push(vec![
            c.table.to_string(),
            c.key.clone(),
            c.column.to_string(),
            inert_value(&c.a),
            inert_value(&c.b),
            c.place_a.clone(),
            c.place_b.clone(),
        ]);
    }
    vec![compare, totals, changes]
}

/// A value of `changes.csv`: an amount or number as written, other text made inert for
/// spreadsheets like every free-text cell.
fn inert_value(value: &str) -> String {
    if value.parse::<rust_decimal::Decimal>().is_ok() {
        value.to_string()
    } else {
        crate::text::neutralise(value)
    }
}

/// The differences largest first (by size, then year, programme, council), for people.
pub fn largest_first(comparison: &Comparison) -> Vec<&Difference> {
    let mut out: Vec<&Difference> = comparison
        .differences
        .iter()
        .filter(|d| d.a != d.b)
        .collect();
    out.sort_by(|x, y| {
        y.difference()
            .abs()
            .cmp(&x.difference().abs())
            .then((x.year, &x.programme, &x.council).cmp(&(y.year, &y.programme, &y.council)))
    });
    out
}
