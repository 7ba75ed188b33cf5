//! Finding a ledger's date, cost centre and amount columns in its header, by the names the
//! book's settings give (matched as book headers are), with a message naming the setting to
//! change when one is missing: real extracts never use our names.

use crate::book::normalise_name;
use crate::diag::{Diagnostic, Place};

/// Where the three columns a ledger needs are in a file's header (0-based indices).
pub(super) struct Columns {
    pub count: usize,
    pub date: usize,
    pub cost_centre: usize,
    pub amount: usize,
}

/// The setting that names each column, its value, and what the column is.
pub(super) struct Wanted<'a> {
    pub date: &'a str,
    pub cost_centre: &'a str,
    pub amount: &'a str,
}

/// Finds the date, cost centre and amount columns in a header record, matching names as book
/// headers are matched (case, spaces, `-` and `_` do not matter).
pub(super) fn find_columns(
    header: &str,
    wanted: &Wanted,
    file: &str,
) -> Result<Columns, Vec<Diagnostic>> {
    let names: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(header.as_bytes())
        .records()
        .next()
        .and_then(Result::ok)
        .map(|record| record.iter().map(str::to_string).collect())
        .unwrap_or_default();
    let header_place = Place::Csv {
        file: file.to_string().into(),
        line_number: 1,
        column_number: None,
    };
    let shown_names = names
        .iter()
        .map(|n| format!("{:?}", n.trim_start_matches('\u{feff}').trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut problems = Vec::new();
    let mut find = |wanted_name: &str, setting: &str, what: &str| {
        let key = normalise_name(wanted_name);
        let found: Vec<usize> = (0..names.len())
            .filter(|&i| normalise_name(&names[i]) == key)
            .collect();
        match found.as_slice() {
            [index] => Some(*index),
            [] => {
                problems.push(Diagnostic::error(
                    header_place.clone(),
                    format!(
                        "the ledger has no {wanted_name:?} column for the {what} (its columns: \
                         {shown_names}); set {setting} in the book's settings to the name this \
                         file uses"
                    ),
                ));
                None
            }
            several => {
                let numbers: Vec<String> = several.iter().map(|i| (i + 1).to_string()).collect();
                problems.push(Diagnostic::error(
                    header_place.clone(),
                    format!(
                        "the ledger has {} columns named {wanted_name:?} (columns {}); rename \
                         all but the {what} column",
                        several.len(),
                        numbers.join(" and ")
                    ),
                ));
                None
            }
        }
    };
    let date = find(wanted.date, "ledger_date_column", "date");
    let cost_centre = find(
        wanted.cost_centre,
        "ledger_cost_centre_column",
        "cost centre",
    );
    let amount = find(wanted.amount, "ledger_amount_column", "amount");
    match (date, cost_centre, amount) {
        (Some(date), Some(cost_centre), Some(amount)) => Ok(Columns {
            count: names.len(),
            date,
            cost_centre,
            amount,
        }),
        _ => Err(problems),
    }
}
