//! Reads a book and ledger files and prints what the ledger adds, without the rest of a run:
//! `cargo run --release --example ledger_only -- BOOK GL.csv...`. For timing the ledger reader
//! on its own (bench/ledger.sh times it beside the whole `accord run` and the `csv` crate alone).

use accord::book::read_book;
use accord::model::load_book;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((book_path, ledgers)) = args.split_first() else {
        eprintln!("usage: ledger_only BOOK LEDGER.csv...");
        return ExitCode::from(2);
    };
    let (raw, diagnostics) = read_book(book_path.as_ref());
    let Some(raw) = raw.filter(|_| !diagnostics.has_errors()) else {
        diagnostics.items.iter().for_each(|d| eprintln!("{d}"));
        return ExitCode::FAILURE;
    };
    let (book, diagnostics) = load_book(&raw);
    if diagnostics.has_errors() {
        diagnostics.items.iter().for_each(|d| eprintln!("{d}"));
        return ExitCode::FAILURE;
    }
    let paths: Vec<PathBuf> = ledgers.iter().map(PathBuf::from).collect();
    let started = Instant::now();
    match accord::ledger::read_ledgers(&paths, &book, true) {
        Ok(summary) => {
            let seconds = started.elapsed().as_secs_f64();
            summary.warnings.iter().for_each(|d| eprintln!("{d}"));
            println!(
                "read {} lines ({}) in {seconds:.3} s: {} mapped ({}), {} unmapped ({})",
                summary.lines_read,
                summary.amount_read,
                summary.lines_mapped,
                summary.amount_mapped,
                summary.lines_unmapped(),
                summary.amount_unmapped()
            );
            for ((year, programme), amount) in &summary.actuals {
                println!("{year} {programme} {amount}");
            }
            ExitCode::SUCCESS
        }
        Err(problems) => {
            problems.items.iter().for_each(|d| eprintln!("{d}"));
            ExitCode::FAILURE
        }
    }
}
