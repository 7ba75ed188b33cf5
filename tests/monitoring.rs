//! Budget monitoring during the year (issue 18, SPEC §9), end to end on the second fixture
//! book, `fixtures/wla-september/` (the WLA book with `actuals_to,2013-09-30`, six months of
//! 2013/14 actuals and a monthly profile for the Public Health group): monitoring.csv, the
//! in-progress carry-forward, the monitoring PDF read back through `pdftotext`, the dashboard
//! section and the workbook sheet; a ledger cut at `actuals_to`; and every bad input with its
//! reproducer, place and message.

use crate::documents::{csv_rows, pdf_text, pounds};
use crate::support::*;
use calamine::{open_workbook, Reader, Xlsx};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn september() -> PathBuf {
    repo().join("fixtures/wla-september")
}

/// The September book's reports, produced once for the tests that only read them.
fn reports() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = shared_scratch("september").join("reports");
        let output = run_into(&september(), &out);
        assert!(
            stdout(&output).contains("monitoring: 2013/14 in progress, actuals to 2013-09-30"),
            "{}",
            stdout(&output)
        );
        out
    })
}

/// Copies the September book's CSV files into `dir/book`.
fn copy_september(dir: &Path) -> PathBuf {
    let book = dir.join("book");
    fs::create_dir_all(&book).unwrap();
    for entry in fs::read_dir(september()).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, book.join(path.file_name().unwrap())).unwrap();
    }
    book
}

fn text_of(out: &Path, file: &str) -> String {
    fs::read_to_string(out.join(file)).unwrap()
}

#[test]
fn the_september_book_is_the_fixture_book_with_half_a_year_of_actuals() {
    // Every table but settings, actuals and profile is the fixture's, byte for byte.
    for entry in fs::read_dir(fixture()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name == "settings.csv" || name == "actuals.csv" {
            continue;
        }
        assert_eq!(
            fs::read(&path).unwrap(),
            fs::read(september().join(&name)).unwrap(),
            "{name} differs from fixtures/wla"
        );
    }
    let settings = fs::read_to_string(september().join("settings.csv")).unwrap();
    assert!(settings.ends_with("actuals_to,2013-09-30\n"));
}

#[test]
fn monitoring_csv_holds_the_year_in_progress_worked_by_hand() {
    let out = reports();
    check_contract(out);
    let text = text_of(out, "monitoring.csv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "year,programme,category,budget,budget_to_date,actual_to_date,forecast_outturn,variance,exception"
    );
    let cases = [
        // GBP 155,000 × 183/365 days = 77,712.33 due by 30 September; 94,000.00 spent, so the
        // outturn is 94,000.00 + 155,000.00 − 77,712.33 = 171,287.67: 16,287.67 (10.5%) over.
        "2013/14,ADULTS,commissioning,155000.00,77712.33,94000.00,171287.67,16287.67,yes",
        // 265,000 × 183/365 = 132,863.01; 146,500.00 spent: 13,636.99 over, 5.1%.
        "2013/14,TRANSPORT,staff,265000.00,132863.01,146500.00,278636.99,13636.99,yes",
        // Feasibility studies slipping: 40,000 × 183/365 = 20,054.79 due, 8,200.00 spent.
        "2013/14,PROPERTY,running_costs,40000.00,20054.79,8200.00,28145.21,-11854.79,yes",
        // The Office's two running-cost lines together: 38,600 × 183/365 = 19,352.88.
        "2013/14,OFFICE,running_costs,38600.00,19352.88,17900.00,37147.12,-1452.88,no",
        // Public Health by its profile, 5% a month April to September: 30% is due.
        "2013/14,PUBHEALTH,staff,30000.00,9000.00,9400.00,30400.00,400.00,no",
        // Nothing spent yet on sexual health commissioning: the rest of its budget only.
        "2013/14,PUBHEALTH,commissioning,6000.00,1800.00,0.00,4200.00,-1800.00,no",
    ];
    for row in cases {
        assert!(
            text.lines().any(|l| l == row),
            "monitoring.csv has {row}\n{text}"
        );
    }
    assert_eq!(
        text.lines().filter(|l| l.ends_with(",yes")).count(),
        3,
        "three exceptions:\n{text}"
    );
    assert!(text.lines().skip(1).all(|l| l.starts_with("2013/14,")));
}

