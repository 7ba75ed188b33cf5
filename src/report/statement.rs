//! A council's contribution statement for one year, as sections of rows that the PDF and the
//! xlsx writers both lay out: what it pays for each programme, the Office and support in kind;
//! its own part of the budgets it holds; the invoices it pays and raises; the balances of the
//! programmes it takes part in; and its savings and return.

use crate::engine::{Allocation, Document, Results, SIK};
use crate::model::Book;
use crate::money::Money;
use crate::report::wording::{council_name, explain, pounds, programme_title};
use crate::values::Year;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// One cell of a statement: text from the book or from accord, or an amount.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Money(Money),
    /// Pounds of savings per pound paid.
    Ratio(Decimal),
}

impl Cell {
    /// As printed: amounts as `£1,234.50`.
    pub fn shown(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Money(money) => pounds(*money),
            Cell::Ratio(ratio) => format!("£{ratio:.2}"),
        }
    }
}

/// A titled table of a statement; `widths` are the columns' relative widths.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub header: Vec<&'static str>,
    pub widths: Vec<f32>,
    pub rows: Vec<Vec<Cell>>,
    pub total: Option<Vec<Cell>>,
    /// Said instead of the table when it has no rows.
    pub empty: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub council: String,
    pub council_name: String,
    pub year: Year,
    /// The headline figures, label and amount.
    pub figures: Vec<(&'static str, Money)>,
    pub sections: Vec<Section>,
}

impl Statement {
    /// "London Borough of Harrow (HRW)": the line under the title.
    pub fn title_line(&self) -> String {
        format!("{} ({})", self.council_name, self.council)
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// Every council that takes part in anything, or invoices or is invoiced, in `year`.
pub fn councils_in_year(results: &Results, year: Year) -> Vec<String> {
    let mut codes: Vec<String> = results
        .allocations
        .iter()
        .filter(|a| a.year == year)
        .flat_map(|a| [a.council.to_string(), a.holder.to_string()])
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// One invoice of a statement: what the register holds for it, what is to send now (the
/// invoice itself when it is new, or its adjustments), and the total the book now gives.
struct InvoiceSummary {
    number: String,
    issuer: String,
    payer: String,
    programmes: String,
    issued: Money,
    to_send: Money,
}

/// Every document of the register and to send (true for those the register holds) of `year`
/// that `council` issues or pays, issued first, each group in its order.
fn documents_of<'r>(results: &'r Results, year: Year, council: &str) -> Vec<(&'r Document, bool)> {
    let issued = results.documents.issued.iter().map(|d| (d, true));
    let to_send = results.documents.to_send.iter().map(|d| (d, false));
    issued
        .chain(to_send)
        .filter(|(d, _)| d.year == year && (d.issuer == council || d.payer == council))
        .collect()
}

/// The year's allocations that `council` bears, in their order.
fn allocations_of<'r>(results: &'r Results, year: Year, council: &str) -> Vec<&'r Allocation> {
    // Allocations are sorted by year first: only the year's are looked through.
    let from = results.allocations.partition_point(|a| a.year < year);
    let to = results.allocations.partition_point(|a| a.year <= year);
    results.allocations[from..to]
        .iter()
        .filter(|a| a.council == council)
        .collect()
}

/// What every statement of a run is made from, looked up by (year, council): each council's
/// allocations and documents, from one pass over the results, so that making all the
/// statements costs one pass and not one per statement ([`statement`] looks through the
/// results for one).
pub struct StatementParts<'r> {
    allocations: HashMap<(Year, &'r str), Vec<&'r Allocation>>,
    documents: HashMap<(Year, &'r str), Vec<(&'r Document, bool)>>,
}

