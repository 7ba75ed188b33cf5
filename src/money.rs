//! Money: whole pence, exact. Every amount accord reads becomes a [`Money`] in one of the two
//! functions here ([`parse_amount_text`] for text, [`amount_from_float`] for number cells), and
//! every amount it writes is printed by [`Money`]'s `Display`: `1234.50`, `-0.01`.

pub mod digits;

use crate::text::quoted;
use rust_decimal::prelude::*;
use rust_decimal::RoundingStrategy;
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// An amount of GBP held as whole pence. `i128` so that no sum of a ledger's millions of
/// lines can overflow; single amounts are capped at [`MAX_AMOUNT_PENCE`] when read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i128);

/// The largest amount accepted in one cell: GBP 1,000,000,000,000.
pub const MAX_AMOUNT_PENCE: i128 = 100_000_000_000_000;

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_pence(pence: i128) -> Money {
        Money(pence)
    }

    pub const fn pence(self) -> i128 {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn abs(self) -> Money {
        Money(self.0.abs())
    }

    /// As a `Decimal` of pounds with two decimal places (for arithmetic on ratios).
    pub fn to_decimal(self) -> Decimal {
        Decimal::from_i128_with_scale(self.0, 2)
    }
}

impl fmt::Display for Money {
    /// `1234.50`, `-0.01`: two decimals, a `.` point, a leading `-`, no currency sign.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

/// An amount written out (`1234.50`, `-0.01`), on the stack: what [`Money::text`] gives, to
/// write or measure without allocating. Reads as a `&str`.
#[derive(Clone, Copy)]
pub struct MoneyText {
    bytes: [u8; 48],
    start: usize,
}

impl std::ops::Deref for MoneyText {
    type Target = str;
    fn deref(&self) -> &str {
        std::str::from_utf8(&self.bytes[self.start..]).expect("digits, '.' and '-' only")
    }
}

impl MoneyText {
    /// The text's bytes (ASCII), without the check `Deref` makes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[self.start..]
    }
}

impl Money {
    /// The amount as `Display` writes it (`1234.50`, `-0.01`), without going through the
    /// general formatting machinery: the digits are written straight into a buffer, two at
    /// a time, with 64-bit arithmetic whenever the pence fit (every amount of a book does).
    pub fn text(self) -> MoneyText {
        let mut bytes = [0u8; 48];
        let end = bytes.len();
        // The pence, then the point, then the pounds, last digit first.
        // In 64-bit arithmetic when the pence fit, as every book's do (a 128-bit division
        // costs about ten times as much, and the journals and tables write hundreds of
        // thousands of amounts).
        let abs = self.0.unsigned_abs();
        let (pounds, pence) = match u64::try_from(abs) {
            Ok(abs) => (u128::from(abs / 100), (abs % 100) as u8),
            Err(_) => (abs / 100, (abs % 100) as u8),
        };
        bytes[end - 2] = b'0' + pence / 10;
        bytes[end - 1] = b'0' + pence % 10;
        bytes[end - 3] = b'.';
        let mut start = digits::write_u128_back(&mut bytes, end - 3, pounds);
        if self.0 < 0 {
            start -= 1;
            bytes[start] = b'-';
        }
        MoneyText { bytes, start }
    }

    /// Appends the amount as [`Money::text`] writes it.
    pub fn push_text(self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.text().as_bytes());
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

/// `1,234,567.89`: an amount with thousands separators, for people (never in CSV files).
pub fn grouped(money: Money) -> String {
    let plain = money.to_string();
    let (sign, rest) = plain.split_at(if money.is_negative() { 1 } else { 0 });
    let (whole, pence) = rest.split_once('.').expect("money prints with a point");
    format!("{sign}{}.{pence}", group_thousands(whole))
}

pub use crate::text::group_thousands;

/// An amount read from a cell, and whether it had to be rounded to whole pence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadAmount {
    pub money: Money,
    /// The value was not a whole number of pence (beyond floating-point noise) and was rounded.
    pub rounded: bool,
}

