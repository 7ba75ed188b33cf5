//! Benefits against their targets (Accord 8.1-8.2, report 2.10): each programme's status per
//! year (green, amber, red) and the partnership's cumulative savings against its collective
//! target. Kept apart from the business plan because it reads the `benefits` table only.

use crate::engine::BenefitTotal;
use crate::model::BenefitType;
use crate::money::Money;
use crate::values::Year;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// A programme's status in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rag {
    Green,
    Amber,
    Red,
}

impl Rag {
    pub fn as_str(self) -> &'static str {
        match self {
            Rag::Green => "green",
            Rag::Amber => "amber",
            Rag::Red => "red",
        }
    }
}

/// The status of `achieved` against `target`, compared exactly (no rounding):
/// - green when the target is zero (nothing was asked) or achieved ≥ target;
/// - amber when achieved ≥ `amber_pct` per cent of the target;
/// - red below that.
pub fn rag(target: Money, achieved: Money, amber_pct: Decimal) -> Rag {
    if target.is_zero() || achieved >= target {
        return Rag::Green;
    }
    let achieved_pct = achieved.to_decimal() * Decimal::ONE_HUNDRED;
    if achieved_pct >= target.to_decimal() * amber_pct {
        Rag::Amber
    } else {
        Rag::Red
    }
}

/// One programme's savings in one year, summed over every council and every type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeStatus {
    pub year: Year,
    pub programme: String,
    pub target: Money,
    pub achieved: Money,
    /// `None` for a year after the latest reported year (see [`latest_reported_year`]): its
    /// savings are not known yet, so it is neither green nor red.
    pub status: Option<Rag>,
}

impl ProgrammeStatus {
    /// `green`, `amber`, `red`, or `not yet reported`.
    pub fn status_text(&self) -> &'static str {
        self.status.map_or("not yet reported", Rag::as_str)
    }
}

/// The latest year whose savings are known: a year counts as reported when it has actuals
/// (its books are closed, so a zero saving is a real zero) or when any of its benefits rows
/// records an achieved saving. `None` when no year is reported.
pub fn latest_reported_year(actual_years: &[Year], benefits: &[BenefitTotal]) -> Option<Year> {
    let with_achieved = benefits
        .iter()
        .filter(|b| !b.achieved.is_zero())
        .map(|b| b.year);
    actual_years.iter().copied().chain(with_achieved).max()
}

/// Each programme's status per year. The status of a programme-year comes from the sum over
/// councils and types (cashable, non-cashable, cost avoidance) of its targets and achieved
/// savings: a programme is judged on everything it promised. Sorted by year, programme.
pub fn programme_status(
    benefits: &[BenefitTotal],
    amber_pct: Decimal,
    reported_to: Option<Year>,
) -> Vec<ProgrammeStatus> {
    let mut sums: BTreeMap<(Year, &str), (Money, Money)> = BTreeMap::new();
    for b in benefits {
        let entry = sums.entry((b.year, &b.programme)).or_default();
        entry.0 += b.target;
        entry.1 += b.achieved;
    }
    sums.into_iter()
        .map(|((year, programme), (target, achieved))| ProgrammeStatus {
            year,
            programme: programme.to_string(),
            target,
            achieved,
            status: reported_to
                .filter(|last| year <= *last)
                .map(|_| rag(target, achieved, amber_pct)),
        })
        .collect()
}

/// The partnership's savings in one year. Only cashable savings count (see [`savings`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavingsYear {
    pub year: Year,
    pub target: Money,
    pub achieved: Money,
    /// The cumulative target line: the year's target plus every earlier year's.
    pub cumulative_target: Money,
    /// Cumulative achieved savings; `None` after the latest reported year.
    pub cumulative_achieved: Option<Money>,
    /// Achieved savings of every type (cashable, non-cashable, cost avoidance), for reference.
    pub achieved_all_types: Money,
}

/// What the annual run rate needed to close the gap is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunRate {
    /// The target is already reached: nothing more is needed.
    Met,
    /// This much cashable saving a year, in each year left up to the target year.
    PerYear(Money),
    /// The gap is open and no year is left before the target year.
    NoYearsLeft,
}

