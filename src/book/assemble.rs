//! The rules a table follows whichever reader found it (CSV file or workbook sheet): which row
//! is the header, which rows are blank, how ragged rows are padded, how text is trimmed. Kept in
//! one place so a CSV folder and the workbook made from it read the same.

use super::{Cell, CellValue, RawRow, RawTable};
use crate::diag::{Diagnostics, Place};
use crate::money::group_thousands;

/// Most characters a cell may hold: a spreadsheet cell's own limit (Excel's is 32,767).
pub const MAX_CELL_CHARS: usize = 32_767;
/// Most columns a table may use: a spreadsheet's, A to XFD.
pub const MAX_COLUMNS: usize = 16_384;
/// Most rows a table may hold: a spreadsheet's.
pub const MAX_ROWS: usize = 1_048_576;

/// One row as a reader found it, before the shared rules apply.
pub(crate) struct SourceRow {
    /// The whole row's place (no column).
    pub place: Place,
    /// The 1-based column number of `values[0]`.
    pub first_column_number: usize,
    pub values: Vec<CellValue>,
}

impl SourceRow {
    fn place_of(&self, index: usize) -> Place {
        self.place.with_column(self.first_column_number + index)
    }
}

/// A text value as accord keeps it: trimmed of surrounding whitespace (a no-break space
/// included), and `Empty` when nothing is left.
pub(crate) fn text_value(text: &str) -> CellValue {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{A0}');
    if trimmed.is_empty() {
        CellValue::Empty
    } else {
        CellValue::Text(trimmed.to_owned())
    }
}

/// A header cell's value: text also loses a leading byte-order mark.
fn header_value(value: CellValue) -> CellValue {
    match value {
        CellValue::Text(text) => text_value(text.trim_start_matches('\u{feff}')),
        other => other,
    }
}

/// A value found to the right of the last header, counted so one warning covers its column.
struct Headless {
    first_place: Place,
    count: usize,
}

/// Holds a row to a spreadsheet's limits, whatever file it came from: trailing empty cells are
/// dropped, a value beyond the last column a spreadsheet has is an error (and dropped with all
/// beyond it), and so is a cell longer than a spreadsheet cell can be (it reads as empty, so no
/// later message repeats megabytes of it).
fn within_limits(mut row: SourceRow, diagnostics: &mut Diagnostics) -> SourceRow {
    let used = row
        .values
        .iter()
        .rposition(|value| !value.is_empty())
        .map_or(0, |last| last + 1);
    row.values.truncate(used);
    let room = (MAX_COLUMNS + 1).saturating_sub(row.first_column_number);
    if row.values.len() > room {
        diagnostics.error(
            row.place_of(room),
            format!(
                "a value beyond column {} (XFD), the last a spreadsheet has; accord reads no \
                 further. Remove what is out there, or check the file's separator is a comma",
                group_thousands(&MAX_COLUMNS.to_string())
            ),
        );
        row.values.truncate(room);
    }
    for index in 0..row.values.len() {
        if let CellValue::Text(text) = &row.values[index] {
            // A cell has no more characters than bytes: most are settled without counting.
            let chars = if text.len() > MAX_CELL_CHARS {
                text.chars().count()
            } else {
                0
            };
            if chars > MAX_CELL_CHARS {
                diagnostics.error(
                    row.place_of(index),
                    format!(
                        "this cell holds {} characters, more than a spreadsheet cell can ({}); \
                         write the value alone in the cell",
                        group_thousands(&chars.to_string()),
                        group_thousands(&MAX_CELL_CHARS.to_string())
                    ),
                );
                row.values[index] = CellValue::Empty;
            }
        }
    }
    row
}

