//! One invoice as a print-ready A4 PDF: who issues it and who pays, its number, invoice and
//! due dates, one line per programme or pool with what it is for and how it was worked out,
//! and the total.

use super::flow::{Align, Column, Flow, Row, MARGIN, TEXT_WIDTH};
use super::font::Weight;
use super::payables::{parties, payment_details, purchase_order_pair};
use super::BLACK;
use crate::engine::{InvoiceLine, Results};
use crate::model::Book;
use crate::money::Money;
use crate::report::wording::{
    allocations_of, council_name, due_date, explain, invoice_date, long_date, pounds,
    programme_title,
};

/// The PDF of one invoice; `lines` are its lines (same number, at least one).
pub fn invoice_pdf(book: &Book, results: &Results, lines: &[&InvoiceLine]) -> Vec<u8> {
    let first = lines.first().expect("an invoice has a line");
    assert!(
        lines.iter().all(|l| l.invoice == first.invoice),
        "one invoice's lines"
    );
    // An invoice the register holds is dated the day it was issued.
    let issued = issued_date(results, &first.invoice)
        .unwrap_or_else(|| invoice_date(book.settings.invoice_date, first.year));
    let due = due_date(issued, book.settings.payment_terms_days);
    let total: Money = lines.iter().map(|l| l.amount).sum();
    let issuer = council_name(book, &first.issuer);

    let footer = format!(
        "West London Alliance shared programmes, {}. Worked out by accord {} from the partnership's budget book.",
        first.year,
        env!("CARGO_PKG_VERSION")
    );
    let mut flow = Flow::new(&format!("Invoice {}", first.invoice), &footer);
    flow.title("Invoice", "West London Alliance");

    let top = flow.cursor();
    let y = parties(&mut flow, book, &first.issuer, &first.payer, top);
    let right = flow.pairs(
        MARGIN + TEXT_WIDTH / 2.0 + 10.0,
        top,
        &[
            ("Invoice number", first.invoice.clone()),
            ("Invoice date", long_date(issued)),
            ("Due date", long_date(due)),
            ("Financial year", first.year.to_string()),
            purchase_order_pair(book, first.year, &first.issuer, &first.payer),
            ("Amount due", pounds(total)),
        ],
    );
    flow.set_cursor(y.min(right) - 10.0);

    flow.heading("Contributions to shared programmes");
    let columns = [
        Column {
            width: 1.2,
            align: Align::Left,
        },
        Column {
            width: 2.6,
            align: Align::Left,
        },
        Column {
            width: 3.4,
            align: Align::Left,
        },
        Column {
            width: 1.4,
            align: Align::Right,
        },
    ];
    let mut rows: Vec<Row> = lines
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
            Row::plain(vec![
                line.programme.clone(),
                programme_title(book, &line.programme, &line.issuer),
                how,
                pounds(line.amount),
            ])
        })
        .collect();
    rows.push(Row::total(vec![
        "Total due".into(),
        String::new(),
        String::new(),
        pounds(total),
    ]));
    flow.table(
        &columns,
        &["Programme", "For", "How it was worked out", "Amount"],
        &rows,
    );
    flow.space(14.0);
    flow.paragraph(
        &format!(
            "Please pay {} to {issuer} by {}, quoting {}. Each line is this council's share of a budget {issuer} holds for the partnership (Accord 7.3); every share is worked out to the penny and the shares add up to the budget.",
            pounds(total),
            long_date(due),
            first.invoice
        ),
        9.0,
        Weight::Regular,
        BLACK,
    );
    flow.space(6.0);
    payment_details(&mut flow, book, &first.issuer);
    flow.finish().to_pdf()
}

/// The day the register says an invoice was issued, if it holds it.
pub fn issued_date(results: &Results, invoice: &str) -> Option<chrono::NaiveDate> {
    results
        .documents
        .issued
        .iter()
        .find(|d| d.number == invoice)
        .and_then(|d| d.issued_on)
}
