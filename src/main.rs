//! The `accord` command: arguments in, one call into the library, diagnostics and a summary
//! out. This is the only place that prints or picks the exit status (0 done, 1 the input is
//! wrong, 2 the command line is wrong).

use accord::diag::Diagnostics;
use accord::output::{check_out_dir, replace_folder, Staging};
use accord::pipeline;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "accord",
    version,
    about = "The West London Alliance's cost-allocation and budgeting engine: reads the partnership's budget book and works out, to the penny, what every council owes whom.",
    after_help = "Example:\n  accord run fixtures/wla --out reports\n\nThe book format is described in docs/BOOK.md."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read and check a book; print every error and warning and a short summary.
    #[command(after_help = "Example:\n  accord validate fixtures/wla.xlsx")]
    Validate {
        /// The book: a workbook (.xlsx, .xlsm, .xls, .ods) or a folder of CSV files.
        book: PathBuf,
    },
    /// Work out every council's contributions, balances and invoices and write the reports.
    #[command(
        after_help = "Example:\n  accord run fixtures/wla --out reports\n  accord run book.xlsx --ledger gl-2012.csv --ledger gl-2013.csv\n  accord run book.xlsx --no-documents     (only the CSV tables and manifest.json)\n\nAn invalid book writes nothing and leaves earlier reports as they were."
    )]
    Run {
        /// The book: a workbook (.xlsx, .xlsm, .xls, .ods) or a folder of CSV files.
        book: PathBuf,
        /// A general-ledger CSV file whose lines count as actuals (repeatable).
        #[arg(long = "ledger", value_name = "FILE")]
        ledgers: Vec<PathBuf>,
        /// The reports folder, replaced as a whole when the run succeeds.
        #[arg(long, value_name = "DIR", default_value = "reports")]
        out: PathBuf,
        /// Write only the CSV tables and the manifest (no PDFs, workbooks, HTML pages or plain-text journals).
        #[arg(long)]
        no_documents: bool,
    },
    /// Write a template book with every table's header and an example row.
    #[command(
        after_help = "Example:\n  accord init my-book          (a folder of CSV files)\n  accord init my-book.xlsx     (a workbook)\n\nIt never overwrites an existing file."
    )]
    Init {
        /// A folder to create, or a path ending in .xlsx.
        path: PathBuf,
    },
    /// Record every document to send (issue.csv) in the book's register of issued documents.
    #[command(
        after_help = "Example:\n  accord issue fixtures/wla --on 2013-11-30 --year 2013/14\n  accord issue book.xlsx --on 2013-11-30 --to book-2013-11-30.xlsx\n\nA folder of CSV files gets its issued.csv replaced atomically. A workbook is never\nmodified: the whole book, with the longer register, is written to --to. An invalid book\nissues nothing, and a second issue right after the first issues nothing."
    )]
    Issue {
        /// The book: a workbook (.xlsx, .xlsm, .xls, .ods) or a folder of CSV files.
        book: PathBuf,
        /// The date the documents are issued (default: today), like 2013-11-30.
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// Issue only this financial year's documents, like 2013/14.
        #[arg(long, value_name = "YEAR")]
        year: Option<String>,
        /// Write the whole book, with the longer register, to this new workbook (.xlsx).
        #[arg(long, value_name = "NEW.xlsx")]
        to: Option<PathBuf>,
    },
    /// Write a book (for example a folder of CSV files) as one workbook.
    #[command(after_help = "Example:\n  accord convert fixtures/wla fixtures/wla.xlsx --force")]
    Convert {
        book: PathBuf,
        /// The workbook to write (.xlsx).
        out: PathBuf,
        /// Replace the workbook if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Compare two books, or a book with itself changed by --what-if: what each council pays
    /// under each, and every row that differs.
    #[command(
        after_help = "Examples:\n  accord compare april.xlsx november.xlsx --out compare\n  accord compare fixtures/wla --what-if leave:HRW:2014-06-01\n  accord compare fixtures/wla --what-if join:KIN:2015-04-01:Kingston --what-if join:KIN:ADULTS:2015-04-01\n  accord compare fixtures/wla --what-if budget:ADULTS:2015/16:+5\n\nCHANGE is one of leave:COUNCIL:DATE, leave:COUNCIL:PROGRAMME:DATE, join:COUNCIL:DATE[:NAME],\njoin:COUNCIL:PROGRAMME:DATE, budget:PROGRAMME:YEAR:PCT. A malformed CHANGE is exit 2; one that\ndoes not fit the book is exit 1. Nothing is written unless both books are valid."
    )]
    Compare {
        /// Book A: a workbook or a folder of CSV files.
        book_a: PathBuf,
        /// Book B (leave out with --what-if: B is book A changed).
        book_b: Option<PathBuf>,
        /// A change to book A that makes book B (repeatable, applied in order).
        #[arg(long = "what-if", value_name = "CHANGE")]
        what_if: Vec<String>,
        /// The comparison folder, replaced as a whole when the comparison succeeds.
        #[arg(long, value_name = "DIR", default_value = "compare")]
        out: PathBuf,
    },
    /// Show how one figure of allocations.csv is worked out, each input with its place.
    #[command(
        after_help = "Example:\n  accord explain fixtures/wla 2013/14 ADULTS HRW\n  accord explain fixtures/wla 2013/14 SIK HRW --json"
    )]
    Explain {
        /// The book: a workbook or a folder of CSV files.
        book: PathBuf,
        /// The financial year, like 2013/14.
        year: String,
        /// The programme code, or SIK for support in kind.
        programme: String,
        /// The council code.
        council: String,
        /// A general-ledger CSV file whose lines count as actuals, as for run (repeatable).
        #[arg(long = "ledger", value_name = "FILE")]
        ledgers: Vec<PathBuf>,
        /// Print the working as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Serve the upload page: drop a book on it, see its errors or take away its reports.
    #[command(
        after_help = "Example:\n  accord serve                       (then open http://127.0.0.1:8080/)\n  accord serve --listen 0.0.0.0:8080 --token-file token.txt\n\nAny address but a loopback one needs --token-file; see docs/SERVE.md."
    )]
    Serve {
        /// The address to listen on (port 0 picks a free one).
        #[arg(long, value_name = "ADDR", default_value = accord::serve::DEFAULT_LISTEN)]
        listen: String,
        /// The folder that keeps the uploads and their reports (default: the user's cache).
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// A file holding the token every request must carry (needed off loopback).
        #[arg(long, value_name = "FILE")]
        token_file: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate { book } => validate(&book),
        Command::Run {
            book,
            ledgers,
            out,
            no_documents,
        } => run(&book, &ledgers, &out, !no_documents),
        Command::Init { path } => init(&path),
        Command::Convert { book, out, force } => convert(&book, &out, force),
        Command::Issue { book, on, year, to } => {
            issue(&book, on.as_deref(), year.as_deref(), to.as_deref())
        }
        Command::Compare {
            book_a,
            book_b,
            what_if,
            out,
        } => compare(&book_a, book_b.as_deref(), &what_if, &out),
        Command::Explain {
            book,
            year,
            programme,
            council,
            ledgers,
            json,
        } => explain(&book, &year, &programme, &council, &ledgers, json),
        Command::Serve {
            listen,
            data,
            token_file,
        } => serve(&listen, data.as_deref(), token_file.as_deref()),
    }
}

