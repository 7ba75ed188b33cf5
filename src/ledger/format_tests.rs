//! Tests of the file formats a ledger may come in: UTF-8 with or without a byte-order mark,
//! Windows-1252, CRLF or LF, blank lines, and quoted values holding line breaks, which must not
//! shift the line numbers reported.

use super::tests::{actuals, book, messages, read, Files};
use super::*;

#[test]
fn windows_1252_bom_and_crlf_files_read_alike() {
    let files = Files::new();
    let book = book(&[("Café", "A"), ("CC2", "B")], &[2012]);
    let utf8 =
        "\u{feff}date,cost_centre,amount\r\n2012-04-01,Café,£1,234.50\r\n\r\n2012-04-02,CC2,1\r\n";
    let utf8 = utf8.replace("£1,234.50", "\"£1,234.50\"");
    let cp1252: Vec<u8> =
        b"date,cost_centre,amount\n2012-04-01,Caf\xe9,\"\xa31,234.50\"\n\n2012-04-02,CC2,1"
            .to_vec();
    let expected = actuals(&[(2012, "A", 123450), (2012, "B", 100)]);
    for (name, bytes) in [("utf8.csv", utf8.into_bytes()), ("cp1252.csv", cp1252)] {
        let gl = files.write(name, bytes);
        let summary = read(&[&gl], &book).unwrap();
        assert_eq!(summary.actuals, expected, "{name}");
        assert_eq!(summary.lines_read, 2, "{name}");
    }
    let bad = files.write("bad.csv", b"date,cost_centre,amount\n2012-04-01,x,\xa3x\n");
    let problems = read(&[&bad], &book).unwrap_err();
    assert_eq!(
        messages(&problems.items, &files),
        "bad.csv:2:3: error: \"£x\" is not an amount; write it like 1234.50, £1,234.50, \
         -1,234.50 or (1,234.50)"
    );
}

#[test]
fn line_numbers_count_blank_lines_and_line_breaks_inside_quotes() {
    let files = Files::new();
    let text = "date,memo,cost_centre,amount\n\
                2012-04-01,\"first\nsecond\",X,1.00\n\
                \n\
                2012-04-01,ok,X,2.00\n\
                2012-04-01,\"a \"\"quoted\"\"\r\nmemo\",X,3.00\n\
                2012-04-01,ok,X,4.00\n";
    let gl = files.write("gl.csv", text);
    let book = book(&[], &[2012]);
    for block_bytes in [1, 40, blocks::BLOCK_BYTES] {
        let summary =
            read_ledgers_in_blocks(std::slice::from_ref(&gl), &book, false, block_bytes).unwrap();
        let lines: Vec<(usize, i128)> = summary
            .unmapped
            .iter()
            .map(|u| (u.line_number, u.amount.pence()))
            .collect();
        assert_eq!(
            lines,
            [(2, 100), (5, 200), (6, 300), (8, 400)],
            "blocks of {block_bytes}"
        );
    }
}

#[test]
fn line_numbers_count_blank_lines_without_quotes() {
    let files = Files::new();
    let text = "date,cost_centre,amount\r\n\r\n2012-04-01,X,1.00\r\n   \r\n,,\r\n2012-04-01,X,2.00\r\n\r\n";
    let gl = files.write("gl.csv", text);
    let summary = read(&[&gl], &book(&[], &[2012])).unwrap();
    let lines: Vec<usize> = summary.unmapped.iter().map(|u| u.line_number).collect();
    assert_eq!(lines, [3, 6]);
}

