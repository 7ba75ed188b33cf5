//! Many generated lines, in every way a ledger writes amounts, summed over blocks of several
//! sizes (so that records straddle block ends) and checked against sums the test keeps itself
//! in whole pence.

use super::tests::{book, pence, Files};
use super::*;
use crate::values::Year;

/// A deterministic stream of numbers, so that the test needs no random-number crate.
fn next_number(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *state >> 33
}

/// Writes pence the way ledgers do: `1234.5`, `-1,234.50`, `£12.00`, `(3.07)`.
fn written(pence: i64, style: u64) -> String {
    let (pounds, rest) = (pence.abs() / 100, pence.abs() % 100);
    let grouped = pounds
        .to_string()
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|g| String::from_utf8(g.to_vec()).unwrap())
        .collect::<Vec<_>>()
        .join(",");
    let sign = if pence < 0 { "-" } else { "" };
    match style % 4 {
        0 => format!("{sign}{pounds}.{rest:02}"),
        1 => format!("\"{sign}{grouped}.{rest:02}\""),
        2 if pence < 0 => format!("\"({grouped}.{rest:02})\""),
        _ => format!("{sign}£{pounds}.{rest:02}"),
    }
}

#[test]
fn many_lines_over_many_blocks_sum_to_an_independent_total() {
    let files = Files::new();
    let book = book(&[("CC0", "A"), ("CC1", "B"), ("CC2", "A")], &[2012, 2013]);
    let mut state = 7;
    let mut text = String::from("id,date,cost_centre,amount,memo\n");
    let mut expected = ExtraActuals::new();
    let mut unmapped_pence = 0i128;
    for id in 0..5000 {
        let day = next_number(&mut state) % 900;
        let date = Year(2012).first_day() + chrono::Days::new(day);
        let cost_centre = format!("CC{}", next_number(&mut state) % 4);
        let amount = (next_number(&mut state) % 2_000_000) as i64 - 400_000;
        let style = next_number(&mut state);
        let memo = if id % 97 == 0 { "\"two\nlines\"" } else { "x" };
        let shown = written(amount, style);
        text.push_str(&format!("{id},{date},{cost_centre},{shown},{memo}\n"));
        let programme = match cost_centre.as_str() {
            "CC1" => "B",
            "CC3" => "",
            _ => "A",
        };
        let year = Year::of_date(date);
        if programme.is_empty() || year.0 > 2013 {
            unmapped_pence += i128::from(amount);
        } else {
            *expected.entry((year, programme.to_string())).or_default() += pence(amount.into());
        }
    }
    let gl = files.write("gl.csv", &text);
    for block_bytes in [64, 4096, blocks::BLOCK_BYTES] {
        let summary =
            read_ledgers_in_blocks(std::slice::from_ref(&gl), &book, false, block_bytes).unwrap();
        assert_eq!(summary.actuals, expected, "blocks of {block_bytes}");
        assert_eq!(summary.amount_unmapped(), pence(unmapped_pence));
        assert_eq!(summary.lines_read, 5000);
    }
}
