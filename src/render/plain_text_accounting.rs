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
use crate::money::Money;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::BuildHasherDefault;

/// The commodity every amount is in.
const CURRENCY: &str = "GBP";

/// `HRW: invoice to BAR`, written onto `out`.
fn push_payee(out: &mut String, t: &Transaction) {
    let word = match t.side {
        Side::Issuer => " to ",
        Side::Payer => " from ",
    };
    out.push_str(&t.council);
    out.push_str(": ");
    for c in t.kind.title().chars() {
        out.extend(c.to_lowercase());
    }
    out.push_str(word);
    out.push_str(&t.counterparty);
}

/// One posting line: `INDENTaccount  amount GBP`, the account left-aligned in `account_width`
/// characters and the amount right-aligned in `amount_width` (as `{:<w$}` and `{:>w$}` pad).
fn push_posting(
    out: &mut String,
    indent: &str,
    account: &str,
    account_width: usize,
    amount: Money,
    amount_width: usize,
) {
    let pad = |out: &mut String, text: &str, width: usize| {
        let n = width.saturating_sub(text.chars().count());
        out.extend(std::iter::repeat_n(' ', n));
    };
    out.push_str(indent);
    out.push_str(account);
    pad(out, account, account_width);
    out.push_str("  ");
    let text = amount.text();
    pad(out, &text, amount_width);
    out.push_str(&text);
    out.push(' ');
    out.push_str(CURRENCY);
    out.push('\n');
}

/// Every default account posted to, with the first day it is used: one look-up a posting,
/// so that the journals declare and measure each account once, not once per posting.
type FirstUse<'t> = HashMap<&'t str, chrono::NaiveDate, BuildHasherDefault<QuickHash>>;

fn first_use(transactions: &[Transaction]) -> FirstUse<'_> {
    let mut first = FirstUse::default();
    for t in transactions {
        for p in &t.postings {
            let day = first.entry(p.default_account.as_str()).or_insert(t.date);
            *day = (*day).min(t.date);
        }
    }
    first
}

/// A quick hash for the account names of one run (the Fx hash of rustc): nothing here comes
/// from outside but codes already checked, and the map's order is never used.
#[derive(Default)]
struct QuickHash(u64);

