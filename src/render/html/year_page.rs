//! A year's dashboard, `2012-13/index.html`: headline figures, what each council pays (chart
//! and matrix), the programme balances (chart and table), links to every statement and
//! invoice, and the variance. Every piece of text goes through the HTML module's escaping.

use super::dashboard::{balances_chart, colour_of, footer, invoice_file, money, text, year_nav};
use super::svg::{stacked_columns, Series};
use super::{figure, page, table, Td, Tr};
use crate::engine::plan::AnnualReport;
use crate::engine::{Results, Status, SIK};
use crate::model::Book;
use crate::money::Money;
use crate::render::xlsx::summary::{part, payers, pools};
use crate::report::statement::councils_in_year;
use crate::report::wording::{council_name, pounds, programme_title};
use crate::values::Year;

/// `2012-13/index.html`, with the year's annual report when it has one.
pub fn year_page(
    book: &Book,
    results: &Results,
    year: Year,
    annual: Option<&AnnualReport>,
) -> String {
    let mut body = String::new();
    let raised: Money = results
        .allocations
        .iter()
        .filter(|a| a.year == year)
        .map(|a| a.amount)
        .sum();
    let invoice_lines: Vec<_> = results.invoices.iter().filter(|i| i.year == year).collect();
    let mut numbers: Vec<&str> = invoice_lines.iter().map(|i| i.invoice.as_str()).collect();
    numbers.dedup();
    let exceptions = results
        .variance
        .iter()
        .filter(|v| v.year == year && v.exception)
        .count();
    let forecast = results
        .year_ends
        .iter()
        .any(|e| e.year == year && e.status == Status::Forecast);
    let monitoring = crate::report::monitoring::monitoring_report(book, results, year);
    let status_word = match (&monitoring, forecast) {
        (Some(_), _) => "in progress",
        (None, true) => "forecast",
        (None, false) => "actual",
    };
    body.push_str("<div class=\"figures\">");
    body.push_str(&figure("Raised from councils", &pounds(raised)));
    body.push_str(&figure("Invoices", &numbers.len().to_string()));
    body.push_str(&figure(
        "Invoiced in all",
        &pounds(invoice_lines.iter().map(|i| i.amount).sum()),
    ));
    body.push_str(&figure("Variance exceptions", &exceptions.to_string()));
    body.push_str(&figure("Figures", status_word));
    body.push_str("</div>\n");
    if let Some(report) = &monitoring {
        body.push_str(&super::monitoring::monitoring_section(report));
    }

    // What each council pays: chart, then the matrix.
    let pools = pools(results, year);
    let councils = payers(results, year);
    body.push_str("<h2>What each council pays, by programme</h2>\n");
    let series: Vec<Series> = pools
        .iter()
        .map(|pool| Series {
            name: if pool.0 == SIK {
                format!("{SIK} {}", pool.1)
            } else {
                pool.0.clone()
            },
            colour: colour_of(results, &pool.0),
            values: councils
                .iter()
                .map(|c| part(results, year, pool, c))
                .collect(),
        })
        .collect();
    body.push_str(&stacked_columns(
        &format!("What each council pays in {year}"),
        &councils,
        &series,
    ));
    let mut header: Vec<&str> = vec!["Programme", "For"];
    header.extend(councils.iter().map(String::as_str));
    header.push("Total");
    let numeric: Vec<bool> = (0..header.len()).map(|i| i >= 2).collect();
    let mut rows: Vec<Tr> = pools
        .iter()
        .map(|pool| {
            let mut cells = vec![text(&pool.0), text(programme_title(book, &pool.0, &pool.1))];
            let parts: Vec<Option<Money>> = councils
                .iter()
                .map(|c| part(results, year, pool, c))
                .collect();
            cells.extend(parts.iter().zip(&councils).map(|(p, c)| {
                p.map_or(text(""), |m| {
                    super::explain::figure_link(&pool.0, &pool.1, c, m)
                })
            }));
            cells.push(money(parts.iter().flatten().copied().sum()));
            Tr::new(cells)
        })
        .collect();
    let mut total_cells = vec![text("Total"), text("")];
    for c in &councils {
        total_cells.push(money(results.paid(year, c)));
    }
    total_cells.push(money(raised));
    rows.push(Tr::with_class("total", total_cells));
    body.push_str(&table(&header, &numeric, &rows));

    // Balances.
    body.push_str("<h2>Programme balances</h2>\n");
    body.push_str(&balances_chart(results));
    let rows: Vec<Tr> = results
        .year_ends
        .iter()
        .filter(|e| e.year == year)
        .map(|e| {
            Tr::new(vec![
                text(&e.programme),
                text(e.status.as_str()),
                money(e.opening),
                money(e.budget),
                money(e.grants),
                money(e.guest_charges),
                money(e.member_contributions),
                money(e.actual),
                money(e.closing),
            ])
        })
        .collect();
    body.push_str(&table(
        &[
            "Programme",
            "Status",
            "Opening",
            "Budget",
            "Grants",
            "Guest charges",
            "Member contributions",
            "Actual",
            "Closing",
        ],
        &[false, false, true, true, true, true, true, true, true],
        &rows,
    ));

    // Statements.
    body.push_str("<h2>Contribution statements</h2>\n");
    let rows: Vec<Tr> = councils_in_year(results, year)
        .iter()
        .map(|c| {
            let paid = results.paid(year, c);
            Tr::new(vec![
                text(c),
                text(council_name(book, c)),
                money(paid),
                Td::Link {
                    href: format!("statements/{c}.pdf"),
                    text: "PDF".into(),
                },
                Td::Link {
                    href: format!("statements/{c}.xlsx"),
                    text: "xlsx".into(),
                },
            ])
        })
        .collect();
    body.push_str(&table(
        &["Council", "Name", "Pays in all", "Statement", "Workbook"],
        &[false, false, true],
        &rows,
    ));

    // Invoices.
    body.push_str("<h2>Invoices</h2>\n");
    let rows: Vec<Tr> = numbers
        .iter()
        .map(|number| {
            let lines: Vec<_> = invoice_lines
                .iter()
                .filter(|i| i.invoice == *number)
                .collect();
            let first = lines[0];
            let programmes: Vec<&str> = lines.iter().map(|l| l.programme.as_str()).collect();
            Tr::new(vec![
                Td::Link {
                    href: format!("invoices/{}", invoice_file(number)),
                    text: number.to_string(),
                },
                text(council_name(book, &first.issuer)),
                text(council_name(book, &first.payer)),
                text(programmes.join(", ")),
                money(lines.iter().map(|l| l.amount).sum()),
            ])
        })
        .collect();
    if rows.is_empty() {
        body.push_str("<p class=\"note\">No invoices this year.</p>\n");
    } else {
        body.push_str(&table(
            &["Invoice", "Issued by", "Payable by", "Programmes", "Amount"],
            &[false, false, false, false, true],
            &rows,
        ));
    }

    body.push_str(&super::adjustments::adjustments_section(
        book, results, year,
    ));

    // Variance.
    body.push_str("<h2>Actual against budget</h2>\n");
    let rows: Vec<Tr> = results
        .variance
        .iter()
        .filter(|v| v.year == year)
        .map(|v| {
            let cells = vec![
                text(&v.programme),
                text(&v.category),
                money(v.budget),
                money(v.actual),
                money(v.variance),
                text(if v.exception { "yes" } else { "no" }),
            ];
            if v.exception {
                Tr::with_class("exception", cells)
            } else {
                Tr::new(cells)
            }
        })
        .collect();
    if rows.is_empty() && monitoring.is_some() {
        body.push_str(
            "<p class=\"note\">The year is in progress: its actuals so far are set against the budget to date under Budget monitoring.</p>\n",
        );
    } else if rows.is_empty() {
        body.push_str(
            "<p class=\"note\">No actuals for this year: its figures are a forecast.</p>\n",
        );
    } else {
        body.push_str(&table(
            &[
                "Programme",
                "Category",
                "Budget",
                "Actual",
                "Variance",
                "Exception",
            ],
            &[false, false, true, true, true],
            &rows,
        ));
    }
    if let Some(report) = annual {
        body.push_str(&super::plan::annual_section(report, book));
    }
    body.push_str(
        "<p class=\"note\">The same tables, with charts, in the workbook <a href=\"summary.xlsx\">summary.xlsx</a>.</p>\n",
    );
    page(
        &format!("West London Alliance {year}"),
        &format!("Shared programmes: who pays what, invoices and balances, {status_word}"),
        &year_nav(results, Some(year), "../"),
        &body,
        &footer(),
    )
}
