//! A supplementary invoice or a credit note as an A4 PDF (SPEC §5): which invoice it adjusts and
//! when that was issued, and per programme what was invoiced before, what is due now and the
//! difference, with the total. A document not yet in the register says so: its date is the day
//! `accord issue` records it.

use super::flow::{Align, Column, Flow, Row, MARGIN, TEXT_WIDTH};
use super::font::Weight;
use super::payables::{parties, payment_details, purchase_order_pair};
use super::{BLACK, GREY};
use crate::model::Book;
use crate::report::invoice::AdjustmentDocument;
use crate::report::wording::{council_name, long_date, pounds};

/// The PDF of one adjustment (a supplementary invoice or a credit note).
pub fn adjustment_pdf(book: &Book, adjustment: &AdjustmentDocument<'_>) -> Vec<u8> {
    let document = adjustment.document;
    let invoice = document.invoice();
    let credit = adjustment.credit;
    let issuer = council_name(book, &document.issuer);
    let payer = council_name(book, &document.payer);
    let total = adjustment.total;
    let footer = format!(
        "West London Alliance shared programmes, {}. Worked out by accord {} from the partnership's budget book and its register of issued documents.",
        document.year,
        env!("CARGO_PKG_VERSION")
    );
    let title = document.kind.title();
    let mut flow = Flow::new(&format!("{title} {}", document.number), &footer);
    flow.title(title, "West London Alliance");

    let top = flow.cursor();
    let left = parties(&mut flow, book, &document.issuer, &document.payer, top);
    let original_date = adjustment.invoice_issued;
    let mut pairs = vec![
        (
            if credit {
                "Credit note number"
            } else {
                "Invoice number"
            },
            document.number.to_string(),
        ),
        ("Adjusts invoice", invoice.to_string()),
        (
            "Invoice issued",
            original_date.map_or_else(|| "not yet".to_string(), long_date),
        ),
        (
            "Date",
            document
                .issued_on
                .map_or_else(|| "on issue (not yet issued)".to_string(), long_date),
        ),
    ];
    if !credit {
        pairs.push((
            "Due date",
            adjustment.due.map_or_else(
                || format!("{} days after issue", book.settings.payment_terms_days),
                long_date,
            ),
        ));
    }
    pairs.push(("Financial year", document.year.to_string()));
    pairs.push(purchase_order_pair(
        book,
        document.year,
        &document.issuer,
        &document.payer,
    ));
    pairs.push((
        if credit {
            "Amount credited"
        } else {
            "Amount due"
        },
        pounds(total.abs()),
    ));
    let right = flow.pairs(MARGIN + TEXT_WIDTH / 2.0 + 10.0, top, &pairs);
    flow.set_cursor(left.min(right) - 10.0);

    if document.issued_on.is_none() {
        flow.paragraph(
            "Not yet issued: this document is in issue.csv, to be sent. Its date is the day accord issue records it in the register.",
            9.0,
            Weight::Bold,
            GREY,
        );
    }
    flow.heading(if credit {
        "Reductions to the invoice"
    } else {
        "Additions to the invoice"
    });
    let columns = [
        Column {
            width: 1.2,
            align: Align::Left,
        },
        Column {
            width: 3.0,
            align: Align::Left,
        },
        Column {
            width: 1.4,
            align: Align::Right,
        },
        Column {
            width: 1.4,
            align: Align::Right,
        },
        Column {
            width: 1.4,
            align: Align::Right,
        },
    ];
    let mut rows: Vec<Row> = adjustment
        .lines
        .iter()
        .map(|line| {
            Row::plain(vec![
                line.programme.clone(),
                line.title.clone(),
                pounds(line.before),
                pounds(line.now),
                pounds(line.difference),
            ])
        })
        .collect();
    rows.push(Row::total(vec![
        "Total".into(),
        String::new(),
        pounds(adjustment.before),
        pounds(adjustment.now),
        pounds(total),
    ]));
    flow.table(
        &columns,
        &[
            "Programme",
            "For",
            "Invoiced before",
            "Now due",
            "Difference",
        ],
        &rows,
    );
    flow.space(14.0);
    let why = format!(
        "Invoice {invoice}, once sent, never changes. The partnership's budget book now gives a different figure for {} of its lines, so this {} carries the difference: what was invoiced before, on {invoice} and any adjustments to it, against what is due now.",
        document.lines.len(),
        title.to_lowercase()
    );
    flow.paragraph(&why, 9.0, Weight::Regular, BLACK);
    let ask = if credit {
        format!(
            "{issuer} credits {payer} with {}, quoting {}: deduct it from what you owe {issuer} on {invoice}, or {issuer} will refund it if that is already paid.",
            pounds(total.abs()),
            document.number
        )
    } else {
        format!(
            "Please pay {} to {issuer}, quoting {}, within {} days of this document's date.",
            pounds(total),
            document.number,
            book.settings.payment_terms_days
        )
    };
    flow.paragraph(&ask, 9.0, Weight::Regular, BLACK);
    flow.space(6.0);
    payment_details(&mut flow, book, &document.issuer);
    flow.finish().to_pdf()
}
