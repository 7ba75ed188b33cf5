//! Benchmark of the engine on large synthetic books: up to 400 councils, 60 programmes and
//! 10 years (the target), written as a CSV book, then read, validated, allocated,
//! reconciled and laid out as the CSV reports (the PDFs and workbooks are not timed here: a
//! book this size has tens of thousands of invoices). Prints a table of timings showing how the time grows with councils and
//! years. Run with `cargo bench --bench engine` (no timed assertions: figures are for notes).

#[path = "support/book.rs"]
mod book;

use accord::engine::{self, ExtraActuals};
use accord::pipeline;
use book::write_book;
use std::fs;
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let dir = std::env::temp_dir().join("accord-bench-engine");
    fs::create_dir_all(&dir).unwrap();
    println!("councils programmes years | rows(participation) | load+validate | engine | reconcile+CSV tables | allocations invoices");
    for (councils, programmes, years) in [
        (100, 60, 10),
        (200, 60, 10),
        (400, 60, 10),
        (400, 60, 5),
        (400, 30, 10),
    ] {
        let book_path = write_book(&dir, councils, programmes, years);
        let mut load_times = Vec::new();
        let mut engine_times = Vec::new();
        let mut report_times = Vec::new();
        let mut shape = (0, 0, 0);
        for _ in 0..3 {
            let start = Instant::now();
            let (book, diags) = pipeline::load(&book_path);
            load_times.push(start.elapsed());
            let book = book.unwrap_or_else(|| {
                panic!("the generated book is valid: {:?}", diags.errors().next())
            });
            let start = Instant::now();
            let results = engine::run(&book, &ExtraActuals::new());
            engine_times.push(start.elapsed());
            let start = Instant::now();
            accord::report::reconcile(&book, &results);
            let mut bytes = 0;
            for table in accord::report::tables(&results, &[]) {
                let mut out = Vec::new();
                accord::render::csv::write_table(&table, &mut out).unwrap();
                bytes += out.len();
            }
            report_times.push(start.elapsed());
            assert!(bytes > 0, "the reports are not empty");
            shape = (
                book.participation.len(),
                results.allocations.len(),
                results.invoices.len(),
            );
        }
        println!(
            "{councils:>8} {programmes:>10} {years:>5} | {:>19} | {:>13.3?} | {:>6.3?} | {:>20.3?} | {} {}",
            shape.0,
            median(load_times),
            median(engine_times),
            median(report_times),
            shape.1,
            shape.2
        );
    }
}
