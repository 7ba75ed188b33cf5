//! General-ledger files (`--ledger FILE`): millions of lines of date, cost centre and amount,
//! summed exactly into actuals per financial year and programme; what leaves this module is
//! plain domain values ([`LedgerSummary`]).
//!
//! One reading path: `files` reads the files one after the other; each is read a megabyte of
//! whole records at a time (`blocks`, so memory does not grow with the file), its header
//! matched against the settings' column names (`columns`), each block read on one of two
//! threads by the `csv` crate's record reader, or split at commas and line ends when it holds no
//! quote (`parse`), and each line counted by the rules in `tally`: amounts as
//! `money::parse_amount_text` reads them, into `i128` pence, never through a float.
//! Why not polars: ARCHITECTURE.md, "The ledger reader".
//!
//! Line numbers are lines of the file on disk (the header is line 1), blank lines counted, also
//! when a quoted value holds a line break: each record's line is the `csv` crate's count of line
//! feeds before it, plus the blank lines before its first byte.
//!
//! Where SPEC §1 is silent: a line whose date, cost centre and amount are all blank is skipped
//! when the whole line is blank, and is a bad line when other values are filled in; a line with
//! more values than the header is a bad line (a value with a comma not in quotes); a blank cost
//! centre is unmapped (`no programme`); a line with neither a programme nor a year of the book is
//! unmapped as `no programme`; an amount beyond whole pence is rounded half-up with a warning
//! (fifty listed, the rest counted); a file given twice (same bytes) is an error.

mod blocks;
mod bytes;
mod columns;
mod files;
mod parse;
mod tally;

#[cfg(test)]
mod block_tests;
#[cfg(test)]
mod error_tests;
#[cfg(test)]
mod format_tests;
#[cfg(test)]
mod gla_tests;
#[cfg(test)]
mod plain_tests;
#[cfg(test)]
mod sum_tests;
#[cfg(test)]
mod tests;

use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::ExtraActuals;
use crate::model::Book;
use crate::money::Money;
use files::Reading;
use std::path::PathBuf;
use tally::Tally;

/// Why a ledger line was not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnmappedReason {
    /// Its cost centre is not in the book's `cost_centres`.
    NoProgramme,
    /// Its date falls outside the financial years the book covers.
    OutsideYears,
    /// Its date is after the book's `actuals_to` (SPEC §9).
    AfterActualsTo,
}

impl UnmappedReason {
    /// As written in `unmapped.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            UnmappedReason::NoProgramme => "no programme",
            UnmappedReason::OutsideYears => "outside the book's years",
            UnmappedReason::AfterActualsTo => "after actuals_to",
        }
    }
}

/// A ledger line that was read but not counted as an actual (a row of `unmapped.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmappedLine {
    /// The file as given on the command line.
    pub source: String,
    /// The line in that file (the header is line 1).
    pub line_number: usize,
    /// Trimmed of surrounding spaces.
    pub cost_centre: String,
    pub amount: Money,
    pub reason: UnmappedReason,
}

/// A ledger file as it was read, for the run's manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerFile {
    /// The file as given on the command line.
    pub source: String,
    pub bytes: u64,
    /// The SHA-256 of the bytes read, in lower-case hex: hashed while reading, so it is the
    /// file the actuals came from even if it changes later, and the file is read only once.
    pub sha256_hex: String,
    /// Lines read from it (blank lines not counted).
    pub lines: usize,
}

/// What the ledger files add to a run. Lines read = mapped + unmapped, and amount read =
/// amount mapped + the unmapped lines' amounts.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerSummary {
    /// Per financial year and programme, the sum of its mapped lines.
    pub actuals: ExtraActuals,
    /// In file order, then line order.
    pub unmapped: Vec<UnmappedLine>,
    pub lines_read: usize,
    pub lines_mapped: usize,
    pub amount_read: Money,
    pub amount_mapped: Money,
    /// The files read, in order.
    pub files: Vec<LedgerFile>,
    /// Remarks: a file with no lines, amounts rounded to pence, and (when there are any) the
    /// count and total of the unmapped lines.
    pub warnings: Vec<Diagnostic>,
}

impl LedgerSummary {
    pub fn lines_unmapped(&self) -> usize {
        self.unmapped.len()
    }

    pub fn amount_unmapped(&self) -> Money {
        self.unmapped.iter().map(|u| u.amount).sum()
    }
}

