//! A year's dashboard, `2012-13/index.html`: headline figures, what each council pays (chart
//! and matrix), the programme balances (chart and table), links to every statement and
//! invoice, and the variance. Every piece of text goes through the HTML module's escaping.

use super::dashboard::{balances_chart, colour_of, footer, invoice_file, money, text, year_nav};
use super::svg::{stacked_columns, Series};
use super::{figure, page, table, Td, Tr};
use crate::engine::plan::AnnualReport;
use crate::engine::Results;
use crate::model::Book;
use crate::report::wording::pounds;
use crate::report::year::{YearSummary, CARRY_FORWARD_COLUMNS};

/// `2012-13/index.html`: the year's summary (`report::year`), with the year's annual report
/// when it has one.
pub fn year_page(
    book: &Book,
    results: &Results,
    summary: &YearSummary<'_>,
    annual: Option<&AnnualReport>,
) -> String {
    let year = summary.year;
    let mut body = String::new();
    let monitoring = &summary.monitoring;
    let status_word = summary.status;
    body.push_str("<div class=\"figures\">");
    body.push_str(&figure("Raised from councils", &pounds(summary.raised)));
    body.push_str(&figure("Invoices", &summary.invoices.len().to_string()));
    body.push_str(&figure("Invoiced in all", &pounds(summary.invoiced)));
    body.push_str(&figure(
        "Variance exceptions",
        &summary.exceptions.to_string(),
    ));
    body.push_str(&figure("Figures", status_word));
    body.push_str("</div>\n");
    if let Some(report) = monitoring {
        body.push_str(&super::monitoring::monitoring_section(report));
    }

    // What each council pays: chart, then the matrix.
    let councils = &summary.payers;
    body.push_str("<h2>What each council pays, by programme</h2>\n");
    let series: Vec<Series> = summary
        .pools
        .iter()
        .map(|pool| Series {
            name: pool.series_name.clone(),
            colour: colour_of(results, &pool.programme),
            values: pool.parts.clone(),
        })
        .collect();
    body.push_str(&stacked_columns(
        &format!("What each council pays in {year}"),
        councils,
        &series,
    ));
    let mut header: Vec<&str> = vec!["Programme", "For"];
    header.extend(councils.iter().map(String::as_str));
    header.push("Total");
    let numeric: Vec<bool> = (0..header.len()).map(|i| i >= 2).collect();
    let mut rows: Vec<Tr> = summary
        .pools
        .iter()
        .map(|pool| {
            let mut cells = vec![text(&pool.programme), text(&pool.title)];
            cells.extend(pool.parts.iter().zip(councils).map(|(p, c)| {
                p.map_or(text(""), |m| {
                    super::explain::figure_link(&pool.programme, &pool.holder, c, m)
                })
            }));
            cells.push(money(pool.total));
            Tr::new(cells)
        })
        .collect();
    let mut total_cells = vec![text("Total"), text("")];
    total_cells.extend(summary.paid.iter().map(|p| money(*p)));
    total_cells.push(money(summary.raised));
    rows.push(Tr::with_class("total", total_cells));
    body.push_str(&table(&header, &numeric, &rows));

    // Balances.
    body.push_str("<h2>Programme balances</h2>\n");
    body.push_str(&balances_chart(results));
    let rows: Vec<Tr> = summary
        .carry_forward
        .iter()
        .map(|e| {
            let mut cells = vec![text(&e.programme), text(e.status)];
            cells.extend(e.values.iter().map(|v| money(*v)));
            Tr::new(cells)
        })
        .collect();
    let mut header = vec!["Programme", "Status"];
    header.extend(CARRY_FORWARD_COLUMNS);
    let numeric: Vec<bool> = (0..header.len()).map(|i| i >= 2).collect();
    body.push_str(&table(&header, &numeric, &rows));

    // Statements.
    body.push_str("<h2>Contribution statements</h2>\n");
    let rows: Vec<Tr> = summary
        .statements
        .iter()
        .map(|s| {
            let c = &s.council;
            Tr::new(vec![
                text(c),
                text(&s.name),
                money(s.paid),
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
    let rows: Vec<Tr> = summary
        .invoices
        .iter()
        .map(|invoice| {
            Tr::new(vec![
                Td::Link {
                    href: format!("invoices/{}", invoice_file(&invoice.number)),
                    text: invoice.number.clone(),
                },
                text(&invoice.issuer_name),
                text(&invoice.payer_name),
                text(invoice.programmes.join(", ")),
                money(invoice.amount),
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
        book,
        &summary.adjustments,
    ));

    // Variance.
    body.push_str("<h2>Actual against budget</h2>\n");
    let rows: Vec<Tr> = summary
        .variance
        .iter()
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
