//! Reading the ledger files of a run one after the other into one tally: opening each, finding
//! its columns, handing its blocks to the parser, and the progress bar over all their bytes.

use super::blocks;
use super::columns;
use super::parse;
use super::tally::{Source, Tally};
use super::LedgerFile;
use crate::diag::{Diagnostic, Place};
use crate::model::Book;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The files of a run read so far, and what they added up to.
pub(super) struct Reading<'b> {
    pub book: &'b Book,
    pub block_bytes: usize,
    pub bar: ProgressBar,
    /// Bytes of the files before the one being read, for the progress bar.
    pub bytes_before: u64,
    pub tally: Tally<'b>,
    pub files: Vec<LedgerFile>,
    pub remarks: Vec<Diagnostic>,
}

impl Reading<'_> {
    /// Reads one file into the tally; an unreadable file or header is returned as its problems.
    pub fn read_file(&mut self, path: &Path) -> Result<(), Vec<Diagnostic>> {
        let name = path.display().to_string();
        let file_place = Place::File {
            file: name.clone().into(),
        };
        let cannot_read = |error: std::io::Error| {
            vec![Diagnostic::error(
                file_place.clone(),
                format!("cannot read the ledger file: {error}"),
            )]
        };
        let settings = &self.book.settings;
        let wanted = columns::Wanted {
            date: &settings.ledger_date_column,
            cost_centre: &settings.ledger_cost_centre_column,
            amount: &settings.ledger_amount_column,
        };
        // Read as UTF-8 (deciding while reading), or again as Windows-1252 when a byte that is
        // not UTF-8 comes after text the two read differently.
        let mut windows_1252 = false;
        let lines_before = self.tally.sums.lines_read();
        let (bytes, sha256_hex) = loop {
            let opened = blocks::open(path, self.block_bytes, windows_1252).map_err(cannot_read)?;
            let needs = format!(
                "a header row naming its {:?}, {:?} and {:?} columns, then one line per payment",
                wanted.date, wanted.cost_centre, wanted.amount
            );
            let header = match opened.header {
                None => {
                    let message = format!("the ledger file is empty; it needs {needs}");
                    return Err(vec![Diagnostic::error(file_place, message)]);
                }
                Some(header) if header.trim().is_empty() => {
                    let message =
                        format!("the first line is blank; a ledger file starts with {needs}");
                    let place = Place::Csv {
                        file: name.into(),
                        line_number: 1,
                        column_number: None,
                    };
                    return Err(vec![Diagnostic::error(place, message)]);
                }
                Some(header) => header,
            };
            let columns = columns::find_columns(&header, &wanted, &name)?;
            let source = Source {
                name: name.clone(),
                date_column_number: columns.date + 1,
                amount_column_number: columns.amount + 1,
            };
            let tally = &mut self.tally;
            tally.found.bad_lines.unlisted = 0;
            tally.found.roundings.unlisted = 0;
            let (bar, bytes_before) = (&self.bar, self.bytes_before);
            let progress = |bytes_done| bar.set_position(bytes_before + bytes_done);
            match parse::read_blocks(opened.reader, &columns, &source, tally, progress) {
                Err(error) if !windows_1252 && blocks::is_not_utf8_after_all(&error) => {
                    windows_1252 = true;
                }
                read => break read.map_err(cannot_read)?,
            }
        };
        let tally = &mut self.tally;
        let lines = tally.sums.lines_read() - lines_before;
        self.files.push(LedgerFile {
            source: name,
            bytes,
            sha256_hex,
            lines,
        });
        let found = &mut tally.found;
        if found.bad_lines.unlisted > 0 {
            found.errors.push(Diagnostic::error(
                file_place.clone(),
                format!("... and {} more bad lines", found.bad_lines.unlisted),
            ));
        }
        if found.roundings.unlisted > 0 {
            self.remarks.push(Diagnostic::warning(
                file_place.clone(),
                format!(
                    "... and {} more amounts rounded half-up to whole pence",
                    found.roundings.unlisted
                ),
            ));
        }
        if lines == 0 {
            self.remarks.push(Diagnostic::warning(
                file_place,
                "the ledger file has a header but no lines; it adds no actuals",
            ));
        }
        Ok(())
    }
}

/// A bar over the files' bytes on stderr, or a hidden one when not asked for or not on a
/// terminal.
pub(super) fn progress_bar(paths: &[PathBuf], progress: bool) -> ProgressBar {
    if !progress || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let total_bytes = paths
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr());
    let style =
        ProgressStyle::with_template("reading ledger {bar:30} {bytes}/{total_bytes}, {eta} left")
            .expect("a valid progress template");
    bar.set_style(style);
    bar
}
