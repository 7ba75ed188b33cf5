//! The property that where a file is cut into blocks does not matter: any ledger, of good and
//! bad lines, blank lines, quoted values holding commas and line breaks, CRLF or LF, UTF-8 or
//! Windows-1252 (the encoding decided as the blocks are read), read in
//! blocks of any size, gives the same sums, unmapped lines, warnings and errors (at the same
//! places) as read in one block.

use super::tests::{book, Files};
use super::*;
use proptest::prelude::*;

/// One line of a ledger (without its line ending), from choices of each value.
fn line() -> impl Strategy<Value = String> {
    let date = prop_oneof![
        Just("2012-04-01"),
        Just("31/03/2013"),
        Just("2013-04-01"),
        Just("2011-06-30"),
        Just("2012-13-01"),
        Just(""),
    ];
    let cost_centre = prop_oneof![
        Just("CC1"),
        Just(" CC2 "),
        Just("\"CC1\""),
        Just("Nowhere"),
        Just("\"Jour, nals\""),
        Just("\"two\nlines\""),
        Just("12\" monitor"),
        Just(""),
    ];
    let amount = prop_oneof![
        Just("1.00"),
        Just("-12.34"),
        Just("\"1,000.50\""),
        Just("\"(2.50)\""),
        Just("0.125"),
        Just("ten"),
        Just(""),
    ];
    let memo = prop_oneof![
        Just(""),
        Just(",x"),
        // Made the bytes of "é" in UTF-8 and in Windows-1252 below.
        Just(",caf<utf8>"),
        Just(",caf<cp1252>"),
        Just(",\"a \"\"quoted\"\"\r\nmemo\""),
        Just(",x,extra"),
    ];
    let blank = prop_oneof![Just(""), Just("   "), Just(",,")];
    prop_oneof![
        8 => (date, cost_centre, amount, memo)
            .prop_map(|(d, c, a, m)| format!("{d},{c},{a}{m}")),
        1 => blank.prop_map(str::to_string),
    ]
}

fn ledger() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(line(), 0..40),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, crlf, last_ended)| {
            let end = if crlf { "\r\n" } else { "\n" };
            let mut text = format!("date,cost_centre,amount,memo{end}");
            text.push_str(&lines.join(end));
            if last_ended {
                text.push_str(end);
            }
            let text = text.replace("<utf8>", "é");
            let mut bytes = Vec::new();
            for (index, part) in text.split("<cp1252>").enumerate() {
                if index > 0 {
                    bytes.push(0xe9);
                }
                bytes.extend_from_slice(part.as_bytes());
            }
            bytes
        })
}

/// What a reading gives, as comparable text: the summary, or the errors as printed.
fn outcome(result: Result<LedgerSummary, Diagnostics>) -> String {
    match result {
        Ok(summary) => format!("{summary:?}"),
        Err(problems) => problems
            .items
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn blocks_of_any_size_read_a_file_alike(text in ledger(), cut in 1usize..200) {
        let files = Files::new();
        let gl = files.write("gl.csv", &text);
        let book = book(&[("CC1", "A"), ("CC2", "B"), ("Jour, nals", "B")], &[2012, 2013]);
        let paths = std::slice::from_ref(&gl);
        let whole = outcome(read_ledgers_in_blocks(paths, &book, false, blocks::BLOCK_BYTES));
        let cut_up = read_ledgers_in_blocks(paths, &book, false, cut);
        // Hashed by the counting threads a block at a time, in order: the file's SHA-256.
        if let Ok(summary) = &cut_up {
            let expected = crate::text::hex(&<sha2::Sha256 as sha2::Digest>::digest(&text));
            prop_assert_eq!(&summary.files[0].sha256_hex, &expected);
        }
        prop_assert_eq!(whole, outcome(cut_up));
    }
}
