//! CSV files as SPEC §3 wants them: UTF-8 without a byte-order mark, LF line ends, a header
//! row, fields quoted only when they must be. Free text from the book that a spreadsheet would
//! take for a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is prefixed with `'`
//! (OWASP's advice on CSV injection); amounts and codes are never touched.

use crate::report::Table;
use std::io::{self, Write};

pub use crate::text::neutralise;

pub fn write_table(table: &Table, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
    let mut records = Records::new(&table.header, &table.text_columns, out)?;
    for row in &table.rows {
        records.record(row.iter().map(String::as_str))?;
    }
    records.finish()
}

/// The one CSV writer: a header, then each record's cells, the cells of `text_columns` made
/// inert ([`neutralise`]). [`write_table`] writes a [`Table`] with it; a report that lays out
/// many rows (a council's journal) hands its cells straight from its rows, uncopied.
///
/// It writes what the `csv` crate writes with `QuoteStyle::Necessary`, `,` and LF (its
/// tests check that on awkward cells): a cell is quoted only when it holds a `,`, a `"`, a
/// CR or an LF, with each `"` doubled; a record with no bytes at all is written as `""`;
/// every record has as many cells as the header (an error otherwise). Cells go straight
/// into one buffer, without the crate's per-cell state machine (callgrind: about half its
/// instructions a byte).
pub struct Records<W: Write> {
    out: W,
    buffer: Vec<u8>,
    is_text: Vec<bool>,
}

/// How many bytes are gathered before they are handed to the writer.
const BUFFER: usize = 1 << 16;

impl<W: Write> Records<W> {
    /// Starts the file with its header.
    pub fn new(header: &[&str], text_columns: &[&str], out: W) -> io::Result<Records<W>> {
        let is_text: Vec<bool> = header.iter().map(|h| text_columns.contains(h)).collect();
        let mut records = Records {
            out,
            buffer: Vec::with_capacity(BUFFER + 1024),
            is_text,
        };
        records.push(header.iter().copied())?;
        Ok(records)
    }

    /// Writes one record.
    pub fn record<'c>(&mut self, cells: impl IntoIterator<Item = &'c str>) -> io::Result<()> {
        push_record(&mut self.buffer, &self.is_text, cells)?;
        self.hand_over_when_full()
    }

    /// Writes one record of cells as they are (the header).
    fn push<'c>(&mut self, cells: impl Iterator<Item = &'c str>) -> io::Result<()> {
        let start = self.buffer.len();
        let mut written = 0;
        for cell in cells {
            if written > 0 {
                self.buffer.push(b',');
            }
            push_cell(&mut self.buffer, cell.as_bytes());
            written += 1;
        }
        let columns = written;
        self.end_record(start, written, columns)
    }

    fn end_record(&mut self, start: usize, written: usize, columns: usize) -> io::Result<()> {
        end_record(&mut self.buffer, start, written, columns)?;
        self.hand_over_when_full()
    }

    fn hand_over_when_full(&mut self) -> io::Result<()> {
        if self.buffer.len() >= BUFFER {
            self.out.write_all(&self.buffer)?;
            self.buffer.clear();
        }
        Ok(())
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.out.write_all(&self.buffer)?;
        self.buffer.clear();
        self.out.flush()
    }
}

/// Appends one record of `cells` to `buffer`, as [`Records::record`] writes it: the cells
/// of the `is_text` columns made inert, each cell quoted when it must be, then LF. An error,
/// and nothing appended, when there are fewer cells than columns (those past the columns
/// are not written).
pub fn push_record<'c>(
    buffer: &mut Vec<u8>,
    is_text: &[bool],
    cells: impl IntoIterator<Item = &'c str>,
) -> io::Result<()> {
    let start = buffer.len();
    let mut written = 0;
    for (cell, &is_text) in cells.into_iter().zip(is_text.iter()) {
        if written > 0 {
            buffer.push(b',');
        }
        if is_text {
            let text = crate::text::neutralised(cell);
            push_cell(buffer, text.as_bytes());
        } else {
            push_cell(buffer, cell.as_bytes());
        }
        written += 1;
    }
    end_record(buffer, start, written, is_text.len())
}

/// Ends the record begun at `start`: `""` for a record with no bytes, then LF; or, when it
/// has the wrong number of cells, removes it and gives the error.
fn end_record(
    buffer: &mut Vec<u8>,
    start: usize,
    written: usize,
    columns: usize,
) -> io::Result<()> {
    if written != columns {
        buffer.truncate(start);
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a CSV record of {written} cells where the header has {columns}"),
        ));
    }
    if buffer.len() == start {
        buffer.extend_from_slice(b"\"\"");
    }
    buffer.push(b'\n');
    Ok(())
}

/// Whether a cell is written as it is (no `,`, `"`, CR or LF in it).
pub fn is_plain(cell: &[u8]) -> bool {
    // The bytes that call for quotes all sort below `-`: a cell of digits, letters, `.`, `/`
    // and `-` (nearly every cell) is known plain from its smallest byte, found without a
    // branch a byte.
    cell.iter().fold(u8::MAX, |low, &b| low.min(b)) >= b'-'
        || !cell
            .iter()
            .any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
}

