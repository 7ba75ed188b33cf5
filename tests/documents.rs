//! The documents people read (issue 5), read back through other programs than the one that
//! wrote them: invoice and statement PDFs through poppler's `pdftotext`, the workbooks through
//! calamine, the dashboards through headless Chromium. Also: text from the book stays inert in
//! every document, and the same book gives the same bytes (tests in `documents/`).

mod annual;
mod dashboard;
mod inert;

use crate::support::*;
use calamine::{open_workbook, Data, Reader, Xlsx};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The fixture's reports, produced once and shared by the tests that only read them.
pub fn reports() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = shared_scratch("documents").join("reports");
        run_into(&fixture(), &out);
        out
    })
}

/// `49166.67` as the documents print it: `£49,166.67`.
pub fn pounds(amount: &str) -> String {
    let (sign, rest) = match amount.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", amount),
    };
    let (whole, pence) = rest.split_once('.').unwrap();
    format!("{sign}£{}.{pence}", accord::money::group_thousands(whole))
}

pub fn pence(amount: &str) -> i64 {
    let negative = amount.starts_with('-');
    let digits: String = amount.chars().filter(char::is_ascii_digit).collect();
    let value: i64 = digits.parse().unwrap();
    if negative {
        -value
    } else {
        value
    }
}

pub fn from_pence(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", value.abs() / 100, value.abs() % 100)
}

pub fn csv_rows(out: &Path, file: &str) -> Vec<Vec<String>> {
    crate::support::csv_data(&out.join(file))
}

