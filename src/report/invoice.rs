//! What an invoice's PDF and an adjustment's PDF say (SPEC §5): the parties, the number, the
//! invoice and due dates (an invoice the register holds is dated the day it was issued), one
//! line per programme or pool with what it is for and how it was worked out, and the totals.
//! Built once per document from the engine's results; `render::pdf` only lays it out.

use crate::engine::{Document, InvoiceLine, Results};
use crate::model::{Book, DocumentKind};
use crate::money::Money;
use crate::report::wording::{
    allocations_of, due_date, explain, invoice_date, long_date, programme_title,
};
use crate::values::Year;
use chrono::NaiveDate;

/// One line of an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDocumentLine {
    pub programme: String,
    /// What it is for: the programme's name, or the support-in-kind pool's provider.
    pub title: String,
    /// How it was worked out, in one line (or, when the book now differs from what was
    /// issued, that it was issued so and where the adjustments are).
    pub how: String,
    pub amount: Money,
}

/// An invoice as its PDF shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDocument {
    pub number: String,
    pub year: Year,
    pub issuer: String,
    pub payer: String,
    /// The day the register says it was issued, else the book's invoice date for the year.
    pub issued: NaiveDate,
    /// `issued` plus the book's payment terms.
    pub due: NaiveDate,
    pub lines: Vec<InvoiceDocumentLine>,
    pub total: Money,
}

/// The day the register says an invoice was issued, if it holds it.
pub fn issued_date(results: &Results, invoice: &str) -> Option<NaiveDate> {
    results
        .documents
        .issued
        .iter()
        .find(|d| d.number == invoice)
        .and_then(|d| d.issued_on)
}

/// The invoice whose lines are `lines` (same number, at least one).
pub fn invoice_document(book: &Book, results: &Results, lines: &[&InvoiceLine]) -> InvoiceDocument {
    let first = lines.first().expect("an invoice has a line");
    assert!(
        lines.iter().all(|l| l.invoice == first.invoice),
        "one invoice's lines"
    );
    let issued = issued_date(results, &first.invoice)
        .unwrap_or_else(|| invoice_date(book.settings.invoice_date, first.year));
    let document_lines = lines
        .iter()
        .map(|line| {
            let how = allocations_of(results, line.year, &line.programme)
                .iter()
                .find(|a| a.council == line.payer && a.holder == line.issuer)
                .filter(|a| a.amount == line.amount)
                .map_or_else(
                    || format!("as issued on {}; the book now differs, see the adjustments to this invoice", long_date(issued)),
                    |a| explain(book, results, a),
                );
            InvoiceDocumentLine {
                programme: line.programme.to_string(),
                title: programme_title(book, &line.programme, &line.issuer),
                how,
                amount: line.amount,
            }
        })
        .collect();
    InvoiceDocument {
        number: first.invoice.to_string(),
        year: first.year,
        issuer: first.issuer.to_string(),
        payer: first.payer.to_string(),
        issued,
        due: due_date(issued, book.settings.payment_terms_days),
        lines: document_lines,
        total: lines.iter().map(|l| l.amount).sum(),
    }
}

/// One line of a supplementary invoice or credit note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdjustmentDocumentLine {
    pub programme: String,
    pub title: String,
    pub before: Money,
    pub now: Money,
    pub difference: Money,
}

/// A supplementary invoice or credit note as its PDF shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdjustmentDocument<'r> {
    pub document: &'r Document,
    /// A credit note (else a supplementary invoice).
    pub credit: bool,
    /// The day the invoice it adjusts was issued, when the register holds it.
    pub invoice_issued: Option<NaiveDate>,
    /// Its due date, for a supplementary invoice the register holds.
    pub due: Option<NaiveDate>,
    pub lines: Vec<AdjustmentDocumentLine>,
    /// The lines' totals: invoiced before, now due, difference.
    pub before: Money,
    pub now: Money,
    pub total: Money,
}

/// The adjustment `document` (a supplementary invoice or a credit note).
pub fn adjustment_document<'r>(
    book: &Book,
    results: &Results,
    document: &'r Document,
) -> AdjustmentDocument<'r> {
    assert!(
        document.kind != DocumentKind::Invoice,
        "an adjustment, not an invoice"
    );
    let credit = document.kind == DocumentKind::CreditNote;
    AdjustmentDocument {
        document,
        credit,
        invoice_issued: issued_date(results, document.invoice()),
        due: document
            .issued_on
            .filter(|_| !credit)
            .map(|d| due_date(d, book.settings.payment_terms_days)),
        lines: document
            .lines
            .iter()
            .map(|line| AdjustmentDocumentLine {
                programme: line.programme.to_string(),
                title: programme_title(book, &line.programme, &document.issuer),
                before: line.before,
                now: line.now,
                difference: line.amount,
            })
            .collect(),
        before: document.lines.iter().map(|l| l.before).sum(),
        now: document.lines.iter().map(|l| l.now).sum(),
        total: document.total(),
    }
}
