//! The byte-level readers the ledger's counting is built on: a fast hash map keyed by a value's
//! bytes, trimming, the plain form of an amount read straight into pence, and a slot for each
//! `YYYY-MM-DD` date text. Each gives what the general path (`str::trim`,
//! `money::parse_amount_text`, the date rules) gives for the same text.

use crate::fx_hash::FxMap;
use crate::money::{parse_amount_text, Money, ReadAmount, MAX_AMOUNT_PENCE};
use std::borrow::Cow;

/// A map keyed by the bytes of a value as the file holds them. A key of up to fifteen bytes
/// (every date, and the cost centres of most ledgers) is looked up as one 128-bit number, its
/// bytes and its length, in a table of its own (open addressing, at most half full), so that a
/// look-up is a multiply, a compare of two words and rarely a second probe, not a `memcmp`
/// behind a general hash map's probing (half the cost of a ledger line's look-ups, measured).
pub(super) struct BytesMap<V> {
    /// The short keys as [`BytesMap::short_key`] numbers with [`OCCUPIED`] set (0: a free slot),
    /// at the slot their hash gives or the first free one after it; a power of two long.
    short_keys: Vec<u128>,
    /// The value of the key in the same slot of `short_keys`.
    short_values: Vec<Option<V>>,
    short_len: usize,
    long: FxMap<Box<[u8]>, V>,
}

/// The bit that marks a slot of [`BytesMap`]'s table as taken: a short key's top byte is its
/// length, under sixteen, so no key has it set of itself.
const OCCUPIED: u128 = 1 << 127;

