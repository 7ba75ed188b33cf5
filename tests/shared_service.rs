//! The second example book, `fixtures/shared-service/` (SPEC §4): two district councils that
//! share their teams by caseload (drivers), by percentages that change part way through a year
//! (HR 74/26 then 82/18), with a 0% share, no Office and `settle`. Its golden outputs, the
//! figures its README works out by hand, a reproducer for each new error, and the workbook
//! that guides entry, read back by openpyxl.
// The case tables read best with their types written out in place.
#![allow(clippy::type_complexity)]

use crate::support::*;
use std::fs;
use std::path::{Path, PathBuf};

const GOLDEN_FILES: [&str; 7] = [
    "allocations.csv",
    "carry_forward.csv",
    "invoices.csv",
    "variance.csv",
    "benefits.csv",
    "returns.csv",
    "unmapped.csv",
];

fn shared_service() -> PathBuf {
    repo().join("fixtures/shared-service")
}

/// Copies the shared-service book's CSV files into `dir/book`.
fn copy_book(dir: &Path) -> PathBuf {
    let book = dir.join("book");
    fs::create_dir_all(&book).unwrap();
    for entry in fs::read_dir(shared_service()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            fs::copy(&path, book.join(path.file_name().unwrap())).unwrap();
        }
    }
    book
}

fn rows(out: &Path, file: &str) -> Vec<Vec<String>> {
    crate::support::csv_data(&out.join(file))
}

#[test]
fn shared_service_run_matches_the_golden_files() {
    let dir = scratch("shared-golden");
    let out = dir.join("reports");
    run_into(&shared_service(), &out);
    let golden = repo().join("tests/golden/shared-service");
    for file in GOLDEN_FILES {
        let got = fs::read_to_string(out.join(file)).unwrap();
        if std::env::var_os("ACCORD_BLESS").is_some() {
            fs::create_dir_all(&golden).unwrap();
            fs::write(golden.join(file), &got).unwrap();
            continue;
        }
        let want = fs::read_to_string(golden.join(file))
            .unwrap_or_else(|_| panic!("golden file {file} is missing; run the tests with ACCORD_BLESS=1 once and review it"));
        assert_eq!(
            got, want,
            "{file} differs from tests/golden/shared-service/{file}"
        );
    }
}