/// Builds a table from its rows in file order.
///
/// The header is the first row with a non-empty cell (rows of empty cells above it are blank
/// rows, skipped like any other). Empty header cells to the right of the last named one are
/// dropped; empty header cells between named ones are kept, for `model` to judge. Each data row
/// gets exactly one cell per header, padded with `Empty`; a value to the right of the header is
/// a warning, and a row with nothing under the header is a blank row and is skipped.
pub(crate) fn assemble_table(
    name: &str,
    place: Place,
    rows: impl IntoIterator<Item = SourceRow>,
    diagnostics: &mut Diagnostics,
) -> RawTable {
    let mut rows = rows
        .into_iter()
        .map(|row| within_limits(row, diagnostics))
        .filter(|row| !row.values.iter().all(CellValue::is_empty));
    let mut table = RawTable {
        name: name.to_owned(),
        place,
        headers: Vec::new(),
        rows: Vec::new(),
    };
    let Some(header_row) = rows.next() else {
        return table;
    };
    table.headers = header_row
        .values
        .iter()
        .enumerate()
        .map(|(index, value)| Cell {
            value: header_value(value.clone()),
            place: header_row.place_of(index),
        })
        .collect();
    while table
        .headers
        .last()
        .is_some_and(|cell| cell.value.is_empty())
    {
        table.headers.pop();
    }
    let width = table.headers.len();

    // Keyed by column index; a Vec keeps the warnings in column order.
    let mut headless: Vec<(usize, Headless)> = Vec::new();
    for row in rows {
        if table.rows.len() == MAX_ROWS {
            diagnostics.error(
                row.place.row(),
                format!(
                    "the table has more than {} rows, the most a spreadsheet holds and accord \
                     reads; this row and those below it are not read. Split the table or \
                     remove rows",
                    group_thousands(&MAX_ROWS.to_string())
                ),
            );
            break;
        }
        for (index, value) in row.values.iter().enumerate().skip(width) {
            if value.is_empty() {
                continue;
            }
            match headless.iter_mut().find(|(column, _)| *column == index) {
                Some((_, seen)) => seen.count += 1,
                None => headless.push((
                    index,
                    Headless {
                        first_place: row.place_of(index),
                        count: 1,
                    },
                )),
            }
        }
        let row_place = row.place.row();
        let first_column_number = row.first_column_number;
        let mut values = row.values.into_iter();
        let cells: Vec<Cell> = (0..width)
            .map(|index| Cell {
                value: values.next().unwrap_or(CellValue::Empty),
                place: row_place.with_column(first_column_number + index),
            })
            .collect();
        if cells.iter().all(|cell| cell.value.is_empty()) {
            continue;
        }
        table.rows.push(RawRow {
            place: row_place,
            cells,
        });
    }
    headless.sort_by_key(|(column, _)| *column);
    for (_, seen) in headless {
        let message = match seen.count {
            1 => "value in a column with no header; ignored".to_owned(),
            n => format!(
                "value in a column with no header; ignored (with {} more below it)",
                n - 1
            ),
        };
        diagnostics.warning(seen.first_place, message);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_row(line_number: usize, values: &[&str]) -> SourceRow {
        SourceRow {
            place: Place::Csv {
                file: "t.csv".into(),
                line_number,
                column_number: None,
            },
            first_column_number: 1,
            values: values.iter().map(|v| text_value(v)).collect(),
        }
    }

    fn table(rows: Vec<SourceRow>) -> (RawTable, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        let place = Place::File {
            file: "t.csv".into(),
        };
        let table = assemble_table("budget", place, rows, &mut diagnostics);
        (table, diagnostics)
    }

    fn texts(cells: &[Cell]) -> Vec<String> {
        cells
            .iter()
            .map(|cell| match &cell.value {
                CellValue::Text(text) => text.clone(),
                CellValue::Empty => String::new(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn text_is_trimmed_of_every_kind_of_space() {
        let cases = [
            ("  a b  ", CellValue::Text("a b".into())),
            ("\t1.50\u{A0}", CellValue::Text("1.50".into())),
            (" \u{A0}\t ", CellValue::Empty),
            ("", CellValue::Empty),
        ];
        for (text, expected) in cases {
            assert_eq!(text_value(text), expected, "{text:?}");
        }
    }

    #[test]
    fn header_is_first_non_blank_row_and_trailing_empty_headers_go() {
        let (table, diagnostics) = table(vec![
            csv_row(1, &["", ""]),
            csv_row(2, &["\u{feff}code", " name ", "", "x", "", ""]),
            csv_row(3, &["BAR", "Barnet"]),
        ]);
        assert_eq!(texts(&table.headers), ["code", "name", "", "x"]);
        assert_eq!(table.headers[3].place.to_string(), "t.csv:2:4");
        assert_eq!(table.rows.len(), 1);
        assert_eq!(texts(&table.rows[0].cells), ["BAR", "Barnet", "", ""]);
        assert_eq!(table.rows[0].cells[3].place.to_string(), "t.csv:3:4");
        assert!(diagnostics.items.is_empty());
    }

    #[test]
    fn values_beyond_the_header_warn_once_per_column() {
        let (table, diagnostics) = table(vec![
            csv_row(1, &["code"]),
            csv_row(2, &["BAR", "note"]),
            csv_row(3, &["BRE", "", "x"]),
            csv_row(4, &["", "note"]),
        ]);
        // Line 4 has nothing under the header: a blank row.
        assert_eq!(table.rows.len(), 2);
        let messages: Vec<String> = diagnostics.items.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            messages,
            [
                "t.csv:2:2: warning: value in a column with no header; ignored (with 1 more below it)",
                "t.csv:3:3: warning: value in a column with no header; ignored",
            ]
        );
    }

    #[test]
    fn a_table_without_rows_has_no_header() {
        let (table, diagnostics) = table(vec![csv_row(1, &["", " "])]);
        assert!(table.headers.is_empty() && table.rows.is_empty());
        assert!(diagnostics.items.is_empty());
    }
}
