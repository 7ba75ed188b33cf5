//! The annual report pack and the business plan in the documents (issue 6): the 2013/14
//! annual report through `pdftotext` (outturn, exceptions, statuses in words, each council's
//! return, the cumulative savings against the GBP 57m target with the same figures as
//! `plan.xlsx`), no report for a forecast year, and the top dashboard's plan and charts, read as
//! HTML and rendered by headless Chromium.

use super::dashboard::screenshot_is_not_blank;
use super::{csv_rows, folder, pdf_text, pounds, reports};
use crate::support::*;
use accord::engine::{self, plan, ExtraActuals};
use std::fs;

/// The lines of `text` that contain every one of `parts`.
fn lines_with<'a>(text: &'a str, parts: &[&str]) -> Vec<&'a str> {
    text.lines()
        .filter(|l| parts.iter().all(|p| l.contains(p)))
        .collect()
}

#[test]
fn the_annual_report_pdf_shows_outturn_exceptions_statuses_returns_and_the_target() {
    let out = reports();
    let text = pdf_text(&out.join("2013-14/annual_report.pdf"));
    for expected in [
        "Annual report",
        "Outturn 2013/14",
        "Variances by exception 2013/14",
        "Savings against targets 2013/14",
        "Each council's return 2013/14",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }

    // Outturn: each programme's budget and spend, as carry_forward.csv has them.
    let outturn: Vec<Vec<String>> = csv_rows(out, "carry_forward.csv")
        .into_iter()
        .filter(|r| r[0] == "2013/14")
        .collect();
    assert!(outturn.len() >= 8, "the fixture's programmes");
    for row in &outturn {
        let (budget, actual) = (pounds(&row[4]), pounds(&row[8]));
        assert!(
            !lines_with(&text, &[&row[1], &budget, &actual]).is_empty(),
            "{}: budget {budget} and actual {actual} on one line of\n{text}",
            row[1]
        );
    }

    // Exceptions: every one, and CHILDREN's staff overspend of 10,000.00 among them.
    let exceptions: Vec<Vec<String>> = csv_rows(out, "variance.csv")
        .into_iter()
        .filter(|r| r[0] == "2013/14" && r[6] == "yes")
        .collect();
    assert!(exceptions
        .iter()
        .any(|r| r[1] == "CHILDREN" && r[2] == "staff" && r[5] == "10000.00"));
    for row in &exceptions {
        assert!(
            !lines_with(&text, &[&row[1], &row[2], &pounds(&row[5])]).is_empty(),
            "exception {} {} {} in\n{text}",
            row[1],
            row[2],
            row[5]
        );
    }
    assert!(
        !lines_with(
            &text,
            &["Variance exceptions", &exceptions.len().to_string()]
        )
        .is_empty(),
        "the headline counts the exceptions"
    );
    let not_exception = csv_rows(out, "variance.csv")
        .into_iter()
        .find(|r| r[0] == "2013/14" && r[6] == "no" && r[1] == "CHILDREN" && r[5] != "0.00")
        .expect("a CHILDREN variance that is not an exception");
    assert!(
        lines_with(&text, &["CHILDREN", &not_exception[2]]).is_empty(),
        "{} {} is not an exception, so not listed",
        not_exception[1],
        not_exception[2]
    );

    // Statuses in words, as the engine has them.
    let (book, _) = accord::pipeline::load(&fixture());
    let book = book.unwrap();
    let results = engine::run(&book, &ExtraActuals::new());
    let plan = plan::plan(&book, &results);
    let statuses: Vec<_> = plan.status.iter().filter(|s| s.year.0 == 2013).collect();
    assert!(statuses.iter().any(|s| s.status == Some(plan::Rag::Amber)));
    assert!(statuses.iter().any(|s| s.status == Some(plan::Rag::Green)));
    for s in statuses {
        let target = accord::report::wording::pounds(s.target.expect("the fixture gives targets"));
        assert!(
            !lines_with(&text, &[&s.programme, &target, s.status_text()]).is_empty(),
            "{}: {} in words in\n{text}",
            s.programme,
            s.status_text()
        );
    }

    // Each council's return, as returns.csv has it.
    for row in csv_rows(out, "returns.csv")
        .into_iter()
        .filter(|r| r[0] == "2013/14")
    {
        assert!(
            !lines_with(&text, &[&row[1], &pounds(&row[2]), &pounds(&row[3])]).is_empty(),
            "{}: paid {} and saved {} in\n{text}",
            row[1],
            row[2],
            row[3]
        );
    }
    assert!(text.contains("saved for every GBP 1 paid"));

    // The partnership against its GBP 57m target: the figures plan.xlsx shows.
    for (label, figure) in [
        ("Cumulative cashable savings", "£14,409,500.00"),
        ("Collective target, 2016/17", "£57,000,000.00"),
        ("Gap as at 2013/14", "£42,590,500.00"),
        ("Run rate needed a year", "£14,196,833.34"),
    ] {
        assert!(
            !lines_with(&text, &[label, figure]).is_empty(),
            "{label} {figure} in\n{text}"
        );
    }
    assert!(!lines_with(&text, &["gap", "£42,590,500.00"]).is_empty());
}

