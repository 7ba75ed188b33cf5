//! The three-year business plan and benefits realisation (Accord 8.1-8.2, report 2.10, 2.41):
//! what each council is expected to pay, each programme's projected balance, each programme's
//! status, the partnership's savings against its collective target, and each council's return.
//! Built from a book's `Results`, after the rules have run, and pure like the rest of the engine.

mod annual;
mod returns;
mod savings;
mod status;

pub use annual::{annual_report, annual_report_years, AnnualReport, Outturn};
pub use returns::{council_returns, per_pound, CouncilReturn};
pub use savings::{savings, RunRate, Savings, SavingsYear, TargetProgress};
pub use status::{latest_reported_year, programme_status, rag, ProgrammeStatus, Rag};

use super::{Results, YearEnd, SIK};
use crate::model::Book;
use crate::money::Money;
use crate::values::Year;
use std::collections::BTreeMap;

/// How many years a business plan covers (Accord 8.1: "a three year plan").
pub const PLAN_LENGTH_YEARS: usize = 3;

/// What one council is expected to pay for one programme (or support in kind) in a plan year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanPayment {
    pub year: Year,
    pub council: String,
    /// A programme code, or [`SIK`] for support in kind (every provider's pool together).
    pub programme: String,
    pub amount: Money,
}

/// The business plan (Accord 8.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessPlan {
    /// The first forecast year and the two after it, as far as the book goes.
    pub years: Vec<Year>,
    /// Why the plan covers fewer than three years, in words; `None` when it covers three.
    pub shortfall: Option<String>,
    /// The programmes in the order a reader expects them: the Office, the others by code,
    /// then support in kind when anyone pays it.
    pub programmes: Vec<String>,
    /// Sorted by year, council, programme: every allocation a council bears, its own shares of
    /// budgets it holds included (as `returns.csv`'s `paid`). Only what someone pays: a council
    /// that takes no part in a programme has no row for it.
    pub payments: Vec<PlanPayment>,
    /// Each programme's year in the plan years: `closing` is its projected balance, the same
    /// figure as `carry_forward.csv`.
    pub balances: Vec<YearEnd>,
}

/// Everything the business plan and the benefits reports show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub status: Vec<ProgrammeStatus>,
    pub savings: Savings,
    pub business_plan: BusinessPlan,
    /// Sorted by year, council.
    pub returns: Vec<CouncilReturn>,
    /// `amber_pct` from the settings, to say the status rule beside the statuses.
    pub amber_pct: rust_decimal::Decimal,
}

/// The plan years: the first forecast year and the two years of the book after it (whatever
/// their status). Fewer when the book ends sooner, none when no year is a forecast; the second
/// value says so in words.
pub fn plan_years(years: &[Year], forecast_years: &[Year]) -> (Vec<Year>, Option<String>) {
    let Some(first) = forecast_years.iter().min() else {
        return (
            Vec::new(),
            Some(
                "no business plan: every year of the book has actuals, so none is a forecast"
                    .into(),
            ),
        );
    };
    let planned: Vec<Year> = years
        .iter()
        .copied()
        .filter(|y| y >= first)
        .take(PLAN_LENGTH_YEARS)
        .collect();
    let shortfall =
        (planned.len() < PLAN_LENGTH_YEARS).then(|| {
            format!(
            "the plan covers {} year{} ({} to {}), not {PLAN_LENGTH_YEARS}: the book ends in {}",
            planned.len(),
            if planned.len() == 1 { "" } else { "s" },
            first,
            planned.last().expect("the first forecast year is a book year"),
            planned.last().expect("the first forecast year is a book year"),
        )
        });
    (planned, shortfall)
}

/// The business plan from a book's results (see [`plan_years`] for its years).
pub fn business_plan(results: &Results, office: &str) -> BusinessPlan {
    let (years, shortfall) = plan_years(&results.years, &results.forecast_years());
    let mut sums: BTreeMap<(Year, &str, &str), Money> = BTreeMap::new();
    for a in results
        .allocations
        .iter()
        .filter(|a| years.contains(&a.year))
    {
        *sums.entry((a.year, &a.council, &a.programme)).or_default() += a.amount;
    }
    let payments: Vec<PlanPayment> = sums
        .into_iter()
        .map(|((year, council, programme), amount)| PlanPayment {
            year,
            council: council.to_string(),
            programme: programme.to_string(),
            amount,
        })
        .collect();
    let balances: Vec<YearEnd> = results
        .year_ends
        .iter()
        .filter(|e| years.contains(&e.year))
        .cloned()
        .collect();
    let mut programmes: Vec<String> = balances.iter().map(|e| e.programme.clone()).collect();
    programmes.sort_by_key(|p| (p != office, p.clone()));
    programmes.dedup();
    if payments.iter().any(|p| p.programme == SIK) {
        programmes.push(SIK.to_string());
    }
    BusinessPlan {
        years,
        shortfall,
        programmes,
        payments,
        balances,
    }
}

/// The whole plan for a valid book and its results.
pub fn plan(book: &Book, results: &Results) -> Plan {
    let actual_years = annual_report_years(results);
    let reported_to = latest_reported_year(&actual_years, &results.benefits);
    let s = &book.settings;
    Plan {
        status: programme_status(&results.benefits, s.amber_pct, reported_to),
        savings: savings(
            &results.benefits,
            &results.years,
            reported_to,
            s.collective_target,
            s.collective_target_year,
        ),
        business_plan: business_plan(results, &s.office),
        returns: council_returns(&results.returns),
        amber_pct: s.amber_pct,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_years_are_the_first_forecast_and_two_after() {
        let years: Vec<Year> = (2012..=2016).map(Year).collect();
        let cases: &[(&[i32], &[i32], bool)] = &[
            (&[2014, 2015, 2016], &[2014, 2015, 2016], false),
            (&[2015, 2016], &[2015, 2016], true),
            (&[2012, 2013, 2014, 2015, 2016], &[2012, 2013, 2014], false),
            (&[2013, 2015], &[2013, 2014, 2015], false), // the years after it, whatever their status
            (&[], &[], true),
        ];
        for (forecast, expected, short) in cases {
            let forecast: Vec<Year> = forecast.iter().copied().map(Year).collect();
            let (got, shortfall) = plan_years(&years, &forecast);
            let got: Vec<i32> = got.iter().map(|y| y.0).collect();
            assert_eq!(got, *expected, "forecast {forecast:?}");
            assert_eq!(
                shortfall.is_some(),
                *short,
                "forecast {forecast:?}: {shortfall:?}"
            );
        }
        let (_, shortfall) = plan_years(&years, &[Year(2015)]);
        assert_eq!(
            shortfall.unwrap(),
            "the plan covers 2 years (2015/16 to 2016/17), not 3: the book ends in 2016/17"
        );
    }
}
