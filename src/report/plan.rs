//! The business plan and benefits as sheets of typed cells (`plan.xlsx`, and the annual
//! report's tables): the engine's `Plan` laid out in rows and columns, with totals marked as
//! totals so that a spreadsheet can write them as formulas. No formatting: that is the
//! renderer's.

mod annual;
mod annual_shown;
mod benefits;

pub use annual::annual_report_sheets;
pub use annual_shown::{annual_sheets, headline};
pub use benefits::{status_rule, SAVINGS_RULE};

use benefits::{returns_sheet, savings_sheet, status_sheet};

use crate::engine::plan::{Plan, Rag};
use crate::model::Book;
use crate::money::Money;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Which cells a total adds up, inside its own block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// Every row of the block above this one, in the same column.
    Above,
    /// The cells of the same row from this column up to the one before the total.
    LeftFrom(usize),
}

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Blank,
    Text(String),
    Money(Money),
    Integer(i64),
    /// A fraction shown as a percentage: 0.8 is 80%.
    Percent(Decimal),
    /// A plain ratio, e.g. GBP saved per GBP 1 paid.
    Ratio(Decimal),
    /// A programme's status; `None` is a year not yet reported.
    Status(Option<Rag>),
    /// A total of other cells, with its value worked out here (the engine's, to the penny).
    Total {
        result: Money,
        of: Span,
    },
}

impl Cell {
    fn text(text: impl Into<String>) -> Cell {
        Cell::Text(text.into())
    }

    fn money_or_blank(money: Option<Money>) -> Cell {
        money.map_or(Cell::Blank, Cell::Money)
    }

    /// The cell as plain text, in the written forms of the CSV files (`1234.50`, `80%`).
    pub fn written(&self) -> String {
        match self {
            Cell::Blank => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Money(money) | Cell::Total { result: money, .. } => money.to_string(),
            Cell::Integer(n) => n.to_string(),
            Cell::Percent(p) => format!("{}%", (p * Decimal::ONE_HUNDRED).round_dp(1).normalize()),
            Cell::Ratio(r) => format!("{r:.2}"),
            Cell::Status(status) => status.map_or("not yet reported", Rag::as_str).to_string(),
        }
    }
}

/// A titled table inside a sheet: a header row and rows of cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Block {
    fn new(title: impl Into<String>, header: &[&str]) -> Block {
        Block {
            title: title.into(),
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// The cell in the first row whose first cell is `key`, in the column headed `column`.
    pub fn cell(&self, key: &str, column: &str) -> Option<&Cell> {
        let index = self.header.iter().position(|h| h == column)?;
        let row = self
            .rows
            .iter()
            .find(|r| matches!(r.first(), Some(Cell::Text(t)) if t == key))?;
        row.get(index)
    }
}

/// A chart drawn from one block: categories from one column, a column series per `columns`,
/// a line series per `lines` (indexes into the block's columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartSpec {
    pub title: String,
    pub block: usize,
    pub categories: usize,
    pub columns: Vec<usize>,
    pub lines: Vec<usize>,
}

/// One sheet: a title, notes in words, blocks one under another, and perhaps a chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub name: &'static str,
    pub title: String,
    pub notes: Vec<String>,
    pub blocks: Vec<Block>,
    pub chart: Option<ChartSpec>,
}

impl Sheet {
    fn new(name: &'static str, title: impl Into<String>) -> Sheet {
        Sheet {
            name,
            title: title.into(),
            notes: Vec::new(),
            blocks: Vec::new(),
            chart: None,
        }
    }

    pub fn block(&self, title: &str) -> Option<&Block> {
        self.blocks.iter().find(|b| b.title == title)
    }
}

fn programme_name(book: &Book, code: &str) -> String {
    match book.programme(code) {
        Some(p) => p.name.clone(),
        None if code == crate::engine::SIK => "Support in kind".into(),
        None => String::new(),
    }
}

/// The sheets of `plan.xlsx`: plan, balances, status, savings, returns.
pub fn plan_sheets(plan: &Plan, book: &Book) -> Vec<Sheet> {
    vec![
        payments_sheet(plan, book),
        balances_sheet(plan),
        status_sheet(plan),
        savings_sheet(plan),
        returns_sheet(plan),
    ]
}

