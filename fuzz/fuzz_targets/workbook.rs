//! The workbook reader: any bytes saved as a workbook (xlsx, ods, xls or xlsb, picked by the
//! first byte) end in a valid book or in located errors, never a panic, a hang or an allocation
//! the size of a declared count; a valid book's run reconciles.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use accord::engine::ExtraActuals;
use accord::pipeline;
use libfuzzer_sys::fuzz_target;

#[path = "scratch.rs"]
mod scratch;

const EXTENSIONS: [&str; 4] = ["xlsx", "ods", "xls", "xlsb"];

fn folder() -> &'static PathBuf {
    static FOLDER: OnceLock<PathBuf> = OnceLock::new();
    FOLDER.get_or_init(|| scratch::scratch_folder("workbook"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, bytes)) = data.split_first() else {
        return;
    };
    let extension = EXTENSIONS[usize::from(kind) % EXTENSIONS.len()];
    let path = folder().join(format!("book.{extension}"));
    std::fs::write(&path, bytes).expect("scratch write");
    let (book, diagnostics) = pipeline::load(&path);
    let _ = std::fs::remove_file(&path);
    match book {
        Some(book) => {
            let run = pipeline::produce(&book, &ExtraActuals::new(), &[], &[])
                .expect("rendering to memory does not fail");
            assert!(!run.files.is_empty());
        }
        None => assert!(diagnostics.has_errors(), "a refused book says why"),
    }
});
