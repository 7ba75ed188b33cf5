//! Variance by exception (Accord 7.3): for each actual year (a year with actuals, or one over by
//! `actuals_to`), programme and category,
//! `actual − budget`, flagged when it reaches both `variance_pct` per cent of the budget and
//! `variance_abs`.

use super::{ExtraActuals, Status, YearEnd};
use crate::model::Book;
use crate::money::Money;
use crate::values::Year;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarianceRow {
    pub year: Year,
    pub programme: String,
    /// The budget's or actual's category; blank when neither gives one (ledger lines have none).
    pub category: String,
    pub budget: Money,
    pub actual: Money,
    pub variance: Money,
    pub exception: bool,
}

/// True when `variance` reaches both thresholds (and is not zero).
pub fn is_exception(budget: Money, variance: Money, pct: Decimal, abs: Money) -> bool {
    let size = variance.abs();
    let pct_of_budget = budget.abs().to_decimal() * pct / Decimal::ONE_HUNDRED;
    !size.is_zero() && size.to_decimal() >= pct_of_budget && size >= abs
}

pub fn variance(
    book: &Book,
    year_ends: &[YearEnd],
    extra_actuals: &ExtraActuals,
) -> Vec<VarianceRow> {
    let mut cells: BTreeMap<(Year, String, String), (Money, Money)> = BTreeMap::new();
    let actual_years: Vec<Year> = year_ends
        .iter()
        .filter(|e| e.status == Status::Actual)
        .map(|e| e.year)
        .collect();
    for b in book
        .budget
        .iter()
        .filter(|b| actual_years.contains(&b.year))
    {
        cells
            .entry((b.year, b.programme.clone(), b.category.clone()))
            .or_default()
            .0 += b.amount;
    }
    // Actual years only (SPEC §9): the year in progress is in `monitoring.csv`.
    for a in book
        .actuals
        .iter()
        .filter(|a| actual_years.contains(&a.year))
    {
        cells
            .entry((a.year, a.programme.clone(), a.category.clone()))
            .or_default()
            .1 += a.amount;
    }
    for ((year, programme), amount) in extra_actuals
        .iter()
        .filter(|((year, _), _)| actual_years.contains(year))
    {
        cells
            .entry((*year, programme.clone(), String::new()))
            .or_default()
            .1 += *amount;
    }
    let s = &book.settings;
    cells
        .into_iter()
        .map(|((year, programme, category), (budget, actual))| {
            let variance = actual - budget;
            VarianceRow {
                year,
                programme,
                category,
                budget,
                actual,
                variance,
                exception: is_exception(budget, variance, s.variance_pct, s.variance_abs),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exceptions_need_both_thresholds() {
        let pct = Decimal::from(5);
        let abs = Money::from_pence(1_000_000);
        let cases: &[(i128, i128, bool)] = &[
            // budget, variance (pence), exception?
            (100_000_000, 5_000_000, true), // exactly 5% and over GBP 10,000
            (100_000_000, 4_999_999, false), // just under 5%
            (100_000_000, -5_000_000, true), // underspend counts too
            (10_000_000, 999_999, false),   // 10% but under GBP 10,000
            (10_000_000, 1_000_000, true),  // 10% and exactly GBP 10,000
            (0, 1_000_000, true),           // no budget, GBP 10,000 spent
            (0, 0, false),
        ];
        for (budget, variance, expected) in cases {
            assert_eq!(
                is_exception(
                    Money::from_pence(*budget),
                    Money::from_pence(*variance),
                    pct,
                    abs
                ),
                *expected,
                "budget {budget}p variance {variance}p"
            );
        }
    }
}
