//! The CSV tables of SPEC §3 defined once, row by row, and written two ways with the same
//! bytes: as a [`Table`] of text cells (what `report::tables` hands to other reports and
//! tests), or straight from the results into the file, a row at a time (what a run writes:
//! a large book has hundreds of thousands of rows). Written straight, each row is laid out in
//! a reused buffer (numbers and amounts by the digit writer of [`crate::money::digits`]),
//! copied into one reused buffer of [`CHUNK`] bytes, and the buffer handed to the file when
//! full: no allocation a cell or a row, and no memory that grows with the table (a fresh 9 MB
//! buffer a table cost its page faults and the doublings of a growing `Vec`). A table written
//! straight is checked to be in its order as it goes (one comparison a row, as
//! [`Table::sort`] does); one that is not is made as a [`Table`] and sorted instead, so the
//! file is the same either way.

use super::{compare_cells, Table, Unmapped};
use crate::engine::Results;
use crate::money::{digits, Money};
use crate::values::Year;
use rust_decimal::Decimal;
use std::io::{self, Write};

/// How many bytes of rows are gathered before they are handed to the file: large enough
/// that a write and a hash update cost little each, small enough to stay in the cache.
pub const CHUNK: usize = 1 << 17;

/// One row laid out as text: the cells one after another in one buffer, joined by `,` (so
/// that a row none of whose cells needs quotes is written as it is), reused row after row.
#[derive(Default)]
pub struct Row {
    text: Vec<u8>,
    ends: Vec<usize>,
    /// Whether no free-text cell is rewritten ([`crate::render::csv::neutralise`]); whether a
    /// cell needs quotes is found once for the whole row ([`Row::is_plain`]).
    inert: bool,
    /// The free-text columns, a bit each.
    text_columns: u64,
}

