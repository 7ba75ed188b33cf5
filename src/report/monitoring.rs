//! The year in progress as reports see it (SPEC §9): `monitoring.csv`, the identities its rows
//! must satisfy (checked with the others before anything is written), and the monitoring
//! report the PDF, the year's dashboard and its workbook lay out: per programme and category,
//! budget, budget to date, actual to date, forecast outturn and variance, exceptions first.

use super::Table;
use crate::engine::{is_exception, MonitoringRow, Results, Status};
use crate::model::Book;
use crate::money::Money;
use crate::values::Year;
use chrono::NaiveDate;

/// `monitoring.csv`: one row per programme and category of the year in progress. `None` when
/// no year is in progress (then the file is not written).
pub fn monitoring_table(results: &Results) -> Option<Table> {
    results.in_progress?;
    let mut table = Table::new(
        "monitoring.csv",
        &[
            "year",
            "programme",
            "category",
            "budget",
            "budget_to_date",
            "actual_to_date",
            "forecast_outturn",
            "variance",
            "exception",
        ],
        3,
    );
    table.text_columns = vec!["category"];
    for m in &results.monitoring {
        table.rows.push(vec![
            m.year.to_string(),
            m.programme.clone(),
            m.category.clone(),
            m.budget.to_string(),
            m.budget_to_date.to_string(),
            m.actual_to_date.to_string(),
            m.forecast_outturn.to_string(),
            m.variance.to_string(),
            super::yes_no(m.exception),
        ]);
    }
    Some(table)
}

/// Checks the year in progress: each row's forecast outturn is its actual to date plus its
/// budget less its budget to date, and its variance the outturn less the budget; per
/// programme the rows' budgets are the year's budget and their outturns its `actual`. A
/// failure is a bug in accord, so it panics.
pub fn reconcile_monitoring(book: &Book, results: &Results) {
    for m in &results.monitoring {
        assert_eq!(Some(m.year), results.in_progress, "monitoring year");
        assert_eq!(
            m.forecast_outturn,
            m.actual_to_date + m.budget - m.budget_to_date,
            "forecast outturn of {} {} {}",
            m.programme,
            m.year,
            m.category
        );
        assert_eq!(m.variance, m.forecast_outturn - m.budget, "variance");
        let lines: Money = book
            .budget
            .iter()
            .filter(|b| b.year == m.year && b.programme == m.programme && b.category == m.category)
            .map(|b| b.amount)
            .sum();
        assert_eq!(lines, m.budget, "budget of {} {}", m.programme, m.category);
    }
    for e in &results.year_ends {
        let rows = results
            .monitoring
            .iter()
            .filter(|m| m.programme == e.programme);
        if e.status == Status::InProgress {
            assert_eq!(Some(e.year), results.in_progress, "the year in progress");
            let (budget, outturn) = rows.fold((Money::ZERO, Money::ZERO), |(b, o), m| {
                (b + m.budget, o + m.forecast_outturn)
            });
            assert_eq!(budget, e.budget, "budget in progress of {}", e.programme);
            assert_eq!(outturn, e.actual, "forecast outturn of {}", e.programme);
        } else {
            assert_ne!(Some(e.year), results.in_progress, "status of {}", e.year);
        }
    }
}

/// One programme's figures in the year in progress (its categories together), or their total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeLine {
    pub programme: String,
    pub name: String,
    pub budget: Money,
    pub budget_to_date: Money,
    pub actual_to_date: Money,
    pub forecast_outturn: Money,
    pub variance: Money,
    pub exception: bool,
    /// The forecast closing balance, built on the forecast outturn.
    pub closing: Money,
}

/// What the Programme Boards are shown during the year (Accord 7.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitoringReport {
    pub year: Year,
    pub actuals_to: NaiveDate,
    /// Days of the year up to and including `actuals_to`, and the year's days.
    pub days_elapsed: i64,
    pub days_in_year: i64,
    /// Per programme, exceptions first, then by code.
    pub programmes: Vec<ProgrammeLine>,
    /// Every programme together (`programme` is `Total`; its `exception` is false).
    pub total: ProgrammeLine,
    /// Every programme and category, exceptions first, then by programme and category.
    pub rows: Vec<MonitoringRow>,
    pub variance_pct: rust_decimal::Decimal,
    pub variance_abs: Money,
}