#[test]
fn a_year_with_actuals_has_an_annual_report_and_a_forecast_year_none() {
    let out = reports();
    let mut forecast = 0;
    for row in csv_rows(out, "carry_forward.csv")
        .iter()
        .filter(|r| r[1] == "OFFICE")
    {
        let dir = out.join(folder(&row[0]));
        let page = fs::read_to_string(dir.join("index.html")).unwrap();
        let pdf = dir.join("annual_report.pdf");
        if row[2] == "actual" {
            let text = pdf_text(&pdf);
            assert!(text.contains("Annual report") && text.contains(&row[0]));
            assert!(
                page.contains(&format!("Annual report {}", row[0]))
                    && page.contains("href=\"annual_report.pdf\""),
                "{}: the year's page has the report",
                row[0]
            );
        } else {
            forecast += 1;
            assert!(!pdf.exists(), "{}: a forecast year has no report", row[0]);
            assert!(!page.contains("annual_report.pdf"), "{}", row[0]);
        }
    }
    assert_eq!(forecast, 3, "the fixture's forecast years");
    // The year's page shows the report's figures too, statuses in words.
    let page = fs::read_to_string(out.join("2013-14/index.html")).unwrap();
    for expected in [
        "£42,590,500.00",
        "£14,409,500.00",
        ">amber</td>",
        ">staff</td>",
    ] {
        assert!(page.contains(expected), "{expected} on the 2013/14 page");
    }
}

/// The cells of the table row whose first cell is `key`, in the table after `heading`.
fn row_after(html: &str, heading: &str, key: &str) -> (Vec<String>, Vec<String>) {
    let start = html.find(heading).unwrap_or_else(|| panic!("{heading}"));
    let table = &html[start..];
    let table = &table[..table.find("</table>").unwrap()];
    let cells = |row: &str, tag: &str| -> Vec<String> {
        row.split(&format!("<{tag}"))
            .skip(1)
            .filter(|c| !c.starts_with("ead"))
            .map(|c| {
                let c = &c[c.find('>').unwrap() + 1..];
                c[..c.find('<').unwrap()].to_string()
            })
            .collect()
    };
    let header = cells(&table[..table.find("</thead>").unwrap()], "th");
    let row = table
        .split("<tr")
        .find(|r| r.contains(&format!("<td>{key}</td>")))
        .unwrap_or_else(|| panic!("row {key} after {heading}"));
    (header, cells(row, "td"))
}

#[test]
fn the_dashboard_shows_the_plan_the_savings_line_and_a_chart_per_council() {
    let out = reports();
    let path = out.join("index.html");
    let html = fs::read_to_string(&path).unwrap();
    assert!(html.contains("Business plan 2014/15 to 2016/17"));
    for year in ["2014/15", "2015/16", "2016/17"] {
        assert!(
            html.contains(&format!("<h4>{year}</h4>")),
            "plan year {year}"
        );
    }
    let (header, hrw) = row_after(&html, "<h4>2014/15</h4>", "HRW");
    let office = header.iter().position(|h| h == "OFFICE").unwrap();
    assert_eq!(
        hrw[office], "£31,475.00",
        "HRW's 2014/15 Office contribution"
    );
    assert!(html.contains("Projected closing"), "the projected balances");
    assert!(html.contains("href=\"plan.xlsx\""));
    for year in ["2012-13", "2013-14"] {
        assert!(html.contains(&format!("href=\"{year}/annual_report.pdf\"")));
    }
    assert!(!html.contains("2014-15/annual_report.pdf"));
    assert!(
        html.contains("aria-label=\"Cumulative cashable savings against the collective target\"")
    );
    for row in csv_rows(out, "returns.csv")
        .into_iter()
        .filter(|r| r[0] == "2012/13")
    {
        assert!(
            html.contains(&format!(
                "aria-label=\"{}: contributions against savings\"",
                row[1]
            )),
            "a chart for {}",
            row[1]
        );
    }
    assert!(html.contains("£42,590,500.00") && !html.contains("<script"));

    let shots = scratch("top-screenshot");
    let png = shots.join("top.png");
    screenshot_is_not_blank(&path, &png);
}
