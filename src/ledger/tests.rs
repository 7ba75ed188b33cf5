//! Tests of ledger reading on small files written for each case (exact sums either side of a
//! year end, column names from the settings, unmapped lines, rounding, several files), and the
//! helpers the other test files share: a throw-away folder and a small book.

use super::*;
use crate::diag::Place;
use crate::model::{Basis, CarryForward, CostCentre, Programme, Settings};
use crate::values::Year;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A folder of ledger files for one test, removed when it ends.
pub(super) struct Files(pub PathBuf);

impl Files {
    pub fn new() -> Files {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let number = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("accord-ledger-{}-{number}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create test folder");
        Files(dir)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).expect("write test file");
        path
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn place(file: &str) -> Place {
    Place::File { file: file.into() }
}

/// A book with programmes `A` and `B`, the given cost centres and years, and default settings.
pub(super) fn book(cost_centres: &[(&str, &str)], years: &[i32]) -> Book {
    let programme = |code: &str| Programme {
        code: code.into(),
        name: code.into(),
        lead: "HRW".into(),
        basis: Basis::Equal,
        carry_forward: CarryForward::Apply,
        place: place("programmes.csv"),
    };
    Book {
        label: "book".into(),
        councils: Vec::new(),
        programmes: vec![programme("A"), programme("B"), programme("OFFICE")],
        participation: Vec::new(),
        budget: Vec::new(),
        grants: Vec::new(),
        support_in_kind: Vec::new(),
        actuals: Vec::new(),
        cost_centres: cost_centres
            .iter()
            .map(|(cost_centre, programme)| CostCentre {
                cost_centre: cost_centre.to_string(),
                programme: programme.to_string(),
                place: place("cost_centres.csv"),
            })
            .collect(),
        balances: Vec::new(),
        benefits: Vec::new(),
        settings: Settings {
            host: "HRW".into(),
            ..Settings::default()
        },
        profile: Vec::new(),
        drivers: Vec::new(),
        years: years.iter().map(|y| Year(*y)).collect(),
        cycle: Default::default(),
        accounts: Vec::new(),
    }
}

pub(super) fn read(files: &[&Path], book: &Book) -> Result<LedgerSummary, Diagnostics> {
    let paths: Vec<PathBuf> = files.iter().map(|p| p.to_path_buf()).collect();
    read_ledgers(&paths, book, false)
}

/// The diagnostics as printed, one per line, with the test folder taken out of the places.
pub(super) fn messages(diagnostics: &[Diagnostic], files: &Files) -> String {
    let folder = format!("{}/", files.0.display());
    diagnostics
        .iter()
        .map(|d| d.to_string().replace(&folder, ""))
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn pence(p: i128) -> Money {
    Money::from_pence(p)
}

pub(super) fn actuals(entries: &[(i32, &str, i128)]) -> ExtraActuals {
    entries
        .iter()
        .map(|(y, p, sum)| ((Year(*y), p.to_string()), pence(*sum)))
        .collect()
}

#[test]
fn sums_exactly_either_side_of_a_year_end() {
    let files = Files::new();
    let gl = files.write(
        "gl.csv",
        "date,cost_centre,amount\n\
         2012-04-01,CC1,100.01\n\
         31/03/2013,CC1,-0.02\n\
         01/04/2013,CC1,\"1,000.00\"\n\
         2013-03-31,CC2,£5.55\n\
         2013-04-01, CC2 ,(2.50)\n\
         2014-03-31,CC2,-£1\n\
         2012-06-30,CC3,0.10\n",
    );
    let book = book(&[("CC1", "A"), ("CC2", "B"), ("CC3", "A")], &[2012, 2013]);
    let summary = read(&[&gl], &book).unwrap();
    let expected = actuals(&[
        (2012, "A", 10001 - 2 + 10),
        (2012, "B", 555),
        (2013, "A", 100000),
        (2013, "B", -250 - 100),
    ]);
    assert_eq!(summary.actuals, expected);
    assert_eq!((summary.lines_read, summary.lines_mapped), (7, 7));
    assert_eq!(
        summary.amount_read,
        pence(10001 - 2 + 100000 + 555 - 250 - 100 + 10)
    );
    assert_eq!(summary.amount_mapped, summary.amount_read);
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
}

#[test]
fn column_names_come_from_the_settings_and_match_like_book_headers() {
    let files = Files::new();
    let mut book = book(&[("Agency Staff", "A")], &[2012]);
    book.settings.ledger_date_column = "Posting Date".into();
    book.settings.ledger_cost_centre_column = "AccountDescription".into();
    book.settings.ledger_amount_column = "amount_gbp".into();
    let gl = files.write(
        "gl.csv",
        "Vendor, POSTING-DATE ,accountdescription,Amount GBP\n\
         \"ACME, LTD\",2012-05-01,Agency Staff,12.34\n",
    );
    let summary = read(&[&gl], &book).unwrap();
    assert_eq!(summary.actuals, actuals(&[(2012, "A", 1234)]));

    let other = files.write("other.csv", "date,cost_centre,amount\n2012-05-01,x,1\n");
    let problems = read(&[&other], &book).unwrap_err();
    assert_eq!(
        messages(&problems.items, &files),
        "other.csv:1: error: the ledger has no \"Posting Date\" column for the date (its \
         columns: \"date\", \"cost_centre\", \"amount\"); set ledger_date_column in the book's \
         settings to the name this file uses\n\
         other.csv:1: error: the ledger has no \"AccountDescription\" column for the cost centre \
         (its columns: \"date\", \"cost_centre\", \"amount\"); set ledger_cost_centre_column in \
         the book's settings to the name this file uses\n\
         other.csv:1: error: the ledger has no \"amount_gbp\" column for the amount (its \
         columns: \"date\", \"cost_centre\", \"amount\"); set ledger_amount_column in the \
         book's settings to the name this file uses"
    );
}

#[test]
fn unmapped_lines_say_why_and_reconcile() {
    let files = Files::new();
    let gl = files.write(
        "gl.csv",
        "date,cost_centre,amount\n\
         2012-04-01,CC1,10.00\n\
         2012-04-02,AGENCY STAFF,20.00\n\
         2011-04-01,CC1,30.00\n\
         2014-04-01,Nowhere,40.00\n\
         2013-04-01,CC1,-5.00\n",
    );
    let book = book(&[("CC1", "A"), ("Agency Staff", "B")], &[2012, 2013]);
    let summary = read(&[&gl], &book).unwrap();
    let unmapped: Vec<(usize, &str, i128, &str)> = summary
        .unmapped
        .iter()
        .map(|u| {
            (
                u.line_number,
                u.cost_centre.as_str(),
                u.amount.pence(),
                u.reason.as_str(),
            )
        })
        .collect();
    assert_eq!(
        unmapped,
        [
            (3, "AGENCY STAFF", 2000, "no programme"),
            (4, "CC1", 3000, "outside the book's years"),
            (5, "Nowhere", 4000, "no programme"),
        ]
    );
    assert!(summary
        .unmapped
        .iter()
        .all(|u| u.source == gl.display().to_string()));
    assert_eq!(
        summary.actuals,
        actuals(&[(2012, "A", 1000), (2013, "A", -500)])
    );
    assert_eq!((summary.lines_read, summary.lines_mapped), (5, 2));
    assert_eq!(summary.amount_read, pence(9500));
    assert_eq!(
        messages(&summary.warnings, &files),
        "warning: 3 ledger lines (total 90.00) are not counted as actuals: 2 whose cost centre \
         has no programme in cost_centres (total 60.00), 1 dated outside the book's years \
         (total 30.00); they are listed in unmapped.csv"
    );
}

#[test]
fn several_files_add_up_and_keep_their_own_line_numbers() {
    let files = Files::new();
    let one = files.write("one.csv", "date,cost_centre,amount\n2012-04-01,CC1,1.00\n");
    let two = files.write(
        "two.csv",
        "amount,date,cost_centre\n2.00,2012-04-01,CC1\n3,2012-04-01,Z\n",
    );
    let summary = read(&[&one, &two], &book(&[("CC1", "A")], &[2012])).unwrap();
    assert_eq!(summary.actuals, actuals(&[(2012, "A", 300)]));
    assert_eq!(summary.unmapped[0].line_number, 3);
    assert!(summary.unmapped[0].source.ends_with("two.csv"));
    for (file, path) in summary.files.iter().zip([&one, &two]) {
        let bytes = std::fs::read(path).unwrap();
        let expected: String = <sha2::Sha256 as sha2::Digest>::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(file.source, path.display().to_string());
        assert_eq!(
            (file.bytes, file.sha256_hex.as_str()),
            (bytes.len() as u64, expected.as_str())
        );
    }
}

#[test]
fn amounts_beyond_pence_are_rounded_with_a_warning() {
    let files = Files::new();
    let gl = files.write("gl.csv", "date,cost_centre,amount\n2012-04-01,CC1,0.125\n");
    let summary = read(&[&gl], &book(&[("CC1", "A")], &[2012])).unwrap();
    assert_eq!(summary.actuals, actuals(&[(2012, "A", 13)]));
    assert_eq!(
        messages(&summary.warnings, &files),
        "gl.csv:2:3: warning: \"0.125\" is not a whole number of pence; rounded half-up to 0.13"
    );
}
