//! The annual report's figures (Accord 8.2) for one year with actuals: outturn against budget
//! per programme, the variances reported by exception, savings against targets and each
//! council's return. Data only: the PDF and the dashboard lay it out.

use super::{CouncilReturn, Plan, ProgrammeStatus, SavingsYear, TargetProgress};
use crate::engine::{Results, Status, VarianceRow};
use crate::money::Money;
use crate::values::Year;

/// One programme's outturn: what it was budgeted to spend and what it spent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outturn {
    pub programme: String,
    /// The gross budget.
    pub budget: Money,
    pub actual: Money,
    /// `actual − budget`: positive is an overspend.
    pub variance: Money,
    pub closing: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnualReport {
    pub year: Year,
    /// Sorted by programme.
    pub outturn: Vec<Outturn>,
    /// The year's variance rows that are exceptions (`variance_pct` and `variance_abs`).
    pub exceptions: Vec<VarianceRow>,
    /// Each programme's savings against its targets in the year, with its status.
    pub savings: Vec<ProgrammeStatus>,
    /// The partnership's cashable savings in the year and cumulatively.
    pub partnership: Option<SavingsYear>,
    /// Progress towards the collective target, when the book sets one.
    pub target: Option<TargetProgress>,
    pub returns: Vec<CouncilReturn>,
}

/// The years an annual report can be made for: those with actuals.
pub fn annual_report_years(results: &Results) -> Vec<Year> {
    results
        .years
        .iter()
        .copied()
        .filter(|y| {
            results
                .year_ends
                .iter()
                .any(|e| e.year == *y && e.status == Status::Actual)
        })
        .collect()
}

/// The annual report for `year`; `None` when the year has no actuals (a forecast year has
/// no outturn to report).
pub fn annual_report(plan: &Plan, results: &Results, year: Year) -> Option<AnnualReport> {
    if !annual_report_years(results).contains(&year) {
        return None;
    }
    let outturn = results
        .year_ends
        .iter()
        .filter(|e| e.year == year)
        .map(|e| Outturn {
            programme: e.programme.clone(),
            budget: e.budget,
            actual: e.actual,
            variance: e.actual - e.budget,
            closing: e.closing,
        })
        .collect();
    Some(AnnualReport {
        year,
        outturn,
        exceptions: results
            .variance
            .iter()
            .filter(|v| v.year == year && v.exception)
            .cloned()
            .collect(),
        savings: plan
            .status
            .iter()
            .filter(|s| s.year == year)
            .cloned()
            .collect(),
        partnership: plan.savings.years.iter().find(|s| s.year == year).cloned(),
        target: plan.savings.target.clone(),
        returns: plan
            .returns
            .iter()
            .filter(|r| r.year == year)
            .cloned()
            .collect(),
    })
}