#[test]
fn the_year_in_progress_carries_its_forecast_outturn_forward() {
    let out = reports();
    let carry = csv_rows(out, "carry_forward.csv");
    let monitoring = csv_rows(out, "monitoring.csv");
    let golden = fs::read_to_string(repo().join("tests/golden/wla/carry_forward.csv")).unwrap();
    for row in &carry {
        let status = row[2].as_str();
        match row[0].as_str() {
            // 2012/13 is over: exactly as in the full-year book.
            "2012/13" => {
                assert_eq!(status, "actual");
                assert!(golden.lines().any(|l| l == row.join(",")), "{row:?}");
            }
            "2013/14" => {
                assert_eq!(status, "in_progress", "{row:?}");
                let outturn: i64 = monitoring
                    .iter()
                    .filter(|m| m[1] == row[1])
                    .map(|m| crate::documents::pence(&m[6]))
                    .sum();
                assert_eq!(crate::documents::pence(&row[8]), outturn, "{row:?}");
            }
            _ => assert_eq!(status, "forecast", "{row:?}"),
        }
    }
    // The adults' forecast outturn, by hand: staff 158,000 + 320,000 − 160,438.36; running
    // costs 19,800 + 40,000 − 20,054.79; commissioning 171,287.67: 528,594.52 in all.
    let adults = carry
        .iter()
        .find(|r| r[0] == "2013/14" && r[1] == "ADULTS")
        .unwrap();
    assert_eq!(adults[8], "528594.52");
    // Only 2012/13 is in variance.csv: 2013/14 is in progress.
    let variance = csv_rows(out, "variance.csv");
    assert!(!variance.is_empty() && variance.iter().all(|r| r[0] == "2012/13"));
}

#[test]
fn the_monitoring_pdf_shows_the_programme_boards_their_exceptions() {
    let out = reports();
    assert!(!out.join("2013-14/annual_report.pdf").exists());
    assert!(out.join("2012-13/annual_report.pdf").exists());
    assert!(!out.join("2012-13/monitoring.pdf").exists());
    let text = pdf_text(&out.join("2013-14/monitoring.pdf"));
    for phrase in [
        "Budget monitoring",
        "actuals to 30 September 2013",
        "183 of the 365 days of 2013/14",
        "Exceptions",
        "3 of 19 lines",
        "By programme",
        "By programme and category",
        "Forecast balances",
    ] {
        assert!(
            text.contains(phrase),
            "monitoring.pdf says {phrase:?}:\n{text}"
        );
    }
    // Each exception of monitoring.csv is on a line of its own with its figures, and the
    // exceptions come before the full table.
    let exceptions_at = text.find("\nExceptions").unwrap();
    let full_table_at = text.find("By programme and category").unwrap();
    for row in csv_rows(out, "monitoring.csv")
        .iter()
        .filter(|r| r[8] == "yes")
    {
        // The category may wrap onto the line below its programme.
        let wanted = [
            &row[1],
            &pounds(&row[3]),
            &pounds(&row[6]),
            &pounds(&row[7]),
        ];
        let line = text
            .lines()
            .find(|l| wanted.iter().all(|w| l.contains(w.as_str())))
            .unwrap_or_else(|| panic!("a line with {wanted:?}:\n{text}"));
        let at = text.find(line).unwrap();
        assert!(
            exceptions_at < at && at < full_table_at,
            "{line} is listed first"
        );
    }
    // The total forecast outturn of carry_forward.csv's 2013/14 rows.
    let total: i64 = csv_rows(out, "carry_forward.csv")
        .iter()
        .filter(|r| r[0] == "2013/14")
        .map(|r| crate::documents::pence(&r[8]))
        .sum();
    let shown = pounds(&crate::documents::from_pence(total));
    assert!(text.contains(&shown), "total outturn {shown}:\n{text}");
}

