//! The dashboards: `index.html` in each year's folder (headline figures, what each council
//! pays with its chart, balances over the years with theirs, the invoices, statements and
//! variance, each linked to its PDF or workbook), and `index.html` at the top of the reports
//! folder linking the years. Pages open from disk: links are relative, nothing is loaded.

use super::svg::{lines, stacked_columns, Series};
use super::{escape, page, table, Td, Tr};
use crate::engine::plan::Plan;
use crate::engine::{Results, SIK};
use crate::model::Book;
use crate::money::Money;
use crate::report::wording::{council_name, pounds};
use crate::values::Year;

pub fn footer() -> String {
    format!(
        "Worked out by accord {} from the West London Alliance budget book. The CSV files and manifest.json at the top of the reports folder hold every figure.",
        env!("CARGO_PKG_VERSION")
    )
}

/// The file name of an invoice's PDF: `WLA-2012-13-EAL-HRW.pdf`.
pub fn invoice_file(number: &str) -> String {
    format!("{}.pdf", number.replace('/', "-"))
}

pub fn year_nav(results: &Results, current: Option<Year>, prefix: &str) -> String {
    let mut nav = format!("<a href=\"{prefix}index.html\">All years</a>");
    for year in &results.years {
        if Some(*year) == current {
            nav.push_str(&format!("<strong>{year}</strong>"));
        } else {
            nav.push_str(&format!(
                "<a href=\"{prefix}{}/index.html\">{year}</a>",
                year.dashed()
            ));
        }
    }
    nav
}

pub fn money(m: Money) -> Td {
    Td::Number(pounds(m))
}

pub fn text(s: impl Into<String>) -> Td {
    Td::Text(s.into())
}

/// Every programme code of the book, then `SIK`: a series' place here is its colour.
fn colour_order(results: &Results) -> Vec<&str> {
    let mut programmes = results.programme_codes();
    programmes.push(SIK);
    programmes
}

pub fn colour_of(results: &Results, programme: &str) -> usize {
    colour_order(results)
        .iter()
        .position(|p| *p == programme)
        .unwrap_or(0)
}

pub fn balances_chart(results: &Results) -> String {
    let mut programmes = colour_order(results);
    programmes.pop();
    let categories: Vec<String> = results.years.iter().map(Year::to_string).collect();
    let series: Vec<Series> = programmes
        .iter()
        .map(|p| Series {
            name: p.to_string(),
            colour: colour_of(results, p),
            values: results
                .years
                .iter()
                .map(|y| {
                    results
                        .year_ends
                        .iter()
                        .find(|e| e.year == *y && e.programme == *p)
                        .map(|e| e.closing)
                })
                .collect(),
        })
        .collect();
    lines(
        "Closing balance by programme over the years",
        &categories,
        &series,
    )
}

/// The top `index.html`: every year, what each council paid in it (`report::year`), the business plan and
/// the savings (see `plan_html`), and links to the years.
pub fn top_page(book: &Book, results: &Results, plan: &Plan) -> String {
    let mut body = String::from("<h2>What each council pays, year by year</h2>\n");
    let councils = crate::report::year::paid_over_years(results);
    let categories: Vec<String> = results.years.iter().map(Year::to_string).collect();
    let series: Vec<Series> = councils
        .iter()
        .enumerate()
        .map(|(i, c)| Series {
            name: c.council.clone(),
            colour: i,
            values: c.paid.iter().map(|p| Some(*p)).collect(),
        })
        .collect();
    body.push_str(&stacked_columns(
        "What each council pays, year by year",
        &categories,
        &series,
    ));
    let mut header = vec!["Council", "Name"];
    header.extend(categories.iter().map(String::as_str));
    let numeric: Vec<bool> = (0..header.len()).map(|i| i >= 2).collect();
    let rows: Vec<Tr> = councils
        .iter()
        .map(|c| {
            let mut cells = vec![text(&c.council), text(council_name(book, &c.council))];
            cells.extend(c.paid.iter().map(|p| money(*p)));
            Tr::new(cells)
        })
        .collect();
    body.push_str(&table(&header, &numeric, &rows));
    body.push_str("<h2>Programme balances</h2>\n");
    body.push_str(&balances_chart(results));
    body.push_str(&super::plan_dashboard::dashboard_sections(
        book, results, plan,
    ));
    body.push_str("<h2>Each year's pack</h2>\n<ul>\n");
    for year in &results.years {
        body.push_str(&format!(
            "<li><a href=\"{0}/index.html\">{1}</a>: dashboard, <a href=\"{0}/summary.xlsx\">summary workbook</a>, invoices and statements</li>\n",
            year.dashed(),
            escape(&year.to_string())
        ));
    }
    body.push_str("</ul>\n");
    let span = match (results.years.first(), results.years.last()) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => String::new(),
    };
    page(
        "West London Alliance",
        &format!("Shared programmes, {span}"),
        &year_nav(results, None, ""),
        &body,
        &footer(),
    )
}
