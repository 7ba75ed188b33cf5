//! The files of SPEC §7 in the reports folder: `journals/COUNCIL.csv` for every council,
//! `journal.ledger`, `journal.beancount` and `settlement.csv`. Each goes into the pack as soon
//! as it is written, and each council's table is dropped once written, so the journals of a
//! large book are never all held as text at once.

use super::plain_text_accounting::{beancount_journal, ledger_journal};
use crate::engine::journal::Transaction;
use crate::engine::settlement::YearSettlement;
use crate::model::Book;
use crate::output::OutputFile;
use crate::pack::Pack;
use crate::report::journals::{journal_tables, settlement_table};
use std::io;
use std::path::PathBuf;

pub fn journal_files(
    book: &Book,
    transactions: &[Transaction],
    settlements: &[YearSettlement],
    out: &Pack<'_>,
) -> io::Result<()> {
    for (council, table) in journal_tables(book, transactions) {
        let mut content = Vec::new();
        super::csv::write_table(&table, &mut content)?;
        drop(table);
        out.file(OutputFile {
            path: PathBuf::from("journals").join(format!("{council}.csv")),
            content,
        })?;
    }
    let table = settlement_table(settlements);
    let mut content = Vec::new();
    super::csv::write_table(&table, &mut content)?;
    out.file(OutputFile {
        path: PathBuf::from(table.file_name),
        content,
    })?;
    out.file(OutputFile {
        path: PathBuf::from("journal.ledger"),
        content: ledger_journal(transactions).into_bytes(),
    })?;
    out.file(OutputFile {
        path: PathBuf::from("journal.beancount"),
        content: beancount_journal(transactions).into_bytes(),
    })
}
