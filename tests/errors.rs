//! Every user-facing error of the book reader, each with a small reproducer (the fixture book
//! with one edit) beside its expected place and message.

use crate::support::*;
use std::fs;

/// One broken variant of the fixture book: an edit to one file, the 1-based column of the
/// place the error names (`None` for the whole row; a cross-table error names its cell), and a fragment of the message.
struct Case {
    file: &'static str,
    from: &'static str,
    to: &'static str,
    column: Option<usize>,
    message: &'static str,
}

/// Where an error is reported when it is not the edited cell or row: the whole file, or a
/// row of another file.
fn place_elsewhere(case: &Case) -> Option<String> {
    if case.message.contains("has no column") {
        return Some(format!("{}: error: ", case.file));
    }
    if case.message.contains("fixed percentages") {
        // A total that is wrong belongs to the programme, not to one council's row.
        return Some("programmes.csv:6: error: ".into());
    }
    None
}

const CASES: &[Case] = &[
    Case {
        file: "budget.csv",
        from: "142000.00",
        to: "\"12,34.5x\"",
        column: Some(5),
        message: "\"12,34.5x\" is not an amount; write it like 1234.50, £1,234.50",
    },
    Case {
        file: "participation.csv",
        from: "PROCURE,RIC,",
        to: "PROCURE,XYZ,",
        column: Some(2),
        message: "\"XYZ\" is not a council of this book; use one of: BAR, BRE",
    },
    Case {
        file: "budget.csv",
        from: "2012/13,OFFICE,WLA Director",
        to: "2012/13,NOPE,WLA Director",
        column: Some(2),
        message: "\"NOPE\" is not a programme of this book",
    },
    Case {
        file: "programmes.csv",
        from: "Efficiency,HRW,",
        to: "Efficiency,HRX,",
        column: Some(3),
        message: "\"HRX\" is not a council of this book (the lead)",
    },
    Case {
        file: "support_in_kind.csv",
        from: "2012/13,EAL,accommodation",
        to: "2012/13,EEE,accommodation",
        column: Some(2),
        message: "\"EEE\" is not a council of this book (the provider)",
    },
    Case {
        file: "councils.csv",
        from: "BRE,London Borough of Brent",
        to: "BAR,London Borough of Brent",
        column: None,
        message: "the council code BAR is used twice",
    },
    Case {
        file: "programmes.csv",
        from: "PUBHEALTH,Public Health",
        to: "HOUSING,Public Health",
        column: None,
        message: "the programme code HOUSING is used twice",
    },
    Case {
        file: "budget.csv",
        from: "year,programme,line,category,amount",
        to: "year,programme,line,category,sum",
        column: None,
        message: "the budget table has no column amount; add a header cell",
    },
    Case {
        file: "councils.csv",
        from: "Thames,guest",
        to: "Thames,visitor",
        column: Some(3),
        message: "\"visitor\" is not a kind; write one of: member, guest",
    },
    Case {
        file: "programmes.csv",
        from: "HOU,weighted",
        to: "HOU,by_weight",
        column: Some(4),
        message: "\"by_weight\" is not a basis; write one of: equal, weighted, fixed",
    },
    Case {
        file: "programmes.csv",
        from: "BAR,equal,hold",
        to: "BAR,equal,keep",
        column: Some(5),
        message: "\"keep\" is not a carry_forward; write one of: apply, hold",
    },
    Case {
        file: "benefits.csv",
        from: "2012/13,ADULTS,BAR,cashable",
        to: "2012/13,ADULTS,BAR,cash",
        column: Some(4),
        message: "\"cash\" is not a type; write one of: cashable, non_cashable, cost_avoidance",
    },
    Case {
        file: "participation.csv",
        from: "PROPERTY,BAR,2014-04-01",
        to: "PROPERTY,BAR,2014-03-01",
        column: None,
        message: "BAR takes part in PROPERTY twice over the same days",
    },
    Case {
        file: "participation.csv",
        from: "TRANSPORT,BRE,,,,55",
        to: "TRANSPORT,BRE,,,,",
        column: Some(6),
        message: "TRANSPORT is shared by weight; write BRE's weight here",
    },
    Case {
        file: "participation.csv",
        from: "PROPERTY,EAL,,,,18",
        to: "PROPERTY,EAL,,,,17",
        column: None,
        message: "the fixed percentages of PROPERTY for 2012/13 total 99",
    },
    Case {
        file: "participation.csv",
        from: "PROCURE,RIC,",
        to: "OFFICE,RIC,",
        column: None,
        message: "RIC is a guest council, and guests are never in the WLA Office",
    },
    Case {
        file: "balances.csv",
        from: "HOUSING,2012/13",
        to: "HOUSING,2013/14",
        column: Some(2),
        message: "balances give the opening balance of the book's first year, 2012/13",
    },
    Case {
        file: "councils.csv",
        from: "HOU,London",
        to: "../x,London",
        column: Some(1),
        message: "\"../x\" is not a code: use 1 to 16 characters of A-Z, 0-9, _ and -",
    },
    Case {
        file: "councils.csv",
        from: "HIL,London",
        to: "hil,London",
        column: Some(1),
        message: "codes are upper case; write \"HIL\"",
    },
    Case {
        file: "participation.csv",
        from: "PROCURE,RIC,2013-04-01",
        to: "PROCURE,RIC,2013-13-01",
        column: Some(3),
        message: "\"2013-13-01\" is not a date; write it like 2012-04-01 or 01/04/2012 (day first)",
    },
    Case {
        file: "budget.csv",
        from: "2012/13,OFFICE,WLA Director",
        to: "2012/14,OFFICE,WLA Director",
        column: Some(1),
        message: "\"2012/14\" is not a financial year",
    },
    Case {
        file: "budget.csv",
        from: "2013/14,PUBHEALTH,Public Health commissioning group support",
        to: "2012/13,PUBHEALTH,Public Health commissioning group support",
        column: None,
        message: "PUBHEALTH has a budget for 2012/13 but no council takes part in it that year",
    },
    Case {
        file: "actuals.csv",
        from: "2012/13,OFFICE,staff",
        to: "2019/20,OFFICE,staff",
        column: Some(1),
        message: "2019/20 is outside the book's years (2012/13 to 2016/17",
    },
    Case {
        file: "settings.csv",
        from: "sik_basis,equal",
        to: "sik_basis,by_days",
        column: Some(2),
        message: "\"by_days\" is not a sik_basis; write equal or proportional",
    },
];