#[test]
fn the_figures_worked_by_hand_in_the_readme_come_out() {
    let dir = scratch("shared-figures");
    let out = dir.join("reports");
    run_into(&shared_service(), &out);
    let allocations = rows(&out, "allocations.csv");
    let amount = |year: &str, programme: &str, council: &str| -> (String, String) {
        allocations
            .iter()
            .find(|r| r[0] == year && r[1] == programme && r[2] == council)
            .map(|r| (r[5].clone(), r[6].clone()))
            .unwrap_or_else(|| panic!("no allocation {year} {programme} {council}"))
    };
    // (year, programme, council) → (weight, amount), as fixtures/shared-service/README.md.
    let cases: &[((&str, &str, &str), (&str, &str))] = &[
        // Planning, settled on the GBP 1,046,400.00 spent, by 2,125 : 806 applications.
        (("2022/23", "PLANNING", "NVD"), ("775625", "758648.93")),
        (("2022/23", "PLANNING", "SMD"), ("294190", "287751.07")),
        // Contact centre: spent 762,300.00 less the 12,000.00 brought forward, by calls.
        (("2022/23", "CONTACT", "NVD"), ("22237260", "515091.47")),
        (("2022/23", "CONTACT", "SMD"), ("10154300", "235208.53")),
        // HR: 74 × 185 + 82 × 180 = 28,450 and 26 × 185 + 18 × 180 = 8,050 of 36,500.
        (("2022/23", "HR", "NVD"), ("28450", "284500.00")),
        (("2022/23", "HR", "SMD"), ("8050", "80500.00")),
        // Legal: 100% and 0%.
        (("2022/23", "LEGAL", "NVD"), ("36500", "150000.00")),
        (("2022/23", "LEGAL", "SMD"), ("0", "0.00")),
        // Support in kind with no Office: shared by days in any programme, 365 each.
        (("2022/23", "SIK", "NVD"), ("365", "24000.00")),
        (("2022/23", "SIK", "SMD"), ("365", "24000.00")),
        // 2023/24 is a forecast: planning is charged on its budget of 1,030,000.00.
        (("2023/24", "PLANNING", "NVD"), ("805200", "755333.33")),
        (("2023/24", "PLANNING", "SMD"), ("292800", "274666.67")),
    ];
    for ((year, programme, council), (weight, paid)) in cases {
        assert_eq!(
            amount(year, programme, council),
            (weight.to_string(), paid.to_string()),
            "{year} {programme} {council}"
        );
    }
    let carry = rows(&out, "carry_forward.csv");
    for programme in ["PLANNING", "CONTACT"] {
        let row = carry
            .iter()
            .find(|r| r[0] == "2022/23" && r[1] == programme)
            .unwrap();
        assert_eq!(
            row[9], "0.00",
            "{programme} is settled: it closes 2022/23 at 0"
        );
    }
    let benefits = fs::read_to_string(out.join("benefits.csv")).unwrap();
    assert!(
        benefits.contains("2022/23,PLANNING,,cashable,60000.00,64000.00\n"),
        "{benefits}"
    );
    assert!(
        benefits.contains("2022/23,HR,,non_cashable,,15000.00\n"),
        "{benefits}"
    );
    let returns = rows(&out, "returns.csv");
    let cashable: Vec<(&str, &str)> = returns
        .iter()
        .filter(|r| r[0] == "2022/23")
        .map(|r| (r[1].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(
        cashable,
        vec![("NVD", "24000.00"), ("SMD", "11000.00")],
        "the programme-wide saving is no council's return"
    );
}

/// One broken variant of the shared-service book: edits to its files, the file and line the
/// error names, and a fragment of the message.
struct Case {
    edits: &'static [(&'static str, &'static str, &'static str)],
    place: &'static str,
    message: &'static str,
}

const CASES: &[Case] = &[
    Case {
        edits: &[("drivers.csv", "PLANNING,SMD,806", "PLANNING,SMD,-806")],
        place: "drivers.csv:3:4",
        message: "\"-806\" is negative; a driver value is a number of 0 or more",
    },
    Case {
        edits: &[("drivers.csv", "PLANNING,SMD,806", "PLANNING,SMD,lots")],
        place: "drivers.csv:3:4",
        message: "\"lots\" is not a driver value; write a number of 0 or more",
    },
    Case {
        edits: &[("drivers.csv", "2022/23,PLANNING,SMD,806\n", "")],
        place: "participation.csv:3",
        message: "PLANNING is shared by driver, and SMD takes part in 2022/23 with no value",
    },
    Case {
        edits: &[
            ("drivers.csv", "PLANNING,NVD,2125", "PLANNING,NVD,0"),
            ("drivers.csv", "PLANNING,SMD,806", "PLANNING,SMD,0"),
        ],
        place: "programmes.csv:2",
        message: "every driver value of PLANNING for 2022/23 is 0",
    },
    Case {
        edits: &[("participation.csv", "HR,SMD,2022-10-03,,,18", "HR,SMD,2022-10-04,,,18")],
        place: "programmes.csv:4",
        message: "the fixed percentages of HR for 2022/23 total 82 on 2022-10-03, the first day they do not total 100 (NVD 82)",
    },
    Case {
        edits: &[
            ("settings.csv", "office,none", "office,OFFICE"),
            ("programmes.csv", "LEGAL,", "OFFICE,Shared office,NVD,equal,settle\nLEGAL,"),
        ],
        place: "programmes.csv:5:5",
        message: "the Office (OFFICE) cannot have carry_forward settle",
    },
    Case {
        edits: &[("benefits.csv", "2022/23,PLANNING,,cashable", "2022/23,,,cashable")],
        place: "benefits.csv:2:2",
        message: "this row names neither a programme nor a council",
    },
    Case {
        edits: &[("participation.csv", "LEGAL,SMD,,,,0", "LEGAL,SMD,,,,")],
        place: "participation.csv:11:6",
        message: "LEGAL is shared by fixed percentages; write SMD's percentage here",
    },
];