#[test]
fn each_record_of_a_block_is_numbered_by_the_line_it_starts_on() {
    let book = book(&[], &[2012]);
    let rules = tally::Rules::new(&book);
    let columns = columns::Columns {
        count: 3,
        date: 0,
        cost_centre: 1,
        amount: 2,
    };
    let source = tally::Source {
        name: "gl.csv".into(),
        date_column_number: 1,
        amount_column_number: 3,
    };
    // Blocks starting on line 10: the unmapped lines they hold, at their lines.
    let cases: &[(&str, &[(usize, &str)])] = &[
        (
            "2012-04-01,X,1.00\n2012-04-02,Y,2.00\n",
            &[(10, "X"), (11, "Y")],
        ),
        (
            "2012-04-01,X,1.00\r\n\r\n2012-04-02,Y,\"2.00\"",
            &[(10, "X"), (12, "Y")],
        ),
        (
            "2012-04-01,\"X\",1.00\n,,\n   \n2012-04-02,Y,2.00\n",
            &[(10, "X"), (13, "Y")],
        ),
        (
            "2012-04-01,\"X\n\",1.00\n2012-04-02,Y,2.00\n",
            &[(10, "X"), (12, "Y")],
        ),
        ("\n\r\n\n2012-04-01,X,1.00\n", &[(13, "X")]),
        (
            "2012-04-01,\"a\"\"b\r\n\r\nc\",1\r\n2012-04-01,d,2",
            &[(10, "a\"b\r\n\r\nc"), (13, "d")],
        ),
        ("2012-04-01,X,1\r2012-04-01,Y,2\n", &[(10, "X"), (10, "Y")]),
    ];
    for (text, expected) in cases {
        let block = blocks::Block {
            text: text.as_bytes().to_vec(),
            first_line_number: 10,
            bytes_done: 0,
            raw: None,
        };
        let mut counter = tally::Counter::new(&rules);
        parse::count_block(&block, &columns, &source, &mut counter);
        let listed = counter.take_listed();
        let lines: Vec<(usize, &str)> = listed
            .unmapped
            .iter()
            .map(|u| (u.line_number, u.cost_centre.as_str()))
            .collect();
        assert_eq!(lines, *expected, "{text:?}");
    }
}

#[test]
fn a_quote_inside_an_unquoted_value_is_a_character() {
    let files = Files::new();
    let text = "date,cost_centre,amount,memo\n\
                2012-04-01,12\" monitor,1.00,x\n\
                2012-04-01,B,2.00,\"two\nlines\"\n\
                2012-04-01,C,3.00,x\n";
    let gl = files.write("gl.csv", text);
    let book = book(&[], &[2012]);
    for block_bytes in [1, 30, blocks::BLOCK_BYTES] {
        let summary =
            read_ledgers_in_blocks(std::slice::from_ref(&gl), &book, false, block_bytes).unwrap();
        let lines: Vec<(usize, &str)> = summary
            .unmapped
            .iter()
            .map(|u| (u.line_number, u.cost_centre.as_str()))
            .collect();
        assert_eq!(
            lines,
            [(2, "12\" monitor"), (3, "B"), (5, "C")],
            "blocks of {block_bytes}"
        );
    }
}

#[test]
fn a_byte_that_is_not_utf8_makes_the_whole_file_windows_1252_wherever_it_is() {
    let files = Files::new();
    let book = book(&[("CafÃ©", "A"), ("Café", "B")], &[2012]);
    // "é" in UTF-8 on line 2, then a Windows-1252 "é" on line 4: the file is Windows-1252, so
    // line 2's two bytes are two characters (and so is the header's, when it has them).
    type Sums<'a> = &'a [(i32, &'a str, i128)];
    let cases: &[(&[u8], Sums)] = &[
        (
            b"date,cost_centre,amount\n2012-04-01,Caf\xc3\xa9,1\n2012-04-02,x,2\n2012-04-03,Caf\xe9,4\n",
            &[(2012, "A", 100), (2012, "B", 400)],
        ),
        (
            b"date,cost_centre,amount\n2012-04-01,Caf\xc3\xa9,1\n2012-04-03,Caf\xc3\xa9,4\n",
            &[(2012, "B", 500)],
        ),
        (
            b"date,cost_centre,amount\n2012-04-01,x,1\n2012-04-03,Caf\xe9,4\n",
            &[(2012, "B", 400)],
        ),
        (
            b"date,cost_centre,amount,m\xc3\xa9mo\n2012-04-01,Caf\xc3\xa9,1\n2012-04-03,Caf\xe9,4\n",
            &[(2012, "A", 100), (2012, "B", 400)],
        ),
    ];
    for (index, (bytes, expected)) in cases.iter().enumerate() {
        let gl = files.write(&format!("gl{index}.csv"), bytes);
        for block_bytes in [1, 30, blocks::BLOCK_BYTES] {
            let summary =
                read_ledgers_in_blocks(std::slice::from_ref(&gl), &book, false, block_bytes)
                    .unwrap();
            assert_eq!(
                summary.actuals,
                actuals(expected),
                "case {index}, blocks of {block_bytes}"
            );
            let bytes_read = summary.files[0].bytes;
            assert_eq!(bytes_read, bytes.len() as u64, "case {index}");
        }
    }
}
