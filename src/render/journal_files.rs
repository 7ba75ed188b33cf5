//! The files of SPEC §7 in the reports folder: `journals/COUNCIL.csv` for every council,
//! `journal.ledger`, `journal.beancount` and `settlement.csv`.

use super::plain_text_accounting::{beancount_journal, ledger_journal};
use crate::engine::journal::Transaction;
use crate::engine::settlement::YearSettlement;
use crate::model::Book;
use crate::output::OutputFile;
use crate::report::journals::{journal_tables_each, settlement_table};
use std::io;
use std::path::PathBuf;

/// Writes each file to `put` as soon as it is made (one council's journal at a time).
pub fn journal_files(
    book: &Book,
    transactions: &[Transaction],
    settlements: &[YearSettlement],
    mut put: impl FnMut(OutputFile) -> io::Result<()>,
) -> io::Result<()> {
    journal_tables_each(book, transactions, |council, table| {
        let mut content = Vec::new();
        super::csv::write_table(&table, &mut content)?;
        put(OutputFile {
            path: PathBuf::from("journals").join(format!("{council}.csv")),
            content,
        })
    })?;
    let table = settlement_table(settlements);
    let mut content = Vec::new();
    super::csv::write_table(&table, &mut content)?;
    put(OutputFile {
        path: PathBuf::from(table.file_name),
        content,
    })?;
    put(OutputFile {
        path: PathBuf::from("journal.ledger"),
        content: ledger_journal(transactions).into_bytes(),
    })?;
    put(OutputFile {
        path: PathBuf::from("journal.beancount"),
        content: beancount_journal(transactions).into_bytes(),
    })
}
