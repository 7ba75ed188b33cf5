//! The budget cycle's tables (SPEC §5): the `issued` register of every document line the
//! partnership has sent, held to its SHA-256 checksum chain; `purchase_orders`; and the councils'
//! payables details. Read and checked here, apart from the budget tables, so that the register
//! that reaches the engine is exactly what accord wrote when it issued each line.

use super::fields::{Columns, RowReader};
use super::schema::table_schema;
use super::Place;
use crate::book::RawBook;
use crate::diag::{quoted, Diagnostics};
use crate::money::Money;
use crate::values::Year;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// The checksum the first register row chains from: 64 zeros.
pub const FIRST_PREVIOUS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a document is (SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocumentKind {
    Invoice,
    Supplementary,
    CreditNote,
}

impl DocumentKind {
    /// As the register and `issue.csv` write it.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "invoice",
            DocumentKind::Supplementary => "supplementary",
            DocumentKind::CreditNote => "credit_note",
        }
    }

    /// As a document's title says it.
    pub fn title(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "Invoice",
            DocumentKind::Supplementary => "Supplementary invoice",
            DocumentKind::CreditNote => "Credit note",
        }
    }
}

/// One line of one document the partnership has sent: a row of `issued`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedLine {
    /// `WLA/2013-14/EAL/HRW` for an invoice, `WLA/2013-14/EAL/HRW/2` for an adjustment.
    pub document: String,
    pub kind: DocumentKind,
    pub year: Year,
    pub issuer: String,
    pub payer: String,
    /// A programme code, or `SIK`.
    pub programme: String,
    /// Positive on a supplementary invoice, negative on a credit note.
    pub amount: Money,
    pub issued_on: NaiveDate,
    /// Lowercase hex SHA-256, see [`line_checksum`].
    pub checksum: String,
}

impl IssuedLine {
    /// The register row's cells as accord writes them, in the schema's column order.
    pub fn fields(&self) -> [String; 9] {
        [
            self.document.clone(),
            self.kind.as_str().to_string(),
            self.year.to_string(),
            self.issuer.clone(),
            self.payer.clone(),
            self.programme.clone(),
            self.amount.to_string(),
            self.issued_on.format("%Y-%m-%d").to_string(),
            self.checksum.clone(),
        ]
    }

    /// This line's checksum when it follows a row whose checksum is `previous`.
    pub fn expected_checksum(&self, previous: &str) -> String {
        line_checksum(&self.fields()[..8], previous)
    }
}

/// SPEC §5: the lowercase hex SHA-256 of the row's eight other fields, written as in §3 and
/// joined with `|`, then `|` and the previous row's checksum.
pub fn line_checksum(fields: &[String], previous: &str) -> String {
    assert_eq!(
        fields.len(),
        8,
        "a register row has eight fields before its checksum"
    );
    let mut hasher = Sha256::new();
    for field in fields {
        hasher.update(field.as_bytes());
        hasher.update(b"|");
    }
    hasher.update(previous.as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Chains new lines onto a register: fills in each one's checksum from the one before it.
pub fn chain(register: &[IssuedLine], new_lines: &mut [IssuedLine]) {
    let mut previous = register
        .last()
        .map_or(FIRST_PREVIOUS.to_string(), |l| l.checksum.clone());
    for line in new_lines {
        line.checksum = line.expected_checksum(&previous);
        previous = line.checksum.clone();
    }
}

/// A payer's purchase order for what one issuer invoices it in one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseOrder {
    pub year: Year,
    pub issuer: String,
    pub payer: String,
    pub po_number: String,
}

impl PurchaseOrder {
    /// What a document is matched to its order by: its year, issuer and payer.
    fn key(&self) -> (Year, &str, &str) {
        (self.year, self.issuer.as_str(), self.payer.as_str())
    }
}

/// What a payables team needs of a council: the optional `councils` columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Payables {
    pub address: Option<String>,
    pub remittance: Option<String>,
    pub contact: Option<String>,
}

