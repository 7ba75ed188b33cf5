//! One invoice as a print-ready A4 PDF: who issues it and who pays, its number, invoice and
//! due dates, one line per programme or pool with what it is for and how it was worked out,
//! and the total: the model of `report::invoice`, laid out.

use super::flow::{Align, Column, Flow, Row, MARGIN, TEXT_WIDTH};
use super::font::Weight;
use super::payables::{parties, payment_details, purchase_order_pair};
use super::BLACK;
use crate::model::Book;
use crate::report::invoice::InvoiceDocument;
use crate::report::wording::{council_name, long_date, pounds};

/// The PDF of one invoice: `invoice` laid out (the book gives the parties' addresses and
/// payment details).
pub fn invoice_pdf(book: &Book, invoice: &InvoiceDocument) -> Vec<u8> {
    let first = invoice;
    let issued = invoice.issued;
    let due = invoice.due;
    let total = invoice.total;
    let issuer = council_name(book, &first.issuer);

    let footer = format!(
        "West London Alliance shared programmes, {}. Worked out by accord {} from the partnership's budget book.",
        first.year,
        env!("CARGO_PKG_VERSION")
    );
    let mut flow = Flow::new(&format!("Invoice {}", first.number), &footer);
    flow.title("Invoice", "West London Alliance");

    let top = flow.cursor();
    let y = parties(&mut flow, book, &first.issuer, &first.payer, top);
    let right = flow.pairs(
        MARGIN + TEXT_WIDTH / 2.0 + 10.0,
        top,
        &[
            ("Invoice number", first.number.clone()),
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
    let mut rows: Vec<Row> = invoice
        .lines
        .iter()
        .map(|line| {
            Row::plain(vec![
                line.programme.clone(),
                line.title.clone(),
                line.how.clone(),
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
            first.number
        ),
        9.0,
        Weight::Regular,
        BLACK,
    );
    flow.space(6.0);
    payment_details(&mut flow, book, &first.issuer);
    flow.finish().to_pdf()
}
