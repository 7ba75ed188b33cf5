//! The budget cycle's rule (SPEC §5): a document once sent never changes, so what the book now
//! says is compared with what the register holds, per year, issuer, payer and programme, and the
//! difference becomes new documents. Pure: the invoices as the book computes them and the
//! register in, every document (sent and to send) out.
//!
//! - An invoice not yet issued is simply sent, with the book's lines.
//! - Once it is issued, the increases go on one supplementary invoice and the decreases on one
//!   credit note, numbered `WLA/2013-14/EAL/HRW/2`, `/3`, ... (the next numbers not yet used for
//!   that invoice; the credit note takes the lower number when both are due). A payer that no
//!   longer takes part, or a programme that disappeared, is a decrease to zero: a credit note
//!   for all of it.

use super::invoices::{invoice_code, invoice_number, InvoiceLine};
use super::Code;
use crate::model::cycle::suffix_of;
use crate::model::{DocumentKind, IssuedLine};
use crate::money::Money;
use crate::values::Year;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// One line of a document: what it says for one programme (or support-in-kind pool).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentLine {
    /// A programme code, or `SIK`.
    pub programme: Code,
    /// What this document says: the whole line on an invoice, the difference on an adjustment.
    pub amount: Money,
    /// What the documents before this one had invoiced for the programme (0 for an invoice).
    pub before: Money,
    /// What is due for the programme with this document: `before + amount`.
    pub now: Money,
}

/// A document the partnership sends: an invoice, a supplementary invoice or a credit note.
/// This is the list journals post and statements show; `issue.csv` is its `to_send` part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub kind: DocumentKind,
    /// `WLA/2013-14/EAL/HRW`, or `WLA/2013-14/EAL/HRW/2` for an adjustment.
    pub number: Code,
    pub year: Year,
    pub issuer: Code,
    pub payer: Code,
    /// The invoice an adjustment adjusts; `None` for an invoice.
    pub adjusts: Option<Code>,
    /// Sorted by programme; never empty, no zero line.
    pub lines: Vec<DocumentLine>,
    /// The day it was issued, for a document the register holds; `None` for one to send.
    pub issued_on: Option<NaiveDate>,
}

impl Document {
    pub fn total(&self) -> Money {
        self.lines.iter().map(|l| l.amount).sum()
    }

    /// The register lines that issue this document on `on`, one per line, not yet chained
    /// (their checksums are empty).
    pub fn register_lines(&self, on: NaiveDate) -> impl Iterator<Item = IssuedLine> + '_ {
        self.lines.iter().map(move |l| IssuedLine {
            document: self.number.to_string(),
            kind: self.kind,
            year: self.year,
            issuer: self.issuer.to_string(),
            payer: self.payer.to_string(),
            programme: l.programme.to_string(),
            amount: l.amount,
            issued_on: on,
            checksum: String::new(),
        })
    }

    /// The number of the invoice this document belongs to (its own for an invoice).
    pub fn invoice(&self) -> &str {
        self.adjusts.as_deref().unwrap_or(&self.number)
    }

    /// 1 for an invoice, `n` for `.../n`.
    pub fn sequence(&self) -> u32 {
        suffix_of(&self.number, self.invoice()).expect("a document's number belongs to its invoice")
    }
}

/// Every document of a book: those the register holds and those to send now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Documents {
    /// Sorted by year, issuer, payer, then sequence.
    pub issued: Vec<Document>,
    /// Sorted the same way.
    pub to_send: Vec<Document>,
}

impl Documents {
    /// Every document, issued first, each group in its order.
    pub fn all(&self) -> impl Iterator<Item = &Document> {
        self.issued.iter().chain(&self.to_send)
    }

    /// What the register holds for one invoice, and what is to be sent for it now.
    pub fn of_invoice<'a>(&'a self, number: &'a str) -> impl Iterator<Item = &'a Document> {
        self.all().filter(move |d| d.invoice() == number)
    }
}

