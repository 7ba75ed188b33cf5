//! The journals and the settlement as CSV tables (SPEC §7): the wording of
//! `journals/COUNCIL.csv` (the councils' names, the descriptions), which
//! `render::journal_csv` writes, and `settlement.csv`. The journals' general path (every
//! row, then the CSV writer) is kept for the tests, which hold a run's bytes to it.

use super::Table;
use crate::engine::journal::{Side, Transaction};
use crate::engine::settlement::YearSettlement;
use crate::engine::SIK;
use crate::model::{AccountRole, Book};
use std::collections::HashMap;
// The general path of the councils' journals (rows, then the CSV writer): the property test
// of `render::journal_csv` holds the bytes that a run writes to it.
#[cfg(test)]
use {
    crate::engine::journal::Transactions, crate::money::Money, rayon::prelude::*, std::borrow::Cow,
    std::collections::BTreeMap,
};

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
pub struct Names<'a> {
    councils: HashMap<&'a str, &'a str>,
    programmes: HashMap<&'a str, &'a str>,
}

impl<'a> Names<'a> {
    pub fn of(book: &'a Book) -> Names<'a> {
        Names::from_pairs(
            book.councils
                .iter()
                .map(|c| (c.code.as_str(), c.name.as_str())),
            book.programmes
                .iter()
                .map(|p| (p.code.as_str(), p.name.as_str())),
        )
    }

    /// From (code, name) pairs of councils and of programmes; the first pair of a code
    /// names it, as `Book::council` and `Book::programme` find the first row.
    pub fn from_pairs(
        councils: impl IntoIterator<Item = (&'a str, &'a str)>,
        programmes: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Names<'a> {
        let mut council_names = HashMap::new();
        for (code, name) in councils {
            council_names.entry(code).or_insert(name);
        }
        let mut programme_names = HashMap::new();
        for (code, name) in programmes {
            programme_names.entry(code).or_insert(name);
        }
        Names {
            councils: council_names,
            programmes: programme_names,
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

#[cfg(test)]
/// What a posting is for, in words: the document to or from the counterparty, or the
/// programme (the pool's provider for support in kind).
pub fn description<'a>(
    names: &Names<'a>,
    t: &Transaction<'a>,
    role: AccountRole,
    programme: &'a str,
) -> Cow<'a, str> {
    match role {
        AccountRole::Expense | AccountRole::Income if programme != SIK => {
            names.programme(programme).into()
        }
        _ => {
            let mut text = String::new();
            push_description(&mut text, names, t, role, programme);
            text.into()
        }
    }
}

/// [`description`], written onto `out`.
pub fn push_description<'a>(
    out: &mut String,
    names: &Names<'a>,
    t: &Transaction<'a>,
    role: AccountRole,
    programme: &'a str,
) {
    let issuer = match t.side {
        Side::Issuer => t.council(),
        Side::Payer => t.counterparty(),
    };
    let (title, word, council) = match role {
        AccountRole::Receivable => (t.kind().title(), " to ", t.counterparty()),
        AccountRole::Payable => (t.kind().title(), " from ", t.counterparty()),
        AccountRole::Expense | AccountRole::Income if programme == SIK => {
            ("Support in kind", " from ", issuer)
        }
        AccountRole::Expense | AccountRole::Income => {
            out.push_str(names.programme(programme));
            return;
        }
    };
    out.push_str(title);
    out.push_str(word);
    out.push_str(names.council(council));
}

#[cfg(test)]
/// One line of a council's journal: a posting with its transaction's date, document and
/// counterparty, borrowed from the transactions (plain data, no copy of the codes; the
/// account is written out only when it is the default one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalRow<'a> {
    /// `2013-04-30`, written once per date.
    pub date: &'a str,
    pub document: &'a str,
    pub account: Cow<'a, str>,
    pub counterparty: &'a str,
    pub debit: Money,
    pub credit: Money,
    pub description: Cow<'a, str>,
}

#[cfg(test)]
/// One council's journal: its rows, sorted by date and document (a document's postings keep
/// their order), as [`JOURNAL_HEADER`] names the columns.
pub struct Journal<'a> {
    pub council: &'a str,
    pub rows: Vec<JournalRow<'a>>,
}

