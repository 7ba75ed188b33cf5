//! Places in the user's files and the diagnostics that point at them.
//!
//! Every problem accord reports about a book is a [`Diagnostic`]: data, not a panic and not a
//! printed line, so that validation can collect all of them before anything is written.

use std::fmt;
use std::sync::Arc;

/// Where a value came from, printed the way a finance director finds it again:
/// (Every cell of a book carries one, so names are shared `Arc<str>`s: a clone is a count.)
/// `budget.csv:17:3` for a CSV file, `book.xlsx: budget!C17` for a workbook.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// A whole file (or folder): `budget.csv`.
    File { file: Arc<str> },
    /// A line of a CSV file, and optionally a 1-based column: `budget.csv:17:3`.
    Csv {
        file: Arc<str>,
        line_number: usize,
        column_number: Option<usize>,
    },
    /// A sheet of a workbook, a 1-based row and optionally a 1-based column: `book.xlsx: budget!C17`.
    Sheet {
        file: Arc<str>,
        sheet: Arc<str>,
        row_number: usize,
        column_number: Option<usize>,
    },
    /// A whole sheet of a workbook: `book.xlsx: budget`.
    WholeSheet { file: Arc<str>, sheet: Arc<str> },
}

impl Place {
    /// The same place narrowed to one 1-based column (a no-op for whole files and sheets).
    pub fn with_column(&self, column_number: usize) -> Place {
        match self {
            Place::Csv {
                file, line_number, ..
            } => Place::Csv {
                file: file.clone(),
                line_number: *line_number,
                column_number: Some(column_number),
            },
            Place::Sheet {
                file,
                sheet,
                row_number,
                ..
            } => Place::Sheet {
                file: file.clone(),
                sheet: sheet.clone(),
                row_number: *row_number,
                column_number: Some(column_number),
            },
            other => other.clone(),
        }
    }

    /// The same place without its column: the whole row.
    pub fn row(&self) -> Place {
        match self {
            Place::Csv {
                file, line_number, ..
            } => Place::Csv {
                file: file.clone(),
                line_number: *line_number,
                column_number: None,
            },
            Place::Sheet {
                file,
                sheet,
                row_number,
                ..
            } => Place::Sheet {
                file: file.clone(),
                sheet: sheet.clone(),
                row_number: *row_number,
                column_number: None,
            },
            other => other.clone(),
        }
    }
}

pub use crate::text::{column_letters, quoted};

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::File { file } => write!(f, "{file}"),
            Place::Csv {
                file,
                line_number,
                column_number: Some(c),
            } => write!(f, "{file}:{line_number}:{c}"),
            Place::Csv {
                file,
                line_number,
                column_number: None,
            } => write!(f, "{file}:{line_number}"),
            Place::Sheet {
                file,
                sheet,
                row_number,
                column_number: Some(c),
            } => write!(
                f,
                "{file}: {sheet}!{}{row_number}",
                column_letters(*c as u64)
            ),
            Place::Sheet {
                file,
                sheet,
                row_number,
                column_number: None,
            } => write!(f, "{file}: {sheet}!{row_number}:{row_number}"),
            Place::WholeSheet { file, sheet } => write!(f, "{file}: {sheet}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem (or remark) about the input, with its place when it has one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    pub place: Option<Place>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(place: impl Into<Option<Place>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            place: place.into(),
            message: message.into(),
        }
    }

    pub fn warning(place: impl Into<Option<Place>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            place: place.into(),
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &self.place {
            Some(place) => write!(f, "{place}: {label}: {}", self.message),
            None => write!(f, "{label}: {}", self.message),
        }
    }
}

/// Most errors, and most warnings, kept to be listed; beyond them only a count is kept. A
/// book with a thousand errors is a book exported wrongly, and a list of millions would only
/// hide that (and take the machine's memory).
pub const MAX_LISTED: usize = 1_000;

/// Diagnostics collected while reading and checking a book.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
    listed_errors: usize,
    listed_warnings: usize,
    /// Errors and warnings beyond [`MAX_LISTED`], counted but not kept.
    pub unlisted_errors: usize,
    pub unlisted_warnings: usize,
}

impl Diagnostics {
    pub fn error(&mut self, place: impl Into<Option<Place>>, message: impl Into<String>) {
        self.push(Diagnostic::error(place, message));
    }

    pub fn warning(&mut self, place: impl Into<Option<Place>>, message: impl Into<String>) {
        self.push(Diagnostic::warning(place, message));
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        let (listed, unlisted) = if diagnostic.is_error() {
            (&mut self.listed_errors, &mut self.unlisted_errors)
        } else {
            (&mut self.listed_warnings, &mut self.unlisted_warnings)
        };
        if *listed < MAX_LISTED {
            *listed += 1;
            self.items.push(diagnostic);
        } else {
            *unlisted += 1;
        }
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        for diagnostic in other {
            self.push(diagnostic);
        }
    }

    /// Takes in another collection, its unlisted counts included.
    pub fn append(&mut self, other: Diagnostics) {
        self.unlisted_errors += other.unlisted_errors;
        self.unlisted_warnings += other.unlisted_warnings;
        self.extend(other.items);
    }

    /// Keeps only the first error about each cell: a cell the reader refused (a cell of
    /// megabytes, say) is not then also reported as empty by the checks that come after.
    pub fn first_error_per_cell(&mut self) {
        let mut seen = std::collections::HashSet::new();
        self.items.retain(|d| match &d.place {
            Some(
                place @ (Place::Csv {
                    column_number: Some(_),
                    ..
                }
                | Place::Sheet {
                    column_number: Some(_),
                    ..
                }),
            ) if d.is_error() => seen.insert(place.clone()),
            _ => true,
        });
    }

    pub fn has_errors(&self) -> bool {
        self.unlisted_errors > 0 || self.items.iter().any(Diagnostic::is_error)
    }

    /// How many errors there were, listed or not.
    pub fn error_count(&self) -> usize {
        self.errors().count() + self.unlisted_errors
    }

    /// How many warnings there were, listed or not.
    pub fn warning_count(&self) -> usize {
        self.warnings().count() + self.unlisted_warnings
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| !d.is_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_print_as_users_find_them() {
        let cases = [
            (
                Place::Csv {
                    file: "budget.csv".into(),
                    line_number: 17,
                    column_number: Some(3),
                },
                "budget.csv:17:3",
            ),
            (
                Place::Sheet {
                    file: "book.xlsx".into(),
                    sheet: "budget".into(),
                    row_number: 17,
                    column_number: Some(3),
                },
                "book.xlsx: budget!C17",
            ),
            (
                Place::Sheet {
                    file: "book.xlsx".into(),
                    sheet: "budget".into(),
                    row_number: 17,
                    column_number: None,
                },
                "book.xlsx: budget!17:17",
            ),
        ];
        for (place, expected) in cases {
            assert_eq!(place.to_string(), expected, "{place:?}");
        }
    }
}