impl std::hash::Hasher for QuickHash {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// `journal.ledger` and `journal.beancount` of the same transactions, made side by side
/// (on two threads), measuring the accounts once for both; each is handed to `each` with its
/// file name as soon as it is made.
pub fn both_journals<R: Send>(
    transactions: &[Transaction],
    each: impl Fn(&'static str, String) -> R + Sync,
) -> (R, R) {
    let first = first_use(transactions);
    rayon::join(
        || each("journal.ledger", ledger_journal_of(transactions, &first)),
        || {
            each(
                "journal.beancount",
                beancount_journal_of(transactions, &first),
            )
        },
    )
}

/// About how long the transactions' text is (to make room for it at once): a posting line
/// is its widths and a dozen characters, a transaction's first line about a hundred.
fn text_size(transactions: &[Transaction], widths: usize) -> usize {
    let postings: usize = transactions.iter().map(|t| t.postings.len()).sum();
    postings * (widths + 12) + transactions.len() * 100
}

/// The widest amount of any posting, as written.
fn amount_width(transactions: &[Transaction]) -> usize {
    transactions
        .iter()
        .flat_map(|t| &t.postings)
        .map(|p| p.amount.text().len())
        .max()
        .unwrap_or(0)
}

/// A date as `2013-04-30`, written once for a run of transactions on the same day.
struct Dates {
    last: Option<(chrono::NaiveDate, String)>,
}

impl Dates {
    fn text(&mut self, date: chrono::NaiveDate) -> &str {
        if self.last.as_ref().is_none_or(|(d, _)| *d != date) {
            self.last = Some((date, date.to_string()));
        }
        &self.last.as_ref().expect("set above").1
    }
}

/// `journal.ledger`: declared commodity and accounts (so `hledger check --strict` and
/// `ledger --pedantic` accept it), then the transactions in date and document order, each
/// with the document's number as its code.
pub fn ledger_journal(transactions: &[Transaction]) -> String {
    ledger_journal_of(transactions, &first_use(transactions))
}

fn ledger_journal_of(transactions: &[Transaction], first: &FirstUse) -> String {
    let mut out = String::from(
        "; The West London Alliance's documents posted in every council's ledger, written by accord.\n\
         ; One transaction per document and council side; amounts in GBP.\n\
         ; Try: hledger -f journal.ledger bal    or    ledger -f journal.ledger bal\n\n",
    );
    writeln!(out, "commodity {CURRENCY}\n").unwrap();
    let mut accounts: Vec<&str> = first.keys().copied().collect();
    accounts.sort_unstable();
    for account in &accounts {
        writeln!(out, "account {account}").unwrap();
    }
    let account_width = accounts.iter().map(|a| a.len()).max().unwrap_or(0);
    let amount_width = amount_width(transactions);
    out.reserve(text_size(transactions, account_width + amount_width));
    let mut dates = Dates { last: None };
    for t in transactions {
        out.push('\n');
        out.push_str(dates.text(t.date));
        out.push_str(" * (");
        out.push_str(&t.document);
        out.push_str(") ");
        push_payee(&mut out, t);
        out.push('\n');
        for p in &t.postings {
            push_posting(
                &mut out,
                "    ",
                &p.default_account,
                account_width,
                p.amount,
                amount_width,
            );
        }
    }
    out
}

/// One part of a beancount account name for a code (see the module's note).
pub fn beancount_component(code: &str) -> String {
    let mut written = String::new();
    push_beancount_component(&mut written, code);
    written
}

/// [`beancount_component`], written onto `out`.
fn push_beancount_component(out: &mut String, code: &str) {
    match code.chars().next() {
        Some(first) if first != '_' && (first.is_ascii_uppercase() || first.is_ascii_digit()) => {}
        _ => out.push_str("Xx"),
    }
    out.extend(code.chars().map(|c| if c == '_' { 'u' } else { c }));
}

/// A default account name with every part after the root made valid for beancount.
pub fn beancount_account(account: &str) -> String {
    let mut written = String::new();
    push_beancount_account(&mut written, account);
    written
}

/// [`beancount_account`], written onto `out`.
fn push_beancount_account(out: &mut String, account: &str) {
    let mut parts = account.split(':');
    out.push_str(parts.next().unwrap_or_default());
    for part in parts {
        out.push(':');
        push_beancount_component(out, part);
    }
}

/// `journal.beancount`: an `open` for every account on the day it is first used, then the
/// transactions, each linked to its document (`^WLA/2012-13/EAL/HRW`), so the issuer's and
/// the payer's sides of a document show together.
pub fn beancount_journal(transactions: &[Transaction]) -> String {
    beancount_journal_of(transactions, &first_use(transactions))
}

fn beancount_journal_of(transactions: &[Transaction], first: &FirstUse) -> String {
    let mut out = String::from(
        "; The West London Alliance's documents posted in every council's ledger, written by accord.\n\
         ; One transaction per document and council side; amounts in GBP.\n\
         ; Try: bean-check journal.beancount    or    fava journal.beancount\n\n",
    );
    out += "option \"title\" \"West London Alliance: every council's postings\"\n";
    writeln!(out, "option \"operating_currency\" \"{CURRENCY}\"\n").unwrap();
    let mut opens: Vec<(chrono::NaiveDate, String)> = first
        .iter()
        .map(|(account, day)| (*day, beancount_account(account)))
        .collect();
    opens.sort_unstable();
    for (date, account) in &opens {
        writeln!(out, "{date} open {account} {CURRENCY}").unwrap();
    }
    let account_width = opens.iter().map(|(_, a)| a.len()).max().unwrap_or(0);
    let amount_width = amount_width(transactions);
    out.reserve(text_size(transactions, account_width + amount_width));
    let mut dates = Dates { last: None };
    let mut name = String::new();
    for t in transactions {
        out.push('\n');
        out.push_str(dates.text(t.date));
        out.push_str(" * \"");
        out.push_str(&t.council);
        out.push_str("\" \"");
        push_payee(&mut out, t);
        out.push_str("\" ^");
        out.push_str(&t.document);
        out.push('\n');
        for p in &t.postings {
            name.clear();
            push_beancount_account(&mut name, &p.default_account);
            push_posting(&mut out, "  ", &name, account_width, p.amount, amount_width);
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