#[cfg(test)]
/// The columns of a journal that hold free text from the book.
pub const JOURNAL_TEXT_COLUMNS: [&str; 2] = ["account", "description"];

#[cfg(test)]
/// Each council's journal, handed to `each` as soon as it is laid out (on all cores, so in no
/// fixed order; a caller that writes each one holds only one per core). A council with no
/// documents gets a journal with no rows.
pub fn journals_each<E: Send>(
    book: &Book,
    transactions: &Transactions,
    each: impl Fn(Journal) -> Result<(), E> + Sync,
) -> Result<(), E> {
    let mut councils: Vec<&str> = book.councils.iter().map(|c| c.code.as_str()).collect();
    councils.sort();
    journals_named(&Names::of(book), &councils, transactions, each)
}

#[cfg(test)]
/// [`journals_each`] for the councils `councils` (sorted), named by `names`.
pub fn journals_named<'b, E: Send>(
    names: &Names<'b>,
    councils: &[&'b str],
    transactions: &Transactions,
    each: impl Fn(Journal) -> Result<(), E> + Sync,
) -> Result<(), E> {
    let of_council = by_council(councils, transactions);
    let dates = Dates::of(transactions);
    councils
        .par_iter()
        .zip(of_council)
        .try_for_each(|(council, mine)| {
            each(council_journal(names, council, &mine, transactions, &dates))
        })
}

#[cfg(test)]
/// Each date of the transactions as written (`2013-04-30`), once per date: a book's
/// documents are dated on a few days only.
struct Dates(BTreeMap<chrono::NaiveDate, String>);

#[cfg(test)]
impl Dates {
    fn of(transactions: &Transactions) -> Dates {
        let mut dates = BTreeMap::new();
        for t in transactions.iter() {
            dates
                .entry(t.date())
                .or_insert_with(|| t.date().to_string());
        }
        Dates(dates)
    }

    fn text(&self, date: chrono::NaiveDate) -> &str {
        &self.0[&date]
    }
}

#[cfg(test)]
/// Each of the council codes `councils` (sorted)'s transactions in their order: shared out
/// in one pass (every row of a code gets the code's transactions, as when each row filtered
/// them).
fn by_council(councils: &[&str], transactions: &Transactions) -> Vec<Vec<usize>> {
    let mut of_council: Vec<Vec<usize>> = vec![Vec::new(); councils.len()];
    for (i, t) in transactions.iter().enumerate() {
        let council = t.council();
        let first = councils.partition_point(|c| *c < council);
        for list in of_council[first..]
            .iter_mut()
            .zip(&councils[first..])
            .take_while(|(_, c)| **c == council)
            .map(|(list, _)| list)
        {
            list.push(i);
        }
    }
    of_council
}

#[cfg(test)]
/// One council's journal from its transactions (indices into `all`): sorted by date and
/// document as written, as [`Table::sort`] sorts them (both are text: the sort is stable and
/// costs one comparison a row when they are in order already).
fn council_journal<'a>(
    names: &Names<'a>,
    council: &'a str,
    mine: &[usize],
    all: &'a Transactions<'a>,
    dates: &'a Dates,
) -> Journal<'a> {
    let mut rows = Vec::with_capacity(mine.len() * 3);
    for &i in mine {
        let t = all.get(i);
        let date = dates.text(t.date());
        for p in t.postings() {
            let programme = p.programme.unwrap_or("");
            rows.push(JournalRow {
                date,
                document: t.number(),
                account: p.account(),
                counterparty: t.counterparty(),
                debit: p.debit(),
                credit: p.credit(),
                description: description(names, &t, p.role, programme),
            });
        }
    }
    fn key<'r>(r: &JournalRow<'r>) -> (&'r str, &'r str) {
        (r.date, r.document)
    }
    if !rows.windows(2).all(|w| key(&w[0]) <= key(&w[1])) {
        rows.sort_by(|a, b| key(a).cmp(&key(b)));
    }
    Journal { council, rows }
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
