//! A streaming look at a workbook part's XML as it inflates, before calamine parses it: how deep
//! its elements nest and, in a worksheet, the rows and columns its cells occupy. calamine
//! allocates a sheet as the rectangle its cells span, so two cells at A1 and XFD1048576 would
//! ask for hundreds of gigabytes; this finds that from the bytes, whatever the file declares.

/// Deepest nesting accepted: spreadsheet programs write worksheets about eight deep.
pub const MAX_XML_DEPTH: usize = 100;
/// Most cells the rectangle of one sheet's cells may hold.
pub const MAX_SHEET_CELLS: u64 = 10_000_000;
/// A spreadsheet's last column (XFD) and row.
pub const LAST_COLUMN: u64 = 16_384;
pub const LAST_ROW: u64 = 1_048_576;

/// The longest tag kept to look for its `r` attribute; longer tags are not cell or row tags
/// as spreadsheet programs write them, and only their nesting counts.
const TAG_KEPT: usize = 512;

/// Which cells a part holds, if any.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub(crate) enum Part {
    /// Nesting only.
    #[default]
    Other,
    /// An xlsx worksheet: `<row r="3">` and `<c r="B3">` elements.
    Worksheet,
    /// An xlsx `sharedStrings.xml`: the text each cell of type `s` stands for.
    SharedStrings,
    /// An ods `content.xml`: `<table:table>`s of `<table:table-row>`s of `<table:table-cell>`s,
    /// each of which may stand for many (`number-rows-repeated`, `number-columns-repeated`).
    OdsContent,
}

#[derive(Debug, Default)]
pub(crate) struct XmlScan<'s> {
    part: Part,
    /// The bytes of text of each shared string, from the sharedStrings part (read first).
    shared: &'s [u32],
    /// sharedStrings: the text bytes of each `<si>`, and whether one is open.
    pub shared_lengths: Vec<u32>,
    in_si: bool,
    /// worksheet: whether the open cell is of type `s`, whether its `<v>` is open, and the
    /// shared-string index read so far.
    shared_cell: bool,
    in_value: bool,
    value_index: u64,
    /// worksheet: the bytes calamine would hold for the shared strings its cells repeat (each
    /// cell gets its own copy, with a string's own overhead).
    pub shared_text_bytes: u64,
    depth: usize,
    pub deepest: usize,
    in_tag: bool,
    quote: Option<u8>,
    tag: Vec<u8>,
    row: u64,
    column: u64,
    /// The rectangle the cells span: (first row, last row, first column, last column).
    pub span: Option<(u64, u64, u64, u64)>,
    /// The first cell found beyond a spreadsheet's last row or column, as (column, row).
    pub beyond: Option<(u64, u64)>,
    /// ods: the current row's repeat count, and the columns up to its last value so far.
    ods_row_repeat: u64,
    ods_row_columns: u64,
    ods_row_extent: u64,
    /// ods: the cells the current table expands to, and the most any table of the part does
    /// (with that table's name).
    ods_table_cells: u64,
    ods_table_name: String,
    pub ods_most_cells: u64,
    pub ods_largest_table: String,
}

/// What calamine spends on a string besides its text.
const STRING_OVERHEAD_BYTES: u64 = 32;

impl<'s> XmlScan<'s> {
    pub fn new(part: Part, shared: &'s [u32]) -> XmlScan<'s> {
        XmlScan {
            part,
            shared,
            ..XmlScan::default()
        }
    }

    /// Takes the next bytes of the part.
    pub fn feed(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            if !self.in_tag {
                if byte == b'<' {
                    self.in_tag = true;
                    self.quote = None;
                    self.tag.clear();
                } else if self.in_si {
                    if let Some(length) = self.shared_lengths.last_mut() {
                        *length = length.saturating_add(1);
                    }
                } else if self.in_value && byte.is_ascii_digit() {
                    self.value_index = self
                        .value_index
                        .saturating_mul(10)
                        .saturating_add(u64::from(byte - b'0'));
                }
                continue;
            }
            match self.quote {
                Some(quote) if byte == quote => self.quote = None,
                Some(_) => {}
                None if byte == b'"' || byte == b'\'' => self.quote = Some(byte),
                None if byte == b'>' => {
                    self.in_tag = false;
                    self.end_of_tag();
                    continue;
                }
                None => {}
            }
            if self.tag.len() < TAG_KEPT {
                self.tag.push(byte);
            }
        }
    }

