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
use crate::report::wording::{council_name, long_date, pounds};
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
    for pack in crate::report::year::year_packs(results) {
        body.push_str(&year_pack_item(&pack));
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

/// "2013/14 (in progress, actuals to 30 September 2013): dashboard, summary workbook, monitoring
/// report, invoices and statements; 3 supplementary invoices and 5 credit notes, 8 to send".
fn year_pack_item(pack: &crate::report::year::YearPack) -> String {
    let folder = pack.year.dashed();
    let status = match pack.actuals_to {
        Some(to) => format!("{}, actuals to {}", pack.status, long_date(to)),
        None => pack.status.to_string(),
    };
    let monitoring = if pack.actuals_to.is_some() {
        format!(", <a href=\"{folder}/monitoring.pdf\">monitoring report</a>")
    } else {
        String::new()
    };
    let mut kinds = Vec::new();
    if pack.supplementaries > 0 {
        kinds.push(crate::text::counted(
            pack.supplementaries,
            "supplementary invoice",
        ));
    }
    if pack.credit_notes > 0 {
        kinds.push(crate::text::counted(pack.credit_notes, "credit note"));
    }
    let adjustments = match (kinds.is_empty(), pack.adjustments_to_send) {
        (true, _) => String::new(),
        (false, 0) => format!("; {}, all issued", kinds.join(" and ")),
        (false, to_send) => format!("; {}, {to_send} to send", kinds.join(" and ")),
    };
    format!(
        "<li><a href=\"{folder}/index.html\">{}</a> ({}): dashboard, <a href=\"{folder}/summary.xlsx\">summary workbook</a>{monitoring}, invoices and statements{}</li>\n",
        escape(&pack.year.to_string()),
        escape(&status),
        escape(&adjustments)
    )
}
