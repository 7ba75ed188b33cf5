//! The command line end to end on the fixture book: golden outputs, the contract
//! checker, same bytes every run, atomic replacement, and the seeds' own figures.

use crate::support::*;
use std::fs;

const GOLDEN_FILES: [&str; 7] = [
    "allocations.csv",
    "carry_forward.csv",
    "invoices.csv",
    "variance.csv",
    "benefits.csv",
    "returns.csv",
    "unmapped.csv",
];

fn run_fixture(out: &std::path::Path) -> std::process::Output {
    run_into(&fixture(), out)
}

/// Reads one CSV output into rows of fields (header dropped).
fn rows(out: &std::path::Path, file: &str) -> Vec<Vec<String>> {
    crate::support::csv_data(&out.join(file))
}

#[test]
fn fixture_run_matches_the_golden_files() {
    let dir = scratch("golden");
    let out = dir.join("reports");
    run_fixture(&out);
    check_contract(&out);
    let golden = repo().join("tests/golden/wla");
    for file in GOLDEN_FILES {
        let got = fs::read_to_string(out.join(file)).unwrap();
        if std::env::var_os("ACCORD_BLESS").is_some() {
            fs::create_dir_all(&golden).unwrap();
            fs::write(golden.join(file), &got).unwrap();
            continue;
        }
        let want = fs::read_to_string(golden.join(file))
            .unwrap_or_else(|_| panic!("golden file {file} is missing; run the tests with ACCORD_BLESS=1 once and review it"));
        assert_eq!(got, want, "{file} differs from tests/golden/wla/{file}");
    }
}

