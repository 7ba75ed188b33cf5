//! The steps of `accord compare` between the command line and the library: read and check
//! each book (keeping its raw tables for `--what-if`), run both through the same rules, and
//! lay out the comparison folder. No printing here.

use crate::book::RawBook;
use crate::compare::what_if::Change;
use crate::compare::Comparison;
use crate::model::Book;
use crate::money::{grouped, Money};
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

/// `--what-if`'s changes, read and checked against the rest of the command line: a second
/// book or changes, not both and not neither. The error is the message to print (a usage
/// error).
pub fn what_ifs(what_if: &[String], second_book: bool) -> Result<Vec<(String, Change)>, String> {
    let changes: Vec<(String, Change)> = what_if
        .iter()
        .map(|text| Change::parse(text).map(|c| (text.clone(), c)))
        .collect::<Result<_, _>>()?;
    match (second_book, changes.is_empty()) {
        (true, false) => Err("give either a second book or --what-if changes, not both".into()),
        (false, true) => {
            Err("give a second book to compare with, or at least one --what-if CHANGE".into())
        }
        _ => Ok(changes),
    }
}

/// Book A with the what-if changes applied, labelled with them; or why they cannot apply.
pub fn what_if_book(
    raw: &RawBook,
    a: &Book,
    changes: &[(String, Change)],
) -> Result<Book, Vec<String>> {
    let mut b = crate::compare::what_if::apply(raw, a, changes)?;
    let said: Vec<&str> = changes.iter().map(|(text, _)| text.as_str()).collect();
    b.label = format!("{} with {}", a.label, said.join(", "));
    Ok(b)
}

/// Both books through the same rules, compared. The places of a what-if's book B are
/// `what-if`, since no file holds them.
pub fn compare_books(a: &Book, b: &Book, b_is_what_if: bool) -> Comparison {
    let empty = crate::engine::ExtraActuals::new();
    let results_a = crate::engine::run(a, &empty);
    let results_b = crate::engine::run(b, &empty);
    let mut comparison = crate::compare::compare((a, &results_a), (b, &results_b));
    if b_is_what_if {
        for change in &mut comparison.changes {
            change.place_b = "what-if".into();
        }
    }
    comparison
}

/// What the comparison found, in one sentence: how many figures differ, how many rows of the
/// books changed, and what all councils together pay more. `accord compare` and the served
/// comparison page both say it.
pub fn summary(comparison: &Comparison) -> String {
    let differing = comparison.differences.iter().filter(|d| d.a != d.b).count();
    let more: Money = comparison.totals.iter().map(|t| t.difference()).sum();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    format!(
        "{differing} figure{} differ{}, {} row{} of the books changed; all councils together pay GBP {} more (b - a).",
        plural(differing),
        if differing == 1 { "s" } else { "" },
        comparison.changes.len(),
        plural(comparison.changes.len()),
        grouped(more),
    )
}
