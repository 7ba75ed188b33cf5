//! CSV files as SPEC §3 wants them: UTF-8 without a byte-order mark, LF line ends, a header
//! row, fields quoted only when they must be. Free text from the book that a spreadsheet would
//! take for a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is prefixed with `'`
//! (OWASP's advice on CSV injection); amounts and codes are never touched.

use crate::report::Table;
use std::io::{self, Write};

pub use crate::text::neutralise;

pub fn write_table(table: &Table, out: &mut impl Write) -> io::Result<()> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(out);
    writer.write_record(&table.header)?;
    let text_columns: Vec<bool> = table
        .header
        .iter()
        .map(|h| table.text_columns.contains(h))
        .collect();
    for row in &table.rows {
        // Only free text is rewritten; every other cell is written as it is, uncopied.
        writer.write_record(row.iter().zip(&text_columns).map(|(cell, is_text)| {
            use std::borrow::Cow;
            match is_text.then(|| crate::text::neutralised(cell)) {
                Some(Cow::Owned(text)) => Cow::Owned(text.into_bytes()),
                _ => Cow::Borrowed(cell.as_bytes()),
            }
        }))?;
    }
    writer.flush()
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
