//! The reports folder survives anything: a run killed at any moment leaves either the previous
//! reports or the new ones, whole, and the next run cleans up what the killed one left.

use crate::support::*;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A book large enough that writing its reports takes a noticeable time.
fn large_book(dir: &Path) -> PathBuf {
    let book = dir.join("large");
    fs::create_dir_all(&book).unwrap();
    let councils = 40;
    let programmes = 10;
    let mut text = String::from("code,name\n");
    for c in 0..councils {
        writeln!(text, "C{c:03},Council {c}").unwrap();
    }
    fs::write(book.join("councils.csv"), text).unwrap();
    let mut text = String::from("code,name,lead\nOFFICE,Office,C000\n");
    for p in 0..programmes {
        writeln!(text, "P{p:02},Programme {p},C000").unwrap();
    }
    fs::write(book.join("programmes.csv"), text).unwrap();
    let mut text = String::from("programme,council\n");
    for p in 0..programmes {
        for c in 0..councils {
            writeln!(text, "P{p:02},C{c:03}").unwrap();
        }
    }
    fs::write(book.join("participation.csv"), text).unwrap();
    let mut text = String::from("year,programme,line,amount\n");
    for y in 0..2 {
        let year = format!("{}/{:02}", 2012 + y, 13 + y);
        writeln!(text, "{year},OFFICE,staff,3600000.00").unwrap();
        for p in 0..programmes {
            writeln!(text, "{year},P{p:02},staff,{}.99", 100_000 + p * 7).unwrap();
        }
    }
    fs::write(book.join("budget.csv"), text).unwrap();
    book
}

#[test]
fn a_killed_run_leaves_whole_reports() {
    let dir = scratch("killed");
    let out = dir.join("reports");
    let big = large_book(&dir);
    // The two possible whole states: the fixture's reports, and the large book's.
    run_into(&fixture(), &out);
    let before = tree(&out);
    let reference = dir.join("reference");
    run_into(&big, &reference);
    let after = tree(&reference);
    for delay_ms in [20, 80, 200, 400, 700, 1000, 1500, 2500] {
        run_into(&fixture(), &out);
        let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(["run", big.to_str().unwrap(), "--out", out.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&out);
        let differing = |other: &Vec<(String, Vec<u8>)>| -> Vec<String> {
            let names: std::collections::BTreeSet<&String> =
                now.iter().chain(other.iter()).map(|(n, _)| n).collect();
            names
                .into_iter()
                .filter(|n| {
                    now.iter().find(|(m, _)| m == *n) != other.iter().find(|(m, _)| m == *n)
                })
                .take(5)
                .cloned()
                .collect()
        };
        assert!(
            now == before || now == after,
            "killed after {delay_ms} ms: the reports folder is neither the old reports (differs in {:?}) nor the new ones (differs in {:?})",
            differing(&before),
            differing(&after)
        );
    }
    // The next run removes whatever staging folders the killed runs left.
    run_into(&fixture(), &out);
    let leftovers: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("accord-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}
