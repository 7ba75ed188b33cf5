//! The steps of `accord compare` between the command line and the library: read and check
//! each book (keeping its raw tables for `--what-if`), run both through the same rules, and
//! lay out the comparison folder. No printing here.

use super::Comparison;
use crate::book::{read_book, RawBook};
use crate::diag::Diagnostics;
use crate::model::{load_book, Book};
use crate::output::OutputFile;
use crate::render::manifest::{write_manifest, FileEntry, Manifest};
use std::path::{Path, PathBuf};

/// Reads and checks a book as `pipeline::load` does, keeping its raw tables. `Some` only when
/// there is no error.
pub fn load_with_raw(path: &Path) -> (Option<(RawBook, Book)>, Diagnostics) {
    let (raw, mut diags) = read_book(path);
    let Some(raw) = raw else {
        return (None, diags);
    };
    let (book, model_diags) = load_book(&raw);
    diags.append(model_diags);
    diags.first_error_per_cell();
    if diags.has_errors() {
        (None, diags)
    } else {
        (Some((raw, book)), diags)
    }
}

/// Every file of the comparison folder: the three CSV files, `compare.xlsx`, `index.html` and
/// `manifest.json` (with the books' files as inputs).
pub fn comparison_files(
    comparison: &Comparison,
    inputs: &[FileEntry],
) -> std::io::Result<Vec<OutputFile>> {
    let mut files = Vec::new();
    for table in super::tables(comparison) {
        let mut content = Vec::new();
        crate::render::csv::write_table(&table, &mut content)?;
        files.push(OutputFile {
            path: PathBuf::from(table.file_name),
            content,
        });
    }
    let workbook = crate::render::compare_xlsx::compare_xlsx(comparison)
        .map_err(|e| std::io::Error::other(format!("compare.xlsx: {e}")))?;
    files.push(OutputFile {
        path: PathBuf::from("compare.xlsx"),
        content: workbook,
    });
    files.push(OutputFile {
        path: PathBuf::from("index.html"),
        content: crate::render::compare_html::compare_page(comparison).into_bytes(),
    });
    let manifest = Manifest {
        accord_version: env!("CARGO_PKG_VERSION"),
        inputs: inputs.to_vec(),
        outputs: files
            .iter()
            .map(|f| FileEntry::of(f.path.display().to_string(), &f.content))
            .collect(),
    };
    let mut content = Vec::new();
    write_manifest(&manifest, &mut content)?;
    files.push(OutputFile {
        path: PathBuf::from("manifest.json"),
        content,
    });
    Ok(files)
}
