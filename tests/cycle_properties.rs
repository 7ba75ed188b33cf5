//! The budget cycle's property (issue 12, SPEC §5) over generated books: issue everything,
//! change the book at random, run: for every year, issuer, payer and programme, what was
//! issued plus what `issue.csv` says to send is what the book now says, to the penny; and
//! issuing that too leaves nothing to send. Once in process over many books, once through the
//! CSV files and the `accord` binary.

use crate::support::books::{random_book, write_csv_book, Rng};
use crate::support::{accord, run_into, scratch, stderr};
use accord::engine::{self, ExtraActuals};
use accord::issue::lines_to_issue;
use accord::model::{Book, IssuedLine};
use accord::money::{self, Money};
use accord::values::Year;
use chrono::NaiveDate;
use proptest::prelude::*;
use std::collections::BTreeMap;

type Key = (String, String, String, String);

/// The book changed as a revision changes one: budget lines raised, cut or removed, councils
/// leaving programmes, grants changed. The years stay (the first and last Office lines stay).
fn revised(book: &Book, seed: u64) -> Book {
    let mut rng = Rng::new(seed ^ 0xC1C1E);
    let mut b = book.clone();
    b.budget.retain(|l| l.line == "office" || !rng.chance(10));
    for line in &mut b.budget {
        if rng.chance(40) {
            let percent = rng.range(40, 160) as i128;
            line.amount = Money::from_pence(line.amount.pence() * percent / 100);
        }
    }
    b.participation.retain(|_| !rng.chance(15));
    for grant in &mut b.grants {
        if rng.chance(30) {
            grant.amount = Money::from_pence(rng.range(0, 20_000_000) as i128);
        }
    }
    b
}

fn key(year: Year, issuer: &str, payer: &str, programme: &str) -> Key {
    (
        year.to_string(),
        issuer.into(),
        payer.into(),
        programme.into(),
    )
}

/// Issues everything `book` calls for onto its register; returns the longer register.
fn issue_all(book: &Book, on: NaiveDate) -> Vec<IssuedLine> {
    let results = engine::run(book, &ExtraActuals::new());
    let mut register = book.cycle.issued.clone();
    register.extend(lines_to_issue(book, &results.documents, None, on));
    register
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn issued_plus_to_send_is_the_book(seed in any::<u64>(), revisions in 1usize..4) {
        let mut book = random_book(seed);
        book.cycle.issued = issue_all(&book, NaiveDate::from_ymd_opt(2020, 4, 30).unwrap());
        for r in 0..revisions {
            let register = book.cycle.issued.clone();
            book = revised(&book, seed.wrapping_add(r as u64));
            book.cycle.issued = register;
            let results = engine::run(&book, &ExtraActuals::new());
            let mut now: BTreeMap<Key, Money> = BTreeMap::new();
            for i in &results.invoices {
                *now.entry(key(i.year, &i.issuer, &i.payer, &i.programme)).or_default() += i.amount;
            }
            let mut total: BTreeMap<Key, Money> = BTreeMap::new();
            for l in &book.cycle.issued {
                *total.entry(key(l.year, &l.issuer, &l.payer, &l.programme)).or_default() += l.amount;
            }
            // issue.csv, as written, is what is to send.
            let table = accord::report::issue_table(&results);
            for row in &table.rows {
                let amount = money::parse_amount_text(&row[6]).unwrap().money;
                prop_assert!(!amount.is_zero(), "no zero line to send");
                *total.entry((row[2].clone(), row[3].clone(), row[4].clone(), row[5].clone())).or_default() += amount;
                match row[1].as_str() {
                    "supplementary" => prop_assert!(amount > Money::ZERO),
                    "credit_note" => prop_assert!(amount < Money::ZERO),
                    _ => prop_assert_eq!(&row[7], ""),
                }
            }
            total.retain(|_, m| !m.is_zero());
            prop_assert_eq!(&total, &now, "revision {}", r + 1);
            // Issuing that too leaves nothing to send.
            book.cycle.issued = issue_all(&book, NaiveDate::from_ymd_opt(2020, 11, 30).unwrap());
            let after = engine::run(&book, &ExtraActuals::new());
            prop_assert!(after.documents.to_send.is_empty(), "{:?}", after.documents.to_send);
        }
    }
}

/// A written CSV table as rows (header dropped).
fn rows(path: &std::path::Path) -> Vec<Vec<String>> {
    crate::support::csv_data(path)
}

fn sum(rows: &[Vec<String>], columns: [usize; 4], amount: usize) -> BTreeMap<Key, Money> {
    let mut out: BTreeMap<Key, Money> = BTreeMap::new();
    for r in rows {
        let k = (
            r[columns[0]].clone(),
            r[columns[1]].clone(),
            r[columns[2]].clone(),
            r[columns[3]].clone(),
        );
        *out.entry(k).or_default() += money::parse_amount_text(&r[amount]).unwrap().money;
    }
    out.retain(|_, m| !m.is_zero());
    out
}

/// Loads a written book, first deleting the lines the checks refuse (see
/// `load_without_refused_lines`). Some generated books lose everything that made them a book
/// (every budget line refused, say): those are not cases.
fn make_loadable(folder: &std::path::Path) -> bool {
    crate::support::books::load_without_refused_lines(folder).is_ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn through_the_files_issued_plus_issue_csv_is_invoices_csv(seed in any::<u64>()) {
        let dir = scratch("cycle-files");
        let input = dir.join("book");
        let book = random_book(seed);
        write_csv_book(&book, &input);
        prop_assume!(make_loadable(&input));
        let output = accord(&["issue", input.to_str().unwrap(), "--on", "2020-04-30"]);
        prop_assert!(output.status.success(), "{}", stderr(&output));
        // The revision is made loadable on its own; the register is put back as issued (its
        // lines are never edited), and a revision that leaves it pointing at a council or
        // programme the checks refused is not a case. A book that calls for no document (every
        // part its holder's own) issues nothing and leaves no register.
        let register = std::fs::read(input.join("issued.csv")).ok();
        if register.is_none() {
            prop_assert!(crate::support::stdout(&output).contains("nothing to issue"));
        }
        write_csv_book(&revised(&book, seed), &input);
        let _ = std::fs::remove_file(input.join("issued.csv"));
        prop_assume!(make_loadable(&input));
        if let Some(register) = &register {
            std::fs::write(input.join("issued.csv"), register).unwrap();
        }
        prop_assume!(accord::pipeline::load(&input).0.is_some());
        let out = dir.join("reports");
        run_into(&input, &out);
        let issued = match register {
            Some(_) => rows(&input.join("issued.csv")),
            None => Vec::new(),
        };
        let to_send = rows(&out.join("issue.csv"));
        let mut total = sum(&issued, [2, 3, 4, 5], 6);
        for (k, m) in sum(&to_send, [2, 3, 4, 5], 6) {
            *total.entry(k).or_default() += m;
        }
        total.retain(|_, m| !m.is_zero());
        prop_assert_eq!(total, sum(&rows(&out.join("invoices.csv")), [1, 2, 3, 4], 5));
        let output = accord(&["issue", input.to_str().unwrap(), "--on", "2020-11-30"]);
        prop_assert!(output.status.success(), "{}", stderr(&output));
        let again = dir.join("again");
        run_into(&input, &again);
        prop_assert_eq!(rows(&again.join("issue.csv")).len(), 0);
        let output = accord(&["issue", input.to_str().unwrap(), "--on", "2020-12-01"]);
        prop_assert!(crate::support::stdout(&output).contains("nothing to issue"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
