//! CSV files as SPEC §3 wants them: UTF-8 without a byte-order mark, LF line ends, a header
//! row, fields quoted only when they must be. Free text from the book that a spreadsheet would
//! take for a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is prefixed with `'`
//! (OWASP's advice on CSV injection); amounts and codes are never touched.

use crate::report::Table;
use std::io::{self, Write};

pub use crate::text::neutralise;

pub fn write_table(table: &Table, out: &mut impl Write) -> io::Result<()> {
    let mut records = Records::new(&table.header, &table.text_columns, out)?;
    for row in &table.rows {
        records.record(row.iter().map(String::as_str))?;
    }
    records.finish()
}

/// The one CSV writer: a header, then each record's cells, the cells of `text_columns` made
/// inert ([`neutralise`]). [`write_table`] writes a [`Table`] with it; a report that lays out
/// many rows (a council's journal) hands its cells straight from its rows, uncopied.
pub struct Records<W: Write> {
    writer: ::csv::Writer<W>,
    is_text: Vec<bool>,
}

impl<W: Write> Records<W> {
    /// Starts the file with its header.
    pub fn new(header: &[&str], text_columns: &[&str], out: W) -> io::Result<Records<W>> {
        let mut writer = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::Any(b'\n'))
            .from_writer(out);
        writer.write_record(header)?;
        let is_text = header.iter().map(|h| text_columns.contains(h)).collect();
        Ok(Records { writer, is_text })
    }

    /// Writes one record.
    pub fn record<'c>(&mut self, cells: impl IntoIterator<Item = &'c str>) -> io::Result<()> {
        // Only free text is rewritten; every other cell is written as it is, uncopied.
        self.writer
            .write_record(cells.into_iter().zip(&self.is_text).map(|(cell, is_text)| {
                use std::borrow::Cow;
                match is_text.then(|| crate::text::neutralised(cell)) {
                    Some(Cow::Owned(text)) => Cow::Owned(text.into_bytes()),
                    _ => Cow::Borrowed(cell.as_bytes()),
                }
            }))?;
        Ok(())
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.writer.flush()
    }
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