#[test]
fn each_broken_shared_service_book_fails_at_its_place() {
    let dir = scratch("shared-errors");
    for (i, case) in CASES.iter().enumerate() {
        let book = copy_book(&dir.join(format!("case-{i}")));
        for (file, from, to) in case.edits {
            edit(&book, file, from, to);
        }
        let out = dir.join(format!("out-{i}"));
        let output = accord(&[
            "run",
            book.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let err = stderr(&output);
        assert_eq!(
            output.status.code(),
            Some(1),
            "case {i} should fail:\n{err}"
        );
        let place = format!("{}/{}: error: ", book.display(), case.place);
        assert!(
            err.lines()
                .any(|l| l.starts_with(&place) && l.contains(case.message)),
            "case {i}: expected a line like\n  {place}{}\ngot:\n{err}",
            case.message
        );
        assert!(!out.exists(), "case {i}: nothing is written");
    }
}

#[test]
fn every_error_of_the_new_rules_is_listed_at_once() {
    let dir = scratch("shared-all-errors");
    let book = copy_book(&dir);
    for case in [&CASES[0], &CASES[4], &CASES[6]] {
        for (file, from, to) in case.edits {
            edit(&book, file, from, to);
        }
    }
    let output = accord(&["validate", book.to_str().unwrap()]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1));
    for case in [&CASES[0], &CASES[4], &CASES[6]] {
        assert!(err.contains(case.message), "{}:\n{err}", case.message);
    }
}

#[test]
fn drivers_rows_no_rule_uses_are_warnings() {
    let dir = scratch("shared-driver-warnings");
    let book = copy_book(&dir);
    edit(
        &book,
        "drivers.csv",
        "2023/24,CONTACT,SMD,28000\n",
        "2023/24,CONTACT,SMD,28000\n2022/23,HR,NVD,5\n",
    );
    edit(
        &book,
        "participation.csv",
        "CONTACT,SMD,,,,",
        "CONTACT,SMD,2023-04-01,,,",
    );
    let output = accord(&["validate", book.to_str().unwrap()]);
    let err = stderr(&output);
    assert!(output.status.success(), "warnings only:\n{err}");
    for (place, message) in [
        (
            "drivers.csv:10",
            "HR's basis is fixed, not driver, so this drivers row is not used",
        ),
        (
            "drivers.csv:5",
            "SMD does not take part in CONTACT in 2022/23, so this drivers row is not used",
        ),
    ] {
        let place = format!("{}/{place}: warning: ", book.display());
        assert!(
            err.lines()
                .any(|l| l.starts_with(&place) && l.contains(message)),
            "expected {place}{message}\ngot:\n{err}"
        );
    }
}

/// A python interpreter that has openpyxl (`.ci/run` installs it).
fn python_with_openpyxl() -> String {
    for python in ["python3", "/usr/bin/python3"] {
        let ok = std::process::Command::new(python)
            .args(["-c", "import openpyxl"])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return python.to_string();
        }
    }
    panic!("the workbook tests read workbooks back with openpyxl: install python3-openpyxl (.ci/run does)");
}

