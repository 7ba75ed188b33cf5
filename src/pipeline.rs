//! The steps of a run, between the command line and the library: load a book, apply the
//! rules, lay out every output file. No printing here (that is `main`'s), and the only file
//! access is reading the inputs.

use crate::book::{read_book, RawBook, SourceFile};
use crate::diag::Diagnostics;
use crate::engine::{self, ExtraActuals, Results};
use crate::model::{load_book, Book};
use crate::output::OutputFile;
use crate::pack::{MemorySink, Pack, Sink};
use crate::render::manifest::FileEntry;
use crate::report::{self, Unmapped};
use std::fs;
use std::path::{Path, PathBuf};

/// Reads and checks a book. The book is `Some` only when there is no error.
pub fn load(path: &Path) -> (Option<Book>, Diagnostics) {
    let (loaded, diags) = load_with_raw(path);
    (loaded.map(|(_, book)| book), diags)
}

/// Reads and checks a book, keeping its raw tables too (for `accord issue`, which writes the
/// book back with a longer register, and `compare --what-if`, which edits them). `Some` only
/// when there is no error.
pub fn load_with_raw(path: &Path) -> (Option<(RawBook, Book)>, Diagnostics) {
    let (raw, mut diags) = read_book(path);
    let Some(raw) = raw else {
        return (None, diags);
    };
    let (book, model_diags) = load_book(&raw);
    diags.append(model_diags);
    diags.first_error_per_cell();
    if diags.has_errors() {
        (None, diags)
    } else {
        (Some((raw, book)), diags)
    }
}

/// Reads a book's raw tables only (for `accord convert`).
pub fn load_raw(path: &Path) -> (Option<RawBook>, Diagnostics) {
    read_book(path)
}

/// The files a book was read from: each CSV file of a folder, or the workbook.
pub fn book_files(path: &Path) -> Vec<PathBuf> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = fs::read_dir(path)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
    } else {
        vec![path.to_path_buf()]
    }
}

/// What a finished run hands back: the results and every file of the reports folder.
pub struct Run {
    pub results: Results,
    pub files: Vec<OutputFile>,
    /// The run's one-line summary ([`run_summary`]).
    pub summary: String,
}

/// What a run wrote into its sink hands back.
pub struct Produced {
    pub results: Results,
    /// The run's one-line summary ([`run_summary`]), made beside the tables.
    pub summary: String,
}

/// Which files a run makes besides the CSV tables and the manifest, and how it shows progress.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The documents (PDFs, workbooks, HTML pages, `journal.ledger` and `journal.beancount`);
    /// `false` for `--no-documents`.
    pub documents: bool,
    /// A progress bar over the documents on stderr, when stderr is a terminal.
    pub progress: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            documents: true,
            progress: false,
        }
    }
}

/// Reads and checks a book, with the manifest entries of its files taken from the bytes
/// read (see [`input_entries`]). `Some` only when there is no error.
pub fn load_with_sources(path: &Path) -> (Option<(Vec<SourceFile>, Book)>, Diagnostics) {
    let (loaded, diags) = load_with_raw(path);
    (loaded.map(|(raw, book)| (raw.sources, book)), diags)
}

/// The manifest entries of a book's files: those hashed while the book was read (`sources`,
/// a folder's CSV files) when they are every file of [`book_files`], as they are unless a
/// file changed or could not be read meanwhile; else (a workbook) the files read again.
pub fn input_entries(path: &Path, sources: &[SourceFile]) -> std::io::Result<Vec<FileEntry>> {
    let files = book_files(path);
    let same = files.len() == sources.len()
        && files
            .iter()
            .zip(sources)
            .all(|(file, source)| file.display().to_string() == source.path);
    if !same {
        return book_entries(path);
    }
    Ok(sources
        .iter()
        .map(|s| FileEntry {
            path: s.path.clone(),
            bytes: s.bytes,
            sha256: s.sha256.clone(),
        })
        .collect())
}

/// The manifest entries of a book's files, read from disk (a book is small: hashing reads it
/// once more).
pub fn book_entries(path: &Path) -> std::io::Result<Vec<FileEntry>> {
    book_files(path)
        .iter()
        .map(|file| Ok(FileEntry::of(file.display().to_string(), &fs::read(file)?)))
        .collect()
}

