//! The budget cycle end to end (issue 12, SPEC §5): `accord issue` on the fixture book (which
//! holds the 2012/13 and 2013/14 invoices as issued, and the November revision of 2013/14), its
//! atomic write and idempotence, a workbook never modified, the adjustment PDFs read back
//! through `pdftotext`, and every register error with its reproducer.

use crate::documents::{csv_rows, folder, from_pence, pdf_text, pence, pounds, reports};
use crate::support::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

fn issue(args: &[&str]) -> std::process::Output {
    let mut all = vec!["issue"];
    all.extend_from_slice(args);
    accord(&all)
}

/// The lines of `issue.csv` from a run of `book`.
fn to_send(book: &Path, dir: &Path) -> Vec<Vec<String>> {
    let out = dir.join(format!("reports-{}", fs::read_dir(dir).unwrap().count()));
    run_into(book, &out);
    csv_rows(&out, "issue.csv")
}

/// The files of a folder, without the reports folders a test wrote beside them.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_fixture_sends_a_supplementary_invoice_and_a_credit_note_for_2013_14() {
    let rows = csv_rows(reports(), "issue.csv");
    let of_year = |year: &str| rows.iter().filter(|r| r[2] == year).collect::<Vec<_>>();
    assert!(of_year("2012/13").is_empty(), "2012/13 stands as issued");
    let adjustments = of_year("2013/14");
    assert!(
        adjustments
            .iter()
            .any(|r| r[1] == "supplementary" && pence(&r[6]) > 0)
            && adjustments
                .iter()
                .any(|r| r[1] == "credit_note" && pence(&r[6]) < 0),
        "{adjustments:?}"
    );
    for r in &adjustments {
        assert_ne!(r[1], "invoice", "2013/14's invoices were issued");
        assert_eq!(format!("{}/", r[7]), r[0][..r[7].len() + 1], "{r:?}");
    }
    // The later years are not issued yet: every invoice line is to send, as invoices.csv has it.
    let invoices: Vec<Vec<String>> = csv_rows(reports(), "invoices.csv")
        .into_iter()
        .filter(|r| r[1] == "2014/15")
        .collect();
    let later: Vec<Vec<String>> = of_year("2014/15")
        .iter()
        .map(|r| {
            vec![
                r[0].clone(),
                r[2].clone(),
                r[3].clone(),
                r[4].clone(),
                r[5].clone(),
                r[6].clone(),
            ]
        })
        .collect();
    assert_eq!(later, invoices);
    // What the register holds plus issue.csv is what invoices.csv says, for every key.
    let mut book: BTreeMap<(String, String, String, String), i64> = BTreeMap::new();
    for r in csv_rows(reports(), "invoices.csv") {
        *book
            .entry((r[1].clone(), r[2].clone(), r[3].clone(), r[4].clone()))
            .or_default() += pence(&r[5]);
    }
    let mut sent: BTreeMap<(String, String, String, String), i64> = BTreeMap::new();
    for r in csv_rows(&fixture(), "issued.csv")
        .into_iter()
        .chain(rows.clone())
    {
        *sent
            .entry((r[2].clone(), r[3].clone(), r[4].clone(), r[5].clone()))
            .or_default() += pence(&r[6]);
    }
    sent.retain(|_, v| *v != 0);
    assert_eq!(sent, book);
}

