//! One upload's work, exactly as `accord run` does it: read and check the book through
//! `pipeline::load`, and for a valid book `pipeline::produce` and `output::replace_folder`
//! into the pack's `reports/` folder, then the zip of that folder and the pack's page; and a
//! comparison (`process_compare`) exactly as `accord compare` makes it. Plain
//! synchronous code over one staging folder; the server runs it off its async threads.

use super::pages::{self, Problem};
use super::upload::{unpack_csv_zip, ZipBookError};
use crate::book::RawBook;
use crate::compare::what_if::Change;
use crate::diag::{Diagnostic, Diagnostics, Place, Severity};
use crate::engine::ExtraActuals;
use crate::model::Book;
use crate::output::{replace_folder, OutputFile};
use crate::pipeline;
use crate::render::manifest::FileEntry;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The uploaded file as the staging folder holds it.
pub struct Upload<'a> {
    /// The pack's staging folder.
    pub staging: &'a Path,
    /// Where the uploaded bytes were saved (always `book.<ext>` in the staging folder).
    pub saved: &'a Path,
    /// `xlsx`, `xlsm`, `xls`, `ods` or `zip`.
    pub extension: &'a str,
    /// The uploaded file's name as messages show it.
    pub display_name: &'a str,
}

/// What became of an upload.
pub enum Outcome {
    /// The book has errors: the page that lists them. Nothing was written but the upload.
    Invalid { page: String },
    /// The pack is complete in the staging folder: `reports/`, `reports.zip`, `page.html`.
    Valid,
}

/// The name of the zip of the reports folder, in the pack and in its links.
pub const ZIP_NAME: &str = "reports.zip";
/// The pack's own page, rendered once when the pack is made.
pub const PAGE_NAME: &str = "page.html";
/// The reports folder inside a pack: exactly what `accord run` writes.
pub const REPORTS_DIR: &str = "reports";

pub fn process(upload: &Upload) -> io::Result<Outcome> {
    let book_path = match book_path(upload) {
        Ok(path) => path,
        Err(e) => return Ok(invalid_zip(upload, &e)),
    };
    let (book, diags) = pipeline::load(&book_path);
    let shown = Shown::new(upload, &book_path);
    let Some(book) = book else {
        let problems = shown.problems(&diags, &[]);
        return Ok(Outcome::Invalid {
            page: pages::problems_page(upload.display_name, &problems, &diags),
        });
    };
    let inputs = shown.inputs(&book_path)?;
    let run = pipeline::produce(&book, &ExtraActuals::new(), &[], &inputs)?;
    replace_folder(&upload.staging.join(REPORTS_DIR), &run.files).map_err(io::Error::other)?;
    fs::write(upload.staging.join(ZIP_NAME), zip_of_reports(&run.files)?)?;
    let problems = shown.problems(&diags, &run.results.warnings);
    let summary = &run.summary;
    let page = pages::pack_page(&pages::Pack {
        display_name: upload.display_name,
        summary,
        warnings: &problems,
        book: &book,
        run: &run,
    });
    let mut file = fs::File::create(upload.staging.join(PAGE_NAME))?;
    file.write_all(page.as_bytes())?;
    file.sync_all()?;
    Ok(Outcome::Valid)
}

/// The book as accord reads it: the saved workbook, or the folder a zip of CSV files was
/// unpacked into (beside it, as `book/`).
fn book_path(upload: &Upload) -> Result<PathBuf, ZipBookError> {
    if upload.extension == "zip" {
        let folder = upload.staging.join("book");
        unpack_csv_zip(upload.saved, &folder).map(|_skipped| folder)
    } else {
        Ok(upload.saved.to_path_buf())
    }
}

/// A book of a comparison: its raw tables, the book, its files for the manifest, and how its
/// places are shown.
type Side = (RawBook, Book, Vec<FileEntry>, Shown);