type Key = (Year, String, String, String);

/// A [`Key`] borrowed from the lines it keys (no copy of the codes per line).
type KeyRef<'a> = (Year, &'a str, &'a str, &'a str);

/// Documents in order: year, issuer, payer, then sequence.
fn order(a: &Document, b: &Document) -> std::cmp::Ordering {
    (a.year, &a.issuer, &a.payer, a.sequence()).cmp(&(b.year, &b.issuer, &b.payer, b.sequence()))
}

/// The documents the register holds, rebuilt from its lines (in the chain's order), and what
/// it holds in all for each year, issuer, payer and programme.
fn issued_documents(register: &[IssuedLine]) -> (Vec<Document>, BTreeMap<Key, Money>) {
    let mut running: BTreeMap<Key, Money> = BTreeMap::new();
    let mut documents: BTreeMap<String, Document> = BTreeMap::new();
    for line in register {
        let key = (
            line.year,
            line.issuer.clone(),
            line.payer.clone(),
            line.programme.clone(),
        );
        let before = running.get(&key).copied().unwrap_or(Money::ZERO);
        running.insert(key, before + line.amount);
        let invoice = invoice_number(line.year, &line.issuer, &line.payer);
        let document = documents
            .entry(line.document.clone())
            .or_insert_with(|| Document {
                kind: line.kind,
                number: Code::new(&line.document),
                year: line.year,
                issuer: Code::new(&line.issuer),
                payer: Code::new(&line.payer),
                adjusts: (line.document != invoice).then(|| Code::new(&invoice)),
                lines: Vec::new(),
                issued_on: Some(line.issued_on),
            });
        document.lines.push(DocumentLine {
            programme: Code::new(&line.programme),
            amount: line.amount,
            before,
            now: before + line.amount,
        });
    }
    let mut out: Vec<Document> = documents.into_values().collect();
    for d in &mut out {
        d.lines.sort_by(|a, b| a.programme.cmp(&b.programme));
    }
    out.sort_by(order);
    (out, running)
}