impl<V> Default for BytesMap<V> {
    fn default() -> Self {
        BytesMap {
            short_keys: Vec::new(),
            short_values: Vec::new(),
            short_len: 0,
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

    /// The slot a short key's search starts at, in a table of `slots` (a power of two).
    #[inline]
    fn home_slot(key: u128, slots: usize) -> usize {
        let mixed =
            (key as u64 ^ ((key >> 64) as u64).rotate_left(31)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (mixed >> 32) as usize & (slots - 1)
    }

    /// The slot of `key` in the short table, or the free slot where it would go.
    #[inline]
    fn slot_of(&self, key: u128) -> usize {
        let slots = self.short_keys.len();
        let mut at = Self::home_slot(key, slots);
        loop {
            let here = self.short_keys[at];
            if here == key | OCCUPIED || here == 0 {
                return at;
            }
            at = (at + 1) & (slots - 1);
        }
    }

    #[inline(always)]
    pub fn get(&self, bytes: &[u8]) -> Option<&V> {
        match Self::short_key(bytes) {
            Some(_) if self.short_len == 0 => None,
            Some(key) => self.short_values[self.slot_of(key)].as_ref(),
            None => self.get_long(bytes),
        }
    }

    /// [`BytesMap::get`] for a key of sixteen bytes or more, kept out of the common look-up so
    /// that it stays small enough to be inlined where a line is counted.
    #[cold]
    #[inline(never)]
    fn get_long(&self, bytes: &[u8]) -> Option<&V> {
        self.long.get(bytes)
    }

    /// Inserts or replaces the value of `bytes`.
    pub fn insert(&mut self, bytes: &[u8], value: V) {
        let Some(key) = Self::short_key(bytes) else {
            self.long.insert(bytes.into(), value);
            return;
        };
        if (self.short_len + 1) * 2 > self.short_keys.len() {
            self.grow();
        }
        let at = self.slot_of(key);
        if self.short_keys[at] == 0 {
            self.short_keys[at] = key | OCCUPIED;
            self.short_len += 1;
        }
        self.short_values[at] = Some(value);
    }

    /// Doubles the short table (to sixteen slots at first), putting each key in its new slot.
    fn grow(&mut self) {
        let slots = (self.short_keys.len() * 2).max(16);
        let keys = std::mem::replace(&mut self.short_keys, vec![0; slots]);
        let values = std::mem::take(&mut self.short_values);
        self.short_values = (0..slots).map(|_| None).collect();
        for (key, value) in keys.into_iter().zip(values) {
            if key != 0 {
                let at = self.slot_of(key & !OCCUPIED);
                self.short_keys[at] = key;
                self.short_values[at] = value;
            }
        }
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
#[inline(always)]
pub(super) fn plain_pence(bytes: &[u8]) -> Option<i128> {
    let (negative, unsigned) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let digit = |byte: u8| Some(u64::from(byte.wrapping_sub(b'0'))).filter(|&d| d <= 9);
    // The whole digits (a fourteenth is past the form), then what follows them.
    let mut whole = 0u64;
    let mut whole_digits = 0;
    for &byte in unsigned.iter().take(14) {
        let Some(d) = digit(byte) else { break };
        whole = whole * 10 + d;
        whole_digits += 1;
    }
    if whole_digits == 0 || whole_digits > 13 {
        return None; // `.5`, `-`, too many digits
    }
    let pence = match unsigned[whole_digits..] {
        [] => whole * 100,
        [b'.', tenths] => whole * 100 + digit(tenths)? * 10,
        [b'.', tenths, hundredths] => whole * 100 + digit(tenths)? * 10 + digit(hundredths)?,
        _ => return None, // `12.`, `1.234`, `1,234`, `1a`
    };
    let pence = i128::from(pence);
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
/// date rules said of that text); `None` for any other text. Once a line: the eight digits are
/// checked and read as one word, two at a time.
#[inline(always)]
pub(super) fn iso_date_slot(text: &[u8]) -> Option<usize> {
    let &[y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = text else {
        return None;
    };
    let digits = u64::from_le_bytes([y1, y2, y3, y4, m1, m2, d1, d2]);
    // Each byte a digit: its high half 3, and still 3 with 6 added (no byte carries into the
    // next: each is at most 0x3F before, 0x45 after).
    const HIGH_HALVES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const THREES: u64 = 0x3030_3030_3030_3030;
    if digits & HIGH_HALVES != THREES
        || digits.wrapping_add(0x0606_0606_0606_0606) & HIGH_HALVES != THREES
    {
        return None;
    }
    // Each byte its digit (0 to 9), then each pair of bytes ten times the first plus the second,
    // in the low byte of its sixteen bits: the century, the year in it, the month and the day.
    let values = digits - THREES;
    let pairs = (values * 10 + (values >> 8)) & 0x00FF_00FF_00FF_00FF;
    let pair = |index: u32| (pairs >> (16 * index)) as usize & 0xFF;
    let year = pair(0) * 100 + pair(1);
    let (month, day) = (pair(2), pair(3));
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

    /// The slot as the date rules read a `YYYY-MM-DD` text, a character at a time.
    fn slot_by_characters(text: &str) -> Option<usize> {
        let parts: Vec<&str> = text.split('-').collect();
        let number = |part: &str, len: usize| {
            (part.len() == len && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse::<usize>().expect("digits"))
        };
        let [year, month, day] = parts.as_slice() else {
            return None;
        };
        let (year, month, day) = (number(year, 4)?, number(month, 2)?, number(day, 2)?);
        let fits = (ISO_FIRST_YEAR..ISO_FIRST_YEAR + 256).contains(&year)
            && (1..=12).contains(&month)
            && (1..=31).contains(&day);
        fits.then(|| ((year - ISO_FIRST_YEAR) * 12 + month - 1) * 31 + day - 1)
    }

    proptest::proptest! {
        #[test]
        fn a_plain_amount_is_what_the_money_module_reads(
            text in "-?[0-9]{0,15}[.]?[0-9]{0,3}|-?[0-9.,a ]{0,17}"
        ) {
            if let Some(pence) = plain_pence(text.as_bytes()) {
                proptest::prop_assert_eq!(
                    parse_amount_text(&text).map(|a| (a.money, a.rounded)),
                    Ok((Money::from_pence(pence), false)),
                    "{:?}", text
                );
            }
            proptest::prop_assert_eq!(read_amount(text.as_bytes()), parse_amount_text(&text));
        }

        #[test]
        fn a_date_slot_is_the_dates_characters_read_one_by_one(
            text in "[0-9/:-]{10}|[12][0-9]{3}-[01][0-9]-[0-3][0-9]"
        ) {
            proptest::prop_assert_eq!(iso_date_slot(text.as_bytes()), slot_by_characters(&text));
        }

        #[test]
        fn a_bytes_map_holds_what_a_hash_map_holds(
            entries in proptest::collection::vec(("[a-c]{0,18}", 0..9usize), 0..120),
            looked_up in proptest::collection::vec("[a-c]{0,18}", 0..40),
        ) {
            let mut map = BytesMap::default();
            let mut expected = std::collections::HashMap::new();
            for (key, value) in &entries {
                map.insert(key.as_bytes(), *value);
                expected.insert(key.clone(), *value);
            }
            for key in expected.keys().chain(&looked_up) {
                proptest::prop_assert_eq!(map.get(key.as_bytes()), expected.get(key), "{:?}", key);
            }
        }
    }
}
