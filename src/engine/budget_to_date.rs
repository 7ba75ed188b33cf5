//! Budget to date (SPEC §9): the share of a year's budget that has fallen due by `actuals_to`.
//! A budget falls due evenly over the days of its year, or, for a programme with a `profile`,
//! month by month by the profile's percentages (evenly over the days within each month). The
//! share is taken in whole pence by the one splitting function: the budget is split in two,
//! to date and the rest of the year, so the two always add up to the budget.

use super::split::split;
use crate::money::Money;
use crate::values::Year;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// A programme's profile: the percentage due in each month, `[0]` January ... `[11]` December
/// (a financial year runs from `[3]`, April). The twelve total 100.
pub type Profile = [Decimal; 12];

/// The days of the calendar month that holds `day`.
fn days_in_month(day: NaiveDate) -> i64 {
    let first = day.with_day(1).expect("every month has a first day");
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .expect("the first of next month is a date");
    (next - first).num_days()
}

/// The weights of the budget due to date and of the rest of `year`, at the end of
/// `actuals_to` (a day of `year`): days elapsed and days left, or, with a profile,
/// `full months' percent × days in the current month + its percent × its days elapsed` against
/// `100 × days in the current month`.
pub fn due_weights(
    year: Year,
    actuals_to: NaiveDate,
    profile: Option<&Profile>,
) -> (Decimal, Decimal) {
    assert!(
        year.first_day() <= actuals_to && actuals_to <= year.last_day(),
        "budget to date: {actuals_to} is a day of {year}"
    );
    match profile {
        None => {
            let elapsed = (actuals_to - year.first_day()).num_days() + 1;
            (Decimal::from(elapsed), Decimal::from(year.days() - elapsed))
        }
        Some(percent) => {
            assert_eq!(
                percent.iter().copied().sum::<Decimal>(),
                Decimal::ONE_HUNDRED,
                "a profile totals 100 (checked when the book is read)"
            );
            let current = actuals_to.month();
            let mut full_months = Decimal::ZERO;
            let mut month = 4;
            while month != current {
                full_months += percent[month as usize - 1];
                month = month % 12 + 1;
            }
            let month_days = Decimal::from(days_in_month(actuals_to));
            let elapsed = Decimal::from(actuals_to.day());
            let to_date = full_months * month_days + percent[current as usize - 1] * elapsed;
            (to_date, Decimal::ONE_HUNDRED * month_days - to_date)
        }
    }
}

/// The part of `budget` (for `year`) due by the end of `actuals_to`, in whole pence. A penny
/// that splits evenly between to date and the rest goes to date (the lower key of the split).
pub fn budget_to_date(
    budget: Money,
    year: Year,
    actuals_to: NaiveDate,
    profile: Option<&Profile>,
) -> Money {
    let (to_date, rest) = due_weights(year, actuals_to, profile);
    let parts = split(budget, &[(0u8, to_date), (1u8, rest)]);
    assert_eq!(
        parts[0].1 + parts[1].1,
        budget,
        "to date and the rest add up to the budget"
    );
    parts[0].1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// 10% a month April to November, 5% December to March.
    fn front_loaded() -> Profile {
        let mut p = [Decimal::from(10); 12];
        for month in [12, 1, 2, 3] {
            p[month - 1] = Decimal::from(5);
        }
        p
    }

    #[test]
    fn even_by_days() {
        // (budget in pence, year, actuals_to, budget to date in pence), worked by hand.
        let cases: &[(i128, i32, &str, i128)] = &[
            // 2013/14 has 365 days; to 30 September is 183 of them.
            (36_500_000, 2013, "2013-09-30", 18_300_000),
            // 2015/16 holds 29 February 2016: 366 days, 183 of them to 30 September.
            (36_600_000, 2015, "2015-09-30", 18_300_000),
            // Across the leap day: 1 April 2015 to 29 February 2016 is 335 of 366 days.
            (36_600_000, 2015, "2016-02-29", 33_500_000),
            // GBP 100,000 × 183/365 = 50,136.986...: the penny left over goes to date, whose
            // remainder (.63) is the larger.
            (10_000_000, 2013, "2013-09-30", 5_013_699),
            // GBP 100 × 1/365 = 0.27397...: 27p to date.
            (10_000, 2013, "2013-04-01", 27),
            // The same in the leap year: GBP 100 × 1/366 = 0.27322...
            (10_000, 2015, "2015-04-01", 27),
            // One penny over 183 and 182 days: to date has the larger share.
            (1, 2013, "2013-09-30", 1),
            // A negative budget (an income line) splits as its size, negated.
            (-10_000_000, 2013, "2013-09-30", -5_013_699),
            // The year's last day: the whole budget.
            (10_000_000, 2013, "2014-03-31", 10_000_000),
            (0, 2013, "2013-09-30", 0),
        ];
        for (budget, year, to, expected) in cases {
            assert_eq!(
                budget_to_date(Money::from_pence(*budget), Year(*year), day(to), None).pence(),
                *expected,
                "{budget}p in {year} to {to}"
            );
        }
    }

    #[test]
    fn by_profile() {
        let p = front_loaded();
        let cases: &[(i128, i32, &str, i128)] = &[
            // April to September in full: 60% of GBP 120,000.
            (12_000_000, 2013, "2013-09-30", 7_200_000),
            // April to August (50%) and half of September (10% × 15/30): 55%.
            (12_000_000, 2013, "2013-09-15", 6_600_000),
            // 1 April: 10% × 1/30 of GBP 120,000 = 400.00.
            (12_000_000, 2013, "2013-04-01", 40_000),
            // Leap February: April to January is 90%, then 5% × 10/29 of February;
            // GBP 100,000 × 2,660/2,900 = 91,724.1379...: 91,724.14.
            (10_000_000, 2015, "2016-02-10", 9_172_414),
            // The same day in an ordinary February: 5% × 10/28, 91,785.7142...: 91,785.71.
            (10_000_000, 2013, "2014-02-10", 9_178_571),
            // The year's last day: all of it.
            (12_000_000, 2013, "2014-03-31", 12_000_000),
        ];
        for (budget, year, to, expected) in cases {
            assert_eq!(
                budget_to_date(Money::from_pence(*budget), Year(*year), day(to), Some(&p)).pence(),
                *expected,
                "{budget}p in {year} to {to}, front-loaded"
            );
        }
    }

    #[test]
    fn a_profile_with_months_at_nothing_and_fractions() {
        // Nothing due until October, then a sixth of the budget each month (16.666667% and
        // 16.666665% for March, so the months total 100).
        let mut p = [Decimal::ZERO; 12];
        for month in [10, 11, 12, 1, 2] {
            p[month - 1] = Decimal::new(16_666_667, 6);
        }
        p[2] = Decimal::new(16_666_665, 6);
        let cases: &[(&str, i128)] = &[
            ("2013-09-30", 0),
            // October in full: 16.666667% of GBP 60,000 = 10,000.0002: 10,000.00.
            ("2013-10-31", 1_000_000),
            // 16 of 31 October days: 16.666667% × 16/31 = 8.602151...%: 5,161.29.
            ("2013-10-16", 516_129),
        ];
        for (to, expected) in cases {
            assert_eq!(
                budget_to_date(Money::from_pence(6_000_000), Year(2013), day(to), Some(&p)).pence(),
                *expected,
                "to {to}"
            );
        }
    }
}
