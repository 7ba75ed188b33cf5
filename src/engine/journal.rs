//! Each document posted in both councils' ledgers (SPEC §7): the payer debits its expense for
//! each programme and credits what it owes the issuer; the issuer debits what the payer owes
//! it and credits its recharge income for each programme. One transaction per document and
//! side, each balancing. A negative line (every line of a credit note) posts reversed: the
//! same accounts, debit and credit swapped.
//!
//! Nothing is copied: a transaction is a document and a side, and its postings are worked out
//! from the document's lines each time they are read, borrowing the codes (a large book has
//! hundreds of thousands of postings; the journals read them once or twice each).

use super::documents::{Document, DocumentKind};
use crate::model::{Account, AccountRole};
use crate::money::Money;
use chrono::NaiveDate;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// Which side of a document a council's transaction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    Issuer,
    Payer,
}

/// One line of a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting<'a> {
    pub role: AccountRole,
    /// The programme (or `SIK`) for an expense or income posting.
    pub programme: Option<&'a str>,
    /// The account from the book's `accounts` table; `None` for the default.
    pub book_account: Option<&'a str>,
    /// The default account name (SPEC §7), used in the plain-text accounting journals.
    pub default_account: DefaultAccount<'a>,
    /// Positive for a debit, negative for a credit.
    pub amount: Money,
}

impl<'a> Posting<'a> {
    pub fn debit(&self) -> Money {
        if self.amount.is_negative() {
            Money::ZERO
        } else {
            self.amount
        }
    }

    pub fn credit(&self) -> Money {
        if self.amount.is_negative() {
            -self.amount
        } else {
            Money::ZERO
        }
    }

    /// The account posted to: the book's, else the default.
    pub fn account(&self) -> Cow<'a, str> {
        match self.book_account {
            Some(account) => account.into(),
            None => self.default_account.to_string().into(),
        }
    }
}

/// A default account name of SPEC §7, by its parts: `Expenses:HRW:WLA:ADULTS`,
/// `Income:EAL:WLA:ADULTS`, `Assets:EAL:Receivable:HRW`, `Liabilities:HRW:Payable:EAL`.
/// Codes hold no `:`, so two accounts have the same name only when they are the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DefaultAccount<'a> {
    pub role: AccountRole,
    /// Whose account it is.
    pub council: &'a str,
    /// The programme of an expense or income account, the counterparty of the others.
    pub other: &'a str,
}

impl<'a> DefaultAccount<'a> {
    /// The name's four parts, between colons.
    pub fn parts(&self) -> [&'a str; 4] {
        match self.role {
            AccountRole::Expense => ["Expenses", self.council, "WLA", self.other],
            AccountRole::Income => ["Income", self.council, "WLA", self.other],
            AccountRole::Receivable => ["Assets", self.council, "Receivable", self.other],
            AccountRole::Payable => ["Liabilities", self.council, "Payable", self.other],
        }
    }

    /// The name, written onto `out`.
    pub fn push_to(&self, out: &mut String) {
        let [a, b, c, d] = self.parts();
        for (i, part) in [a, b, c, d].into_iter().enumerate() {
            if i > 0 {
                out.push(':');
            }
            out.push_str(part);
        }
    }
}

impl fmt::Display for DefaultAccount<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let [a, b, c, d] = self.parts();
        write!(f, "{a}:{b}:{c}:{d}")
    }
}

/// The default account names of SPEC §7.
pub fn default_account(
    role: AccountRole,
    council: &str,
    programme: &str,
    counterparty: &str,
) -> String {
    let other = match role {
        AccountRole::Expense | AccountRole::Income => programme,
        AccountRole::Receivable | AccountRole::Payable => counterparty,
    };
    DefaultAccount {
        role,
        council,
        other,
    }
    .to_string()
}

/// The book's `accounts` rows by council, role and programme (the first row of each), so
/// that a posting finds its account in one look-up rather than a search of the table.
#[derive(Debug, Clone, Default)]
pub struct AccountIndex<'a>(HashMap<(&'a str, AccountRole, Option<&'a str>), &'a str>);

impl<'a> AccountIndex<'a> {
    pub fn new(accounts: &'a [Account]) -> AccountIndex<'a> {
        let mut index = HashMap::new();
        for a in accounts {
            index
                .entry((a.council.as_str(), a.role, a.programme.as_deref()))
                .or_insert(a.account.as_str());
        }
        AccountIndex(index)
    }

    /// The account `council` posts `role` to, from the book: its row for that programme, else
    /// its row for every programme (blank programme); `None` when it has neither.
    pub fn account(&self, role: AccountRole, council: &str, programme: &str) -> Option<&'a str> {
        if self.0.is_empty() {
            return None;
        }
        let mine = |wanted: Option<&str>| self.0.get(&(council, role, wanted)).copied();
        match role {
            AccountRole::Expense | AccountRole::Income => {
                mine(Some(programme)).or_else(|| mine(None))
            }
            AccountRole::Receivable | AccountRole::Payable => mine(None),
        }
    }
}

