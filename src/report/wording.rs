//! The words the people's documents share: how each part was worked out ("equal share: 365
//! of 2,190 council-days of £295,000.00 to raise"), dates and amounts as people write them
//! (the invoice and due dates themselves are the engine's rule, `engine::dates`). Kept in one place so an invoice, a statement and the dashboard never
//! explain the same figure differently.

use crate::engine::{Allocation, Results, SIK};
use crate::model::{Basis, Book, CouncilKind, SikBasis};
use crate::money::Money;
use crate::values::Year;
use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use crate::money::{grouped_decimal, pounds};

/// `30 April 2013`.
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

pub use crate::engine::dates::{due_date, invoice_date};

/// The council's name, or its code when the book has no such council ([`Book::council_name`]).
pub fn council_name<'a>(book: &'a Book, code: &'a str) -> &'a str {
    book.council_name(code)
}

/// What a programme line is for: the programme's name, or the support-in-kind pool's provider.
pub fn programme_title(book: &Book, programme: &str, holder: &str) -> String {
    if programme == SIK {
        format!("Support in kind from {}", council_name(book, holder))
    } else {
        book.programme(programme)
            .map_or_else(|| programme.to_string(), |p| p.name.clone())
    }
}

/// `b × d` as a person reads it: `42.5 × 365 days`, or the product alone when a council's
/// rate changed during the year.
fn rate_times_days(weight: Decimal, days: i64, percent: bool) -> String {
    let unit = if percent { "%" } else { "" };
    if days > 0 {
        let rate = weight / Decimal::from(days);
        if rate * Decimal::from(days) == weight && rate.normalize().scale() <= 4 {
            return format!(
                "{}{unit} × {} days",
                grouped_decimal(rate),
                grouped_decimal(days.into())
            );
        }
    }
    format!("{} weighted days", grouped_decimal(weight))
}

/// The allocations of one programme (or of every support-in-kind pool) in one year.
pub fn allocations_of<'a>(results: &'a Results, year: Year, programme: &str) -> &'a [Allocation] {
    results.allocations_of(year, programme)
}

/// How one allocation was worked out, in one line.
pub fn explain(book: &Book, results: &Results, a: &Allocation) -> String {
    let same_pool: Vec<&Allocation> = allocations_of(results, a.year, &a.programme)
        .iter()
        .filter(|b| b.holder == a.holder)
        .collect();
    if a.programme == SIK {
        let pool = same_pool;
        let total: Money = pool.iter().map(|b| b.amount).sum();
        let weight_total: Decimal = pool.iter().map(|b| b.weight).sum();
        let proportional = book.settings.sik_basis == SikBasis::Proportional
            && pool.iter().any(|b| b.weight != Decimal::from(b.days));
        return if proportional {
            format!(
                "support in kind from {} shared by contributions: £{} of £{} paid, of {}",
                a.holder,
                grouped_decimal(a.weight),
                grouped_decimal(weight_total),
                pounds(total)
            )
        } else {
            format!(
                "support in kind from {} shared by days taking part: {} of {} council-days, of {}",
                a.holder,
                grouped_decimal(a.days.into()),
                grouped_decimal(weight_total),
                pounds(total)
            )
        };
    }
    let basis = if book.is_office(&a.programme) {
        Basis::Equal
    } else {
        book.programme(&a.programme)
            .map_or(Basis::Equal, |p| p.basis)
    };
    let takers = same_pool;
    let (group_weight, base) = match a.kind {
        CouncilKind::Guest => {
            let gross = results
                .year_ends
                .iter()
                .find(|e| e.year == a.year && e.programme == a.programme)
                .map_or(Money::ZERO, |e| e.budget);
            let weight: Decimal = takers.iter().map(|b| b.weight).sum();
            (weight, format!("{} gross budget", pounds(gross)))
        }
        CouncilKind::Member => {
            let members = takers.iter().filter(|b| b.kind == CouncilKind::Member);
            let weight: Decimal = members.clone().map(|b| b.weight).sum();
            let pool: Money = members.map(|b| b.amount).sum();
            (weight, format!("{} to raise from members", pounds(pool)))
        }
    };
    let share = match basis {
        Basis::Equal => format!(
            "equal share: {} of {} council-days",
            grouped_decimal(a.days.into()),
            grouped_decimal(group_weight)
        ),
        Basis::Weighted => format!(
            "weighted: {} of {}",
            rate_times_days(a.weight, a.days, false),
            grouped_decimal(group_weight)
        ),
        Basis::Fixed => format!(
            "fixed: {} of {}",
            rate_times_days(a.weight, a.days, true),
            grouped_decimal(group_weight)
        ),
        Basis::Driver => format!(
            "by driver: {} of {}",
            rate_times_days(a.weight, a.days, false),
            grouped_decimal(group_weight)
        ),
    };
    match a.kind {
        CouncilKind::Guest => format!("guest, full cost: {share}, of {base}"),
        CouncilKind::Member => format!("{share}, of {base}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_people_write_them() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(long_date(d(2013, 4, 3)), "3 April 2013");
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        let cases = [
            (Decimal::new(9654375, 2), "96,543.75"),
            (Decimal::from(2190), "2,190"),
            (Decimal::new(4250, 2), "42.5"),
            (Decimal::from(-1234567), "-1,234,567"),
        ];
        for (value, expected) in cases {
            assert_eq!(grouped_decimal(value), expected);
        }
        assert_eq!(pounds(Money::from_pence(123450)), "£1,234.50");
        assert_eq!(pounds(Money::from_pence(-1)), "-£0.01");
        assert_eq!(
            rate_times_days(Decimal::new(155125, 1), 365, false),
            "42.5 × 365 days"
        );
        assert_eq!(
            rate_times_days(Decimal::from(7300), 365, true),
            "20% × 365 days"
        );
    }
}
