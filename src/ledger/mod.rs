//! General-ledger files (`--ledger FILE`): millions of lines of date, cost centre and amount,
//! summed exactly into actuals per financial year and programme. Polars lives here, where the
//! volume is; what leaves this module is plain domain values ([`LedgerSummary`]).
//!
//! A file is read a block of whole records at a time (`blocks`), each block parsed by polars
//! with every column as text (`parse`), and each line counted by the rules in `tally`: amounts
//! through `money::parse_amount_text` into `i128` pence, never through a float.
//!
//! Line numbers are lines of the file on disk (the header is line 1), also when a quoted value
//! holds a line break: such a block is read again with the `csv` crate, which numbers records by
//! the line they start on.

mod blocks;
mod parse;
mod tally;

#[cfg(test)]
mod error_tests;
#[cfg(test)]
mod format_tests;
#[cfg(test)]
mod gla_tests;
#[cfg(test)]
mod tests;

use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::engine::ExtraActuals;
use crate::model::Book;
use crate::money::Money;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use tally::{Source, Tally};

/// Why a ledger line was not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnmappedReason {
    /// Its cost centre is not in the book's `cost_centres`.
    NoProgramme,
    /// Its date falls outside the financial years the book covers.
    OutsideYears,
}

impl UnmappedReason {
    /// As written in `unmapped.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            UnmappedReason::NoProgramme => "no programme",
            UnmappedReason::OutsideYears => "outside the book's years",
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
    let bar = progress_bar(paths, progress);
    let mut tally = Tally::new(book);
    let mut file_errors = Diagnostics::default();
    let mut remarks = Vec::new();
    let mut bytes_before = 0;
    for path in paths {
        let name = path.display().to_string();
        let progress = (&bar, bytes_before);
        let read = read_file(
            path,
            &name,
            book,
            block_bytes,
            &mut tally,
            progress,
            &mut remarks,
        );
        if let Err(problems) = read {
            file_errors.extend(problems);
        }
        bytes_before += std::fs::metadata(path).map_or(0, |m| m.len());
        bar.set_position(bytes_before);
    }
    bar.finish_and_clear();
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(std::mem::take(&mut tally.errors));
    diagnostics.extend(file_errors.items);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let mut warnings = remarks;
    warnings.append(&mut tally.warnings);
    let mut summary = LedgerSummary {
        actuals: tally.actuals(),
        unmapped: std::mem::take(&mut tally.unmapped),
        lines_read: tally.lines_read,
        lines_mapped: tally.lines_mapped,
        amount_read: tally.amount_read,
        amount_mapped: tally.amount_mapped,
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

/// Reads one file into the tally; an unreadable file or header is returned as its problems.
fn read_file(
    path: &std::path::Path,
    name: &str,
    book: &Book,
    block_bytes: usize,
    tally: &mut Tally,
    (bar, bytes_before): (&ProgressBar, u64),
    remarks: &mut Vec<Diagnostic>,
) -> Result<(), Vec<Diagnostic>> {
    let file_place = Place::File {
        file: name.to_string(),
    };
    let cannot_read = |error: std::io::Error| {
        vec![Diagnostic::error(
            file_place.clone(),
            format!("cannot read the ledger file: {error}"),
        )]
    };
    let settings = &book.settings;
    let wanted = parse::Wanted {
        date: &settings.ledger_date_column,
        cost_centre: &settings.ledger_cost_centre_column,
        amount: &settings.ledger_amount_column,
    };
    let opened = blocks::open(path, block_bytes).map_err(cannot_read)?;
    let Some(header) = opened.header.filter(|h| !h.trim().is_empty()) else {
        return Err(vec![Diagnostic::error(
            file_place,
            format!(
                "the ledger file is empty; it needs a header row naming its {:?}, {:?} and {:?} \
                 columns, then one line per payment",
                wanted.date, wanted.cost_centre, wanted.amount
            ),
        )]);
    };
    let columns = parse::find_columns(&header, &wanted, name)?;
    let source = Source {
        name: name.to_string(),
        date_column_number: columns.date + 1,
        amount_column_number: columns.amount + 1,
    };
    let lines_before = tally.lines_read;
    let mut reader = opened.reader;
    tally.bad_lines_unlisted = 0;
    tally.roundings_unlisted = 0;
    while let Some(block) = reader.next_block().map_err(cannot_read)? {
        parse::read_block(&block, &columns, &source, tally);
        bar.set_position(bytes_before + reader.bytes_done);
    }
    if tally.bad_lines_unlisted > 0 {
        tally.errors.push(Diagnostic::error(
            file_place.clone(),
            format!("... and {} more bad lines", tally.bad_lines_unlisted),
        ));
    }
    if tally.roundings_unlisted > 0 {
        remarks.push(Diagnostic::warning(
            file_place.clone(),
            format!(
                "... and {} more amounts rounded half-up to whole pence",
                tally.roundings_unlisted
            ),
        ));
    }
    if tally.lines_read == lines_before {
        remarks.push(Diagnostic::warning(
            file_place,
            "the ledger file has a header but no lines; it adds no actuals",
        ));
    }
    Ok(())
}

/// The warning that some lines were not counted: how many, and their total, per reason.
fn unmapped_warning(summary: &LedgerSummary) -> Option<Diagnostic> {
    if summary.unmapped.is_empty() {
        return None;
    }
    let parts: Vec<String> = [UnmappedReason::NoProgramme, UnmappedReason::OutsideYears]
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
    }
}

/// A bar over the files' bytes on stderr, or a hidden one when not asked for or not on a
/// terminal.
fn progress_bar(paths: &[PathBuf], progress: bool) -> ProgressBar {
    if !progress || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let total_bytes = paths
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "reading ledger {bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
    )
    .expect("a valid progress template");
    bar.set_style(style);
    bar
}
