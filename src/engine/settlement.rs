//! Net settlement (SPEC §7): the money transfers that settle a year's documents at once.
//!
//! Each council's net position is what it is owed less what it owes over the year's
//! documents; the positions add up to zero. Councils that owe pay, councils that are owed
//! receive, and no council does both. A group of councils whose positions add up to zero can
//! settle among themselves with one transfer fewer than its size, and never with fewer when
//! no smaller zero-sum group fits inside it, so the fewest transfers are the number of
//! councils with a position less the largest number of disjoint zero-sum groups they split
//! into. For up to [`EXACT_LIMIT`] councils with a position that number is found exactly,
//! over every subset (`2^n` sums, `n × 2^n` steps: about a million for 16); beyond that, the
//! councils whose positions cancel exactly in pairs settle in pairs and the rest as one
//! group, which is still at most one transfer fewer than the councils.
//!
//! Inside a group, creditors and debtors are each ordered by amount, largest first (ties to
//! the lower code), and the first debtor pays the first creditor until one of them is
//! settled, then the next, and so on: one council settled per transfer, both at the last.

use super::documents::Document;
use crate::fx_hash::FxMap;
use crate::money::Money;
use crate::values::Year;
use std::collections::BTreeMap;

/// The most councils with a position that are settled by the exact search.
pub const EXACT_LIMIT: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Transfer {
    pub payer: String,
    pub payee: String,
    pub amount: Money,
}

/// One year's settlement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearSettlement {
    pub year: Year,
    /// Every council of the year's documents, by code: what it is owed less what it owes.
    pub positions: BTreeMap<String, Money>,
    /// Sorted by payer, then payee.
    pub transfers: Vec<Transfer>,
}

/// Each council's net position over `documents` (of one year or several): the rule that
/// [`settle_years`]' netting in runs is held to by its property test.
#[cfg(test)]
pub fn positions<'a: 'b, 'b>(
    documents: impl IntoIterator<Item = &'b Document<'a>>,
) -> BTreeMap<String, Money> {
    let mut net: BTreeMap<&str, Money> = BTreeMap::new();
    for d in documents {
        let total = d.total();
        *net.entry(d.issuer()).or_default() += total;
        *net.entry(d.payer()).or_default() -= total;
    }
    net.into_iter().map(|(c, m)| (c.to_string(), m)).collect()
}

/// The settlement of every year that has documents, in year order: each year's positions as
/// `positions` gives them. The documents are netted in runs of one year (a whole year when
/// they come sorted by year, as they are posted), the runs and then the years on all cores;
/// runs of the same year are added together.
pub fn settle_years(documents: &[Document]) -> Vec<YearSettlement> {
    use rayon::prelude::*;
    let runs: Vec<(Year, FxMap<&str, Money>)> = documents
        .par_chunk_by(|a, b| a.year() == b.year())
        .map(|run| (run[0].year(), net_positions(run)))
        .collect();
    let mut years: BTreeMap<Year, FxMap<&str, Money>> = BTreeMap::new();
    for (year, net) in runs {
        let sum = years.entry(year).or_default();
        if sum.is_empty() {
            *sum = net;
        } else {
            for (council, m) in net {
                *sum.entry(council).or_default() += m;
            }
        }
    }
    let years: Vec<(Year, FxMap<&str, Money>)> = years.into_iter().collect();
    years
        .into_par_iter()
        .map(|(year, net)| {
            let positions: BTreeMap<String, Money> = net
                .into_iter()
                .map(|(council, m)| (council.to_string(), m))
                .collect();
            let transfers = fewest_transfers(&positions);
            YearSettlement {
                year,
                positions,
                transfers,
            }
        })
        .collect()
}

/// [`positions`], by code in no order: one look-up per payer, and one per run of documents
/// from the same issuer (documents come by number, which starts with the issuer).
fn net_positions<'a>(documents: &[Document<'a>]) -> FxMap<&'a str, Money> {
    let mut net: FxMap<&str, Money> = FxMap::default();
    let mut issuer: Option<(&str, Money)> = None;
    for d in documents {
        let total = d.total();
        match &mut issuer {
            Some((code, sum)) if *code == d.issuer() => *sum += total,
            _ => {
                if let Some((code, sum)) = issuer.take() {
                    *net.entry(code).or_default() += sum;
                }
                issuer = Some((d.issuer(), total));
            }
        }
        *net.entry(d.payer()).or_default() -= total;
    }
    if let Some((code, sum)) = issuer {
        *net.entry(code).or_default() += sum;
    }
    net
}

