//! `issue.csv` (SPEC §5): every line to send now, from the budget cycle's documents. Kept apart
//! from the §3 tables because it depends on the register as well as the book.

use super::rows::{Def, Row};
use super::Table;
use crate::engine::Results;

/// One row per line of every document to send: new invoices, supplementary invoices and
/// credit notes. Without a register it is every invoice line.
pub fn issue_table(results: &Results) -> Table {
    let mut table = Table::new(ISSUE.file_name, ISSUE.header, ISSUE.sort_columns);
    for d in &results.documents.to_send {
        for line in &d.lines {
            table.rows.push(vec![
                d.number.to_string(),
                d.kind.as_str().to_string(),
                d.year.to_string(),
                d.issuer.to_string(),
                d.payer.to_string(),
                line.programme.to_string(),
                line.amount.to_string(),
                d.adjusts.as_deref().unwrap_or_default().to_string(),
            ]);
        }
    }
    // Documents in number order, each one's lines by programme (the sort is stable).
    table
        .rows
        .sort_by(|a, b| (&a[0], &a[5]).cmp(&(&b[0], &b[5])));
    table
}

/// `issue.csv` for `report::tables` and a run: written straight from the documents when
/// they come in number order, each one's lines by programme (nearly always: they are made by
/// year, issuer, payer and sequence), else through [`issue_table`].
pub(super) const ISSUE: Def = Def {
    file_name: "issue.csv",
    header: &[
        "document",
        "kind",
        "year",
        "issuer",
        "payer",
        "programme",
        "amount",
        "adjusts",
    ],
    sort_columns: 1,
    text_columns: &[],
    rows: |s, emit| {
        for d in &s.results.documents.to_send {
            for line in &d.lines {
                if !emit(&|row| {
                    row.str(&d.number);
                    row.str(d.kind.as_str());
                    row.year(d.year);
                    row.str(&d.issuer);
                    row.str(&d.payer);
                    row.str(&line.programme);
                    row.money(line.amount);
                    row.str(d.adjusts.as_deref().unwrap_or_default());
                }) {
                    return;
                }
            }
        }
    },
    presorted: Some(by_document_then_programme),
    table: Some(issue_table),
};

/// The order [`issue_table`] sorts its rows in: document number, then programme.
fn by_document_then_programme(a: &Row, b: &Row) -> std::cmp::Ordering {
    // Bytes order as text does (`str`'s order is its bytes').
    fn key(row: &Row) -> (Option<&[u8]>, Option<&[u8]>) {
        (row.cell(0), row.cell(5))
    }
    key(a).cmp(&key(b))
}
