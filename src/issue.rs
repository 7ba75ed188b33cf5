//! `accord issue` (SPEC §5): the documents to send become lines of the register, each chained
//! to the one before by its checksum. The lines are worked out purely ([`lines_to_issue`]); the
//! register is then written in one atomic step: `issued.csv` replaced by rename inside a CSV
//! folder, or the whole book written as a new workbook. A workbook given as the book is never
//! written to.

use crate::book::{Cell, CellValue, RawBook, RawRow, RawTable};
use crate::diag::Place;
use crate::engine::{Document, Documents};
use crate::model::cycle::chain;
use crate::model::{table_schema, Book, DocumentKind, IssuedLine};
use crate::money::{grouped, Money};
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
        .flat_map(|d| d.register_lines(on))
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

/// What `accord issue` was asked for, checked before the book is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The day the documents are issued (`--on`, today by default).
    pub on: NaiveDate,
    /// Only this year's documents (`--year`), or every year's.
    pub year: Option<Year>,
    /// A new workbook to write the book to (`--to`); `None` to replace a CSV folder's
    /// `issued.csv`.
    pub to: Option<PathBuf>,
}

/// Why `accord issue` issued nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The command line is wrong (exit status 2). Each message is the whole line to print.
    Usage(String),
    /// The request cannot be carried out (exit status 1); the book is as it was.
    Stop(String),
}

/// Checks `accord issue`'s arguments against each other and the book's form: a workbook is
/// never written to, so it needs `--to`, a new `.xlsx` file.
pub fn request(
    book: &Path,
    on: Option<&str>,
    year: Option<&str>,
    to: Option<&Path>,
    today: NaiveDate,
) -> Result<Request, Refused> {
    let on = match on.map(crate::values::parse_date_text) {
        None => today,
        Some(Ok(date)) => date,
        Some(Err(message)) => return Err(Refused::Usage(format!("error: --on: {message}"))),
    };
    let year = match year.map(crate::values::parse_year) {
        None => None,
        Some(Ok(year)) => Some(year),
        Some(Err(message)) => return Err(Refused::Usage(format!("error: --year: {message}"))),
    };
    if !book.is_dir() && to.is_none() {
        return Err(Refused::Usage(format!(
            "error: {} is a workbook, and accord never modifies a workbook; add --to NEW.xlsx to write the book with its longer register there",
            book.display()
        )));
    }
    if let Some(to) = to {
        if !to
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
        {
            return Err(Refused::Usage(format!(
                "error: --to {}: give a new workbook ending in .xlsx",
                to.display()
            )));
        }
        if to.exists() {
            return Err(Refused::Stop(format!(
                "{}: error: exists already; accord issue writes a new workbook and never replaces one, so give a new name",
                to.display()
            )));
        }
    }
    Ok(Request {
        on,
        year,
        to: to.map(Path::to_path_buf),
    })
}

/// Issues every document the book calls for that its register does not hold yet (only
/// `request.year`'s, when given): the lines are chained onto the register and written in one
/// atomic step. Returns what to tell the user, one line each.
pub fn issue(
    path: &Path,
    raw: &RawBook,
    book: &Book,
    request: &Request,
) -> Result<Vec<String>, Refused> {
    let year = request.year;
    if let Some(y) = year {
        if !book.years.contains(&y) {
            return Err(Refused::Stop(format!(
                "error: --year {y} is not a year of the book ({} to {}); nothing was issued",
                book.years[0],
                book.years[book.years.len() - 1]
            )));
        }
    }
    let results = crate::engine::run(book, &crate::engine::ExtraActuals::new());
    let lines = lines_to_issue(book, &results.documents, year, request.on);
    if lines.is_empty() {
        return Ok(vec![format!(
            "accord issue: nothing to issue; the register already holds every document the book calls for{}",
            year.map_or_else(String::new, |y| format!(" in {y}"))
        )]);
    }
    let mut register = book.cycle.issued.clone();
    register.extend(lines.iter().cloned());
    let written = match &request.to {
        Some(to) => {
            let place = Place::File {
                file: "issued".into(),
            };
            let tables = tables_with_register(raw, &register, &place);
            crate::book::workbook_bytes(&tables)
                .map_err(|e| e.to_string())
                .and_then(|bytes| replace_file(to, &bytes).map_err(|e| e.to_string()))
                .map(|()| to.clone())
        }
        None => {
            let file = register_path(raw, path);
            replace_file(&file, register_csv(&register).as_bytes())
                .map_err(|e| e.to_string())
                .map(|()| file)
        }
    }
    .map_err(|e| {
        Refused::Stop(format!(
            "error: {e}; nothing was issued, and the book is as it was"
        ))
    })?;
    let issued: Vec<&Document> = results
        .documents
        .to_send
        .iter()
        .filter(|d| year.is_none_or(|y| d.year == y))
        .collect();
    let mut said: Vec<String> = issued.iter().map(|d| document_line(d)).collect();
    said.push(format!(
        "accord issue: {} issued on {} between {} councils ({}); {} lines added to the register in {}",
        crate::text::counted(issued.len(), "document"),
        request.on,
        councils_between(&issued),
        kinds_issued(&issued),
        lines.len(),
        written.display()
    ));
    Ok(said)
}

