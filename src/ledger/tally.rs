//! The rules for one ledger line, apart from how lines are parsed: its date gives its financial
//! year, its cost centre its programme (through the book's `cost_centres`), its amount is read
//! by `money::parse_amount_text`, and it is summed in whole pence, set aside as unmapped, or
//! reported as a bad line with its `file:line:column`.

use super::{UnmappedLine, UnmappedReason};
use crate::diag::{Diagnostic, Place};
use crate::engine::ExtraActuals;
use crate::model::Book;
use crate::money::{parse_amount_text, Money};
use crate::values::{parse_date_text, Year};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a. The maps here are keyed by short texts (dates, cost centres) looked up once per line,
/// a million times a run; SipHash's guard against keys crafted to collide buys nothing against
/// a finance system's export and costs a tenth of the run.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

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

/// The date, cost centre and amount of one line as the file holds them (`None`: missing).
pub(super) struct LineFields<'a> {
    pub line_number: usize,
    pub date: Option<&'a str>,
    pub cost_centre: Option<&'a str>,
    pub amount: Option<&'a str>,
}

/// Sums and findings over every ledger file of a run.
pub(super) struct Tally<'b> {
    programme_index_of: FnvMap<&'b str, usize>,
    programmes: Vec<&'b str>,
    years: Vec<Year>,
    /// The book's `actuals_to`: lines dated after it are not counted (SPEC §9).
    actuals_to: Option<chrono::NaiveDate>,
    /// Pence per programme and year, at `programme_index * years.len() + year_index`.
    sums_pence: Vec<i128>,
    has_lines: Vec<bool>,
    /// Each date text met so far, and the index in `years` of its financial year (`Err`:
    /// why the line's date does not count), or why it is not a date.
    year_index_of_date_text: FnvMap<Box<str>, Result<Result<usize, UnmappedReason>, String>>,
    pub unmapped: Vec<UnmappedLine>,
    pub lines_read: usize,
    pub lines_mapped: usize,
    pub amount_read: Money,
    pub amount_mapped: Money,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Bad lines: the first ones listed; those past them counted, in the current file.
    pub bad_lines: crate::text::Capped,
    /// Amounts rounded to pence: likewise.
    pub roundings: crate::text::Capped,
}

