//! The steps of `accord compare` between the command line and the library: read and check
//! each book (keeping its raw tables for `--what-if`), run both through the same rules, and
//! lay out the comparison folder. No printing here.

use crate::compare::Comparison;
use crate::output::OutputFile;
use crate::render::manifest::{write_manifest, FileEntry, Manifest};
use std::path::PathBuf;

/// Every file of the comparison folder: the three CSV files, `compare.xlsx`, `index.html` and
/// `manifest.json` (with the books' files as inputs).
pub fn comparison_files(
    comparison: &Comparison,
    inputs: &[FileEntry],
) -> std::io::Result<Vec<OutputFile>> {
    let mut files = Vec::new();
    for table in crate::compare::tables(comparison) {
        let mut content = Vec::new();
        crate::render::csv::write_table(&table, &mut content)?;
        files.push(OutputFile {
            path: PathBuf::from(table.file_name),
            content,
        });
    }
    let workbook = crate::render::xlsx::compare::compare_xlsx(
        &crate::report::compare::compare_view(comparison),
    )
    .map_err(|e| std::io::Error::other(format!("compare.xlsx: {e}")))?;
    files.push(OutputFile {
        path: PathBuf::from("compare.xlsx"),
        content: workbook,
    });
    files.push(OutputFile {
        path: PathBuf::from("index.html"),
        content: crate::render::html::compare::compare_page(&crate::report::compare::compare_view(
            comparison,
        ))
        .into_bytes(),
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