pub fn pdf_text(path: &Path) -> String {
    let output = Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext runs (Debian poppler-utils; .ci/run installs it)");
    assert!(
        output.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    String::from_utf8(output.stdout).unwrap()
}

/// `2012/13` -> `2012-13`.
pub fn folder(year: &str) -> String {
    year.replace('/', "-")
}

#[test]
fn every_invoice_pdf_shows_its_number_dates_lines_and_total() {
    let out = reports();
    let mut invoices: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for row in csv_rows(out, "invoices.csv") {
        invoices.entry(row[0].clone()).or_default().push(row);
    }
    assert!(invoices.len() > 100, "the fixture has many invoices");
    // An invoice the register holds is printed as it was issued (issue 12): its lines are the
    // register's, in the invoices.csv layout.
    let mut issued: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for row in csv_rows(&fixture(), "issued.csv") {
        issued.entry(row[0].clone()).or_default().push(vec![
            row[0].clone(),
            row[2].clone(),
            row[3].clone(),
            row[4].clone(),
            row[5].clone(),
            row[6].clone(),
        ]);
    }
    for (number, lines) in issued.iter().filter(|(n, _)| n.split('/').count() == 4) {
        invoices.insert(number.clone(), lines.clone());
    }
    let adjustments: std::collections::BTreeSet<String> = csv_rows(out, "issue.csv")
        .into_iter()
        .filter(|r| r[1] != "invoice")
        .map(|r| r[0].clone())
        .collect();
    let mut pdfs = 0;
    for year in ["2012-13", "2013-14", "2014-15", "2015-16", "2016-17"] {
        pdfs += fs::read_dir(out.join(year).join("invoices"))
            .unwrap()
            .count();
    }
    assert_eq!(
        pdfs,
        invoices.len() + adjustments.len(),
        "one PDF per invoice and adjustment, no more"
    );
    for (number, lines) in &invoices {
        let path = out
            .join(folder(&lines[0][1]))
            .join("invoices")
            .join(format!("{}.pdf", number.replace('/', "-")));
        let text = pdf_text(&path);
        assert!(
            text.contains(number),
            "{number}: the number is on the invoice"
        );
        let total: i64 = lines.iter().map(|l| pence(&l[5])).sum();
        assert!(
            text.contains(&pounds(&from_pence(total))),
            "{number}: total {} in\n{text}",
            from_pence(total)
        );
        for line in lines {
            assert!(
                text.contains(&line[4]),
                "{number}: programme {} listed",
                line[4]
            );
            assert!(
                text.contains(&pounds(&line[5])),
                "{number}: line {} {} in\n{text}",
                line[4],
                line[5]
            );
        }
    }
    // The fixture's invoice_date is 2012-04-30 with 30 days' terms: in 2013/14 that is 30 April
    // 2013, due 30 May 2013; and each line says how it was worked out.
    let text = pdf_text(&out.join("2013-14/invoices/WLA-2013-14-EAL-HRW.pdf"));
    for expected in [
        "London Borough of Ealing",
        "London Borough of Harrow",
        "30 April 2013",
        "30 May 2013",
        "Adult Care Services",
        "equal share: 365 of 2,190",
        "support in kind from EAL shared by",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    let transport = pdf_text(&out.join("2013-14/invoices/WLA-2013-14-HOU-BAR.pdf"));
    assert!(
        transport.contains("weighted: 42.5 × 365 days"),
        "{transport}"
    );
}

#[test]
fn every_statement_shows_what_the_council_pays() {
    let out = reports();
    let mut paid: BTreeMap<(String, String), i64> = BTreeMap::new();
    for row in csv_rows(out, "allocations.csv") {
        *paid.entry((row[0].clone(), row[2].clone())).or_default() += pence(&row[6]);
    }
    for ((year, council), total) in &paid {
        let dir = out.join(folder(year)).join("statements");
        let text = pdf_text(&dir.join(format!("{council}.pdf")));
        let shown = pounds(&from_pence(*total));
        assert!(
            text.contains("Total it pays") && text.contains(&shown),
            "{year} {council}: {shown} in\n{text}"
        );
        let mut workbook: Xlsx<_> = open_workbook(dir.join(format!("{council}.xlsx"))).unwrap();
        let sheet = workbook.worksheet_range("Statement").unwrap();
        let wanted = *total as f64 / 100.0;
        let found = sheet.rows().any(|r| {
            matches!(&r[0], Data::String(s) if s == "Total it pays")
                && matches!(r[1], Data::Float(v) if (v - wanted).abs() < 0.005)
        });
        assert!(found, "{year} {council}: the workbook shows {wanted}");
    }
    let ealing = pdf_text(&out.join("2013-14/statements/EAL.pdf"));
    for expected in [
        "Its own contributions",
        "Invoices it raises",
        "WLA/2013-14/EAL/HRW",
        "Balances",
        "Its savings",
        "Its return",
    ] {
        assert!(
            ealing.contains(expected),
            "{expected:?} in Ealing's statement"
        );
    }
}

#[test]
fn the_summary_workbook_holds_the_matrix_with_formula_totals_and_charts() {
    let out = reports();
    let path = out.join("2012-13/summary.xlsx");
    let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
    let values = workbook.worksheet_range("Contributions").unwrap();
    let formulas = workbook.worksheet_formula("Contributions").unwrap();
    let rows: Vec<&[Data]> = values.rows().collect();
    let header_index = rows
        .iter()
        .position(|r| matches!(&r[0], Data::String(s) if s == "Programme"))
        .unwrap();
    let header: Vec<String> = rows[header_index].iter().map(|c| c.to_string()).collect();
    let total_col = header.iter().position(|h| h == "Total").unwrap();
    let mut expected: BTreeMap<(String, String), f64> = BTreeMap::new();
    for row in csv_rows(out, "allocations.csv")
        .into_iter()
        .filter(|r| r[0] == "2012/13")
    {
        *expected
            .entry((row[1].clone(), row[2].clone()))
            .or_default() += pence(&row[6]) as f64 / 100.0;
    }
    let start = values.start().unwrap();
    let mut checked = 0;
    let mut grand = 0.0;
    for (i, row) in rows.iter().enumerate().skip(header_index + 1) {
        let Data::String(programme) = &row[0] else {
            continue;
        };
        let absolute = (start.0 + i as u32, start.1 + total_col as u32);
        let formula = formulas.get_value(absolute).cloned().unwrap_or_default();
        assert!(
            formula.starts_with("SUM("),
            "{programme}: the total is a formula, not {formula:?}"
        );
        let Data::Float(total) = row[total_col] else {
            panic!("{programme}: the total has a value")
        };
        if programme == "Total" {
            assert!((total - grand).abs() < 0.005, "the grand total");
            continue;
        }
        let mut sum = 0.0;
        for (col, council) in header.iter().enumerate().take(total_col).skip(2) {
            let want = expected.get(&(programme.clone(), council.clone()));
            match (&row[col], want) {
                (Data::Float(v), Some(w)) => {
                    assert!((v - w).abs() < 0.005, "{programme} {council}: {v} vs {w}");
                    sum += v;
                }
                (Data::Empty, None) => {}
                (got, want) => panic!("{programme} {council}: {got:?} vs {want:?}"),
            }
            checked += 1;
        }
        assert!((total - sum).abs() < 0.005, "{programme}: row total");
        grand += total;
    }
    assert!(
        checked > 40,
        "the matrix has the fixture's cells ({checked})"
    );
    for sheet in ["Carry forward", "Balances", "Invoices", "Variance"] {
        assert!(workbook.worksheet_range(sheet).is_ok(), "sheet {sheet}");
    }
    let bytes = fs::read(&path).unwrap();
    for chart in ["xl/charts/chart1.xml", "xl/charts/chart2.xml"] {
        assert!(
            bytes.windows(chart.len()).any(|w| w == chart.as_bytes()),
            "{chart} is in the workbook"
        );
    }
}