#[test]
fn the_seeds_figures_come_out() {
    let dir = scratch("seeds");
    let out = dir.join("reports");
    let output = run_fixture(&out);
    let allocations = rows(&out, "allocations.csv");
    let amount = |year: &str, programme: &str, council: &str| -> String {
        allocations
            .iter()
            .find(|r| r[0] == year && r[1] == programme && r[2] == council)
            .map(|r| r[6].clone())
            .unwrap_or_else(|| panic!("no allocation {year} {programme} {council}"))
    };
    // Report 2.38: GBP 30,000 from each of the six boroughs for the Office in 2012/13.
    for council in ["BAR", "BRE", "EAL", "HIL", "HOU", "HRW"] {
        assert_eq!(
            amount("2012/13", "OFFICE", council),
            "30000.00",
            "Office {council}"
        );
        // Report 2.42: GBP 60,000 of support in kind shared equally is GBP 10,000 each.
        assert_eq!(
            amount("2012/13", "SIK", council),
            "10000.00",
            "support in kind {council}"
        );
    }
    // Ealing keeps its own share: it is never invoiced to itself.
    let invoices = rows(&out, "invoices.csv");
    assert!(
        invoices.iter().all(|r| r[2] != r[3]),
        "no council invoices itself"
    );
    let sik_invoiced: i64 = invoices
        .iter()
        .filter(|r| r[1] == "2012/13" && r[4] == "SIK")
        .map(|r| (r[5].parse::<f64>().unwrap() * 100.0).round() as i64)
        .sum();
    assert_eq!(
        sik_invoiced, 5_000_000,
        "EAL invoices the other five GBP 50,000 in all"
    );
    // Barnet gave notice on 20 November 2013, so it pays for transport until 19 November 2014:
    // 233 days of 2014/15, whatever `to` says.
    let barnet = allocations
        .iter()
        .find(|r| r[0] == "2014/15" && r[1] == "TRANSPORT" && r[2] == "BAR")
        .expect("Barnet still pays for transport in 2014/15");
    assert_eq!(barnet[4], "233");
    assert!(
        !allocations
            .iter()
            .any(|r| r[0] == "2015/16" && r[1] == "TRANSPORT" && r[2] == "BAR"),
        "and not in 2015/16"
    );
    assert!(
        stderr(&output).contains("gave notice on 2013-11-20")
            && stderr(&output).contains("2014-11-19"),
        "the notice extension is a warning:\n{}",
        stderr(&output)
    );
    // Harrow stayed out of the transport hub (report 2.27).
    assert!(!allocations
        .iter()
        .any(|r| r[1] == "TRANSPORT" && r[2] == "HRW"));
    assert!(
        stdout(&output).contains("every total reconciles"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn same_book_same_bytes_and_reports_are_replaced_whole() {
    let dir = scratch("same-bytes");
    let first = dir.join("first");
    let second = dir.join("second");
    run_fixture(&first);
    run_fixture(&second);
    assert_eq!(
        tree(&first),
        tree(&second),
        "two runs of one book give identical folders"
    );
    // Running again into the same folder replaces it, leaving no staging folders behind.
    run_fixture(&first);
    assert_eq!(tree(&first), tree(&second));
    let names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "only the two report folders: {names:?}");
}

#[test]
fn an_invalid_book_writes_nothing_and_keeps_the_old_reports() {
    let dir = scratch("invalid-keeps");
    let out = dir.join("reports");
    run_fixture(&out);
    let before = tree(&out);
    let book = copy_fixture(&dir);
    edit(&book, "budget.csv", "142000.00", "\"12,34.5x\"");
    let output = accord(&[
        "run",
        book.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("nothing was written"),
        "{}",
        stderr(&output)
    );
    assert_eq!(tree(&out), before, "the previous reports are untouched");
}

#[test]
fn the_csv_book_and_its_workbook_give_the_same_reports() {
    let dir = scratch("workbook");
    let workbook = repo().join("fixtures/wla.xlsx");
    let from_csv = dir.join("from-csv");
    let from_xlsx = dir.join("from-xlsx");
    run_fixture(&from_csv);
    let output = accord(&[
        "run",
        workbook.to_str().unwrap(),
        "--out",
        from_xlsx.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    check_contract(&from_xlsx);
    for file in GOLDEN_FILES {
        assert_eq!(
            fs::read(from_csv.join(file)).unwrap(),
            fs::read(from_xlsx.join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn the_fixture_workbook_is_made_from_the_csv_folder() {
    let dir = scratch("convert");
    let made = dir.join("wla.xlsx");
    let output = accord(&[
        "convert",
        fixture().to_str().unwrap(),
        made.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        fs::read(&made).unwrap() == fs::read(repo().join("fixtures/wla.xlsx")).unwrap(),
        "fixtures/wla.xlsx is out of date: run `cargo run --release -- convert fixtures/wla fixtures/wla.xlsx --force`"
    );
}

#[test]
fn validate_passes_on_both_fixture_books() {
    for book in ["fixtures/wla", "fixtures/wla.xlsx"] {
        let output = accord(&["validate", repo().join(book).to_str().unwrap()]);
        assert!(output.status.success(), "{book}:\n{}", stderr(&output));
        assert!(
            stdout(&output).contains("valid. 7 councils, 8 programmes, years 2012/13 to 2016/17"),
            "{}",
            stdout(&output)
        );
        // The tables a book may leave out are counted too, when they have rows.
        let rows = |table: &str| {
            let text =
                fs::read_to_string(repo().join(format!("fixtures/wla/{table}.csv"))).unwrap();
            text.lines().filter(|l| !l.trim().is_empty()).count() - 1
        };
        let counted = format!(
            "{} benefits, {} register, {} purchase orders; ",
            rows("benefits"),
            rows("issued"),
            rows("purchase_orders")
        );
        assert!(
            stdout(&output).contains(&counted),
            "{}\nwanted {counted}",
            stdout(&output)
        );
    }
}

#[test]
fn init_writes_a_valid_template_and_never_overwrites() {
    let dir = scratch("init");
    for target in ["book", "book.xlsx"] {
        let path = dir.join(target);
        let output = accord(&["init", path.to_str().unwrap()]);
        assert!(output.status.success(), "{}", stderr(&output));
        let output = accord(&["validate", path.to_str().unwrap()]);
        assert!(
            output.status.success(),
            "the template validates:\n{}",
            stderr(&output)
        );
        let again = accord(&["init", path.to_str().unwrap()]);
        assert_eq!(again.status.code(), Some(1), "a second init refuses");
        assert!(
            stderr(&again).contains("never overwrites"),
            "{}",
            stderr(&again)
        );
    }
}

#[test]
fn a_wrong_command_line_exits_2() {
    let output = accord(&["run"]);
    assert_eq!(output.status.code(), Some(2));
    let output = accord(&["frobnicate"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn refuses_an_out_folder_that_holds_the_book_or_someone_elses_files() {
    let dir = scratch("out-safety");
    let book = copy_fixture(&dir);
    let output = accord(&[
        "run",
        book.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("choose a reports folder outside the book"),
        "{}",
        stderr(&output)
    );
    let mine = dir.join("mine");
    fs::create_dir_all(&mine).unwrap();
    fs::write(mine.join("letter.txt"), "keep").unwrap();
    let output = accord(&[
        "run",
        book.to_str().unwrap(),
        "--out",
        mine.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(fs::read_to_string(mine.join("letter.txt")).unwrap(), "keep");
}

#[test]
fn reordering_the_books_rows_changes_no_report() {
    let dir = scratch("reordered");
    let book = copy_fixture(&dir);
    let mut rng = crate::support::books::Rng::new(2013);
    for entry in fs::read_dir(&book).unwrap() {
        let path = entry.unwrap().path();
        // The register's order is its checksum chain (SPEC §5): reordering it is an error.
        if path.ends_with("issued.csv") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        let header = lines.remove(0);
        rng.shuffle(&mut lines);
        lines.reverse();
        fs::write(&path, format!("{header}\n{}\n", lines.join("\n"))).unwrap();
    }
    let shuffled_out = dir.join("shuffled");
    let output = accord(&[
        "run",
        book.to_str().unwrap(),
        "--out",
        shuffled_out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let golden = repo().join("tests/golden/wla");
    for file in GOLDEN_FILES {
        assert_eq!(
            fs::read_to_string(shuffled_out.join(file)).unwrap(),
            fs::read_to_string(golden.join(file)).unwrap(),
            "{file} changes when the book's rows are reordered"
        );
    }
}