fn payments_sheet(plan: &Plan, book: &Book) -> Sheet {
    let bp = &plan.business_plan;
    let span = match (bp.years.first(), bp.years.last()) {
        (Some(first), Some(last)) => format!("{first} to {last}"),
        _ => "no plan years".into(),
    };
    let mut sheet = Sheet::new(
        "plan",
        format!("Business plan {span}: what each council is expected to pay (GBP)"),
    );
    sheet.notes.push("Forecast contributions from the budget book (Accord 8.1): the first forecast year and the two after it. SIK is support in kind.".into());
    sheet.notes.extend(bp.shortfall.clone());
    let first_amount_column = 2;
    for &year in &bp.years {
        let mut header = vec!["council", "name"];
        header.extend(bp.programmes.iter().map(String::as_str));
        header.push("total");
        let mut block = Block::new(format!("{year}"), &header);
        let of_year: Vec<_> = bp.payments.iter().filter(|p| p.year == year).collect();
        let mut councils: Vec<&str> = of_year.iter().map(|p| p.council.as_str()).collect();
        councils.dedup();
        // The year's first payment of each council to each programme, and each programme's
        // sum, from one pass over the year's payments.
        let mut first: HashMap<(&str, &str), Money> = HashMap::with_capacity(of_year.len());
        let mut sums: HashMap<&str, Money> = HashMap::new();
        for p in &of_year {
            first
                .entry((p.council.as_str(), p.programme.as_str()))
                .or_insert(p.amount);
            *sums.entry(p.programme.as_str()).or_default() += p.amount;
        }
        for council in councils {
            let mut row = vec![Cell::text(council), Cell::text(book.council_name(council))];
            let mut total = Money::ZERO;
            for programme in &bp.programmes {
                let amount = first.get(&(council, programme.as_str())).copied();
                total += amount.unwrap_or_default();
                row.push(Cell::money_or_blank(amount));
            }
            row.push(Cell::Total {
                result: total,
                of: Span::LeftFrom(first_amount_column),
            });
            block.rows.push(row);
        }
        let mut totals = vec![Cell::text("total"), Cell::Blank];
        for programme in &bp.programmes {
            let sum = sums.get(programme.as_str()).copied().unwrap_or(Money::ZERO);
            totals.push(Cell::Total {
                result: sum,
                of: Span::Above,
            });
        }
        let all = of_year.iter().map(|p| p.amount).sum();
        totals.push(Cell::Total {
            result: all,
            of: Span::Above,
        });
        block.rows.push(totals);
        sheet.blocks.push(block);
    }
    let mut key = Block::new("programmes", &["programme", "name", "lead"]);
    for code in &bp.programmes {
        let lead = book
            .programme(code)
            .map_or_else(String::new, |p| p.lead.clone());
        key.rows.push(vec![
            Cell::text(code.as_str()),
            Cell::text(programme_name(book, code)),
            Cell::text(lead),
        ]);
    }
    sheet.blocks.push(key);
    sheet
}

fn balances_sheet(plan: &Plan) -> Sheet {
    let mut sheet = Sheet::new(
        "balances",
        "Each programme's projected balance in the plan years (GBP)",
    );
    sheet.notes.push("closing = opening + guest charges + member contributions + grants − expected spend; a forecast year's expected spend is its budget.".into());
    let mut block = Block::new(
        "balances",
        &[
            "year",
            "programme",
            "status",
            "opening",
            "budget",
            "grants",
            "guest charges",
            "member contributions",
            "expected spend",
            "projected closing",
        ],
    );
    for e in &plan.business_plan.balances {
        block.rows.push(vec![
            Cell::text(e.year.to_string()),
            Cell::text(e.programme.as_str()),
            Cell::text(e.status.as_str()),
            Cell::Money(e.opening),
            Cell::Money(e.budget),
            Cell::Money(e.grants),
            Cell::Money(e.guest_charges),
            Cell::Money(e.member_contributions),
            Cell::Money(e.actual),
            Cell::Money(e.closing),
        ]);
    }
    sheet.blocks.push(block);
    sheet
}