/// Prints every diagnostic, errors first, and a count line; true when there was no error.
fn report(diags: &Diagnostics) -> bool {
    for d in diags.errors() {
        eprintln!("{d}");
    }
    if diags.unlisted_errors > 0 {
        eprintln!(
            "... and {} more errors, not listed (accord lists the first {}); fix those above, \
             which are often the same mistake, and run again",
            diags.unlisted_errors,
            accord::diag::MAX_LISTED
        );
    }
    for d in diags.warnings() {
        eprintln!("{d}");
    }
    if diags.unlisted_warnings > 0 {
        eprintln!(
            "... and {} more warnings, not listed",
            diags.unlisted_warnings
        );
    }
    let errors = diags.error_count();
    let warnings = diags.warning_count();
    if errors > 0 {
        eprintln!(
            "{errors} error{}, {warnings} warning{}: nothing was written",
            plural(errors),
            plural(warnings)
        );
    }
    errors == 0
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn validate(path: &Path) -> ExitCode {
    let (book, diags) = pipeline::load(path);
    if !report(&diags) {
        return ExitCode::from(1);
    }
    let book = book.expect("a book with no error is loaded");
    println!(
        "{}: valid. {}; {} warning{}",
        path.display(),
        pipeline::validate_summary(&book),
        diags.warning_count(),
        plural(diags.warning_count()),
    );
    ExitCode::SUCCESS
}

/// The ledgers read against the book; on errors prints them and gives `None`.
fn read_ledgers(ledgers: &[PathBuf], book: &accord::model::Book) -> Option<pipeline::LedgerRun> {
    match pipeline::read_ledgers(ledgers, book) {
        Ok(ledger) => Some(ledger),
        Err(ledger_diags) => {
            report(&ledger_diags);
            None
        }
    }
}

fn run(path: &Path, ledgers: &[PathBuf], out: &Path, documents: bool) -> ExitCode {
    let mut inputs = pipeline::book_files(path);
    inputs.extend(ledgers.iter().cloned());
    let out_checked = check_out_dir(out, &inputs);
    // Each file goes into a staging folder as it is made; the folder replaces `out` whole,
    // only once every file is written. It is begun before the book is read when that makes
    // no other folder, so that the files of the previous reports are made again in it
    // meanwhile, on another core; a book with an error leaves nothing of it.
    let early = out_checked.is_ok() && Staging::makes_no_other_folder(out);
    let staging = early.then(|| Staging::begin(out));
    let (loaded, diags) = pipeline::load_with_sources(path);
    let (sources, book) = match loaded {
        Some((sources, book)) => (sources, Some(book)),
        None => (Vec::new(), None),
    };
    if let Err(e) = out_checked {
        report(&diags);
        eprintln!("error: {e}");
        return ExitCode::from(1);
    }
    if !report(&diags) {
        return ExitCode::from(1);
    }
    let book = book.expect("a book with no error is loaded");
    let Some(ledger) = read_ledgers(ledgers, &book) else {
        return ExitCode::from(1);
    };
    for w in &ledger.warnings {
        eprintln!("{w}");
    }
    let staging = match staging.unwrap_or_else(|| Staging::begin(out)) {
        Ok(staging) => staging,
        Err(e) => {
            eprintln!("error: {e}; the previous reports are as they were");
            return ExitCode::from(1);
        }
    };
    let options = pipeline::Options {
        documents,
        progress: true,
    };
    let produced = pipeline::input_entries(path, &sources).and_then(|mut entries| {
        entries.extend(ledger.files.iter().cloned());
        pipeline::produce_into(
            &book,
            &ledger.actuals,
            &ledger.unmapped,
            &entries,
            options,
            &staging,
        )
    });
    let run = match produced {
        Ok(run) => run,
        Err(e) => {
            eprintln!("error: {e}; the previous reports are as they were");
            return ExitCode::from(1);
        }
    };
    for w in &run.results.warnings {
        eprintln!("{w}");
    }
    // What is printed once the reports are in place.
    let mut done: Vec<String> = ledger.summary_line.iter().cloned().collect();
    done.push(format!("{}. Reports in {}", run.summary, out.display()));
    let r = &run.results;
    if let (Some(year), Some(to)) = (r.in_progress, r.actuals_to) {
        let flagged = r.monitoring.iter().filter(|m| m.exception).count();
        done.push(format!(
            "monitoring: {year} in progress, actuals to {to}: {flagged} exception{} in monitoring.csv and {}/monitoring.pdf",
            plural(flagged),
            year.dashed()
        ));
    }
    // The results and the book (hundreds of thousands of allocations for a large book) are
    // freed on another thread while the commit waits for the disk (removing the previous
    // reports is mostly waiting): the system then has that much less to take back when the
    // process ends, which the run waits for (400-council book, `strace`: the end 20 -> 11 ms,
    // where `validate`'s takes 3-4 ms). Where no thread can be started, they are freed here,
    // before the commit.
    let freeing = std::thread::Builder::new()
        .spawn(move || drop((run, book)))
        .ok();
    if let Err(e) = staging.commit() {
        eprintln!("error: {e}; the previous reports are as they were");
        return ExitCode::from(1);
    }
    for line in done {
        println!("{line}");
    }
    if let Some(freeing) = freeing {
        let _ = freeing.join();
    }
    ExitCode::SUCCESS
}

fn init(path: &Path) -> ExitCode {
    match accord::init::write_template(path) {
        Ok(accord::init::Written::Workbook) => println!(
            "{}: template workbook written; fill it in, then run accord validate {}",
            path.display(),
            path.display()
        ),
        Ok(accord::init::Written::CsvFolder) => println!(
            "{}: template book written (one CSV file per table); fill it in, then run accord validate {}",
            path.display(),
            path.display()
        ),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

fn convert(book: &Path, out: &Path, force: bool) -> ExitCode {
    if out.exists() && !force {
        eprintln!(
            "{}: error: exists already; add --force to replace it",
            out.display()
        );
        return ExitCode::from(1);
    }
    let (raw, diags) = pipeline::load_raw(book);
    if !report(&diags) {
        return ExitCode::from(1);
    }
    let raw = raw.expect("a book read with no error");
    if let Err(e) = accord::book::write_workbook(&raw.tables, out) {
        eprintln!("{}: error: {e}", out.display());
        return ExitCode::from(1);
    }
    println!(
        "{}: written from {} ({} tables)",
        out.display(),
        book.display(),
        raw.tables.len()
    );
    ExitCode::SUCCESS
}

/// Today's date (UTC), the default for `accord issue --on`.
fn today() -> chrono::NaiveDate {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date")
        + chrono::Duration::days((seconds / 86_400) as i64)
}

fn issue(path: &Path, on: Option<&str>, year: Option<&str>, to: Option<&Path>) -> ExitCode {
    use accord::issue::Refused;
    let refused = |refusal: Refused| match refusal {
        Refused::Usage(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
        Refused::Stop(message) => {
            eprintln!("{message}");
            ExitCode::from(1)
        }
    };
    let request = match accord::issue::request(path, on, year, to, today()) {
        Ok(request) => request,
        Err(refusal) => return refused(refusal),
    };
    let (loaded, diags) = pipeline::load_with_raw(path);
    if !report(&diags) {
        eprintln!("nothing was issued");
        return ExitCode::from(1);
    }
    let (raw, book) = loaded.expect("a book with no error is loaded");
    match accord::issue::issue(path, &raw, &book, &request) {
        Ok(said) => {
            for line in said {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(refusal) => refused(refusal),
    }
}
/// Reads one book of a comparison; on errors prints them, and which book it was.
fn load_side(which: &str, path: &Path) -> Option<(accord::book::RawBook, accord::model::Book)> {
    let (loaded, diags) = pipeline::load_with_raw(path);
    if !report(&diags) {
        eprintln!(
            "error: book {which} ({}) is not valid; nothing was written",
            path.display()
        );
        return None;
    }
    loaded
}

fn compare(book_a: &Path, book_b: Option<&Path>, what_if: &[String], out: &Path) -> ExitCode {
    use accord::compare_files::{compare_books, comparison_files, summary, what_if_book, what_ifs};
    let changes = match what_ifs(what_if, book_b.is_some()) {
        Ok(changes) => changes,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let mut inputs = pipeline::book_files(book_a);
    if let Some(b) = book_b {
        inputs.extend(pipeline::book_files(b));
    }
    if let Err(e) = check_out_dir(out, &inputs) {
        eprintln!("error: {e}");
        return ExitCode::from(1);
    }
    // Both books are read and checked before either is refused, so all errors show at once.
    let side_a = load_side("A", book_a);
    let side_b = book_b.map(|path| load_side("B", path).map(|(_, book)| book));
    let Some((raw_a, a)) = side_a else {
        return ExitCode::from(1);
    };
    let b = match side_b {
        Some(Some(b)) => b,
        Some(None) => return ExitCode::from(1),
        None => match what_if_book(&raw_a, &a, &changes) {
            Ok(b) => b,
            Err(messages) => {
                for m in messages {
                    eprintln!("error: {m}");
                }
                eprintln!("the change cannot apply to the book: nothing was written");
                return ExitCode::from(1);
            }
        },
    };
    let comparison = compare_books(&a, &b, book_b.is_none());
    let entries = pipeline::book_entries(book_a).and_then(|mut entries| {
        if let Some(b) = book_b {
            entries.extend(pipeline::book_entries(b)?);
        }
        Ok(entries)
    });
    let files = match entries.and_then(|entries| comparison_files(&comparison, &entries)) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    if let Err(e) = replace_folder(out, &files) {
        eprintln!("error: {e}; the previous comparison is as it was");
        return ExitCode::from(1);
    }
    println!(
        "accord compare: {} Comparison in {}",
        summary(&comparison),
        out.display()
    );
    ExitCode::SUCCESS
}

fn explain(
    path: &Path,
    year: &str,
    programme: &str,
    council: &str,
    ledgers: &[PathBuf],
    json: bool,
) -> ExitCode {
    let year = match accord::values::parse_year(year) {
        Ok(year) => year,
        Err(m) => {
            eprintln!("error: {m}");
            return ExitCode::from(2);
        }
    };
    let (book, diags) = pipeline::load(path);
    if !report(&diags) {
        return ExitCode::from(1);
    }
    let book = book.expect("a book with no error is loaded");
    let Some(ledger) = read_ledgers(ledgers, &book) else {
        return ExitCode::from(1);
    };
    let results = accord::engine::run(&book, &ledger.actuals);
    match accord::explain::explain(&book, &results, year, programme, council) {
        Ok(explanation) => {
            if json {
                match serde_json::to_string_pretty(&explanation) {
                    Ok(text) => println!("{text}"),
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::from(1);
                    }
                }
            } else {
                print!("{}", accord::explain::render_text(&explanation));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn serve(listen: &str, data: Option<&Path>, token_file: Option<&Path>) -> ExitCode {
    use accord::serve::{ServeConfig, ServeError};
    let config = match ServeConfig::new(listen, data, token_file) {
        Ok(config) => config,
        Err(e @ ServeError::Usage(_)) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let with_token = config.token.is_some();
    let result = accord::serve::serve(config, |addr, data| {
        let url = format!("http://{addr}/");
        if with_token {
            println!("accord serve: listening on {url} (open {url}?token=TOKEN once, TOKEN from the token file); packs in {}; Ctrl-C stops", data.display());
        } else {
            println!(
                "accord serve: listening on {url}; packs in {}; Ctrl-C stops",
                data.display()
            );
        }
    });
    match result {
        Ok(()) => {
            println!("accord serve: stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