/// A figure column: its name, and how a row gives its value.
pub type Figure<Row> = (&'static str, fn(&Row) -> Money);

/// The figures of a programme's line, in the order every document shows them (the xlsx and
/// the dashboard; the PDF has its own narrower columns): name and value.
pub const PROGRAMME_FIGURES: [Figure<ProgrammeLine>; 6] = [
    ("Budget", |p| p.budget),
    ("Budget to date", |p| p.budget_to_date),
    ("Actual to date", |p| p.actual_to_date),
    ("Forecast outturn", |p| p.forecast_outturn),
    ("Variance", |p| p.variance),
    ("Forecast closing", |p| p.closing),
];

/// The figures of a programme and category's row, in the order every document shows them.
pub const CATEGORY_FIGURES: [Figure<MonitoringRow>; 5] = [
    ("Budget", |m| m.budget),
    ("Budget to date", |m| m.budget_to_date),
    ("Actual to date", |m| m.actual_to_date),
    ("Forecast outturn", |m| m.forecast_outturn),
    ("Variance", |m| m.variance),
];

/// `yes` for an exception, else `no`.
pub fn exception_word(exception: bool) -> &'static str {
    if exception {
        "yes"
    } else {
        "no"
    }
}

impl MonitoringReport {
    pub fn exceptions(&self) -> impl Iterator<Item = &MonitoringRow> {
        self.rows.iter().filter(|r| r.exception)
    }

    /// Every programme and category by programme and category (exceptions not first).
    pub fn rows_by_code(&self) -> Vec<&MonitoringRow> {
        let mut all: Vec<&MonitoringRow> = self.rows.iter().collect();
        all.sort_by(|a, b| (&a.programme, &a.category).cmp(&(&b.programme, &b.category)));
        all
    }

    /// Every programme by code (exceptions not first).
    pub fn programmes_by_code(&self) -> Vec<&ProgrammeLine> {
        let mut by_code: Vec<&ProgrammeLine> = self.programmes.iter().collect();
        by_code.sort_by(|a, b| a.programme.cmp(&b.programme));
        by_code
    }
}

/// The monitoring report for `year`, when it is the year in progress.
pub fn monitoring_report(book: &Book, results: &Results, year: Year) -> Option<MonitoringReport> {
    if results.in_progress != Some(year) {
        return None;
    }
    let actuals_to = results.actuals_to?;
    let s = &book.settings;
    let mut programmes: Vec<ProgrammeLine> = results
        .year_ends
        .iter()
        .filter(|e| e.year == year)
        .map(|e| {
            let rows: Vec<&MonitoringRow> = results
                .monitoring
                .iter()
                .filter(|m| m.programme == e.programme)
                .collect();
            let sum = |f: fn(&MonitoringRow) -> Money| rows.iter().map(|m| f(m)).sum::<Money>();
            let variance = e.actual - e.budget;
            ProgrammeLine {
                programme: e.programme.clone(),
                name: book
                    .programme(&e.programme)
                    .map_or_else(|| e.programme.clone(), |p| p.name.clone()),
                budget: e.budget,
                budget_to_date: sum(|m| m.budget_to_date),
                actual_to_date: sum(|m| m.actual_to_date),
                forecast_outturn: e.actual,
                variance,
                exception: is_exception(e.budget, variance, s.variance_pct, s.variance_abs),
                closing: e.closing,
            }
        })
        .collect();
    programmes.sort_by(|a, b| (!a.exception, &a.programme).cmp(&(!b.exception, &b.programme)));
    let total = programmes.iter().fold(
        ProgrammeLine {
            programme: "Total".into(),
            name: String::new(),
            budget: Money::ZERO,
            budget_to_date: Money::ZERO,
            actual_to_date: Money::ZERO,
            forecast_outturn: Money::ZERO,
            variance: Money::ZERO,
            exception: false,
            closing: Money::ZERO,
        },
        |mut t, p| {
            t.budget += p.budget;
            t.budget_to_date += p.budget_to_date;
            t.actual_to_date += p.actual_to_date;
            t.forecast_outturn += p.forecast_outturn;
            t.variance += p.variance;
            t.closing += p.closing;
            t
        },
    );
    let mut rows = results.monitoring.clone();
    rows.sort_by(|a, b| {
        (!a.exception, &a.programme, &a.category).cmp(&(!b.exception, &b.programme, &b.category))
    });
    Some(MonitoringReport {
        year,
        actuals_to,
        days_elapsed: (actuals_to - year.first_day()).num_days() + 1,
        days_in_year: year.days(),
        programmes,
        total,
        rows,
        variance_pct: s.variance_pct,
        variance_abs: s.variance_abs,
    })
}

/// The sentence that says what the figures are, shared by the PDF, dashboard and workbook.
pub fn explanation(report: &MonitoringReport) -> String {
    format!(
        "Actuals to {}: {} of the {} days of {}. Each programme's forecast outturn is what it has spent to date plus its budget for the rest of the year (the budget less the budget to date). A variance (forecast outturn less budget) is an exception when it reaches both {}% of the budget and GBP {} (Accord 7.3).",
        report.actuals_to.format("%-d %B %Y"),
        report.days_elapsed,
        report.days_in_year,
        report.year,
        report.variance_pct.normalize(),
        crate::money::grouped(report.variance_abs),
    )
}
