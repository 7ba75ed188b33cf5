//! The partnership's cumulative savings against its collective target (report 2.10: "collective
//! savings of at least GBP 57m by 2016/17"): the cumulative target line, the gap and the run
//! rate needed to close it. Cashable savings only (see [`savings`]).

use crate::engine::BenefitTotal;
use crate::model::BenefitType;
use crate::money::Money;
use crate::values::Year;
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
        let target: Money = cashable().filter_map(|b| b.target).sum();
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
    assert!(
        parts > 0 && amount > Money::ZERO,
        "a positive gap over some years"
    );
    let parts = i128::from(parts);
    let share = Money::from_pence((amount.pence() + parts - 1) / parts);
    assert!(
        share.pence() * parts >= amount.pence(),
        "the rate closes the gap"
    );
    share
}

#[cfg(test)]
mod tests {
    use super::super::status::tests::{benefit, gbp};
    use super::*;

    #[test]
    fn cumulative_line_gap_and_run_rate() {
        let rows = vec![
            benefit(2012, "A", BenefitType::Cashable, 10, 8),
            benefit(2012, "A", BenefitType::CostAvoidance, 50, 50),
            benefit(2013, "A", BenefitType::Cashable, 20, 22),
            benefit(2014, "A", BenefitType::Cashable, 30, 0),
        ];
        let years = [Year(2012), Year(2013), Year(2014), Year(2015)];
        let s = savings(
            &rows,
            &years,
            Some(Year(2013)),
            Some(gbp(100)),
            Some(Year(2016)),
        );
        let line: Vec<(Money, Option<Money>)> = s
            .years
            .iter()
            .map(|y| (y.cumulative_target, y.cumulative_achieved))
            .collect();
        assert_eq!(
            line,
            vec![
                (gbp(10), Some(gbp(8))),
                (gbp(30), Some(gbp(30))),
                (gbp(60), None),
                (gbp(60), None)
            ],
            "cumulative cashable target and achieved, none after the latest reported year"
        );
        assert_eq!(
            s.years[0].achieved_all_types,
            gbp(58),
            "cost avoidance is shown, not counted"
        );
        let t = s.target.expect("a collective target");
        assert_eq!(
            (t.achieved_to_date, t.gap, t.years_left),
            (gbp(30), gbp(70), 3)
        );
        assert_eq!(
            t.run_rate,
            RunRate::PerYear(Money::from_pence(2334)),
            "70/3 rounded up to the penny"
        );
        assert_eq!(
            t.run_rate_text(),
            "GBP 23.34 a year for 3 years to reach GBP 100.00 by 2016/17"
        );

        let late = savings(
            &rows,
            &years,
            Some(Year(2013)),
            Some(gbp(100)),
            Some(Year(2013)),
        );
        assert_eq!(late.target.as_ref().unwrap().run_rate, RunRate::NoYearsLeft);
        assert!(late
            .target
            .unwrap()
            .run_rate_text()
            .starts_with("no years left"));
        let met = savings(
            &rows,
            &years,
            Some(Year(2013)),
            Some(gbp(30)),
            Some(Year(2016)),
        );
        assert_eq!(
            met.target.unwrap().run_rate,
            RunRate::Met,
            "exactly at target"
        );
        let none = savings(&rows, &years, None, Some(gbp(100)), Some(Year(2013)));
        let none = none.target.unwrap();
        assert_eq!(
            (none.achieved_to_date, none.years_left),
            (Money::ZERO, 2),
            "2012/13 and 2013/14 left"
        );
        assert!(
            savings(&rows, &years, None, None, None).target.is_none(),
            "no collective_target"
        );
    }
}
