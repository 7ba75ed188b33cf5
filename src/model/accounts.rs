//! The optional `accounts` table (SPEC §7): each council's own account codes for the
//! postings accord writes in its journal. Read here and checked against the councils and
//! programmes, so that every row the engine sees names a real council, role and programme,
//! once.

use super::load::read_table;
use super::{Account, AccountRole, Book};
use crate::book::RawBook;
use crate::diag::{quoted, Diagnostics, Place};
use std::collections::BTreeMap;

/// An `accounts` row as read, before it is checked against the book.
pub(super) struct AccountRow {
    pub council: String,
    pub role: AccountRole,
    pub programme: Option<String>,
    pub account: String,
    pub council_place: Place,
    pub programme_place: Place,
    pub account_place: Place,
    pub place: Place,
}

const ROLES: [(&str, AccountRole); 4] = [
    ("expense", AccountRole::Expense),
    ("income", AccountRole::Income),
    ("receivable", AccountRole::Receivable),
    ("payable", AccountRole::Payable),
];

/// Reads the `accounts` table's rows (none when the book has no such table).
pub(super) fn read(raw: &RawBook, diags: &mut Diagnostics) -> Vec<AccountRow> {
    let mut rows = Vec::new();
    read_table(raw, "accounts", diags, |r| {
        let council = r.code("council", true);
        let role_given = r.text("role").is_some();
        let role = r.choice("role", &ROLES, AccountRole::Expense);
        if !role_given && r.ok {
            let place = r.place_of("role");
            r.diags.error(
                place,
                "role is empty; write one of: expense, income, receivable, payable",
            );
            r.ok = false;
        }
        let programme = r.code("programme", false);
        let account = r.required_text("account", "5100");
        if let (Some(council), true) = (council, r.ok) {
            rows.push(AccountRow {
                council,
                role,
                programme,
                account,
                council_place: r.place_of("council"),
                programme_place: r.place_of("programme"),
                account_place: r.place_of("account"),
                place: r.place(),
            });
        }
    });
    rows
}

/// Checks the rows against the (already checked) councils and programmes: an unknown council
/// or programme, a programme on a receivable or payable row, and a second row for the same
/// council, role and programme are errors at their cells, and the row is left out.
pub(super) fn check(rows: Vec<AccountRow>, book: &Book, diags: &mut Diagnostics) -> Vec<Account> {
    let councils: Vec<&str> = book.councils.iter().map(|c| c.code.as_str()).collect();
    let mut programmes: Vec<&str> = book.programmes.iter().map(|p| p.code.as_str()).collect();
    programmes.push(super::validate::SIK_CODE);
    programmes.sort();
    let mut first: BTreeMap<(String, AccountRole, Option<String>), Place> = BTreeMap::new();
    let mut out = Vec::new();
    for row in rows {
        if !councils.contains(&row.council.as_str()) {
            diags.error(
                row.council_place,
                format!(
                    "{} is not a council of this book; use one of the councils table's codes: {}",
                    quoted(&row.council),
                    councils.join(", ")
                ),
            );
            continue;
        }
        match (&row.programme, row.role) {
            (Some(programme), AccountRole::Receivable | AccountRole::Payable) => {
                diags.error(
                    row.programme_place,
                    format!(
                        "a {} account is one per council, for every programme (the counterparty is in the journal's own column); leave programme blank instead of {}",
                        row.role.as_str(),
                        quoted(programme)
                    ),
                );
                continue;
            }
            (Some(programme), _) if !programmes.contains(&programme.as_str()) => {
                diags.error(
                    row.programme_place,
                    format!(
                        "{} is not a programme of this book; use one of: {} (SIK for support in kind), or leave it blank for every programme",
                        quoted(programme),
                        programmes.join(", ")
                    ),
                );
                continue;
            }
            _ => {}
        }
        let key = (row.council.clone(), row.role, row.programme.clone());
        if let Some(other) = first.get(&key) {
            let what = match &row.programme {
                Some(p) => format!("{} account for {p}", row.role.as_str()),
                None if matches!(row.role, AccountRole::Expense | AccountRole::Income) => {
                    format!("{} account for every programme", row.role.as_str())
                }
                None => format!("{} account", row.role.as_str()),
            };
            diags.error(
                row.account_place,
                format!(
                    "{} already has its {what} at {other}; keep one row per council, role and programme",
                    row.council
                ),
            );
            continue;
        }
        first.insert(key, row.place.clone());
        out.push(Account {
            council: row.council,
            role: row.role,
            programme: row.programme,
            account: row.account,
            place: row.place,
        });
    }
    out
}
