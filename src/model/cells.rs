//! Where each table's columns stand in the user's file, so that a cross-table check (a code
//! that is not in another table, a year outside the book's) names the cell it is about:
//! `budget.csv:7:2`, `book.xlsx: budget!B7`, not the whole row.

use super::schema::SCHEMAS;
use crate::book::{normalise_name, RawBook};
use crate::diag::Place;
use std::collections::HashMap;

/// The 1-based column number of each (table, column) the book has, as written in its file.
#[derive(Debug, Default)]
pub(super) struct ColumnNumbers(HashMap<(&'static str, &'static str), usize>);

impl ColumnNumbers {
    /// Reads the column numbers from each table's header cells (the first of a repeated one).
    pub fn of(raw: &RawBook) -> ColumnNumbers {
        let mut numbers = HashMap::new();
        for schema in &SCHEMAS {
            let Some(table) = raw.table(schema.name) else {
                continue;
            };
            for header in &table.headers {
                let Some(text) = super::fields::cell_text(&header.value) else {
                    continue;
                };
                let name = normalise_name(&text);
                let Some(column) = schema.columns.iter().find(|c| c.name == name) else {
                    continue;
                };
                let number = match header.place {
                    Place::Csv {
                        column_number: Some(n),
                        ..
                    }
                    | Place::Sheet {
                        column_number: Some(n),
                        ..
                    } => n,
                    _ => continue,
                };
                numbers.entry((schema.name, column.name)).or_insert(number);
            }
        }
        ColumnNumbers(numbers)
    }

    /// The cell of `column` in the row at `row`; the row itself when the column is unknown.
    pub fn cell(&self, row: &Place, table: &'static str, column: &'static str) -> Place {
        match self.0.get(&(table, column)) {
            Some(number) => row.with_column(*number),
            None => row.clone(),
        }
    }
}
