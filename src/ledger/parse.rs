//! Turning a block of ledger records into lines: polars' multi-threaded CSV reader, every
//! column read as text (never inferred: it would read `33585.12` as a float), and the rare block
//! polars cannot number line by line (a quoted value holding a line break) or cannot read (a
//! line with more values than the header) read again with the `csv` crate, which knows where
//! each record starts.

use super::blocks::{Block, BlockReader};
use super::columns::Columns;
use super::tally::{LineFields, Source, Tally};
use crate::diag::{Diagnostic, Place};
use polars::prelude::*;
use std::io::{self, Cursor};
use std::sync::mpsc;

/// Which reader a block was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ReadBy {
    Polars,
    Csv,
}

/// Counts every line of a file into `tally`, block by block, and returns the file's size and
/// SHA-256. One thread reads each block and parses it with polars while this one counts the
/// lines of the block before, so that reading, parsing and counting share the cores; at most
/// three blocks are in memory at once. `progress` is told the bytes done after each block.
pub(super) fn read_blocks(
    mut reader: BlockReader,
    columns: &Columns,
    source: &Source,
    tally: &mut Tally,
    mut progress: impl FnMut(u64),
) -> io::Result<(u64, String)> {
    let column_count = columns.count;
    let (sender, receiver) = mpsc::sync_channel(1);
    std::thread::scope(|scope| {
        let parser = scope.spawn(move || {
            loop {
                let next = match reader.next_block() {
                    Ok(Some(block)) => {
                        let frame = polars_frame(&block, column_count);
                        Ok((block, frame))
                    }
                    Ok(None) => return Some(reader),
                    Err(error) => Err(error),
                };
                let failed = next.is_err();
                // A closed channel means the counting side stopped early.
                if sender.send(next).is_err() || failed {
                    return None;
                }
            }
        });
        for parsed in receiver {
            let (block, frame) = parsed?;
            read_parsed_block(&block, frame, columns, source, tally);
            progress(block.bytes_done);
        }
        let reader = parser
            .join()
            .expect("the parsing thread does not panic")
            .expect("a parsing thread that sent everything read the whole file");
        Ok(reader.size_and_sha256())
    })
}

/// Counts every line of `block` into `tally` (parsing it on this thread).
#[cfg(test)]
pub(super) fn read_block(
    block: &Block,
    columns: &Columns,
    source: &Source,
    tally: &mut Tally,
) -> ReadBy {
    read_parsed_block(
        block,
        polars_frame(block, columns.count),
        columns,
        source,
        tally,
    )
}

fn read_parsed_block(
    block: &Block,
    frame: PolarsResult<DataFrame>,
    columns: &Columns,
    source: &Source,
    tally: &mut Tally,
) -> ReadBy {
    match frame {
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
        tally.line(source, &fields, || row_is_blank(frame, row_index));
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
                        file: source.name.clone().into(),
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
                tally.line(source, &fields, || {
                    record.iter().all(|v| v.trim().is_empty())
                });
            }
            Err(error) => {
                let place = Place::Csv {
                    file: source.name.clone().into(),
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