/// The 1-based line of `text` on which `fragment` starts.
fn line_of(text: &str, fragment: &str) -> usize {
    let at = text.find(fragment).expect("fragment present");
    text[..at].matches('\n').count() + 1
}

#[test]
fn each_broken_book_fails_with_its_place_and_message() {
    let dir = scratch("errors");
    for (i, case) in CASES.iter().enumerate() {
        let case_dir = dir.join(format!("case-{i}"));
        let book = copy_fixture(&case_dir);
        let text = fs::read_to_string(book.join(case.file)).unwrap();
        let line = line_of(&text, case.from);
        edit(&book, case.file, case.from, case.to);
        let output = accord(&["validate", book.to_str().unwrap()]);
        let err = stderr(&output);
        assert_eq!(
            output.status.code(),
            Some(1),
            "case {i} ({}) should fail:\n{err}",
            case.message
        );
        let file = book.join(case.file).display().to_string();
        let place = match case.column {
            Some(c) => format!("{file}:{line}:{c}: error: "),
            None => format!("{file}:{line}: error: "),
        };
        let place = match place_elsewhere(case) {
            Some(elsewhere) => format!("{}/{elsewhere}", book.display()),
            None => place,
        };
        let wanted = format!("{place}{}", case.message);
        assert!(
            err.lines()
                .any(|l| l.starts_with(&place) && l.contains(case.message)),
            "case {i}: expected a line like\n  {wanted}\ngot:\n{err}"
        );
        assert!(err.contains("nothing was written"), "case {i}: {err}");
    }
}

