//! Reading a budget book: a workbook (xlsx, xlsm, xls, ods) or a folder of CSV files, turned into
//! raw tables of cells that remember where they came from. Nothing here knows what a council or
//! an amount is; `model` gives the cells their meaning.

mod assemble;
pub mod csv_folder;
pub mod encoding;
mod guided;
pub mod package;
pub mod workbook;
pub mod write;
mod xml_scan;

#[cfg(test)]
mod read_tests;

pub use csv_folder::{read_csv_folder, read_csv_table};
pub use encoding::{decode_text, TextEncoding};
pub use workbook::{read_workbook, WORKBOOK_EXTENSIONS};
pub use write::{workbook_bytes, write_workbook, WriteError};

use crate::diag::{Diagnostics, Place};

/// One cell's value as the file holds it, before accord gives it a meaning.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Empty,
    /// Text, already trimmed of surrounding spaces. Never empty (an empty text is `Empty`).
    Text(String),
    /// A number cell (integers included).
    Number(f64),
    /// A spreadsheet date cell, as a calendar date (any time of day is dropped).
    Date(chrono::NaiveDate),
    Bool(bool),
    /// A spreadsheet error value such as `#REF!` or `#DIV/0!`.
    Error(String),
}

impl CellValue {
    pub fn is_empty(&self) -> bool {
        matches!(self, CellValue::Empty)
    }
}

/// A cell and its place (file, sheet, row and column).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: CellValue,
    pub place: Place,
}

/// One non-blank data row of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    /// The whole row's place (no column).
    pub place: Place,
    /// One cell per header column, in header order; missing trailing cells are `Empty`.
    pub cells: Vec<Cell>,
}

/// A table as read: its header and its non-blank rows.
#[derive(Debug, Clone, PartialEq)]
pub struct RawTable {
    /// The table's name as accord knows it (`budget`, `councils`, ...), lower case.
    pub name: String,
    /// Where the table as a whole lives: the CSV file, or the workbook sheet.
    pub place: Place,
    /// Header cells as written (trimmed), each with its place.
    pub headers: Vec<Cell>,
    pub rows: Vec<RawRow>,
}

/// Every table found in a book, plus the problems met while reading it.
#[derive(Debug, Clone, Default)]
pub struct RawBook {
    /// The book as the user named it (a file or folder path), for messages.
    pub label: String,
    pub tables: Vec<RawTable>,
    /// Every CSV file of a folder book, hashed from the bytes read (for the manifest, so that
    /// the book is not read twice); empty for a workbook.
    pub sources: Vec<SourceFile>,
}

/// A file a book was read from: its path as written, its size and its SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

impl SourceFile {
    pub fn of(path: String, bytes: &[u8]) -> SourceFile {
        SourceFile {
            path,
            bytes: bytes.len() as u64,
            sha256: crate::text::sha256_hex(bytes),
        }
    }
}

impl RawBook {
    pub fn table(&self, name: &str) -> Option<&RawTable> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// The file or sheet each table of a book is read from, so that a second one for the same
/// table is refused the same way in a folder and in a workbook.
#[derive(Default)]
pub(crate) struct TableSources(Vec<(&'static str, String)>);

impl TableSources {
    /// Takes `source` (a `kind`: "file" or "sheet") for `table`; the error message when the
    /// table has one already.
    pub fn claim(&mut self, table: &'static str, source: &str, kind: &str) -> Result<(), String> {
        if let Some((_, first)) = self.0.iter().find(|(name, _)| *name == table) {
            return Err(format!(
                "a second {kind} for the {table} table (the first is {first}); keep one and \
                 rename or remove the other"
            ));
        }
        self.0.push((table, source.to_string()));
        Ok(())
    }
}

/// A header or table name in its matching form: lower case, trimmed, with spaces, `-` and `_`
/// treated alike (all become `_`).
pub fn normalise_name(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .map(|c| match c {
            ' ' | '-' | '_' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The names of the tables accord reads, in the order the SPEC lists them.
pub const TABLE_NAMES: [&str; 16] = [
    "councils",
    "programmes",
    "participation",
    "budget",
    "grants",
    "support_in_kind",
    "actuals",
    "cost_centres",
    "balances",
    "benefits",
    "settings",
    "profile",
    "drivers",
    "issued",
    "purchase_orders",
    "accounts",
];

/// Reads the book at `path`: a folder of CSV files, or a workbook (by its extension, in any
/// case). `None` when there is nothing to read, with an error saying why and what to give
/// instead; every other problem met while reading is in the diagnostics. Never panics.
pub fn read_book(path: &std::path::Path) -> (Option<RawBook>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let place = Place::File {
        file: path.display().to_string().into(),
    };
    let give_instead = "give a workbook (.xlsx, .xlsm, .xls, .ods) or a folder of CSV files, one \
                        <table>.csv per table";
    if path.is_dir() {
        let book = read_csv_folder(path, &mut diagnostics);
        return (book, diagnostics);
    }
    if !path.exists() {
        diagnostics.error(place, format!("no such file or folder; {give_instead}"));
        return (None, diagnostics);
    }
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if WORKBOOK_EXTENSIONS.contains(&extension.as_str()) {
        let book = read_workbook(path, &mut diagnostics);
        return (book, diagnostics);
    }
    let message = if extension == "csv" {
        "a single CSV file is not a book; give the folder that holds it, with one <table>.csv \
         per table"
            .to_owned()
    } else {
        format!("not a budget book; {give_instead}")
    };
    diagnostics.error(place, message);
    (None, diagnostics)
}
