//! Settlement worked by hand, and the properties every settlement has: the transfers meet
//! every position exactly, no council pays and receives, and (compared with a brute-force
//! search over every way of settling) no settlement has fewer transfers.

use super::*;
use proptest::prelude::*;

fn positions_of(list: &[(&str, i128)]) -> BTreeMap<String, Money> {
    list.iter()
        .map(|(c, p)| (c.to_string(), Money::from_pence(*p)))
        .collect()
}

fn shown(transfers: &[Transfer]) -> Vec<(String, String, i128)> {
    transfers
        .iter()
        .map(|t| (t.payer.clone(), t.payee.clone(), t.amount.pence()))
        .collect()
}

/// The naive rule: the largest debtor pays the largest creditor, again and again.
fn greedy_count(list: &[(&str, i128)]) -> usize {
    let mut values: Vec<i128> = list.iter().map(|(_, p)| *p).collect();
    let mut count = 0;
    loop {
        let (Some(c), Some(d)) = (
            (0..values.len())
                .filter(|&i| values[i] > 0)
                .max_by_key(|&i| values[i]),
            (0..values.len())
                .filter(|&i| values[i] < 0)
                .min_by_key(|&i| values[i]),
        ) else {
            return count;
        };
        let amount = values[c].min(-values[d]);
        values[c] -= amount;
        values[d] += amount;
        count += 1;
    }
}

#[test]
fn hand_worked_settlements() {
    type Case = (
        &'static str,
        &'static [(&'static str, i128)],
        &'static [(&'static str, &'static str, i128)],
    );
    let cases: &[Case] = &[
        ("nothing owed", &[], &[]),
        ("all square", &[("EAL", 0), ("HRW", 0)], &[]),
        (
            "one pair",
            &[("EAL", 100), ("HRW", -100)],
            &[("HRW", "EAL", 100)],
        ),
        (
            "one creditor, two debtors",
            &[("A", 1000), ("B", -300), ("C", -700)],
            &[("B", "A", 300), ("C", "A", 700)],
        ),
        (
            "a council with no position takes no part",
            &[("A", 500), ("B", 0), ("C", -500)],
            &[("C", "A", 500)],
        ),
        (
            "a pair and a triple: 3 transfers, where largest-to-largest takes 4",
            &[("A", 600), ("B", 500), ("C", 300), ("D", -800), ("E", -600)],
            &[("D", "B", 500), ("D", "C", 300), ("E", "A", 600)],
        ),
        (
            "two triples and no pair: 4 transfers, where largest-to-largest takes 5",
            &[
                ("A", 900),
                ("B", 800),
                ("C", -200),
                ("D", -400),
                ("E", -500),
                ("F", -600),
            ],
            &[
                ("C", "B", 200),
                ("D", "A", 400),
                ("E", "A", 500),
                ("F", "B", 600),
            ],
        ),
        (
            "equal positions pair off by code",
            &[("A", 1), ("B", 1), ("C", -1), ("D", -1)],
            &[("C", "A", 1), ("D", "B", 1)],
        ),
        (
            "no zero-sum group inside: one fewer than the councils",
            &[("A", 500), ("B", 400), ("C", -300), ("D", -600)],
            &[("C", "B", 300), ("D", "A", 500), ("D", "B", 100)],
        ),
    ];
    for (what, list, expected) in cases {
        let got = shown(&fewest_transfers(&positions_of(list)));
        let mut want: Vec<(String, String, i128)> = expected
            .iter()
            .map(|(p, r, a)| (p.to_string(), r.to_string(), *a))
            .collect();
        want.sort();
        assert_eq!(got, want, "{what}");
    }
    // The two cases a naive pairing gets wrong, to show they are.
    assert_eq!(
        greedy_count(&[("A", 600), ("B", 500), ("C", 300), ("D", -800), ("E", -600)]),
        4
    );
    assert_eq!(
        greedy_count(&[
            ("A", 900),
            ("B", 800),
            ("C", -200),
            ("D", -400),
            ("E", -500),
            ("F", -600)
        ]),
        5
    );
}