/// The budget cycle's part of a book.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cycle {
    /// The register, in its rows' order (the order of the chain).
    pub issued: Vec<IssuedLine>,
    pub purchase_orders: Vec<PurchaseOrder>,
    /// By council code; councils with no details are absent.
    pub payables: BTreeMap<String, Payables>,
}

impl Cycle {
    /// The payer's purchase order for documents of `year` from `issuer`: the first row of
    /// `purchase_orders` for that year, issuer and payer.
    pub fn purchase_order(&self, year: Year, issuer: &str, payer: &str) -> Option<&str> {
        self.purchase_orders
            .iter()
            .find(|p| p.key() == (year, issuer, payer))
            .map(|p| p.po_number.as_str())
    }

    /// Every (year, issuer, payer) that [`Cycle::purchase_order`] finds an order for, to ask
    /// of many documents at once (one look-up each rather than a search of the orders).
    pub fn with_purchase_orders(&self) -> std::collections::HashSet<(Year, &str, &str)> {
        self.purchase_orders
            .iter()
            .map(PurchaseOrder::key)
            .collect()
    }

    pub fn payables_of(&self, council: &str) -> Payables {
        self.payables.get(council).cloned().unwrap_or_default()
    }
}

/// A register row as read, before the checks that need the rest of the book.
pub(super) struct IssuedRow {
    line: Option<IssuedLine>,
    checksum_text: Option<String>,
    place: Place,
    places: BTreeMap<&'static str, Place>,
}

pub(super) struct PurchaseOrderRow {
    order: PurchaseOrder,
    place: Place,
}

/// The cycle's tables as read.
#[derive(Default)]
pub(super) struct CycleRows {
    issued: Vec<IssuedRow>,
    purchase_orders: Vec<PurchaseOrderRow>,
    pub payables: Vec<(String, Payables)>,
}

const KINDS: [(&str, DocumentKind); 3] = [
    ("invoice", DocumentKind::Invoice),
    ("supplementary", DocumentKind::Supplementary),
    ("credit_note", DocumentKind::CreditNote),
];

fn rows_of(
    raw: &RawBook,
    name: &str,
    diags: &mut Diagnostics,
    mut each: impl FnMut(&mut RowReader<'_>),
) {
    let schema = table_schema(name).expect("every table has a schema");
    let Some(table) = raw.table(name) else { return };
    let Some(columns) = Columns::match_header(table, schema, diags) else {
        return;
    };
    for row in &table.rows {
        let mut reader = RowReader::new(row, &columns, diags);
        each(&mut reader);
    }
}

/// Reads `issued` and `purchase_orders` (the councils' columns are read with the councils).
pub(super) fn read(raw: &RawBook, diags: &mut Diagnostics, rows: &mut CycleRows) {
    rows_of(raw, "issued", diags, |r| {
        let document = r.required_text("document", "WLA/2013-14/EAL/HRW");
        let kind_given = r.text("kind").is_some();
        let kind = r.choice("kind", &KINDS, DocumentKind::Invoice);
        if !kind_given && r.ok {
            let place = r.place_of("kind");
            r.diags.error(
                place,
                "kind is empty; write one of: invoice, supplementary, credit_note",
            );
            r.ok = false;
        }
        let year = r.year("year");
        let issuer = r.code("issuer", true);
        let payer = r.code("payer", true);
        let programme = r.code("programme", true);
        let amount = r.exact_amount("amount");
        let issued_on = r.date("issued_on");
        if issued_on.is_none() && r.text("issued_on").is_none() && r.ok {
            let place = r.place_of("issued_on");
            r.diags.error(
                place,
                "issued_on is empty; write the date it was issued, like 2013-04-30",
            );
            r.ok = false;
        }
        let checksum_text = r.text("checksum").map(|c| c.to_ascii_lowercase());
        let places = [
            "document",
            "kind",
            "year",
            "issuer",
            "payer",
            "programme",
            "amount",
            "checksum",
        ]
        .into_iter()
        .map(|c| (c, r.place_of(c)))
        .collect();
        let line = match (year, issuer, payer, programme, amount, issued_on, r.ok) {
            (
                Some(year),
                Some(issuer),
                Some(payer),
                Some(programme),
                Some(amount),
                Some(on),
                true,
            ) => Some(IssuedLine {
                document,
                kind,
                year,
                issuer,
                payer,
                programme,
                amount,
                issued_on: on,
                checksum: checksum_text.clone().unwrap_or_default(),
            }),
            _ => None,
        };
        rows.issued.push(IssuedRow {
            line,
            checksum_text,
            place: r.place(),
            places,
        });
    });
    rows_of(raw, "purchase_orders", diags, |r| {
        let year = r.year("year");
        let issuer = r.code("issuer", true);
        let payer = r.code("payer", true);
        let po_number = r.required_text("po_number", "PO-2013-0042");
        if let (Some(year), Some(issuer), Some(payer), true) = (year, issuer, payer, r.ok) {
            rows.purchase_orders.push(PurchaseOrderRow {
                order: PurchaseOrder {
                    year,
                    issuer,
                    payer,
                    po_number,
                },
                place: r.place(),
            });
        }
    });
}

/// What the checks need of the rest of the book.
pub(super) struct Known<'a> {
    pub councils: &'a BTreeSet<String>,
    pub programmes: &'a BTreeSet<String>,
    pub years: &'a [Year],
}

