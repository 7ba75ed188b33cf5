//! `accord init`: writes a template book with every table's header and an example row, as a
//! workbook (a path ending in `.xlsx`) or a folder of CSV files. It never overwrites a file.

use crate::template;
use std::path::Path;

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Workbook,
    CsvFolder,
}

/// Why no template was written; each message says what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error(
        "{0}: error: exists already; accord init never overwrites a file, so choose a new name"
    )]
    WorkbookExists(String),
    #[error("{0}: error: exists and is not a folder; give a new folder or a path ending in .xlsx")]
    NotAFolder(String),
    #[error("error: accord init never overwrites a file, and these exist: {}; choose a new folder", .0.join(", "))]
    FilesExist(Vec<String>),
    #[error("{path}: error: {message}")]
    Io { path: String, message: String },
}

/// Writes the template book at `path`: a workbook when it ends in `.xlsx`, else a folder of
/// CSV files (created, or an existing folder without any of the template's files).
pub fn write_template(path: &Path) -> Result<Written, InitError> {
    let io = |path: &Path, e: &dyn std::fmt::Display| InitError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let is_workbook = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_workbook {
        if path.exists() {
            return Err(InitError::WorkbookExists(path.display().to_string()));
        }
        crate::book::write_workbook(&template::template_tables(), path)
            .map_err(|e| io(path, &e))?;
        return Ok(Written::Workbook);
    }
    let files = template::template_csv_files();
    let existing: Vec<String> = files
        .iter()
        .map(|(name, _)| path.join(name))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if path.exists() && !path.is_dir() {
        return Err(InitError::NotAFolder(path.display().to_string()));
    }
    if !existing.is_empty() {
        return Err(InitError::FilesExist(existing));
    }
    std::fs::create_dir_all(path).map_err(|e| io(path, &e))?;
    for (name, content) in files {
        let file = path.join(name);
        std::fs::write(&file, content).map_err(|e| io(&file, &e))?;
    }
    Ok(Written::CsvFolder)
}
