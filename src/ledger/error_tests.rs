//! Tests of the messages for bad ledger files: bad dates and amounts at their line and column,
//! the fifty-line limit, empty files, and files that cannot be read.

use super::tests::{book, messages, read, Files};

#[test]
fn bad_dates_and_amounts_are_errors_at_their_line_and_column() {
    let files = Files::new();
    let gl = files.write(
        "gl.csv",
        "id,date,cost_centre,amount\n\
         1,2012-04-01,CC1,10.00\n\
         2,2012-13-01,CC1,10.00\n\
         3,2012-04-01,CC1,12,34.5x\n\
         4,,CC1,\n\
         5,2012-04-01,CC1,\"12,34.5x\"\n\
         6,,,\n",
    );
    let book = book(&[("CC1", "A")], &[2012]);
    let problems = read(&[&gl], &book).unwrap_err();
    assert_eq!(
        messages(&problems.items, &files),
        "gl.csv:3:2: error: \"2012-13-01\" is not a date; write it like 2012-04-01 or \
         01/04/2012 (day first)\n\
         gl.csv:4: error: the line has 5 values but the header has 4; a value with a comma in \
         it must be in double quotes\n\
         gl.csv:5:2: error: the date is blank; every ledger line needs one, like 2012-04-01\n\
         gl.csv:5:4: error: the amount is blank; every ledger line needs one, like 1234.50\n\
         gl.csv:6:4: error: \"12,34.5x\" is not an amount; write it like 1234.50, £1,234.50, \
         -1,234.50 or (1,234.50)\n\
         gl.csv:7:2: error: the line has no date, cost centre or amount; fill them in, or \
         delete it"
    );
}

#[test]
fn fifty_bad_lines_are_listed_and_the_rest_counted() {
    let files = Files::new();
    let mut text = String::from("date,cost_centre,amount\n");
    for _ in 0..70 {
        text.push_str("2012-04-01,CC1,ten pounds\n");
    }
    let gl = files.write("gl.csv", &text);
    let problems = read(&[&gl], &book(&[("CC1", "A")], &[2012])).unwrap_err();
    assert_eq!(problems.items.len(), 51);
    let printed = messages(&problems.items, &files);
    assert!(printed.starts_with("gl.csv:2:3: error: \"ten pounds\" is not an amount"));
    assert!(printed.contains("gl.csv:51:3: error"), "{printed}");
    assert!(
        printed.ends_with("\ngl.csv: error: ... and 20 more bad lines"),
        "{printed}"
    );
}

#[test]
fn empty_files_are_errors_and_header_only_files_warnings() {
    let files = Files::new();
    let empty = files.write("empty.csv", "");
    let header_only = files.write("header.csv", "\u{feff}date,cost_centre,amount\r\n");
    let book = book(&[("CC1", "A")], &[2012]);
    let problems = read(&[&empty], &book).unwrap_err();
    assert_eq!(
        messages(&problems.items, &files),
        "empty.csv: error: the ledger file is empty; it needs a header row naming its \"date\", \
         \"cost_centre\" and \"amount\" columns, then one line per payment"
    );
    let summary = read(&[&header_only], &book).unwrap();
    assert_eq!((summary.lines_read, summary.actuals.len()), (0, 0));
    assert_eq!(
        messages(&summary.warnings, &files),
        "header.csv: warning: the ledger file has a header but no lines; it adds no actuals"
    );
    let missing = files.0.join("missing.csv");
    let problems = read(&[&missing], &book).unwrap_err();
    assert!(
        messages(&problems.items, &files)
            .starts_with("missing.csv: error: cannot read the ledger file:"),
        "{problems:?}"
    );
}

#[test]
fn a_blank_first_line_and_a_file_given_twice_are_errors() {
    let files = Files::new();
    let blank_first = files.write("blank.csv", "\ndate,cost_centre,amount\n2012-04-01,CC1,1\n");
    let gl = files.write("gl.csv", "date,cost_centre,amount\n2012-04-01,CC1,1\n");
    let copy = files.write("copy.csv", "date,cost_centre,amount\n2012-04-01,CC1,1\n");
    let book = book(&[("CC1", "A")], &[2012]);
    let problems = read(&[&blank_first, &gl, &copy, &gl], &book).unwrap_err();
    assert_eq!(
        messages(&problems.items, &files),
        "blank.csv:1: error: the first line is blank; a ledger file starts with a header row \
         naming its \"date\", \"cost_centre\" and \"amount\" columns, then one line per payment\n\
         copy.csv: error: this ledger file has the same content as gl.csv, so its lines would \
         count twice; give each ledger file once\n\
         gl.csv: error: this ledger file has the same content as gl.csv, so its lines would \
         count twice; give each ledger file once"
    );
}