/// Compares the book's invoices with the register and returns every document: those issued,
/// and those to send so that, for every year, issuer, payer and programme, what was issued plus
/// what is to send is what the book now says. `register` must be a checked one (every
/// adjustment follows its invoice, as `model` ensures).
pub fn documents(invoices: &[InvoiceLine], register: &[IssuedLine]) -> Documents {
    let (issued, sent) = issued_documents(register);
    // What the book now says per key, as a sorted vector summed per key: the invoices come
    // in (nearly always) key order, so the order is checked and only sorted when it is not.
    let mut lines: Vec<(KeyRef, Money)> = invoices
        .iter()
        .map(|line| {
            let key = (
                line.year,
                line.issuer.as_str(),
                line.payer.as_str(),
                line.programme.as_str(),
            );
            (key, line.amount)
        })
        .collect();
    // Invoice lines as the engine makes them are one per key, in key order: then they are
    // what is due already.
    let now: Vec<(KeyRef, Money)> = if lines.is_sorted_by(|a, b| a.0 < b.0) {
        lines
    } else {
        lines.sort_by(|a, b| a.0.cmp(&b.0));
        let mut now: Vec<(KeyRef, Money)> = Vec::with_capacity(lines.len());
        for (key, amount) in lines {
            match now.last_mut() {
                Some((last, sum)) if *last == key => *sum += amount,
                _ => now.push((key, amount)),
            }
        }
        now
    };
    let issued_invoices: BTreeSet<&str> = issued
        .iter()
        .filter(|d| d.kind == DocumentKind::Invoice)
        .map(|d| d.number.as_str())
        .collect();
    let mut last_sequence: BTreeMap<&str, u32> = BTreeMap::new();
    for d in &issued {
        let n = last_sequence.entry(d.invoice()).or_insert(1);
        *n = (*n).max(d.sequence());
    }
    // Every key the register or the book has, in key order, with (what was sent, what is due
    // now): the two sorted lists merged.
    let mut keyed: Vec<(KeyRef, Money, Money)> = Vec::with_capacity(now.len() + sent.len());
    {
        let mut sent = sent
            .iter()
            .map(|(k, m)| ((k.0, k.1.as_str(), k.2.as_str(), k.3.as_str()), *m))
            .peekable();
        let mut due = now.iter().copied().peekable();
        loop {
            let next = match (sent.peek(), due.peek()) {
                (None, None) => break,
                (Some(s), Some(d)) => s.0.cmp(&d.0),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
            };
            keyed.push(match next {
                std::cmp::Ordering::Less => {
                    let (key, before) = sent.next().expect("peeked");
                    (key, before, Money::ZERO)
                }
                std::cmp::Ordering::Greater => {
                    let (key, due) = due.next().expect("peeked");
                    (key, Money::ZERO, due)
                }
                std::cmp::Ordering::Equal => {
                    let (key, before) = sent.next().expect("peeked");
                    let (_, due) = due.next().expect("peeked");
                    (key, before, due)
                }
            });
        }
    }
    // One invoice is one run of keys of one (year, issuer, payer); the runs come in that
    // order, and an invoice's documents in their sequence, so `to_send` is made in order:
    // each year's on a core of its own, put together in year order.
    use rayon::prelude::*;
    let years: Vec<&[(KeyRef, Money, Money)]> = keyed.chunk_by(|a, b| a.0 .0 == b.0 .0).collect();
    let of_years: Vec<Vec<Document>> = years
        .par_iter()
        .map(|year| {
            let mut to_send = Vec::new();
            for lines in year.chunk_by(|a, b| (a.0 .0, a.0 .1, a.0 .2) == (b.0 .0, b.0 .1, b.0 .2))
            {
                invoice_documents(lines, &issued_invoices, &last_sequence, &mut to_send);
            }
            to_send
        })
        .collect();
    let to_send = super::concat(of_years);
    debug_assert!(to_send.is_sorted_by(|a, b| order(a, b).is_le()));
    Documents { issued, to_send }
}

/// [`documents`] to send for invoice lines when the register is empty: made straight from
/// each invoice's run of lines when they come one per key in key order (year, issuer, payer,
/// programme), as the engine makes them, without the keys' copies, sums and merge with the
/// register that the general rule needs; else the general rule. (The engine writes the
/// documents of [`unissued`] straight into their places; the tests hold both to the rule.)
#[cfg(test)]
pub fn to_send_unissued(invoices: &[InvoiceLine]) -> Vec<Document> {
    if !in_key_order(invoices) {
        return documents(invoices, &[]).to_send;
    }
    unissued(invoices).collect()
}

/// Whether invoice lines come one per key in key order (year, issuer, payer, programme).
fn in_key_order(invoices: &[InvoiceLine]) -> bool {
    fn key(l: &InvoiceLine) -> (Year, &Code, &Code, &Code) {
        (l.year, &l.issuer, &l.payer, &l.programme)
    }
    invoices.is_sorted_by(|a, b| key(a) < key(b))
}

/// The documents to send for invoice lines one per key in key order, none issued: one
/// invoice per run of one year, issuer and payer that has a line other than zero (all of
/// them, for lines as the engine makes them), in order.
pub(super) fn unissued(invoices: &[InvoiceLine]) -> impl Iterator<Item = Document> + '_ {
    debug_assert!(in_key_order(invoices));
    invoices
        .chunk_by(|a, b| (a.year, &a.issuer, &a.payer) == (b.year, &b.issuer, &b.payer))
        .filter_map(|run| {
            // Exactly as many as there are lines, not the four a collected filter starts
            // with (a large book's documents have one or two lines each).
            let mut lines = Vec::with_capacity(run.iter().filter(|l| !l.amount.is_zero()).count());
            lines.extend(
                run.iter()
                    .filter(|l| !l.amount.is_zero())
                    .map(|l| DocumentLine {
                        programme: l.programme.clone(),
                        amount: l.amount,
                        before: Money::ZERO,
                        now: l.amount,
                    }),
            );
            if lines.is_empty() {
                return None;
            }
            // The number the lines carry: their invoice's, as every invoice line is made.
            let first = &run[0];
            Some(Document {
                kind: DocumentKind::Invoice,
                number: first.invoice.clone(),
                year: first.year,
                issuer: first.issuer.clone(),
                payer: first.payer.clone(),
                adjusts: None,
                lines,
                issued_on: None,
            })
        })
}

