//! The byte-level readers the ledger's counting is built on: a fast hash map keyed by a value's
//! bytes, trimming, the plain form of an amount read straight into pence, and a slot for each
//! `YYYY-MM-DD` date text. Each gives what the general path (`str::trim`,
//! `money::parse_amount_text`, the date rules) gives for the same text.

use crate::fx_hash::FxMap;
use crate::money::{parse_amount_text, Money, ReadAmount, MAX_AMOUNT_PENCE};
use std::borrow::Cow;

/// A map keyed by the bytes of a value as the file holds them. A key of up to fifteen bytes
/// (every date, and the cost centres of most ledgers) is looked up as one 128-bit number, its
/// bytes and its length, so that a look-up is two multiplies and one compare, not a `memcmp`.
pub(super) struct BytesMap<V> {
    short: FxMap<u128, V>,
    long: FxMap<Box<[u8]>, V>,
}

impl<V> Default for BytesMap<V> {
    fn default() -> Self {
        BytesMap {
            short: FxMap::default(),
            long: FxMap::default(),
        }
    }
}

impl<V> BytesMap<V> {
    /// The bytes of a key shorter than sixteen bytes as a little-endian number, its length in
    /// the top byte. Read as two overlapping words (or halves), not copied into an array byte
    /// by byte: loading a word just stored a byte at a time stalls the core.
    #[inline]
    fn short_key(bytes: &[u8]) -> Option<u128> {
        let len = bytes.len();
        let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8"));
        let half =
            |at: usize| u64::from(u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4")));
        let (low, high) = match len {
            16.. => return None,
            8.. => (
                word(0),
                word(len - 8)
                    .checked_shr(8 * (16 - len) as u32)
                    .unwrap_or(0),
            ),
            4.. => (half(0) | (half(len - 4) >> (8 * (8 - len))) << 32, 0),
            _ => (
                bytes
                    .iter()
                    .rev()
                    .fold(0, |key, &b| key << 8 | u64::from(b)),
                0,
            ),
        };
        Some(u128::from(low) | u128::from(high | (len as u64) << 56) << 64)
    }

    pub fn get(&self, bytes: &[u8]) -> Option<&V> {
        match Self::short_key(bytes) {
            Some(key) => self.short.get(&key),
            None => self.long.get(bytes),
        }
    }

    /// Inserts or replaces the value of `bytes`.
    pub fn insert(&mut self, bytes: &[u8], value: V) {
        match Self::short_key(bytes) {
            Some(key) => self.short.insert(key, value),
            None => self.long.insert(bytes.into(), value),
        };
    }
}

/// `bytes` without the spaces around them, as `str::trim` takes them off the same text: only
/// looked at closely when the first or the last byte is not a visible ASCII character (a
/// value's bytes are UTF-8, cut at commas and line ends, so they are whole characters).
#[inline]
pub(super) fn trim(bytes: &[u8]) -> &[u8] {
    let visible = |byte: Option<&u8>| byte.is_some_and(|b| (b'!'..=b'~').contains(b));
    if visible(bytes.first()) && visible(bytes.last()) {
        return bytes;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.trim().as_bytes(),
        // Not reached: blocks are UTF-8 (a test may hand over other bytes).
        Err(_) => bytes.trim_ascii(),
    }
}

/// A value's bytes as text (blocks are UTF-8, so this borrows).
pub(super) fn text(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// Reads an amount as `money::parse_amount_text` does, with the form nearly every ledger line
/// takes, `-?digits[.d[d]]`, read here straight from the bytes into pence (`plain_pence`).
pub(super) fn read_amount(bytes: &[u8]) -> Result<ReadAmount, String> {
    match plain_pence(bytes) {
        Some(pence) => Ok(ReadAmount {
            money: Money::from_pence(pence),
            rounded: false,
        }),
        None => parse_amount_text(&text(bytes)),
    }
}

/// The pence of a trimmed amount of the form `-?digits[.d[d]]` (at most thirteen whole digits,
/// within `MAX_AMOUNT_PENCE`), the same form and value as the first step of
/// `money::parse_amount_text`; `None` for anything else, which that function reads (or refuses).
#[inline]
pub(super) fn plain_pence(bytes: &[u8]) -> Option<i128> {
    let (negative, unsigned) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    // One pass: the digits into pence, counting those before and after the first dot.
    let (mut pence, mut whole, mut fraction, mut dot) = (0u64, 0usize, 0usize, false);
    for &byte in unsigned {
        let digit = byte.wrapping_sub(b'0');
        if digit <= 9 {
            pence = pence * 10 + u64::from(digit);
            if dot {
                fraction += 1;
            } else {
                whole += 1;
            }
            if whole + fraction > 15 {
                return None; // more digits than the form allows (and than a u64 holds)
            }
        } else if byte == b'.' && !dot {
            dot = true;
        } else {
            return None;
        }
    }
    if whole == 0 || whole > 13 || fraction > 2 || (dot && fraction == 0) {
        return None; // `.5`, `12.`, too many digits
    }
    let pence = i128::from(pence * [100, 10, 1][fraction]);
    if pence > MAX_AMOUNT_PENCE {
        return None;
    }
    Some(if negative { -pence } else { pence })
}

/// The first year [`iso_date_slot`] gives a slot to, and how many slots there are (years 1900
/// to 2155, twelve months of 31 days each).
pub(super) const ISO_FIRST_YEAR: usize = 1900;
pub(super) const ISO_DATE_SLOTS: usize = 256 * 12 * 31;

/// A slot of its own for each text `YYYY-MM-DD` of a year from 1900 to 2155, a month 01 to 12
/// and a day 01 to 31 (whether or not the day is in the month: the slot only remembers what the
/// date rules said of that text); `None` for any other text.
#[inline(always)]
pub(super) fn iso_date_slot(text: &[u8]) -> Option<usize> {
    let &[y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = text else {
        return None;
    };
    let mut digits = [y1, y2, y3, y4, m1, m2, d1, d2];
    for digit in &mut digits {
        *digit = digit.wrapping_sub(b'0');
        if *digit > 9 {
            return None;
        }
    }
    let [y1, y2, y3, y4, m1, m2, d1, d2] = digits.map(usize::from);
    let year = y1 * 1000 + y2 * 100 + y3 * 10 + y4;
    let (month, day) = (m1 * 10 + m2, d1 * 10 + d2);
    if !(ISO_FIRST_YEAR..ISO_FIRST_YEAR + 256).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
    {
        return None;
    }
    Some(((year - ISO_FIRST_YEAR) * 12 + month - 1) * 31 + day - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key as the bytes copied into an array, its length in the last byte.
    fn copied_key(bytes: &[u8]) -> u128 {
        let mut key = [0u8; 16];
        key[..bytes.len()].copy_from_slice(bytes);
        key[15] = bytes.len() as u8;
        u128::from_le_bytes(key)
    }

    #[test]
    fn a_short_key_is_its_bytes_and_its_length() {
        let bytes: Vec<u8> = (1..=20).map(|b| b * 13).collect();
        for len in 0..=20 {
            let key = BytesMap::<()>::short_key(&bytes[..len]);
            assert_eq!(key, (len < 16).then(|| copied_key(&bytes[..len])), "{len}");
        }
        let mut map = BytesMap::default();
        for (index, key) in [
            "",
            "a",
            "a\0",
            "2012-04-01",
            "CC001",
            "a cost centre of many bytes",
        ]
        .into_iter()
        .enumerate()
        {
            map.insert(key.as_bytes(), index);
        }
        assert_eq!(map.get(b"a\0"), Some(&2));
        assert_eq!(map.get(b"a cost centre of many bytes"), Some(&5));
        assert_eq!(map.get(b"2012-04-02"), None);
    }

    #[test]
    fn each_iso_date_text_has_its_own_slot() {
        let cases: &[(&str, Option<usize>)] = &[
            ("1900-01-01", Some(0)),
            ("1900-01-31", Some(30)),
            ("1900-02-01", Some(31)),
            ("1901-01-01", Some(372)),
            ("2155-12-31", Some(ISO_DATE_SLOTS - 1)),
            ("2156-01-01", None),
            ("1899-12-31", None),
            ("2012-00-01", None),
            ("2012-13-01", None),
            ("2012-04-00", None),
            ("2012-04-32", None),
            ("2012-4-01", None),
            ("2012/04/01", None),
            ("2012-04-0a", None),
            ("02012-04-01", None),
        ];
        for (text, slot) in cases {
            assert_eq!(iso_date_slot(text.as_bytes()), *slot, "{text}");
        }
    }

    #[test]
    fn trimming_bytes_is_trimming_their_text() {
        for text in [
            "",
            " ",
            "a",
            " a ",
            "\ta b\r",
            "\u{a0}x\u{3000}",
            "é ",
            "x\u{85}",
        ] {
            assert_eq!(trim(text.as_bytes()), text.trim().as_bytes(), "{text:?}");
        }
    }

    #[test]
    fn plain_amounts_read_as_the_money_module_reads_them() {
        let cases = [
            "0",
            "1",
            "-1",
            "12.3",
            "12.34",
            "-0.00",
            "12.",
            ".5",
            "1.234",
            "1,234.50",
            "9999999999999.99",
            "1000000000000.00",
            "999999999999.99",
            "12345678901234",
            "+5",
            "--5",
            "-",
            "1.2.3",
            "1a",
            "£5",
            "(2.50)",
        ];
        for text in cases {
            let fast = plain_pence(text.as_bytes());
            let general = parse_amount_text(text);
            match fast {
                Some(pence) => assert_eq!(
                    general.map(|a| (a.money, a.rounded)),
                    Ok((Money::from_pence(pence), false)),
                    "{text}"
                ),
                None => assert_eq!(read_amount(text.as_bytes()), general, "{text}"),
            }
        }
    }
}