/// What openpyxl sees in a workbook: per sheet, its frozen panes, header notes and validations.
fn read_back(workbook: &Path) -> serde_json::Value {
    let output = std::process::Command::new(python_with_openpyxl())
        .arg(repo().join("tests/support/read_xlsx.py"))
        .arg(workbook)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "openpyxl could not read {}:\n{}",
        workbook.display(),
        stderr(&output)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The last row of a validation's range, like `B2:B207` → 207.
fn last_row_of(sqref: &str) -> u32 {
    let end = sqref.rsplit(':').next().unwrap();
    end.trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .unwrap()
}

fn validation<'a>(sheet: &'a serde_json::Value, column: &str) -> &'a serde_json::Value {
    let headers = sheet["headers"].as_array().unwrap();
    let index = headers
        .iter()
        .position(|h| h.as_str() == Some(column))
        .unwrap_or_else(|| panic!("no column {column}"));
    let letter = (b'A' + index as u8) as char;
    sheet["validations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| {
            v["sqref"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{letter}2:"))
        })
        .unwrap_or_else(|| panic!("no validation on {column}: {sheet}"))
}

#[test]
fn the_template_workbook_guides_entry() {
    let dir = scratch("template-guides");
    let workbook = dir.join("book.xlsx");
    let output = accord(&["init", workbook.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let seen = read_back(&workbook);
    let sheets: Vec<&str> = seen
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for table in [
        "councils",
        "programmes",
        "participation",
        "budget",
        "benefits",
        "settings",
        "drivers",
    ] {
        assert!(sheets.contains(&table), "a sheet for {table}: {sheets:?}");
    }
    for (name, sheet) in seen.as_object().unwrap() {
        assert_eq!(sheet["frozen"], "A2", "{name}: the header row is frozen");
        let headers = sheet["headers"].as_array().unwrap();
        let notes = sheet["notes"].as_object().unwrap();
        assert_eq!(
            notes.len(),
            headers.len(),
            "{name}: a note on each header cell"
        );
        let rows = sheet["max_row"].as_u64().unwrap() as u32;
        // Column validations (not the one on a single setting's value cell) reach new rows.
        for v in sheet["validations"].as_array().unwrap() {
            let sqref = v["sqref"].as_str().unwrap();
            if !sqref.contains(':') {
                continue;
            }
            assert!(
                last_row_of(sqref) >= rows + 200,
                "{name}: {sqref} reaches 200 rows below row {rows}"
            );
        }
    }
    // (sheet, column) → (validation type, its list or formula, or "" for any).
    let cases: &[((&str, &str), (&str, &str))] = &[
        (("councils", "kind"), ("list", "\"member,guest\"")),
        (
            ("programmes", "basis"),
            ("list", "\"equal,weighted,fixed,driver\""),
        ),
        (
            ("programmes", "carry_forward"),
            ("list", "\"apply,hold,settle\""),
        ),
        (("programmes", "lead"), ("list", "'councils'!$A$2:$A$")),
        (
            ("participation", "programme"),
            ("list", "'programmes'!$A$2:$A$"),
        ),
        (
            ("participation", "council"),
            ("list", "'councils'!$A$2:$A$"),
        ),
        (("participation", "from"), ("date", "")),
        (("participation", "weight"), ("decimal", "0")),
        (("budget", "amount"), ("decimal", "-1000000000000")),
        (
            ("support_in_kind", "provider"),
            ("list", "'councils'!$A$2:$A$"),
        ),
        (
            ("benefits", "type"),
            ("list", "\"cashable,non_cashable,cost_avoidance\""),
        ),
        (("benefits", "council"), ("list", "'councils'!$A$2:$A$")),
        (("drivers", "value"), ("decimal", "0")),
        (("drivers", "programme"), ("list", "'programmes'!$A$2:$A$")),
    ];
    for ((sheet, column), (kind, formula)) in cases {
        let v = validation(&seen[*sheet], column);
        assert_eq!(v["type"], *kind, "{sheet}.{column}: {v}");
        assert!(
            v["formula1"].as_str().unwrap_or("").starts_with(formula),
            "{sheet}.{column}: {v}"
        );
        assert_eq!(
            v["show_input"], true,
            "{sheet}.{column} has an input message: {v}"
        );
        assert!(
            !v["prompt"].as_str().unwrap_or("").is_empty(),
            "{sheet}.{column}: {v}"
        );
    }
    let amount = validation(&seen["budget"], "amount");
    assert!(
        amount["prompt"]
            .as_str()
            .unwrap()
            .contains("Negative amounts"),
        "amounts may be negative: {amount}"
    );
    let sik = seen["settings"]["validations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["formula1"] == "\"equal,proportional\"");
    assert!(
        sik.is_some(),
        "sik_basis has a drop-down: {}",
        seen["settings"]
    );
    // The notes are the README.txt a CSV template gets.
    let folder = dir.join("book");
    let output = accord(&["init", folder.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let readme = fs::read_to_string(folder.join("README.txt")).unwrap();
    for (name, sheet) in seen.as_object().unwrap() {
        assert!(
            readme.contains(&format!("\n{name}.csv (")),
            "README.txt names {name}"
        );
        for (column, note) in sheet["notes"].as_object().unwrap() {
            let line = format!("  {column} (");
            let at = readme.find(&format!("\n{name}.csv (")).unwrap();
            let section = &readme[at..];
            assert!(
                section.contains(&line) && section.contains(note.as_str().unwrap()),
                "README.txt says what {name}.{column} holds: {note}"
            );
        }
    }
}

#[test]
fn a_converted_book_reads_back_as_the_same_book() {
    let dir = scratch("convert-back");
    for (label, book) in [("shared", shared_service()), ("wla", fixture())] {
        let workbook = dir.join(format!("{label}.xlsx"));
        let output = accord(&[
            "convert",
            book.to_str().unwrap(),
            workbook.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        let output = accord(&["validate", workbook.to_str().unwrap()]);
        assert!(output.status.success(), "{label}: {}", stderr(&output));
        let from_csv = dir.join(format!("{label}-csv"));
        let from_xlsx = dir.join(format!("{label}-xlsx"));
        run_into(&book, &from_csv);
        run_into(&workbook, &from_xlsx);
        for file in GOLDEN_FILES {
            assert_eq!(
                fs::read(from_csv.join(file)).unwrap(),
                fs::read(from_xlsx.join(file)).unwrap(),
                "{label}: {file}"
            );
        }
        let seen = read_back(&workbook);
        let budget = &seen["budget"];
        let rows = budget["max_row"].as_u64().unwrap() as u32;
        let amount = validation(budget, "amount");
        assert!(
            last_row_of(amount["sqref"].as_str().unwrap()) >= rows + 200,
            "{label}: {amount}"
        );
        assert!(
            seen.get("drivers").is_some(),
            "{label}: every table has its sheet"
        );
    }
}

#[test]
fn the_explain_page_charges_a_settle_programme_on_its_actual_as_accord_explain_does() {
    let dir = scratch("shared-explain-settle");
    let out = dir.join("reports");
    run_into(&shared_service(), &out);
    let page = fs::read_to_string(out.join("2022-23/explain.html")).unwrap();
    for programme in ["PLANNING", "CONTACT"] {
        let said = accord(&[
            "explain",
            shared_service().to_str().unwrap(),
            "2022/23",
            programme,
            "NVD",
            "--json",
        ]);
        assert!(said.status.success(), "{}", stderr(&said));
        let json: serde_json::Value = serde_json::from_str(&stdout(&said)).unwrap();
        let actual = json["settled_on_actual"]
            .as_str()
            .expect("a settle programme's ended year");
        let needed = json["members_pool"]["needed"].as_str().unwrap();
        let pounds = |text: &str| {
            let pence: i128 = text.replace('.', "").parse().unwrap();
            format!(
                "£{}",
                accord::money::grouped(accord::money::Money::from_pence(pence))
            )
        };
        let wanted = format!(
            "charged on its actual spend of {}, not its budget. ",
            pounds(actual)
        );
        assert!(page.contains(&wanted), "{programme}: {wanted}");
        let pool = format!(
            "members' pool = actual spend − grants − applied − guest charges = {}.",
            pounds(needed)
        );
        assert!(page.contains(&pool), "{programme}: {pool}");
    }
    // A programme charged on its budget still says so.
    assert!(page.contains("members' pool = gross − grants − applied − guest charges = "));
}
