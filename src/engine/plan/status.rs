//! Each programme's status per year (Accord 8.1-8.2, report 2.10): green, amber or red
//! against its savings targets, and which years are reported at all. Apart from the
//! partnership's totals (`savings`) because a programme is judged on every type of saving.

use crate::engine::BenefitTotal;
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
    /// No target was written (SPEC §4): never green.
    NoTarget,
}

impl Rag {
    pub fn as_str(self) -> &'static str {
        match self {
            Rag::Green => "green",
            Rag::Amber => "amber",
            Rag::Red => "red",
            Rag::NoTarget => "none",
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
    /// `None` when none of its rows gives a target (status `none`).
    pub target: Option<Money>,
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
    let mut sums: BTreeMap<(Year, &str), (Option<Money>, Money)> = BTreeMap::new();
    for b in benefits {
        let entry = sums.entry((b.year, &b.programme)).or_default();
        entry.0 = crate::engine::add_targets(entry.0, b.target);
        entry.1 += b.achieved;
    }
    sums.into_iter()
        .map(|((year, programme), (target, achieved))| ProgrammeStatus {
            year,
            programme: programme.to_string(),
            target,
            achieved,
            status: match target {
                None => Some(Rag::NoTarget),
                Some(target) => reported_to
                    .filter(|last| year <= *last)
                    .map(|_| rag(target, achieved, amber_pct)),
            },
        })
        .collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::BenefitType;

    pub(in crate::engine::plan) fn gbp(pounds: i64) -> Money {
        Money::from_pence(i128::from(pounds) * 100)
    }

    pub(in crate::engine::plan) fn benefit(
        year: i32,
        programme: &str,
        kind: BenefitType,
        target: i64,
        achieved: i64,
    ) -> BenefitTotal {
        BenefitTotal {
            year: Year(year),
            programme: programme.into(),
            council: "EAL".into(),
            benefit_type: kind,
            target: Some(gbp(target)),
            achieved: gbp(achieved),
        }
    }

    #[test]
    fn rag_boundaries() {
        let amber = Decimal::from(80);
        let cases: &[(i128, i128, Rag)] = &[
            // target, achieved (pence), status
            (100_000, 100_000, Rag::Green), // exactly at target
            (100_000, 100_001, Rag::Green),
            (100_000, 99_999, Rag::Amber), // a penny short
            (100_000, 80_000, Rag::Amber), // exactly at amber_pct
            (100_000, 79_999, Rag::Red),   // a penny below amber_pct
            (100_000, 0, Rag::Red),
            (0, 0, Rag::Green), // nothing asked
            (0, 5_000, Rag::Green),
            (3, 2, Rag::Red),   // 66.7%: exact, not rounded to pence
            (5, 4, Rag::Amber), // exactly 80% of 5p
        ];
        for (target, achieved, expected) in cases {
            let got = rag(
                Money::from_pence(*target),
                Money::from_pence(*achieved),
                amber,
            );
            assert_eq!(got, *expected, "target {target}p achieved {achieved}p");
        }
        let odd = rag(
            Money::from_pence(1000),
            Money::from_pence(755),
            Decimal::new(755, 1),
        );
        assert_eq!(
            odd,
            Rag::Amber,
            "a fractional amber_pct of 75.5 is met exactly"
        );
    }

    #[test]
    fn status_sums_every_council_and_type() {
        let mut rows = vec![
            benefit(2012, "ADULTS", BenefitType::Cashable, 100, 70),
            benefit(2012, "ADULTS", BenefitType::CostAvoidance, 100, 90),
            benefit(2013, "ADULTS", BenefitType::Cashable, 100, 0),
        ];
        rows.push(BenefitTotal {
            council: "HRW".into(),
            ..benefit(2012, "ADULTS", BenefitType::NonCashable, 0, 40)
        });
        let status = programme_status(&rows, Decimal::from(80), Some(Year(2012)));
        assert_eq!(status.len(), 2);
        assert_eq!(
            (status[0].target, status[0].achieved),
            (Some(gbp(200)), gbp(200))
        );
        assert_eq!(
            status[0].status,
            Some(Rag::Green),
            "200 of 200 over councils and types"
        );
        assert_eq!(
            status[1].status, None,
            "2013/14 is after the latest reported year"
        );
        assert_eq!(status[1].status_text(), "not yet reported");
    }

    #[test]
    fn reported_years_are_actual_years_or_years_with_savings() {
        let rows = vec![
            benefit(2014, "ADULTS", BenefitType::Cashable, 10, 5),
            benefit(2015, "ADULTS", BenefitType::Cashable, 10, 0),
        ];
        assert_eq!(
            latest_reported_year(&[Year(2012), Year(2013)], &rows),
            Some(Year(2014))
        );
        assert_eq!(
            latest_reported_year(&[Year(2012)], &rows[1..]),
            Some(Year(2012))
        );
        assert_eq!(latest_reported_year(&[], &rows[1..]), None);
    }
}