const AMOUNT_HINT: &str = "write it like 1234.50, £1,234.50, -1,234.50 or (1,234.50)";

/// Rounds a decimal amount of pounds to pence, half away from zero, and checks its size.
fn amount_from_decimal(pounds: Decimal, shown: &str) -> Result<ReadAmount, String> {
    let in_pence = pounds.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let rounded = in_pence != pounds;
    let pence = in_pence
        .checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|p| p.to_i128())
        .filter(|p| p.abs() <= MAX_AMOUNT_PENCE)
        .ok_or_else(|| {
            format!(
                "{} is larger than accord accepts (GBP 1,000,000,000,000); check the cell",
                quoted(shown)
            )
        })?;
    Ok(ReadAmount {
        money: Money(pence),
        rounded,
    })
}

/// Reads an amount written as text: `1234.5`, `£1,234.50`, `-1,234.50`, `(1,234.50)`,
/// `-£12`, `£-12`. Spaces inside are allowed around the sign and symbol, not inside digits.
pub fn parse_amount_text(text: &str) -> Result<ReadAmount, String> {
    if let Some(pence) = plain_pence(text) {
        return Ok(ReadAmount {
            money: Money(pence),
            rounded: false,
        });
    }
    let not_an_amount = || format!("{} is not an amount; {AMOUNT_HINT}", quoted(text));
    let mut s = text.trim();
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    for _ in 0..2 {
        if let Some(rest) = s.strip_prefix('-') {
            if negative {
                return Err(not_an_amount());
            }
            negative = true;
            s = rest.trim_start();
        } else if let Some(rest) = s.strip_prefix('£') {
            s = rest.trim_start();
        }
    }
    let (whole, fraction) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    if whole.is_empty() && fraction.is_none_or(str::is_empty) {
        return Err(not_an_amount());
    }
    if !valid_whole_part(whole) {
        return Err(not_an_amount());
    }
    if let Some(f) = fraction {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) || f.len() > 20 {
            return Err(not_an_amount());
        }
    }
    let digits: String = whole.chars().filter(|c| *c != ',').collect();
    let plain = match fraction {
        Some(f) => format!("{}.{f}", if digits.is_empty() { "0" } else { &digits }),
        None => digits,
    };
    if plain.len() > 28 {
        return amount_from_decimal(Decimal::MAX, text);
    }
    let mut pounds = Decimal::from_str_exact(&plain).map_err(|_| not_an_amount())?;
    if negative {
        pounds = -pounds;
    }
    amount_from_decimal(pounds, text)
}

/// The form a ledger's million lines nearly all take, `-?digits[.d[d]]`, read without allocating
/// (a tenth of the time of the general path); `None` sends anything else, or anything larger than
/// accord accepts, to the general path, which gives the same value or the error.
fn plain_pence(text: &str) -> Option<i128> {
    let s = text.trim().as_bytes();
    let (negative, s) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, s),
    };
    let (whole, fraction) = match s.iter().position(|&b| b == b'.') {
        Some(dot) => (&s[..dot], &s[dot + 1..]),
        None => (s, &[][..]),
    };
    if whole.is_empty() || whole.len() > 13 || fraction.len() > 2 {
        return None;
    }
    if fraction.is_empty() && whole.len() != s.len() {
        return None; // `12.`
    }
    let mut pence: i128 = 0;
    for &byte in whole.iter().chain(fraction) {
        if !byte.is_ascii_digit() {
            return None;
        }
        pence = pence * 10 + i128::from(byte - b'0');
    }
    pence *= [100, 10, 1][fraction.len()];
    if pence > MAX_AMOUNT_PENCE {
        return None;
    }
    Some(if negative { -pence } else { pence })
}

