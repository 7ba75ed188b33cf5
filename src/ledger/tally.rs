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

impl LineFields<'_> {
    /// True when the date, cost centre and amount are all blank.
    pub fn is_blank(&self) -> bool {
        [self.date, self.cost_centre, self.amount]
            .iter()
            .all(|field| field.is_none_or(|text| text.trim().is_empty()))
    }
}

/// Sums and findings over every ledger file of a run.
pub(super) struct Tally<'b> {
    programme_index_of: HashMap<&'b str, usize>,
    programmes: Vec<&'b str>,
    year_index_of: HashMap<Year, usize>,
    years: Vec<Year>,
    /// Pence per programme and year, at `programme_index * years.len() + year_index`.
    sums_pence: Vec<i128>,
    has_lines: Vec<bool>,
    /// Each date text met so far, and its financial year (or why it is not a date).
    year_of_date_text: HashMap<Box<str>, Result<Year, String>>,
    pub unmapped: Vec<UnmappedLine>,
    pub lines_read: usize,
    pub lines_mapped: usize,
    pub amount_read: Money,
    pub amount_mapped: Money,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    bad_lines_listed: usize,
    /// Bad lines past the listed ones, in the current file.
    pub bad_lines_unlisted: usize,
    roundings_listed: usize,
    /// Amounts rounded to pence past the listed ones, in the current file.
    pub roundings_unlisted: usize,
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
            .collect();
        let years = book.years.clone();
        let year_index_of = years.iter().enumerate().map(|(i, y)| (*y, i)).collect();
        let cells = programmes.len() * years.len();
        Tally {
            programme_index_of,
            programmes,
            year_index_of,
            years,
            sums_pence: vec![0; cells],
            has_lines: vec![false; cells],
            year_of_date_text: HashMap::new(),
            unmapped: Vec::new(),
            lines_read: 0,
            lines_mapped: 0,
            amount_read: Money::ZERO,
            amount_mapped: Money::ZERO,
            errors: Vec::new(),
            warnings: Vec::new(),
            bad_lines_listed: 0,
            bad_lines_unlisted: 0,
            roundings_listed: 0,
            roundings_unlisted: 0,
        }
    }

    /// Counts one line of `source` (a line whose three fields are blank is skipped).
    pub fn line(&mut self, source: &Source, fields: &LineFields) {
        if fields.is_blank() {
            return;
        }
        self.lines_read += 1;
        let date_text = fields.date.unwrap_or("").trim();
        let amount_text = fields.amount.unwrap_or("").trim();
        let cost_centre = fields.cost_centre.unwrap_or("").trim();
        let year = self.year_of(date_text);
        let amount = if amount_text.is_empty() {
            Err("the amount is blank; every ledger line needs one, like 1234.50".to_string())
        } else {
            parse_amount_text(amount_text)
        };
        let place = |column_number| Place::Csv {
            file: source.name.clone(),
            line_number: fields.line_number,
            column_number: Some(column_number),
        };
        let (year, amount) = match (year, amount) {
            (Ok(year), Ok(amount)) => (year, amount),
            (year, amount) => {
                let mut problems = Vec::new();
                if let Err(message) = year {
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
            if self.roundings_listed < LISTED_ROUNDINGS {
                self.roundings_listed += 1;
                self.warnings.push(Diagnostic::warning(
                    place(source.amount_column_number),
                    format!(
                        "{amount_text:?} is not a whole number of pence; rounded half-up to {}",
                        amount.money
                    ),
                ));
            } else {
                self.roundings_unlisted += 1;
            }
        }
        let amount = amount.money;
        self.amount_read += amount;
        let programme_index = self.programme_index_of.get(cost_centre).copied();
        let year_index = self.year_index_of.get(&year).copied();
        let (programme_index, year_index) = match (programme_index, year_index) {
            (Some(p), Some(y)) => (p, y),
            (p, _) => {
                let reason = match p {
                    None => UnmappedReason::NoProgramme,
                    Some(_) => UnmappedReason::OutsideYears,
                };
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
        if self.bad_lines_listed < LISTED_BAD_LINES {
            self.bad_lines_listed += 1;
            self.errors.extend(problems);
        } else {
            self.bad_lines_unlisted += 1;
        }
    }

    fn year_of(&mut self, date_text: &str) -> Result<Year, String> {
        if date_text.is_empty() {
            return Err("the date is blank; every ledger line needs one, like 2012-04-01".into());
        }
        if let Some(known) = self.year_of_date_text.get(date_text) {
            return known.clone();
        }
        let year = parse_date_text(date_text).map(Year::of_date);
        self.year_of_date_text
            .insert(date_text.into(), year.clone());
        year
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
