//! The rules for one ledger line, apart from how lines are parsed: its date gives its financial
//! year, its cost centre its programme (through the book's `cost_centres`), its amount is read
//! by `money::parse_amount_text`, and it is summed in whole pence, set aside as unmapped, or
//! reported as a bad line with its `file:line:column`.

use super::{UnmappedLine, UnmappedReason};
use crate::diag::{Diagnostic, Place};
use crate::engine::ExtraActuals;
use crate::model::Book;
use crate::money::{parse_amount_text, Money, ReadAmount, MAX_AMOUNT_PENCE};
use crate::values::{parse_date_text, Year};
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The multiply-and-rotate hash of rustc's `FxHasher`, eight bytes at a time. The maps here are
/// keyed by short texts (dates, cost centres) looked up once per line, a million times a run;
/// SipHash's guard against keys crafted to collide buys nothing against a finance system's
/// export and costs a tenth of the run (and FNV, a byte at a time, a twentieth).
#[derive(Default)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.add(u64::from_le_bytes(word.try_into().expect("eight bytes")));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_u64(&mut self, word: u64) {
        self.add(word);
    }

    fn write_u128(&mut self, words: u128) {
        self.add(words as u64);
        self.add((words >> 64) as u64);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

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
fn text(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// Reads an amount as `money::parse_amount_text` does, with the form nearly every ledger line
/// takes, `-?digits[.d[d]]`, read here straight from the bytes into pence (`plain_pence`).
fn read_amount(bytes: &[u8]) -> Result<ReadAmount, String> {
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
fn plain_pence(bytes: &[u8]) -> Option<i128> {
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

/// How many bad lines are listed one by one; the rest are counted.
pub(super) const LISTED_BAD_LINES: usize = 50;
/// How many amounts rounded to pence are listed one by one; the rest are counted.
pub(super) const LISTED_ROUNDINGS: usize = 50;

/// The file being read: its name as given and the 1-based numbers of its three columns.
pub(super) struct Source {
    pub name: String,
    pub date_column_number: usize,
    pub amount_column_number: usize,
}

/// The date, cost centre and amount of one line as the file holds them, as UTF-8 bytes
/// (`None`: missing).
pub(super) struct LineFields<'a> {
    pub line_number: usize,
    pub date: Option<&'a [u8]>,
    pub cost_centre: Option<&'a [u8]>,
    pub amount: Option<&'a [u8]>,
}

/// What a book says about ledger lines: the programme of each cost centre, the years, and
/// `actuals_to`. Read-only, so that the threads counting blocks share it.
pub(super) struct Rules<'b> {
    /// Keyed by the cost centre's bytes, trimmed.
    programme_index_of: BytesMap<usize>,
    programmes: Vec<&'b str>,
    years: Vec<Year>,
    /// The book's `actuals_to`: lines dated after it are not counted (SPEC §9).
    actuals_to: Option<chrono::NaiveDate>,
}

impl<'b> Rules<'b> {
    pub fn new(book: &'b Book) -> Rules<'b> {
        let mut programmes: Vec<&str> = book.programmes.iter().map(|p| p.code.as_str()).collect();
        programmes.sort_unstable();
        programmes.dedup();
        let mut programme_index_of = BytesMap::default();
        for c in &book.cost_centres {
            if let Ok(index) = programmes.binary_search(&c.programme.as_str()) {
                programme_index_of.insert(c.cost_centre.trim().as_bytes(), index);
            }
        }
        Rules {
            programme_index_of,
            programmes,
            years: book.years.clone(),
            actuals_to: book.settings.actuals_to,
        }
    }

    fn cells(&self) -> usize {
        self.programmes.len() * self.years.len()
    }
}

/// Sums that do not depend on the order lines are counted in: each counting thread keeps its
/// own, added together at the end of a file.
pub(super) struct Sums {
    /// Pence per programme and year, at `programme_index * years.len() + year_index`.
    sums_pence: Vec<i128>,
    has_lines: Vec<bool>,
    pub lines_read: usize,
    pub lines_mapped: usize,
    pub amount_read: Money,
    pub amount_mapped: Money,
}

impl Sums {
    fn new(cells: usize) -> Sums {
        Sums {
            sums_pence: vec![0; cells],
            has_lines: vec![false; cells],
            lines_read: 0,
            lines_mapped: 0,
            amount_read: Money::ZERO,
            amount_mapped: Money::ZERO,
        }
    }

    pub fn add(&mut self, other: Sums) {
        for (sum, more) in self.sums_pence.iter_mut().zip(other.sums_pence) {
            *sum += more;
        }
        for (has, more) in self.has_lines.iter_mut().zip(other.has_lines) {
            *has |= more;
        }
        self.lines_read += other.lines_read;
        self.lines_mapped += other.lines_mapped;
        self.amount_read += other.amount_read;
        self.amount_mapped += other.amount_mapped;
    }
}

/// What one block's lines leave that is listed in line order: its unmapped lines, its bad
/// lines' problems and its rounding warnings (each list capped at what a run lists, the rest
/// counted).
#[derive(Default)]
pub(super) struct Listed {
    pub unmapped: Vec<UnmappedLine>,
    bad_lines: Vec<Vec<Diagnostic>>,
    bad_lines_unlisted: usize,
    roundings: Vec<Diagnostic>,
    roundings_unlisted: usize,
}

/// Counts lines, block by block, on one thread: the rules of the book, the dates met so far,
/// its sums, and the current block's findings.
pub(super) struct Counter<'r, 'b> {
    rules: &'r Rules<'b>,
    /// Each date text met so far, and the index in `years` of its financial year (`Err`:
    /// why the line's date does not count), or why it is not a date.
    year_index_of_date_text: BytesMap<Result<Result<usize, UnmappedReason>, String>>,
    /// The same answers for dates written `YYYY-MM-DD`, by [`iso_date_slot`]: a byte each (0: not
    /// met yet, else [`DateCode`]), so that the dates of a ledger take a few kilobytes of cache
    /// and a look-up is one load. Bad dates are not kept here; the map has them.
    date_codes: Vec<u8>,
    pub sums: Sums,
    listed: Listed,
}

impl<'r, 'b> Counter<'r, 'b> {
    pub fn new(rules: &'r Rules<'b>) -> Counter<'r, 'b> {
        Counter {
            rules,
            year_index_of_date_text: BytesMap::default(),
            date_codes: Vec::new(),
            sums: Sums::new(rules.cells()),
            listed: Listed::default(),
        }
    }

    /// The findings of the lines counted since the last call, in line order.
    pub fn take_listed(&mut self) -> Listed {
        std::mem::take(&mut self.listed)
    }

    /// Counts one line of `source`. When its date, cost centre and amount are all blank, the
    /// line is skipped if `row_is_blank` says the whole line is, and is a bad line if not.
    pub fn line(
        &mut self,
        source: &Source,
        fields: &LineFields,
        row_is_blank: impl FnOnce() -> bool,
    ) {
        let date_text = trim(fields.date.unwrap_or_default());
        let amount_text = trim(fields.amount.unwrap_or_default());
        let cost_centre = trim(fields.cost_centre.unwrap_or_default());
        // Nearly every line: a `YYYY-MM-DD` date met before and a plain amount, counted without
        // the general path's messages in waiting.
        if let (Some(year_index), Some(pence)) =
            (self.known_iso_date(date_text), plain_pence(amount_text))
        {
            self.sums.lines_read += 1;
            let amount = Money::from_pence(pence);
            self.count(source, fields.line_number, cost_centre, year_index, amount);
            return;
        }
        self.line_in_general(
            source,
            fields.line_number,
            [date_text, amount_text, cost_centre],
            row_is_blank,
        );
    }

    /// [`Counter::line`] for any line: blank values, dates not met yet, amounts of any form,
    /// and the messages of bad lines and roundings (kept apart so that the common line's code
    /// stays small).
    #[inline(never)]
    fn line_in_general(
        &mut self,
        source: &Source,
        line_number: usize,
        [date_text, amount_text, cost_centre]: [&[u8]; 3],
        row_is_blank: impl FnOnce() -> bool,
    ) {
        if date_text.is_empty() && amount_text.is_empty() && cost_centre.is_empty() {
            if !row_is_blank() {
                let place = Place::Csv {
                    file: source.name.clone().into(),
                    line_number,
                    column_number: Some(source.date_column_number),
                };
                self.bad_line(vec![Diagnostic::error(
                    place,
                    "the line has no date, cost centre or amount; fill them in, or delete it",
                )]);
            }
            return;
        }
        self.sums.lines_read += 1;
        let year_index = self.year_index_of(date_text);
        let amount = if amount_text.is_empty() {
            Err("the amount is blank; every ledger line needs one, like 1234.50".to_string())
        } else {
            read_amount(amount_text)
        };
        let place = |column_number| Place::Csv {
            file: source.name.clone().into(),
            line_number,
            column_number: Some(column_number),
        };
        let (year_index, amount) = match (year_index, amount) {
            (Ok(year_index), Ok(amount)) => (year_index, amount),
            (year_index, amount) => {
                let mut problems = Vec::new();
                if let Err(message) = year_index {
                    problems.push(Diagnostic::error(place(source.date_column_number), message));
                }
                if let Err(message) = amount {
                    problems.push(Diagnostic::error(
                        place(source.amount_column_number),
                        message,
                    ));
                }
                self.bad_line(problems);
                return;
            }
        };
        if amount.rounded {
            if self.listed.roundings.len() < LISTED_ROUNDINGS {
                self.listed.roundings.push(Diagnostic::warning(
                    place(source.amount_column_number),
                    format!(
                        "{:?} is not a whole number of pence; rounded half-up to {}",
                        &*text(amount_text),
                        amount.money
                    ),
                ));
            } else {
                self.listed.roundings_unlisted += 1;
            }
        }
        self.count(source, line_number, cost_centre, year_index, amount.money);
    }

    /// Adds a line whose date and amount could be read: to its programme and year, or to the
    /// unmapped lines.
    #[inline]
    fn count(
        &mut self,
        source: &Source,
        line_number: usize,
        cost_centre: &[u8],
        year_index: Result<usize, UnmappedReason>,
        amount: Money,
    ) {
        let sums = &mut self.sums;
        sums.amount_read += amount;
        let programme_index = self.rules.programme_index_of.get(cost_centre).copied();
        let counted = match (programme_index, year_index) {
            (Some(p), Ok(y)) => Ok((p, y)),
            (None, _) => Err(UnmappedReason::NoProgramme),
            (Some(_), Err(reason)) => Err(reason),
        };
        let (programme_index, year_index) = match counted {
            Ok(cell) => cell,
            Err(reason) => {
                self.unmapped(source, line_number, cost_centre, amount, reason);
                return;
            }
        };
        let cell = programme_index * self.rules.years.len() + year_index;
        sums.sums_pence[cell] += amount.pence();
        sums.has_lines[cell] = true;
        sums.lines_mapped += 1;
        sums.amount_mapped += amount;
    }

    /// Lists a line that is not counted.
    #[cold]
    fn unmapped(
        &mut self,
        source: &Source,
        line_number: usize,
        cost_centre: &[u8],
        amount: Money,
        reason: UnmappedReason,
    ) {
        self.listed.unmapped.push(UnmappedLine {
            source: source.name.clone(),
            line_number,
            cost_centre: text(cost_centre).into_owned(),
            amount,
            reason,
        });
    }

    /// Records a bad line: its problems are kept while fewer than fifty lines of the block are.
    pub fn bad_line(&mut self, problems: Vec<Diagnostic>) {
        if self.listed.bad_lines.len() < LISTED_BAD_LINES {
            self.listed.bad_lines.push(problems);
        } else {
            self.listed.bad_lines_unlisted += 1;
        }
    }

    /// The index in `years` of the financial year of a date, or why a line of that date is not
    /// counted (outside the book's years, or after `actuals_to`).
    fn year_index_of(&mut self, date_text: &[u8]) -> Result<Result<usize, UnmappedReason>, String> {
        let Some(slot) = iso_date_slot(date_text) else {
            return self.year_index_of_text(date_text);
        };
        if self.date_codes.is_empty() {
            self.date_codes = vec![0; ISO_DATE_SLOTS];
        }
        if let Some(known) = DateCode::read(self.date_codes[slot]) {
            return Ok(known);
        }
        let year_index = self.year_index_of_text(date_text);
        if let Ok(known) = &year_index {
            self.date_codes[slot] = DateCode::write(*known);
        }
        year_index
    }

    /// What [`Counter::year_index_of`] said of a `YYYY-MM-DD` date it has met (`None`: any other
    /// date, or one not met yet).
    #[inline(always)]
    fn known_iso_date(&self, date_text: &[u8]) -> Option<Result<usize, UnmappedReason>> {
        let code = *self.date_codes.get(iso_date_slot(date_text)?)?;
        DateCode::read(code)
    }

    /// [`Counter::year_index_of`] for any text, through the map of the texts met so far.
    fn year_index_of_text(
        &mut self,
        date_text: &[u8],
    ) -> Result<Result<usize, UnmappedReason>, String> {
        if date_text.is_empty() {
            return Err("the date is blank; every ledger line needs one, like 2012-04-01".into());
        }
        if let Some(known) = self.year_index_of_date_text.get(date_text) {
            return known.clone();
        }
        let year_index = parse_date_text(&text(date_text)).map(|date| {
            let year = Year::of_date(date);
            match self.rules.years.iter().position(|y| *y == year) {
                None => Err(UnmappedReason::OutsideYears),
                Some(_) if self.rules.actuals_to.is_some_and(|to| date > to) => {
                    Err(UnmappedReason::AfterActualsTo)
                }
                Some(index) => Ok(index),
            }
        });
        self.year_index_of_date_text
            .insert(date_text, year_index.clone());
        year_index
    }
}

/// The first year [`iso_date_slot`] gives a slot to, and how many slots there are (years 1900
/// to 2155, twelve months of 31 days each).
const ISO_FIRST_YEAR: usize = 1900;
const ISO_DATE_SLOTS: usize = 256 * 12 * 31;

/// A slot of its own for each text `YYYY-MM-DD` of a year from 1900 to 2155, a month 01 to 12
/// and a day 01 to 31 (whether or not the day is in the month: the slot only remembers what the
/// date rules said of that text); `None` for any other text.
#[inline(always)]
fn iso_date_slot(text: &[u8]) -> Option<usize> {
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

/// What [`Counter::year_index_of`] said of a date, in a byte: 1 + the year's index, or one of
/// the two reasons a date is not counted (0: not known).
struct DateCode;

impl DateCode {
    const OUTSIDE_YEARS: u8 = 255;
    const AFTER_ACTUALS_TO: u8 = 254;

    fn read(code: u8) -> Option<Result<usize, UnmappedReason>> {
        match code {
            0 => None,
            Self::OUTSIDE_YEARS => Some(Err(UnmappedReason::OutsideYears)),
            Self::AFTER_ACTUALS_TO => Some(Err(UnmappedReason::AfterActualsTo)),
            code => Some(Ok(usize::from(code) - 1)),
        }
    }

    /// The code of an answer (0, not kept, for a year index too large for a byte).
    fn write(known: Result<usize, UnmappedReason>) -> u8 {
        match known {
            Ok(index) if index < usize::from(Self::AFTER_ACTUALS_TO) - 1 => index as u8 + 1,
            Ok(_) | Err(UnmappedReason::NoProgramme) => 0,
            Err(UnmappedReason::OutsideYears) => Self::OUTSIDE_YEARS,
            Err(UnmappedReason::AfterActualsTo) => Self::AFTER_ACTUALS_TO,
        }
    }
}

#[cfg(test)]
impl Listed {
    /// Everything listed, as text, for tests that compare two readings.
    pub fn shown(&self) -> Vec<String> {
        let mut shown: Vec<String> = self.unmapped.iter().map(|u| format!("{u:?}")).collect();
        shown.extend(self.bad_lines.iter().flatten().map(|d| format!("bad {d}")));
        shown.extend(self.roundings.iter().map(|d| format!("rounded {d}")));
        shown.push(format!(
            "{} bad lines and {} roundings unlisted",
            self.bad_lines_unlisted, self.roundings_unlisted
        ));
        shown
    }
}

#[cfg(test)]
impl Sums {
    /// The sums, as text, for tests that compare two readings.
    pub fn shown(&self) -> String {
        format!(
            "{:?} {:?} read {} ({}) mapped {} ({})",
            self.sums_pence,
            self.has_lines,
            self.lines_read,
            self.amount_read,
            self.lines_mapped,
            self.amount_mapped
        )
    }
}

/// Sums and findings over every ledger file of a run.
pub(super) struct Tally<'b> {
    pub rules: Rules<'b>,
    pub sums: Sums,
    pub found: Found,
}

impl<'b> Tally<'b> {
    pub fn new(book: &'b Book) -> Tally<'b> {
        let rules = Rules::new(book);
        let sums = Sums::new(rules.cells());
        Tally {
            rules,
            sums,
            found: Found {
                unmapped: Vec::new(),
                errors: Vec::new(),
                warnings: Vec::new(),
                bad_lines: crate::text::Capped::new(LISTED_BAD_LINES),
                roundings: crate::text::Capped::new(LISTED_ROUNDINGS),
            },
        }
    }

    /// The mapped lines' sums per financial year and programme (only where a line was mapped).
    pub fn actuals(&self) -> ExtraActuals {
        let (rules, sums) = (&self.rules, &self.sums);
        let mut actuals = ExtraActuals::new();
        for (p, programme) in rules.programmes.iter().enumerate() {
            for (y, year) in rules.years.iter().enumerate() {
                let cell = p * rules.years.len() + y;
                if sums.has_lines[cell] {
                    let sum = Money::from_pence(sums.sums_pence[cell]);
                    actuals.insert((*year, programme.to_string()), sum);
                }
            }
        }
        actuals
    }
}

/// What the lines of a run leave that is listed, in file order, then line order.
pub(super) struct Found {
    pub unmapped: Vec<UnmappedLine>,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Bad lines: the first ones listed; those past them counted, in the current file.
    pub bad_lines: crate::text::Capped,
    /// Amounts rounded to pence: likewise.
    pub roundings: crate::text::Capped,
}

impl Found {
    /// Adds the findings of the next block of a file: listed while fewer than fifty of their
    /// kind are listed, the rest counted.
    pub fn add(&mut self, listed: Listed) {
        self.unmapped.extend(listed.unmapped);
        for problems in listed.bad_lines {
            if self.bad_lines.admit() {
                self.errors.extend(problems);
            }
        }
        // A block counts lines only past the fifty it lists, so these are past the file's.
        self.bad_lines.unlisted += listed.bad_lines_unlisted;
        for warning in listed.roundings {
            if self.roundings.admit() {
                self.warnings.push(warning);
            }
        }
        self.roundings.unlisted += listed.roundings_unlisted;
    }
}

#[cfg(test)]
mod bytes_map_tests {
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
        for code in [
            Ok(0),
            Ok(252),
            Err(UnmappedReason::OutsideYears),
            Err(UnmappedReason::AfterActualsTo),
        ] {
            assert_eq!(DateCode::read(DateCode::write(code)), Some(code));
        }
        assert_eq!(DateCode::write(Ok(253)), 0);
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
