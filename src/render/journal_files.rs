//! The files of SPEC §7 in the reports folder: `journals/COUNCIL.csv` for every council,
//! `journal.ledger`, `journal.beancount` and `settlement.csv`. Each goes into the pack as soon
//! as it is written, so the journals of a large book are never all held as text at once.
//! `journal.ledger` and `journal.beancount` are documents for accounting programs, not CSV
//! tables: a run with `--no-documents` leaves them out.

use super::plain_text_accounting::both_journals;
use crate::engine::journal::Transaction;
use crate::engine::settlement::YearSettlement;
use crate::model::Book;
use crate::output::OutputFile;
use crate::report::journals::{
    journals_each, settlement_table, JOURNAL_HEADER, JOURNAL_TEXT_COLUMNS,
};
use std::io;
use std::path::PathBuf;

/// Writes each file to `put` as soon as it is made (the councils' journals on all cores,
/// beside `journal.ledger` and `journal.beancount`; each file's bytes depend only on the
/// transactions, whatever the order they are made in). `plain_text`: also `journal.ledger` and
/// `journal.beancount`.
pub fn journal_files(
    book: &Book,
    transactions: &[Transaction],
    settlements: &[YearSettlement],
    plain_text: bool,
    put: impl Fn(OutputFile) -> io::Result<()> + Sync,
) -> io::Result<()> {
    let (journals, plain_text_written) = rayon::join(
        || {
            journals_each(book, transactions, |journal| {
                let mut content = Vec::new();
                let mut records =
                    super::csv::Records::new(&JOURNAL_HEADER, &JOURNAL_TEXT_COLUMNS, &mut content)?;
                for r in &journal.rows {
                    let (debit, credit) = (r.debit.text(), r.credit.text());
                    records.record([
                        r.date,
                        r.document,
                        r.account,
                        r.counterparty,
                        &debit,
                        &credit,
                        &r.description,
                    ])?;
                }
                records.finish()?;
                put(OutputFile {
                    path: PathBuf::from("journals").join(format!("{}.csv", journal.council)),
                    content,
                })
            })
        },
        || {
            if !plain_text {
                return (Ok(()), Ok(()));
            }
            both_journals(transactions, |name, text| {
                put(OutputFile {
                    path: PathBuf::from(name),
                    content: text.into_bytes(),
                })
            })
        },
    );
    journals?;
    plain_text_written.0?;
    plain_text_written.1?;
    let table = settlement_table(settlements);
    let mut content = Vec::new();
    super::csv::write_table(&table, &mut content)?;
    put(OutputFile {
        path: PathBuf::from(table.file_name),
        content,
    })
}
