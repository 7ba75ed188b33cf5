//! The value parsers: whatever text a cell holds, each parser answers Ok or a message, never a
//! panic, and what it reads writes back to the same value.
#![no_main]

use accord::money::{grouped, parse_amount_text};
use accord::values::{parse_code, parse_date_text, parse_weight_text, parse_year};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(read) = parse_amount_text(text) {
        // Written plainly (`-1234.56`) and grouped (`-1,234.56`), it reads back to the pence.
        let plain = parse_amount_text(&read.money.to_string()).expect("a written amount reads");
        assert_eq!(plain.money, read.money);
        assert!(!plain.rounded);
        let with_commas = parse_amount_text(&grouped(read.money)).expect("a grouped amount reads");
        assert_eq!(with_commas.money, read.money);
    }
    if let Ok(year) = parse_year(text) {
        assert_eq!(parse_year(&year.to_string()), Ok(year));
        assert!(year.first_day() < year.last_day());
    }
    if let Ok(date) = parse_date_text(text) {
        let written = date.format("%Y-%m-%d").to_string();
        assert_eq!(parse_date_text(&written), Ok(date));
    }
    if let Ok(code) = parse_code(text) {
        assert_eq!(parse_code(&code).as_ref(), Ok(&code));
    }
    if let Ok(weight) = parse_weight_text(text) {
        assert_eq!(parse_weight_text(&weight.to_string()), Ok(weight));
    }
});
