//! `changes.csv`: every input row added, removed or changed between two books, each with its
//! place in both. Rows are compared as accord reads them (codes, years `2012/13`, amounts
//! `1234.50`, dates `2012-04-01`, after the notice rule and the membership cut of §2), so the
//! same book written as a workbook or as CSV files has no changes, and every difference of the
//! figures comes from a listed row.

use crate::model::{Book, SikBasis};
use crate::money::Money;
use std::collections::BTreeMap;

/// One changed value, or a whole row added or removed (`column` blank, the row's values in
/// `a` or `b`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub table: &'static str,
    /// The row's identifying columns joined with `/` (`2013/14/ADULTS/Care Place and systems`),
    /// with `#2`, `#3` for a second and third row of the same key.
    pub key: String,
    pub column: &'static str,
    pub a: String,
    pub b: String,
    pub place_a: String,
    pub place_b: String,
}

/// A row reduced to its key and its values as text.
struct Row {
    key: String,
    place: String,
    fields: Vec<(&'static str, String)>,
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn money(m: Money) -> String {
    m.to_string()
}

/// The rows of each table of a book, in the SPEC's table order.
fn rows(book: &Book) -> Vec<(&'static str, Vec<Row>)> {
    let councils = book
        .councils
        .iter()
        .map(|c| Row {
            key: c.code.clone(),
            place: c.place.to_string(),
            fields: vec![
                ("name", c.name.clone()),
                ("kind", c.kind.as_str().into()),
                ("joined", date(c.membership.from)),
                ("left", date(c.membership.to)),
            ],
        })
        .collect();
    let programmes = book
        .programmes
        .iter()
        .map(|p| Row {
            key: p.code.clone(),
            place: p.place.to_string(),
            fields: vec![
                ("name", p.name.clone()),
                ("lead", p.lead.clone()),
                ("basis", p.basis.as_str().into()),
                (
                    "carry_forward",
                    match p.carry_forward {
                        crate::model::CarryForward::Apply => "apply".into(),
                        crate::model::CarryForward::Hold => "hold".into(),
                        crate::model::CarryForward::Settle => "settle".into(),
                    },
                ),
            ],
        })
        .collect();
    let participation = book
        .participation
        .iter()
        .map(|p| Row {
            key: format!("{}/{}/{}", p.programme, p.council, date(p.range.from)),
            place: p.place.to_string(),
            fields: vec![
                ("to", date(p.range.to)),
                ("weight", p.weight.normalize().to_string()),
            ],
        })
        .collect();
    let budget = book
        .budget
        .iter()
        .map(|b| Row {
            key: format!("{}/{}/{}", b.year, b.programme, b.line),
            place: b.place.to_string(),
            fields: vec![
                ("category", b.category.clone()),
                ("amount", money(b.amount)),
            ],
        })
        .collect();
    let grants = book
        .grants
        .iter()
        .map(|g| Row {
            key: format!("{}/{}/{}", g.year, g.programme, g.source),
            place: g.place.to_string(),
            fields: vec![("amount", money(g.amount))],
        })
        .collect();
    let support_in_kind = book
        .support_in_kind
        .iter()
        .map(|s| Row {
            key: format!("{}/{}/{}", s.year, s.provider, s.category),
            place: s.place.to_string(),
            fields: vec![("amount", money(s.amount))],
        })
        .collect();
    let actuals = book
        .actuals
        .iter()
        .map(|a| Row {
            key: format!("{}/{}/{}", a.year, a.programme, a.category),
            place: a.place.to_string(),
            fields: vec![("amount", money(a.amount))],
        })
        .collect();
    let cost_centres = book
        .cost_centres
        .iter()
        .map(|c| Row {
            key: c.cost_centre.clone(),
            place: c.place.to_string(),
            fields: vec![("programme", c.programme.clone())],
        })
        .collect();
    let balances = book
        .balances
        .iter()
        .map(|b| Row {
            key: format!("{}/{}", b.programme, b.year),
            place: b.place.to_string(),
            fields: vec![("opening", money(b.opening))],
        })
        .collect();
    let benefits = book
        .benefits
        .iter()
        .map(|b| Row {
            key: format!(
                "{}/{}/{}/{}",
                b.year,
                b.programme,
                b.council,
                b.benefit_type.as_str()
            ),
            place: b.place.to_string(),
            fields: vec![
                ("target", b.target.map(money).unwrap_or_default()),
                ("achieved", money(b.achieved)),
            ],
        })
        .collect();
    let drivers = book
        .drivers
        .iter()
        .map(|d| Row {
            key: format!("{}/{}/{}", d.year, d.programme, d.council),
            place: d.place.to_string(),
            fields: vec![("value", d.value.normalize().to_string())],
        })
        .collect();
    let profile = book
        .profile
        .iter()
        .map(|p| Row {
            key: format!("{}/{}", p.programme, p.month),
            place: p.place.to_string(),
            fields: vec![("percent", p.percent.normalize().to_string())],
        })
        .collect();
    // The register and the purchase orders keep no places of their own: a change there is
    // named by its key.
    let issued = book
        .cycle
        .issued
        .iter()
        .map(|l| Row {
            key: format!("{}/{}", l.document, l.programme),
            place: String::new(),
            fields: vec![
                ("kind", l.kind.as_str().into()),
                ("amount", money(l.amount)),
                ("issued_on", l.issued_on.to_string()),
            ],
        })
        .collect();
    let purchase_orders = book
        .cycle
        .purchase_orders
        .iter()
        .map(|o| Row {
            key: format!("{}/{}/{}", o.year, o.issuer, o.payer),
            place: String::new(),
            fields: vec![("po_number", o.po_number.clone())],
        })
        .collect();
    let accounts = book
        .accounts
        .iter()
        .map(|a| Row {
            key: format!(
                "{}/{}/{}",
                a.council,
                a.role.as_str(),
                a.programme.clone().unwrap_or_default()
            ),
            place: a.place.to_string(),
            fields: vec![("account", a.account.clone())],
        })
        .collect();
    vec![
        ("councils", councils),
        ("programmes", programmes),
        ("participation", participation),
        ("budget", budget),
        ("grants", grants),
        ("support_in_kind", support_in_kind),
        ("actuals", actuals),
        ("cost_centres", cost_centres),
        ("balances", balances),
        ("benefits", benefits),
        ("settings", settings(book)),
        ("drivers", drivers),
        ("profile", profile),
        ("issued", issued),
        ("purchase_orders", purchase_orders),
        ("accounts", accounts),
    ]
}

/// The settings as accord uses them (defaults filled in), one row per key.
fn settings(book: &Book) -> Vec<Row> {
    let s = &book.settings;
    let optional = |v: Option<String>| v.unwrap_or_default();
    let values: Vec<(&'static str, String)> = vec![
        ("office", s.office.clone()),
        ("host", s.host.clone()),
        (
            "sik_basis",
            match s.sik_basis {
                SikBasis::Equal => "equal".into(),
                SikBasis::Proportional => "proportional".into(),
            },
        ),
        ("variance_pct", s.variance_pct.normalize().to_string()),
        ("variance_abs", money(s.variance_abs)),
        ("amber_pct", s.amber_pct.normalize().to_string()),
        (
            "collective_target",
            optional(s.collective_target.map(money)),
        ),
        (
            "collective_target_year",
            optional(s.collective_target_year.map(|y| y.to_string())),
        ),
        ("invoice_date", date(s.invoice_date)),
        ("actuals_to", date(s.actuals_to)),
        ("invoice_note", optional(s.invoice_note.clone())),
        ("payment_terms_days", s.payment_terms_days.to_string()),
        ("ledger_date_column", s.ledger_date_column.clone()),
        (
            "ledger_cost_centre_column",
            s.ledger_cost_centre_column.clone(),
        ),
        ("ledger_amount_column", s.ledger_amount_column.clone()),
    ];
    values
        .into_iter()
        .map(|(key, value)| Row {
            key: key.into(),
            place: "settings".into(),
            fields: vec![("value", value)],
        })
        .collect()
}

/// Rows by key; a repeated key gets `#2`, `#3` in the order the rows were read.
fn keyed(rows: Vec<Row>) -> BTreeMap<String, Row> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for mut row in rows {
        let n = seen.entry(row.key.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            row.key = format!("{}#{n}", row.key);
        }
        out.insert(row.key.clone(), row);
    }
    out
}

fn whole(row: &Row) -> String {
    row.fields
        .iter()
        .map(|(column, value)| format!("{column}={value}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Every row added, removed or changed from `a` to `b`.
pub fn changes(a: &Book, b: &Book) -> Vec<Change> {
    let mut out = Vec::new();
    for ((table, rows_a), (_, rows_b)) in rows(a).into_iter().zip(rows(b)) {
        let rows_a = keyed(rows_a);
        let mut rows_b = keyed(rows_b);
        for (key, row_a) in rows_a {
            match rows_b.remove(&key) {
                None => out.push(Change {
                    table,
                    key,
                    column: "",
                    a: whole(&row_a),
                    b: String::new(),
                    place_a: row_a.place,
                    place_b: String::new(),
                }),
                Some(row_b) => {
                    for ((column, value_a), (_, value_b)) in row_a.fields.iter().zip(&row_b.fields)
                    {
                        if value_a != value_b {
                            out.push(Change {
                                table,
                                key: key.clone(),
                                column,
                                a: value_a.clone(),
                                b: value_b.clone(),
                                place_a: row_a.place.clone(),
                                place_b: row_b.place.clone(),
                            });
                        }
                    }
                }
            }
        }
        for (key, row_b) in rows_b {
            out.push(Change {
                table,
                key,
                column: "",
                a: String::new(),
                b: whole(&row_b),
                place_a: String::new(),
                place_b: row_b.place,
            });
        }
    }
    let order = |t: &str| crate::book::TABLE_NAMES.iter().position(|n| *n == t);
    out.sort_by(|x, y| (order(x.table), &x.key, x.column).cmp(&(order(y.table), &y.key, y.column)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Place;
    use crate::model::BudgetLine;
    use crate::values::Year;

    fn line(name: &str, pence: i128, at: usize) -> BudgetLine {
        BudgetLine {
            year: Year(2013),
            programme: "ADULTS".into(),
            line: name.into(),
            category: "staff".into(),
            amount: Money::from_pence(pence),
            place: Place::Csv {
                file: "budget.csv".into(),
                line_number: at,
                column_number: None,
            },
        }
    }

    fn book(budget: Vec<BudgetLine>) -> Book {
        Book {
            label: "b".into(),
            councils: Vec::new(),
            programmes: Vec::new(),
            participation: Vec::new(),
            budget,
            grants: Vec::new(),
            support_in_kind: Vec::new(),
            actuals: Vec::new(),
            cost_centres: Vec::new(),
            balances: Vec::new(),
            benefits: Vec::new(),
            settings: Default::default(),
            drivers: Vec::new(),
            profile: Vec::new(),
            cycle: Default::default(),
            accounts: Vec::new(),
            years: vec![Year(2013)],
        }
    }

    #[test]
    fn rows_added_removed_and_changed() {
        // (lines of A, lines of B, expected (key, column, a, b, place_a, place_b))
        type Case<'a> = (
            Vec<BudgetLine>,
            Vec<BudgetLine>,
            &'a [(&'a str, &'a str, &'a str, &'a str, &'a str, &'a str)],
        );
        let cases: Vec<Case> = vec![
            (
                vec![line("Staff", 100, 2)],
                vec![line("Staff", 100, 9)],
                &[],
            ),
            (
                vec![line("Staff", 100, 2)],
                vec![line("Staff", 150, 3)],
                &[(
                    "2013/14/ADULTS/Staff",
                    "amount",
                    "1.00",
                    "1.50",
                    "budget.csv:2",
                    "budget.csv:3",
                )],
            ),
            (
                vec![line("Staff", 100, 2)],
                vec![line("Staff", 100, 2), line("Staff", 5, 3)],
                &[(
                    "2013/14/ADULTS/Staff#2",
                    "",
                    "",
                    "category=staff; amount=0.05",
                    "",
                    "budget.csv:3",
                )],
            ),
            (
                vec![line("Care", 7, 4)],
                vec![],
                &[(
                    "2013/14/ADULTS/Care",
                    "",
                    "category=staff; amount=0.07",
                    "",
                    "budget.csv:4",
                    "",
                )],
            ),
        ];
        for (a, b, expected) in cases {
            let got: Vec<(String, &str, String, String, String, String)> =
                changes(&book(a.clone()), &book(b.clone()))
                    .into_iter()
                    .map(|c| (c.key, c.column, c.a, c.b, c.place_a, c.place_b))
                    .collect();
            let expected: Vec<(String, &str, String, String, String, String)> = expected
                .iter()
                .map(|(k, c, x, y, pa, pb)| {
                    (
                        k.to_string(),
                        *c,
                        x.to_string(),
                        y.to_string(),
                        pa.to_string(),
                        pb.to_string(),
                    )
                })
                .collect();
            assert_eq!(got, expected, "{a:?} -> {b:?}");
        }
    }
}
