//! Benchmark of the engine on large synthetic books: up to 400 councils, 60 programmes and
//! 10 years (the target), written as a CSV book, then read, validated, allocated,
//! reconciled and laid out as the CSV reports (the PDFs and workbooks are not timed here: a
//! book this size has tens of thousands of invoices). Prints a table of timings showing how the time grows with councils and
//! years. Run with `cargo bench --bench engine` (no timed assertions: figures are for notes).

use accord::engine::{self, ExtraActuals};
use accord::pipeline;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Writes a book of `councils` councils (one in ten a guest), `programmes` programmes (a third
/// weighted, the rest equal; each council in about two thirds of them, some in two stints),
/// and `years` years of budget, grants, support in kind and actuals.
fn write_book(dir: &Path, councils: usize, programmes: usize, years: usize) -> PathBuf {
    let book = dir.join(format!("book-{councils}-{programmes}-{years}"));
    let _ = fs::remove_dir_all(&book);
    fs::create_dir_all(&book).unwrap();
    let code = |i: usize| format!("C{i:03}");
    let mut text = String::from("code,name,kind,joined\n");
    for i in 0..councils {
        let kind = if i % 10 == 9 { "guest" } else { "member" };
        let joined = if i % 7 == 3 { "2014-10-01" } else { "" };
        writeln!(text, "{},Council {i},{kind},{joined}", code(i)).unwrap();
    }
    fs::write(book.join("councils.csv"), &text).unwrap();
    let mut text = String::from("code,name,lead,basis\nOFFICE,WLA Office,C000,equal\n");
    for p in 0..programmes {
        let basis = if p % 3 == 0 { "weighted" } else { "equal" };
        writeln!(text, "P{p:02},Programme {p},{},{basis}", code(p % councils)).unwrap();
    }
    fs::write(book.join("programmes.csv"), &text).unwrap();
    let mut text = String::from("programme,council,from,to,weight\n");
    for p in 0..programmes {
        for c in 0..councils {
            if (p * 7 + c * 5) % 3 == 2 {
                continue;
            }
            let weight = if p % 3 == 0 {
                format!("{}.5", 1 + (c % 9))
            } else {
                String::new()
            };
            if (p + c) % 5 == 0 {
                writeln!(text, "P{p:02},{},,2015-06-30,{weight}", code(c)).unwrap();
                writeln!(text, "P{p:02},{},2015-07-01,,{weight}", code(c)).unwrap();
            } else {
                writeln!(text, "P{p:02},{},,,{weight}", code(c)).unwrap();
            }
        }
    }
    fs::write(book.join("participation.csv"), &text).unwrap();
    let mut budget = String::from("year,programme,line,category,amount\n");
    let mut grants = String::from("year,programme,source,amount\n");
    let mut actuals = String::from("year,programme,category,amount\n");
    let mut sik = String::from("year,provider,category,amount\n");
    for y in 0..years {
        let year = format!("{}/{:02}", 2012 + y, (13 + y) % 100);
        writeln!(budget, "{year},OFFICE,staff,staff,{}.00", councils * 30_000).unwrap();
        writeln!(sik, "{year},C000,accommodation,60000.00").unwrap();
        for p in 0..programmes {
            for (line, category) in [
                ("staff", "staff"),
                ("running", "running_costs"),
                ("commissioning", "commissioning"),
            ] {
                writeln!(
                    budget,
                    "{year},P{p:02},{line},{category},{}.37",
                    100_000 + p * 1_000 + y * 500
                )
                .unwrap();
                if y < years / 2 {
                    writeln!(
                        actuals,
                        "{year},P{p:02},{category},{}.11",
                        98_000 + p * 1_100
                    )
                    .unwrap();
                }
            }
            if p % 4 == 0 {
                writeln!(grants, "{year},P{p:02},Capital Ambition,25000.00").unwrap();
            }
        }
    }
    fs::write(book.join("budget.csv"), budget).unwrap();
    fs::write(book.join("grants.csv"), grants).unwrap();
    fs::write(book.join("actuals.csv"), actuals).unwrap();
    fs::write(book.join("support_in_kind.csv"), sik).unwrap();
    book
}

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
