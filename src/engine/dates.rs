//! The dates an invoice carries (Accord's invoicing, SPEC §2): the invoice date of each
//! financial year from the `invoice_date` setting, and the due date from the payment terms.
//! Rules, so they live in the engine; the documents only print them.

use crate::values::Year;
use chrono::{Datelike, Days, NaiveDate};

/// The invoice date for financial year `year`: the `invoice_date` setting's day and month
/// moved into that year (so 30 April 2012 gives 30 April 2013 for 2013/14, and 15 February
/// 2012 gives 15 February 2014), or 1 April of the year when the setting is absent. A 29
/// February becomes the 28th in a year without one.
pub fn invoice_date(setting: Option<NaiveDate>, year: Year) -> NaiveDate {
    let Some(date) = setting else {
        return year.first_day();
    };
    let calendar_year = if date.month() >= 4 {
        year.0
    } else {
        year.0 + 1
    };
    NaiveDate::from_ymd_opt(calendar_year, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(calendar_year, date.month(), date.day() - 1))
        .expect("a day of a month exists in every year, or the day before it does")
}

/// The due date: the invoice date plus the payment terms.
pub fn due_date(invoice_date: NaiveDate, payment_terms_days: u32) -> NaiveDate {
    invoice_date
        .checked_add_days(Days::new(u64::from(payment_terms_days)))
        .expect("a due date within the calendar")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoice_dates_move_into_the_financial_year() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let cases = [
            (Some(d(2012, 4, 30)), 2013, d(2013, 4, 30)),
            (Some(d(2012, 4, 30)), 2012, d(2012, 4, 30)),
            (Some(d(2012, 2, 15)), 2013, d(2014, 2, 15)),
            (Some(d(2012, 2, 29)), 2013, d(2014, 2, 28)),
            (Some(d(2012, 2, 29)), 2015, d(2016, 2, 29)),
            (None, 2014, d(2014, 4, 1)),
        ];
        for (setting, year, expected) in cases {
            assert_eq!(
                invoice_date(setting, Year(year)),
                expected,
                "{setting:?} {year}"
            );
        }
        assert_eq!(due_date(d(2013, 4, 30), 30), d(2013, 5, 30));
    }
}
