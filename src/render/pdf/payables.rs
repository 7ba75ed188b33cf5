//! What a payables team needs on every invoice, supplementary invoice and credit note (SPEC
//! §5): the parties with their addresses, the payer's purchase order, where to pay, whom to ask,
//! and the partnership's `invoice_note`. One place, so the three documents never differ.

use super::fit::wrap;
use super::flow::{Flow, MARGIN, TEXT_WIDTH};
use super::font::Weight;
use super::{BLACK, GREY};
use crate::model::Book;
use crate::report::wording::council_name;
use crate::values::Year;

/// Writes "From" and "To" with names, codes and addresses at the left of the page, from `top`
/// down; returns the lowest point written.
pub fn parties(flow: &mut Flow, book: &Book, issuer: &str, payer: &str, top: f32) -> f32 {
    let half = TEXT_WIDTH / 2.0 - 10.0;
    let mut y = top;
    for (label, code) in [("From", issuer), ("To", payer)] {
        y -= 14.0;
        flow.text_at(MARGIN, y, 9.0, Weight::Regular, GREY, label);
        let name = council_name(book, code);
        for line in wrap(&format!("{name} ({code})"), Weight::Bold, 10.5, half) {
            y -= 13.0;
            flow.text_at(MARGIN, y, 10.5, Weight::Bold, BLACK, &line);
        }
        if let Some(address) = book.cycle.payables_of(code).address {
            for part in address.lines() {
                for line in wrap(part.trim(), Weight::Regular, 9.0, half) {
                    y -= 11.5;
                    flow.text_at(MARGIN, y, 9.0, Weight::Regular, BLACK, &line);
                }
            }
        }
        y -= 4.0;
    }
    y
}

/// The payer's purchase order number for what `issuer` invoices it in `year`, as the pair the
/// documents show at the top right ("none given" when the book has none).
pub fn purchase_order_pair(
    book: &Book,
    year: Year,
    issuer: &str,
    payer: &str,
) -> (&'static str, String) {
    (
        "Purchase order",
        book.cycle
            .purchase_order(year, issuer, payer)
            .map_or_else(|| "none given".to_string(), str::to_string),
    )
}

/// Where to pay, whom to ask, and the partnership's note, as paragraphs at the foot.
pub fn payment_details(flow: &mut Flow, book: &Book, issuer: &str) {
    let details = book.cycle.payables_of(issuer);
    let name = council_name(book, issuer);
    if let Some(remittance) = &details.remittance {
        flow.paragraph(
            &format!("Pay {name} into: {remittance}"),
            9.0,
            Weight::Regular,
            BLACK,
        );
    }
    if let Some(contact) = &details.contact {
        flow.paragraph(
            &format!("Questions about this document: {contact}"),
            9.0,
            Weight::Regular,
            BLACK,
        );
    }
    if let Some(note) = &book.settings.invoice_note {
        flow.space(4.0);
        flow.paragraph(note, 9.0, Weight::Regular, GREY);
    }
}
