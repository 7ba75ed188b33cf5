//! The journals and the settlement as CSV tables (SPEC §7): `journals/COUNCIL.csv`, one per
//! council of the book, with the book's account codes, and `settlement.csv`.

use super::Table;
use crate::engine::journal::{Side, Transaction};
use crate::engine::settlement::YearSettlement;
use crate::engine::SIK;
use crate::model::{AccountRole, Book};
use rayon::prelude::*;
use std::collections::HashMap;

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

/// The names a journal line gives councils and programmes, looked up once per code rather
/// than by a search of the book per posting: a council's name (its code when the book has
/// none), a programme's name (its code likewise).
struct Names<'a> {
    councils: HashMap<&'a str, &'a str>,
    programmes: HashMap<&'a str, &'a str>,
}

impl<'a> Names<'a> {
    fn of(book: &'a Book) -> Names<'a> {
        // The first row of a code, as `Book::council` and `Book::programme` find it.
        let mut councils = HashMap::new();
        for c in &book.councils {
            councils.entry(c.code.as_str()).or_insert(c.name.as_str());
        }
        let mut programmes = HashMap::new();
        for p in &book.programmes {
            programmes.entry(p.code.as_str()).or_insert(p.name.as_str());
        }
        Names {
            councils,
            programmes,
        }
    }

    fn council<'c>(&self, code: &'c str) -> &'c str
    where
        'a: 'c,
    {
        self.councils.get(code).copied().unwrap_or(code)
    }

    fn programme<'c>(&self, code: &'c str) -> &'c str
    where
        'a: 'c,
    {
        self.programmes.get(code).copied().unwrap_or(code)
    }
}

/// What a posting is for, in words: the document to or from the counterparty, or the
/// programme (the pool's provider for support in kind).
fn description(names: &Names, t: &Transaction, role: AccountRole, programme: &str) -> String {
    let issuer = match t.side {
        Side::Issuer => t.council.as_str(),
        Side::Payer => t.counterparty.as_str(),
    };
    match role {
        AccountRole::Receivable => {
            format!("{} to {}", t.kind.title(), names.council(&t.counterparty))
        }
        AccountRole::Payable => {
            format!("{} from {}", t.kind.title(), names.council(&t.counterparty))
        }
        AccountRole::Expense | AccountRole::Income if programme == SIK => {
            format!("Support in kind from {}", names.council(issuer))
        }
        AccountRole::Expense | AccountRole::Income => names.programme(programme).to_string(),
    }
}

/// Every council's journal, by council code: `(council, table)`. A council with no documents
/// gets a journal with its header only.
pub fn journal_tables(book: &Book, transactions: &[Transaction]) -> Vec<(String, Table)> {
    let names = Names::of(book);
    let (councils, of_council) = by_council(book, transactions);
    councils
        .par_iter()
        .zip(of_council)
        .map(|(council, mine)| (council.to_string(), council_table(&names, &mine)))
        .collect()
}

/// Each council's journal, handed to `each` as soon as it is laid out (on all cores, so in no
/// fixed order; a caller that writes each one holds only one per core).
pub fn journal_tables_each<E: Send>(
    book: &Book,
    transactions: &[Transaction],
    each: impl Fn(&str, Table) -> Result<(), E> + Sync,
) -> Result<(), E> {
    let names = Names::of(book);
    let (councils, of_council) = by_council(book, transactions);
    councils
        .par_iter()
        .zip(of_council)
        .try_for_each(|(council, mine)| each(council, council_table(&names, &mine)))
}

/// The book's council codes, sorted, and each one's transactions in their order: shared out
/// in one pass (every row of a code gets the code's transactions, as when each row filtered
/// them).
fn by_council<'b, 't>(
    book: &'b Book,
    transactions: &'t [Transaction],
) -> (Vec<&'b str>, Vec<Vec<&'t Transaction>>) {
    let mut councils: Vec<&str> = book.councils.iter().map(|c| c.code.as_str()).collect();
    councils.sort();
    let mut of_council: Vec<Vec<&Transaction>> = vec![Vec::new(); councils.len()];
    for t in transactions {
        let first = councils.partition_point(|c| *c < t.council.as_str());
        for list in of_council[first..]
            .iter_mut()
            .zip(&councils[first..])
            .take_while(|(_, c)| **c == t.council)
            .map(|(list, _)| list)
        {
            list.push(t);
        }
    }
    (councils, of_council)
}

/// One council's journal from its transactions: sorted by date and document; a document's
/// postings keep their order.
fn council_table(names: &Names, mine: &[&Transaction]) -> Table {
    let mut table = Table::new("journals/COUNCIL.csv", &JOURNAL_HEADER, 2);
    table.text_columns = vec!["account", "description"];
    table
        .rows
        .reserve(mine.iter().map(|t| t.postings.len()).sum());
    for t in mine {
        let date = t.date.to_string();
        for p in &t.postings {
            let programme = p.programme.as_deref().unwrap_or("");
            table.rows.push(vec![
                date.clone(),
                t.document.clone(),
                p.account.clone(),
                t.counterparty.clone(),
                p.debit().to_string(),
                p.credit().to_string(),
                description(names, t, p.role, programme),
            ]);
        }
    }
    table.sort();
    table
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