/// The partnership's progress towards `collective_target` by `collective_target_year`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetProgress {
    pub target: Money,
    pub by: Year,
    /// The latest reported year, at which the gap is measured; `None` when none is.
    pub as_at: Option<Year>,
    pub achieved_to_date: Money,
    /// `target − achieved_to_date`; negative when the target is beaten.
    pub gap: Money,
    /// Years after `as_at` up to and including `by` (all years from the book's first when
    /// nothing is reported yet).
    pub years_left: i32,
    pub run_rate: RunRate,
}

impl TargetProgress {
    /// The run rate in words, for people.
    pub fn run_rate_text(&self) -> String {
        let target = crate::money::grouped(self.target);
        match self.run_rate {
            RunRate::Met => format!("target of GBP {target} met: no further savings needed"),
            RunRate::PerYear(rate) => format!(
                "GBP {} a year for {} year{} to reach GBP {target} by {}",
                crate::money::grouped(rate),
                self.years_left,
                if self.years_left == 1 { "" } else { "s" },
                self.by
            ),
            RunRate::NoYearsLeft => format!(
                "no years left: {} was the target year and GBP {} was still to find",
                self.by,
                crate::money::grouped(self.gap)
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Savings {
    pub years: Vec<SavingsYear>,
    /// `None` when the book's settings give no `collective_target`.
    pub target: Option<TargetProgress>,
}

/// The partnership's cumulative savings, year by year, against its collective target.
///
/// Only cashable savings count towards the target: the report's "collective savings of at least
/// GBP 57m" are reductions in the councils' budgets, and finance directors count only savings
/// that take money out of a budget (cashable ones) towards a savings target. Non-cashable
/// savings and cost avoidance are real benefits but free no money, so they are shown beside the
/// line (`achieved_all_types`) and never added to it.
///
/// The gap is the target less the cumulative cashable savings at the latest reported year. The
/// run rate needed is the gap over the years left after that year up to and including the target
/// year, rounded up to the penny so that that many years at the rate close the gap. Without a
/// `collective_target_year` the target is for the book's last year.
pub fn savings(
    benefits: &[BenefitTotal],
    years: &[Year],
    reported_to: Option<Year>,
    collective_target: Option<Money>,
    collective_target_year: Option<Year>,
) -> Savings {
    let mut cumulative_target = Money::ZERO;
    let mut cumulative_achieved = Money::ZERO;
    let mut out = Vec::new();
    for &year in years {
        let in_year = || benefits.iter().filter(move |b| b.year == year);
        let cashable = || in_year().filter(|b| b.benefit_type == BenefitType::Cashable);
        let target: Money = cashable().map(|b| b.target).sum();
        let achieved: Money = cashable().map(|b| b.achieved).sum();
        cumulative_target += target;
        cumulative_achieved += achieved;
        let reported = reported_to.is_some_and(|last| year <= last);
        out.push(SavingsYear {
            year,
            target,
            achieved,
            cumulative_target,
            cumulative_achieved: reported.then_some(cumulative_achieved),
            achieved_all_types: in_year().map(|b| b.achieved).sum(),
        });
    }
    let target = collective_target.map(|target| {
        let by = collective_target_year
            .or_else(|| years.last().copied())
            .unwrap_or(Year(0));
        let achieved_to_date = out
            .iter()
            .filter_map(|y| y.cumulative_achieved)
            .next_back()
            .unwrap_or_default();
        let first_open = reported_to.map_or(years.first().copied().unwrap_or(by), Year::next);
        let years_left = (by.0 - first_open.0 + 1).max(0);
        let gap = target - achieved_to_date;
        let run_rate = if gap <= Money::ZERO {
            RunRate::Met
        } else if years_left == 0 {
            RunRate::NoYearsLeft
        } else {
            RunRate::PerYear(ceiling_share(gap, years_left))
        };
        TargetProgress {
            target,
            by,
            as_at: reported_to,
            achieved_to_date,
            gap,
            years_left,
            run_rate,
        }
    });
    Savings { years: out, target }
}

/// `amount / parts`, rounded up to the next penny (towards positive infinity).
fn ceiling_share(amount: Money, parts: i32) -> Money {
    assert!(parts > 0 && amount > Money::ZERO, "a positive gap over some years");
    let parts = i128::from(parts);
    let share = Money::from_pence((amount.pence() + parts - 1) / parts);
    assert!(share.pence() * parts >= amount.pence(), "the rate closes the gap");
    share
}
