//! One invoice as a print-ready A4 PDF: who issues it and who pays, its number, invoice and
//! due dates, one line per programme or pool with what it is for and how it was worked out,
//! and the total.

use super::explain::{
    allocations_of, council_name, due_date, explain, invoice_date, long_date, pounds,
    programme_title,
};
use super::pdf::fit::wrap;
use super::pdf::flow::{Align, Column, Flow, Row, MARGIN, TEXT_WIDTH};
use super::pdf::font::Weight;
use super::pdf::{BLACK, GREY};
use crate::engine::{InvoiceLine, Results};
use crate::model::Book;
use crate::money::Money;

/// The PDF of one invoice; `lines` are its lines (same number, at least one).
pub fn invoice_pdf(book: &Book, results: &Results, lines: &[&InvoiceLine]) -> Vec<u8> {
    let first = lines.first().expect("an invoice has a line");
    assert!(
        lines.iter().all(|l| l.invoice == first.invoice),
        "one invoice's lines"
    );
    let issued = invoice_date(book.settings.invoice_date, first.year);
    let due = due_date(issued, book.settings.payment_terms_days);
    let total: Money = lines.iter().map(|l| l.amount).sum();
    let issuer = council_name(book, &first.issuer);
    let payer = council_name(book, &first.payer);

    let footer = format!(
        "West London Alliance shared programmes, {}. Worked out by accord {} from the partnership's budget book.",
        first.year,
        env!("CARGO_PKG_VERSION")
    );
    let mut flow = Flow::new(&format!("Invoice {}", first.invoice), &footer);
    flow.title("Invoice", "West London Alliance");

    let top = flow.cursor();
    let half = TEXT_WIDTH / 2.0 - 10.0;
    let mut y = top;
    for (label, name, code) in [("From", issuer, &first.issuer), ("To", payer, &first.payer)] {
        y -= 14.0;
        flow.text_at(MARGIN, y, 9.0, Weight::Regular, GREY, label);
        for line in wrap(&format!("{name} ({code})"), Weight::Bold, 10.5, half) {
            y -= 13.0;
            flow.text_at(MARGIN, y, 10.5, Weight::Bold, BLACK, &line);
        }
        y -= 4.0;
    }
    let right = flow.pairs(
        MARGIN + TEXT_WIDTH / 2.0 + 10.0,
        top,
        &[
            ("Invoice number", first.invoice.clone()),
            ("Invoice date", long_date(issued)),
            ("Due date", long_date(due)),
            ("Financial year", first.year.to_string()),
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
                .map_or_else(String::new, |a| explain(book, results, a));
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
    flow.finish().to_pdf()
}
