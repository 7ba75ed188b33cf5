//! The top `index.html`'s part for the business plan and benefits: the plan years' payments
//! and projected balances (the sheets of `plan.xlsx`), the partnership's cumulative savings
//! against its collective target as a line, one chart per council of contributions against
//! savings, and links to `plan.xlsx` and each year's annual report.

use super::plan::{sheet_html, ANNUAL_REPORT_PDF};
use super::svg::{lines, Series};
use super::{escape, figure};
use crate::engine::plan::{annual_report_years, Plan, RunRate};
use crate::engine::Results;
use crate::model::Book;
use crate::money::{grouped, Money};
use crate::report::plan::{plan_sheets, SAVINGS_RULE};
use crate::report::wording::{council_name, pounds};
use crate::values::Year;
use std::fmt::Write;

/// The cumulative savings against the target, year by year, as lines.
fn savings_chart(plan: &Plan) -> String {
    let years = &plan.savings.years;
    let categories: Vec<String> = years.iter().map(|y| y.year.to_string()).collect();
    let mut series = vec![
        Series {
            name: "cumulative target".into(),
            colour: 1,
            values: years.iter().map(|y| Some(y.cumulative_target)).collect(),
        },
        Series {
            name: "cumulative achieved".into(),
            colour: 2,
            values: years.iter().map(|y| y.cumulative_achieved).collect(),
        },
    ];
    if let Some(t) = &plan.savings.target {
        series.push(Series {
            name: format!("target {}", grouped_short(t.target)),
            colour: 3,
            values: years
                .iter()
                .map(|y| (y.year <= t.by).then_some(t.target))
                .collect(),
        });
    }
    lines(
        "Cumulative cashable savings against the collective target",
        &categories,
        &series,
    )
}

/// `£57m`-style wording for a legend: whole pounds, grouped.
fn grouped_short(money: Money) -> String {
    let text = grouped(money);
    format!("£{}", text.strip_suffix(".00").unwrap_or(&text))
}

/// One chart per council: what it paid and its cashable savings, year by year (savings only
/// for reported years).
fn council_charts(plan: &Plan, book: &Book) -> String {
    let years: Vec<Year> = plan.savings.years.iter().map(|y| y.year).collect();
    let reported = |year: Year| {
        plan.savings
            .years
            .iter()
            .any(|y| y.year == year && y.cumulative_achieved.is_some())
    };
    let mut councils: Vec<&str> = plan.returns.iter().map(|r| r.council.as_str()).collect();
    councils.sort_unstable();
    councils.dedup();
    let categories: Vec<String> = years.iter().map(Year::to_string).collect();
    let mut out = String::from(
        "<div style=\"display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:8px 24px\">\n",
    );
    // Each council's return in each year (the first, as a search in order would find).
    let mut returns = std::collections::HashMap::with_capacity(plan.returns.len());
    for r in &plan.returns {
        returns.entry((r.year, r.council.as_str())).or_insert(r);
    }
    for council in councils {
        let find = |year: Year| returns.get(&(year, council)).copied();
        let series = [
            Series {
                name: "paid".into(),
                colour: 0,
                values: years.iter().map(|y| find(*y).map(|r| r.paid)).collect(),
            },
            Series {
                name: "cashable savings".into(),
                colour: 2,
                values: years
                    .iter()
                    .map(|y| find(*y).filter(|_| reported(*y)).map(|r| r.cashable))
                    .collect(),
            },
        ];
        let name = council_name(book, council);
        let _ = write!(
            out,
            "<div><h3>{} ({})</h3>\n{}</div>\n",
            escape(name),
            escape(council),
            lines(
                &format!("{council}: contributions against savings"),
                &categories,
                &series
            )
        );
    }
    out.push_str("</div>\n");
    out
}

/// The top `index.html`'s part for the plan: the business plan with the projected balances,
/// the savings against the target, a chart per council, and links to `plan.xlsx` and each
/// annual report.
pub fn dashboard_sections(book: &Book, results: &Results, plan: &Plan) -> String {
    let bp = &plan.business_plan;
    let span = match (bp.years.first(), bp.years.last()) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "no plan years".into(),
    };
    let mut out = format!(
        "<h2 id=\"business-plan\">Business plan {}</h2>\n<p class=\"note\">The three-year business plan (Accord 8.1), also in the workbook <a href=\"plan.xlsx\">plan.xlsx</a> with each programme's status, the savings and each council's return.</p>\n",
        escape(&span)
    );
    let sheets = plan_sheets(plan, book);
    for sheet in sheets
        .iter()
        .filter(|s| s.name == "plan" || s.name == "balances")
    {
        out.push_str(&sheet_html(sheet, "h3"));
    }

    out.push_str("<h2 id=\"savings\">Savings against the collective target</h2>\n");
    if let Some(t) = &plan.savings.target {
        out.push_str("<div class=\"figures\">");
        out.push_str(&figure(&format!("Target by {}", t.by), &pounds(t.target)));
        if let Some(as_at) = t.as_at {
            out.push_str(&figure(
                &format!("Achieved to {as_at}"),
                &pounds(t.achieved_to_date),
            ));
        }
        out.push_str(&figure("Gap", &pounds(t.gap)));
        if let RunRate::PerYear(rate) = t.run_rate {
            out.push_str(&figure("Run rate needed a year", &pounds(rate)));
        }
        out.push_str("</div>\n");
        let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(&t.run_rate_text()));
    }
    out.push_str(&savings_chart(plan));
    let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(SAVINGS_RULE));

    out.push_str("<h2 id=\"returns\">Contributions against savings, by council</h2>\n<p class=\"note\">What each council paid (every allocation it bears) and its cashable savings, year by year; savings only for reported years.</p>\n");
    out.push_str(&council_charts(plan, book));

    out.push_str("<h2 id=\"annual-reports\">Annual reports</h2>\n<ul>\n");
    for year in annual_report_years(results) {
        let _ = writeln!(
            out,
            "<li><a href=\"{}/{ANNUAL_REPORT_PDF}\">Annual report {}</a> (PDF), also on <a href=\"{}/index.html\">the year's page</a></li>",
            year.dashed(),
            escape(&year.to_string()),
            year.dashed()
        );
    }
    out.push_str("</ul>\n");
    out
}
