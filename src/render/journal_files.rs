//! The files of SPEC §7 in the reports folder: `journals/COUNCIL.csv` for every council,
//! `journal.ledger`, `journal.beancount` and `settlement.csv`. Each goes into the pack as soon
//! as it is written, so the journals of a large book are never all held as text at once.
//! `journal.ledger` and `journal.beancount` are documents for accounting programs, not CSV
//! tables: a run with `--no-documents` leaves them out.

use super::journal_csv::Layout;
use super::plain_text_accounting::both_journals;
use crate::engine::journal::Transactions;
use crate::engine::settlement::YearSettlement;
use crate::model::Book;
use crate::output::OutputFile;
use crate::pack::Pack;
use crate::report::journals::{settlement_table, Names};
use std::io;
use std::path::PathBuf;

/// Puts each file into `out` as soon as it is made (the councils' journals on all cores,
/// beside `journal.ledger` and `journal.beancount`, which are written in pieces; each file's
/// bytes depend only on the transactions, whatever the order they are made in).
/// `plain_text`: also `journal.ledger` and `journal.beancount`.
pub fn journal_files(
    book: &Book,
    transactions: &Transactions,
    settlements: &[YearSettlement],
    plain_text: bool,
    out: &Pack,
) -> io::Result<()> {
    let (journals, plain_text_written) = rayon::join(
        || {
            let mut councils: Vec<&str> = book.councils.iter().map(|c| c.code.as_str()).collect();
            councils.sort_unstable();
            let layout = Layout::new(&councils, transactions);
            layout.each(
                &Names::of(book),
                &councils,
                |council| out.create(PathBuf::from("journals").join(format!("{council}.csv"))),
                |_, file| file.finish(),
            )
        },
        || {
            if !plain_text {
                return Ok(());
            }
            both_journals(
                transactions,
                |name| out.create(PathBuf::from(name)),
                |file| file.finish(),
            )
        },
    );
    journals?;
    plain_text_written?;
    let table = settlement_table(settlements);
    let mut content = Vec::new();
    super::csv::write_table(&table, &mut content)?;
    out.file(OutputFile {
        path: PathBuf::from(table.file_name),
        content,
    })
}
