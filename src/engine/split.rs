//! The one splitting function: an amount of money over weighted parts, in whole pence, exact.
//!
//! Each part gets the floor of its exact share; the pence left over go one each to the parts
//! with the largest remainders, ties to the lower key (council code). A negative amount splits
//! as its absolute value, negated. Parts always add up to the amount, and no part is a penny or
//! more from its exact share: both are asserted on the way out.

use crate::money::Money;
use rust_decimal::Decimal;
use std::borrow::Cow;

/// Splits `amount` over `parts` in proportion to their weights. Keys must be distinct; weights
/// must be non-negative with a positive total. Returns the parts in key order.
pub fn split<K: Ord + Clone>(amount: Money, parts: &[(K, Decimal)]) -> Vec<(K, Money)> {
    split_recorded(amount, parts).0
}

/// What [`split`] did, part by part, in key order: the weights as whole units (the weights
/// times `10^scale`), each part's floor and remainder, and who got a penny left over. The
/// exact share of part `i` is `floor_pence + remainder / total_units` pence (of the absolute
/// amount; a negative amount's parts are negated). Kept so that `accord explain` shows the
/// arithmetic the engine did, never a second calculation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Working {
    pub amount_pence: i128,
    pub scale: u32,
    pub total_units: i128,
    pub parts: Vec<PartWorking>,
}

/// One part of a [`Working`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartWorking {
    pub weight_units: i128,
    /// The floor of the exact share of the absolute amount, in pence.
    pub floor_pence: i128,
    /// `|amount| × weight_units mod total_units`: the remainder the left-over pence are ranked by.
    pub remainder: i128,
    /// Whether this part got one of the pence left over.
    pub extra_penny: bool,
    /// The part as split, in pence (negated for a negative amount).
    pub part_pence: i128,
}

impl Working {
    /// The pence left over after every part took its floor.
    pub fn left_over_pence(&self) -> i128 {
        self.amount_pence.abs() - self.parts.iter().map(|p| p.floor_pence).sum::<i128>()
    }
}

/// [`split`], also handing back its [`Working`].
pub fn split_recorded<K: Ord + Clone>(
    amount: Money,
    parts: &[(K, Decimal)],
) -> (Vec<(K, Money)>, Working) {
    let sorted = in_key_order(parts);
    let (scale, integer_weights) = integer_weights(&sorted);
    let mut working = split_integers_recorded(amount.pence(), &integer_weights);
    working.scale = scale;
    let split = sorted
        .iter()
        .zip(&working.parts)
        .map(|((key, _), p)| (key.clone(), Money::from_pence(p.part_pence)))
        .collect();
    (split, working)
}

/// [`split`]'s amounts alone, in key order: the same pence, with neither the keys nor the
/// working kept, for a run that keeps no record of its splits (the engine's run for the
/// tables: on the 400-council book it splits 1,200 times over about 400 parts).
pub fn split_amounts<K: Ord + Clone>(amount: Money, parts: &[(K, Decimal)]) -> Vec<Money> {
    let sorted = in_key_order(parts);
    let (_, integer_weights) = integer_weights(&sorted);
    split_integers(amount.pence(), &integer_weights)
        .into_iter()
        .map(Money::from_pence)
        .collect()
}

/// `parts` in key order: as they are when they come so (nearly always: then they are split
/// where they are, uncopied), else a sorted copy. Keys must be distinct and weights not
/// negative.
fn in_key_order<K: Ord + Clone>(parts: &[(K, Decimal)]) -> Cow<'_, [(K, Decimal)]> {
    let parts = if parts.is_sorted_by(|a, b| a.0 <= b.0) {
        Cow::Borrowed(parts)
    } else {
        let mut parts = parts.to_vec();
        parts.sort_by(|a, b| a.0.cmp(&b.0));
        Cow::Owned(parts)
    };
    assert!(
        parts.windows(2).all(|w| w[0].0 != w[1].0),
        "split: keys must be distinct"
    );
    assert!(
        parts.iter().all(|(_, w)| *w >= Decimal::ZERO),
        "split: weights must not be negative"
    );
    parts
}

/// The weights as whole units at their largest scale: `(scale, weights × 10^scale)`.
fn integer_weights<K>(parts: &[(K, Decimal)]) -> (u32, Vec<i128>) {
    let scale = parts.iter().map(|(_, w)| w.scale()).max().unwrap_or(0);
    let weights = parts
        .iter()
        .map(|(_, w)| {
            let mut w = *w;
            w.rescale(scale);
            w.mantissa()
        })
        .collect();
    (scale, weights)
}

/// The arithmetic of [`split`] over integer weights, in key order (ties go to the lower index).
pub fn split_integers(amount_pence: i128, weights: &[i128]) -> Vec<i128> {
    let (total, narrow) = total_and_width(amount_pence, weights);
    split_integers_in(amount_pence, weights, total, narrow)
}

