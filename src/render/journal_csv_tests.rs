//! The journals written as bytes are the general path's rows written by the CSV writer, on
//! generated books whose codes, names and account codes need quoting or making inert.

use super::*;
use crate::diag::Place;
use crate::engine::documents::Document;
use crate::model::{Account, AccountRole};
use crate::render::csv::Records;
use crate::report::journals::{journals_named, JOURNAL_TEXT_COLUMNS};
use crate::values::Year;
use chrono::NaiveDate;
use proptest::prelude::*;
use std::sync::Mutex;

/// The fast path's pieces in the tests: a journal goes to its file in many pieces.
const PIECE: usize = 200;

/// Council codes: the last is never in the book.
const CODES: [&str; 7] = ["A", "B,1", "C\"D", "=E", "-F", "G", "Z"];
const NAMES: [&str; 6] = ["Council A", "Brent, London", "\"Q\"", "=SUM(1)", "+44", ""];
const PROGRAMMES: [&str; 5] = ["P1", SIK, "P,2", "-P3", "P\n4"];
const ACCOUNT_CODES: [&str; 5] = ["5100", "-1", "a,b", "=x", "\"q\""];
const ROLES: [AccountRole; 4] = [
    AccountRole::Expense,
    AccountRole::Income,
    AccountRole::Receivable,
    AccountRole::Payable,
];
const KINDS: [DocumentKind; 3] = [
    DocumentKind::Invoice,
    DocumentKind::Supplementary,
    DocumentKind::CreditNote,
];

/// A generated book's journals' input: the book's councils (code, name), programmes' names,
/// `accounts` rows (council, role, programme, code), and documents (issuer, payer, kind,
/// year, date, suffix, lines of programme and pence), all as indices into the lists above.
/// A generated document: issuer, payer, kind, year, date, whether it is a later one against
/// the same invoice, and its lines (programme, pence).
type GeneratedDocument = (usize, usize, usize, i32, usize, bool, Vec<(usize, i128)>);

#[derive(Debug, Clone)]
struct Input {
    councils: Vec<(usize, usize)>,
    programme_names: Vec<Option<usize>>,
    accounts: Vec<(usize, usize, Option<usize>, usize)>,
    documents: Vec<GeneratedDocument>,
}

fn input() -> impl Strategy<Value = Input> {
    let council = (0..CODES.len() - 1, 0..NAMES.len());
    let account = (
        0..CODES.len(),
        0..ROLES.len(),
        proptest::option::of(0..PROGRAMMES.len()),
        0..ACCOUNT_CODES.len(),
    );
    let line = (
        0..PROGRAMMES.len(),
        prop_oneof![Just(0i128), -5000i128..5000, Just(i128::from(u64::MAX) * 3)],
    );
    let document = (
        0..CODES.len(),
        0..CODES.len(),
        0..KINDS.len(),
        2011..2014i32,
        0..4usize,
        any::<bool>(),
        proptest::collection::vec(line, 0..4),
    );
    (
        proptest::collection::vec(council, 1..7),
        proptest::collection::vec(proptest::option::of(0..NAMES.len()), PROGRAMMES.len()),
        proptest::collection::vec(account, 0..6),
        proptest::collection::vec(document, 0..24),
    )
        .prop_map(|(councils, programme_names, accounts, documents)| Input {
            councils,
            programme_names,
            accounts,
            documents,
        })
}

/// Each journal, by council code (a code the book repeats has one per row).
type Files = Vec<(String, Vec<u8>)>;