#[test]
fn adjustment_pdfs_say_what_they_adjust_before_now_and_the_difference() {
    let out = reports();
    let rows = csv_rows(out, "issue.csv");
    let mut documents: BTreeMap<String, Vec<&Vec<String>>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r[1] != "invoice") {
        documents.entry(r[0].clone()).or_default().push(r);
    }
    assert!(documents.len() >= 2, "{documents:?}");
    let issued = csv_rows(&fixture(), "issued.csv");
    for (number, lines) in &documents {
        let path = out
            .join(folder(&lines[0][2]))
            .join("invoices")
            .join(format!("{}.pdf", number.replace('/', "-")));
        let text = pdf_text(&path);
        let title = if lines[0][1] == "credit_note" {
            "Credit note"
        } else {
            "Supplementary invoice"
        };
        for expected in [
            title,
            number,
            "Adjusts invoice",
            &lines[0][7],
            "Invoiced before",
            "Now due",
            "Difference",
            "not yet issued",
        ] {
            assert!(text.contains(expected), "{number}: {expected:?} in\n{text}");
        }
        let mut total = 0;
        for line in lines {
            let before: i64 = issued
                .iter()
                .filter(|r| {
                    r[2] == line[2] && r[3] == line[3] && r[4] == line[4] && r[5] == line[5]
                })
                .map(|r| pence(&r[6]))
                .sum();
            let difference = pence(&line[6]);
            total += difference;
            for amount in [before, before + difference, difference] {
                let shown = pounds(&from_pence(amount));
                assert!(
                    text.contains(&shown),
                    "{number} {}: {shown} in\n{text}",
                    line[5]
                );
            }
        }
        assert!(
            text.contains(&pounds(&from_pence(total.abs()))),
            "{number}: total in\n{text}"
        );
    }
    // Each 2013/14 statement shows per invoice what was issued, what is to send and the total.
    let bar = pdf_text(&out.join("2013-14/statements/BAR.pdf"));
    for expected in ["Issued", "To send now", "WLA/2013-14/BAR/BRE"] {
        assert!(bar.contains(expected), "{expected:?} in\n{bar}");
    }
    // The year's dashboard and summary workbook list the adjustments.
    let page = fs::read_to_string(out.join("2013-14/index.html")).unwrap();
    let first = documents.keys().next().unwrap();
    assert!(
        page.contains("Supplementary invoices and credit notes") && page.contains(first.as_str())
    );
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook(out.join("2013-14/summary.xlsx")).unwrap();
    use calamine::Reader;
    let sheet = workbook.worksheet_range("Adjustments").unwrap();
    let listed = sheet
        .rows()
        .filter(|r| matches!(&r[0], calamine::Data::String(s) if documents.contains_key(s)))
        .count();
    assert_eq!(listed, documents.values().map(Vec::len).sum::<usize>());
}