    /// How many cells the rectangle of the cells holds (for ods, the most cells a table's
    /// rows expand to, counting each row up to its last value).
    pub fn span_cells(&self) -> u64 {
        let rectangle = self
            .span
            .map_or(0, |(first_row, last_row, first_column, last_column)| {
                (last_row - first_row + 1).saturating_mul(last_column - first_column + 1)
            });
        rectangle.max(self.ods_most_cells)
    }

    fn end_of_tag(&mut self) {
        let tag = std::mem::take(&mut self.tag);
        match tag.first() {
            Some(b'/') => {
                self.depth = self.depth.saturating_sub(1);
                let local = local_name(&tag[1..]);
                match self.part {
                    Part::OdsContent if local == b"table-row" => self.end_of_ods_row(),
                    Part::SharedStrings if local == b"si" => self.in_si = false,
                    Part::Worksheet if local == b"v" && self.in_value => {
                        self.in_value = false;
                        let index = usize::try_from(self.value_index).unwrap_or(usize::MAX);
                        if let Some(length) = self.shared.get(index) {
                            self.shared_text_bytes += u64::from(*length) + STRING_OVERHEAD_BYTES;
                        }
                    }
                    Part::Worksheet if local == b"c" => self.shared_cell = false,
                    _ => {}
                }
            }
            Some(b'?' | b'!') | None => {}
            Some(_) => {
                let self_closing = tag.last() == Some(&b'/');
                if !self_closing {
                    self.depth += 1;
                    self.deepest = self.deepest.max(self.depth);
                }
                match self.part {
                    Part::Worksheet => self.cell_or_row(&tag),
                    Part::OdsContent => self.ods_element(&tag, self_closing),
                    Part::SharedStrings => {
                        if local_name(element_name(&tag)) == b"si" && !self_closing {
                            self.in_si = true;
                            self.shared_lengths.push(0);
                        } else if local_name(element_name(&tag)) == b"si" {
                            self.shared_lengths.push(0);
                        }
                    }
                    Part::Other => {}
                }
            }
        }
        self.tag = tag;
    }

    fn cell_or_row(&mut self, tag: &[u8]) {
        let name = element_name(tag);
        let attributes = &tag[name.len()..];
        // A prefixed name (`x:c`) is the same element.
        let local = local_name(name);
        if local == b"v" && self.shared_cell {
            self.in_value = true;
            self.value_index = 0;
            return;
        }
        match local {
            b"row" => {
                self.row = attribute(attributes, b"r")
                    .and_then(|r| std::str::from_utf8(r).ok()?.parse().ok())
                    .unwrap_or(self.row + 1);
                self.column = 0;
            }
            b"c" => {
                self.shared_cell =
                    attribute(attributes, b"t") == Some(b"s") && tag.last() != Some(&b'/');
                match attribute(attributes, b"r").and_then(cell_position) {
                    Some((column, row)) => {
                        self.column = column;
                        self.row = row;
                    }
                    None => self.column += 1,
                }
                self.cell_at(self.column, self.row.max(1));
            }
            _ => {}
        }
    }

    fn ods_element(&mut self, tag: &[u8], self_closing: bool) {
        let name = element_name(tag);
        let attributes = &tag[name.len()..];
        let repeat = |name: &[u8]| {
            attribute(attributes, name)
                .and_then(|r| std::str::from_utf8(r).ok()?.parse::<u64>().ok())
                .unwrap_or(1)
        };
        match local_name(name) {
            b"table" => {
                self.ods_table_cells = 0;
                self.ods_table_name = attribute(attributes, b"name")
                    .map(|name| String::from_utf8_lossy(name).into_owned())
                    .unwrap_or_default();
            }
            b"table-row" => {
                self.ods_row_repeat = repeat(b"number-rows-repeated");
                self.ods_row_columns = 0;
                self.ods_row_extent = 0;
                if self_closing {
                    self.end_of_ods_row();
                }
            }
            b"table-cell" | b"covered-table-cell" => {
                self.ods_row_columns = self
                    .ods_row_columns
                    .saturating_add(repeat(b"number-columns-repeated"));
                if attribute(attributes, b"value-type").is_some() {
                    self.ods_row_extent = self.ods_row_columns;
                }
            }
            _ => {}
        }
    }

    fn end_of_ods_row(&mut self) {
        let cells = self.ods_row_repeat.saturating_mul(self.ods_row_extent);
        self.ods_table_cells = self.ods_table_cells.saturating_add(cells);
        if self.ods_table_cells > self.ods_most_cells {
            self.ods_most_cells = self.ods_table_cells;
            self.ods_largest_table.clone_from(&self.ods_table_name);
        }
        self.ods_row_extent = 0;
    }