/// The documents to send for one invoice: `lines` are its keys, in key order, with (what
/// was sent, what is due now); they are pushed onto `to_send` in their sequence.
fn invoice_documents(
    lines: &[(KeyRef, Money, Money)],
    issued_invoices: &BTreeSet<&str>,
    last_sequence: &BTreeMap<&str, u32>,
    to_send: &mut Vec<Document>,
) {
    let (year, issuer, payer, _) = lines[0].0;
    let number = invoice_code(year, issuer, payer);
    let first = to_send.len();
    let (issuer, payer) = (Code::new(issuer), Code::new(payer));
    let document = |kind: DocumentKind, number: Code, adjusts: Option<Code>| Document {
        kind,
        number,
        year,
        issuer: issuer.clone(),
        payer: payer.clone(),
        adjusts,
        lines: Vec::new(),
        issued_on: None,
    };
    if !issued_invoices.contains(number.as_str()) {
        let mut invoice = document(DocumentKind::Invoice, number, None);
        invoice.lines.reserve_exact(lines.len());
        for &((_, _, _, programme), before, due) in lines {
            assert!(
                before.is_zero(),
                "the register holds no line of an invoice it has not issued"
            );
            if !due.is_zero() {
                invoice.lines.push(DocumentLine {
                    programme: Code::new(programme),
                    amount: due,
                    before: Money::ZERO,
                    now: due,
                });
            }
        }
        if !invoice.lines.is_empty() {
            to_send.push(invoice);
        }
        check_adds_up(lines, &to_send[first..]);
        return;
    }
    let change = |increase: bool| -> Vec<DocumentLine> {
        lines
            .iter()
            .filter(|(_, before, due)| if increase { due > before } else { due < before })
            .map(|&((_, _, _, programme), before, due)| DocumentLine {
                programme: Code::new(programme),
                amount: due - before,
                before,
                now: due,
            })
            .collect()
    };
    let mut next = last_sequence.get(number.as_str()).copied().unwrap_or(1) + 1;
    for (kind, lines) in [
        (DocumentKind::CreditNote, change(false)),
        (DocumentKind::Supplementary, change(true)),
    ] {
        if lines.is_empty() {
            continue;
        }
        let number_n = Code::new(&format!("{number}/{next}"));
        let mut adjustment = document(kind, number_n, Some(number.clone()));
        adjustment.lines = lines;
        to_send.push(adjustment);
        next += 1;
    }
    check_adds_up(lines, &to_send[first..]);
}

/// What was issued plus what is to send is what the book now says, for every key of one
/// invoice: `lines` are its keys with (what was sent, what is due now), `new` the documents
/// made for it. The register's documents add up to what was sent (they are made from the
/// same lines), so each key's new lines must add up to `due - before`.
fn check_adds_up(lines: &[(KeyRef, Money, Money)], new: &[Document]) {
    let made = new
        .iter()
        .flat_map(|d| d.lines.iter().map(|l| (l.programme.as_str(), l.amount)));
    // One document's lines are in programme order already; two (a credit note and a
    // supplementary invoice) are sorted together first.
    if new.len() > 1 {
        let mut sorted: Vec<(&str, Money)> = made.collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        adds_up(lines, sorted.into_iter());
    } else {
        adds_up(lines, made);
    }
}

