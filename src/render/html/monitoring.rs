//! The monitoring section of the dashboard of the year in progress (SPEC §9): the date the
//! actuals run to, headline figures, the exceptions first, then each programme's budget, budget
//! to date, actual to date, forecast outturn and variance, and each programme's categories,
//! with a link to `monitoring.pdf`. Every piece of text goes through the HTML module's escaping.

use super::dashboard::{money, text};
use super::{escape, figure, table, Tr};
use crate::engine::MonitoringRow;
use crate::report::monitoring::{
    exception_word, explanation, MonitoringReport, ProgrammeLine, CATEGORY_FIGURES,
    PROGRAMME_FIGURES,
};
use crate::report::wording::{long_date, pounds};

/// The file the monitoring report is written to, in the year's folder.
pub const MONITORING_PDF: &str = "monitoring.pdf";

fn category_rows(rows: &[&MonitoringRow]) -> Vec<Tr> {
    rows.iter()
        .map(|r| {
            let mut cells = vec![text(&r.programme), text(&r.category)];
            cells.extend(CATEGORY_FIGURES.iter().map(|(_, f)| money(f(r))));
            cells.push(text(exception_word(r.exception)));
            if r.exception {
                Tr::with_class("exception", cells)
            } else {
                Tr::new(cells)
            }
        })
        .collect()
}

/// The categories' table: its header and which of its columns hold figures.
fn category_table(rows: &[&MonitoringRow]) -> String {
    let mut header = vec!["Programme", "Category"];
    header.extend(CATEGORY_FIGURES.iter().map(|(name, _)| *name));
    header.push("Exception");
    let numeric: Vec<bool> = (0..header.len())
        .map(|i| i >= 2 && i < header.len() - 1)
        .collect();
    table(&header, &numeric, &category_rows(rows))
}

fn programme_row(p: &ProgrammeLine, total: bool) -> Tr {
    let mut cells = vec![text(&p.programme), text(&p.name)];
    cells.extend(PROGRAMME_FIGURES.iter().map(|(_, f)| money(f(p))));
    cells.push(text(if total {
        ""
    } else {
        exception_word(p.exception)
    }));
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
        body.push_str(&category_table(&exceptions));
    }
    body.push_str("<h3>By programme</h3>\n");
    let mut rows: Vec<Tr> = report
        .programmes
        .iter()
        .map(|p| programme_row(p, false))
        .collect();
    rows.push(programme_row(t, true));
    let mut header = vec!["Programme", "Name"];
    header.extend(PROGRAMME_FIGURES.iter().map(|(name, _)| *name));
    header.push("Exception");
    let numeric: Vec<bool> = (0..header.len())
        .map(|i| i >= 2 && i < header.len() - 1)
        .collect();
    body.push_str(&table(&header, &numeric, &rows));
    body.push_str("<h3>By programme and category</h3>\n");
    let all: Vec<&MonitoringRow> = report.rows.iter().collect();
    body.push_str(&category_table(&all));
    body.push_str(&format!(
        "<p class=\"note\">The monitoring report for the Programme Boards: <a href=\"{MONITORING_PDF}\">{MONITORING_PDF}</a>.</p>\n"
    ));
    body
}