    fn cell_at(&mut self, column: u64, row: u64) {
        if (column > LAST_COLUMN || row > LAST_ROW) && self.beyond.is_none() {
            self.beyond = Some((column, row));
        }
        self.span = Some(match self.span {
            None => (row, row, column, column),
            Some((r1, r2, c1, c2)) => (r1.min(row), r2.max(row), c1.min(column), c2.max(column)),
        });
    }
}

/// Each tag of a small XML document, as its element's local name and its attribute text.
fn tags(xml: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    xml.split(|b| *b == b'<').skip(1).filter_map(|rest| {
        let tag = &rest[..rest.iter().position(|b| *b == b'>')?];
        let name = element_name(tag);
        Some((local_name(name), &tag[name.len()..]))
    })
}

/// Which worksheet part holds which sheet, from an xlsx package's `xl/workbook.xml` (sheet
/// names and relationship ids) and `xl/_rels/workbook.xml.rels` (relationship targets):
/// pairs of part name (`xl/worksheets/sheet5.xml`) and sheet name (`grants`).
pub(crate) fn sheet_parts(workbook: &[u8], relationships: &[u8]) -> Vec<(String, String)> {
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let targets: Vec<(String, String)> = tags(relationships)
        .filter(|(name, _)| *name == b"Relationship")
        .filter_map(|(_, attributes)| {
            let id = attribute(attributes, b"Id")?;
            let target = text(attribute(attributes, b"Target")?);
            let part = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_owned(),
                None => format!("xl/{target}"),
            };
            Some((text(id), part))
        })
        .collect();
    tags(workbook)
        .filter(|(name, _)| *name == b"sheet")
        .filter_map(|(_, attributes)| {
            let sheet = text(attribute(attributes, b"name")?);
            let id = text(attribute(attributes, b"id")?);
            let (_, part) = targets.iter().find(|(target_id, _)| *target_id == id)?;
            Some((part.clone(), sheet))
        })
        .collect()
}

/// A tag's element name: what comes before its first space or `/`.
fn element_name(tag: &[u8]) -> &[u8] {
    let end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(tag.len());
    &tag[..end]
}

/// A name without its namespace prefix (`table:table-row` is `table-row`).
fn local_name(name: &[u8]) -> &[u8] {
    let name = name.trim_ascii();
    name.iter()
        .rposition(|b| *b == b':')
        .map_or(name, |colon| &name[colon + 1..])
}

/// The value of attribute `name` (matched without its prefix) in a tag's attribute text
/// (` r="A1" s="2"`).
fn attribute<'t>(attributes: &'t [u8], name: &[u8]) -> Option<&'t [u8]> {
    let mut rest = attributes;
    loop {
        let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        rest = &rest[start..];
        let equals = rest.iter().position(|b| *b == b'=')?;
        let key = rest[..equals].trim_ascii();
        let after = rest[equals + 1..].trim_ascii_start();
        let quote = *after.first()?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let end = after[1..].iter().position(|b| *b == quote)?;
        if local_name(key) == name {
            return Some(&after[1..1 + end]);
        }
        rest = &after[end + 2..];
    }
}

/// The 1-based (column, row) of an A1-style reference (`$` signs allowed).
pub(crate) fn cell_position(reference: &[u8]) -> Option<(u64, u64)> {
    let reference = reference.strip_prefix(b"$").unwrap_or(reference);
    let letters = reference
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let digits = &reference[letters..];
    let digits = digits.strip_prefix(b"$").unwrap_or(digits);
    if letters == 0 || digits.is_empty() {
        return None;
    }
    let column = reference[..letters].iter().try_fold(0u64, |n, b| {
        n.checked_mul(26)?
            .checked_add(u64::from(b.to_ascii_uppercase() - b'A' + 1))
    })?;
    let row: u64 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((column, row))
}