#[test]
fn a_missing_table_is_named() {
    let dir = scratch("missing-table");
    let book = copy_fixture(&dir);
    fs::remove_file(book.join("budget.csv")).unwrap();
    let output = accord(&["validate", book.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "the book has no budget table; add a sheet (or a budget.csv file) named budget"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn every_error_is_listed_at_once() {
    let dir = scratch("all-at-once");
    let book = copy_fixture(&dir);
    edit(&book, "budget.csv", "142000.00", "lots");
    edit(&book, "councils.csv", "HIL,London", "hil,London");
    edit(
        &book,
        "participation.csv",
        "TRANSPORT,BRE,,,,55",
        "TRANSPORT,BRE,,,,",
    );
    let output = accord(&[
        "run",
        book.to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1));
    for fragment in [
        "\"lots\" is not an amount",
        "write \"HIL\"",
        "write BRE's weight",
    ] {
        assert!(err.contains(fragment), "{fragment}:\n{err}");
    }
    assert!(!dir.join("out").exists(), "nothing is written");
    // Not even a folder for reports in a folder that does not exist yet, nor a staging
    // folder beside them.
    let nested = dir.join("new").join("out");
    let output = accord(&[
        "run",
        book.to_str().unwrap(),
        "--out",
        nested.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!dir.join("new").exists(), "no folder is made");
    let hidden: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("accord-"))
        .collect();
    assert!(hidden.is_empty(), "no staging folder is left: {hidden:?}");
}

#[test]
fn workbook_errors_name_sheet_and_cell() {
    let dir = scratch("workbook-errors");
    let book = copy_fixture(&dir);
    edit(&book, "budget.csv", "142000.00", "\"12,34.5x\"");
    let workbook = dir.join("book.xlsx");
    let output = accord(&[
        "convert",
        book.to_str().unwrap(),
        workbook.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = accord(&["validate", workbook.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let wanted = format!(
        "{}: budget!E2: error: \"12,34.5x\" is not an amount",
        workbook.display()
    );
    assert!(
        stderr(&output).contains(&wanted),
        "expected {wanted}\n{}",
        stderr(&output)
    );
}

/// A cross-table error (a code another table does not have, a year outside the book's)
/// names the cell in a workbook as in a CSV folder: `budget!B7`, not the row `budget!7:7`.
#[test]
fn workbook_cross_table_errors_name_the_cell() {
    let dir = scratch("workbook-cross-table");
    let book = copy_fixture(&dir);
    let line = |file: &str, fragment: &str| {
        line_of(&fs::read_to_string(book.join(file)).unwrap(), fragment)
    };
    let budget_row = line("budget.csv", "2012/13,OFFICE,WLA Director");
    let actuals_row = line("actuals.csv", "2012/13,OFFICE,staff");
    let participation_row = line("participation.csv", "PROCURE,RIC,");
    edit(
        &book,
        "budget.csv",
        "2012/13,OFFICE,WLA Director",
        "2012/13,NOPE,WLA Director",
    );
    edit(
        &book,
        "actuals.csv",
        "2012/13,OFFICE,staff",
        "2019/20,OFFICE,staff",
    );
    edit(&book, "participation.csv", "PROCURE,RIC,", "PROCURE,XYZ,");
    let workbook = dir.join("book.xlsx");
    let output = accord(&[
        "convert",
        book.to_str().unwrap(),
        workbook.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = accord(&["validate", workbook.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    for wanted in [
        format!(
            "{}: budget!B{budget_row}: error: \"NOPE\" is not a programme",
            workbook.display()
        ),
        format!(
            "{}: actuals!A{actuals_row}: error: 2019/20 is outside the book's years",
            workbook.display()
        ),
        format!(
            "{}: participation!B{participation_row}: error: \"XYZ\" is not a council",
            workbook.display()
        ),
    ] {
        assert!(err.contains(&wanted), "expected {wanted}\n{err}");
    }
    assert!(
        !err.contains(&format!("budget!{budget_row}:{budget_row}")),
        "{err}"
    );
}

#[test]
fn a_file_that_is_not_a_book_is_an_error_not_a_crash() {
    let dir = scratch("not-a-book");
    for (name, bytes) in [
        ("empty.xlsx", &b""[..]),
        ("noise.xlsx", &b"PK\x03\x04 this is not a zip"[..]),
        ("text.ods", &b"hello"[..]),
    ] {
        let path = dir.join(name);
        fs::write(&path, bytes).unwrap();
        let output = accord(&["validate", path.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{name}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(&path.display().to_string()),
            "{name}: {}",
            stderr(&output)
        );
    }
    let output = accord(&["validate", dir.join("nowhere").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
}