/// Transfers that meet every position exactly: the fewest possible when at most
/// [`EXACT_LIMIT`] positions are non-zero, and never more than their number less one.
pub fn fewest_transfers(positions: &BTreeMap<String, Money>) -> Vec<Transfer> {
    let total: Money = positions.values().copied().sum();
    assert!(total.is_zero(), "net positions add up to {total}, not zero");
    let open: Vec<(&str, Money)> = positions
        .iter()
        .filter(|(_, m)| !m.is_zero())
        .map(|(c, m)| (c.as_str(), *m))
        .collect();
    let groups: Vec<Vec<(&str, Money)>> = if open.len() <= EXACT_LIMIT {
        zero_sum_groups(&open.iter().map(|(_, m)| m.pence()).collect::<Vec<_>>())
            .into_iter()
            .map(|group| group.into_iter().map(|i| open[i]).collect())
            .collect()
    } else {
        pairs_then_rest(&open)
    };
    let mut transfers: Vec<Transfer> = groups.iter().flat_map(|g| settle_group(g)).collect();
    transfers.sort();
    let limit = open.len().saturating_sub(1);
    assert!(
        transfers.len() <= limit,
        "{} transfers for {} positions",
        transfers.len(),
        open.len()
    );
    transfers
}

/// The largest number of disjoint zero-sum groups `values` (none zero, adding up to zero)
/// split into, as lists of indices. `best[mask]` is the most zero-sum groups that the
/// members of `mask` can be taken in, one by one, completing; deterministic: of equally good
/// choices, the lowest index is taken first.
fn zero_sum_groups(values: &[i128]) -> Vec<Vec<usize>> {
    let n = values.len();
    assert!(
        n <= EXACT_LIMIT,
        "the exact search is for at most {EXACT_LIMIT}"
    );
    if n == 0 {
        return Vec::new();
    }
    let size = 1usize << n;
    let mut sum = vec![0i128; size];
    let mut best = vec![0u8; size];
    for mask in 1..size {
        let lowest = mask.trailing_zeros() as usize;
        sum[mask] = sum[mask & (mask - 1)] + values[lowest];
        let mut most = 0;
        let mut rest = mask;
        while rest != 0 {
            let bit = rest & rest.wrapping_neg();
            most = most.max(best[mask ^ bit]);
            rest ^= bit;
        }
        best[mask] = most + u8::from(sum[mask] == 0);
    }
    let mut groups = Vec::new();
    let mut group = Vec::new();
    let mut mask = size - 1;
    while mask != 0 {
        let wanted = best[mask] - u8::from(sum[mask] == 0);
        let i = (0..n)
            .find(|i| mask & (1 << i) != 0 && best[mask ^ (1 << i)] == wanted)
            .expect("some member leads to the best value");
        group.push(i);
        mask ^= 1 << i;
        if sum[mask] == 0 {
            group.sort_unstable();
            groups.push(std::mem::take(&mut group));
        }
    }
    assert_eq!(groups.len(), usize::from(best[size - 1]));
    groups
}

/// Beyond the exact search: councils whose positions cancel exactly settle in pairs (each
/// debtor, by code, with the first creditor by code owed just as much), the rest as one group.
fn pairs_then_rest<'a>(open: &[(&'a str, Money)]) -> Vec<Vec<(&'a str, Money)>> {
    let mut used = vec![false; open.len()];
    let mut groups = Vec::new();
    for i in 0..open.len() {
        if used[i] || !open[i].1.is_negative() {
            continue;
        }
        if let Some(j) = (0..open.len()).find(|&j| !used[j] && open[j].1 == -open[i].1) {
            used[i] = true;
            used[j] = true;
            groups.push(vec![open[i], open[j]]);
        }
    }
    let rest: Vec<(&str, Money)> = (0..open.len())
        .filter(|&i| !used[i])
        .map(|i| open[i])
        .collect();
    if !rest.is_empty() {
        groups.push(rest);
    }
    groups
}

/// Settles one zero-sum group with at most one transfer fewer than its size.
fn settle_group(group: &[(&str, Money)]) -> Vec<Transfer> {
    fn largest_first(a: &(&str, Money), b: &(&str, Money)) -> std::cmp::Ordering {
        b.1.abs().cmp(&a.1.abs()).then_with(|| a.0.cmp(b.0))
    }
    let mut creditors: Vec<(&str, Money)> = group
        .iter()
        .copied()
        .filter(|(_, m)| !m.is_negative())
        .collect();
    let mut debtors: Vec<(&str, Money)> = group
        .iter()
        .filter(|(_, m)| m.is_negative())
        .map(|(c, m)| (*c, -*m))
        .collect();
    creditors.sort_by(largest_first);
    debtors.sort_by(largest_first);
    let mut transfers = Vec::new();
    let (mut c, mut d) = (0, 0);
    while c < creditors.len() && d < debtors.len() {
        let amount = creditors[c].1.min(debtors[d].1);
        transfers.push(Transfer {
            payer: debtors[d].0.to_string(),
            payee: creditors[c].0.to_string(),
            amount,
        });
        creditors[c].1 -= amount;
        debtors[d].1 -= amount;
        if creditors[c].1.is_zero() {
            c += 1;
        }
        if debtors[d].1.is_zero() {
            d += 1;
        }
    }
    assert!(
        c == creditors.len() && d == debtors.len(),
        "a group that does not add up to zero"
    );
    transfers
}

#[cfg(test)]
#[path = "settlement_tests.rs"]
mod tests;
