//! The `accord` command: arguments in, one call into the library, diagnostics and a summary
//! out. This is the only place that prints or picks the exit status (0 done, 1 the input is
//! wrong, 2 the command line is wrong).

use accord::diag::Diagnostics;
use accord::output::{check_out_dir, Staging};
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
        /// Write only the CSV tables and the manifest (no PDFs, workbooks or HTML pages).
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
    let years = match (book.years.first(), book.years.last()) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "no years".into(),
    };
    println!(
        "{}: valid. {} councils, {} programmes, years {years}; rows: {} participation, {} budget, {} grants, {} support in kind, {} actuals, {} cost centres, {} balances, {} benefits; {} warning{}",
        path.display(),
        book.councils.len(),
        book.programmes.len(),
        book.participation.len(),
        book.budget.len(),
        book.grants.len(),
        book.support_in_kind.len(),
        book.actuals.len(),
        book.cost_centres.len(),
        book.balances.len(),
        book.benefits.len(),
        diags.warning_count(),
        plural(diags.warning_count()),
    );
    ExitCode::SUCCESS
}

fn run(path: &Path, ledgers: &[PathBuf], out: &Path, documents: bool) -> ExitCode {
    let (book, diags) = pipeline::load(path);
    let mut inputs = pipeline::book_files(path);
    inputs.extend(ledgers.iter().cloned());
    if let Err(e) = check_out_dir(out, &inputs) {
        report(&diags);
        eprintln!("error: {e}");
        return ExitCode::from(1);
    }
    if !report(&diags) {
        return ExitCode::from(1);
    }
    let book = book.expect("a book with no error is loaded");
    let ledger = match pipeline::read_ledgers(ledgers, &book) {
        Ok(ledger) => ledger,
        Err(ledger_diags) => {
            report(&ledger_diags);
            return ExitCode::from(1);
        }
    };
    for w in &ledger.warnings {
        eprintln!("{w}");
    }
    // Each file goes into a staging folder as it is made; the folder replaces `out` whole,
    // only once every file is written.
    let staging = match Staging::begin(out) {
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
    let produced = pipeline::book_entries(path).and_then(|mut entries| {
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
    if let Err(e) = staging.commit() {
        eprintln!("error: {e}; the previous reports are as they were");
        return ExitCode::from(1);
    }
    let r = &run.results;
    let years = match (r.years.first(), r.years.last()) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "no years".into(),
    };
    let invoices: std::collections::BTreeSet<&str> =
        r.invoices.iter().map(|i| i.invoice.as_str()).collect();
    let exceptions = r.variance.iter().filter(|v| v.exception).count();
    if let Some(line) = &ledger.summary_line {
        println!("{line}");
    }
    println!(
        "accord: {years}, {} councils, {} invoices, GBP {} raised, {exceptions} variance exception{}; every total reconciles. Reports in {}",
        book.councils.len(),
        invoices.len(),
        accord::money::grouped(run.total_raised),
        plural(exceptions),
        out.display()
    );
    if let (Some(year), Some(to)) = (r.in_progress, r.actuals_to) {
        let flagged = r.monitoring.iter().filter(|m| m.exception).count();
        println!(
            "monitoring: {year} in progress, actuals to {to}: {flagged} exception{} in monitoring.csv and {}/monitoring.pdf",
            plural(flagged),
            year.dashed()
        );
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