impl Row {
    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.inert = true;
    }

    /// Whether the next cell is in a free-text column.
    fn next_is_text(&self) -> bool {
        // Most tables have no free text: one test for them.
        self.text_columns != 0
            && self.ends.len() < 64
            && self.text_columns >> self.ends.len() & 1 == 1
    }

    /// Starts a cell: a `,` after the one before.
    fn begin_cell(&mut self) {
        if !self.ends.is_empty() {
            self.text.push(b',');
        }
    }

    /// Starts a cell of digits, `.`, `/` and `-` (never quoted; rewritten only when it is in
    /// a free-text column, which none is).
    fn begin_number(&mut self) {
        self.inert &= !self.next_is_text();
        self.begin_cell();
    }

    fn end_cell(&mut self) {
        self.ends.push(self.text.len());
    }

    /// Whether the row is written as it is: no free text rewritten, and no cell holding a
    /// `,`, a `"`, a CR or an LF ([`crate::render::csv::is_plain`]). Found for the whole row
    /// at once rather than cell by cell: those bytes all sort below `-`, as the commas
    /// between the cells do, so a row none of whose cells needs quotes has no more bytes
    /// below `-` than the commas between its cells (a cell with a space or a `+` in it is
    /// counted too, and goes through the general writer, which writes it as it is).
    fn is_plain(&self) -> bool {
        self.inert && crate::render::csv::count_below_dash(&self.text) + 1 == self.ends.len()
    }

    /// A cell as it is. Inlined into each table's rows: most cells are codes of a few bytes,
    /// for which a call cost about as much as the rest (callgrind: 8M of 459M instructions
    /// of the tables on the 100-council book).
    #[inline(always)]
    pub fn str(&mut self, cell: &str) {
        if self.next_is_text() {
            self.inert &= matches!(
                crate::text::neutralised(cell),
                std::borrow::Cow::Borrowed(_)
            );
        }
        self.begin_cell();
        self.text.extend_from_slice(cell.as_bytes());
        self.end_cell();
    }

    /// An amount, `1234.50` ([`Money::text`]).
    pub fn money(&mut self, amount: Money) {
        self.begin_number();
        amount.push_text(&mut self.text);
        self.end_cell();
    }

    /// A year, `2012/13` (its `Display`).
    pub fn year(&mut self, year: Year) {
        let y = year.0;
        if (1000..=9999).contains(&y) {
            self.begin_number();
            // The seven bytes laid out in place and appended at once (a copy of a known
            // length, made inline), rather than pushed a pair at a time.
            let (century, within) = ((y / 100) as u8, (y % 100) as u8);
            let next = if within == 99 { 0 } else { within + 1 };
            let pair = |n: u8| [b'0' + n / 10, b'0' + n % 10];
            let ([a, b], [c, d], [e, f]) = (pair(century), pair(within), pair(next));
            self.text.extend_from_slice(&[a, b, c, d, b'/', e, f]);
            self.end_cell();
        } else {
            self.str(&year.to_string());
        }
    }

    /// A whole number, as `Display` writes it.
    pub fn int(&mut self, n: i128) {
        self.begin_number();
        digits::push_i128(&mut self.text, n);
        self.end_cell();
    }

    /// A decimal as `Decimal`'s `Display` writes it (the caller normalises it first where the
    /// table wants that).
    pub fn decimal(&mut self, d: Decimal) {
        self.begin_number();
        push_decimal(&mut self.text, d);
        self.end_cell();
    }

    /// The cells, in order, as bytes.
    pub fn cell_bytes(&self) -> impl Iterator<Item = &[u8]> + Clone {
        self.cell_bytes_from(0)
    }

    /// Where cell `i` begins (just after the `,` that ends the one before).
    fn cell_start(&self, i: usize) -> usize {
        match i {
            0 => 0,
            _ => self.ends[i - 1] + 1,
        }
    }

    /// Cell `i`, as bytes, when the row has it.
    pub fn cell(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends.get(i)?;
        Some(&self.text[self.cell_start(i)..end])
    }

    /// The cells from cell `first` on, in order, as bytes.
    fn cell_bytes_from(&self, first: usize) -> impl Iterator<Item = &[u8]> + Clone {
        let mut start = self.cell_start(first.min(self.ends.len()));
        self.ends[first.min(self.ends.len())..]
            .iter()
            .map(move |&end| {
                let cell = &self.text[start..end];
                start = end + 1;
                cell
            })
    }

    /// The cells, in order.
    pub fn cells(&self) -> impl Iterator<Item = &str> + Clone {
        // Each cell is a `&str` given to `str` or ASCII digits, so the check never fails.
        self.cell_bytes()
            .map(|cell| std::str::from_utf8(cell).expect("cells are UTF-8"))
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// The order of [`Table::sort`] on the first `n` cells of two rows ([`compare_cells`]).
    /// Rows one after another mostly begin with the same cells (the same year, programme,
    /// invoice): those are found at once, from the bytes the two rows begin with, and only
    /// the cells from the first that differs are compared one by one.
    fn compare(&self, other: &Row, n: usize) -> std::cmp::Ordering {
        let same = common_prefix(&self.text, &other.text);
        // A cell ending at the same place in both rows, as every cell before it does, and
        // within the bytes they share, is the same cell in both.
        let skip = self
            .ends
            .iter()
            .zip(&other.ends)
            .take(n)
            .take_while(|&(&a, &b)| a == b && a <= same)
            .count();
        // The first cell that differs, when both rows have it and neither is a number (a
        // code, nearly always): it orders the rows by its text, and is known to differ.
        if let (true, Some(x), Some(y)) = (skip < n, self.cell(skip), other.cell(skip)) {
            let is_number = |cell: &[u8]| cell.first().is_some_and(u8::is_ascii_digit);
            if !is_number(x) && !is_number(y) {
                return x.cmp(y);
            }
        }
        compare_cells(
            self.cell_bytes_from(skip),
            self.len() - skip,
            other.cell_bytes_from(skip),
            other.len() - skip,
            n - skip,
        )
    }
}

