//! Writes the benchmarks' synthetic book as a folder of CSV files:
//! `cargo run --release --example gen_book -- DIR COUNCILS PROGRAMMES YEARS` prints the
//! book's folder (`DIR/book-C-P-Y`). Used by `bench/pack.sh`.

#[path = "../benches/support/book.rs"]
mod book;

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let numbers: Vec<usize> = args.iter().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (Some(dir), [councils, programmes, years]) = (args.first(), numbers.as_slice()) else {
        eprintln!("usage: gen_book DIR COUNCILS PROGRAMMES YEARS");
        return ExitCode::from(2);
    };
    std::fs::create_dir_all(dir).expect("the folder can be made");
    let book = book::write_book(Path::new(dir), *councils, *programmes, *years);
    println!("{}", book.display());
    ExitCode::SUCCESS
}
