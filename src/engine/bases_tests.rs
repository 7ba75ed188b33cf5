//! Table tests of the allocation rules of SPEC §4, with figures worked by hand: the `driver`
//! basis, dated percentages in `fixed` programmes, `carry_forward: settle`, and a book with no
//! Office sharing support in kind. Each builds a small book in memory and runs the engine.
// The case tables read best with their types written out in place.
#![allow(clippy::type_complexity)]

use super::{run, Allocation, ExtraActuals, Status, SIK};
use crate::diag::Place;
use crate::model::*;
use crate::money::Money;
use crate::values::Year;
use chrono::NaiveDate;
use rust_decimal::Decimal;

const YEAR: Year = Year(2022); // 2022/23: 365 days

fn place() -> Place {
    Place::File {
        file: "test".into(),
    }
}

fn gbp(text: &str) -> Money {
    crate::money::parse_amount_text(text).unwrap().money
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn council(code: &str) -> Council {
    Council {
        code: code.into(),
        name: code.into(),
        kind: CouncilKind::Member,
        membership: DateRange::ALWAYS,
        place: place(),
    }
}

fn programme(code: &str, basis: Basis, carry_forward: CarryForward) -> Programme {
    Programme {
        code: code.into(),
        name: code.into(),
        lead: "AAA".into(),
        basis,
        carry_forward,
        place: place(),
    }
}

fn stint(
    council: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    weight: i64,
) -> Participation {
    Participation {
        programme: "P".into(),
        council: council.into(),
        range: DateRange { from, to },
        weight: Decimal::from(weight),
        place: place(),
    }
}

fn budget(amount: &str) -> BudgetLine {
    BudgetLine {
        year: YEAR,
        programme: "P".into(),
        line: "team".into(),
        category: "staff".into(),
        amount: gbp(amount),
        place: place(),
    }
}

/// A book of councils AAA and BBB (and any others) with one programme `P` and no Office.
fn book(councils: &[&str], p: Programme, participation: Vec<Participation>) -> Book {
    Book {
        label: "test".into(),
        councils: councils.iter().map(|c| council(c)).collect(),
        programmes: vec![p],
        participation,
        budget: vec![budget("1000.00")],
        grants: Vec::new(),
        support_in_kind: Vec::new(),
        actuals: Vec::new(),
        cost_centres: Vec::new(),
        balances: Vec::new(),
        benefits: Vec::new(),
        settings: Settings {
            office: String::new(),
            ..Settings::default()
        },
        drivers: Vec::new(),
        profile: Vec::new(),
        cycle: Default::default(),
        accounts: Vec::new(),
        years: vec![YEAR],
    }
}

fn amounts(allocations: &[Allocation], programme: &str) -> Vec<(String, String)> {
    allocations
        .iter()
        .filter(|a| a.programme == programme)
        .map(|a| (a.council.to_string(), a.amount.to_string()))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(c, a)| (c.to_string(), a.to_string()))
        .collect()
}

#[test]
fn drivers_share_by_value_times_days() {
    // (AAA's value, BBB's value, BBB's first day) → (AAA pays, BBB pays), on GBP 1,000.00.
    let cases: &[((i64, i64, Option<NaiveDate>), (&str, &str))] = &[
        // 3:1 all year: 750.00 and 250.00.
        ((3, 1, None), ("750.00", "250.00")),
        // 0 pays nothing.
        ((5, 0, None), ("1000.00", "0.00")),
        // 2,125 to 806 planning applications: 100,000p × 2125/2931 = 72,500.85p and
        // × 806/2931 = 27,499.15p; floors 725.00 and 274.99 leave a penny, which goes to the
        // larger remainder (AAA's 0.85).
        ((2125, 806, None), ("725.01", "274.99")),
        // 1:1, BBB from 1 October (182 days): weights 365 and 182; 100,000p × 365/547 =
        // 66,727.61p and 33,272.39p: 667.27 and 332.72, the penny to AAA (0.61 against 0.39).
        ((1, 1, date(2022, 10, 1)), ("667.28", "332.72")),
    ];
    for ((a, b, from), (pays_a, pays_b)) in cases {
        let mut book = book(
            &["AAA", "BBB"],
            programme("P", Basis::Driver, CarryForward::Apply),
            vec![stint("AAA", None, None, 1), stint("BBB", *from, None, 1)],
        );
        for (code, value) in [("AAA", a), ("BBB", b)] {
            book.drivers.push(Driver {
                year: YEAR,
                programme: "P".into(),
                council: code.into(),
                value: Decimal::from(*value),
                place: place(),
            });
        }
        let results = run(&book, &ExtraActuals::new());
        assert_eq!(
            amounts(&results.allocations, "P"),
            pairs(&[("AAA", pays_a), ("BBB", pays_b)]),
            "values {a}:{b} from {from:?}"
        );
    }
}

