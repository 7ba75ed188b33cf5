//! The Greater London Authority's published payments 2008-2013 (`fixtures/data`, never edited),
//! read as a ledger: a real extract with its own column names, account descriptions spelled
//! several ways, quoted values with commas, trailing spaces and credit notes. The expected
//! figures were worked out independently, in Python, from the same file.

use super::tests::book;
use super::*;
use crate::values::Year;
use std::path::Path;

const GLA: &str = "fixtures/data/gla-spending-2008-2013.csv";

fn gla_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(GLA)
}

fn gla_book() -> Book {
    let mut book = book(
        &[
            ("Agency Staff", "A"),
            ("Temporary Agency Staff Costs", "A"),
            ("Consultancy Fees", "B"),
            // Quoted in the file, as it holds commas.
            ("Journals, Serials & Newspapers", "B"),
            // 26 lines spell it "Catering", 11 "Catering " with a trailing space.
            ("Catering", "B"),
        ],
        &[2009, 2010, 2011],
    );
    book.settings.ledger_date_column = "Date".into();
    book.settings.ledger_cost_centre_column = "AccountDescription".into();
    book.settings.ledger_amount_column = "Amount".into();
    book
}

#[test]
fn the_gla_extract_maps_and_reconciles_to_the_penny() {
    let path = gla_path();
    let summary = read_ledgers(&[path], &gla_book(), false).unwrap();
    let expected: ExtraActuals = [
        (2009, "A", 246_588_428),
        (2009, "B", 237_191_690),
        (2010, "A", 33_624_915),
        (2010, "B", 31_998_636),
        (2011, "A", 27_668_485),
    ]
    .into_iter()
    .map(|(y, p, pence)| ((Year(y), p.to_string()), Money::from_pence(pence)))
    .collect();
    assert_eq!(summary.actuals, expected);
    assert_eq!(summary.lines_read, 28_145);
    assert_eq!(summary.lines_mapped, 1_855);
    assert_eq!(summary.amount_read, Money::from_pence(100_008_330_600));
    assert_eq!(summary.amount_mapped, Money::from_pence(577_072_154));
    let by_reason = |reason| {
        let lines: Vec<&UnmappedLine> = summary
            .unmapped
            .iter()
            .filter(|u| u.reason == reason)
            .collect();
        (lines.len(), lines.iter().map(|u| u.amount).sum::<Money>())
    };
    assert_eq!(
        by_reason(UnmappedReason::NoProgramme),
        (22_868, Money::from_pence(98_543_522_625))
    );
    assert_eq!(
        by_reason(UnmappedReason::OutsideYears),
        (3_422, Money::from_pence(887_735_821))
    );
    let first = &summary.unmapped[0];
    assert_eq!(
        (first.line_number, first.cost_centre.as_str(), first.amount),
        (2, "Catering Charges", Money::from_pence(139_011))
    );
    // "AGENCY STAFF" is another cost centre than "Agency Staff": matching is exact.
    assert!(summary
        .unmapped
        .iter()
        .any(|u| u.cost_centre == "AGENCY STAFF" && u.reason == UnmappedReason::NoProgramme));
}

#[test]
fn the_gla_extract_with_our_column_names_says_which_settings_to_change() {
    let path = gla_path();
    let book = book(&[], &[2012]);
    let problems = read_ledgers(&[path], &book, false).unwrap_err();
    let printed: Vec<String> = problems.items.iter().map(|d| d.to_string()).collect();
    // Its "Date" and "Amount" columns match our names; its cost centre column does not.
    assert_eq!(printed.len(), 1, "{printed:?}");
    assert!(printed[0].ends_with(
        "gla-spending-2008-2013.csv:1: error: the ledger has no \"cost_centre\" column for the \
         cost centre (its columns: \"ID\", \"VendorID\", \"Vendor\", \"AccountCode\", \
         \"AccountDescription\", \"DocNo\", \"Amount\", \"Date\", \"Source\"); set \
         ledger_cost_centre_column in the book's settings to the name this file uses"
    ));
}
