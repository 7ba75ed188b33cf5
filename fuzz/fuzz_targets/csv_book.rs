//! The CSV book reader, the checks and, when a book passes them, the whole run: any bytes in
//! any table end in a valid book or in located errors, never a panic, and a valid book's run
//! reconciles (`report::reconcile` asserts every money identity).
//!
//! The input is the book's files joined by NUL bytes, in `TABLE_NAMES` order: the seeds are the
//! fixture book written that way, so mutations start from a valid book.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use accord::book::TABLE_NAMES;
use accord::engine::ExtraActuals;
use accord::pipeline;
use libfuzzer_sys::fuzz_target;

#[path = "scratch.rs"]
mod scratch;

fn folder() -> &'static PathBuf {
    static FOLDER: OnceLock<PathBuf> = OnceLock::new();
    FOLDER.get_or_init(|| scratch::scratch_folder("csv"))
}

fuzz_target!(|data: &[u8]| {
    let folder = folder();
    let mut parts = data.split(|&b| b == 0);
    for name in TABLE_NAMES {
        let path = folder.join(format!("{name}.csv"));
        match parts.next() {
            Some(bytes) => std::fs::write(&path, bytes).expect("scratch write"),
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    let (book, diagnostics) = pipeline::load(folder);
    match book {
        Some(book) => {
            let run = pipeline::produce(&book, &ExtraActuals::new(), &[], &[])
                .expect("rendering to memory does not fail");
            assert!(!run.files.is_empty());
        }
        None => assert!(diagnostics.has_errors(), "a refused book says why"),
    }
});