/// One book of a comparison, read and checked: its raw tables and book, or its problems
/// (their places led by `Book A: ` or `Book B: `).
fn compare_side(which: &str, upload: &Upload) -> io::Result<Result<Side, Vec<Problem>>> {
    let book_path = match book_path(upload) {
        Ok(path) => path,
        Err(e) => {
            let message = e.to_string();
            let (message, fix) = message.split_once("; ").unwrap_or((&message, ""));
            return Ok(Err(vec![Problem {
                severity: Severity::Error,
                place: format!("Book {which}: {}", upload.display_name),
                message: message.into(),
                fix: fix.into(),
            }]));
        }
    };
    let (loaded, diags) = pipeline::load_with_raw(&book_path);
    let shown = Shown::new(upload, &book_path);
    match loaded {
        None => Ok(Err(shown
            .problems(&diags, &[])
            .into_iter()
            .map(|mut p| {
                p.place = format!("Book {which}: {}", p.place);
                p
            })
            .collect())),
        Some((raw, mut book)) => {
            book.label = upload.display_name.to_string();
            let inputs = shown.inputs(&book_path)?;
            Ok(Ok((raw, book, inputs, shown)))
        }
    }
}

/// The page for a comparison that cannot be made: `problems`, each naming its book or change.
fn invalid_comparison(title: &str, problems: &[Problem]) -> Outcome {
    Outcome::Invalid {
        page: pages::compare_problems_page(title, problems),
    }
}

fn what_if_problem(message: String) -> Problem {
    let (place, rest) = match message.split_once(": ") {
        Some((place, rest)) if place.starts_with("what-if ") => {
            (place.to_string(), rest.to_string())
        }
        _ => ("what-if".to_string(), message),
    };
    let (message, fix) = match rest.split_once("; ") {
        Some((m, f)) => (m.to_string(), f.to_string()),
        None => (rest, String::new()),
    };
    Problem {
        severity: Severity::Error,
        place,
        message,
        fix,
    }
}

/// A comparison, exactly as `accord compare` makes it: book A with book B, or with the
/// what-if changes (one a line of `what_if`). The pack's `reports/` folder holds what
/// `accord compare --out` writes.
pub fn process_compare(
    staging: &Path,
    a: &Upload,
    b: Option<&Upload>,
    what_if: &str,
) -> io::Result<Outcome> {
    let texts: Vec<String> = what_if
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    let mut problems = Vec::new();
    let mut changes = Vec::new();
    for text in &texts {
        match Change::parse(text) {
            Ok(change) => changes.push((text.clone(), change)),
            Err(message) => problems.push(what_if_problem(message)),
        }
    }
    if !problems.is_empty() {
        return Ok(invalid_comparison(
            "A what-if change is not right",
            &problems,
        ));
    }
    let usage = match (b.is_some(), texts.is_empty()) {
        (true, false) => Some("give either book B or what-if changes, not both"),
        (false, true) => Some("give book B to compare with, or at least one what-if change"),
        _ => None,
    };
    if let Some(message) = usage {
        return Ok(invalid_comparison(
            "Nothing to compare with",
            &[Problem {
                severity: Severity::Error,
                place: "the form".into(),
                message: message.into(),
                fix: String::new(),
            }],
        ));
    }
    let side_a = compare_side("A", a)?;
    let side_b = match b {
        Some(upload) => Some(compare_side("B", upload)?),
        None => None,
    };
    let mut problems = Vec::new();
    if let Err(p) = &side_a {
        problems.extend(p.iter().cloned());
    }
    if let Some(Err(p)) = &side_b {
        problems.extend(p.iter().cloned());
    }
    let (Ok((raw_a, book_a, mut inputs, shown_a)), false) = (side_a, !problems.is_empty()) else {
        return Ok(invalid_comparison("A book has to be put right", &problems));
    };
    let mut shown_b = None;
    let book_b = match side_b {
        Some(Ok((_, book_b, inputs_b, shown))) => {
            inputs.extend(inputs_b);
            shown_b = Some(shown);
            book_b
        }
        Some(Err(_)) => unreachable!("problems were returned above"),
        None => match crate::compare_files::what_if_book(&raw_a, &book_a, &changes) {
            Ok(book_b) => book_b,
            Err(messages) => {
                let problems: Vec<Problem> = messages.into_iter().map(what_if_problem).collect();
                return Ok(invalid_comparison(
                    "A what-if change cannot apply to the book",
                    &problems,
                ));
            }
        },
    };
    let mut comparison = crate::compare_files::compare_books(&book_a, &book_b, shown_b.is_none());
    // Places name the uploaded files, never the server's folders.
    for change in &mut comparison.changes {
        change.place_a = shown_a.text(&change.place_a);
        if let Some(shown) = &shown_b {
            change.place_b = shown.text(&change.place_b);
        }
    }
    let files = crate::compare_files::comparison_files(&comparison, &inputs)?;
    replace_folder(&staging.join(REPORTS_DIR), &files).map_err(io::Error::other)?;
    fs::write(staging.join(ZIP_NAME), zip_of_reports(&files)?)?;
    let summary = crate::compare_files::summary(&comparison);
    let page = pages::compare_pack_page(&comparison.label_a, &comparison.label_b, &summary, &files);
    let mut file = fs::File::create(staging.join(PAGE_NAME))?;
    file.write_all(page.as_bytes())?;
    file.sync_all()?;
    Ok(Outcome::Valid)
}