/// Applies the rules and lays out the reports folder in memory (every document, no progress
/// bar). `inputs` are the manifest entries of the files the run read.
pub fn produce(
    book: &Book,
    extra_actuals: &ExtraActuals,
    unmapped: &[Unmapped],
    inputs: &[FileEntry],
) -> std::io::Result<Run> {
    let sink = MemorySink::default();
    let produced = produce_into(
        book,
        extra_actuals,
        unmapped,
        inputs,
        Options::default(),
        &sink,
    )?;
    Ok(Run {
        results: produced.results,
        files: sink.into_files(),
        summary: produced.summary,
    })
}

/// Applies the rules and puts every file of the reports folder into `sink` as soon as it is
/// made (documents are made in parallel, on all cores), then `manifest.json`. To add a file
/// to the pack: `out.file(OutputFile { path, content })?;` (or `out.files(vec)?`).
pub fn produce_into(
    book: &Book,
    extra_actuals: &ExtraActuals,
    unmapped: &[Unmapped],
    inputs: &[FileEntry],
    options: Options,
    sink: &dyn Sink,
) -> std::io::Result<Produced> {
    // Without documents there is no explain page: the record of the splits is not kept.
    let results = engine::run_keeping(book, extra_actuals, options.documents);
    let out = Pack::new(sink);
    // The CSV tables beside the journals (with what they post: the documents, their postings
    // and the settlement), all on all cores, and the check that every total reconciles beside
    // them (it reads the results only; if it fails, the run stops before anything is
    // committed), then the run's summary line. Every file's bytes depend only on the results,
    // and the manifest lists the files by path, so the order they are made in does not matter.
    let (summary, (tables, settlements)) = rayon::join(
        || run_summary(book, &results, report::reconcile(book, &results)),
        || {
            rayon::join(
                || {
                    use rayon::prelude::*;
                    report::csv_tables(&results, unmapped)
                        .into_par_iter()
                        .try_for_each(|table| table.write_into(&out))
                },
                || -> std::io::Result<_> {
                    // The documents the journals post and the settlement settles (SPEC §7): every
                    // document of the register and every one to send now (SPEC §5), so that what is
                    // posted and settled is what the book now says.
                    let posted = engine::documents::from_register(&results.documents, |year| {
                        engine::dates::invoice_date(book.settings.invoice_date, year)
                    });
                    let transactions = engine::journal::Transactions::new(&posted, &book.accounts);
                    let settlements = engine::settlement::settle_years(&posted);
                    crate::render::journal_files::journal_files(
                        book,
                        &transactions,
                        &settlements,
                        options.documents,
                        &out,
                    )?;
                    Ok(settlements)
                },
            )
        },
    );
    tables?;
    let settlements = settlements?;
    if options.documents {
        give_back_freed_memory();
        let plan = engine::plan::plan(book, &results);
        crate::render::documents::documents_into(
            book,
            &results,
            &plan,
            &settlements,
            &out,
            options.progress,
        )?;
        out.file(crate::render::xlsx::plan::plan_file(
            &report::plan::plan_sheets(&plan, book),
        )?)?;
    }
    out.finish(inputs)?;
    Ok(Produced { results, summary })
}

/// Hands the memory freed so far back to the system (the tables' and the journals', before
/// the documents are made). The documents are made on other threads, whose allocations glibc
/// takes from other pools: without this the freed memory would stay in the process, unused,
/// for the rest of the run. Elsewhere the allocator is left to itself.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only returns free pages of the allocator's own pools.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// What `accord validate` found in a valid book: its size, and the rows of each table. The
/// tables a book may leave out (the register, purchase orders, profile, drivers, accounts)
/// are counted only when they have rows.
pub fn validate_summary(book: &Book) -> String {
    let years = match (book.years.first(), book.years.last()) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "no years".into(),
    };
    let mut rows = format!(
        "{} participation, {} budget, {} grants, {} support in kind, {} actuals, {} cost centres, {} balances, {} benefits",
        book.participation.len(),
        book.budget.len(),
        book.grants.len(),
        book.support_in_kind.len(),
        book.actuals.len(),
        book.cost_centres.len(),
        book.balances.len(),
        book.benefits.len(),
    );
    for (count, what) in [
        (book.cycle.issued.len(), "register"),
        (book.cycle.purchase_orders.len(), "purchase orders"),
        (book.profile.len(), "profile"),
        (book.drivers.len(), "drivers"),
        (book.accounts.len(), "accounts"),
    ] {
        if count > 0 {
            rows.push_str(&format!(", {count} {what}"));
        }
    }
    format!(
        "{} councils, {} programmes, years {years}; rows: {rows}",
        book.councils.len(),
        book.programmes.len(),
    )
}