#[test]
fn the_dashboard_and_workbook_of_the_year_in_progress_have_a_monitoring_section() {
    let out = reports();
    let page = text_of(out, "2013-14/index.html");
    assert!(page.contains("Budget monitoring: actuals to 30 September 2013"));
    assert!(page.contains("href=\"monitoring.pdf\""));
    assert!(page.contains("in progress"));
    let before = text_of(out, "2012-13/index.html");
    assert!(!before.contains("Budget monitoring"));
    let mut workbook: Xlsx<_> = open_workbook(out.join("2013-14/summary.xlsx")).unwrap();
    assert!(workbook.sheet_names().contains(&"Monitoring".to_string()));
    let sheet = workbook.worksheet_range("Monitoring").unwrap();
    let cells: Vec<String> = sheet.rows().flatten().map(|c| c.to_string()).collect();
    assert!(cells
        .iter()
        .any(|c| c == "Budget monitoring, 2013/14, actuals to 30 September 2013"));
    assert!(
        cells.iter().any(|c| c == "171287.67"),
        "the adults' commissioning outturn"
    );
    let earlier: Xlsx<_> = open_workbook(out.join("2012-13/summary.xlsx")).unwrap();
    assert!(!earlier.sheet_names().contains(&"Monitoring".to_string()));
}

#[test]
fn the_full_year_book_writes_no_monitoring() {
    let out = crate::documents::reports();
    assert!(!out.join("monitoring.csv").exists());
    assert!(!out.join("2013-14/monitoring.pdf").exists());
}

