//! The monitoring section of the dashboard of the year in progress (SPEC §9): the date the
//! actuals run to, headline figures, the exceptions first, then each programme's budget, budget
//! to date, actual to date, forecast outturn and variance, and each programme's categories,
//! with a link to `monitoring.pdf`. Every piece of text goes through the HTML module's escaping.

use super::dashboard::{money, text};
use super::{escape, figure, table, Tr};
use crate::engine::MonitoringRow;
use crate::report::monitoring::{explanation, MonitoringReport, ProgrammeLine};
use crate::report::wording::{long_date, pounds};

/// The file the monitoring report is written to, in the year's folder.
pub const MONITORING_PDF: &str = "monitoring.pdf";

fn yes_no(flag: bool) -> &'static str {
    if flag {
        "yes"
    } else {
        "no"
    }
}

fn category_rows(rows: &[&MonitoringRow]) -> Vec<Tr> {
    rows.iter()
        .map(|r| {
            let cells = vec![
                text(&r.programme),
                text(&r.category),
                money(r.budget),
                money(r.budget_to_date),
                money(r.actual_to_date),
                money(r.forecast_outturn),
                money(r.variance),
                text(yes_no(r.exception)),
            ];
            if r.exception {
                Tr::with_class("exception", cells)
            } else {
                Tr::new(cells)
            }
        })
        .collect()
}

const CATEGORY_HEADER: [&str; 8] = [
    "Programme",
    "Category",
    "Budget",
    "Budget to date",
    "Actual to date",
    "Forecast outturn",
    "Variance",
    "Exception",
];
const CATEGORY_NUMERIC: [bool; 8] = [false, false, true, true, true, true, true, false];

fn programme_row(p: &ProgrammeLine, total: bool) -> Tr {
    let cells = vec![
        text(&p.programme),
        text(&p.name),
        money(p.budget),
        money(p.budget_to_date),
        money(p.actual_to_date),
        money(p.forecast_outturn),
        money(p.variance),
        money(p.closing),
        text(if total { "" } else { yes_no(p.exception) }),
    ];
    match (total, p.exception) {
        (true, _) => Tr::with_class("total", cells),
        (false, true) => Tr::with_class("exception", cells),
        (false, false) => Tr::new(cells),
    }
}

/// The section, placed at the top of the year's dashboard.
pub fn monitoring_section(report: &MonitoringReport) -> String {
    let to = long_date(report.actuals_to);
    let exceptions: Vec<&MonitoringRow> = report.exceptions().collect();
    let mut body = format!(
        "<h2>Budget monitoring: actuals to {}</h2>\n<p class=\"note\">{}</p>\n",
        escape(&to),
        escape(&explanation(report))
    );
    let t = &report.total;
    body.push_str("<div class=\"figures\">");
    body.push_str(&figure("Actuals to", &to));
    body.push_str(&figure("Budget", &pounds(t.budget)));
    body.push_str(&figure("Budget to date", &pounds(t.budget_to_date)));
    body.push_str(&figure("Actual to date", &pounds(t.actual_to_date)));
    body.push_str(&figure("Forecast outturn", &pounds(t.forecast_outturn)));
    body.push_str(&figure("Exceptions", &exceptions.len().to_string()));
    body.push_str("</div>\n");
    body.push_str("<h3>Exceptions</h3>\n");
    if exceptions.is_empty() {
        body.push_str(&format!(
            "<p class=\"note\">No programme or category is an exception at {}.</p>\n",
            escape(&to)
        ));
    } else {
        body.push_str(&table(
            &CATEGORY_HEADER,
            &CATEGORY_NUMERIC,
            &category_rows(&exceptions),
        ));
    }
    body.push_str("<h3>By programme</h3>\n");
    let mut rows: Vec<Tr> = report
        .programmes
        .iter()
        .map(|p| programme_row(p, false))
        .collect();
    rows.push(programme_row(t, true));
    body.push_str(&table(
        &[
            "Programme",
            "Name",
            "Budget",
            "Budget to date",
            "Actual to date",
            "Forecast outturn",
            "Variance",
            "Forecast closing",
            "Exception",
        ],
        &[false, false, true, true, true, true, true, true, false],
        &rows,
    ));
    body.push_str("<h3>By programme and category</h3>\n");
    let all: Vec<&MonitoringRow> = report.rows.iter().collect();
    body.push_str(&table(
        &CATEGORY_HEADER,
        &CATEGORY_NUMERIC,
        &category_rows(&all),
    ));
    body.push_str(&format!(
        "<p class=\"note\">The monitoring report for the Programme Boards: <a href=\"{MONITORING_PDF}\">{MONITORING_PDF}</a>.</p>\n"
    ));
    body
}