impl<'r> StatementParts<'r> {
    pub fn new(results: &'r Results) -> StatementParts<'r> {
        let mut allocations: HashMap<_, Vec<_>> = HashMap::new();
        for a in &results.allocations {
            allocations
                .entry((a.year, a.council.as_str()))
                .or_default()
                .push(a);
        }
        let mut documents: HashMap<_, Vec<_>> = HashMap::new();
        let issued = results.documents.issued.iter().map(|d| (d, true));
        let to_send = results.documents.to_send.iter().map(|d| (d, false));
        for (d, is_issued) in issued.chain(to_send) {
            documents
                .entry((d.year, d.issuer.as_str()))
                .or_default()
                .push((d, is_issued));
            if d.payer != d.issuer {
                documents
                    .entry((d.year, d.payer.as_str()))
                    .or_default()
                    .push((d, is_issued));
            }
        }
        StatementParts {
            allocations,
            documents,
        }
    }

    /// `council`'s statement for `year`, the same as [`statement`] gives.
    pub fn statement(
        &self,
        book: &Book,
        results: &Results,
        council: &str,
        year: Year,
    ) -> Statement {
        let key = (year, council);
        let mine = self.allocations.get(&key).map_or(&[][..], Vec::as_slice);
        let documents = self.documents.get(&key).map_or(&[][..], Vec::as_slice);
        statement_of(book, results, council, year, mine, documents)
    }
}

/// Invoices of `year` that `council` issues or pays, by number, with the documents of each
/// (SPEC §5); `documents` are those of [`documents_of`].
fn invoices_of(documents: &[(&Document, bool)]) -> Vec<InvoiceSummary> {
    let mut by_number: BTreeMap<&str, InvoiceSummary> = BTreeMap::new();
    let mut programmes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for &(document, is_issued) in documents {
        let number = document.invoice();
        let entry = by_number.entry(number).or_insert_with(|| InvoiceSummary {
            number: number.to_string(),
            issuer: document.issuer.to_string(),
            payer: document.payer.to_string(),
            programmes: String::new(),
            issued: Money::ZERO,
            to_send: Money::ZERO,
        });
        if is_issued {
            entry.issued += document.total();
        } else {
            entry.to_send += document.total();
        }
        let list = programmes.entry(number).or_default();
        for line in &document.lines {
            if !list.contains(&line.programme.as_str()) {
                list.push(&line.programme);
            }
        }
    }
    by_number
        .into_iter()
        .map(|(number, mut summary)| {
            let mut list = programmes.remove(number).unwrap_or_default();
            list.sort();
            summary.programmes = list.join(", ");
            summary
        })
        .collect()
}

/// `council`'s statement for `year` (to make the statements of many councils, see
/// [`StatementParts`]).
pub fn statement(book: &Book, results: &Results, council: &str, year: Year) -> Statement {
    let mine = allocations_of(results, year, council);
    let documents = documents_of(results, year, council);
    statement_of(book, results, council, year, &mine, &documents)
}

/// The statement, from the year's allocations `council` bears (`mine`, in their order) and
/// the documents it issues or pays.
fn statement_of(
    book: &Book,
    results: &Results,
    council: &str,
    year: Year,
    mine: &[&Allocation],
    documents: &[(&Document, bool)],
) -> Statement {
    let paid = results.paid(year, council);

    let mut pays = Section {
        title: "What it pays".into(),
        header: vec![
            "Programme",
            "For",
            "Holder",
            "How it was worked out",
            "Amount",
        ],
        widths: vec![1.1, 2.2, 0.8, 3.6, 1.3],
        rows: Vec::new(),
        total: Some(vec![
            text("Total"),
            text(""),
            text(""),
            text(""),
            Cell::Money(paid),
        ]),
        empty: "It takes part in nothing this year.",
    };
    let mut own = Section {
        title: "Its own contributions to budgets it holds (not invoiced)".into(),
        header: vec!["Programme", "For", "Amount"],
        widths: vec![1.1, 5.0, 1.3],
        rows: Vec::new(),
        total: None,
        empty: "It holds no budget this year.",
    };
    for a in mine {
        let title = programme_title(book, &a.programme, &a.holder);
        pays.rows.push(vec![
            text(&a.programme),
            text(&title),
            text(&a.holder),
            text(explain(book, results, a)),
            Cell::Money(a.amount),
        ]);
        if a.holder == council {
            own.rows.push(vec![
                text(&a.programme),
                text(&title),
                Cell::Money(a.amount),
            ]);
        }
    }
    let own_total: Money = mine
        .iter()
        .filter(|a| a.holder == council)
        .map(|a| a.amount)
        .sum();
    if !own.rows.is_empty() {
        own.total = Some(vec![text("Total"), text(""), Cell::Money(own_total)]);
    }

    let invoices = invoices_of(documents);
    let invoice_section = |title: &str, other_header, to_pay: bool| {
        let chosen: Vec<&InvoiceSummary> = invoices
            .iter()
            .filter(|i| {
                if to_pay {
                    i.payer == council
                } else {
                    i.issuer == council
                }
            })
            .collect();
        let sum = |f: fn(&InvoiceSummary) -> Money| chosen.iter().map(|i| f(i)).sum::<Money>();
        Section {
            title: title.to_string(),
            header: vec![
                "Invoice",
                other_header,
                "Programmes",
                "Issued",
                "To send now",
                "Total",
            ],
            widths: vec![2.2, 2.4, 1.8, 1.2, 1.2, 1.2],
            rows: chosen
                .iter()
                .map(|i| {
                    let other = if to_pay { &i.issuer } else { &i.payer };
                    vec![
                        text(&i.number),
                        text(format!("{} ({other})", council_name(book, other))),
                        text(&i.programmes),
                        Cell::Money(i.issued),
                        Cell::Money(i.to_send),
                        Cell::Money(i.issued + i.to_send),
                    ]
                })
                .collect(),
            total: (!chosen.is_empty()).then(|| {
                vec![
                    text("Total"),
                    text(""),
                    text(""),
                    Cell::Money(sum(|i| i.issued)),
                    Cell::Money(sum(|i| i.to_send)),
                    Cell::Money(sum(|i| i.issued + i.to_send)),
                ]
            }),
            empty: if to_pay {
                "No invoice to pay."
            } else {
                "No invoice to raise."
            },
        }
    };
    let to_pay = invoice_section("Invoices it pays, by issuer", "Issued by", true);
    let to_raise = invoice_section("Invoices it raises, by payer", "Payable by", false);
    let pay_total: Money = to_pay.rows.iter().filter_map(|r| money_of(&r[5])).sum();
    let raise_total: Money = to_raise.rows.iter().filter_map(|r| money_of(&r[5])).sum();

    let mut balances = Section {
        title: "Balances of the programmes it takes part in".into(),
        header: vec![
            "Programme",
            "Status",
            "Opening",
            "Budget",
            "Raised",
            "Actual",
            "Closing",
        ],
        widths: vec![1.3, 1.0, 1.3, 1.3, 1.3, 1.3, 1.3],
        rows: Vec::new(),
        total: None,
        empty: "It takes part in no programme this year.",
    };
    for e in results.year_ends.iter().filter(|e| e.year == year) {
        if !mine
            .iter()
            .any(|a| a.programme == e.programme && a.programme != SIK)
        {
            continue;
        }
        balances.rows.push(vec![
            text(&e.programme),
            text(e.status.as_str()),
            Cell::Money(e.opening),
            Cell::Money(e.budget),
            Cell::Money(e.guest_charges + e.member_contributions + e.grants),
            Cell::Money(e.actual),
            Cell::Money(e.closing),
        ]);
    }

    let mut savings = Section {
        title: "Its savings".into(),
        header: vec!["Programme", "Type", "Target", "Achieved"],
        widths: vec![1.3, 1.6, 1.3, 1.3],
        rows: Vec::new(),
        total: None,
        empty: "No savings recorded for this year.",
    };
    for b in results
        .benefits
        .iter()
        .filter(|b| b.year == year && b.council == council)
    {
        savings.rows.push(vec![
            text(&b.programme),
            text(b.benefit_type.as_str().replace('_', " ")),
            b.target.map_or_else(|| text(""), Cell::Money),
            Cell::Money(b.achieved),
        ]);
    }
    let mut figures = vec![
        ("Total it pays", paid),
        ("Invoices it pays", pay_total),
        ("Invoices it raises", raise_total),
        ("Own contributions", own_total),
    ];
    let mut sections = vec![pays, own, to_pay, to_raise, balances, savings];
    let found = results
        .returns
        .iter()
        .find(|r| r.year == year && r.council == council);
    if let Some(r) = found.filter(|r| !(r.paid.is_zero() && r.cashable.is_zero())) {
        figures.push(("Cashable savings", r.cashable));
        sections.push(Section {
            title: "Its return".into(),
            header: vec!["What it paid", "Cashable savings", "Savings per £1 paid"],
            widths: vec![1.0, 1.0, 1.0],
            rows: vec![vec![
                Cell::Money(r.paid),
                Cell::Money(r.cashable),
                ratio(r.cashable, r.paid),
            ]],
            total: None,
            empty: "",
        });
    }
    Statement {
        council: council.to_string(),
        council_name: council_name(book, council).to_string(),
        year,
        figures,
        sections,
    }
}

fn money_of(cell: &Cell) -> Option<Money> {
    match cell {
        Cell::Money(m) => Some(*m),
        _ => None,
    }
}

/// Savings per pound paid, by the plan's one rule ([`crate::engine::plan::per_pound`]): `n/a`
/// when nothing was paid, `net refund` when the payments net to a refund.
pub fn ratio(savings: Money, paid: Money) -> Cell {
    match crate::engine::plan::per_pound(savings, paid) {
        Some(value) => Cell::Ratio(value),
        None if paid.is_negative() => text("net refund"),
        None => text("n/a"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_gives_every_statement_as_the_search_does() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/wla");
        let (book, diags) = crate::pipeline::load(&path);
        let book = book.unwrap_or_else(|| panic!("the fixture loads: {diags:?}"));
        let results = crate::engine::run(&book, &crate::engine::ExtraActuals::new());
        let parts = StatementParts::new(&results);
        let mut made = 0;
        for &year in &results.years {
            // A council of no year's allocations too: its statement says it takes part in
            // nothing, from the index as from the search.
            for council in councils_in_year(&results, year)
                .into_iter()
                .chain(["NOBODY".to_string()])
            {
                let searched = statement(&book, &results, &council, year);
                assert_eq!(
                    parts.statement(&book, &results, &council, year),
                    searched,
                    "{council} {year}"
                );
                made += usize::from(!searched.sections[0].rows.is_empty());
            }
        }
        assert!(made > 20, "the fixture's statements have rows: {made}");
    }
}