/// The journals of `input`, by the general path (`general`) or as bytes.
fn journals(input: &Input, general: bool) -> Files {
    let dates = [(2012, 4, 30), (2011, 12, 1), (2013, 4, 30), (2012, 4, 30)];
    let engine_documents: Vec<crate::engine::Document> = input
        .documents
        .iter()
        .map(|(issuer, payer, kind, year, _, later, lines)| {
            let number = format!(
                "WLA/{year}/{}/{}{}",
                CODES[*issuer],
                CODES[*payer],
                if *later { "/2" } else { "" }
            );
            crate::engine::Document {
                number: number.as_str().into(),
                kind: KINDS[*kind],
                year: Year(*year),
                issuer: CODES[*issuer].into(),
                payer: CODES[*payer].into(),
                adjusts: None,
                lines: lines
                    .iter()
                    .map(|(p, pence)| crate::engine::DocumentLine {
                        programme: PROGRAMMES[*p].into(),
                        amount: Money::from_pence(*pence),
                        before: Money::ZERO,
                        now: Money::from_pence(*pence),
                    })
                    .collect(),
                issued_on: None,
            }
        })
        .collect();
    let posted: Vec<Document> = engine_documents
        .iter()
        .zip(&input.documents)
        .map(|(d, (_, _, _, _, date, _, _))| {
            let (y, m, day) = dates[*date];
            Document::of(d, NaiveDate::from_ymd_opt(y, m, day).unwrap())
        })
        .collect();
    let accounts: Vec<Account> = input
        .accounts
        .iter()
        .map(|(council, role, programme, code)| Account {
            council: CODES[*council].into(),
            role: ROLES[*role],
            programme: programme.map(|p| PROGRAMMES[p].to_string()),
            account: ACCOUNT_CODES[*code].into(),
            place: Place::File {
                file: "accounts.csv".into(),
            },
        })
        .collect();
    let transactions = Transactions::new(&posted, &accounts);
    let names = Names::from_pairs(
        input.councils.iter().map(|(c, n)| (CODES[*c], NAMES[*n])),
        input
            .programme_names
            .iter()
            .zip(PROGRAMMES)
            .filter_map(|(n, p)| n.map(|n| (p, NAMES[n]))),
    );
    let mut councils: Vec<&str> = input.councils.iter().map(|(c, _)| CODES[*c]).collect();
    councils.sort();
    let files = Mutex::new(Files::new());
    if general {
        journals_named(&names, &councils, &transactions, |journal| {
            let mut content = Vec::new();
            let mut records = Records::new(&JOURNAL_HEADER, &JOURNAL_TEXT_COLUMNS, &mut content)?;
            for r in &journal.rows {
                let (debit, credit) = (r.debit.text(), r.credit.text());
                records.record([
                    r.date,
                    r.document,
                    &r.account,
                    r.counterparty,
                    &debit,
                    &credit,
                    &r.description,
                ])?;
            }
            records.finish()?;
            files
                .lock()
                .unwrap()
                .push((journal.council.to_string(), content));
            std::io::Result::Ok(())
        })
        .unwrap();
    } else {
        Layout::new(&councils, &transactions)
            .each_in_pieces(
                &names,
                &councils,
                PIECE,
                |_| std::io::Result::Ok(Vec::new()),
                |council, content| {
                    files.lock().unwrap().push((council.to_string(), content));
                    Ok(())
                },
            )
            .unwrap();
    }
    let mut files = files.into_inner().unwrap();
    files.sort();
    files
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn bytes_are_the_general_paths(input in input()) {
        let general = journals(&input, true);
        let bytes = journals(&input, false);
        prop_assert_eq!(general.len(), bytes.len());
        for ((council, want), (got_council, got)) in general.iter().zip(&bytes) {
            prop_assert_eq!(council, got_council);
            prop_assert_eq!(
                String::from_utf8_lossy(got),
                String::from_utf8_lossy(want),
                "journal of {:?}",
                council
            );
        }
    }

    #[test]
    fn amounts_are_written_as_money_writes_them(pence in prop_oneof![
        -1_000_000i128..1_000_000,
        any::<u64>().prop_map(i128::from),
        any::<i128>().prop_filter("has a magnitude", |p| *p != i128::MIN),
    ]) {
        let mut out = Vec::new();
        push_debit_credit(&mut out, Money::from_pence(pence));
        let text = Money::from_pence(pence.abs()).to_string();
        let want = if pence < 0 { format!("0.00,{text},") } else { format!("{text},0.00,") };
        prop_assert_eq!(String::from_utf8(out).unwrap(), want);
    }
}

#[test]
fn amounts_by_table() {
    for (pence, cells) in [
        (0, "0.00,0.00,"),
        (1, "0.01,0.00,"),
        (99, "0.99,0.00,"),
        (100, "1.00,0.00,"),
        (999, "9.99,0.00,"),
        (1000, "10.00,0.00,"),
        (123_456, "1234.56,0.00,"),
        (i128::from(u64::MAX), "184467440737095516.15,0.00,"),
        (i128::from(u64::MAX) + 1, "184467440737095516.16,0.00,"),
        (-i128::from(u64::MAX) - 1, "0.00,184467440737095516.16,"),
        (-1, "0.00,0.01,"),
        (-123_456, "0.00,1234.56,"),
    ] {
        let mut out = Vec::new();
        push_debit_credit(&mut out, Money::from_pence(pence));
        assert_eq!(String::from_utf8(out).unwrap(), cells, "{pence}");
    }
}

#[test]
fn cells_are_quoted_as_the_csv_writer_quotes_them() {
    for cell in [
        "plain",
        "a,b",
        "say \"hi\"",
        "\"",
        "line\nbreak",
        "cr\r",
        "-1",
        " ",
    ] {
        let mut want = Vec::new();
        let mut records = Records::new(&["x"], &[], &mut want).unwrap();
        records.record([cell]).unwrap();
        records.finish().unwrap();
        let mut got = b"x\n".to_vec();
        push_cell(&mut got, cell.as_bytes());
        got.push(b'\n');
        assert_eq!(String::from_utf8(got), String::from_utf8(want), "{cell:?}");
    }
}
