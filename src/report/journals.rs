//! The journals and the settlement as CSV tables (SPEC §7): `journals/COUNCIL.csv`, one per
//! council of the book, with the book's account codes, and `settlement.csv`.

use super::Table;
use crate::engine::journal::{Side, Transaction};
use crate::engine::settlement::YearSettlement;
use crate::engine::SIK;
use crate::model::{AccountRole, Book};

/// The header of every council's journal.
pub const JOURNAL_HEADER: [&str; 7] = [
    "date",
    "document",
    "account",
    "counterparty",
    "debit",
    "credit",
    "description",
];

/// The name a journal line gives a council: its name, or its code when the book has none.
fn name_of<'a>(book: &'a Book, code: &'a str) -> &'a str {
    book.council(code).map_or(code, |c| c.name.as_str())
}

/// What a posting is for, in words: the document to or from the counterparty, or the
/// programme (the pool's provider for support in kind).
fn description(book: &Book, t: &Transaction, role: AccountRole, programme: &str) -> String {
    let issuer = match t.side {
        Side::Issuer => t.council.as_str(),
        Side::Payer => t.counterparty.as_str(),
    };
    match role {
        AccountRole::Receivable => {
            format!("{} to {}", t.kind.title(), name_of(book, &t.counterparty))
        }
        AccountRole::Payable => {
            format!("{} from {}", t.kind.title(), name_of(book, &t.counterparty))
        }
        AccountRole::Expense | AccountRole::Income if programme == SIK => {
            format!("Support in kind from {}", name_of(book, issuer))
        }
        AccountRole::Expense | AccountRole::Income => book
            .programme(programme)
            .map_or(programme, |p| p.name.as_str())
            .to_string(),
    }
}

/// Every council's journal, by council code: `(council, table)`. A council with no documents
/// gets a journal with its header only.
pub fn journal_tables(book: &Book, transactions: &[Transaction]) -> Vec<(String, Table)> {
    let mut councils: Vec<&str> = book.councils.iter().map(|c| c.code.as_str()).collect();
    councils.sort();
    councils
        .into_iter()
        .map(|council| {
            // Sorted by date and document; a document's postings keep their order.
            let mut table = Table::new("journals/COUNCIL.csv", &JOURNAL_HEADER, 2);
            table.text_columns = vec!["account", "description"];
            for t in transactions.iter().filter(|t| t.council == council) {
                for p in &t.postings {
                    let programme = p.programme.as_deref().unwrap_or("");
                    table.rows.push(vec![
                        t.date.to_string(),
                        t.document.clone(),
                        p.account.clone(),
                        t.counterparty.clone(),
                        p.debit().to_string(),
                        p.credit().to_string(),
                        description(book, t, p.role, programme),
                    ]);
                }
            }
            table.sort();
            (council.to_string(), table)
        })
        .collect()
}

/// `settlement.csv`: year, payer, payee, amount.
pub fn settlement_table(settlements: &[YearSettlement]) -> Table {
    let mut table = Table::new("settlement.csv", &["year", "payer", "payee", "amount"], 3);
    for s in settlements {
        for t in &s.transfers {
            table.rows.push(vec![
                s.year.to_string(),
                t.payer.clone(),
                t.payee.clone(),
                t.amount.to_string(),
            ]);
        }
    }
    table.sort();
    table
}