/// How many bytes `a` and `b` begin with alike, found eight at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let mut same = 0;
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        let x = u64::from_le_bytes(x.try_into().expect("eight bytes"));
        let y = u64::from_le_bytes(y.try_into().expect("eight bytes"));
        if x != y {
            // The first byte that differs is the lowest that differs (little-endian).
            return same + (x ^ y).trailing_zeros() as usize / 8;
        }
        same += 8;
    }
    same + a[same..]
        .iter()
        .zip(&b[same..])
        .take_while(|(x, y)| x == y)
        .count()
}

/// Appends `d` as `Decimal`'s `Display` writes it: the mantissa's digits with the point
/// `scale` digits from the right (`0.005`, `547.5`, `-2`), a `-` for a negative value (a
/// negative zero too, as `Display` does).
fn push_decimal(out: &mut Vec<u8>, d: Decimal) {
    let scale = d.scale() as usize;
    // `Display` writes the sign of a negative zero too (`normalize` clears it).
    if d.is_sign_negative() {
        out.push(b'-');
    }
    let mantissa = d.mantissa().unsigned_abs();
    if scale == 0 {
        digits::push_u128(out, mantissa);
        return;
    }
    let mut buffer = [0u8; digits::MAX_DIGITS];
    let start = digits::write_u128_back(&mut buffer, digits::MAX_DIGITS, mantissa);
    let digits = &buffer[start..];
    if digits.len() > scale {
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        out.extend_from_slice(whole);
        out.push(b'.');
        out.extend_from_slice(fraction);
    } else {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', scale - digits.len()));
        out.extend_from_slice(digits);
    }
}

/// What a table's rows are made from.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub results: &'a Results,
    pub unmapped: &'a [Unmapped],
}

/// How a table hands its rows over: it calls `emit` once a row, with what lays the row out,
/// and stops when `emit` returns false.
pub type Emit<'e> = dyn FnMut(&dyn Fn(&mut Row)) -> bool + 'e;

/// One table of SPEC §3: its file, header, order and text columns, and its rows.
pub struct Def {
    pub file_name: &'static str,
    pub header: &'static [&'static str],
    /// How many leading columns the rows are sorted by ([`Table::sort`]).
    pub sort_columns: usize,
    pub text_columns: &'static [&'static str],
    /// Every row, in the order the results hold them.
    pub rows: fn(Source<'_>, &mut Emit<'_>),
    /// A stricter order the table is made in before [`Table::sort`], when it has one
    /// (`issue.csv`: documents by number, each one's lines by programme, a stable sort): a
    /// row out of this order is written through the [`Table`] too.
    pub presorted: Option<fn(&Row, &Row) -> std::cmp::Ordering>,
    /// How the [`Table`] is made, for a table with such an order (rows sorted by it).
    pub table: Option<fn(&Results) -> Table>,
}

impl Def {
    /// The table as text cells, sorted.
    pub fn table(&self, source: Source<'_>) -> Table {
        let mut table = match self.table {
            Some(make) => make(source.results),
            None => {
                let mut table = Table::new(self.file_name, self.header, self.sort_columns);
                table.text_columns = self.text_columns.to_vec();
                let mut row = Row::default();
                (self.rows)(source, &mut |fill| {
                    row.clear();
                    fill(&mut row);
                    table.rows.push(row.cells().map(str::to_string).collect());
                    true
                });
                table
            }
        };
        table.sort();
        table
    }