#[test]
fn dated_percentages_weigh_each_stint_by_its_days() {
    // 74/26 until 2 October 2022 (185 days), 82/18 from 3 October (180 days):
    // AAA 74 × 185 + 82 × 180 = 28,450; BBB 26 × 185 + 18 × 180 = 8,050; total 36,500.
    let cases: &[(&str, (&str, &str), (&str, &str))] = &[
        // 365,000 × 28,450 / 36,500 = 284,500 exactly.
        ("365000.00", ("284500.00", "80500.00"), ("28450", "8050")),
        // 1,000 × 28,450 / 36,500 = 779.452...; 220.547...: the penny goes to BBB.
        ("1000.00", ("779.45", "220.55"), ("28450", "8050")),
    ];
    for (gross, (pays_a, pays_b), (weight_a, weight_b)) in cases {
        let mut book = book(
            &["AAA", "BBB"],
            programme("P", Basis::Fixed, CarryForward::Apply),
            vec![
                stint("AAA", None, date(2022, 10, 2), 74),
                stint("AAA", date(2022, 10, 3), None, 82),
                stint("BBB", None, date(2022, 10, 2), 26),
                stint("BBB", date(2022, 10, 3), None, 18),
            ],
        );
        book.budget = vec![budget(gross)];
        let results = run(&book, &ExtraActuals::new());
        assert_eq!(
            amounts(&results.allocations, "P"),
            pairs(&[("AAA", pays_a), ("BBB", pays_b)]),
            "gross {gross}"
        );
        let weights: Vec<String> = results
            .allocations
            .iter()
            .map(|a| a.weight.to_string())
            .collect();
        assert_eq!(
            weights,
            vec![weight_a.to_string(), weight_b.to_string()],
            "gross {gross}"
        );
    }
}

#[test]
fn settle_charges_a_year_with_actuals_on_what_was_spent() {
    // Equal shares of a GBP 1,000.00 budget; (opening, actual) → (each pays, closing).
    let cases: &[((&str, Option<&str>), (&str, &str, Status))] = &[
        // Underspent: 900.00 spent, so 450.00 each, and nothing is left over.
        (("0.00", Some("900.00")), ("450.00", "0.00", Status::Actual)),
        // Overspent: 1,200.00 spent, 600.00 each, closing 0.
        (
            ("0.00", Some("1200.00")),
            ("600.00", "0.00", Status::Actual),
        ),
        // With 100.00 brought forward and applied: 1,200.00 − 100.00 = 1,100.00, 550.00 each.
        (
            ("100.00", Some("1200.00")),
            ("550.00", "0.00", Status::Actual),
        ),
        // A forecast year is charged on its budget: 500.00 each, closing 0 (actual = budget).
        (("0.00", None), ("500.00", "0.00", Status::Forecast)),
    ];
    for ((opening, actual), (each, closing, status)) in cases {
        let mut book = book(
            &["AAA", "BBB"],
            programme("P", Basis::Equal, CarryForward::Settle),
            vec![stint("AAA", None, None, 1), stint("BBB", None, None, 1)],
        );
        book.balances.push(Balance {
            programme: "P".into(),
            year: YEAR,
            opening: gbp(opening),
            place: place(),
        });
        if let Some(actual) = actual {
            book.actuals.push(Actual {
                year: YEAR,
                programme: "P".into(),
                category: "staff".into(),
                amount: gbp(actual),
                place: place(),
            });
        }
        let results = run(&book, &ExtraActuals::new());
        let case = format!("opening {opening}, actual {actual:?}");
        assert_eq!(
            amounts(&results.allocations, "P"),
            pairs(&[("AAA", each), ("BBB", each)]),
            "{case}"
        );
        let end = &results.year_ends[0];
        assert_eq!(end.closing.to_string(), *closing, "{case}");
        assert_eq!(end.status, *status, "{case}");
        assert_eq!(
            end.budget,
            gbp("1000.00"),
            "{case}: the budget column still shows the budget lines"
        );
    }
}

#[test]
fn with_no_office_support_in_kind_is_shared_over_councils_taking_part() {
    // GBP 365.00 of support in kind from AAA, shared by days taking part in anything.
    // (BBB's first day, CCC takes part) → (AAA, BBB, CCC) shares.
    let cases: &[((Option<NaiveDate>, bool), &[(&str, &str)])] = &[
        // AAA and BBB all year, CCC a member in nothing: no Office, so CCC shares nothing.
        ((None, false), &[("AAA", "182.50"), ("BBB", "182.50")]),
        // BBB from 1 October: 365 and 182 days; 36,500p × 365/547 = 24,355.58p and
        // × 182/547 = 12,144.42p; floors 243.55 and 121.44, the penny to AAA.
        (
            (date(2022, 10, 1), false),
            &[("AAA", "243.56"), ("BBB", "121.44")],
        ),
        // CCC takes part too: 121.67, 121.67, 121.66 (the penny left over to the lower codes).
        (
            (None, true),
            &[("AAA", "121.67"), ("BBB", "121.67"), ("CCC", "121.66")],
        ),
    ];
    for ((from, with_c), expected) in cases {
        let mut participation = vec![stint("AAA", None, None, 1), stint("BBB", *from, None, 1)];
        if *with_c {
            participation.push(stint("CCC", None, None, 1));
        }
        let mut book = book(
            &["AAA", "BBB", "CCC"],
            programme("P", Basis::Equal, CarryForward::Apply),
            participation,
        );
        book.support_in_kind.push(SupportInKind {
            year: YEAR,
            provider: "AAA".into(),
            category: "accommodation".into(),
            amount: gbp("365.00"),
            place: place(),
        });
        let results = run(&book, &ExtraActuals::new());
        assert_eq!(
            amounts(&results.allocations, SIK),
            pairs(expected),
            "{from:?} {with_c}"
        );
        // With an Office every member shares it, CCC included (the rule of SPEC §2).
        let mut with_office = book.clone();
        with_office.settings.office = "OFFICE".into();
        with_office
            .programmes
            .push(programme("OFFICE", Basis::Equal, CarryForward::Apply));
        let results = run(&with_office, &ExtraActuals::new());
        let sharers = results
            .allocations
            .iter()
            .filter(|a| a.programme == SIK)
            .count();
        assert_eq!(
            sharers, 3,
            "with an Office every member shares: {from:?} {with_c}"
        );
    }
}