/// [`split_integers`] with its working (scale 0).
pub fn split_integers_recorded(amount_pence: i128, weights: &[i128]) -> Working {
    let (total, narrow) = total_and_width(amount_pence, weights);
    let shares = Shares::of(amount_pence, weights, total, narrow);
    let mut remainders = vec![0; weights.len()];
    for &(remainder, index) in &shares.ranked {
        remainders[index] = remainder;
    }
    let floors = shares.floors.clone();
    let split = shares.into_parts(weights);
    let parts = weights
        .iter()
        .zip(&floors)
        .zip(remainders)
        .zip(split)
        .map(
            |(((&weight_units, &floor_pence), remainder), part_pence)| PartWorking {
                weight_units,
                floor_pence,
                remainder,
                // A part is its floor, or its floor and a penny left over (negated with the amount).
                extra_penny: part_pence.abs() != floor_pence,
                part_pence,
            },
        )
        .collect();
    Working {
        amount_pence,
        scale: 0,
        total_units: total,
        parts,
    }
}

/// The weights' total, and whether every share can be divided in 64 bits: nearly every
/// split's amount times its total (and so times any weight, none negative) fits in 64 bits,
/// and then each share is divided in 64-bit arithmetic, one instruction, where a 128-bit
/// division is a call into the runtime. The same quotients and remainders.
fn total_and_width(amount_pence: i128, weights: &[i128]) -> (i128, bool) {
    let total: i128 = weights.iter().sum();
    let narrow = total > 0
        && amount_pence
            .checked_abs()
            .and_then(|a| a.checked_mul(total))
            .is_some_and(|product| product <= i128::from(u64::MAX))
        && weights.iter().all(|w| *w >= 0);
    (total, narrow)
}

/// The parts of `amount_pence` over integer `weights` with their `total`, each share divided
/// in 64 bits when `narrow` (which the caller has checked the numbers fit), else in 128.
fn split_integers_in(amount_pence: i128, weights: &[i128], total: i128, narrow: bool) -> Vec<i128> {
    Shares::of(amount_pence, weights, total, narrow).into_parts(weights)
}

/// The arithmetic every split shares: each part's floor of its exact share of the absolute
/// amount, and the parts ranked for the pence left over.
struct Shares {
    amount_pence: i128,
    total: i128,
    floors: Vec<i128>,
    /// Each part's remainder (`|amount| × weight mod total`) and index, the first
    /// `left_over` of them those that get a penny left over.
    ranked: Vec<(i128, usize)>,
    left_over: usize,
}