/// How many different items `items` holds: counted in one pass when they come in order (the
/// invoice lines come sorted by invoice number), else through a set.
fn distinct<'a>(items: impl Iterator<Item = &'a str> + Clone) -> usize {
    let mut count = 0;
    let mut previous: Option<&str> = None;
    for item in items.clone() {
        match previous {
            Some(p) if p == item => {}
            Some(p) if p > item => {
                return items.collect::<std::collections::BTreeSet<_>>().len();
            }
            _ => count += 1,
        }
        previous = Some(item);
    }
    count
}

/// The run's one-line summary, as `accord run` prints it before naming the reports folder:
/// `accord: 2012/13 to 2016/17, 7 councils, 151 invoices, GBP 9,714,800.00 raised, 5 variance
/// exceptions; every total reconciles` (`accord serve` shows the same line).
pub fn run_summary(book: &Book, r: &Results, total_raised: crate::money::Money) -> String {
    let years = match (r.years.first(), r.years.last()) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "no years".into(),
    };
    let invoices = distinct(r.invoices.iter().map(|i| i.invoice.as_str()));
    let exceptions = r.variance.iter().filter(|v| v.exception).count();
    format!(
        "accord: {years}, {} councils, {} invoices, GBP {} raised, {exceptions} variance exception{}; every total reconciles",
        book.councils.len(),
        invoices,
        crate::money::grouped(total_raised),
        if exceptions == 1 { "" } else { "s" },
    )
}

/// The ledger's part of a run, in the report's terms.
pub struct LedgerRun {
    pub actuals: ExtraActuals,
    pub unmapped: Vec<Unmapped>,
    pub warnings: Vec<crate::diag::Diagnostic>,
    /// The manifest entries of the ledger files, hashed while they were read.
    pub files: Vec<FileEntry>,
    /// `ledger: N lines read = M mapped + K not counted ...`, when there were ledger files.
    pub summary_line: Option<String>,
}

/// Reads the general-ledger files, if any (a progress bar shows on a terminal).
pub fn read_ledgers(paths: &[PathBuf], book: &Book) -> Result<LedgerRun, Diagnostics> {
    if paths.is_empty() {
        return Ok(LedgerRun {
            actuals: ExtraActuals::new(),
            unmapped: Vec::new(),
            warnings: Vec::new(),
            files: Vec::new(),
            summary_line: None,
        });
    }
    let summary = crate::ledger::read_ledgers(paths, book, true)?;
    let unmapped = summary
        .unmapped
        .iter()
        .map(|u| Unmapped {
            source: u.source.clone(),
            line_number: u.line_number,
            cost_centre: u.cost_centre.clone(),
            amount: u.amount,
            reason: u.reason.as_str(),
        })
        .collect();
    let summary_line = format!(
        "ledger: {} lines read = {} mapped + {} not counted (see unmapped.csv); GBP {} read = {} mapped + {} not counted",
        summary.lines_read,
        summary.lines_mapped,
        summary.lines_unmapped(),
        crate::money::grouped(summary.amount_read),
        crate::money::grouped(summary.amount_mapped),
        crate::money::grouped(summary.amount_unmapped()),
    );
    Ok(LedgerRun {
        actuals: summary.actuals,
        unmapped,
        warnings: summary.warnings,
        files: summary
            .files
            .iter()
            .map(|f| FileEntry {
                path: f.source.clone(),
                bytes: f.bytes,
                sha256: f.sha256_hex.clone(),
            })
            .collect(),
        summary_line: Some(summary_line),
    })
}

#[cfg(test)]
mod tests {
    use super::distinct;

    #[test]
    fn distinct_counts_each_item_once_in_order_or_not() {
        let cases: [(&[&str], usize); 6] = [
            (&[], 0),
            (&["A"], 1),
            (&["A", "A", "B", "C", "C"], 3),
            (&["B", "A", "B"], 2),
            (&["C", "B", "A", "A"], 3),
            (&["A", "B", "A"], 2),
        ];
        for (items, want) in cases {
            assert_eq!(distinct(items.iter().copied()), want, "{items:?}");
        }
    }
}
