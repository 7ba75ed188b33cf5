//! The `accord` command: arguments in, one call into the library, diagnostics and a summary
//! out. This is the only place that prints or picks the exit status (0 done, 1 the input is
//! wrong, 2 the command line is wrong).

use accord::diag::Diagnostics;
use accord::output::{check_out_dir, replace_folder};
use accord::{pipeline, template};
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
        after_help = "Example:\n  accord run fixtures/wla --out reports\n  accord run book.xlsx --ledger gl-2012.csv --ledger gl-2013.csv\n\nAn invalid book writes nothing and leaves earlier reports as they were."
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
        Command::Run { book, ledgers, out } => run(&book, &ledgers, &out),
        Command::Init { path } => init(&path),
        Command::Convert { book, out, force } => convert(&book, &out, force),
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

fn run(path: &Path, ledgers: &[PathBuf], out: &Path) -> ExitCode {
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
    let produced = pipeline::book_entries(path).and_then(|mut entries| {
        entries.extend(ledger.files.iter().cloned());
        pipeline::produce(&book, &ledger.actuals, &ledger.unmapped, &entries)
    });
    let run = match produced {
        Ok(run) => run,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    for w in &run.results.warnings {
        eprintln!("{w}");
    }
    if let Err(e) = replace_folder(out, &run.files) {
        eprintln!("error: {e}; the previous reports are as they were");
        return ExitCode::from(1);
    }
    if let Some(line) = &ledger.summary_line {
        println!("{line}");
    }
    println!(
        "{}. Reports in {}",
        pipeline::run_summary(&book, &run),
        out.display()
    );
    ExitCode::SUCCESS
}

fn init(path: &Path) -> ExitCode {
    let is_workbook = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_workbook {
        if path.exists() {
            eprintln!("{}: error: exists already; accord init never overwrites a file, so choose a new name", path.display());
            return ExitCode::from(1);
        }
        if let Err(e) = accord::book::write_workbook(&template::template_tables(), path) {
            eprintln!("{}: error: {e}", path.display());
            return ExitCode::from(1);
        }
        println!(
            "{}: template workbook written; fill it in, then run accord validate {}",
            path.display(),
            path.display()
        );
        return ExitCode::SUCCESS;
    }
    let files = template::template_csv_files();
    let existing: Vec<String> = files
        .iter()
        .map(|(name, _)| path.join(name))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if path.exists() && !path.is_dir() {
        eprintln!(
            "{}: error: exists and is not a folder; give a new folder or a path ending in .xlsx",
            path.display()
        );
        return ExitCode::from(1);
    }
    if !existing.is_empty() {
        eprintln!(
            "error: accord init never overwrites a file, and these exist: {}; choose a new folder",
            existing.join(", ")
        );
        return ExitCode::from(1);
    }
    if let Err(e) = std::fs::create_dir_all(path) {
        eprintln!("{}: error: {e}", path.display());
        return ExitCode::from(1);
    }
    for (name, content) in files {
        let file = path.join(name);
        if let Err(e) = std::fs::write(&file, content) {
            eprintln!("{}: error: {e}", file.display());
            return ExitCode::from(1);
        }
    }
    println!("{}: template book written (one CSV file per table); fill it in, then run accord validate {}", path.display(), path.display());
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
