//! The settlement part of a council's statement (SPEC §7): its net position over the year's
//! documents, and the transfers it makes or receives so that every document of the year is
//! settled at once. Added to a statement built by `statement`, for the PDF and the workbook.

use crate::engine::settlement::YearSettlement;
use crate::model::Book;
use crate::money::Money;
use crate::report::statement::{Cell, Section, Statement};
use crate::report::wording::council_name;

/// Adds the net position to the statement's figures and a section with its transfers.
pub fn add_settlement(statement: &mut Statement, book: &Book, settlements: &[YearSettlement]) {
    let year = settlements.iter().find(|s| s.year == statement.year);
    let council = statement.council.clone();
    let net = year
        .and_then(|s| s.positions.get(&council))
        .copied()
        .unwrap_or(Money::ZERO);
    statement.figures.push(("Net position", net));
    let mut rows = Vec::new();
    for t in year.map_or(&[][..], |s| &s.transfers[..]) {
        let (direction, other) = if t.payer == council {
            ("Pays to", &t.payee)
        } else if t.payee == council {
            ("Receives from", &t.payer)
        } else {
            continue;
        };
        rows.push(vec![
            Cell::Text(direction.to_string()),
            Cell::Text(format!("{} ({other})", council_name(book, other))),
            Cell::Money(t.amount),
        ]);
    }
    let title = if net.is_negative() {
        format!(
            "Settlement: it owes {} net over the year's documents",
            crate::report::wording::pounds(-net)
        )
    } else {
        format!(
            "Settlement: it is owed {} net over the year's documents",
            crate::report::wording::pounds(net)
        )
    };
    statement.sections.push(Section {
        title,
        header: vec!["Transfer", "Council", "Amount"],
        widths: vec![1.4, 4.6, 1.3],
        rows,
        total: None,
        empty: "Nothing to transfer: what it is owed and what it owes cancel out.",
    });
}