/// Reads the ledger files, in order, against the book's `cost_centres`, years and ledger column
/// settings. Any bad line (a date or amount that cannot be read) makes it an error: the first
/// fifty bad lines are listed, each at `file:line:column`, then a count of the rest per file.
/// `progress` asks for a progress bar, drawn on stderr only when stderr is a terminal.
pub fn read_ledgers(
    paths: &[PathBuf],
    book: &Book,
    progress: bool,
) -> Result<LedgerSummary, Diagnostics> {
    read_ledgers_in_blocks(paths, book, progress, blocks::BLOCK_BYTES)
}

/// [`read_ledgers`], parsing about `block_bytes` of a file at a time (tests use tiny blocks).
fn read_ledgers_in_blocks(
    paths: &[PathBuf],
    book: &Book,
    progress: bool,
    block_bytes: usize,
) -> Result<LedgerSummary, Diagnostics> {
    let mut reading = Reading {
        book,
        block_bytes,
        bar: files::progress_bar(paths, progress),
        bytes_before: 0,
        tally: Tally::new(book),
        files: Vec::new(),
        remarks: Vec::new(),
    };
    let mut file_errors = Vec::new();
    for path in paths {
        if let Err(problems) = reading.read_file(path) {
            file_errors.extend(problems);
        }
        reading.bytes_before += std::fs::metadata(path).map_or(0, |m| m.len());
        reading.bar.set_position(reading.bytes_before);
    }
    reading.bar.finish_and_clear();
    let mut tally = reading.tally;
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(std::mem::take(&mut tally.found.errors));
    diagnostics.extend(file_errors);
    diagnostics.extend(same_content(&reading.files));
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let mut warnings = reading.remarks;
    warnings.append(&mut tally.found.warnings);
    let mut summary = LedgerSummary {
        actuals: tally.actuals(),
        unmapped: std::mem::take(&mut tally.found.unmapped),
        lines_read: tally.sums.lines_read(),
        lines_mapped: tally.sums.lines_mapped(),
        amount_read: tally.sums.amount_read(),
        amount_mapped: tally.sums.amount_mapped(),
        files: reading.files,
        warnings,
    };
    if let Some(warning) = unmapped_warning(&summary) {
        summary.warnings.push(warning);
    }
    assert_eq!(
        summary.lines_read,
        summary.lines_mapped + summary.lines_unmapped(),
        "every line read is mapped or unmapped"
    );
    assert_eq!(
        summary.amount_read,
        summary.amount_mapped + summary.amount_unmapped(),
        "the amounts read reconcile"
    );
    Ok(summary)
}

/// An error for each file whose lines another file given before it already holds, byte for
/// byte: its lines would count twice (a file with no lines is left alone).
fn same_content(files: &[LedgerFile]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let earlier = files[..index]
            .iter()
            .find(|e| e.sha256_hex == file.sha256_hex && file.lines > 0);
        if let Some(earlier) = earlier {
            problems.push(Diagnostic::error(
                crate::diag::Place::File {
                    file: file.source.clone().into(),
                },
                format!(
                    "this ledger file has the same content as {}, so its lines would count \
                     twice; give each ledger file once",
                    earlier.source
                ),
            ));
        }
    }
    problems
}

/// The warning that some lines were not counted: how many, and their total, per reason.
fn unmapped_warning(summary: &LedgerSummary) -> Option<Diagnostic> {
    if summary.unmapped.is_empty() {
        return None;
    }
    let parts: Vec<String> = [
        UnmappedReason::NoProgramme,
        UnmappedReason::OutsideYears,
        UnmappedReason::AfterActualsTo,
    ]
    .into_iter()
    .filter_map(|reason| {
        let lines: Vec<&UnmappedLine> = summary
            .unmapped
            .iter()
            .filter(|u| u.reason == reason)
            .collect();
        let total: Money = lines.iter().map(|u| u.amount).sum();
        (!lines.is_empty())
            .then(|| format!("{} {} (total {total})", lines.len(), reason_phrase(reason)))
    })
    .collect();
    Some(Diagnostic::warning(
        None,
        format!(
            "{} ledger lines (total {}) are not counted as actuals: {}; they are listed in \
             unmapped.csv",
            summary.lines_unmapped(),
            summary.amount_unmapped(),
            parts.join(", ")
        ),
    ))
}

fn reason_phrase(reason: UnmappedReason) -> &'static str {
    match reason {
        UnmappedReason::NoProgramme => "whose cost centre has no programme in cost_centres",
        UnmappedReason::OutsideYears => "dated outside the book's years",
        UnmappedReason::AfterActualsTo => "dated after actuals_to",
    }
}
