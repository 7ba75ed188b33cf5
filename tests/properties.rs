//! Properties over generated books and amounts: splits are exact and fair, money is neither
//! created nor lost from the book to the written files, row order changes no byte, and no
//! input, however malformed, makes the reader panic.

use crate::support::books::{random_book, shuffled};
use crate::support::{check_contract, scratch};
use accord::engine::split::split;
use accord::engine::{self, ExtraActuals, SIK};
use accord::model::{CouncilKind, SCHEMAS};
use accord::money::{self, Money};
use accord::output::replace_folder;
use accord::pipeline;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn splits_add_up_and_stay_within_a_penny(
        amount in -10_000_000_000i64..10_000_000_000,
        weights in prop::collection::vec(0u32..1_000_000, 1..40),
        scale in 0u32..4,
    ) {
        prop_assume!(weights.iter().any(|w| *w > 0));
        let parts: Vec<(usize, Decimal)> = weights
            .iter()
            .enumerate()
            .map(|(i, w)| (i, Decimal::new(*w as i64, scale)))
            .collect();
        let out = split(Money::from_pence(amount as i128), &parts);
        let total: i128 = out.iter().map(|(_, m)| m.pence()).sum();
        prop_assert_eq!(total, amount as i128);
        let weight_total: i128 = weights.iter().map(|w| *w as i128).sum();
        for ((_, part), w) in out.iter().zip(&weights) {
            // |part - amount × w / W| < 1 penny, in integers: |part × W - amount × w| < W.
            let off = (part.pence() * weight_total - amount as i128 * *w as i128).abs();
            prop_assert!(off < weight_total, "part {} of weight {} is a penny or more off", part, w);
        }
    }

    #[test]
    fn any_amount_form_reads_back_to_the_same_pence(pence in -99_999_999_999i64..99_999_999_999) {
        let m = Money::from_pence(pence as i128);
        let plain = m.to_string();
        let grouped = money::grouped(m);
        let pounds = grouped.trim_start_matches('-');
        let forms = [
            plain.clone(),
            grouped.clone(),
            if m.is_negative() { format!("-£{pounds}") } else { format!("£{pounds}") },
            if m.is_negative() { format!("({pounds})") } else { pounds.to_string() },
        ];
        for form in forms {
            let read = money::parse_amount_text(&form).unwrap();
            prop_assert_eq!(read.money, m, "{}", form);
            prop_assert!(!read.rounded);
        }
        let as_float = money::amount_from_float(pence as f64 / 100.0).unwrap();
        prop_assert_eq!(as_float.money, m);
        prop_assert!(!as_float.rounded);
    }
}

/// Every report table of a book, as CSV bytes.
fn csv_bytes(book: &accord::model::Book) -> Vec<(String, Vec<u8>)> {
    let run = pipeline::produce(book, &ExtraActuals::new(), &[], &[]).unwrap();
    run.files
        .into_iter()
        .map(|f| (f.path.display().to_string(), f.content))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn money_is_neither_created_nor_lost(seed in any::<u64>()) {
        let book = random_book(seed);
        let results = engine::run(&book, &ExtraActuals::new());
        accord::report::reconcile(&book, &results);
        // Per programme and year: guest charges + member contributions = what was allocated,
        // and the guests' share is the full-cost share of the gross.
        for e in &results.year_ends {
            let rows: Vec<_> = results.allocations.iter().filter(|a| a.year == e.year && a.programme == e.programme).collect();
            let guests: Money = rows.iter().filter(|a| a.kind == CouncilKind::Guest).map(|a| a.amount).sum();
            let members: Money = rows.iter().filter(|a| a.kind == CouncilKind::Member).map(|a| a.amount).sum();
            prop_assert_eq!(guests, e.guest_charges);
            prop_assert_eq!(members, e.member_contributions);
            prop_assert!(!members.is_negative(), "members' pool is floored at zero");
        }
        // Each closing is the next year's opening.
        let mut last: BTreeMap<&str, Money> = BTreeMap::new();
        for e in &results.year_ends {
            if let Some(closing) = last.insert(&e.programme, e.closing) {
                prop_assert_eq!(closing, e.opening);
            }
        }
        // Support in kind: each pool is shared in full.
        let mut pools: BTreeMap<(accord::values::Year, &str), Money> = BTreeMap::new();
        for s in &book.support_in_kind {
            *pools.entry((s.year, &s.provider)).or_default() += s.amount;
        }
        for ((year, provider), pool) in pools {
            let shared: Money = results.allocations.iter()
                .filter(|a| a.programme == SIK && a.year == year && a.holder == provider)
                .map(|a| a.amount).sum();
            let anyone = results.allocations.iter().any(|a| a.programme == SIK && a.year == year);
            if anyone { prop_assert_eq!(shared, pool); }
        }
        // Invoices plus own shares are all allocations.
        let all: Money = results.allocations.iter().map(|a| a.amount).sum();
        let own: Money = results.allocations.iter().filter(|a| a.holder == a.council).map(|a| a.amount).sum();
        let invoiced: Money = results.invoices.iter().map(|i| i.amount).sum();
        prop_assert_eq!(invoiced + own, all);
    }

    #[test]
    fn shuffling_rows_changes_no_output_byte(seed in any::<u64>()) {
        let book = random_book(seed);
        prop_assert_eq!(csv_bytes(&book), csv_bytes(&shuffled(&book, seed)));
    }
}

#[test]
fn generated_books_pass_the_contract_checker() {
    let dir = scratch("contract");
    for seed in 0..12u64 {
        let book = random_book(seed);
        let run = pipeline::produce(&book, &ExtraActuals::new(), &[], &[]).unwrap();
        let out = dir.join(format!("seed-{seed}"));
        replace_folder(&out, &run.files).unwrap();
        check_contract(&out);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any bytes in any table file are read without a panic: the reader and the model turn
    /// them into diagnostics.
    #[test]
    fn no_csv_content_makes_the_reader_panic(
        table in 0usize..SCHEMAS.len(),
        content in prop::collection::vec(any::<u8>(), 0..400),
        text in "[a-z0-9,;\"\n\r £()./-]{0,300}",
    ) {
        let dir = scratch("no-panic");
        let book = crate::support::copy_fixture(&dir);
        let name = format!("{}.csv", SCHEMAS[table].name);
        let mut bytes = text.into_bytes();
        bytes.extend(content);
        std::fs::write(book.join(&name), bytes).unwrap();
        let _ = pipeline::load(&book);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