#[test]
fn sixteen_councils_in_eight_pairs_take_eight_transfers() {
    let names: Vec<String> = (0..16).map(|i| format!("C{i:02}")).collect();
    let list: Vec<(&str, i128)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let size = (i / 2 + 1) as i128 * 10_007;
            (n.as_str(), if i % 2 == 0 { size } else { -size })
        })
        .collect();
    let transfers = fewest_transfers(&positions_of(&list));
    assert_eq!(transfers.len(), 8);
    check_meets(&positions_of(&list), &transfers).unwrap();
}

#[test]
fn years_are_settled_apart_from_the_documents() {
    use crate::engine::documents::DocumentKind;
    use chrono::NaiveDate;
    let document = |year: i32, issuer: &str, payer: &str, pence: i128| crate::engine::Document {
        kind: DocumentKind::Invoice,
        number: format!("WLA/{year}/{issuer}/{payer}").into(),
        year: Year(year),
        issuer: issuer.into(),
        payer: payer.into(),
        adjusts: None,
        lines: vec![crate::engine::DocumentLine {
            programme: "OFFICE".into(),
            amount: Money::from_pence(pence),
            before: Money::ZERO,
            now: Money::from_pence(pence),
        }],
        issued_on: None,
    };
    let engine_documents = [
        document(2012, "EAL", "HRW", 300),
        document(2012, "HRW", "EAL", 100),
        document(2012, "EAL", "BAR", 50),
        document(2013, "BAR", "EAL", 70),
    ];
    let documents: Vec<Document> = engine_documents
        .iter()
        .map(|d| Document::of(d, NaiveDate::from_ymd_opt(d.year.0, 4, 1).unwrap()))
        .collect();
    let years = settle_years(&documents);
    type Shown = Vec<(String, String, i128)>;
    let got: Vec<(i32, Shown)> = years
        .iter()
        .map(|y| (y.year.0, shown(&y.transfers)))
        .collect();
    let t = |p: &str, r: &str, a| (p.to_string(), r.to_string(), a);
    assert_eq!(
        got,
        vec![
            (2012, vec![t("BAR", "EAL", 50), t("HRW", "EAL", 200)]),
            (2013, vec![t("EAL", "BAR", 70)]),
        ]
    );
    assert_eq!(years[0].positions["EAL"], Money::from_pence(250));
}

/// The transfers meet every position exactly, are positive, and no council both pays and
/// receives (or pays when owed, or receives when it owes).
fn check_meets(positions: &BTreeMap<String, Money>, transfers: &[Transfer]) -> Result<(), String> {
    let mut moved: BTreeMap<&str, Money> = BTreeMap::new();
    for t in transfers {
        if t.amount <= Money::ZERO || t.payer == t.payee {
            return Err(format!("bad transfer {t:?}"));
        }
        if !positions[&t.payer].is_negative() || positions[&t.payee] <= Money::ZERO {
            return Err(format!("{t:?} against the positions"));
        }
        *moved.entry(&t.payee).or_default() += t.amount;
        *moved.entry(&t.payer).or_default() -= t.amount;
    }
    for (council, net) in positions {
        let got = moved.get(council.as_str()).copied().unwrap_or_default();
        if got != *net {
            return Err(format!("{council}: position {net}, transfers {got}"));
        }
    }
    Ok(())
}

/// The fewest transfers, by trying every way: settle the first open council entirely with
/// each other council of the opposite sign in turn (any settlement can be reordered into
/// such steps). Exponential; for a handful of councils only.
fn brute_force_fewest(values: &mut [i128], start: usize) -> usize {
    let Some(first) = (start..values.len()).find(|&i| values[i] != 0) else {
        return 0;
    };
    let mut best = usize::MAX;
    for j in first + 1..values.len() {
        if values[j].signum() == -values[first].signum() {
            values[j] += values[first];
            best = best.min(1 + brute_force_fewest(values, first + 1));
            values[j] -= values[first];
        }
    }
    best
}

