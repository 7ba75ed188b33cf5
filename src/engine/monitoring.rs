//! Budget monitoring during the year (SPEC §9, Accord 7.3): which years are actual, in
//! progress or forecast once the book says how far its actuals run (`actuals_to`), and, for the
//! year in progress, each programme's and category's budget to date, actual to date and
//! forecast outturn (the actual to date plus the budget for the rest of the year), with its
//! variance against the budget flagged by exception.

use super::budget_to_date::{budget_to_date, Profile};
use super::variance::is_exception;
use super::{ExtraActuals, Status};
use crate::model::{in_progress_year, Book};
use crate::money::Money;
use crate::values::Year;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// One row of `monitoring.csv`: a programme's category in the year in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitoringRow {
    pub year: Year,
    pub programme: String,
    /// The budget's or actual's category; blank for ledger lines (they have none).
    pub category: String,
    pub budget: Money,
    pub budget_to_date: Money,
    pub actual_to_date: Money,
    pub forecast_outturn: Money,
    /// `forecast_outturn − budget`, which is `actual_to_date − budget_to_date`.
    pub variance: Money,
    pub exception: bool,
}

/// A year's status. Without `actuals_to`, a year with any actuals is actual and one without is
/// a forecast (SPEC §2). With it, a year that ends on or before that day is actual (its actuals
/// are complete, even when there are none), the year that holds the day is in progress, and
/// the years after it are forecasts.
pub fn year_status(year: Year, actuals_to: Option<NaiveDate>, has_actuals: bool) -> Status {
    match actuals_to {
        None if has_actuals => Status::Actual,
        None => Status::Forecast,
        Some(day) if year.last_day() <= day => Status::Actual,
        Some(day) if year.first_day() <= day => Status::InProgress,
        Some(_) => Status::Forecast,
    }
}

/// The forecast outturn: what has been spent to date, plus the budget still to fall due.
pub fn forecast_outturn(actual_to_date: Money, budget: Money, budget_to_date: Money) -> Money {
    actual_to_date + budget - budget_to_date
}

/// Each programme's profile from the book's `profile` table (programmes without one are
/// absent: their budgets fall due evenly by days).
pub fn profiles(book: &Book) -> BTreeMap<String, Profile> {
    let mut out: BTreeMap<String, Profile> = BTreeMap::new();
    for row in &book.profile {
        out.entry(row.programme.clone())
            .or_insert([Decimal::ZERO; 12])[row.month as usize - 1] += row.percent;
    }
    out
}

/// The monitoring rows of the year in progress, sorted by programme and category; empty when
/// no year is in progress. Budget to date is taken per programme and category (the row's
/// budget lines together), so the rows of a programme add up to its figures.
pub fn monitoring(book: &Book, extra_actuals: &ExtraActuals) -> Vec<MonitoringRow> {
    let Some(actuals_to) = book.settings.actuals_to else {
        return Vec::new();
    };
    let Some(year) = in_progress_year(Some(actuals_to)) else {
        return Vec::new();
    };
    let mut cells: BTreeMap<(String, String), (Money, Money)> = BTreeMap::new();
    for b in book.budget.iter().filter(|b| b.year == year) {
        cells
            .entry((b.programme.clone(), b.category.clone()))
            .or_default()
            .0 += b.amount;
    }
    for a in book.actuals.iter().filter(|a| a.year == year) {
        cells
            .entry((a.programme.clone(), a.category.clone()))
            .or_default()
            .1 += a.amount;
    }
    for ((y, programme), amount) in extra_actuals {
        if *y == year {
            cells
                .entry((programme.clone(), String::new()))
                .or_default()
                .1 += *amount;
        }
    }
    let profiles = profiles(book);
    let s = &book.settings;
    cells
        .into_iter()
        .map(|((programme, category), (budget, actual_to_date))| {
            let to_date = budget_to_date(budget, year, actuals_to, profiles.get(&programme));
            let outturn = forecast_outturn(actual_to_date, budget, to_date);
            let variance = outturn - budget;
            MonitoringRow {
                year,
                programme,
                category,
                budget,
                budget_to_date: to_date,
                actual_to_date,
                forecast_outturn: outturn,
                variance,
                exception: is_exception(budget, variance, s.variance_pct, s.variance_abs),
            }
        })
        .collect()
}

/// Each programme's forecast outturn in the year in progress: its rows together.
pub fn outturns(rows: &[MonitoringRow]) -> BTreeMap<String, Money> {
    let mut out: BTreeMap<String, Money> = BTreeMap::new();
    for r in rows {
        *out.entry(r.programme.clone()).or_default() += r.forecast_outturn;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn statuses() {
        use Status::*;
        // (year, actuals_to, has actuals, status)
        let cases: &[(i32, Option<&str>, bool, Status)] = &[
            (2012, None, true, Actual),
            (2012, None, false, Forecast),
            (2012, Some("2013-09-30"), true, Actual),
            // Over before actuals_to: actual, with or without actuals.
            (2012, Some("2013-09-30"), false, Actual),
            (2013, Some("2013-09-30"), true, InProgress),
            (2013, Some("2013-04-01"), false, InProgress),
            (2014, Some("2013-09-30"), false, Forecast),
            // Ending on actuals_to: over, so actual; the next year is a forecast.
            (2013, Some("2014-03-31"), true, Actual),
            (2014, Some("2014-03-31"), false, Forecast),
        ];
        for (year, to, has, expected) in cases {
            assert_eq!(
                year_status(Year(*year), to.map(day), *has),
                *expected,
                "{year} to {to:?} with actuals {has}"
            );
        }
    }

    #[test]
    fn forecast_outturn_by_hand() {
        // (actual to date, budget, budget to date, forecast outturn), in pounds.
        let cases: &[(i128, i128, i128, i128)] = &[
            // Adults to 30 September 2013: spent 271,800 of a 520,000 budget, of which
            // 260,712.33 had fallen due: 271,800 + 259,287.67 = 531,087.67.
            (27_180_000, 52_000_000, 26_071_233, 53_108_767),
            // On budget to date: the outturn is the budget.
            (9_000_000, 18_000_000, 9_000_000, 18_000_000),
            // Nothing spent yet: the rest of the budget only.
            (0, 18_000_000, 9_024_658, 8_975_342),
            // Spent with no budget: the spend is the outturn.
            (1_200_000, 0, 0, 1_200_000),
            // A refund (negative actual) lowers the outturn.
            (-50_000, 1_000_000, 500_000, 450_000),
        ];
        for (actual, budget, to_date, expected) in cases {
            assert_eq!(
                forecast_outturn(
                    Money::from_pence(*actual),
                    Money::from_pence(*budget),
                    Money::from_pence(*to_date)
                )
                .pence(),
                *expected,
                "{actual} + {budget} - {to_date}"
            );
        }
    }
}