    /// Writes the table's CSV file straight from the rows, in pieces of about [`CHUNK`]
    /// bytes, when they come in order: `Ok(true)`. `Ok(false)` when a row is out of order:
    /// what was written so far is not the file, which the caller writes again from the
    /// sorted [`Table`] (`render::csv::write_table(&self.table(source), ..)`).
    pub fn csv(&self, source: Source<'_>, out: &mut dyn Write) -> io::Result<bool> {
        assert!(
            self.header.len() <= 64,
            "a bit a column in `Row::text_columns`"
        );
        let is_text: Vec<bool> = self
            .header
            .iter()
            .map(|h| self.text_columns.contains(h))
            .collect();
        let text_columns = is_text
            .iter()
            .enumerate()
            .fold(0u64, |bits, (i, &t)| bits | u64::from(t) << i);
        let mut chunk = Vec::with_capacity(CHUNK + 4096);
        crate::render::csv::push_record(
            &mut chunk,
            &vec![false; is_text.len()],
            self.header.iter().copied(),
        )?;
        let mut row = Row {
            text_columns,
            ..Row::default()
        };
        let mut previous = Row::default();
        let (columns, n) = (self.header.len(), self.sort_columns);
        let (mut first, mut in_order) = (true, true);
        let mut written = Ok(());
        (self.rows)(source, &mut |fill| {
            row.clear();
            fill(&mut row);
            if !first {
                let order = match self.presorted {
                    Some(order) => order(&previous, &row),
                    None => previous.compare(&row, n),
                };
                if order.is_gt() {
                    in_order = false;
                    return false;
                }
            }
            first = false;
            // A row of no bytes at all is written `""`, by the general writer.
            if row.len() == columns && !row.text.is_empty() && row.is_plain() {
                chunk.extend_from_slice(&row.text);
                chunk.push(b'\n');
            } else {
                written = crate::render::csv::push_record(&mut chunk, &is_text, row.cells());
            }
            if written.is_ok() && chunk.len() >= CHUNK {
                written = out.write_all(&chunk);
                chunk.clear();
            }
            std::mem::swap(&mut row, &mut previous);
            row.text_columns = text_columns;
            written.is_ok()
        });
        written?;
        if !in_order {
            return Ok(false);
        }
        out.write_all(&chunk)?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each file written straight is the file of the sorted [`Table`], byte for byte, for
    /// the fixture's results as they are and with every list reversed (then the rows come
    /// out of order and go through the table).
    #[test]
    fn written_straight_or_through_the_table_the_bytes_are_the_same() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/wla");
        let (book, diags) = crate::pipeline::load(&path);
        let book = book.unwrap_or_else(|| panic!("{diags:?}"));
        let results = crate::engine::run(&book, &Default::default());
        let unmapped = vec![
            Unmapped {
                source: "gl.csv".into(),
                line_number: 12,
                cost_centre: "=CC 9".into(),
                amount: Money::from_pence(-1_234),
                reason: "no programme",
            },
            Unmapped {
                source: "gl.csv".into(),
                line_number: 3,
                cost_centre: "CC, 1".into(),
                amount: Money::from_pence(5),
                reason: "after actuals_to",
            },
        ];
        let mut reversed = results.clone();
        reversed.allocations.reverse();
        reversed.year_ends.reverse();
        reversed.invoices.reverse();
        reversed.variance.reverse();
        reversed.benefits.reverse();
        reversed.returns.reverse();
        reversed.documents.to_send.reverse();
        for results in [&results, &reversed] {
            let tables = super::super::tables(results, &unmapped);
            let files = super::super::csv_tables(results, &unmapped);
            assert_eq!(tables.len(), files.len());
            for (table, file) in tables.iter().zip(&files) {
                assert_eq!(table.file_name, file.file_name);
                assert!(!table.rows.is_empty() || table.file_name == "benefits.csv");
                let mut expected = Vec::new();
                crate::render::csv::write_table(table, &mut expected).unwrap();
                let got = file.content().unwrap();
                assert_eq!(
                    String::from_utf8(got).unwrap(),
                    String::from_utf8(expected.clone()).unwrap(),
                    "{}",
                    table.file_name
                );
                // Written into a pack in pieces (begun again when out of order): the same
                // bytes, listed once in the manifest.
                let sink = crate::pack::MemorySink::default();
                let pack = crate::pack::Pack::new(&sink);
                file.write_into(&pack).unwrap();
                pack.finish(&[]).unwrap();
                let files = sink.into_files();
                let named = |name: &str| {
                    let found: Vec<_> = files
                        .iter()
                        .filter(|f| f.path.to_str() == Some(name))
                        .collect();
                    assert_eq!(found.len(), 1, "{name} once in the pack");
                    found[0].content.clone()
                };
                assert_eq!(files.len(), 2);
                assert_eq!(
                    named(table.file_name),
                    expected,
                    "{} in a pack",
                    table.file_name
                );
                let manifest = String::from_utf8(named("manifest.json")).unwrap();
                assert!(
                    manifest.contains(&crate::render::manifest::sha256_hex(&expected)),
                    "{manifest}"
                );
            }
        }
    }

