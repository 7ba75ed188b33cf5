//! `issue.csv` (SPEC §5): every line to send now, from the budget cycle's documents. Kept apart
//! from the §3 tables because it depends on the register as well as the book.

use super::Table;
use crate::engine::Results;

/// One row per line of every document to send: new invoices, supplementary invoices and
/// credit notes. Without a register it is every invoice line.
pub fn issue_table(results: &Results) -> Table {
    let mut table = Table::new(
        "issue.csv",
        &[
            "document",
            "kind",
            "year",
            "issuer",
            "payer",
            "programme",
            "amount",
            "adjusts",
        ],
        1,
    );
    for d in &results.documents.to_send {
        for line in &d.lines {
            table.rows.push(vec![
                d.number.clone(),
                d.kind.as_str().to_string(),
                d.year.to_string(),
                d.issuer.clone(),
                d.payer.clone(),
                line.programme.clone(),
                line.amount.to_string(),
                d.adjusts.clone().unwrap_or_default(),
            ]);
        }
    }
    // Documents in number order, each one's lines by programme (the sort is stable).
    table
        .rows
        .sort_by(|a, b| (&a[0], &a[5]).cmp(&(&b[0], &b[5])));
    table
}
