//! The one splitting function: an amount of money over weighted parts, in whole pence, exact.
//!
//! Each part gets the floor of its exact share; the pence left over go one each to the parts
//! with the largest remainders, ties to the lower key (council code). A negative amount splits
//! as its absolute value, negated. Parts always add up to the amount, and no part is a penny or
//! more from its exact share: both are asserted on the way out.

use crate::money::Money;
use rust_decimal::Decimal;

/// Splits `amount` over `parts` in proportion to their weights. Keys must be distinct; weights
/// must be non-negative with a positive total. Returns the parts in key order.
pub fn split<K: Ord + Clone>(amount: Money, parts: &[(K, Decimal)]) -> Vec<(K, Money)> {
    let mut sorted: Vec<(K, Decimal)> = parts.to_vec();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(
        sorted.windows(2).all(|w| w[0].0 != w[1].0),
        "split: keys must be distinct"
    );
    assert!(
        sorted.iter().all(|(_, w)| *w >= Decimal::ZERO),
        "split: weights must not be negative"
    );
    let scale = sorted.iter().map(|(_, w)| w.scale()).max().unwrap_or(0);
    let integer_weights: Vec<i128> = sorted
        .iter()
        .map(|(_, w)| {
            let mut w = *w;
            w.rescale(scale);
            w.mantissa()
        })
        .collect();
    let pence = split_integers(amount.pence(), &integer_weights);
    sorted
        .into_iter()
        .zip(pence)
        .map(|((key, _), p)| (key, Money::from_pence(p)))
        .collect()
}

/// The arithmetic of [`split`] over integer weights, in key order (ties go to the lower index).
pub fn split_integers(amount_pence: i128, weights: &[i128]) -> Vec<i128> {
    let total: i128 = weights.iter().sum();
    assert!(total > 0, "split: the weights must have a positive total");
    let negative = amount_pence < 0;
    let amount = amount_pence.abs();
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for (index, weight) in weights.iter().enumerate() {
        let exact = amount.checked_mul(*weight).expect(
            "split: amount × weight fits in i128 for every amount and weight accord accepts",
        );
        parts.push(exact / total);
        remainders.push((exact % total, index));
    }
    let given: i128 = parts.iter().sum();
    let left_over = amount - given;
    assert!(
        (0..weights.len() as i128).contains(&left_over) || left_over == 0,
        "split: fewer pence left over than parts"
    );
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, index) in remainders.iter().take(left_over as usize) {
        parts[*index] += 1;
    }
    if negative {
        parts.iter_mut().for_each(|p| *p = -*p);
    }
    assert_eq!(
        parts.iter().sum::<i128>(),
        amount_pence,
        "split: the parts must add up to the amount"
    );
    for (part, weight) in parts.iter().zip(weights) {
        let off = (part * total - amount_pence * weight).abs();
        assert!(
            off < total,
            "split: a part is a penny or more from its exact share"
        );
    }
    parts
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
    #[should_panic(expected = "positive total")]
    fn zero_total_weight_is_a_bug() {
        split_integers(100, &[0, 0]);
    }
}