#[test]
fn issue_appends_prints_and_a_second_issue_issues_nothing() {
    let dir = scratch("issue-twice");
    let book = copy_fixture(&dir);
    let before = to_send(&book, &dir);
    let wanted: Vec<&Vec<String>> = before.iter().filter(|r| r[2] == "2013/14").collect();
    let register_before = fs::read_to_string(book.join("issued.csv")).unwrap();

    let output = issue(&[
        book.to_str().unwrap(),
        "--on",
        "2013-11-30",
        "--year",
        "2013/14",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let printed = stdout(&output);
    for r in &wanted {
        assert!(printed.contains(&r[0]), "{} printed:\n{printed}", r[0]);
    }
    assert!(
        printed.contains("credit note") && printed.contains("supplementary invoice"),
        "{printed}"
    );
    assert!(printed.contains("issued on 2013-11-30"), "{printed}");

    let register_after = fs::read_to_string(book.join("issued.csv")).unwrap();
    assert!(
        register_after.starts_with(&register_before),
        "the register only grows"
    );
    let added: Vec<&str> = register_after[register_before.len()..].lines().collect();
    assert_eq!(added.len(), wanted.len());
    for (line, r) in added.iter().zip(&wanted) {
        let want = format!(
            "{},{},{},{},{},{},{},2013-11-30,",
            r[0], r[1], r[2], r[3], r[4], r[5], r[6]
        );
        assert!(line.starts_with(&want), "{line} for {want}");
    }
    let after = to_send(&book, &dir);
    assert!(
        after.iter().all(|r| r[2] != "2013/14"),
        "2013/14 is settled: {after:?}"
    );
    assert_eq!(
        after.len(),
        before.len() - wanted.len(),
        "the other years are untouched"
    );

    let again = issue(&[
        book.to_str().unwrap(),
        "--on",
        "2013-12-01",
        "--year",
        "2013/14",
    ]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("nothing to issue"),
        "{}",
        stdout(&again)
    );
    assert_eq!(
        fs::read_to_string(book.join("issued.csv")).unwrap(),
        register_after
    );
    // Only issued.csv changed; no temporary file is left in the book.
    assert_eq!(names(&book), names(&fixture()));
}

#[test]
fn an_invalid_book_or_a_failed_write_issues_nothing() {
    let dir = scratch("issue-invalid");
    let book = copy_fixture(&dir);
    let register = fs::read(book.join("issued.csv")).unwrap();
    edit(&book, "budget.csv", "142000.00", "\"12,34.5x\"");
    let output = issue(&[book.to_str().unwrap(), "--on", "2013-11-30"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("nothing was issued"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read(book.join("issued.csv")).unwrap(), register);
    edit(&book, "budget.csv", "\"12,34.5x\"", "142000.00");

    // A write that fails part way (every file held to the register's present size) leaves the
    // register as it was and no temporary file behind.
    use std::os::unix::process::CommandExt;
    let limit = register.len() as u64;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_accord"));
    command.args(["issue", book.to_str().unwrap(), "--on", "2013-11-30"]);
    // SAFETY: only async-signal-safe calls (signal, setrlimit) run in the child.
    unsafe {
        command.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let rlimit = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            libc::setrlimit(libc::RLIMIT_FSIZE, &rlimit);
            Ok(())
        });
    }
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("the book is as it was"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read(book.join("issued.csv")).unwrap(), register);
    assert_eq!(names(&book), names(&fixture()), "no temporary file left");
}

#[test]
fn a_workbook_is_never_modified_and_the_new_one_carries_the_register() {
    let dir = scratch("issue-workbook");
    let workbook = dir.join("wla.xlsx");
    fs::copy(repo().join("fixtures/wla.xlsx"), &workbook).unwrap();
    let original = fs::read(&workbook).unwrap();
    let output = issue(&[workbook.to_str().unwrap(), "--on", "2013-11-30"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("--to"), "{}", stderr(&output));

    let next = dir.join("wla-2013-11-30.xlsx");
    let output = issue(&[
        workbook.to_str().unwrap(),
        "--on",
        "2013-11-30",
        "--year",
        "2013/14",
        "--to",
        next.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        fs::read(&workbook).unwrap(),
        original,
        "the workbook is untouched"
    );
    let sent = to_send(&next, &dir);
    assert!(sent.iter().all(|r| r[2] != "2013/14"), "{sent:?}");
    assert!(sent.iter().any(|r| r[2] == "2014/15"));
    // The same book as CSV files, issued the same way, gives the same register.
    let book = copy_fixture(&dir);
    let output = issue(&[
        book.to_str().unwrap(),
        "--on",
        "2013-11-30",
        "--year",
        "2013/14",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(to_send(&book, &dir), sent);

    let third = dir.join("third.xlsx");
    let output = issue(&[
        next.to_str().unwrap(),
        "--year",
        "2013/14",
        "--to",
        third.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("nothing to issue"),
        "{}",
        stdout(&output)
    );
    assert!(!third.exists(), "nothing issued, nothing written");
    // --to never replaces a file.
    let output = issue(&[workbook.to_str().unwrap(), "--to", next.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
}

#[test]
fn convert_carries_the_register() {
    let dir = scratch("convert-register");
    let made = dir.join("made.xlsx");
    let output = accord(&[
        "convert",
        fixture().to_str().unwrap(),
        made.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let from_csv = dir.join("from-csv");
    let from_xlsx = dir.join("from-xlsx");
    run_into(&fixture(), &from_csv);
    run_into(&made, &from_xlsx);
    assert_eq!(
        fs::read(from_csv.join("issue.csv")).unwrap(),
        fs::read(from_xlsx.join("issue.csv")).unwrap()
    );
}

/// A copy of the fixture with one register line edited, and what `accord run` says of it.
fn with_register(edit_lines: impl FnOnce(&mut Vec<String>)) -> String {
    let dir = scratch("register-error");
    let book = copy_fixture(&dir);
    let path = book.join("issued.csv");
    let text = fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    edit_lines(&mut lines);
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    let output = accord(&[
        "run",
        book.to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(!dir.join("out").exists(), "nothing written");
    stderr(&output).replace(&format!("{}/", book.display()), "")
}

/// Replaces field `column` (0-based) of register line `line` (1 = the header).
fn set_field(lines: &mut [String], line: usize, column: usize, value: &str) {
    let mut fields: Vec<String> = lines[line - 1].split(',').map(str::to_string).collect();
    fields[column] = value.to_string();
    lines[line - 1] = fields.join(",");
}

#[test]
fn every_register_error_is_at_its_cell() {
    const CHANGED: &str = "this line was changed after it was issued";
    type Edit = fn(&mut Vec<String>);
    let cases: &[(&str, Edit, &[&str])] = &[
        ("an amount changed", |l| set_field(l, 2, 6, "1.00"), &["issued.csv:2:9: error: this line was changed"]),
        ("the document changed", |l| set_field(l, 3, 0, "WLA/2012-13/BAR/BRE"), &["issued.csv:3:9: error: this line was changed"]),
        ("the date changed", |l| set_field(l, 2, 7, "2012-05-01"), &["issued.csv:2:9: error: this line was changed"]),
        ("the first row removed", |l| { l.remove(1); }, &["issued.csv:2:9: error: this line was changed"]),
        (
            "two rows swapped",
            |l| l.swap(2, 3),
            &[
                "issued.csv:3:9: error: this line was changed",
                "issued.csv:4:9: error: this line was changed",
                "issued.csv:5:9: error: this line was changed",
            ],
        ),
        ("an unknown kind", |l| set_field(l, 2, 1, "refund"), &["issued.csv:2:2: error: \"refund\" is not a kind; write one of: invoice, supplementary, credit_note"]),
        ("a council not in the book", |l| set_field(l, 2, 4, "ZZZ"), &["issued.csv:2:5: error: \"ZZZ\" is not a council of this book"]),
        ("a programme not in the book", |l| set_field(l, 2, 5, "NOPE"), &["issued.csv:2:6: error: \"NOPE\" is not a programme of this book"]),
        ("more than two decimals", |l| set_field(l, 2, 6, "30000.001"), &["issued.csv:2:7: error: 30000.001 has more than two decimals"]),
        ("a bad date", |l| set_field(l, 2, 7, "31/02/2012"), &["issued.csv:2:8: error:"]),
        ("a year the book does not cover", |l| set_field(l, 2, 2, "2011/12"), &["issued.csv:2:3: error: 2011/12 is outside the book's years"]),
        ("a blank checksum", |l| set_field(l, 2, 8, ""), &["issued.csv:2:9: error: checksum is empty"]),
    ];
    for (name, change, expected) in cases {
        let err = with_register(change);
        for want in *expected {
            assert!(err.contains(want), "{name}: {want:?} in\n{err}");
        }
        assert!(err.contains("nothing was written"), "{name}:\n{err}");
        if !expected[0].contains(CHANGED) {
            continue;
        }
        // Only the changed lines are flagged: the chain goes on from each stored checksum.
        assert_eq!(
            err.matches(CHANGED).count(),
            expected.len(),
            "{name}:\n{err}"
        );
    }
    // Every error at once.
    let err = with_register(|l| {
        set_field(l, 2, 6, "1.00");
        set_field(l, 5, 4, "ZZZ");
    });
    assert!(
        err.contains("issued.csv:2:9") && err.contains("issued.csv:5:5"),
        "{err}"
    );
}

#[test]
fn documents_carry_what_payables_teams_need() {
    let dir = scratch("payables");
    let book = copy_fixture(&dir);
    edit(
        &book,
        "councils.csv",
        "code,name,kind,joined,notice_given,left\n",
        "code,name,kind,joined,notice_given,left,address,remittance,contact\n",
    );
    edit(
        &book,
        "councils.csv",
        "BAR,London Borough of Barnet,member,,,",
        "BAR,London Borough of Barnet,member,,,,\"2 Bristol Avenue, Colindale NW9 4EW\",Sort code 30-00-01 account 12345678,wla.finance@barnet.gov.uk",
    );
    edit(
        &book,
        "councils.csv",
        "BRE,London Borough of Brent,member,,,",
        "BRE,London Borough of Brent,member,,,,\"Brent Civic Centre, Wembley HA9 0FJ\",,",
    );
    fs::write(
        book.join("purchase_orders.csv"),
        "year,issuer,payer,po_number\n2013/14,BAR,BRE,PO-BRE-77123\n",
    )
    .unwrap();
    let settings = fs::read_to_string(book.join("settings.csv")).unwrap();
    fs::write(
        book.join("settings.csv"),
        settings + "invoice_note,Payable under the WLA Accord; VAT does not apply.\n",
    )
    .unwrap();
    let out = dir.join("reports");
    let output = run_into(&book, &out);
    for number in [
        "WLA-2013-14-BAR-BRE",
        "WLA-2013-14-BAR-BRE-2",
        "WLA-2013-14-BAR-BRE-3",
    ] {
        let text = pdf_text(&out.join(format!("2013-14/invoices/{number}.pdf")));
        for expected in [
            "2 Bristol Avenue, Colindale NW9 4EW",
            "Brent Civic Centre, Wembley HA9 0FJ",
            "Sort code 30-00-01 account 12345678",
            "wla.finance@barnet.gov.uk",
            "PO-BRE-77123",
            "Payable under the WLA Accord; VAT does not apply.",
        ] {
            assert!(text.contains(expected), "{number}: {expected:?} in\n{text}");
        }
    }
    let other = pdf_text(&out.join("2013-14/invoices/WLA-2013-14-BAR-EAL-2.pdf"));
    assert!(other.contains("none given"), "{other}");
    // One warning lists the documents to send without a purchase order, and only those.
    let err = stderr(&output);
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("no purchase order"))
        .collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(warnings[0].contains("WLA/2013-14/BAR/EAL/2"), "{err}");
    assert!(!warnings[0].contains("WLA/2013-14/BAR/BRE/2"), "{err}");
    let sent = csv_rows(&out, "issue.csv").len();
    assert!(
        warnings[0].contains(&format!("{} documents", sent_documents(&out))) && sent > 0,
        "{err}"
    );
    // The first twenty are named and the rest counted, so a large book's warning stays short.
    let named = warnings[0].matches("WLA/").count();
    assert_eq!(named, sent_documents(&out).min(20), "{err}");
    if sent_documents(&out) > 20 {
        let more = format!(": {}", warnings[0].rsplit(": ").next().unwrap());
        assert!(
            more.ends_with(&format!(", and {} more", sent_documents(&out) - 20)),
            "{err}"
        );
    }
}

/// How many documents `issue.csv` sends that have no purchase order (all but Barnet's two to
/// Brent in the test above).
fn sent_documents(out: &Path) -> usize {
    let mut numbers: Vec<String> = csv_rows(out, "issue.csv")
        .into_iter()
        .map(|r| r[0].clone())
        .filter(|n| !n.starts_with("WLA/2013-14/BAR/BRE/"))
        .collect();
    numbers.dedup();
    numbers.len()
}

#[test]
fn issue_refuses_a_wrong_command_line_and_purchase_order_errors_are_at_their_rows() {
    let dir = scratch("issue-args");
    let book = copy_fixture(&dir);
    let register = fs::read(book.join("issued.csv")).unwrap();
    let path = book.to_str().unwrap();
    let cases: &[(&[&str], i32, &str)] = &[
        (&["--on", "30/02/2013"], 2, "error: --on:"),
        (&["--year", "2013/15"], 2, "error: --year:"),
        (
            &["--year", "2020/21"],
            1,
            "--year 2020/21 is not a year of the book",
        ),
        (
            &["--to", "book.ods"],
            2,
            "give a new workbook ending in .xlsx",
        ),
    ];
    for (args, code, expected) in cases {
        let mut all = vec![path];
        all.extend_from_slice(args);
        let output = issue(&all);
        assert_eq!(
            output.status.code(),
            Some(*code),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(expected),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(
            fs::read(book.join("issued.csv")).unwrap(),
            register,
            "{args:?}"
        );
    }
    fs::write(
        book.join("purchase_orders.csv"),
        "year,issuer,payer,po_number\n2013/14,BAR,BRE,PO-1\n2013/14,BAR,BRE,PO-2\n2013/14,BAR,ZZZ,PO-3\n2020/21,BAR,BRE,PO-4\n",
    )
    .unwrap();
    let output = issue(&[path, "--on", "2013-11-30"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output).replace(&format!("{path}/"), "");
    for expected in [
        "purchase_orders.csv:3: error: BRE already has a purchase order for 2013/14 from BAR",
        "purchase_orders.csv:4: error: \"ZZZ\" is not a council of this book",
        "purchase_orders.csv:5: error: 2020/21 is outside the book's years",
        "nothing was issued",
    ] {
        assert!(err.contains(expected), "{expected:?} in\n{err}");
    }
    assert_eq!(fs::read(book.join("issued.csv")).unwrap(), register);
}