impl Shares {
    fn of(amount_pence: i128, weights: &[i128], total: i128, narrow: bool) -> Shares {
        assert!(total > 0, "split: the weights must have a positive total");
        let amount = amount_pence.abs();
        let mut floors: Vec<i128> = Vec::with_capacity(weights.len());
        let mut ranked: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
        for (index, weight) in weights.iter().enumerate() {
            let (floor, remainder) = if narrow {
                let exact = amount as u64 * *weight as u64;
                let total = total as u64;
                (i128::from(exact / total), i128::from(exact % total))
            } else {
                let exact = amount.checked_mul(*weight).expect(
                    "split: amount × weight fits in i128 for every amount and weight accord accepts",
                );
                (exact / total, exact % total)
            };
            floors.push(floor);
            ranked.push((remainder, index));
        }
        let left_over = amount - floors.iter().sum::<i128>();
        assert!(
            (0..weights.len() as i128).contains(&left_over) || left_over == 0,
            "split: fewer pence left over than parts"
        );
        // The pence left over go to the first `left_over` by this order, a total one
        // (indices are distinct): which those are needs only a selection, not a sort of
        // every part (nor the buffer a stable sort asks for, once per split).
        let ranking = |a: &(i128, usize), b: &(i128, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        if left_over > 0 {
            ranked.select_nth_unstable_by(left_over as usize - 1, ranking);
        }
        Shares {
            amount_pence,
            total,
            floors,
            ranked,
            left_over: left_over as usize,
        }
    }

    /// The parts, in pence, of the amount these are the shares of over `weights` (the same
    /// weights): each its floor, the first `left_over` ranked a penny more, negated for a
    /// negative amount. Asserts what every split promises: they add up to the amount, and
    /// none is a penny or more from its exact share.
    fn into_parts(self, weights: &[i128]) -> Vec<i128> {
        let mut parts = self.floors;
        for &(_, index) in &self.ranked[..self.left_over] {
            parts[index] += 1;
        }
        if self.amount_pence < 0 {
            parts.iter_mut().for_each(|p| *p = -*p);
        }
        assert_eq!(
            parts.iter().sum::<i128>(),
            self.amount_pence,
            "split: the parts must add up to the amount"
        );
        for (part, weight) in parts.iter().zip(weights) {
            let off = (part * self.total - self.amount_pence * weight).abs();
            assert!(
                off < self.total,
                "split: a part is a penny or more from its exact share"
            );
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(amount_pence: i128, weights: &[(&str, i64)]) -> Vec<(String, i128)> {
        let weights: Vec<(String, Decimal)> = weights
            .iter()
            .map(|(k, w)| (k.to_string(), Decimal::from(*w)))
            .collect();
        split(Money::from_pence(amount_pence), &weights)
            .into_iter()
            .map(|(k, m)| (k, m.pence()))
            .collect()
    }

    fn owned(expected: &[(&str, i128)]) -> Vec<(String, i128)> {
        expected.iter().map(|(k, p)| (k.to_string(), *p)).collect()
    }

    #[test]
    fn splits_by_hand() {
        let six = [
            ("BAR", 1),
            ("BRE", 1),
            ("EAL", 1),
            ("HIL", 1),
            ("HOU", 1),
            ("HRW", 1),
        ];
        type Case<'a> = (i128, &'a [(&'a str, i64)], &'a [(&'a str, i128)]);
        let cases: &[Case] = &[
            // The Office, report 2.38: GBP 180,000 over six boroughs is GBP 30,000 each.
            (
                18_000_000,
                &six,
                &[
                    ("BAR", 3_000_000),
                    ("BRE", 3_000_000),
                    ("EAL", 3_000_000),
                    ("HIL", 3_000_000),
                    ("HOU", 3_000_000),
                    ("HRW", 3_000_000),
                ],
            ),
            // Support in kind, report 2.42: GBP 60,000 over six is GBP 10,000 each.
            (
                6_000_000,
                &six,
                &[
                    ("BAR", 1_000_000),
                    ("BRE", 1_000_000),
                    ("EAL", 1_000_000),
                    ("HIL", 1_000_000),
                    ("HOU", 1_000_000),
                    ("HRW", 1_000_000),
                ],
            ),
            // 100 pence over three: one left over, to the lowest code on a tie.
            (
                100,
                &[("C", 1), ("A", 1), ("B", 1)],
                &[("A", 34), ("B", 33), ("C", 33)],
            ),
            // 200 over three: two left over, to A and B.
            (
                200,
                &[("C", 1), ("A", 1), ("B", 1)],
                &[("A", 67), ("B", 67), ("C", 66)],
            ),
            // Negative amounts mirror positive ones.
            (
                -100,
                &[("A", 1), ("B", 1), ("C", 1)],
                &[("A", -34), ("B", -33), ("C", -33)],
            ),
            // Largest remainder wins over the lower code: 10 by 1:2 is 3.33 and 6.67.
            (10, &[("A", 1), ("B", 2)], &[("A", 3), ("B", 7)]),
            // A part with no weight gets nothing.
            (999, &[("A", 0), ("B", 5)], &[("A", 0), ("B", 999)]),
            // A borough joining on 1 October: 182 of 365 days with a full-year partner.
            (
                54_700,
                &[("A", 365), ("B", 182)],
                &[("A", 36_500), ("B", 18_200)],
            ),
            (0, &[("A", 1), ("B", 1)], &[("A", 0), ("B", 0)]),
        ];
        for (amount, weights, expected) in cases {
            assert_eq!(
                parts(*amount, weights),
                owned(expected),
                "{amount} over {weights:?}"
            );
        }
    }

    #[test]
    fn decimal_weights_are_exact() {
        let weights = [
            ("A".to_string(), Decimal::new(335, 1)),
            ("B".to_string(), Decimal::new(665, 1)),
        ];
        let out = split(Money::from_pence(10_000), &weights);
        assert_eq!(out[0].1.pence(), 3_350);
        assert_eq!(out[1].1.pence(), 6_650);
    }

    #[test]
    fn the_working_is_what_the_split_did() {
        // (amount, weights, floors, remainders, extra pence)
        type Case<'a> = (i128, &'a [i128], &'a [i128], &'a [i128], &'a [bool]);
        let cases: &[Case] = &[
            (
                100,
                &[1, 1, 1],
                &[33, 33, 33],
                &[1, 1, 1],
                &[true, false, false],
            ),
            (10, &[1, 2], &[3, 6], &[1, 2], &[false, true]),
            (
                -100,
                &[1, 1, 1],
                &[33, 33, 33],
                &[1, 1, 1],
                &[true, false, false],
            ),
            (
                54_700,
                &[365, 182],
                &[36_500, 18_200],
                &[0, 0],
                &[false, false],
            ),
        ];
        for (amount, weights, floors, remainders, extra) in cases {
            let working = split_integers_recorded(*amount, weights);
            let got: Vec<(i128, i128, bool)> = working
                .parts
                .iter()
                .map(|p| (p.floor_pence, p.remainder, p.extra_penny))
                .collect();
            let expected: Vec<(i128, i128, bool)> = floors
                .iter()
                .zip(*remainders)
                .zip(*extra)
                .map(|((f, r), e)| (*f, *r, *e))
                .collect();
            assert_eq!(got, expected, "{amount} over {weights:?}");
            assert_eq!(
                working
                    .parts
                    .iter()
                    .map(|p| p.part_pence)
                    .collect::<Vec<_>>(),
                split_integers(*amount, weights),
                "{amount} over {weights:?}: the working's parts are the split's"
            );
        }
    }

    proptest::proptest! {
        /// The 64-bit division gives the working the 128-bit one does, wherever it is taken.
        #[test]
        fn narrow_division_is_the_wide_one(
            amount in -(1i128 << 40)..(1i128 << 40),
            weights in proptest::collection::vec(
                proptest::prop_oneof![0i128..4, 0i128..1_000_000, 0i128..(1i128 << 23)],
                1..12,
            ),
        ) {
            let total: i128 = weights.iter().sum();
            proptest::prop_assume!(total > 0);
            let recorded = split_integers_recorded(amount, &weights);
            let parts: Vec<i128> = recorded.parts.iter().map(|p| p.part_pence).collect();
            proptest::prop_assert_eq!(&parts, &split_integers_in(amount, &weights, total, false));
            let wide = Shares::of(amount, &weights, total, false);
            let remainders: Vec<i128> = recorded.parts.iter().map(|p| p.remainder).collect();
            let mut by_index = wide.ranked.clone();
            by_index.sort_by_key(|&(_, index)| index);
            proptest::prop_assert_eq!(
                &remainders,
                &by_index.iter().map(|&(r, _)| r).collect::<Vec<_>>()
            );
            if amount.abs() * total <= i128::from(u64::MAX) {
                let narrow = Shares::of(amount, &weights, total, true);
                proptest::prop_assert_eq!(&wide.floors, &narrow.floors);
                proptest::prop_assert_eq!(&wide.ranked, &narrow.ranked);
                proptest::prop_assert_eq!(&parts, &split_integers_in(amount, &weights, total, true));
            }
        }

        /// The amounts alone are the recorded split's, in key order, whatever the order the
        /// parts come in and the scale of their weights.
        #[test]
        fn the_amounts_alone_are_the_recorded_splits(
            amount in -10_000_000i128..10_000_000,
            weights in proptest::collection::vec((0i64..5_000, 0u32..4), 1..30),
            reversed in proptest::bool::ANY,
        ) {
            let mut parts: Vec<(usize, Decimal)> = weights
                .iter()
                .enumerate()
                .map(|(key, &(units, scale))| (key, Decimal::new(units, scale)))
                .collect();
            proptest::prop_assume!(parts.iter().any(|(_, w)| *w > Decimal::ZERO));
            if reversed {
                parts.reverse();
            }
            let amount = Money::from_pence(amount);
            let (recorded, _) = split_recorded(amount, &parts);
            let amounts: Vec<Money> = recorded.into_iter().map(|(_, m)| m).collect();
            proptest::prop_assert_eq!(split_amounts(amount, &parts), amounts);
        }

        /// The pence left over go where the rule says: every part ranked by its remainder,
        /// largest first, ties to the lower index, and the first ones given a penny each (a
        /// whole sort here, against the split's selection; many equal weights make ties).
        #[test]
        fn left_over_pence_go_to_the_largest_remainders(
            amount in -100_000i128..100_000,
            weights in proptest::collection::vec(
                proptest::prop_oneof![0i128..3, 0i128..1_000],
                1..40,
            ),
        ) {
            let total: i128 = weights.iter().sum();
            proptest::prop_assume!(total > 0);
            let exact: Vec<(i128, i128)> = weights
                .iter()
                .map(|w| (amount.abs() * w / total, amount.abs() * w % total))
                .collect();
            let mut ranked: Vec<usize> = (0..weights.len()).collect();
            ranked.sort_by(|&a, &b| exact[b].1.cmp(&exact[a].1).then(a.cmp(&b)));
            let left_over = amount.abs() - exact.iter().map(|e| e.0).sum::<i128>();
            let mut want: Vec<i128> = exact.iter().map(|e| e.0).collect();
            for &i in ranked.iter().take(left_over as usize) {
                want[i] += 1;
            }
            if amount < 0 {
                want.iter_mut().for_each(|p| *p = -*p);
            }
            proptest::prop_assert_eq!(split_integers(amount, &weights), want);
        }
    }

    #[test]
    #[should_panic(expected = "positive total")]
    fn zero_total_weight_is_a_bug() {
        split_integers(100, &[0, 0]);
    }
}