/// [`check_adds_up`] over the new lines in programme order.
fn adds_up<'a>(lines: &[(KeyRef, Money, Money)], made: impl Iterator<Item = (&'a str, Money)>) {
    let mut made = made.peekable();
    for &((_, _, _, programme), before, due) in lines {
        let mut amount = Money::ZERO;
        while let Some((_, part)) = made.next_if(|(p, _)| *p == programme) {
            amount += part;
        }
        assert_eq!(
            before + amount,
            due,
            "issued + to send = the book, for every key"
        );
    }
    assert!(
        made.next().is_none(),
        "every line to send has a key of the book or the register"
    );
}

/// SPEC §5: payables teams reject a document without the payer's purchase order, so every
/// document to send whose payer has none for its year and issuer is listed, in one warning.
pub fn purchase_order_warning(
    to_send: &[Document],
    cycle: &crate::model::Cycle,
) -> Option<crate::diag::Diagnostic> {
    // Looked up once per document rather than searched for (none asked when there are none).
    let ordered = cycle.with_purchase_orders();
    let mut missing = to_send
        .iter()
        .filter(|d| {
            ordered.is_empty() || !ordered.contains(&(d.year, d.issuer.as_str(), d.payer.as_str()))
        })
        .map(|d| d.number.as_str());
    // A large consortium may have thousands: the first few are named, the rest counted.
    let listed: Vec<&str> = missing.by_ref().take(LISTED_MISSING_ORDERS).collect();
    let more = missing.count();
    if listed.is_empty() {
        return None;
    }
    let (count, plural) = match listed.len() + more {
        1 => ("1 document".to_string(), "has"),
        n => (format!("{n} documents"), "have"),
    };
    let named = if more > 0 {
        format!("{}, and {more} more", listed.join(", "))
    } else {
        listed.join(", ")
    };
    Some(crate::diag::Diagnostic::warning(
        None,
        format!(
            "{count} to send {plural} no purchase order from the payer for that year and issuer, and payables teams reject such documents; add rows to purchase_orders (year, issuer, payer, po_number): {named}"
        ),
    ))
}