/// The account `council` posts `role` to: its `accounts` row for that programme, else its row
/// for every programme (blank programme), else the default.
pub fn account_for(
    accounts: &[Account],
    role: AccountRole,
    council: &str,
    programme: &str,
    counterparty: &str,
) -> String {
    AccountIndex::new(accounts)
        .account(role, council, programme)
        .map_or_else(
            || default_account(role, council, programme, counterparty),
            str::to_string,
        )
}

/// Both sides of every document, in the documents' order, the issuer's transaction first:
/// transaction `i` is side `i % 2` of document `i / 2`.
pub struct Transactions<'a> {
    documents: &'a [Document<'a>],
    accounts: AccountIndex<'a>,
}

impl<'a> Transactions<'a> {
    pub fn new(documents: &'a [Document<'a>], accounts: &'a [Account]) -> Transactions<'a> {
        Transactions {
            documents,
            accounts: AccountIndex::new(accounts),
        }
    }

    pub fn len(&self) -> usize {
        self.documents.len() * 2
    }

    /// The documents posted, in order: transaction `i` is side `i % 2` of document `i / 2`.
    pub fn documents(&self) -> &'a [Document<'a>] {
        self.documents
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// Transaction `i` (see [`Transactions`]).
    pub fn get(&self, i: usize) -> Transaction<'_> {
        Transaction {
            document: &self.documents[i / 2],
            side: if i.is_multiple_of(2) {
                Side::Issuer
            } else {
                Side::Payer
            },
            accounts: &self.accounts,
        }
    }

    /// Every transaction, in order.
    pub fn iter(&self) -> impl Iterator<Item = Transaction<'_>> + Clone + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// One council's transaction for one document.
#[derive(Debug, Clone, Copy)]
pub struct Transaction<'a> {
    pub document: &'a Document<'a>,
    pub side: Side,
    accounts: &'a AccountIndex<'a>,
}

impl<'a> Transaction<'a> {
    pub fn date(&self) -> NaiveDate {
        self.document.date
    }

