//! The ledger reader: any bytes as a general-ledger CSV, read against the fixture
//! book, end in a summary whose lines and pence add up, or in located errors; never a panic.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use accord::model::Book;
use accord::pipeline;
use libfuzzer_sys::fuzz_target;

#[path = "scratch.rs"]
mod scratch;

fn book() -> &'static Book {
    static BOOK: OnceLock<Book> = OnceLock::new();
    BOOK.get_or_init(|| {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/wla");
        pipeline::load(&fixture)
            .0
            .expect("the fixture book is valid")
    })
}

fn ledger_path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| scratch::scratch_path("gl").with_extension("csv"))
}

fuzz_target!(|data: &[u8]| {
    let book = book();
    let path = ledger_path();
    std::fs::write(path, data).expect("scratch write");
    match accord::ledger::read_ledgers(std::slice::from_ref(path), book, false) {
        Ok(summary) => {
            assert_eq!(
                summary.lines_read,
                summary.lines_mapped + summary.lines_unmapped()
            );
            assert_eq!(
                summary.amount_read,
                summary.amount_mapped + summary.amount_unmapped()
            );
        }
        Err(diagnostics) => assert!(diagnostics.has_errors(), "a refused ledger says why"),
    }
});
