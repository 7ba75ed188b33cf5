//! A comparison of two books as `compare.xlsx` and the comparison's `index.html` show it: each
//! council's change per year with its totals, what councils pay more and less in all, and per
//! council its changed figures with their totals and its change per year. Built once from
//! the comparison (`compare/`); the renderers only lay it out.

use crate::compare::{Comparison, Difference};
use crate::money::Money;
use crate::values::Year;

/// One council's change (B − A) in each year of the comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilChange {
    pub council: String,
    /// In the order of [`CompareView::years`].
    pub per_year: Vec<Money>,
    /// Over the book.
    pub total: Money,
}

/// One council's sheet: its figures per year and programme, and their totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilFigures<'c> {
    pub council: String,
    pub rows: Vec<&'c Difference>,
    pub total_a: Money,
    pub total_b: Money,
    /// `total_b − total_a`.
    pub total_difference: Money,
    /// Its change in each year of the comparison, in the order of [`CompareView::years`].
    pub by_year: Vec<Money>,
}

/// The comparison as the documents show it.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareView<'c> {
    pub comparison: &'c Comparison,
    pub years: Vec<Year>,
    /// Each council's change per year, in code order.
    pub councils: Vec<CouncilChange>,
    /// Every council's change together, per year, and over the book.
    pub year_totals: Vec<Money>,
    pub grand_total: Money,
    /// What the councils paying more pay more in all, and those paying less less (negative).
    pub more: Money,
    pub less: Money,
    /// One per council, in code order.
    pub council_figures: Vec<CouncilFigures<'c>>,
}

impl CompareView<'_> {
    /// The councils' changes, the largest change over the book first (then by code).
    pub fn largest_change_first(&self) -> Vec<&CouncilChange> {
        let mut councils: Vec<&CouncilChange> = self.councils.iter().collect();
        councils.sort_by(|x, y| {
            y.total
                .abs()
                .cmp(&x.total.abs())
                .then(x.council.cmp(&y.council))
        });
        councils
    }
}

/// The view of `comparison`.
pub fn compare_view(comparison: &Comparison) -> CompareView<'_> {
    let years = comparison.years();
    let change = |year: Year, council: &str| {
        comparison
            .totals
            .iter()
            .find(|t| t.year == year && t.council == council)
            .map_or(Money::ZERO, |t| t.difference())
    };
    let councils: Vec<CouncilChange> = comparison
        .councils()
        .into_iter()
        .map(|c| {
            let per_year: Vec<Money> = years.iter().map(|y| change(*y, c)).collect();
            CouncilChange {
                council: c.to_string(),
                total: comparison
                    .totals
                    .iter()
                    .filter(|t| t.council == c)
                    .map(|t| t.difference())
                    .sum(),
                per_year,
            }
        })
        .collect();
    let year_totals: Vec<Money> = (0..years.len())
        .map(|i| councils.iter().map(|c| c.per_year[i]).sum())
        .collect();
    let differences = || comparison.totals.iter().map(|t| t.difference());
    let council_figures = comparison
        .councils()
        .into_iter()
        .map(|c| {
            let rows: Vec<&Difference> = comparison
                .differences
                .iter()
                .filter(|d| d.council == c)
                .collect();
            let total_a: Money = rows.iter().map(|d| d.a).sum();
            let total_b: Money = rows.iter().map(|d| d.b).sum();
            CouncilFigures {
                council: c.to_string(),
                total_a,
                total_b,
                total_difference: total_b - total_a,
                by_year: years
                    .iter()
                    .map(|y| {
                        rows.iter()
                            .filter(|d| d.year == *y)
                            .map(|d| d.difference())
                            .sum()
                    })
                    .collect(),
                rows,
            }
        })
        .collect();
    CompareView {
        comparison,
        grand_total: year_totals.iter().copied().sum(),
        year_totals,
        more: differences().filter(|d| *d > Money::ZERO).sum(),
        less: differences().filter(|d| d.is_negative()).sum(),
        years,
        councils,
        council_figures,
    }
}
