//! The property that a block without a double quote is read by the plain splitter
//! (`parse::count_plain_block`) exactly as `csv_core` reads it: the same lines counted, at the same
//! line numbers, with the same sums, unmapped lines, bad lines and roundings, whatever the mix of
//! line ends (LF, CRLF, lone CR), blank lines, blank values, spaces and too many values.

use super::tests::book;
use super::*;
use proptest::prelude::*;

/// Pieces of a ledger's text: values, commas and line ends, in any order.
fn piece() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("2012-04-01"),
        Just("2013-04-01"),
        Just("01/05/2012"),
        Just("CC1"),
        Just(" CC2 "),
        Just("Nowhere"),
        Just("1.00"),
        Just("-12.34"),
        Just("0.125"),
        Just("ten"),
        Just("caf\u{e9}"),
        Just(" "),
        Just("\t"),
        Just("\u{b}x"),
        Just(","),
        Just(","),
        Just(","),
        Just("\n"),
        Just("\n"),
        Just("\r\n"),
        Just("\r"),
    ]
}

fn shown(text: &[u8], plain: bool) -> (Vec<String>, String) {
    let book = book(&[("CC1", "A"), ("CC2", "B")], &[2012]);
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
    let block = blocks::Block {
        text: text.to_vec(),
        first_line_number: 7,
        bytes_done: 0,
        raw: None,
    };
    let mut counter = tally::Counter::new(&rules);
    if plain {
        parse::count_plain_block(&block, &columns, &source, &mut counter);
    } else {
        let mut reader = csv_core::Reader::new();
        parse::count_csv_block(&mut reader, &block, &columns, &source, &mut counter);
    }
    (counter.take_listed().shown(), counter.sums.shown())
}

proptest! {
    #[test]
    fn a_block_without_quotes_reads_as_csv_core_reads_it(
        pieces in proptest::collection::vec(piece(), 0..80)
    ) {
        let text = pieces.concat();
        prop_assert_eq!(shown(text.as_bytes(), true), shown(text.as_bytes(), false), "{:?}", text);
    }
}

#[test]
fn plain_blocks_and_csv_core_agree_on_these() {
    let cases = [
        "",
        "\n",
        "\r\n\r\n",
        "2012-04-01,CC1,1.00",
        "2012-04-01,CC1,1.00\n",
        ",,\n   \n2012-04-01,CC1,1.00\r2012-04-01,X,2.00\r\n",
        "2012-04-01,CC1,1.00,extra\n,\n,,,\n",
        "2012-04-01,CC1\n2012-04-01\n,CC1,1\n",
        "\r\r\n\n2012-04-01, CC2 ,0.125\r",
        "2012-04-01,CC1,1.00\n2012-04-0",
    ];
    for text in cases {
        assert_eq!(
            shown(text.as_bytes(), true),
            shown(text.as_bytes(), false),
            "{text:?}"
        );
    }
    // Blank lines skipped, a lone CR ending a line without starting one: X is on line 9.
    let (listed, sums) = shown(cases[5].as_bytes(), true);
    assert!(
        listed[0].contains("line_number: 9, cost_centre: \"X\""),
        "{listed:?}"
    );
    assert!(sums.ends_with("read 2 (3.00) mapped 1 (1.00)"), "{sums}");
}