/// Positions that add up to zero, from small amounts so that zero-sum groups are common.
fn small_positions(max_councils: usize) -> impl Strategy<Value = BTreeMap<String, Money>> {
    prop::collection::vec(-6i128..=6, 1..max_councils).prop_map(|mut values| {
        let rest: i128 = values.iter().sum();
        values.push(-rest);
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("C{i:02}"), Money::from_pence(v * 1_000)))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn transfers_meet_every_position_and_are_the_fewest(positions in small_positions(8)) {
        let transfers = fewest_transfers(&positions);
        prop_assert_eq!(check_meets(&positions, &transfers), Ok(()));
        let mut values: Vec<i128> = positions.values().map(|m| m.pence()).collect();
        prop_assert_eq!(transfers.len(), brute_force_fewest(&mut values, 0), "{:?}", positions);
        prop_assert_eq!(fewest_transfers(&positions), transfers, "deterministic");
    }

    #[test]
    fn up_to_sixteen_councils_are_settled_exactly(positions in small_positions(16)) {
        let transfers = fewest_transfers(&positions);
        prop_assert_eq!(check_meets(&positions, &transfers), Ok(()));
        let open = positions.values().filter(|m| !m.is_zero()).count();
        prop_assert!(transfers.len() <= open.saturating_sub(1));
    }

    #[test]
    fn beyond_sixteen_councils_at_most_one_fewer_transfer(
        values in prop::collection::vec(-1_000_000i128..1_000_000, 17..40),
    ) {
        let rest: i128 = values.iter().sum();
        let positions: BTreeMap<String, Money> = values
            .iter()
            .chain(std::iter::once(&-rest))
            .enumerate()
            .map(|(i, v)| (format!("C{i:02}"), Money::from_pence(*v)))
            .collect();
        let transfers = fewest_transfers(&positions);
        prop_assert_eq!(check_meets(&positions, &transfers), Ok(()));
        let open = positions.values().filter(|m| !m.is_zero()).count();
        prop_assert!(transfers.len() <= open.saturating_sub(1));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Each year's positions are what [`positions`] gives for that year's documents, in
    /// whatever order the documents come (codes repeated, a council invoicing itself, lines
    /// of zero).
    #[test]
    fn each_years_positions_are_its_documents(
        documents in prop::collection::vec(
            (2011..2014i32, 0..4usize, 0..4usize, prop::collection::vec(-50i128..50, 0..3)),
            0..30,
        ),
    ) {
        use crate::engine::documents::DocumentKind;
        use chrono::NaiveDate;
        let codes = ["EAL", "HRW", "BAR", "E,A"];
        let engine_documents: Vec<crate::engine::Document> = documents
            .iter()
            .map(|(year, issuer, payer, lines)| crate::engine::Document {
                kind: DocumentKind::Invoice,
                number: format!("WLA/{year}/{}/{}", codes[*issuer], codes[*payer]).into(),
                year: Year(*year),
                issuer: codes[*issuer].into(),
                payer: codes[*payer].into(),
                adjusts: None,
                lines: lines
                    .iter()
                    .map(|pence| crate::engine::DocumentLine {
                        programme: "OFFICE".into(),
                        amount: Money::from_pence(*pence),
                        before: Money::ZERO,
                        now: Money::from_pence(*pence),
                    })
                    .collect(),
                issued_on: None,
            })
            .collect();
        let posted: Vec<Document> = engine_documents
            .iter()
            .map(|d| Document::of(d, NaiveDate::from_ymd_opt(2012, 4, 1).unwrap()))
            .collect();
        let settled = settle_years(&posted);
        let mut years: Vec<Year> = posted.iter().map(|d| d.year()).collect();
        years.sort();
        years.dedup();
        prop_assert_eq!(settled.iter().map(|s| s.year).collect::<Vec<_>>(), years);
        for s in &settled {
            let want = positions(posted.iter().filter(|d| d.year() == s.year));
            prop_assert_eq!(&s.positions, &want, "{:?}", s.year);
            prop_assert_eq!(&s.transfers, &fewest_transfers(&want));
        }
    }
}