/// `A1`-style name of a 1-based column and row, for messages.
pub(crate) fn cell_name(column: u64, row: u64) -> String {
    format!("{}{row}", crate::text::column_letters(column))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(xml: &str, chunk: usize) -> XmlScan<'static> {
        let mut scan = XmlScan::new(Part::Worksheet, &[]);
        for piece in xml.as_bytes().chunks(chunk) {
            scan.feed(piece);
        }
        scan
    }

    #[test]
    fn follows_cells_and_nesting_across_chunk_boundaries() {
        let xml = r#"<?xml version="1.0"?><worksheet><sheetData><row r="3"><c r="B3" s="1"><v>1</v></c><c><v>2</v></c></row><row><c t="s"><v>0</v></c></row><x:row r="9"><x:c r="$E$9" a='>'/></x:row></sheetData></worksheet>"#;
        for chunk in [1, 2, 7, 4096] {
            let scan = scan(xml, chunk);
            assert_eq!(scan.span, Some((3, 9, 1, 5)), "chunks of {chunk}");
            assert_eq!(scan.deepest, 5);
            assert_eq!(scan.span_cells(), 7 * 5);
            assert_eq!(scan.beyond, None);
        }
    }

    #[test]
    fn finds_cells_far_apart_or_beyond_the_sheet() {
        let far = scan(
            r#"<sheetData><row r="1"><c r="A1"/></row><row r="1048576"><c r="XFD1048576"/></row></sheetData>"#,
            64,
        );
        assert_eq!(far.span_cells(), 16_384 * 1_048_576);
        assert_eq!(far.beyond, None);
        let wide = scan(r#"<row r="2"><c r="ZZZZZ2"/></row>"#, 64);
        assert_eq!(wide.beyond, Some((cell_position(b"ZZZZZ2").unwrap().0, 2)));
    }

    #[test]
    fn counts_deep_nesting() {
        let xml = format!("<a>{}{}</a>", "<b>".repeat(5000), "</b>".repeat(5000));
        assert_eq!(scan(&xml, 100).deepest, 5001);
    }

    #[test]
    fn counts_the_cells_ods_repeats_expand_to() {
        let row = |repeat: u64, cells: &str| {
            format!(
                r#"<table:table-row table:number-rows-repeated="{repeat}">{cells}</table:table-row>"#
            )
        };
        let value = |repeat: u64| {
            format!(
                r#"<table:table-cell table:number-columns-repeated="{repeat}" office:value-type="float" office:value="1"/>"#
            )
        };
        let empty = |repeat: u64| {
            format!(r#"<table:table-cell table:number-columns-repeated="{repeat}"/>"#)
        };
        let xml = format!(
            "<table:table>{}{}{}</table:table><table:table>{}</table:table>",
            row(1, &format!("{}{}{}", value(2), empty(3), value(1))),
            row(1_000_000, &empty(1024)),
            row(2, &value(5)),
            row(3, &value(1)),
        );
        let mut scan = XmlScan::new(Part::OdsContent, &[]);
        for piece in xml.as_bytes().chunks(5) {
            scan.feed(piece);
        }
        // 6 (the first row up to its last value) + 0 (a million empty rows) + 2 x 5.
        assert_eq!(scan.span_cells(), 16);
    }

    #[test]
    fn counts_the_text_cells_repeat_from_shared_strings() {
        let mut strings = XmlScan::new(Part::SharedStrings, &[]);
        strings.feed(br#"<sst count="3"><si><t>abc</t></si><si/><si><r><t>de</t></r><r><t xml:space="preserve"> f</t></r></si></sst>"#);
        assert_eq!(strings.shared_lengths, [3, 0, 4]);
        let lengths = strings.shared_lengths;
        let mut sheet = XmlScan::new(Part::Worksheet, &lengths);
        for piece in br#"<row r="1"><c r="A1" t="s"><v>2</v></c><c r="B1"><v>2</v></c><c r="C1" t="s"><v>0</v></c><c r="D1" t="s"/><c r="E1" t="s"><v>9</v></c></row>"#.chunks(3) {
            sheet.feed(piece);
        }
        assert_eq!(sheet.shared_text_bytes, 4 + 3 + 2 * STRING_OVERHEAD_BYTES);
    }

    #[test]
    fn finds_which_part_holds_which_sheet() {
        let workbook = br#"<workbook><sheets><sheet name="councils" sheetId="1" r:id="rId1"/><sheet name="Support In Kind" sheetId="2" r:id="rId7"/></sheets></workbook>"#;
        let relationships = br#"<Relationships><Relationship Id="rId7" Type="x" Target="worksheets/sheet2.xml"/><Relationship Id="rId1" Type="x" Target="/xl/worksheets/sheet1.xml"/></Relationships>"#;
        assert_eq!(
            sheet_parts(workbook, relationships),
            [
                ("xl/worksheets/sheet1.xml".to_owned(), "councils".to_owned()),
                (
                    "xl/worksheets/sheet2.xml".to_owned(),
                    "Support In Kind".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn names_cells() {
        for (column, row, name) in [
            (1, 1, "A1"),
            (26, 2, "Z2"),
            (27, 3, "AA3"),
            (16_384, 7, "XFD7"),
        ] {
            assert_eq!(cell_name(column, row), name);
            assert_eq!(cell_position(name.as_bytes()), Some((column, row)));
        }
        assert_eq!(cell_position(b"12"), None);
        assert_eq!(cell_position(b"AB"), None);
    }
}
