//! The value forms a book may use, each parsed in exactly one function: financial years,
//! dates, codes and weights. Amounts live in `money`. Each parser returns the plain sentence a
//! finance director needs when the value is wrong (the caller adds the place).

use crate::diag::quoted;
use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::prelude::*;
use std::fmt;

/// A financial year, 1 April to 31 March, named by the calendar year it starts in:
/// `Year(2012)` is 2012/13.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Year(pub i32);

impl Year {
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 4, 1).expect("1 April exists in every accepted year")
    }

    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 3, 31).expect("31 March exists in every accepted year")
    }

    /// 365, or 366 when the year holds a 29 February.
    pub fn days(self) -> i64 {
        (self.last_day() - self.first_day()).num_days() + 1
    }

    pub fn next(self) -> Year {
        Year(self.0 + 1)
    }

    /// The financial year a date falls in.
    pub fn of_date(date: NaiveDate) -> Year {
        if date.month() >= 4 {
            Year(date.year())
        } else {
            Year(date.year() - 1)
        }
    }

    /// `2012-13`: the form used in folder names and invoice numbers.
    pub fn dashed(self) -> String {
        format!("{}-{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }
}

impl fmt::Display for Year {
    /// `2012/13`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }
}

/// Earliest and latest financial years accepted: well beyond any real book, small enough that
/// every date sum stays in range.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2199;

/// Reads `2012/13`, `2012-13`, `2012/2013` (or `2012-2013`).
pub fn parse_year(text: &str) -> Result<Year, String> {
    let shown = quoted(text);
    let wrong = || format!("{shown} is not a financial year; write it like 2012/13");
    let s = text.trim();
    let (start, end) = s
        .split_once('/')
        .or_else(|| s.split_once('-'))
        .ok_or_else(wrong)?;
    if start.len() != 4 || !start.bytes().all(|b| b.is_ascii_digit()) {
        return Err(wrong());
    }
    if !(end.len() == 2 || end.len() == 4) || !end.bytes().all(|b| b.is_ascii_digit()) {
        return Err(wrong());
    }
    let start_year: i32 = start.parse().map_err(|_| wrong())?;
    let end_number: i32 = end.parse().map_err(|_| wrong())?;
    let follows = if end.len() == 2 {
        end_number == (start_year + 1).rem_euclid(100)
    } else {
        end_number == start_year + 1
    };
    if !follows {
        return Err(format!(
            "{shown} is not a financial year: the second year must follow the first; write it like {}",
            Year(start_year)
        ));
    }
    if !(FIRST_YEAR..=LAST_YEAR).contains(&start_year) {
        return Err(format!(
            "{shown} is outside the years accord accepts ({FIRST_YEAR} to {LAST_YEAR})"
        ));
    }
    Ok(Year(start_year))
}

/// Reads `2012-04-01` or UK `01/04/2012` (day first, always; `1/4/2012` too).
pub fn parse_date_text(text: &str) -> Result<NaiveDate, String> {
    let s = text.trim();
    let parsed = if s.contains('/') {
        let parts: Vec<&str> = s.split('/').collect();
        match parts.as_slice() {
            [d, m, y] if d.len() <= 2 && m.len() <= 2 && y.len() == 4 => {
                let number = |p: &str| p.parse::<u32>().ok();
                match (number(d), number(m), y.parse::<i32>().ok()) {
                    (Some(d), Some(m), Some(y)) => NaiveDate::from_ymd_opt(y, m, d),
                    _ => None,
                }
            }
            _ => None,
        }
    } else if s.len() == 10 {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    } else {
        None
    };
    let date = parsed.ok_or_else(|| {
        format!(
            "{} is not a date; write it like 2012-04-01 or 01/04/2012 (day first)",
            quoted(text)
        )
    })?;
    check_date_range(date)
}

/// Refuses dates outside the financial years accord accepts.
pub fn check_date_range(date: NaiveDate) -> Result<NaiveDate, String> {
    let year = Year::of_date(date);
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year.0) {
        return Err(format!(
            "{date} is outside the years accord accepts ({FIRST_YEAR} to {LAST_YEAR})"
        ));
    }
    Ok(date)
}

/// The last day a council must take part after giving notice on `notice`: the day before
/// `notice` + 12 months (Accord 7.5). Twelve months from 29 February is 28 February.
pub fn notice_end(notice: NaiveDate) -> NaiveDate {
    let anniversary = notice
        .checked_add_months(Months::new(12))
        .expect("dates are range-checked when read");
    anniversary
        .pred_opt()
        .expect("dates are range-checked when read")
}

/// Longest code accepted (codes name files).
pub const CODE_MAX_LEN: usize = 16;

/// Checks a council or programme code: 1-16 of `A-Z 0-9 _ -`.
pub fn parse_code(text: &str) -> Result<String, String> {
    let s = text.trim();
    let shown = quoted(s);
    if s.is_empty() {
        return Err("a code is needed here".into());
    }
    let allowed = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-';
    if s.chars().all(allowed) && s.len() <= CODE_MAX_LEN {
        return Ok(s.to_string());
    }
    let upper = s.to_ascii_uppercase();
    if upper.chars().all(allowed) && upper.len() <= CODE_MAX_LEN {
        return Err(format!(
            "{shown} is not a code: codes are upper case; write {upper:?}"
        ));
    }
    Err(format!(
        "{shown} is not a code: use 1 to {CODE_MAX_LEN} characters of A-Z, 0-9, _ and - (codes name files)"
    ))
}