    /// [`Row::compare`], which skips the cells two rows share, orders rows as
    /// [`compare_cells`] does on every cell: codes, numbers (`9` before `10`, `01` as `1`),
    /// prefixes, empty cells and cells with commas in them.
    #[test]
    fn rows_compare_as_their_cells_do() {
        let cells = [
            "",
            "1",
            "01",
            "9",
            "10",
            "2012/13",
            "2013/14",
            "C001",
            "C002",
            "C0011",
            "C",
            "a,b",
            "a",
            "b",
            "WLA/2012-13/C000/C001",
        ];
        let mut rows = Vec::new();
        for a in cells {
            for b in cells {
                for c in ["x", "", "10", "9"] {
                    rows.push([a, b, c]);
                }
            }
        }
        rows.push(["a", "b,x", "y"]);
        rows.push(["a,b", "x", "y"]);
        let row_of = |cells: &[&str]| {
            let mut row = Row::default();
            row.clear();
            for cell in cells {
                row.str(cell);
            }
            row
        };
        for a in &rows {
            let row_a = row_of(a);
            for b in &rows {
                let row_b = row_of(b);
                for n in 0..=3 {
                    let expected = compare_cells(
                        a.iter().map(|c| c.as_bytes()),
                        a.len(),
                        b.iter().map(|c| c.as_bytes()),
                        b.len(),
                        n,
                    );
                    assert_eq!(row_a.compare(&row_b, n), expected, "{a:?} {b:?} {n}");
                }
            }
        }
    }

    #[test]
    fn decimals_as_display_writes_them() {
        let mut cases: Vec<Decimal> = [
            "0",
            "1",
            "-1",
            "547.5",
            "0.005",
            "-0.005",
            "365",
            "1.25",
            "12345678.901234",
            "0.1",
            "-12.5",
            "100",
        ]
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
        // Every scale, and mantissas with fewer and more digits than the scale.
        for scale in 0..=12 {
            for mantissa in [0i64, 1, 7, 42, 999, 1_000, 123_456_789, -3, -1_000_001] {
                cases.push(Decimal::new(mantissa, scale));
            }
        }
        let mut negative_zero = Decimal::new(0, 2);
        negative_zero.set_sign_negative(true);
        cases.push(negative_zero);
        for d in cases {
            for d in [d, d.normalize()] {
                let mut text = Vec::new();
                push_decimal(&mut text, d);
                assert_eq!(String::from_utf8(text).unwrap(), d.to_string(), "{d:?}");
            }
        }
    }

    #[test]
    fn numbers_and_years_as_display_writes_them() {
        for n in [
            0i128,
            1,
            -1,
            9,
            10,
            365,
            -4_000,
            i64::MAX as i128,
            i128::MIN + 1,
        ] {
            let mut row = Row::default();
            row.int(n);
            assert_eq!(row.cells().next(), Some(n.to_string().as_str()));
        }
        for y in [1900, 1999, 2012, 2099, 2199, 999, 10_000] {
            let mut row = Row::default();
            row.year(Year(y));
            assert_eq!(row.cells().next(), Some(Year(y).to_string().as_str()));
        }
    }
}
