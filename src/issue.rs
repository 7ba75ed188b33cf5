//! `accord issue` (SPEC §5): the documents to send become lines of the register, each chained
//! to the one before by its checksum. The lines are worked out purely ([`lines_to_issue`]); the
//! register is then written in one atomic step: `issued.csv` replaced by rename inside a CSV
//! folder, or the whole book written as a new workbook. A workbook given as the book is never
//! written to.

use crate::book::{Cell, CellValue, RawBook, RawRow, RawTable};
use crate::diag::Place;
use crate::engine::Documents;
use crate::model::cycle::chain;
use crate::model::{table_schema, Book, IssuedLine};
use crate::values::Year;
use chrono::NaiveDate;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The register lines that issue every document to send (only `year`'s, when given), dated
/// `on`, in the order of `issue.csv`, with their checksums chained onto the book's register.
pub fn lines_to_issue(
    book: &Book,
    documents: &Documents,
    year: Option<Year>,
    on: NaiveDate,
) -> Vec<IssuedLine> {
    let mut lines: Vec<IssuedLine> = documents
        .to_send
        .iter()
        .filter(|d| year.is_none_or(|y| d.year == y))
        .flat_map(|d| {
            d.lines.iter().map(move |l| IssuedLine {
                document: d.number.clone(),
                kind: d.kind,
                year: d.year,
                issuer: d.issuer.clone(),
                payer: d.payer.clone(),
                programme: l.programme.clone(),
                amount: l.amount,
                issued_on: on,
                checksum: String::new(),
            })
        })
        .collect();
    // In the order of issue.csv: by document number, then programme.
    lines.sort_by(|a, b| (&a.document, &a.programme).cmp(&(&b.document, &b.programme)));
    chain(&book.cycle.issued, &mut lines);
    lines
}

/// The `issued` table as accord writes it: its schema's header, then one row per line.
pub fn register_table(lines: &[IssuedLine], place: &Place) -> RawTable {
    let schema = table_schema("issued").expect("issued has a schema");
    let cell = |text: String| Cell {
        value: CellValue::Text(text),
        place: place.clone(),
    };
    RawTable {
        name: "issued".into(),
        place: place.clone(),
        headers: schema
            .columns
            .iter()
            .map(|c| cell(c.name.to_string()))
            .collect(),
        rows: lines
            .iter()
            .map(|l| RawRow {
                place: place.clone(),
                cells: l.fields().into_iter().map(cell).collect(),
            })
            .collect(),
    }
}

/// The register as CSV text: header, then one line per row (fields never need quoting: codes,
/// numbers, years, dates and hex).
pub fn register_csv(lines: &[IssuedLine]) -> String {
    let schema = table_schema("issued").expect("issued has a schema");
    let mut text = schema.column_names().join(",");
    text.push('\n');
    for line in lines {
        let fields = line.fields();
        assert!(
            fields.iter().all(|f| !f.contains([',', '"', '\n', '\r'])),
            "register fields need no quoting"
        );
        text.push_str(&fields.join(","));
        text.push('\n');
    }
    text
}

/// Where a CSV-folder book keeps its register: the file it was read from, or `issued.csv`.
pub fn register_path(raw: &RawBook, folder: &Path) -> PathBuf {
    match raw.table("issued").map(|t| &t.place) {
        Some(Place::File { file }) => PathBuf::from(&**file),
        _ => folder.join("issued.csv"),
    }
}

/// Writes `bytes` to `path` so that the file is either as it was or wholly new: a temporary
/// file beside it (not named `.csv`, so a book never reads it), flushed to disk, then renamed
/// over it.
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = folder.join(format!(".{name}.accord-{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// The book's tables with `issued` replaced by the longer register (added when absent).
pub fn tables_with_register(raw: &RawBook, lines: &[IssuedLine], place: &Place) -> Vec<RawTable> {
    let mut tables: Vec<RawTable> = raw
        .tables
        .iter()
        .filter(|t| t.name != "issued")
        .cloned()
        .collect();
    tables.push(register_table(lines, place));
    let order = |t: &RawTable| crate::book::TABLE_NAMES.iter().position(|n| *n == t.name);
    tables.sort_by_key(order);
    tables
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocumentKind;
    use crate::money::Money;

    #[test]
    fn the_register_is_written_as_it_is_read() {
        let mut lines = vec![IssuedLine {
            document: "WLA/2013-14/EAL/HRW/2".into(),
            kind: DocumentKind::CreditNote,
            year: Year(2013),
            issuer: "EAL".into(),
            payer: "HRW".into(),
            programme: "SIK".into(),
            amount: Money::from_pence(-1050),
            issued_on: NaiveDate::from_ymd_opt(2013, 11, 30).unwrap(),
            checksum: String::new(),
        }];
        chain(&[], &mut lines);
        let text = register_csv(&lines);
        let mut rows = text.lines();
        assert_eq!(
            rows.next(),
            Some("document,kind,year,issuer,payer,programme,amount,issued_on,checksum")
        );
        assert_eq!(
            rows.next().unwrap(),
            format!(
                "WLA/2013-14/EAL/HRW/2,credit_note,2013/14,EAL,HRW,SIK,-10.50,2013-11-30,{}",
                lines[0].checksum
            )
        );
    }

    #[test]
    fn a_replaced_file_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("accord-replace-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("issued.csv");
        replace_file(&path, b"one\n").unwrap();
        replace_file(&path, b"two\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two\n");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        // A folder that cannot be written leaves the old file as it was.
        assert!(replace_file(&dir.join("no-such-folder/issued.csv"), b"x").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