/// How many documents without a purchase order the warning names before it counts the rest.
const LISTED_MISSING_ORDERS: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;

    /// `(issuer, payer, programme, pounds)`, all in 2013/14.
    type Line = (&'static str, &'static str, &'static str, i128);

    fn invoices(lines: &[Line]) -> Vec<InvoiceLine> {
        lines
            .iter()
            .map(|(issuer, payer, programme, pounds)| InvoiceLine {
                invoice: invoice_code(Year(2013), issuer, payer),
                year: Year(2013),
                issuer: Code::new(issuer),
                payer: Code::new(payer),
                programme: Code::new(programme),
                amount: Money::from_pence(pounds * 100),
            })
            .collect()
    }

    /// Issues every document to send, as `accord issue` does, and returns the longer register.
    fn issue(register: &[IssuedLine], documents: &Documents) -> Vec<IssuedLine> {
        let on = NaiveDate::from_ymd_opt(2013, 4, 30).unwrap();
        let mut new: Vec<IssuedLine> = documents
            .to_send
            .iter()
            .flat_map(|d| d.register_lines(on))
            .collect();
        crate::model::cycle::chain(register, &mut new);
        register.iter().cloned().chain(new).collect()
    }

    /// A document as `kind number: programme amount, ... (adjusts)` for the tables below.
    fn shown(d: &Document) -> String {
        let lines: Vec<String> = d
            .lines
            .iter()
            .map(|l| format!("{} {}", l.programme, l.amount))
            .collect();
        format!("{} {}: {}", d.kind.as_str(), d.number, lines.join(", "))
    }

    #[test]
    fn the_adjustment_rule() {
        // (what was issued, what the book now says, what is to send)
        type Case = (
            &'static str,
            &'static [Line],
            &'static [Line],
            &'static [&'static str],
        );
        let cases: &[Case] = &[
            (
                "nothing issued: the invoices are new",
                &[],
                &[("EAL", "HRW", "OFFICE", 100), ("EAL", "HRW", "SIK", 10)],
                &["invoice WLA/2013-14/EAL/HRW: OFFICE 100.00, SIK 10.00"],
            ),
            (
                "unchanged: nothing to send",
                &[("EAL", "HRW", "OFFICE", 100)],
                &[("EAL", "HRW", "OFFICE", 100)],
                &[],
            ),
            (
                "an increase: a supplementary invoice",
                &[("EAL", "HRW", "OFFICE", 100)],
                &[("EAL", "HRW", "OFFICE", 130)],
                &["supplementary WLA/2013-14/EAL/HRW/2: OFFICE 30.00"],
            ),
            (
                "a decrease: a credit note",
                &[("EAL", "HRW", "OFFICE", 100)],
                &[("EAL", "HRW", "OFFICE", 60)],
                &["credit_note WLA/2013-14/EAL/HRW/2: OFFICE -40.00"],
            ),
            (
                "both in one invoice: the credit note takes the lower number",
                &[("EAL", "HRW", "ADULTS", 50), ("EAL", "HRW", "OFFICE", 100)],
                &[("EAL", "HRW", "ADULTS", 45), ("EAL", "HRW", "OFFICE", 120)],
                &[
                    "credit_note WLA/2013-14/EAL/HRW/2: ADULTS -5.00",
                    "supplementary WLA/2013-14/EAL/HRW/3: OFFICE 20.00",
                ],
            ),
            (
                "a new programme on an issued invoice: a supplementary for all of it",
                &[("EAL", "HRW", "OFFICE", 100)],
                &[("EAL", "HRW", "ADULTS", 7), ("EAL", "HRW", "OFFICE", 100)],
                &["supplementary WLA/2013-14/EAL/HRW/2: ADULTS 7.00"],
            ),
            (
                "a new payer: a new invoice, the others untouched",
                &[("EAL", "HRW", "OFFICE", 100)],
                &[("EAL", "HRW", "OFFICE", 100), ("EAL", "RIC", "OFFICE", 25)],
                &["invoice WLA/2013-14/EAL/RIC: OFFICE 25.00"],
            ),
            (
                "a payer that left: a credit note for all of it",
                &[("EAL", "BAR", "OFFICE", 100), ("EAL", "HRW", "OFFICE", 100)],
                &[("EAL", "HRW", "OFFICE", 100)],
                &["credit_note WLA/2013-14/EAL/BAR/2: OFFICE -100.00"],
            ),
            (
                "a programme that disappeared: credit notes for all of it",
                &[
                    ("BAR", "HRW", "HOUSING", 40),
                    ("BAR", "HRW", "PUBHEALTH", 9),
                    ("BAR", "BRE", "PUBHEALTH", 9),
                ],
                &[("BAR", "HRW", "HOUSING", 40)],
                &[
                    "credit_note WLA/2013-14/BAR/BRE/2: PUBHEALTH -9.00",
                    "credit_note WLA/2013-14/BAR/HRW/2: PUBHEALTH -9.00",
                ],
            ),
            (
                "a negative line that grows less negative is an increase",
                &[("EAL", "HRW", "ADULTS", -20), ("EAL", "HRW", "OFFICE", 100)],
                &[("EAL", "HRW", "ADULTS", -5), ("EAL", "HRW", "OFFICE", 100)],
                &["supplementary WLA/2013-14/EAL/HRW/2: ADULTS 15.00"],
            ),
        ];
        for (name, before, after, expected) in cases {
            let register = issue(&[], &documents(&invoices(before), &[]));
            let got = documents(&invoices(after), &register);
            let shown: Vec<String> = got.to_send.iter().map(shown).collect();
            assert_eq!(shown, *expected, "{name}");
            let again = documents(&invoices(after), &issue(&register, &got));
            assert!(
                again.to_send.is_empty(),
                "{name}: issuing it leaves nothing"
            );
        }
    }

    proptest::proptest! {
        /// Without a register, each year's documents made from that year's invoice lines
        /// alone and put one after the other in year order (as the engine does) are the
        /// documents made from all the lines at once.
        #[test]
        fn years_on_their_own_are_all_the_years(
            lines in proptest::collection::vec(
                (
                    2011..2015i32,
                    proptest::sample::select(vec!["BAR", "EAL", "HRW", "EAL-2"]),
                    proptest::sample::select(vec!["BAR", "EAL", "HRW", "B"]),
                    proptest::sample::select(vec!["OFFICE", "SIK", "A-B"]),
                    -3..4i128,
                ),
                0..60,
            )
        ) {
            let invoices: Vec<InvoiceLine> = lines
                .iter()
                .map(|&(year, issuer, payer, programme, pence)| InvoiceLine {
                    invoice: invoice_code(Year(year), issuer, payer),
                    year: Year(year),
                    issuer: Code::new(issuer),
                    payer: Code::new(payer),
                    programme: Code::new(programme),
                    amount: Money::from_pence(pence),
                })
                .collect();
            let all = documents(&invoices, &[]);
            let mut by_year = Vec::new();
            for year in 2011..2015 {
                let of_year: Vec<InvoiceLine> = invoices
                    .iter()
                    .filter(|l| l.year == Year(year))
                    .cloned()
                    .collect();
                by_year.extend(documents(&of_year, &[]).to_send);
            }
            proptest::prop_assert!(all.issued.is_empty());
            proptest::prop_assert_eq!(&all.to_send, &by_year);
            // The fast path equals the general rule, on lines in any order and on lines
            // one per key in key order (as the engine makes them).
            proptest::prop_assert_eq!(&to_send_unissued(&invoices), &all.to_send);
            let mut keyed = invoices.clone();
            keyed.sort_by(|a, b| {
                (a.year, &a.issuer, &a.payer, &a.programme)
                    .cmp(&(b.year, &b.issuer, &b.payer, &b.programme))
            });
            keyed.dedup_by(|a, b| {
                (a.year, &a.issuer, &a.payer, &a.programme)
                    == (b.year, &b.issuer, &b.payer, &b.programme)
            });
            proptest::prop_assert_eq!(
                &to_send_unissued(&keyed),
                &documents(&keyed, &[]).to_send
            );
        }
    }

    #[test]
    fn repeated_revisions_number_on() {
        // (the book at each revision, what that revision sends)
        let revisions: &[(&[Line], &[&str])] = &[
            (
                &[("EAL", "HRW", "OFFICE", 100)],
                &["invoice WLA/2013-14/EAL/HRW: OFFICE 100.00"],
            ),
            (
                &[("EAL", "HRW", "OFFICE", 110)],
                &["supplementary WLA/2013-14/EAL/HRW/2: OFFICE 10.00"],
            ),
            (
                &[("EAL", "HRW", "OFFICE", 90)],
                &["credit_note WLA/2013-14/EAL/HRW/3: OFFICE -20.00"],
            ),
            (
                &[("EAL", "HRW", "ADULTS", 5), ("EAL", "HRW", "OFFICE", 80)],
                &[
                    "credit_note WLA/2013-14/EAL/HRW/4: OFFICE -10.00",
                    "supplementary WLA/2013-14/EAL/HRW/5: ADULTS 5.00",
                ],
            ),
            (
                &[],
                &["credit_note WLA/2013-14/EAL/HRW/6: ADULTS -5.00, OFFICE -80.00"],
            ),
        ];
        let mut register = Vec::new();
        for (i, (book, expected)) in revisions.iter().enumerate() {
            let got = documents(&invoices(book), &register);
            let shown: Vec<String> = got.to_send.iter().map(shown).collect();
            assert_eq!(shown, *expected, "revision {}", i + 1);
            register = issue(&register, &got);
        }
        // The register's documents, rebuilt, say what was before and after each line.
        let rebuilt = documents(&[], &register);
        let last = rebuilt.issued.last().unwrap();
        assert_eq!(last.number, "WLA/2013-14/EAL/HRW/6");
        assert_eq!(last.adjusts.as_deref(), Some("WLA/2013-14/EAL/HRW"));
        let office = &last.lines[1];
        assert_eq!(
            (office.before, office.amount, office.now),
            (
                Money::from_pence(8000),
                Money::from_pence(-8000),
                Money::ZERO
            )
        );
    }

    #[test]
    fn the_purchase_order_warning_names_the_first_documents_without_one() {
        use crate::model::cycle::{Cycle, PurchaseOrder};
        let payers: Vec<String> = (0..25).map(|i| format!("C{i:02}")).collect();
        let lines: Vec<InvoiceLine> = payers
            .iter()
            .map(|payer| InvoiceLine {
                invoice: invoice_code(Year(2013), "EAL", payer),
                year: Year(2013),
                issuer: Code::new("EAL"),
                payer: Code::new(payer),
                programme: Code::new("OFFICE"),
                amount: Money::from_pence(100),
            })
            .collect();
        let to_send = documents(&lines, &[]).to_send;
        let order = |payer: &str| PurchaseOrder {
            year: Year(2013),
            issuer: "EAL".into(),
            payer: payer.into(),
            po_number: "PO1".into(),
        };
        let warning = |orders: Vec<PurchaseOrder>| {
            let cycle = Cycle {
                purchase_orders: orders,
                ..Cycle::default()
            };
            purchase_order_warning(&to_send, &cycle).map(|d| d.to_string())
        };
        // Every payer but the even ones below 10 has none: 20 named, 0 more.
        let some: Vec<PurchaseOrder> = (0..10).step_by(2).map(|i| order(&payers[i])).collect();
        let text = warning(some).expect("a warning");
        assert!(
            text.contains("20 documents to send have no purchase order"),
            "{text}"
        );
        assert!(
            text.contains("WLA/2013-14/EAL/C01, WLA/2013-14/EAL/C03,"),
            "{text}"
        );
        assert!(text.ends_with("WLA/2013-14/EAL/C24"), "{text}");
        // None has one: the first 20 named, 5 counted.
        let text = warning(Vec::new()).expect("a warning");
        assert!(text.contains("25 documents to send have"), "{text}");
        assert!(text.ends_with("WLA/2013-14/EAL/C19, and 5 more"), "{text}");
        // One has none.
        let all_but_one: Vec<PurchaseOrder> = payers[1..].iter().map(|p| order(p)).collect();
        let text = warning(all_but_one).expect("a warning");
        assert!(text.contains("1 document to send has no"), "{text}");
        assert!(text.ends_with(": WLA/2013-14/EAL/C00"), "{text}");
        // Every one has one.
        assert_eq!(warning(payers.iter().map(|p| order(p)).collect()), None);
    }

    #[test]
    fn lines_carry_what_was_invoiced_before_and_what_is_due_now() {
        let register = issue(
            &[],
            &documents(&invoices(&[("EAL", "HRW", "OFFICE", 100)]), &[]),
        );
        let got = documents(&invoices(&[("EAL", "HRW", "OFFICE", 125)]), &register);
        let line = &got.to_send[0].lines[0];
        assert_eq!(line.before, Money::from_pence(10000));
        assert_eq!(line.now, Money::from_pence(12500));
        assert_eq!(line.amount, Money::from_pence(2500));
        assert_eq!(got.to_send[0].total(), Money::from_pence(2500));
        assert_eq!(
            got.issued[0].issued_on,
            NaiveDate::from_ymd_opt(2013, 4, 30)
        );
        assert_eq!(got.of_invoice("WLA/2013-14/EAL/HRW").count(), 2);
    }
}
