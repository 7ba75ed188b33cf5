//! Turning a block of ledger records into lines: polars' multi-threaded CSV reader, every
//! column read as text (never inferred: it would read `33585.12` as a float), and the rare block
//! polars cannot number line by line (a quoted value holding a line break) or cannot read (a
//! line with more values than the header) read again with the `csv` crate, which knows where
//! each record starts.

use super::blocks::Block;
use super::tally::{LineFields, Source, Tally};
use crate::book::normalise_name;
use crate::diag::{Diagnostic, Place};
use polars::prelude::*;
use std::io::Cursor;

/// Where the three columns a ledger needs are in a file's header (0-based indices).
pub(super) struct Columns {
    pub count: usize,
    pub date: usize,
    pub cost_centre: usize,
    pub amount: usize,
}

/// The setting that names each column, its value, and what the column is.
pub(super) struct Wanted<'a> {
    pub date: &'a str,
    pub cost_centre: &'a str,
    pub amount: &'a str,
}

/// Finds the date, cost centre and amount columns in a header record, matching names as book
/// headers are matched (case, spaces, `-` and `_` do not matter).
pub(super) fn find_columns(
    header: &str,
    wanted: &Wanted,
    file: &str,
) -> Result<Columns, Vec<Diagnostic>> {
    let names: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(header.as_bytes())
        .records()
        .next()
        .and_then(Result::ok)
        .map(|record| record.iter().map(str::to_string).collect())
        .unwrap_or_default();
    let header_place = Place::Csv {
        file: file.to_string(),
        line_number: 1,
        column_number: None,
    };
    let shown_names = names
        .iter()
        .map(|n| format!("{:?}", n.trim_start_matches('\u{feff}').trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut problems = Vec::new();
    let mut find = |wanted_name: &str, setting: &str, what: &str| {
        let key = normalise_name(wanted_name);
        let found: Vec<usize> = (0..names.len())
            .filter(|&i| normalise_name(&names[i]) == key)
            .collect();
        match found.as_slice() {
            [index] => Some(*index),
            [] => {
                problems.push(Diagnostic::error(
                    header_place.clone(),
                    format!(
                        "the ledger has no {wanted_name:?} column for the {what} (its columns: \
                         {shown_names}); set {setting} in the book's settings to the name this \
                         file uses"
                    ),
                ));
                None
            }
            several => {
                let numbers: Vec<String> = several.iter().map(|i| (i + 1).to_string()).collect();
                problems.push(Diagnostic::error(
                    header_place.clone(),
                    format!(
                        "the ledger has {} columns named {wanted_name:?} (columns {}); rename \
                         all but the {what} column",
                        several.len(),
                        numbers.join(" and ")
                    ),
                ));
                None
            }
        }
    };
    let date = find(wanted.date, "ledger_date_column", "date");
    let cost_centre = find(
        wanted.cost_centre,
        "ledger_cost_centre_column",
        "cost centre",
    );
    let amount = find(wanted.amount, "ledger_amount_column", "amount");
    match (date, cost_centre, amount) {
        (Some(date), Some(cost_centre), Some(amount)) => Ok(Columns {
            count: names.len(),
            date,
            cost_centre,
            amount,
        }),
        _ => Err(problems),
    }
}

/// Which reader a block was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ReadBy {
    Polars,
    Csv,
}

/// Counts every line of `block` into `tally`.
pub(super) fn read_block(
    block: &Block,
    columns: &Columns,
    source: &Source,
    tally: &mut Tally,
) -> ReadBy {
    match polars_frame(block, columns.count) {
        Ok(frame) if frame.height() == block.line_count() => {
            tally_frame(&frame, block, columns, source, tally);
            ReadBy::Polars
        }
        // A line break inside quotes, or a line polars refused: the slow, exact path.
        _ => {
            read_block_with_csv(block, columns, source, tally);
            ReadBy::Csv
        }
    }
}

fn column_name(index: usize) -> PlSmallStr {
    format!("column_{}", index + 1).into()
}

fn polars_frame(block: &Block, column_count: usize) -> PolarsResult<DataFrame> {
    let schema: Schema = (0..column_count)
        .map(|i| Field::new(column_name(i), DataType::String))
        .collect();
    // All columns are read (no projection), so that polars refuses a line with more values than
    // the header instead of silently dropping the extra ones.
    CsvReadOptions::default()
        .with_has_header(false)
        .with_schema(Some(Arc::new(schema)))
        .with_infer_schema_length(Some(0))
        .with_raise_if_empty(false)
        .into_reader_with_file_handle(Cursor::new(block.text.as_slice()))
        .finish()
}

fn tally_frame(
    frame: &DataFrame,
    block: &Block,
    columns: &Columns,
    source: &Source,
    tally: &mut Tally,
) {
    let text_column = |index: usize| {
        frame
            .column(&column_name(index))
            .and_then(Column::str)
            .expect("every column is read as text")
    };
    let dates = text_column(columns.date);
    let cost_centres = text_column(columns.cost_centre);
    let amounts = text_column(columns.amount);
    let rows = dates.iter().zip(cost_centres.iter()).zip(amounts.iter());
    for (row_index, ((date, cost_centre), amount)) in rows.enumerate() {
        let fields = LineFields {
            line_number: block.first_line_number + row_index,
            date,
            cost_centre,
            amount,
        };
        if fields.is_blank() && !row_is_blank(frame, row_index) {
            tally.bad_line(vec![blank_fields_error(source, fields.line_number)]);
            continue;
        }
        tally.line(source, &fields);
    }
}

/// True when every value of a row is blank.
fn row_is_blank(frame: &DataFrame, row_index: usize) -> bool {
    frame.columns().iter().all(|column| {
        column
            .str()
            .ok()
            .and_then(|text| text.get(row_index))
            .is_none_or(|value| value.trim().is_empty())
    })
}

fn blank_fields_error(source: &Source, line_number: usize) -> Diagnostic {
    Diagnostic::error(
        Place::Csv {
            file: source.name.clone(),
            line_number,
            column_number: Some(source.date_column_number),
        },
        "the line has no date, cost centre or amount; fill them in, or delete the line",
    )
}

fn read_block_with_csv(block: &Block, columns: &Columns, source: &Source, tally: &mut Tally) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(block.text.as_slice());
    let mut record = csv::StringRecord::new();
    // The csv crate's own line numbers skip blank lines, so lines are counted here: line feeds
    // before the record's first byte (its byte offset can point at blank lines before it).
    let mut counted_to = 0;
    let mut line_number = block.first_line_number;
    let mut line_number_of = |position: Option<&csv::Position>| {
        let text = &block.text;
        let mut start = position
            .map_or(counted_to, |p| p.byte() as usize)
            .max(counted_to);
        while start < text.len() && matches!(text[start], b'\r' | b'\n') {
            start += 1;
        }
        line_number += text[counted_to..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted_to = start;
        line_number
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line_number = line_number_of(record.position());
                if record.len() > columns.count {
                    let place = Place::Csv {
                        file: source.name.clone(),
                        line_number,
                        column_number: None,
                    };
                    tally.bad_line(vec![Diagnostic::error(
                        place,
                        format!(
                            "the line has {} values but the header has {}; a value with a comma \
                             in it must be in double quotes",
                            record.len(),
                            columns.count
                        ),
                    )]);
                    continue;
                }
                let fields = LineFields {
                    line_number,
                    date: record.get(columns.date),
                    cost_centre: record.get(columns.cost_centre),
                    amount: record.get(columns.amount),
                };
                if fields.is_blank() && !record.iter().all(|v| v.trim().is_empty()) {
                    tally.bad_line(vec![blank_fields_error(source, line_number)]);
                    continue;
                }
                tally.line(source, &fields);
            }
            Err(error) => {
                let place = Place::Csv {
                    file: source.name.clone(),
                    line_number: line_number_of(error.position()),
                    column_number: None,
                };
                tally.bad_line(vec![Diagnostic::error(
                    place,
                    format!("the line cannot be read as CSV: {error}"),
                )]);
                break;
            }
        }
    }
}
