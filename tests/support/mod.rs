//! Helpers shared by the integration tests: scratch folders, running the binary, copying and
//! editing the fixture book, and the contract checker (`contract.rs`).

pub mod books;
pub mod contract;

pub use contract::check_contract;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture() -> PathBuf {
    repo().join("fixtures/wla")
}

/// A fresh, empty folder for one test, removed when the test ends, unless the test fails
/// (then it is kept, for a look at what the run wrote). Derefs to its path.
pub struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = PathBuf;

    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("kept the failed test's folder {}", self.0.display());
        } else {
            let _ = fs::remove_dir_all(&self.0);
        }
    }
}

/// A fresh, empty folder for one test (see [`Scratch`]).
pub fn scratch(name: &str) -> Scratch {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("accord-test-{}-{n}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

/// A folder shared by the tests of one file that only read what one run wrote (kept in a
/// `OnceLock`, which is never dropped): the same name every time, emptied when first used, so
/// runs of the suite do not pile up folders.
pub fn shared_scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("accord-test-shared-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn accord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .output()
        .expect("the accord binary runs")
}

/// Runs `accord run BOOK --out OUT` and fails the test unless it succeeds.
pub fn run_into(book: &Path, out: &Path) -> Output {
    let output = accord(&[
        "run",
        book.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "accord run failed:\n{}",
        stderr(&output)
    );
    output
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Copies the fixture book's CSV files into `dir/book` and returns that folder.
pub fn copy_fixture(dir: &Path) -> PathBuf {
    let book = dir.join("book");
    fs::create_dir_all(&book).unwrap();
    for entry in fs::read_dir(fixture()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            fs::copy(&path, book.join(path.file_name().unwrap())).unwrap();
        }
    }
    book
}

/// Replaces the first occurrence of `from` with `to` in one file of a copied book.
pub fn edit(book: &Path, file: &str, from: &str, to: &str) {
    let path = book.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} should contain {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Every file below `dir`, as relative path and bytes, sorted.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// A CSV file's data rows as cells (header dropped).
pub fn csv_data(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// A CSV file's data rows as column -> value.
pub fn csv_records(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .map(str::to_owned)
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}