#[test]
fn ledger_lines_after_actuals_to_are_not_counted() {
    let dir = scratch("september-ledger");
    let ledger = dir.join("gl.csv");
    fs::write(
        &ledger,
        "Date,AccountDescription,Amount\n\
         2013-09-30,WLA Office Staff,1000.00\n\
         2013-10-01,WLA Office Staff,2000.00\n\
         2015-01-15,WLA Office Staff,4000.00\n\
         2013-05-01,Unknown,8.00\n",
    )
    .unwrap();
    let out = dir.join("reports");
    let output = accord(&[
        "run",
        september().to_str().unwrap(),
        "--ledger",
        ledger.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let unmapped = text_of(&out, "unmapped.csv");
    let source = ledger.display().to_string();
    for row in [
        format!("{source},3,WLA Office Staff,2000.00,after actuals_to"),
        format!("{source},4,WLA Office Staff,4000.00,after actuals_to"),
        format!("{source},5,Unknown,8.00,no programme"),
    ] {
        assert!(unmapped.lines().any(|l| l == row), "{row} in\n{unmapped}");
    }
    assert_eq!(unmapped.lines().count(), 4, "{unmapped}");
    // The line of 30 September counts, in the year in progress, without a category.
    let monitoring = text_of(&out, "monitoring.csv");
    assert!(
        monitoring
            .lines()
            .any(|l| l.starts_with("2013/14,OFFICE,,0.00,0.00,1000.00,1000.00,1000.00,")),
        "{monitoring}"
    );
    assert!(
        stderr(&output).contains("dated after actuals_to"),
        "{}",
        stderr(&output)
    );
}

/// One bad input: an edit to one file of the September book, the place, and the message.
struct Case {
    file: &'static str,
    from: &'static str,
    to: &'static str,
    place: &'static str,
    message: &'static str,
}

const CASES: &[Case] = &[
    Case {
        file: "settings.csv",
        from: "actuals_to,2013-09-30",
        to: "actuals_to,end of September",
        place: "settings.csv:15:2",
        message: "is not a date",
    },
    Case {
        file: "settings.csv",
        from: "actuals_to,2013-09-30",
        to: "actuals_to,2017-04-01",
        place: "settings.csv:15:2",
        message: "actuals_to 2017-04-01 is outside the book's years (2012/13 to 2016/17",
    },
    Case {
        file: "profile.csv",
        from: "PUBHEALTH,4,5",
        to: "PUBHEALTH,4,6",
        place: "profile.csv:2:3",
        message: "the profile of PUBHEALTH totals 101 (4: 6, 5: 5,",
    },
    Case {
        file: "profile.csv",
        from: "PUBHEALTH,5,5",
        to: "PUBHEALTH,13,5",
        place: "profile.csv:3:2",
        message: "\"13\" is not a month; write a number from 1 to 12 (4 for April",
    },
    Case {
        file: "profile.csv",
        from: "PUBHEALTH,7,5",
        to: "PUBHEALTH,7,-5",
        place: "profile.csv:5:3",
        message: "\"-5\" is negative; a month's percentage is 0 or more",
    },
    Case {
        file: "profile.csv",
        from: "PUBHEALTH,6,5",
        to: "PUBHLTH,6,5",
        place: "profile.csv:4:1",
        message: "\"PUBHLTH\" is not a programme of this book",
    },
    Case {
        file: "actuals.csv",
        from: "2013/14,OFFICE,staff,72300.00",
        to: "2014/15,OFFICE,staff,72300.00",
        place: "actuals.csv:20:1",
        message: "2014/15 has not started by actuals_to (2013-09-30, in 2013/14), so it can have no actuals yet",
    },
];

#[test]
fn each_bad_input_is_an_error_at_its_cell_and_nothing_is_written() {
    for case in CASES {
        let dir = scratch("september-error");
        let book = copy_september(&dir);
        edit(&book, case.file, case.from, case.to);
        let out = dir.join("reports");
        let output = accord(&[
            "run",
            book.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{}: {err}", case.to);
        let wanted = format!("{}/{}: error: ", book.display(), case.place);
        let line = err
            .lines()
            .find(|l| l.starts_with(&wanted))
            .unwrap_or_else(|| panic!("{}: an error at {}:\n{err}", case.to, case.place));
        assert!(
            line.contains(case.message),
            "{line}\nshould say {}",
            case.message
        );
        assert!(!out.exists(), "nothing is written");
    }
}

#[test]
fn every_bad_input_is_listed_at_once() {
    let dir = scratch("september-errors");
    let book = copy_september(&dir);
    for case in CASES.iter().filter(|c| c.file != "settings.csv") {
        edit(&book, case.file, case.from, case.to);
    }
    let output = accord(&["validate", book.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    for case in CASES.iter().filter(|c| c.file != "settings.csv") {
        let wanted = format!("{}/{}: error: ", book.display(), case.place);
        assert!(err.contains(&wanted), "{} in:\n{err}", case.place);
    }
}

#[test]
fn the_top_page_lists_each_year_with_its_status_monitoring_and_adjustments() {
    let out = reports();
    let top = text_of(out, "index.html");
    // What the budget cycle has to send, counted from issue.csv, kind by kind.
    let mut documents: Vec<(String, String)> = crate::support::csv_data(&out.join("issue.csv"))
        .into_iter()
        .filter(|r| r[0].starts_with("WLA/2013-14/") && r[1] != "invoice")
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    documents.sort();
    documents.dedup();
    let of_kind = |kind: &str| documents.iter().filter(|(_, k)| k == kind).count();
    let (supplementaries, credit_notes) = (of_kind("supplementary"), of_kind("credit_note"));
    assert!(supplementaries > 0 && credit_notes > 0, "{documents:?}");
    let item = format!(
        "<li><a href=\"2013-14/index.html\">2013/14</a> (in progress, actuals to 30 September 2013): dashboard, <a href=\"2013-14/summary.xlsx\">summary workbook</a>, <a href=\"2013-14/monitoring.pdf\">monitoring report</a>, invoices and statements; {supplementaries} supplementary invoices and {credit_notes} credit notes, {} to send</li>",
        documents.len()
    );
    assert!(top.contains(&item), "{item}\nnot in the top index.html");
    assert!(top.contains("<a href=\"2012-13/index.html\">2012/13</a> (actual): "));
    assert!(top.contains("<a href=\"2014-15/index.html\">2014/15</a> (forecast): "));
    assert!(out.join("2013-14/monitoring.pdf").is_file());
}
