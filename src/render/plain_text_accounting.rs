//! Every council's postings as plain-text accounting journals (SPEC §7): `journal.ledger`,
//! read by hledger and ledger-cli, and `journal.beancount`, read by beancount (and so fava).
//! Both hold the same transactions, one per document and council side, with the default
//! account names. Only codes and numbers go into them, never free text from the book.
//!
//! Beancount is stricter about account names than the others: each part after the first
//! must start with a capital letter or a digit and hold only letters, digits and `-`. Council
//! and programme codes (`A-Z 0-9 _ -`) are written as they are, except that each `_` becomes
//! a lowercase `u` and a code that would then start with `-` or `u` is prefixed `Xx`
//! (`PUB_HEALTH` → `PUBuHEALTH`, `_X` → `XxuX`, `-X` → `Xx-X`). Codes have no lowercase
//! letters, so no two codes are ever written the same.

use crate::engine::journal::{Side, Transaction};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The commodity every amount is in.
const CURRENCY: &str = "GBP";

fn payee(t: &Transaction) -> String {
    let word = match t.side {
        Side::Issuer => "to",
        Side::Payer => "from",
    };
    format!(
        "{}: {} {word} {}",
        t.council,
        t.kind.title().to_lowercase(),
        t.counterparty
    )
}

fn widths(transactions: &[Transaction], name: impl Fn(&str) -> String) -> (usize, usize) {
    let account = transactions
        .iter()
        .flat_map(|t| &t.postings)
        .map(|p| name(&p.default_account).len())
        .max()
        .unwrap_or(0);
    let amount = transactions
        .iter()
        .flat_map(|t| &t.postings)
        .map(|p| p.amount.to_string().len())
        .max()
        .unwrap_or(0);
    (account, amount)
}

/// `journal.ledger`: declared commodity and accounts (so `hledger check --strict` and
/// `ledger --pedantic` accept it), then the transactions in date and document order, each
/// with the document's number as its code.
pub fn ledger_journal(transactions: &[Transaction]) -> String {
    let mut out = String::from(
        "; The West London Alliance's documents posted in every council's ledger, written by accord.\n\
         ; One transaction per document and council side; amounts in GBP.\n\
         ; Try: hledger -f journal.ledger bal    or    ledger -f journal.ledger bal\n\n",
    );
    writeln!(out, "commodity {CURRENCY}\n").unwrap();
    let mut accounts: Vec<&str> = transactions
        .iter()
        .flat_map(|t| &t.postings)
        .map(|p| p.default_account.as_str())
        .collect();
    accounts.sort();
    accounts.dedup();
    for account in accounts {
        writeln!(out, "account {account}").unwrap();
    }
    let (account_width, amount_width) = widths(transactions, str::to_string);
    for t in transactions {
        writeln!(out, "\n{} * ({}) {}", t.date, t.document, payee(t)).unwrap();
        for p in &t.postings {
            writeln!(
                out,
                "    {:<account_width$}  {:>amount_width$} {CURRENCY}",
                p.default_account,
                p.amount.to_string()
            )
            .unwrap();
        }
    }
    out
}

/// One part of a beancount account name for a code (see the module's note).
pub fn beancount_component(code: &str) -> String {
    let written: String = code
        .chars()
        .map(|c| if c == '_' { 'u' } else { c })
        .collect();
    match written.chars().next() {
        Some(first) if first.is_ascii_uppercase() || first.is_ascii_digit() => written,
        _ => format!("Xx{written}"),
    }
}

/// A default account name with every part after the root made valid for beancount.
pub fn beancount_account(account: &str) -> String {
    let mut parts = account.split(':');
    let root = parts.next().unwrap_or_default().to_string();
    std::iter::once(root)
        .chain(parts.map(beancount_component))
        .collect::<Vec<_>>()
        .join(":")
}

/// `journal.beancount`: an `open` for every account on the day it is first used, then the
/// transactions, each linked to its document (`^WLA/2012-13/EAL/HRW`), so the issuer's and
/// the payer's sides of a document show together.
pub fn beancount_journal(transactions: &[Transaction]) -> String {
    let mut out = String::from(
        "; The West London Alliance's documents posted in every council's ledger, written by accord.\n\
         ; One transaction per document and council side; amounts in GBP.\n\
         ; Try: bean-check journal.beancount    or    fava journal.beancount\n\n",
    );
    out += "option \"title\" \"West London Alliance: every council's postings\"\n";
    writeln!(out, "option \"operating_currency\" \"{CURRENCY}\"\n").unwrap();
    let mut opened: BTreeMap<String, chrono::NaiveDate> = BTreeMap::new();
    for t in transactions {
        for p in &t.postings {
            let entry = opened
                .entry(beancount_account(&p.default_account))
                .or_insert(t.date);
            *entry = (*entry).min(t.date);
        }
    }
    let mut opens: Vec<(chrono::NaiveDate, &String)> =
        opened.iter().map(|(a, d)| (*d, a)).collect();
    opens.sort();
    for (date, account) in opens {
        writeln!(out, "{date} open {account} {CURRENCY}").unwrap();
    }
    let (account_width, amount_width) = widths(transactions, beancount_account);
    for t in transactions {
        writeln!(
            out,
            "\n{} * \"{}\" \"{}\" ^{}",
            t.date,
            t.council,
            payee(t),
            t.document
        )
        .unwrap();
        for p in &t.postings {
            writeln!(
                out,
                "  {:<account_width$}  {:>amount_width$} {CURRENCY}",
                beancount_account(&p.default_account),
                p.amount.to_string()
            )
            .unwrap();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_become_valid_distinct_beancount_names() {
        let cases = [
            ("HRW", "HRW"),
            ("SIK", "SIK"),
            ("PUB_HEALTH", "PUBuHEALTH"),
            ("PUB-HEALTH", "PUB-HEALTH"),
            ("2012", "2012"),
            ("_X", "XxuX"),
            ("-X", "Xx-X"),
            ("X-X", "X-X"),
            ("_", "Xxu"),
            ("-", "Xx-"),
            ("A__B", "AuuB"),
        ];
        for (code, want) in cases {
            assert_eq!(beancount_component(code), want, "{code}");
        }
        let written: Vec<String> = cases.iter().map(|(c, _)| beancount_component(c)).collect();
        let mut distinct = written.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), written.len(), "no two codes share a name");
        assert_eq!(
            beancount_account("Expenses:HRW:WLA:PUB_HEALTH"),
            "Expenses:HRW:WLA:PUBuHEALTH"
        );
    }
}
