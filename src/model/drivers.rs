//! Checks of the `drivers` table (SPEC §4): each row refers to a programme, a council and a
//! year of the book; every council taking part in a `driver` programme in a year with a budget
//! has a value; not every value is 0. Apart from `validate` so that the new basis stays in one
//! place.

use super::{Basis, Book, Driver, TakingPart};
use crate::diag::{quoted, Diagnostics};
use crate::values::Year;
use std::collections::{BTreeSet, HashMap};

/// Keeps the rows whose codes and year are known; reports the others, and repeats.
pub(super) fn check_rows(
    rows: Vec<Driver>,
    programme_codes: &BTreeSet<String>,
    council_codes: &BTreeSet<String>,
    years: &[Year],
    diags: &mut Diagnostics,
) -> Vec<Driver> {
    let mut out: Vec<Driver> = Vec::new();
    let mut first: HashMap<(Year, String, String), crate::diag::Place> = HashMap::new();
    for d in rows {
        if !programme_codes.contains(&d.programme) {
            diags.error(
                d.place,
                format!(
                    "{} is not a programme of this book; use one of the programmes table's codes",
                    quoted(&d.programme)
                ),
            );
        } else if !council_codes.contains(&d.council) {
            diags.error(
                d.place,
                format!(
                    "{} is not a council of this book; use one of the councils table's codes",
                    quoted(&d.council)
                ),
            );
        } else if !years.is_empty() && !years.contains(&d.year) {
            diags.error(
                d.place,
                format!(
                    "{} is outside the book's years ({} to {}, set by the budget table); correct the year",
                    d.year,
                    years[0],
                    years[years.len() - 1]
                ),
            );
        } else if let Some(other) = first.get(&(d.year, d.programme.clone(), d.council.clone())) {
            diags.error(
                d.place,
                format!(
                    "{} already has a driver value for {} in {} (at {other}); keep one row",
                    d.council, d.programme, d.year
                ),
            );
        } else {
            first.insert(
                (d.year, d.programme.clone(), d.council.clone()),
                d.place.clone(),
            );
            out.push(d);
        }
    }
    out
}

/// The checks that need who takes part: a value for every council taking part in a `driver`
/// programme in a year with a budget (an error at its participation row), not all 0, and
/// warnings for rows no rule uses.
pub(super) fn check_takers(book: &Book, diags: &mut Diagnostics) {
    let index = TakingPart::new(book);
    for d in &book.drivers {
        let Some(programme) = book.programme(&d.programme) else {
            continue;
        };
        if programme.basis != Basis::Driver || book.is_office(&programme.code) {
            diags.warning(
                d.place.clone(),
                format!(
                    "{}'s basis is {}, not driver, so this drivers row is not used",
                    programme.code,
                    if book.is_office(&programme.code) {
                        "equal (the Office)"
                    } else {
                        programme.basis.as_str()
                    }
                ),
            );
        } else if index.days(&d.programme, &d.council, d.year) == 0 {
            diags.warning(
                d.place.clone(),
                format!(
                    "{} does not take part in {} in {}, so this drivers row is not used",
                    d.council, d.programme, d.year
                ),
            );
        }
    }
    for programme in book
        .programmes
        .iter()
        .filter(|p| p.basis == Basis::Driver && !book.is_office(&p.code))
    {
        for &year in &book.years {
            if !book
                .budget
                .iter()
                .any(|b| b.programme == programme.code && b.year == year)
            {
                continue;
            }
            let mut values = Vec::new();
            for council in &book.councils {
                if index.days(&programme.code, &council.code, year) == 0 {
                    continue;
                }
                match index.driver(&programme.code, &council.code, year) {
                    Some(value) => values.push(value),
                    None => {
                        let place = index
                            .stints(&programme.code, &council.code)
                            .iter()
                            .find(|p| p.range.days_in(year) > 0)
                            .map(|p| p.place.clone());
                        diags.error(
                            place,
                            format!(
                                "{} is shared by driver, and {} takes part in {year} with no value; add a drivers row: {year},{},{},VALUE",
                                programme.code, council.code, programme.code, council.code
                            ),
                        );
                    }
                }
            }
            if !values.is_empty() && values.iter().all(|v| v.is_zero()) {
                diags.error(
                    programme.place.clone(),
                    format!(
                        "every driver value of {} for {year} is 0, so nobody would pay its budget; give at least one council a value above 0",
                        programme.code
                    ),
                );
            }
        }
    }
}
