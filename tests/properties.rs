//! Properties over generated books and amounts: splits are exact and fair, money is neither
//! created nor lost from the book to the written files, row order changes no byte, and no
//! input, however malformed, makes the reader panic.

use crate::support::books::{random_book, random_book_in_year, shuffled, Rng};
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// SPEC §4 over generated books: a `driver` council's weight is its value × days, a `fixed`
    /// council's is the sum of percentage × days over its stints (percentages that change
    /// within a year, 0% included), and a `settle` programme closes a year with actuals at 0
    /// unless the members' pool was floored or no member paid.
    #[test]
    fn the_new_bases_weigh_and_settle_as_the_spec_says(seed in any::<u64>()) {
        use accord::model::{Basis, CarryForward};
        let book = random_book(seed);
        let results = engine::run(&book, &ExtraActuals::new());
        for a in results.allocations.iter().filter(|a| a.programme != SIK) {
            let programme = book.programme(&a.programme).unwrap();
            let expected = match programme.basis {
                _ if book.is_office(&programme.code) => continue,
                Basis::Driver => {
                    let value = book
                        .drivers
                        .iter()
                        .find(|d| d.year == a.year && d.programme == a.programme && d.council == a.council)
                        .map_or(Decimal::ZERO, |d| d.value);
                    value * Decimal::from(a.days)
                }
                Basis::Fixed => book
                    .participation
                    .iter()
                    .filter(|s| s.programme == a.programme && s.council == a.council)
                    .map(|s| s.weight * Decimal::from(s.range.days_in(a.year)))
                    .sum(),
                Basis::Equal | Basis::Weighted => continue,
            };
            prop_assert_eq!(a.weight, expected.normalize(), "{} {} {}", a.year, a.programme, a.council);
        }
        for e in &results.year_ends {
            let programme = book.programme(&e.programme).unwrap();
            if programme.carry_forward != CarryForward::Settle || e.status != engine::Status::Actual {
                continue;
            }
            let floored = (e.actual - e.grants - e.applied - e.guest_charges).is_negative();
            let members_pay = results.allocations.iter().any(|a| {
                a.year == e.year && a.programme == e.programme && a.kind == CouncilKind::Member && a.weight > Decimal::ZERO
            });
            if !floored && members_pay {
                prop_assert_eq!(e.closing, Money::ZERO, "{} {} is settled", e.year, e.programme);
            }
        }
        // Savings of a programme as a whole (blank council) are in no council's return.
        for r in &results.returns {
            let cashable: Money = book
                .benefits
                .iter()
                .filter(|b| b.year == r.year && b.council == r.council && b.benefit_type == accord::model::BenefitType::Cashable)
                .map(|b| b.achieved)
                .sum();
            prop_assert_eq!(r.cashable, cashable, "{} {}", r.year, r.council);
        }
        prop_assert!(results.returns.iter().all(|r| !r.council.is_empty()));
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

/// A written CSV report as rows of column -> value.
fn read_report(path: &std::path::Path) -> Vec<BTreeMap<String, String>> {
    crate::support::csv_records(path)
}

fn pence(text: &str) -> Money {
    money::parse_amount_text(text).unwrap().money
}

/// Sums `amount_column` of rows grouped by the values of `key_columns`.
fn sums(
    rows: &[BTreeMap<String, String>],
    key_columns: &[&str],
    amount_column: &str,
) -> BTreeMap<Vec<String>, Money> {
    let mut out: BTreeMap<Vec<String>, Money> = BTreeMap::new();
    for row in rows {
        let key = key_columns.iter().map(|c| row[*c].clone()).collect();
        *out.entry(key).or_default() += pence(&row[amount_column]);
    }
    out
}

/// Loads a written book, first deleting the lines the checks refuse. What is left is a valid
/// book, and it is what the reports must account for.
fn loadable(folder: &std::path::Path) -> accord::model::Book {
    crate::support::books::load_without_refused_lines(folder)
        .unwrap_or_else(|errors| panic!("the generated book did not become valid: {errors:#?}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// From the book's CSV files to the reports' CSV files, through the `accord` binary:
    /// every budget line and grant arrives in the carry-forward schedule, every programme's
    /// sum to raise is allocated in full, every allocation is either invoiced or the lead's
    /// own share, and all support in kind is shared out. Nothing created, nothing lost.
    #[test]
    fn the_written_reports_account_for_every_penny_of_the_book(seed in any::<u64>()) {
        let dir = scratch("end-to-end");
        let input = dir.join("book");
        crate::support::books::write_csv_book(&random_book(seed), &input);
        let book = loadable(&input);
        let out = dir.join("reports");
        crate::support::run_into(&input, &out);
        check_contract(&out);

        let carry = read_report(&out.join("carry_forward.csv"));
        let allocations = read_report(&out.join("allocations.csv"));
        let invoices = read_report(&out.join("invoices.csv"));

        // Budget lines and grants, per year and programme, from the book...
        let mut budget: BTreeMap<Vec<String>, Money> = BTreeMap::new();
        for line in &book.budget {
            *budget.entry(vec![line.year.to_string(), line.programme.clone()]).or_default() += line.amount;
        }
        let mut grants: BTreeMap<Vec<String>, Money> = BTreeMap::new();
        for grant in &book.grants {
            *grants.entry(vec![grant.year.to_string(), grant.programme.clone()]).or_default() += grant.amount;
        }
        // ...are the schedule's, to the penny.
        let written_budget = sums(&carry, &["year", "programme"], "budget");
        let written_grants = sums(&carry, &["year", "programme"], "grants");
        for (key, amount) in &budget {
            prop_assert_eq!(written_budget.get(key).copied().unwrap_or_default(), *amount, "budget {:?}", key);
        }
        for (key, amount) in &grants {
            prop_assert_eq!(written_grants.get(key).copied().unwrap_or_default(), *amount, "grants {:?}", key);
        }
        prop_assert_eq!(written_budget.values().copied().sum::<Money>(), budget.values().copied().sum::<Money>());
        prop_assert_eq!(written_grants.values().copied().sum::<Money>(), grants.values().copied().sum::<Money>());

        // Each programme's contributions and guest charges are allocated in full.
        let allocated = sums(&allocations, &["year", "programme"], "amount");
        for row in &carry {
            let raised = pence(&row["guest_charges"]) + pence(&row["member_contributions"]);
            let key = vec![row["year"].clone(), row["programme"].clone()];
            prop_assert_eq!(allocated.get(&key).copied().unwrap_or_default(), raised, "allocated {:?}", key);
        }

        // Support in kind: each year's pool is shared in full when anyone shares it.
        let mut pools: BTreeMap<Vec<String>, Money> = BTreeMap::new();
        for s in &book.support_in_kind {
            *pools.entry(vec![s.year.to_string(), SIK.to_owned()]).or_default() += s.amount;
        }
        for (key, pool) in &pools {
            if let Some(shared) = allocated.get(key) {
                prop_assert_eq!(*shared, *pool, "support in kind {:?}", key);
            }
        }

        // Every allocation but a programme lead's own share is invoiced by the lead.
        let lead = |code: &str| book.programmes.iter().find(|p| p.code == code).map(|p| p.lead.clone());
        let mut to_invoice: BTreeMap<Vec<String>, Money> = BTreeMap::new();
        for row in allocations.iter().filter(|r| r["programme"] != SIK) {
            let lead = lead(&row["programme"]).unwrap();
            if row["council"] != lead {
                *to_invoice.entry(vec![row["year"].clone(), row["programme"].clone()]).or_default() += pence(&row["amount"]);
            }
        }
        let invoiced: BTreeMap<Vec<String>, Money> = sums(
            &invoices.iter().filter(|r| r["programme"] != SIK).cloned().collect::<Vec<_>>(),
            &["year", "programme"],
            "amount",
        );
        for (key, amount) in &to_invoice {
            prop_assert_eq!(invoiced.get(key).copied().unwrap_or_default(), *amount, "invoiced {:?}", key);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Ledger actuals for a book run during a year: some programmes' lines in the years up to the
/// one in progress (a ledger has no lines after `actuals_to`: they are not counted).
fn ledger_in_year(book: &accord::model::Book, seed: u64) -> ExtraActuals {
    let mut rng = Rng::new(seed ^ 0x1ED6E5);
    let to = book.settings.actuals_to.unwrap();
    let mut extra = ExtraActuals::new();
    for year in book.years.iter().filter(|y| y.first_day() <= to) {
        for p in &book.programmes {
            if rng.chance(30) {
                extra.insert(
                    (*year, p.code.clone()),
                    Money::from_pence(rng.range(-5_000, 9_000_000) as i128),
                );
            }
        }
    }
    extra
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// SPEC §9 over generated books, for any `actuals_to`: the years before it are actual, the
    /// one that holds it in progress, the rest forecasts; in the year in progress every
    /// programme's `actual` is its forecast outturn, actual to date + budget − budget to date,
    /// with the budget to date worked out here from the budget lines, the profile and the day;
    /// and every identity of SPEC §3 still holds (`reconcile` panics otherwise).
    #[test]
    fn forecast_outturn_is_actual_to_date_plus_the_budget_still_to_fall_due(seed in any::<u64>()) {
        use accord::engine::budget_to_date::{budget_to_date, due_weights, Profile};
        use accord::engine::Status;
        let book = random_book_in_year(seed);
        let extra = ledger_in_year(&book, seed);
        let results = engine::run(&book, &extra);
        accord::report::reconcile(&book, &results);
        let to = book.settings.actuals_to.unwrap();
        let current = accord::model::in_progress_year(Some(to));
        prop_assert_eq!(results.in_progress, current);
        let mut profiles: BTreeMap<&str, Profile> = BTreeMap::new();
        for p in &book.profile {
            profiles.entry(&p.programme).or_insert([Decimal::ZERO; 12])[p.month as usize - 1] += p.percent;
        }
        for e in &results.year_ends {
            let lines = book.budget.iter().filter(|b| b.year == e.year && b.programme == e.programme);
            let budget: Money = lines.clone().map(|b| b.amount).sum();
            prop_assert_eq!(budget, e.budget);
            if e.year.last_day() <= to {
                prop_assert_eq!(e.status, Status::Actual);
            } else if e.year.first_day() > to {
                prop_assert_eq!(e.status, Status::Forecast);
                prop_assert_eq!(e.actual, e.budget, "a forecast year spends its budget");
                continue;
            } else {
                prop_assert_eq!(e.status, Status::InProgress);
            }
            let actual_to_date: Money = book.actuals.iter()
                .filter(|a| a.year == e.year && a.programme == e.programme)
                .map(|a| a.amount).sum::<Money>()
                + extra.get(&(e.year, e.programme.clone())).copied().unwrap_or_default();
            if e.status == Status::Actual {
                prop_assert_eq!(e.actual, actual_to_date);
                continue;
            }
            // Budget to date per category, each within a penny of its exact share.
            let mut by_category: BTreeMap<&str, Money> = BTreeMap::new();
            for b in lines {
                *by_category.entry(&b.category).or_default() += b.amount;
            }
            let profile = profiles.get(e.programme.as_str());
            let (w_to_date, w_rest) = due_weights(e.year, to, profile);
            let mut to_date_total = Money::ZERO;
            for amount in by_category.values() {
                let to_date = budget_to_date(*amount, e.year, to, profile);
                let exact = amount.to_decimal() * w_to_date / (w_to_date + w_rest);
                prop_assert!((to_date.to_decimal() - exact).abs() < Decimal::ONE / Decimal::ONE_HUNDRED,
                    "{} to date is a penny or more from {}", to_date, exact);
                to_date_total += to_date;
            }
            prop_assert_eq!(e.actual, actual_to_date + e.budget - to_date_total,
                "forecast outturn of {} {}", &e.programme, e.year);
            prop_assert_eq!(e.closing, e.opening + e.guest_charges + e.member_contributions + e.grants - e.actual);
        }
        prop_assert_eq!(results.monitoring.is_empty() && current.is_some(),
            current.is_some() && !book.budget.iter().any(|b| Some(b.year) == current)
                && !book.actuals.iter().any(|a| Some(a.year) == current)
                && !extra.keys().any(|(y, _)| Some(*y) == current));
        // No variance row for the year in progress or after it.
        prop_assert!(results.variance.iter().all(|v| v.year.last_day() <= to));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn shuffling_a_book_in_year_changes_no_output_byte(seed in any::<u64>()) {
        let book = random_book_in_year(seed);
        prop_assert_eq!(csv_bytes(&book), csv_bytes(&shuffled(&book, seed)));
    }
}

#[test]
fn generated_books_in_year_pass_the_contract_checker() {
    let dir = scratch("contract-in-year");
    for seed in 0..12u64 {
        let book = random_book_in_year(seed);
        let extra = ledger_in_year(&book, seed);
        let run = pipeline::produce(&book, &extra, &[], &[]).unwrap();
        let out = dir.join(format!("seed-{seed}"));
        replace_folder(&out, &run.files).unwrap();
        check_contract(&out);
        // monitoring.csv and the monitoring PDF exactly when a year is in progress.
        let current = accord::model::in_progress_year(book.settings.actuals_to);
        assert_eq!(
            out.join("monitoring.csv").exists(),
            current.is_some(),
            "seed {seed}"
        );
        if let Some(year) = current {
            assert!(
                out.join(year.dashed()).join("monitoring.pdf").exists(),
                "seed {seed}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// A book run during a year, written as CSV files (with its `actuals_to` and `profile`)
    /// and run through the binary: the reports pass the contract checker, and the year in
    /// progress's `actual` in carry_forward.csv is its monitoring.csv forecast outturns.
    #[test]
    fn a_written_book_in_year_runs_through_the_binary(seed in any::<u64>()) {
        let dir = scratch("in-year-end-to-end");
        let input = dir.join("book");
        crate::support::books::write_csv_book(&random_book_in_year(seed), &input);
        let book = loadable(&input);
        let out = dir.join("reports");
        crate::support::run_into(&input, &out);
        check_contract(&out);
        let current = accord::model::in_progress_year(book.settings.actuals_to);
        let monitoring = out.join("monitoring.csv");
        prop_assert_eq!(monitoring.exists(), current.is_some());
        if monitoring.exists() {
            let carry = read_report(&out.join("carry_forward.csv"));
            let outturns = sums(&read_report(&monitoring), &["year", "programme"], "forecast_outturn");
            for row in carry.iter().filter(|r| r["status"] == "in_progress") {
                let key = vec![row["year"].clone(), row["programme"].clone()];
                prop_assert_eq!(outturns.get(&key).copied().unwrap_or_default(), pence(&row["actual"]), "{:?}", key);
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
