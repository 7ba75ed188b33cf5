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

/// Runs `accord run BOOK --out OUT` in a child whose writes are limited the way `limit` sets
/// up (in the child, before it starts accord).
fn run_limited(book: &Path, out: &Path, limit: fn()) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut command = Command::new(env!("CARGO_BIN_EXE_accord"));
    command.args([
        "run",
        book.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    // SAFETY: `limit` only calls async-signal-safe functions (setrlimit, signal).
    unsafe {
        command.pre_exec(move || {
            limit();
            Ok(())
        });
    }
    command.output().unwrap()
}

/// Checks a failed write: exit 1, a message saying the previous reports stand, the reports
/// folder byte for byte as it was, and no staging folder left beside it.
fn assert_failed_write_kept(
    output: &std::process::Output,
    out: &Path,
    before: &[(String, Vec<u8>)],
) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the previous reports are as they were"),
        "{err}"
    );
    assert!(tree(out) == before, "the previous reports are intact");
    let leftovers: Vec<String> = fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("accord-new"))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

/// A write that fails part way (here, every file is limited to 32 KiB; the largest report is 55 KB, as a full quota would
/// stop it) leaves the previous reports whole and nothing else behind.
#[test]
fn a_run_that_cannot_write_leaves_the_previous_reports() {
    let dir = scratch("file-size-limit");
    let out = dir.join("reports");
    run_into(&fixture(), &out);
    let before = tree(&out);
    let book = copy_fixture(&dir);
    edit(&book, "budget.csv", "142000.00", "142001.00");
    let output = run_limited(&book, &out, || unsafe {
        // Writing past the limit fails with EFBIG instead of killing the process.
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        let limit = libc::rlimit {
            rlim_cur: 32 * 1024,
            rlim_max: 32 * 1024,
        };
        libc::setrlimit(libc::RLIMIT_FSIZE, &limit);
    });
    assert_failed_write_kept(&output, &out, &before);
    assert!(
        stderr(&output).contains("File too large"),
        "{}",
        stderr(&output)
    );
}

/// A disk that fills up during the run: a 10 MiB file system holds one set of the fixture's
/// reports (about 7 MiB) but not a second beside it. Needs permission to mount a tmpfs, which
/// CI's root has; elsewhere the test says so and checks nothing.
#[test]
fn a_full_disk_leaves_the_previous_reports() {
    let dir = scratch("disk-full");
    let disk = dir.join("disk");
    fs::create_dir_all(&disk).unwrap();
    let mounted = Command::new("mount")
        .args([
            "-t",
            "tmpfs",
            "-o",
            "size=10m",
            "tmpfs",
            disk.to_str().unwrap(),
        ])
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("a_full_disk_leaves_the_previous_reports: cannot mount a tmpfs here; the file-size-limit test covers the same path");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(disk.clone());
    let out = disk.join("reports");
    run_into(&fixture(), &out);
    let before = tree(&out);
    let book = copy_fixture(&dir);
    edit(&book, "budget.csv", "142000.00", "142001.00");
    let output = accord(&[
        "run",
        book.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_failed_write_kept(&output, &out, &before);
    assert!(
        stderr(&output).contains("No space left on device"),
        "{}",
        stderr(&output)
    );
    // Once there is room, the same run goes through.
    fs::remove_dir_all(&out).unwrap();
    run_into(&book, &out);
}