/// `  WLA/2013-14/EAL/HRW/2      credit note           EAL to HRW  GBP -10.50 (adjusts …)`
fn document_line(d: &Document) -> String {
    let adjusts = d
        .adjusts
        .as_ref()
        .map_or_else(String::new, |a| format!(" (adjusts {a})"));
    format!(
        "  {:<26} {:<21} {} to {}  GBP {}{adjusts}",
        d.number,
        d.kind.title().to_lowercase(),
        d.issuer,
        d.payer,
        grouped(d.total())
    )
}

/// "2 invoices GBP 1,000.00, 1 credit note GBP -10.50": each kind issued, with its total.
fn kinds_issued(issued: &[&Document]) -> String {
    let mut parts = Vec::new();
    for (kind, name) in [
        (DocumentKind::Invoice, "invoice"),
        (DocumentKind::Supplementary, "supplementary invoice"),
        (DocumentKind::CreditNote, "credit note"),
    ] {
        let of_kind: Vec<_> = issued.iter().filter(|d| d.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let total: Money = of_kind.iter().map(|d| d.total()).sum();
        parts.push(format!(
            "{} GBP {}",
            crate::text::counted(of_kind.len(), name),
            grouped(total)
        ));
    }
    parts.join(", ")
}

fn councils_between(issued: &[&Document]) -> usize {
    let mut councils: Vec<&str> = issued
        .iter()
        .flat_map(|d| [d.issuer.as_str(), d.payer.as_str()])
        .collect();
    councils.sort_unstable();
    councils.dedup();
    councils.len()
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
    fn the_arguments_are_checked_before_the_book_is_read() {
        let today = NaiveDate::from_ymd_opt(2013, 11, 30).unwrap();
        let folder = Path::new("fixtures/wla");
        let workbook = Path::new("fixtures/wla.xlsx");
        let existing = Path::new("fixtures/wla.xlsx");
        let new = Path::new("target/no-such-new-book.xlsx");
        type Case<'a> = (
            &'a Path,
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a Path>,
            &'a str,
        );
        let refusals: &[Case] = &[
            (folder, Some("30/13/2013"), None, None, "error: --on: "),
            (folder, None, Some("2013"), None, "error: --year: "),
            (
                workbook,
                None,
                None,
                None,
                "error: fixtures/wla.xlsx is a workbook",
            ),
            (
                folder,
                None,
                None,
                Some(Path::new("out.csv")),
                "error: --to out.csv: give a new workbook",
            ),
            (
                folder,
                None,
                None,
                Some(existing),
                "fixtures/wla.xlsx: error: exists already",
            ),
        ];
        for (book, on, year, to, said) in refusals {
            let refusal = request(book, *on, *year, *to, today).unwrap_err();
            let (Refused::Usage(message) | Refused::Stop(message)) = &refusal;
            assert!(message.starts_with(said), "{message} (wanted {said}…)");
            // Only a file already there is a refusal of the request; the rest are usage.
            assert_eq!(matches!(refusal, Refused::Stop(_)), to == &Some(existing));
        }
        let asked = request(folder, Some("2013-11-20"), Some("2013/14"), None, today).unwrap();
        assert_eq!(asked.on, NaiveDate::from_ymd_opt(2013, 11, 20).unwrap());
        assert_eq!(asked.year, Some(Year(2013)));
        assert_eq!(request(folder, None, None, None, today).unwrap().on, today);
        assert_eq!(
            request(workbook, None, None, Some(new), today).unwrap().to,
            Some(new.to_path_buf())
        );
    }

    #[test]
    fn a_replaced_file_leaves_no_temporary_file() {
        let scratch = crate::test_dir::TestDir::new("replace");
        let dir = scratch.path();
        let path = dir.join("issued.csv");
        replace_file(&path, b"one\n").unwrap();
        replace_file(&path, b"two\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two\n");
        let names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        // A folder that cannot be written leaves the old file as it was.
        assert!(replace_file(&dir.join("no-such-folder/issued.csv"), b"x").is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