/// Digits, optionally grouped by commas in threes (`1,234,567`); empty is allowed (`.50`).
fn valid_whole_part(whole: &str) -> bool {
    if !whole.contains(',') {
        return whole.bytes().all(|b| b.is_ascii_digit());
    }
    let groups: Vec<&str> = whole.split(',').collect();
    let first = groups[0];
    (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups[1..]
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Turns a spreadsheet number cell into money: the one place a float becomes pence. The float is
/// taken at its shortest round-trip decimal form (so 1234.1 is 1234.1, not 1234.09999...), and a
/// difference from whole pence smaller than a billionth of the value is floating-point noise,
/// not a rounding worth a warning.
pub fn amount_from_float(value: f64) -> Result<ReadAmount, String> {
    if !value.is_finite() {
        return Err(format!("{value} is not an amount; {AMOUNT_HINT}"));
    }
    if value.abs() > 1e13 {
        return Err(format!(
            "{value} is larger than accord accepts (GBP 1,000,000,000,000); check the cell"
        ));
    }
    let shortest = format!("{value}");
    let pounds = Decimal::from_str_exact(&shortest)
        .or_else(|_| Decimal::from_scientific(&format!("{value:e}")))
        .map_err(|_| format!("{value} is not an amount; {AMOUNT_HINT}"))?;
    let mut read = amount_from_decimal(pounds, &shortest)?;
    if read.rounded {
        let noise = (pounds - read.money.to_decimal()).abs();
        let tolerance = pounds.abs().max(Decimal::ONE) * Decimal::new(1, 9);
        if noise <= tolerance {
            read.rounded = false;
        }
    }
    Ok(read)
}

/// `£1,234.50`, `-£0.01`.
pub fn pounds(money: Money) -> String {
    if money.is_negative() {
        format!("-£{}", grouped(-money))
    } else {
        format!("£{}", grouped(money))
    }
}

/// A decimal with thousands separators and no trailing zeros: `96,543.75`, `2,190`.
pub fn grouped_decimal(value: Decimal) -> String {
    let plain = value.normalize().to_string();
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (whole, fraction) = match rest.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (rest, None),
    };
    let out = group_thousands(whole);
    match fraction {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_with_two_decimals() {
        let cases: &[(i128, &str)] = &[
            (0, "0.00"),
            (1, "0.01"),
            (-1, "-0.01"),
            (99, "0.99"),
            (100, "1.00"),
            (-123450, "-1234.50"),
            (MAX_AMOUNT_PENCE, "1000000000000.00"),
            (u64::MAX as i128, "184467440737095516.15"),
            (u64::MAX as i128 + 1, "184467440737095516.16"),
            (-(u64::MAX as i128) - 1, "-184467440737095516.16"),
            (i128::MAX, "1701411834604692317316873037158841057.27"),
            (i128::MIN, "-1701411834604692317316873037158841057.28"),
        ];
        for (pence, want) in cases {
            let money = Money::from_pence(*pence);
            assert_eq!(&*money.text(), *want, "{pence}");
            assert_eq!(money.to_string(), *want, "{pence}");
            // The formula the text replaces.
            let abs = pence.unsigned_abs();
            let sign = if *pence < 0 { "-" } else { "" };
            assert_eq!(format!("{sign}{}.{:02}", abs / 100, abs % 100), *want);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// The digit writer writes what the general formula writes, for amounts of every
        /// size (`shift` makes small ones as likely as large ones).
        #[test]
        fn text_is_the_general_formula(pence in proptest::prelude::any::<i128>(), shift in 0u32..128) {
            let pence = pence >> shift;
            let abs = pence.unsigned_abs();
            let sign = if pence < 0 { "-" } else { "" };
            let want = format!("{sign}{}.{:02}", abs / 100, abs % 100);
            let money = Money::from_pence(pence);
            proptest::prop_assert_eq!(&*money.text(), want.as_str());
            let mut out = b"x".to_vec();
            money.push_text(&mut out);
            proptest::prop_assert_eq!(out, format!("x{want}").into_bytes());
        }
    }

    fn pence(text: &str) -> Result<(i128, bool), String> {
        parse_amount_text(text).map(|r| (r.money.pence(), r.rounded))
    }

    #[test]
    fn text_amounts() {
        let cases: &[(&str, i128, bool)] = &[
            ("1234.5", 123450, false),
            ("1234", 123400, false),
            ("£1,234.50", 123450, false),
            ("-1,234.50", -123450, false),
            ("(1,234.50)", -123450, false),
            ("(£1,234.50)", -123450, false),
            ("-£12", -1200, false),
            ("£-12", -1200, false),
            (" 0.01 ", 1, false),
            (".5", 50, false),
            ("0.005", 1, true),
            ("-0.005", -1, true),
            ("1.234", 123, true),
            ("1,000,000.00", 100_000_000, false),
            ("1000000000000", MAX_AMOUNT_PENCE, false),
        ];
        for (text, expected, rounded) in cases {
            assert_eq!(pence(text), Ok((*expected, *rounded)), "{text:?}");
        }
    }

    #[test]
    fn the_fast_path_agrees_with_the_general_one() {
        let cases = [
            "0",
            "7",
            "-7",
            "12.3",
            "-12.30",
            " 33585.12 ",
            "0.01",
            "-0.00",
            "1000000000000",
            "1000000000000.01",
            "9999999999999",
            "1.",
            "-",
            "",
            ".5",
            "1.234",
            "--1",
            "1-",
            "1 2",
            "٣",
            "+1",
            "0x1",
        ];
        for text in cases {
            let general = {
                let s = text.trim();
                // The general path alone: what parse_amount_text gave before the fast path.
                parse_amount_text(&format!("({s})"))
                    .map(|r| -r.money.pence())
                    .ok()
                    .filter(|_| !s.starts_with('-') && !s.is_empty())
            };
            if let Some(fast) = plain_pence(text) {
                let full = parse_amount_text(text).map(|r| r.money.pence());
                assert_eq!(Ok(fast), full, "{text:?}");
                if let Some(g) = general {
                    assert_eq!(fast, g, "{text:?} against the general path");
                }
            }
        }
    }

    #[test]
    fn text_that_is_not_an_amount() {
        for text in [
            "", "abc", "12,34.5x", "1,23", "1.2.3", "--5", "(-5)", "5-", "1e5", "£", ".", "1,2345",
            "NaN", "12 34",
        ] {
            let err = pence(text).expect_err(text);
            assert!(err.contains("is not an amount"), "{text:?}: {err}");
        }
        let err = pence("1000000000000.01").unwrap_err();
        assert!(err.contains("larger than accord accepts"), "{err}");
        let err = pence(&"9".repeat(40)).unwrap_err();
        assert!(err.contains("larger than accord accepts"), "{err}");
    }

    #[test]
    fn float_cells() {
        let cases: &[(f64, i128, bool)] = &[
            (1234.5, 123450, false),
            (1234.1, 123410, false),
            (0.1 + 0.2, 30, false),
            (-30000.0, -3000000, false),
            (0.125, 13, true),
            (-0.125, -13, true),
            (1.0 / 3.0, 33, true),
            (1e-20, 0, false),
            (1234.567, 123457, true),
        ];
        for (value, expected, rounded) in cases {
            let read = amount_from_float(*value).unwrap();
            assert_eq!(
                (read.money.pence(), read.rounded),
                (*expected, *rounded),
                "{value}"
            );
        }
        assert!(amount_from_float(f64::NAN).is_err());
        assert!(amount_from_float(f64::INFINITY).is_err());
        assert!(amount_from_float(1e20).is_err());
    }

    #[test]
    fn grouped_for_people() {
        let cases: &[(i128, &str)] = &[
            (0, "0.00"),
            (123456789, "1,234,567.89"),
            (-100000, "-1,000.00"),
            (99999, "999.99"),
        ];
        for (p, expected) in cases {
            assert_eq!(grouped(Money::from_pence(*p)), *expected, "{p}");
        }
    }

    #[test]
    fn money_prints_with_two_decimals() {
        let cases: &[(i128, &str)] = &[
            (0, "0.00"),
            (1, "0.01"),
            (-1, "-0.01"),
            (123450, "1234.50"),
            (-3000000, "-30000.00"),
        ];
        for (p, expected) in cases {
            assert_eq!(Money::from_pence(*p).to_string(), *expected, "{p}");
        }
    }
}
