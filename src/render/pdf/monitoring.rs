//! The monitoring report for the year in progress (SPEC §9, Accord 7.3) as a print-ready A4
//! PDF, `2013-14/monitoring.pdf`: what the Programme Boards see during the year. Headline
//! figures, the exceptions first, then every programme's budget, budget to date, actual to
//! date, forecast outturn and variance, each programme's categories, and the forecast
//! balances built on the outturn. Laid out by the shared PDF flow, like the annual report.

use super::flow::{Align, Column, Flow, Row, MARGIN, TEXT_WIDTH};
use super::font::Weight;
use super::{BLACK, GREY};
use crate::engine::MonitoringRow;
use crate::report::monitoring::{explanation, MonitoringReport, ProgrammeLine};
use crate::report::wording::{long_date, pounds};

/// One left-aligned column (it wraps between words) and `numeric` right-aligned ones: on A4,
/// five amounts and a column of names are as many as fit side by side.
fn columns(text_share: f32, numeric: usize) -> Vec<Column> {
    let mut out = vec![Column {
        width: text_share,
        align: Align::Left,
    }];
    out.extend((0..numeric).map(|_| Column {
        width: 1.0,
        align: Align::Right,
    }));
    out
}

/// `ADULTS commissioning`, marked ` *` when it is an exception and `marked`.
fn line_name(row: &MonitoringRow, marked: bool) -> String {
    let category = if row.category.is_empty() {
        "(no category)"
    } else {
        row.category.as_str()
    };
    let mark = if marked && row.exception { " *" } else { "" };
    format!("{} {category}{mark}", row.programme)
}

fn category_rows(rows: &[&MonitoringRow], marked: bool) -> Vec<Row> {
    rows.iter()
        .map(|r| {
            Row::plain(vec![
                line_name(r, marked),
                pounds(r.budget),
                pounds(r.budget_to_date),
                pounds(r.actual_to_date),
                pounds(r.forecast_outturn),
                pounds(r.variance),
            ])
        })
        .collect()
}

const AMOUNTS: [&str; 5] = [
    "Budget",
    "Budget to date",
    "Actual to date",
    "Forecast outturn",
    "Variance",
];

fn header(first: &'static str) -> Vec<&'static str> {
    let mut out = vec![first];
    out.extend(AMOUNTS);
    out
}

fn programme_row(p: &ProgrammeLine, total: bool) -> Row {
    let mark = if p.exception { " *" } else { "" };
    let cells = vec![
        format!("{}{mark}", p.programme),
        pounds(p.budget),
        pounds(p.budget_to_date),
        pounds(p.actual_to_date),
        pounds(p.forecast_outturn),
        pounds(p.variance),
    ];
    if total {
        Row::total(cells)
    } else {
        Row::plain(cells)
    }
}

/// The PDF of the monitoring report.
pub fn monitoring_pdf(report: &MonitoringReport) -> Vec<u8> {
    let year = report.year;
    let to = long_date(report.actuals_to);
    let footer = format!(
        "Budget monitoring of the West London Alliance shared programmes, {year}, actuals to {to} (Accord 7.3). Worked out by accord {} from the partnership's budget book.",
        env!("CARGO_PKG_VERSION")
    );
    let mut flow = Flow::new(&format!("Budget monitoring {year}"), &footer);
    flow.title(
        "Budget monitoring",
        &format!("West London Alliance, {year}, actuals to {to}"),
    );
    flow.paragraph(&explanation(report), 9.0, Weight::Regular, BLACK);
    flow.space(2.0);

    let exceptions: Vec<&MonitoringRow> = report.exceptions().collect();
    let t = &report.total;
    let pairs: Vec<(&str, String)> = vec![
        ("Actuals to", to.clone()),
        (
            "Days of the year",
            format!("{} of {}", report.days_elapsed, report.days_in_year),
        ),
        (
            "Exceptions",
            format!("{} of {} lines", exceptions.len(), report.rows.len()),
        ),
        ("Budget", pounds(t.budget)),
        ("Budget to date", pounds(t.budget_to_date)),
        ("Actual to date", pounds(t.actual_to_date)),
        ("Forecast outturn", pounds(t.forecast_outturn)),
        ("Forecast variance", pounds(t.variance)),
    ];
    let half = pairs.len().div_ceil(2);
    let top = flow.cursor();
    let left = flow.pairs(MARGIN, top, &pairs[..half]);
    let right = flow.pairs(MARGIN + TEXT_WIDTH / 2.0 + 10.0, top, &pairs[half..]);
    flow.set_cursor(left.min(right) - 8.0);

    flow.heading("Exceptions");
    if exceptions.is_empty() {
        flow.paragraph(
            &format!("No programme or category is an exception at {to}."),
            9.0,
            Weight::Regular,
            BLACK,
        );
    } else {
        flow.paragraph(
            "The lines whose forecast variance reaches both thresholds, for the Programme Boards' attention.",
            8.5,
            Weight::Regular,
            GREY,
        );
        flow.space(4.0);
        flow.table(
            &columns(1.3, 5),
            &header("Programme and category"),
            &category_rows(&exceptions, false),
        );
    }
    flow.space(8.0);

    flow.heading("By programme");
    flow.paragraph(
        "* an exception: the variance reaches both thresholds.",
        8.5,
        Weight::Regular,
        GREY,
    );
    flow.space(4.0);
    let mut rows: Vec<Row> = report
        .programmes
        .iter()
        .map(|p| programme_row(p, false))
        .collect();
    rows.push(programme_row(&report.total, true));
    flow.table(&columns(1.0, 5), &header("Programme"), &rows);
    flow.space(8.0);

    flow.heading("By programme and category");
    flow.paragraph(
        "Every line of every programme; * an exception.",
        8.5,
        Weight::Regular,
        GREY,
    );
    flow.space(4.0);
    let all = report.rows_by_code();
    flow.table(
        &columns(1.3, 5),
        &header("Programme and category"),
        &category_rows(&all, true),
    );
    flow.space(8.0);

    flow.heading("Forecast balances");
    flow.paragraph(
        "Each programme's closing balance for the year, if the rest of the year is spent on budget: the balance carried into next year's contributions.",
        8.5,
        Weight::Regular,
        GREY,
    );
    flow.space(4.0);
    let by_code = report.programmes_by_code();
    let mut rows: Vec<Row> = by_code
        .iter()
        .map(|p| {
            Row::plain(vec![
                p.programme.clone(),
                p.name.clone(),
                pounds(p.forecast_outturn),
                pounds(p.closing),
            ])
        })
        .collect();
    rows.push(Row::total(vec![
        "Total".into(),
        String::new(),
        pounds(t.forecast_outturn),
        pounds(t.closing),
    ]));
    let mut balance_columns = columns(0.8, 0);
    balance_columns.extend(columns(2.6, 2));
    flow.table(
        &balance_columns,
        &["Programme", "Name", "Forecast outturn", "Forecast closing"],
        &rows,
    );
    flow.finish().to_pdf()
}
