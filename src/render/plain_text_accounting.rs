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

use crate::engine::journal::{DefaultAccount, Side, Transaction, Transactions};
use crate::fx_hash::FxMap;
use crate::money::Money;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The commodity every amount is in.
const CURRENCY: &str = "GBP";

/// How much of a journal's text is gathered before it is handed on (the journals of a large
/// book are tens of megabytes; they are never held whole).
const PIECE: usize = 1 << 18;

/// `HRW: invoice to BAR`, written onto `out`.
fn push_payee(out: &mut String, t: &Transaction) {
    let word = match t.side {
        Side::Issuer => " to ",
        Side::Payer => " from ",
    };
    out.push_str(t.council());
    out.push_str(": ");
    for c in t.kind().title().chars() {
        out.extend(c.to_lowercase());
    }
    out.push_str(word);
    out.push_str(t.counterparty());
}

/// Pads what was written onto `out` since `start` with spaces to `width` characters (as
/// `{:<w$}` pads).
fn pad_from(out: &mut String, start: usize, width: usize) {
    let n = width.saturating_sub(out[start..].chars().count());
    out.extend(std::iter::repeat_n(' ', n));
}

/// One posting line: `INDENTaccount  amount GBP`, the account (written by `account`)
/// left-aligned in `account_width` characters and the amount right-aligned in `amount_width`
/// (as `{:<w$}` and `{:>w$}` pad).
fn push_posting(
    out: &mut String,
    indent: &str,
    account: impl FnOnce(&mut String),
    account_width: usize,
    amount: Money,
    amount_width: usize,
) {
    out.push_str(indent);
    let start = out.len();
    account(out);
    pad_from(out, start, account_width);
    out.push_str("  ");
    let text = amount.text();
    let n = amount_width.saturating_sub(text.chars().count());
    out.extend(std::iter::repeat_n(' ', n));
    out.push_str(&text);
    out.push(' ');
    out.push_str(CURRENCY);
    out.push('\n');
}

/// What both journals measure before they are written: every default account posted to,
/// with the first day it is used (one look-up a posting, so that the journals declare and
/// measure each account once, not once per posting), and the widest amount as written.
pub struct Measure<'t> {
    first: FirstUse<'t>,
    amount_width: usize,
}

type FirstUse<'t> = FxMap<DefaultAccount<'t>, chrono::NaiveDate>;

impl<'t> Measure<'t> {
    pub fn of(transactions: &'t Transactions<'t>) -> Measure<'t> {
        let mut first = FirstUse::default();
        let mut amount_width = 0;
        for t in transactions.iter() {
            let date = t.date();
            for p in t.postings() {
                let day = first.entry(p.default_account).or_insert(date);
                *day = (*day).min(date);
                amount_width = amount_width.max(p.amount.text().len());
            }
        }
        Measure {
            first,
            amount_width,
        }
    }
}

/// A journal's text written in pieces: gathered, and handed to `to` each time it passes
/// `piece` bytes, and at the end.
struct Pieces<'w> {
    text: String,
    to: &'w mut dyn Write,
    piece: usize,
}

impl Pieces<'_> {
    fn new(to: &mut dyn Write, piece: usize) -> Pieces<'_> {
        Pieces {
            text: String::with_capacity(piece + piece / 4),
            to,
            piece,
        }
    }

    /// Hands the text on once there is a piece's worth.
    fn check(&mut self) -> io::Result<()> {
        if self.text.len() >= self.piece {
            self.to.write_all(self.text.as_bytes())?;
            self.text.clear();
        }
        Ok(())
    }

    fn finish(self) -> io::Result<()> {
        self.to.write_all(self.text.as_bytes())
    }
}