/// The adjustment number of a document: 1 for the invoice itself (`WLA/2013-14/EAL/HRW`), `n`
/// for `WLA/2013-14/EAL/HRW/n`; `None` when it is not a document of that invoice.
pub fn suffix_of(document: &str, invoice: &str) -> Option<u32> {
    if document == invoice {
        return Some(1);
    }
    let rest = document.strip_prefix(invoice)?.strip_prefix('/')?;
    if rest.is_empty() || rest.starts_with('0') || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.parse::<u32>().ok().filter(|n| *n >= 2)
}

/// Checks every register line against the book and the chain; keeps the good ones.
pub(super) fn check(rows: CycleRows, known: &Known<'_>, diags: &mut Diagnostics) -> Cycle {
    let in_book = |year: Year| known.years.contains(&year);
    let outside = |year: Year| {
        match (known.years.first(), known.years.last()) {
        (Some(first), Some(last)) => format!(
            "{year} is outside the book's years ({first} to {last}); a register line belongs to a year the book still covers, so keep that year's budget in the book"
        ),
        _ => format!("{year} cannot be checked: the book has no budget"),
    }
    };
    let unknown_council = |code: &str| {
        format!(
            "{} is not a council of this book; the register can only name councils the councils table defines",
            quoted(code)
        )
    };
    let mut issued = Vec::new();
    let mut previous = FIRST_PREVIOUS.to_string();
    let mut seen: BTreeMap<(String, String), Place> = BTreeMap::new();
    for row in rows.issued {
        let chain_from =
            std::mem::replace(&mut previous, row.checksum_text.clone().unwrap_or_default());
        let Some(line) = row.line else { continue };
        let place = |column: &str| row.places[column].clone();
        let mut ok = true;
        let mut fail = |place: Place, message: String| {
            diags.error(place, message);
            ok = false;
        };
        if !known.councils.contains(&line.issuer) {
            fail(place("issuer"), unknown_council(&line.issuer));
        }
        if !known.councils.contains(&line.payer) {
            fail(place("payer"), unknown_council(&line.payer));
        }
        if line.programme != super::validate::SIK_CODE
            && !known.programmes.contains(&line.programme)
        {
            fail(
                place("programme"),
                format!(
                    "{} is not a programme of this book (nor SIK, support in kind); the register can only name programmes the programmes table defines",
                    quoted(&line.programme)
                ),
            );
        }
        if !in_book(line.year) && !known.years.is_empty() {
            fail(place("year"), outside(line.year));
        }
        let invoice = crate::engine::invoice_number(line.year, &line.issuer, &line.payer);
        match (line.kind, suffix_of(&line.document, &invoice)) {
            (DocumentKind::Invoice, Some(1)) => {}
            (DocumentKind::Supplementary | DocumentKind::CreditNote, Some(n)) if n >= 2 => {}
            (DocumentKind::Invoice, _) => fail(
                place("document"),
                format!(
                    "{} is not the number of the {} invoice from {} to {}; it should be {invoice}",
                    quoted(&line.document),
                    line.year,
                    line.issuer,
                    line.payer
                ),
            ),
            (kind, _) => fail(
                place("document"),
                format!(
                    "{} is not the number of a {} adjusting {invoice}; it should be {invoice}/2, {invoice}/3, ...",
                    quoted(&line.document),
                    kind.as_str().replace('_', " ")
                ),
            ),
        }
        match line.kind {
            DocumentKind::Supplementary if !line.amount.is_negative() && !line.amount.is_zero() => {}
            DocumentKind::CreditNote if line.amount.is_negative() => {}
            DocumentKind::Invoice if !line.amount.is_zero() => {}
            kind => fail(
                place("amount"),
                format!(
                    "{} cannot be the amount of {}: a supplementary invoice's lines are positive, a credit note's negative, and no line is zero",
                    line.amount,
                    kind.as_str().replace('_', " ")
                ),
            ),
        }
        if let Some(first) = seen.get(&(line.document.clone(), line.programme.clone())) {
            fail(
                row.place.clone(),
                format!(
                    "{} has a second line for {} (the first is at {first}); a document has one line per programme",
                    line.document, line.programme
                ),
            );
        }
        match &row.checksum_text {
            None => fail(
                place("checksum"),
                "checksum is empty; a register line is written by accord issue, never by hand"
                    .to_string(),
            ),
            Some(stored) if *stored != line.expected_checksum(&chain_from) => fail(
                place("checksum"),
                format!(
                    "this line was changed after it was issued (its checksum does not match its fields and the line before it); a document once sent never changes: put the line back as {} issued it, and change the book instead, so that accord sends a supplementary invoice or credit note",
                    line.issued_on
                ),
            ),
            Some(_) => {}
        }
        if ok {
            seen.insert(
                (line.document.clone(), line.programme.clone()),
                row.place.clone(),
            );
            issued.push((line, row.places["document"].clone()));
        }
    }
    let invoices: BTreeSet<&str> = issued
        .iter()
        .filter(|(l, _)| l.kind == DocumentKind::Invoice)
        .map(|(l, _)| l.document.as_str())
        .collect();
    for (line, place) in &issued {
        if line.kind != DocumentKind::Invoice {
            let invoice = crate::engine::invoice_number(line.year, &line.issuer, &line.payer);
            if !invoices.contains(invoice.as_str()) {
                diags.error(
                    place.clone(),
                    format!(
                        "{} adjusts {invoice}, which the register does not hold; an adjustment follows the invoice it adjusts",
                        line.document
                    ),
                );
            }
        }
    }

    let mut purchase_orders: Vec<PurchaseOrder> = Vec::new();
    let mut po_places: BTreeMap<(Year, String, String), Place> = BTreeMap::new();
    for row in rows.purchase_orders {
        let o = row.order;
        if !known.councils.contains(&o.issuer) {
            diags.error(row.place, unknown_council(&o.issuer));
        } else if !known.councils.contains(&o.payer) {
            diags.error(row.place, unknown_council(&o.payer));
        } else if !in_book(o.year) && !known.years.is_empty() {
            diags.error(row.place, outside(o.year));
        } else if let Some(first) = po_places.get(&(o.year, o.issuer.clone(), o.payer.clone())) {
            diags.error(
                row.place,
                format!(
                    "{} already has a purchase order for {} from {} (at {first}); keep one",
                    o.payer, o.year, o.issuer
                ),
            );
        } else {
            po_places.insert((o.year, o.issuer.clone(), o.payer.clone()), row.place);
            purchase_orders.push(o);
        }
    }
    Cycle {
        issued: issued.into_iter().map(|(l, _)| l).collect(),
        purchase_orders,
        payables: rows
            .payables
            .into_iter()
            .filter(|(_, p)| *p != Payables::default())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(document: &str, kind: DocumentKind, programme: &str, pence: i128) -> IssuedLine {
        IssuedLine {
            document: document.into(),
            kind,
            year: Year(2013),
            issuer: "EAL".into(),
            payer: "HRW".into(),
            programme: programme.into(),
            amount: Money::from_pence(pence),
            issued_on: NaiveDate::from_ymd_opt(2013, 4, 30).unwrap(),
            checksum: String::new(),
        }
    }

    #[test]
    fn the_checksum_is_sha256_of_the_fields_and_the_previous_checksum() {
        let l = line(
            "WLA/2013-14/EAL/HRW",
            DocumentKind::Invoice,
            "OFFICE",
            3000000,
        );
        // sha256("WLA/2013-14/EAL/HRW|invoice|2013/14|EAL|HRW|OFFICE|30000.00|2013-04-30|000…0")
        let text = format!(
            "WLA/2013-14/EAL/HRW|invoice|2013/14|EAL|HRW|OFFICE|30000.00|2013-04-30|{FIRST_PREVIOUS}"
        );
        let want: String = Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(l.expected_checksum(FIRST_PREVIOUS), want);
        assert_eq!(want.len(), 64);
    }

    #[test]
    fn every_field_and_the_order_change_the_checksum() {
        let base = line(
            "WLA/2013-14/EAL/HRW",
            DocumentKind::Invoice,
            "OFFICE",
            3000000,
        );
        let start = base.expected_checksum(FIRST_PREVIOUS);
        let changed: Vec<(&str, IssuedLine)> = vec![
            (
                "document",
                IssuedLine {
                    document: "WLA/2013-14/EAL/HRW/2".into(),
                    ..base.clone()
                },
            ),
            (
                "kind",
                IssuedLine {
                    kind: DocumentKind::Supplementary,
                    ..base.clone()
                },
            ),
            (
                "year",
                IssuedLine {
                    year: Year(2014),
                    ..base.clone()
                },
            ),
            (
                "issuer",
                IssuedLine {
                    issuer: "BAR".into(),
                    ..base.clone()
                },
            ),
            (
                "payer",
                IssuedLine {
                    payer: "BRE".into(),
                    ..base.clone()
                },
            ),
            (
                "programme",
                IssuedLine {
                    programme: "ADULTS".into(),
                    ..base.clone()
                },
            ),
            (
                "amount",
                IssuedLine {
                    amount: Money::from_pence(3000001),
                    ..base.clone()
                },
            ),
            (
                "issued_on",
                IssuedLine {
                    issued_on: NaiveDate::from_ymd_opt(2013, 5, 1).unwrap(),
                    ..base.clone()
                },
            ),
        ];
        for (field, other) in &changed {
            assert_ne!(other.expected_checksum(FIRST_PREVIOUS), start, "{field}");
        }
        // The chain: the same line after another row has another checksum.
        assert_ne!(base.expected_checksum(&start), start, "the previous row");
        // Chaining two lines in the other order gives other checksums.
        let a = base.clone();
        let b = changed[5].1.clone();
        let mut ab = vec![a.clone(), b.clone()];
        let mut ba = vec![b, a];
        chain(&[], &mut ab);
        chain(&[], &mut ba);
        assert_eq!(ab[0].checksum, start, "the first row chains from 64 zeros");
        assert_ne!(ab[1].checksum, ba[0].checksum);
        assert_ne!(ab[0].checksum, ba[1].checksum);
    }

    #[test]
    fn adjustment_numbers_belong_to_their_invoice() {
        let invoice = "WLA/2013-14/EAL/HRW";
        let cases: &[(&str, Option<u32>)] = &[
            ("WLA/2013-14/EAL/HRW", Some(1)),
            ("WLA/2013-14/EAL/HRW/2", Some(2)),
            ("WLA/2013-14/EAL/HRW/13", Some(13)),
            ("WLA/2013-14/EAL/HRW/1", None),
            ("WLA/2013-14/EAL/HRW/02", None),
            ("WLA/2013-14/EAL/HRW/", None),
            ("WLA/2013-14/EAL/HRW/x", None),
            ("WLA/2013-14/EAL/HRWX/2", None),
            ("WLA/2013-14/EAL/BAR/2", None),
        ];
        for (document, expected) in cases {
            assert_eq!(suffix_of(document, invoice), *expected, "{document}");
        }
    }
}