fn invalid_zip(upload: &Upload, error: &ZipBookError) -> Outcome {
    let mut diags = Diagnostics::default();
    diags.error(
        Place::File {
            file: upload.display_name.into(),
        },
        error.to_string(),
    );
    let problems = vec![Problem::of(&diags.items[0], upload.display_name.into())];
    Outcome::Invalid {
        page: pages::problems_page(upload.display_name, &problems, &diags),
    }
}

/// How the saved book's paths are shown: the uploaded file's own name for a workbook, the
/// table's file name for a zip's CSV files; never the server's folders.
struct Shown {
    prefix: String,
    replacement: String,
}

impl Shown {
    fn new(upload: &Upload, book_path: &Path) -> Shown {
        if book_path.is_dir() {
            Shown {
                prefix: format!("{}/", book_path.display()),
                replacement: String::new(),
            }
        } else {
            Shown {
                prefix: book_path.display().to_string(),
                replacement: upload.display_name.to_string(),
            }
        }
    }

    fn text(&self, text: &str) -> String {
        text.replace(&self.prefix, &self.replacement)
    }

    fn problems(&self, diags: &Diagnostics, more: &[Diagnostic]) -> Vec<Problem> {
        let mut list: Vec<&Diagnostic> = diags.errors().collect();
        list.extend(diags.warnings());
        list.extend(more.iter());
        list.into_iter()
            .map(|d| {
                let place = d.place.as_ref().map(|p| self.text(&p.to_string()));
                let mut problem = Problem::of(d, place.unwrap_or_default());
                problem.message = self.text(&problem.message);
                problem.fix = self.text(&problem.fix);
                problem
            })
            .collect()
    }

    /// The manifest's inputs: the book's files under the names the user knows.
    fn inputs(&self, book_path: &Path) -> io::Result<Vec<FileEntry>> {
        pipeline::book_files(book_path)
            .iter()
            .map(|file| {
                let name = self.text(&file.display().to_string());
                Ok(FileEntry::of(name, &fs::read(file)?))
            })
            .collect()
    }
}

impl Problem {
    /// A diagnostic split for the table: its message up to the first `; ` is the problem,
    /// what follows is what to write instead.
    pub fn of(d: &Diagnostic, place: String) -> Problem {
        let (message, fix) = match d.message.split_once("; ") {
            Some((message, fix)) => (message.to_string(), fix.to_string()),
            None => (d.message.clone(), String::new()),
        };
        Problem {
            severity: d.severity,
            place,
            message,
            fix,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The whole reports folder as one zip, its files under `reports/`, in the run's order, with
/// no clock time (the zip's dates are the format's earliest), so the same book gives the
/// same zip.
pub fn zip_of_reports(files: &[OutputFile]) -> io::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for file in files {
        let name = format!("{REPORTS_DIR}/{}", file.path.display());
        zip.start_file(name, options).map_err(io::Error::other)?;
        zip.write_all(&file.content)?;
    }
    Ok(zip.finish().map_err(io::Error::other)?.into_inner())
}