/// Largest weight or percentage accepted, and its most decimal places.
pub const WEIGHT_MAX: i64 = 1_000_000_000;
pub const WEIGHT_MAX_DECIMALS: u32 = 6;

/// Reads a weight or fixed percentage: a positive number with at most 6 decimal places.
pub fn parse_weight_text(text: &str) -> Result<Decimal, String> {
    let s = text.trim().trim_end_matches('%').trim();
    let wrong = || {
        format!(
            "{} is not a weight; write a positive number like 1, 2.5 or 33.3333",
            quoted(text)
        )
    };
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.') || s.len() > 30 {
        return Err(wrong());
    }
    let value = Decimal::from_str_exact(s).map_err(|_| wrong())?;
    check_weight(value, text)
}

/// Reads a weight from a number cell.
pub fn weight_from_float(value: f64) -> Result<Decimal, String> {
    if !value.is_finite() {
        return Err(format!("{value} is not a weight; write a positive number"));
    }
    let shortest = format!("{value}");
    let parsed = Decimal::from_str_exact(&shortest)
        .or_else(|_| Decimal::from_scientific(&format!("{value:e}")))
        .map_err(|_| format!("{value} is not a weight; write a positive number"))?;
    check_weight(parsed, &shortest)
}

fn check_weight(value: Decimal, shown: &str) -> Result<Decimal, String> {
    let shown = quoted(shown);
    if value <= Decimal::ZERO {
        return Err(format!(
            "{shown} is not a weight: a weight must be more than 0"
        ));
    }
    if value > Decimal::from(WEIGHT_MAX) {
        return Err(format!(
            "{shown} is too large for a weight (at most {WEIGHT_MAX})"
        ));
    }
    let value = value.normalize();
    if value.scale() > WEIGHT_MAX_DECIMALS {
        return Err(format!(
            "{shown} has more than {WEIGHT_MAX_DECIMALS} decimal places; round it to {}",
            value.round_dp_with_strategy(
                WEIGHT_MAX_DECIMALS,
                RoundingStrategy::MidpointAwayFromZero
            )
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn years() {
        let cases: &[(&str, Option<i32>)] = &[
            ("2012/13", Some(2012)),
            ("2012-13", Some(2012)),
            ("2012/2013", Some(2012)),
            ("2012-2013", Some(2012)),
            (" 1999/00 ", Some(1999)),
            ("2012/14", None),
            ("2012", None),
            ("12/13", None),
            ("2012/3", None),
            ("abcd/ef", None),
            ("2012/2014", None),
            ("1066/67", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_year(text).ok().map(|y| y.0), *expected, "{text:?}");
        }
        assert_eq!(Year(2012).to_string(), "2012/13");
        assert_eq!(Year(1999).to_string(), "1999/00");
        assert_eq!(Year(2012).dashed(), "2012-13");
    }

    #[test]
    fn year_lengths_and_membership() {
        let cases = [
            (2012, 365),
            (2015, 366),
            (2011, 366),
            (2019, 366),
            (2013, 365),
        ];
        for (y, days) in cases {
            assert_eq!(Year(y).days(), days, "{}", Year(y));
        }
        assert_eq!(Year::of_date(date(2013, 3, 31)), Year(2012));
        assert_eq!(Year::of_date(date(2013, 4, 1)), Year(2013));
    }

    #[test]
    fn dates() {
        let cases: &[(&str, Option<NaiveDate>)] = &[
            ("2012-04-01", Some(date(2012, 4, 1))),
            ("01/04/2012", Some(date(2012, 4, 1))),
            ("1/4/2012", Some(date(2012, 4, 1))),
            ("13/01/2013", Some(date(2013, 1, 13))),
            ("01/13/2013", None),
            ("2012-4-1", None),
            ("31/02/2013", None),
            ("2013/04/01", None),
            ("yesterday", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_date_text(text).ok(), *expected, "{text:?}");
        }
    }

    #[test]
    fn twelve_months_notice() {
        let cases = [
            (date(2013, 11, 20), date(2014, 11, 19)),
            (date(2012, 4, 1), date(2013, 3, 31)),
            (date(2012, 2, 29), date(2013, 2, 27)),
            (date(2013, 3, 1), date(2014, 2, 28)),
        ];
        for (notice, end) in cases {
            assert_eq!(notice_end(notice), end, "notice {notice}");
        }
    }

    #[test]
    fn codes() {
        assert_eq!(parse_code("HRW"), Ok("HRW".into()));
        assert_eq!(parse_code("PUB_HEALTH-2"), Ok("PUB_HEALTH-2".into()));
        let bad = [
            ("hrw", "write \"HRW\""),
            ("../x", "not a code"),
            ("H RW", "not a code"),
            ("ABCDEFGHIJKLMNOPQ", "not a code"),
            ("", "a code is needed"),
            ("É", "not a code"),
        ];
        for (text, fragment) in bad {
            let err = parse_code(text).expect_err(text);
            assert!(err.contains(fragment), "{text:?}: {err}");
        }
    }

    #[test]
    fn weights() {
        assert_eq!(parse_weight_text("2.5"), Ok(Decimal::new(25, 1)));
        assert_eq!(
            parse_weight_text("33.333333"),
            Ok(Decimal::new(33333333, 6))
        );
        assert_eq!(parse_weight_text("40%"), Ok(Decimal::from(40)));
        for text in ["0", "-1", "abc", "1.0000001", "1000000001", "1e3"] {
            assert!(parse_weight_text(text).is_err(), "{text:?}");
        }
        assert_eq!(weight_from_float(0.1), Ok(Decimal::new(1, 1)));
        assert!(weight_from_float(f64::NAN).is_err());
    }
}
