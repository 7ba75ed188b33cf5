//! The rules for one ledger line, apart from how lines are parsed: its date gives its financial
//! year, its cost centre its programme (through the book's `cost_centres`), its amount is read
//! by `money::parse_amount_text`, and it is summed in whole pence, set aside as unmapped, or
//! reported as a bad line with its `file:line:column`.

use super::bytes::{iso_date_slot, plain_pence, read_amount, text, trim, BytesMap, ISO_DATE_SLOTS};
use super::{UnmappedLine, UnmappedReason};
use crate::diag::{Diagnostic, Place};
use crate::engine::ExtraActuals;
use crate::model::Book;
use crate::money::Money;
use crate::values::{parse_date_text, Year};

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
/// own, added together at the end of a file. A mapped line adds to its cell and nothing else
/// (the totals of mapped lines are the cells' totals), so that counting it is two additions.
pub(super) struct Sums {
    /// Pence per programme and year, at `programme_index * years.len() + year_index`.
    sums_pence: Vec<i128>,
    /// Lines counted in each cell.
    cell_lines: Vec<usize>,
    /// Lines read and not counted in a cell: unmapped lines, and bad lines whose values are not
    /// all blank.
    other_lines_read: usize,
    amount_unmapped: Money,
}

impl Sums {
    fn new(cells: usize) -> Sums {
        Sums {
            sums_pence: vec![0; cells],
            cell_lines: vec![0; cells],
            other_lines_read: 0,
            amount_unmapped: Money::ZERO,
        }
    }

    pub fn add(&mut self, other: Sums) {
        for (sum, more) in self.sums_pence.iter_mut().zip(other.sums_pence) {
            *sum += more;
        }
        for (lines, more) in self.cell_lines.iter_mut().zip(other.cell_lines) {
            *lines += more;
        }
        self.other_lines_read += other.other_lines_read;
        self.amount_unmapped += other.amount_unmapped;
    }

    /// Counts a mapped line.
    #[inline(always)]
    fn add_mapped(&mut self, cell: usize, pence: i128) {
        self.sums_pence[cell] += pence;
        self.cell_lines[cell] += 1;
    }

    pub fn lines_read(&self) -> usize {
        self.lines_mapped() + self.other_lines_read
    }

    pub fn lines_mapped(&self) -> usize {
        self.cell_lines.iter().sum()
    }

    pub fn amount_read(&self) -> Money {
        self.amount_mapped() + self.amount_unmapped
    }

    pub fn amount_mapped(&self) -> Money {
        Money::from_pence(self.sums_pence.iter().sum())
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
        if let (Some(date), Some(cost_centre), Some(amount)) =
            (fields.date, fields.cost_centre, fields.amount)
        {
            if self.counted_at_once(date, cost_centre, amount) {
                return;
            }
        }
        let date_text = trim(fields.date.unwrap_or_default());
        let amount_text = trim(fields.amount.unwrap_or_default());
        let cost_centre = trim(fields.cost_centre.unwrap_or_default());
        // Nearly every line: a `YYYY-MM-DD` date met before and a plain amount, counted without
        // the general path's messages in waiting.
        if let (Some(year_index), Some(pence)) =
            (self.known_iso_date(date_text), plain_pence(amount_text))
        {
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

    /// Counts a line whose values, as the file holds them, take the form nearly every line
    /// takes: a `YYYY-MM-DD` date met before, in one of the book's years and not after
    /// `actuals_to`; a cost centre the book maps, without spaces around it; a plain amount. Such
    /// values need no trimming (they have no spaces), and the line is mapped. `false`, with
    /// nothing counted, for any other line.
    #[inline(always)]
    fn counted_at_once(&mut self, date: &[u8], cost_centre: &[u8], amount: &[u8]) -> bool {
        let Some(Ok(year_index)) = self.known_iso_date(date) else {
            return false;
        };
        let Some(&programme_index) = self.rules.programme_index_of.get(cost_centre) else {
            return false;
        };
        let Some(pence) = plain_pence(amount) else {
            return false;
        };
        let cell = programme_index * self.rules.years.len() + year_index;
        self.sums.add_mapped(cell, pence);
        true
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
                self.sums.other_lines_read += 1;
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
        let programme_index = self.rules.programme_index_of.get(cost_centre).copied();
        let counted = match (programme_index, year_index) {
            (Some(p), Ok(y)) => Ok((p, y)),
            (None, _) => Err(UnmappedReason::NoProgramme),
            (Some(_), Err(reason)) => Err(reason),
        };
        let (programme_index, year_index) = match counted {
            Ok(cell) => cell,
            Err(reason) => {
                self.sums.other_lines_read += 1;
                self.sums.amount_unmapped += amount;
                self.unmapped(source, line_number, cost_centre, amount, reason);
                return;
            }
        };
        let cell = programme_index * self.rules.years.len() + year_index;
        self.sums.add_mapped(cell, amount.pence());
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
            self.cell_lines,
            self.lines_read(),
            self.amount_read(),
            self.lines_mapped(),
            self.amount_mapped()
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
                if sums.cell_lines[cell] > 0 {
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
mod tests {
    use super::*;

    #[test]
    fn a_date_code_is_what_was_said_of_the_date() {
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
}
