//! Each council's return (report 2.41: "the benefits ... have far exceeded our
//! contributions"): its cashable savings against all it paid, as a ratio and in words. Apart
//! from `returns.csv` because it divides, and a council may have paid nothing.

use crate::engine::Return;
use crate::money::{grouped, Money};
use crate::values::Year;
use rust_decimal::{Decimal, RoundingStrategy};

/// One council's return in one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilReturn {
    pub year: Year,
    pub council: String,
    /// Every allocation it bears: Office, programmes, support in kind, its own shares included.
    pub paid: Money,
    pub cashable: Money,
    /// `cashable − paid`: positive when its savings exceeded what it paid.
    pub net: Money,
    /// Cashable savings per GBP 1 paid, to two decimals (half away from zero); `None` when it
    /// paid nothing (or was refunded), where a ratio means nothing.
    pub per_pound: Option<Decimal>,
    /// The return for people, e.g. `GBP 3.77 saved for every GBP 1 paid`, or
    /// `GBP 55,000.00 saved and no payments` when it paid nothing.
    pub in_words: String,
}

/// Cashable savings per GBP 1 paid, to two decimals (half away from zero); `None` when the
/// council paid nothing or its payments net to a refund, where a ratio means nothing. The one
/// rule for the ratio, in the plan and on the statements alike.
pub fn per_pound(cashable: Money, paid: Money) -> Option<Decimal> {
    (paid > Money::ZERO).then(|| {
        (cashable.to_decimal() / paid.to_decimal())
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    })
}

/// The return of each council in each year of `returns` (same order). Never divides by zero:
/// a council that paid nothing has no ratio, and its return is said in words.
pub fn council_returns(returns: &[Return]) -> Vec<CouncilReturn> {
    returns
        .iter()
        .map(|r| {
            let per_pound = per_pound(r.cashable, r.paid);
            let in_words = match per_pound {
                Some(ratio) => format!("GBP {ratio:.2} saved for every GBP 1 paid"),
                None if r.paid.is_negative() => format!(
                    "GBP {} saved and a net refund of GBP {}",
                    grouped(r.cashable),
                    grouped(-r.paid)
                ),
                None if r.cashable.is_zero() => "no payments and no savings".to_string(),
                None => format!("GBP {} saved and no payments", grouped(r.cashable)),
            };
            CouncilReturn {
                year: r.year,
                council: r.council.clone(),
                paid: r.paid,
                cashable: r.cashable,
                net: r.cashable - r.paid,
                per_pound,
                in_words,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbp(pounds: i64) -> Money {
        Money::from_pence(i128::from(pounds) * 100)
    }

    #[test]
    fn a_council_that_paid_nothing_has_no_ratio() {
        let row = |paid: i64, cashable: i64| Return {
            year: Year(2013),
            council: "RIC".into(),
            paid: gbp(paid),
            cashable: gbp(cashable),
        };
        let got = council_returns(&[row(0, 55_000), row(0, 0), row(40_000, 150_000), row(-10, 5)]);
        let words: Vec<(&str, Option<Decimal>)> = got
            .iter()
            .map(|r| (r.in_words.as_str(), r.per_pound))
            .collect();
        assert_eq!(
            words,
            vec![
                ("GBP 55,000.00 saved and no payments", None),
                ("no payments and no savings", None),
                (
                    "GBP 3.75 saved for every GBP 1 paid",
                    Some(Decimal::new(375, 2))
                ),
                ("GBP 5.00 saved and a net refund of GBP 10.00", None),
            ]
        );
        assert_eq!(got[0].net, gbp(55_000));
    }

    #[test]
    fn the_ratio_by_table() {
        let pence = Money::from_pence;
        let cases: &[((i128, i128), Option<Decimal>)] = &[
            ((15_000_000, 4_000_000), Some(Decimal::new(375, 2))),
            ((1, 3), Some(Decimal::new(33, 2))),
            ((1, 8), Some(Decimal::new(13, 2))), // 0.125 rounds half away from zero
            ((0, 100), Some(Decimal::ZERO)),
            ((-500, 1000), Some(Decimal::new(-50, 2))),
            ((5_000, 0), None),    // paid nothing
            ((500, -1_000), None), // a net refund: no ratio, not a negative one
        ];
        for ((cashable, paid), want) in cases {
            assert_eq!(
                per_pound(pence(*cashable), pence(*paid)),
                *want,
                "{cashable} / {paid}"
            );
        }
    }
}