/// How many bytes sort below `-` (the bytes that call for quotes, `,`, `"`, CR and LF, all
/// do): counted eight at a time, as one `u64` each, without a branch a byte (`bytes` of
/// `below` keeps the bytes of a word to count).
pub fn count_below_dash(bytes: &[u8]) -> usize {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = !LOW;
    const ONES: u64 = 0x0101_0101_0101_0101;
    // A byte's top bit is set in `x + (0x80 - '-')` (its own top bit cleared first, so that
    // no byte carries into the next) when its low seven bits are `-` or above; a byte is
    // below `-` when neither that bit nor its own top bit is set. Those bits, each moved to
    // its byte's lowest, are added up in the top byte by one multiplication (without the
    // `popcnt` instruction, which the baseline x86-64 target lacks, `count_ones` is a dozen
    // instructions).
    const ADD: u64 = (0x80 - b'-' as u64) * ONES;
    let below = |x: u64, bytes: u64| {
        let marks = !(((x & LOW) + ADD) | x) & HIGH & bytes;
        ((marks >> 7).wrapping_mul(ONES) >> 56) as usize
    };
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
    if bytes.len() < 8 {
        return bytes.iter().filter(|&&b| b < b'-').count();
    }
    let words = bytes.chunks_exact(8);
    let rest = words.remainder().len();
    let mut count = 0;
    for w in words {
        count += below(
            u64::from_le_bytes(w.try_into().expect("eight bytes")),
            u64::MAX,
        );
    }
    // The last few bytes: the last eight, less those counted already (the low bytes).
    if rest > 0 {
        count += below(word(bytes.len() - 8), u64::MAX << ((8 - rest) * 8));
    }
    count
}

/// Appends one cell, quoted when it must be (only when it holds a `,`, a `"`, a CR or an LF,
/// each `"` doubled), as the `csv` crate writes it.
pub(super) fn push_cell(out: &mut Vec<u8>, cell: &[u8]) {
    if is_plain(cell) {
        out.extend_from_slice(cell);
        return;
    }
    out.push(b'"');
    for part in cell.split_inclusive(|&b| b == b'"') {
        out.extend_from_slice(part);
        if part.last() == Some(&b'"') {
            out.push(b'"');
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_in_text_are_made_inert() {
        let cases = [
            (
                "=HYPERLINK(\"http://x\",\"pay\")",
                "'=HYPERLINK(\"http://x\",\"pay\")",
            ),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("staff", "staff"),
            ("", ""),
        ];
        for (text, expected) in cases {
            assert_eq!(neutralise(text), expected, "{text:?}");
        }
    }

    /// The cells the `csv` crate's writer (`QuoteStyle::Necessary`, LF) would write, the way
    /// this writer wrote them before it wrote its own.
    fn crate_writes(header: &[&str], rows: &[Vec<&str>]) -> Vec<u8> {
        let mut writer = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        writer.write_record(header).unwrap();
        for row in rows {
            writer.write_record(row).unwrap();
        }
        writer.into_inner().unwrap()
    }

    #[test]
    fn writes_what_the_csv_crate_writes() {
        let awkward = [
            "",
            "plain",
            "a,b",
            "say \"hi\"",
            "\"",
            "\"\"",
            "line\nbreak",
            "cr\rhere",
            "crlf\r\n",
            " spaced ",
            "£1,234.50",
            "tab\there",
            "#hash",
            "'quote",
            ",",
            "\",\"",
        ];
        let mut rows: Vec<Vec<&str>> = Vec::new();
        for a in awkward {
            for b in awkward {
                rows.push(vec![a, b]);
            }
        }
        let mut out = Vec::new();
        let mut records = Records::new(&["x", "y"], &[], &mut out).unwrap();
        for row in &rows {
            records.record(row.iter().copied()).unwrap();
        }
        records.finish().unwrap();
        assert_eq!(out, crate_writes(&["x", "y"], &rows));
        // A record of one empty cell is written as `""`, as the crate writes it.
        for cell in awkward {
            let mut out = Vec::new();
            let mut records = Records::new(&["x"], &[], &mut out).unwrap();
            records.record([cell]).unwrap();
            records.finish().unwrap();
            assert_eq!(out, crate_writes(&["x"], &[vec![cell]]), "{cell:?}");
        }
    }

    #[test]
    fn bytes_below_dash_are_counted() {
        let mut bytes: Vec<u8> = (0..=255).collect();
        bytes.extend(b"2012/13,P01,C001,member,365,0.5,1234.50\n\"a,b\"");
        for start in 0..bytes.len() {
            for end in start..(start + 20).min(bytes.len()) {
                let part = &bytes[start..end];
                let expected = part.iter().filter(|&&b| b < b'-').count();
                assert_eq!(count_below_dash(part), expected, "{part:?}");
            }
        }
    }

    #[test]
    fn a_short_record_is_an_error() {
        let mut out = Vec::new();
        let mut records = Records::new(&["x", "y"], &[], &mut out).unwrap();
        assert!(records.record(["only one"]).is_err());
        records.record(["a", "b"]).unwrap();
        records.finish().unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "x,y\na,b\n");
    }

    #[test]
    fn writes_lf_and_quotes_only_when_needed() {
        let table = Table {
            file_name: "x.csv",
            header: vec!["year", "category", "amount"],
            rows: vec![vec!["2012/13".into(), "a, b".into(), "-1.00".into()]],
            sort_columns: 1,
            text_columns: vec!["category"],
        };
        let mut out = Vec::new();
        write_table(&table, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "year,category,amount\n2012/13,\"a, b\",-1.00\n"
        );
    }
}