impl<'b> Tally<'b> {
    pub fn new(book: &'b Book) -> Tally<'b> {
        let mut programmes: Vec<&str> = book.programmes.iter().map(|p| p.code.as_str()).collect();
        programmes.sort_unstable();
        programmes.dedup();
        let programme_index_of = book
            .cost_centres
            .iter()
            .filter_map(|c| {
                let index = programmes.binary_search(&c.programme.as_str()).ok()?;
                Some((c.cost_centre.trim(), index))
            })
            .collect::<FnvMap<_, _>>();
        let years = book.years.clone();
        let cells = programmes.len() * years.len();
        Tally {
            programme_index_of,
            programmes,
            years,
            actuals_to: book.settings.actuals_to,
            sums_pence: vec![0; cells],
            has_lines: vec![false; cells],
            year_index_of_date_text: FnvMap::default(),
            unmapped: Vec::new(),
            lines_read: 0,
            lines_mapped: 0,
            amount_read: Money::ZERO,
            amount_mapped: Money::ZERO,
            errors: Vec::new(),
            warnings: Vec::new(),
            bad_lines: crate::text::Capped::new(LISTED_BAD_LINES),
            roundings: crate::text::Capped::new(LISTED_ROUNDINGS),
        }
    }

    /// Counts one line of `source`. When its date, cost centre and amount are all blank, the
    /// line is skipped if `row_is_blank` says the whole line is, and is a bad line if not.
    pub fn line(
        &mut self,
        source: &Source,
        fields: &LineFields,
        row_is_blank: impl FnOnce() -> bool,
    ) {
        let date_text = fields.date.unwrap_or("").trim();
        let amount_text = fields.amount.unwrap_or("").trim();
        let cost_centre = fields.cost_centre.unwrap_or("").trim();
        if date_text.is_empty() && amount_text.is_empty() && cost_centre.is_empty() {
            if !row_is_blank() {
                let place = Place::Csv {
                    file: source.name.clone().into(),
                    line_number: fields.line_number,
                    column_number: Some(source.date_column_number),
                };
                self.bad_line(vec![Diagnostic::error(
                    place,
                    "the line has no date, cost centre or amount; fill them in, or delete it",
                )]);
            }
            return;
        }
        self.lines_read += 1;
        let year_index = self.year_index_of(date_text);
        let amount = if amount_text.is_empty() {
            Err("the amount is blank; every ledger line needs one, like 1234.50".to_string())
        } else {
            parse_amount_text(amount_text)
        };
        let place = |column_number| Place::Csv {
            file: source.name.clone().into(),
            line_number: fields.line_number,
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
        if amount.rounded && self.roundings.admit() {
            self.warnings.push(Diagnostic::warning(
                place(source.amount_column_number),
                format!(
                    "{amount_text:?} is not a whole number of pence; rounded half-up to {}",
                    amount.money
                ),
            ));
        }
        let amount = amount.money;
        self.amount_read += amount;
        let programme_index = self.programme_index_of.get(cost_centre).copied();
        let counted = match (programme_index, year_index) {
            (Some(p), Ok(y)) => Ok((p, y)),
            (None, _) => Err(UnmappedReason::NoProgramme),
            (Some(_), Err(reason)) => Err(reason),
        };
        let (programme_index, year_index) = match counted {
            Ok(cell) => cell,
            Err(reason) => {
                self.unmapped.push(UnmappedLine {
                    source: source.name.clone(),
                    line_number: fields.line_number,
                    cost_centre: cost_centre.to_string(),
                    amount,
                    reason,
                });
                return;
            }
        };
        let cell = programme_index * self.years.len() + year_index;
        self.sums_pence[cell] += amount.pence();
        self.has_lines[cell] = true;
        self.lines_mapped += 1;
        self.amount_mapped += amount;
    }

    /// Records a bad line: its problems are listed while fewer than fifty lines are.
    pub fn bad_line(&mut self, problems: Vec<Diagnostic>) {
        if self.bad_lines.admit() {
            self.errors.extend(problems);
        }
    }

    /// The index in `years` of the financial year of a date, or why a line of that date is not
    /// counted (outside the book's years, or after `actuals_to`).
    fn year_index_of(&mut self, date_text: &str) -> Result<Result<usize, UnmappedReason>, String> {
        if date_text.is_empty() {
            return Err("the date is blank; every ledger line needs one, like 2012-04-01".into());
        }
        if let Some(known) = self.year_index_of_date_text.get(date_text) {
            return known.clone();
        }
        let year_index = parse_date_text(date_text).map(|date| {
            let year = Year::of_date(date);
            match self.years.iter().position(|y| *y == year) {
                None => Err(UnmappedReason::OutsideYears),
                Some(_) if self.actuals_to.is_some_and(|to| date > to) => {
                    Err(UnmappedReason::AfterActualsTo)
                }
                Some(index) => Ok(index),
            }
        });
        self.year_index_of_date_text
            .insert(date_text.into(), year_index.clone());
        year_index
    }

    /// The mapped lines' sums per financial year and programme (only where a line was mapped).
    pub fn actuals(&self) -> ExtraActuals {
        let mut actuals = ExtraActuals::new();
        for (p, programme) in self.programmes.iter().enumerate() {
            for (y, year) in self.years.iter().enumerate() {
                let cell = p * self.years.len() + y;
                if self.has_lines[cell] {
                    let sum = Money::from_pence(self.sums_pence[cell]);
                    actuals.insert((*year, programme.to_string()), sum);
                }
            }
        }
        actuals
    }
}