/// `journal.ledger` and `journal.beancount` of the same transactions, made side by side
/// (on two threads), measured once for both; each is written in pieces to the writer `open`
/// gives for its file name, which `close` then finishes.
pub fn both_journals<W: Write + Send>(
    transactions: &Transactions,
    open: impl Fn(&'static str) -> io::Result<W> + Sync,
    close: impl Fn(W) -> io::Result<()> + Sync,
) -> io::Result<()> {
    let measure = Measure::of(transactions);
    let write =
        |name: &'static str,
         journal: fn(&Transactions, &Measure, &mut dyn Write, usize) -> io::Result<()>| {
            let mut w = open(name)?;
            journal(transactions, &measure, &mut w, PIECE)?;
            close(w)
        };
    let (ledger, beancount) = rayon::join(
        || write("journal.ledger", ledger_journal_into),
        || write("journal.beancount", beancount_journal_into),
    );
    ledger.and(beancount)
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
#[cfg(test)]
pub fn ledger_journal(transactions: &Transactions) -> String {
    in_memory(transactions, ledger_journal_into)
}

/// [`ledger_journal`], written to `to` in pieces of about `piece` bytes.
fn ledger_journal_into(
    transactions: &Transactions,
    measure: &Measure,
    to: &mut dyn Write,
    piece: usize,
) -> io::Result<()> {
    let mut out = Pieces::new(to, piece);
    out.text.push_str(
        "; The West London Alliance's documents posted in every council's ledger, written by accord.\n\
         ; One transaction per document and council side; amounts in GBP.\n\
         ; Try: hledger -f journal.ledger bal    or    ledger -f journal.ledger bal\n\n",
    );
    writeln!(out.text, "commodity {CURRENCY}\n").unwrap();
    let mut accounts: Vec<String> = measure.first.keys().map(|a| a.to_string()).collect();
    accounts.sort_unstable();
    let account_width = accounts.iter().map(|a| a.len()).max().unwrap_or(0);
    for account in &accounts {
        writeln!(out.text, "account {account}").unwrap();
        out.check()?;
    }
    drop(accounts);
    let amount_width = measure.amount_width;
    let mut dates = Dates { last: None };
    for t in transactions.iter() {
        let text = &mut out.text;
        text.push('\n');
        text.push_str(dates.text(t.date()));
        text.push_str(" * (");
        text.push_str(t.number());
        text.push_str(") ");
        push_payee(text, &t);
        text.push('\n');
        for p in t.postings() {
            push_posting(
                text,
                "    ",
                |out| p.default_account.push_to(out),
                account_width,
                p.amount,
                amount_width,
            );
        }
        out.check()?;
    }
    out.finish()
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

/// [`beancount_account`] of a default account, written onto `out`.
fn push_beancount_default(out: &mut String, account: &DefaultAccount) {
    let [root, parts @ ..] = account.parts();
    out.push_str(root);
    for part in parts {
        out.push(':');
        push_beancount_component(out, part);
    }
}

/// `journal.beancount`: an `open` for every account on the day it is first used, then the
/// transactions, each linked to its document (`^WLA/2012-13/EAL/HRW`), so the issuer's and
/// the payer's sides of a document show together.
#[cfg(test)]
pub fn beancount_journal(transactions: &Transactions) -> String {
    in_memory(transactions, beancount_journal_into)
}

#[cfg(test)]
/// A journal written by `write` into one `String`.
fn in_memory(
    transactions: &Transactions,
    write: fn(&Transactions, &Measure, &mut dyn Write, usize) -> io::Result<()>,
) -> String {
    let mut text = Vec::new();
    write(transactions, &Measure::of(transactions), &mut text, PIECE).expect("writing to memory");
    String::from_utf8(text).expect("the journal is text")
}

/// [`beancount_journal`], written to `to` in pieces of about `piece` bytes.
fn beancount_journal_into(
    transactions: &Transactions,
    measure: &Measure,
    to: &mut dyn Write,
    piece: usize,
) -> io::Result<()> {
    let mut out = Pieces::new(to, piece);
    out.text.push_str(
        "; The West London Alliance's documents posted in every council's ledger, written by accord.\n\
         ; One transaction per document and council side; amounts in GBP.\n\
         ; Try: bean-check journal.beancount    or    fava journal.beancount\n\n",
    );
    out.text += "option \"title\" \"West London Alliance: every council's postings\"\n";
    writeln!(out.text, "option \"operating_currency\" \"{CURRENCY}\"\n").unwrap();
    let mut opens: Vec<(chrono::NaiveDate, String)> = measure
        .first
        .iter()
        .map(|(account, day)| {
            let mut name = String::new();
            push_beancount_default(&mut name, account);
            (*day, name)
        })
        .collect();
    opens.sort_unstable();
    let account_width = opens.iter().map(|(_, a)| a.len()).max().unwrap_or(0);
    for (date, account) in &opens {
        writeln!(out.text, "{date} open {account} {CURRENCY}").unwrap();
        out.check()?;
    }
    drop(opens);
    let amount_width = measure.amount_width;
    let mut dates = Dates { last: None };
    for t in transactions.iter() {
        let text = &mut out.text;
        text.push('\n');
        text.push_str(dates.text(t.date()));
        text.push_str(" * \"");
        text.push_str(t.council());
        text.push_str("\" \"");
        push_payee(text, &t);
        text.push_str("\" ^");
        text.push_str(t.number());
        text.push('\n');
        for p in t.postings() {
            push_posting(
                text,
                "  ",
                |out| push_beancount_default(out, &p.default_account),
                account_width,
                p.amount,
                amount_width,
            );
        }
        out.check()?;
    }
    out.finish()
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

    /// An engine document (its year, issuer and payer read from its number) with its lines.
    fn document(
        number: &str,
        kind: crate::model::DocumentKind,
        lines: &[(&str, i128)],
    ) -> crate::engine::Document {
        let parts: Vec<&str> = number.split('/').collect();
        crate::engine::Document {
            kind,
            number: number.into(),
            year: crate::values::Year(parts[1][..4].parse().unwrap()),
            issuer: parts[2].into(),
            payer: parts[3].into(),
            adjusts: None,
            lines: lines
                .iter()
                .map(|(p, pence)| crate::engine::DocumentLine {
                    programme: p.to_string().into(),
                    amount: Money::from_pence(*pence),
                    before: Money::ZERO,
                    now: Money::from_pence(*pence),
                })
                .collect(),
            issued_on: None,
        }
    }

    #[test]
    fn the_journals_are_the_same_whatever_the_pieces() {
        use crate::engine::documents::Document;
        use crate::model::DocumentKind;
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(2013, m, d).unwrap();
        let engine = [
            document(
                "WLA/2013-14/EAL/HRW",
                DocumentKind::Invoice,
                &[("ADULTS", 100_000), ("PUB_HEALTH", 2_550)],
            ),
            document(
                "WLA/2013-14/EAL/HRW/2",
                DocumentKind::CreditNote,
                &[("ADULTS", -300)],
            ),
        ];
        let posted = [
            Document::of(&engine[0], day(4, 30)),
            Document::of(&engine[1], day(6, 1)),
        ];
        let transactions = Transactions::new(&posted, &[]);
        let ledger = ledger_journal(&transactions);
        let beancount = beancount_journal(&transactions);
        let measure = Measure::of(&transactions);
        for piece in [1, 10, 100] {
            let mut text = Vec::new();
            ledger_journal_into(&transactions, &measure, &mut text, piece).unwrap();
            assert_eq!(
                String::from_utf8(text).unwrap(),
                ledger,
                "ledger, pieces of {piece}"
            );
            let mut text = Vec::new();
            beancount_journal_into(&transactions, &measure, &mut text, piece).unwrap();
            assert_eq!(
                String::from_utf8(text).unwrap(),
                beancount,
                "beancount, pieces of {piece}"
            );
        }
        let ledger_body = &ledger[ledger.find("commodity").unwrap()..];
        assert_eq!(
            ledger_body,
            "commodity GBP\n\n\
             account Assets:EAL:Receivable:HRW\n\
             account Expenses:HRW:WLA:ADULTS\n\
             account Expenses:HRW:WLA:PUB_HEALTH\n\
             account Income:EAL:WLA:ADULTS\n\
             account Income:EAL:WLA:PUB_HEALTH\n\
             account Liabilities:HRW:Payable:EAL\n\
             \n2013-04-30 * (WLA/2013-14/EAL/HRW) EAL: invoice to HRW\n\
             \x20   Assets:EAL:Receivable:HRW     1025.50 GBP\n\
             \x20   Income:EAL:WLA:ADULTS        -1000.00 GBP\n\
             \x20   Income:EAL:WLA:PUB_HEALTH      -25.50 GBP\n\
             \n2013-04-30 * (WLA/2013-14/EAL/HRW) HRW: invoice from EAL\n\
             \x20   Expenses:HRW:WLA:ADULTS       1000.00 GBP\n\
             \x20   Expenses:HRW:WLA:PUB_HEALTH     25.50 GBP\n\
             \x20   Liabilities:HRW:Payable:EAL  -1025.50 GBP\n\
             \n2013-06-01 * (WLA/2013-14/EAL/HRW/2) EAL: credit note to HRW\n\
             \x20   Assets:EAL:Receivable:HRW       -3.00 GBP\n\
             \x20   Income:EAL:WLA:ADULTS            3.00 GBP\n\
             \n2013-06-01 * (WLA/2013-14/EAL/HRW/2) HRW: credit note from EAL\n\
             \x20   Expenses:HRW:WLA:ADULTS         -3.00 GBP\n\
             \x20   Liabilities:HRW:Payable:EAL      3.00 GBP\n"
        );
        let beancount_body = &beancount[beancount.find("option \"operating").unwrap()..];
        assert_eq!(
            beancount_body,
            "option \"operating_currency\" \"GBP\"\n\n\
             2013-04-30 open Assets:EAL:Receivable:HRW GBP\n\
             2013-04-30 open Expenses:HRW:WLA:ADULTS GBP\n\
             2013-04-30 open Expenses:HRW:WLA:PUBuHEALTH GBP\n\
             2013-04-30 open Income:EAL:WLA:ADULTS GBP\n\
             2013-04-30 open Income:EAL:WLA:PUBuHEALTH GBP\n\
             2013-04-30 open Liabilities:HRW:Payable:EAL GBP\n\
             \n2013-04-30 * \"EAL\" \"EAL: invoice to HRW\" ^WLA/2013-14/EAL/HRW\n\
             \x20 Assets:EAL:Receivable:HRW     1025.50 GBP\n\
             \x20 Income:EAL:WLA:ADULTS        -1000.00 GBP\n\
             \x20 Income:EAL:WLA:PUBuHEALTH      -25.50 GBP\n\
             \n2013-04-30 * \"HRW\" \"HRW: invoice from EAL\" ^WLA/2013-14/EAL/HRW\n\
             \x20 Expenses:HRW:WLA:ADULTS       1000.00 GBP\n\
             \x20 Expenses:HRW:WLA:PUBuHEALTH     25.50 GBP\n\
             \x20 Liabilities:HRW:Payable:EAL  -1025.50 GBP\n\
             \n2013-06-01 * \"EAL\" \"EAL: credit note to HRW\" ^WLA/2013-14/EAL/HRW/2\n\
             \x20 Assets:EAL:Receivable:HRW       -3.00 GBP\n\
             \x20 Income:EAL:WLA:ADULTS            3.00 GBP\n\
             \n2013-06-01 * \"HRW\" \"HRW: credit note from EAL\" ^WLA/2013-14/EAL/HRW/2\n\
             \x20 Expenses:HRW:WLA:ADULTS         -3.00 GBP\n\
             \x20 Liabilities:HRW:Payable:EAL      3.00 GBP\n"
        );
    }
}