    pub fn number(&self) -> &'a str {
        self.document.number()
    }

    pub fn kind(&self) -> DocumentKind {
        self.document.kind()
    }

    /// Whose ledger it is in.
    pub fn council(&self) -> &'a str {
        match self.side {
            Side::Issuer => self.document.issuer(),
            Side::Payer => self.document.payer(),
        }
    }

    /// The other council of the document.
    pub fn counterparty(&self) -> &'a str {
        match self.side {
            Side::Issuer => self.document.payer(),
            Side::Payer => self.document.issuer(),
        }
    }

    /// Its postings, balancing: the issuer's receivable (the document's total) then its
    /// income for each line; the payer's expense for each line then its payable (the total).
    pub fn postings(&self) -> impl Iterator<Item = Posting<'a>> + 'a {
        let (council, counterparty) = (self.council(), self.counterparty());
        let accounts = self.accounts;
        let posting = move |role, programme: Option<&'a str>, amount| {
            let other = programme.unwrap_or(counterparty);
            Posting {
                role,
                programme,
                book_account: accounts.account(role, council, programme.unwrap_or("")),
                default_account: DefaultAccount {
                    role,
                    council,
                    other,
                },
                amount,
            }
        };
        let total = self.document.total();
        let (first, line_role, sign, last) = match self.side {
            Side::Issuer => (
                Some(posting(AccountRole::Receivable, None, total)),
                AccountRole::Income,
                -1,
                None,
            ),
            Side::Payer => (
                None,
                AccountRole::Expense,
                1,
                Some(posting(AccountRole::Payable, None, -total)),
            ),
        };
        first
            .into_iter()
            .chain(self.document.lines().map(move |l| {
                let amount = if sign < 0 { -l.amount } else { l.amount };
                posting(line_role, Some(l.programme), amount)
            }))
            .chain(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Place;
    use crate::values::Year;

    fn document(kind: DocumentKind, lines: &[(&str, i128)]) -> crate::engine::Document {
        crate::engine::Document {
            number: "WLA/2013-14/EAL/HRW".into(),
            kind,
            year: Year(2013),
            issuer: "EAL".into(),
            payer: "HRW".into(),
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

    /// A posting as the tests see it: council, account, debit pence, credit pence.
    type Shown = (String, String, i128, i128);

    /// Every posting of `document`'s transactions, with the book's `accounts`; and each
    /// transaction's balance.
    fn postings(
        document: &crate::engine::Document,
        accounts: &[Account],
    ) -> (Vec<Shown>, Vec<Money>) {
        let posted = [Document::of(
            document,
            NaiveDate::from_ymd_opt(2013, 4, 30).unwrap(),
        )];
        let transactions = Transactions::new(&posted, accounts);
        let rows = transactions
            .iter()
            .flat_map(|t| {
                t.postings().map(move |p| {
                    (
                        t.council().to_string(),
                        p.account().into_owned(),
                        p.debit().pence(),
                        p.credit().pence(),
                    )
                })
            })
            .collect();
        let balances = transactions
            .iter()
            .map(|t| t.postings().map(|p| p.amount).sum())
            .collect();
        (rows, balances)
    }

    #[test]
    fn each_side_posts_and_balances() {
        /// A document's kind and lines, and the postings wanted: council, account, debit, credit.
        type Case<'a> = (
            DocumentKind,
            &'a [(&'a str, i128)],
            &'a [(&'a str, &'a str, i128, i128)],
        );
        let cases: &[Case] = &[
            (
                DocumentKind::Invoice,
                &[("ADULTS", 1000), ("OFFICE", 250)],
                &[
                    ("EAL", "Assets:EAL:Receivable:HRW", 1250, 0),
                    ("EAL", "Income:EAL:WLA:ADULTS", 0, 1000),
                    ("EAL", "Income:EAL:WLA:OFFICE", 0, 250),
                    ("HRW", "Expenses:HRW:WLA:ADULTS", 1000, 0),
                    ("HRW", "Expenses:HRW:WLA:OFFICE", 250, 0),
                    ("HRW", "Liabilities:HRW:Payable:EAL", 0, 1250),
                ],
            ),
            (
                DocumentKind::CreditNote,
                &[("SIK", -300)],
                &[
                    ("EAL", "Assets:EAL:Receivable:HRW", 0, 300),
                    ("EAL", "Income:EAL:WLA:SIK", 300, 0),
                    ("HRW", "Expenses:HRW:WLA:SIK", 0, 300),
                    ("HRW", "Liabilities:HRW:Payable:EAL", 300, 0),
                ],
            ),
            (
                DocumentKind::Invoice,
                &[("ADULTS", 500), ("CHILDREN", -200)],
                &[
                    ("EAL", "Assets:EAL:Receivable:HRW", 300, 0),
                    ("EAL", "Income:EAL:WLA:ADULTS", 0, 500),
                    ("EAL", "Income:EAL:WLA:CHILDREN", 200, 0),
                    ("HRW", "Expenses:HRW:WLA:ADULTS", 500, 0),
                    ("HRW", "Expenses:HRW:WLA:CHILDREN", 0, 200),
                    ("HRW", "Liabilities:HRW:Payable:EAL", 0, 300),
                ],
            ),
        ];
        for (kind, lines, expected) in cases {
            let (got, balances) = postings(&document(*kind, lines), &[]);
            assert_eq!(balances, [Money::ZERO; 2], "{kind:?} {lines:?} balances");
            let want: Vec<(String, String, i128, i128)> = expected
                .iter()
                .map(|(c, a, d, k)| (c.to_string(), a.to_string(), *d, *k))
                .collect();
            assert_eq!(got, want, "{kind:?} {lines:?}");
        }
    }

    #[test]
    fn accounts_rows_replace_the_defaults() {
        let account = |council: &str, role, programme: Option<&str>, code: &str| Account {
            council: council.into(),
            role,
            programme: programme.map(str::to_string),
            account: code.into(),
            place: Place::File {
                file: "accounts.csv".into(),
            },
        };
        let accounts = [
            account("HRW", AccountRole::Expense, Some("ADULTS"), "5101"),
            account("HRW", AccountRole::Expense, None, "5100"),
            account("HRW", AccountRole::Payable, None, "2100"),
            account("EAL", AccountRole::Receivable, None, "1200"),
        ];
        let cases: &[(AccountRole, &str, &str, &str, &str)] = &[
            (AccountRole::Expense, "HRW", "ADULTS", "EAL", "5101"),
            (AccountRole::Expense, "HRW", "OFFICE", "EAL", "5100"),
            (AccountRole::Payable, "HRW", "", "EAL", "2100"),
            (AccountRole::Receivable, "EAL", "", "HRW", "1200"),
            (
                AccountRole::Income,
                "EAL",
                "ADULTS",
                "HRW",
                "Income:EAL:WLA:ADULTS",
            ),
            (
                AccountRole::Expense,
                "BAR",
                "ADULTS",
                "EAL",
                "Expenses:BAR:WLA:ADULTS",
            ),
        ];
        for (role, council, programme, counterparty, want) in cases {
            assert_eq!(
                account_for(&accounts, *role, council, programme, counterparty),
                *want,
                "{council} {role:?} {programme}"
            );
        }
        let (got, _) = postings(
            &document(DocumentKind::Invoice, &[("ADULTS", 100), ("OFFICE", 50)]),
            &accounts,
        );
        let accounts_used: Vec<(&str, &str)> = got
            .iter()
            .map(|(c, a, _, _)| (c.as_str(), a.as_str()))
            .collect();
        assert_eq!(
            accounts_used,
            [
                ("EAL", "1200"),
                ("EAL", "Income:EAL:WLA:ADULTS"),
                ("EAL", "Income:EAL:WLA:OFFICE"),
                ("HRW", "5101"),
                ("HRW", "5100"),
                ("HRW", "2100"),
            ]
        );
    }
}
