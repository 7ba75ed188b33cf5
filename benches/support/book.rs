//! The large synthetic book of the benchmarks (shared by `benches/engine.rs` and
//! `examples/gen_book.rs`, which `bench/pack.sh` runs): up to 400 councils, 60 programmes and
//! 10 years, written as a folder of CSV files.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// Writes a book of `councils` councils (one in ten a guest), `programmes` programmes (a third
/// weighted, the rest equal; each council in about two thirds of them, some in two stints),
/// and `years` years of budget, grants, support in kind and actuals.
pub fn write_book(dir: &Path, councils: usize, programmes: usize, years: usize) -> PathBuf {
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
