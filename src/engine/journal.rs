//! Each document posted in both councils' ledgers (SPEC §7): the payer debits its expense for
//! each programme and credits what it owes the issuer; the issuer debits what the payer owes
//! it and credits its recharge income for each programme. One transaction per document and
//! side, each balancing. A negative line (every line of a credit note) posts reversed: the
//! same accounts, debit and credit swapped.

use super::documents::{Document, DocumentKind};
use crate::model::{Account, AccountRole};
use crate::money::Money;
use chrono::NaiveDate;

/// Which side of a document a council's transaction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    Issuer,
    Payer,
}

/// One line of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub role: AccountRole,
    /// The programme (or `SIK`) for an expense or income posting.
    pub programme: Option<String>,
    /// The account from the book's `accounts` table, or the default.
    pub account: String,
    /// The default account name (SPEC §7), used in the plain-text accounting journals.
    pub default_account: String,
    /// Positive for a debit, negative for a credit.
    pub amount: Money,
}

impl Posting {
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
}

/// One council's transaction for one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    pub date: NaiveDate,
    pub document: String,
    pub kind: DocumentKind,
    /// Whose ledger it is in.
    pub council: String,
    pub side: Side,
    /// The other council of the document.
    pub counterparty: String,
    pub postings: Vec<Posting>,
}

/// The default account names of SPEC §7.
pub fn default_account(
    role: AccountRole,
    council: &str,
    programme: &str,
    counterparty: &str,
) -> String {
    match role {
        AccountRole::Expense => format!("Expenses:{council}:WLA:{programme}"),
        AccountRole::Income => format!("Income:{council}:WLA:{programme}"),
        AccountRole::Receivable => format!("Assets:{council}:Receivable:{counterparty}"),
        AccountRole::Payable => format!("Liabilities:{council}:Payable:{counterparty}"),
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
    account_row(accounts, role, council, programme).map_or_else(
        || default_account(role, council, programme, counterparty),
        |a| a.account.clone(),
    )
}

/// The `accounts` row [`account_for`] takes, if any.
fn account_row<'a>(
    accounts: &'a [Account],
    role: AccountRole,
    council: &str,
    programme: &str,
) -> Option<&'a Account> {
    let mine = |wanted: Option<&str>| {
        accounts
            .iter()
            .find(|a| a.council == council && a.role == role && a.programme.as_deref() == wanted)
    };
    match role {
        AccountRole::Expense | AccountRole::Income => mine(Some(programme)).or_else(|| mine(None)),
        AccountRole::Receivable | AccountRole::Payable => mine(None),
    }
}

fn posting(
    accounts: &[Account],
    role: AccountRole,
    council: &str,
    programme: Option<&str>,
    counterparty: &str,
    amount: Money,
) -> Posting {
    let p = programme.unwrap_or("");
    // The default is written once; the account is a copy of it when the book has no row.
    let default_account = default_account(role, council, p, counterparty);
    let account = account_row(accounts, role, council, p)
        .map_or_else(|| default_account.clone(), |a| a.account.clone());
    Posting {
        role,
        programme: programme.map(str::to_string),
        account,
        default_account,
        amount,
    }
}

/// Both sides of every document, in the documents' order, the issuer's transaction first.
pub fn transactions(documents: &[Document], accounts: &[Account]) -> Vec<Transaction> {
    let mut out = Vec::with_capacity(documents.len() * 2);
    for d in documents {
        let total = d.total();
        let mut issuer = vec![posting(
            accounts,
            AccountRole::Receivable,
            &d.issuer,
            None,
            &d.payer,
            total,
        )];
        let mut payer = Vec::new();
        for line in &d.lines {
            issuer.push(posting(
                accounts,
                AccountRole::Income,
                &d.issuer,
                Some(&line.programme),
                &d.payer,
                -line.amount,
            ));
            payer.push(posting(
                accounts,
                AccountRole::Expense,
                &d.payer,
                Some(&line.programme),
                &d.issuer,
                line.amount,
            ));
        }
        payer.push(posting(
            accounts,
            AccountRole::Payable,
            &d.payer,
            None,
            &d.issuer,
            -total,
        ));
        for (council, side, counterparty, postings) in [
            (&d.issuer, Side::Issuer, &d.payer, issuer),
            (&d.payer, Side::Payer, &d.issuer, payer),
        ] {
            let balance: Money = postings.iter().map(|p| p.amount).sum();
            assert!(balance.is_zero(), "{} does not balance", d.number);
            out.push(Transaction {
                date: d.date,
                document: d.number.clone(),
                kind: d.kind,
                council: council.clone(),
                side,
                counterparty: counterparty.clone(),
                postings,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Place;
    use crate::engine::documents::DocumentLine;
    use crate::values::Year;

    fn document(kind: DocumentKind, lines: &[(&str, i128)]) -> Document {
        Document {
            number: "WLA/2013-14/EAL/HRW".into(),
            kind,
            date: NaiveDate::from_ymd_opt(2013, 4, 30).unwrap(),
            year: Year(2013),
            issuer: "EAL".into(),
            payer: "HRW".into(),
            lines: lines
                .iter()
                .map(|(p, pence)| DocumentLine {
                    programme: p.to_string(),
                    amount: Money::from_pence(*pence),
                })
                .collect(),
        }
    }

    /// (council, account, debit pence, credit pence) of every posting.
    fn postings(transactions: &[Transaction]) -> Vec<(String, String, i128, i128)> {
        transactions
            .iter()
            .flat_map(|t| {
                t.postings.iter().map(|p| {
                    (
                        t.council.clone(),
                        p.account.clone(),
                        p.debit().pence(),
                        p.credit().pence(),
                    )
                })
            })
            .collect()
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
            let got = postings(&transactions(&[document(*kind, lines)], &[]));
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
    }
}
