//! Benefits realisation (Accord 8.1-8.2, report 2.10, 2.41): savings summed per year,
//! programme, council and type, and each council's return: its cashable savings against all it
//! paid.

use super::Allocation;
use crate::model::{BenefitType, Book};
use crate::money::Money;
use crate::values::Year;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenefitTotal {
    pub year: Year,
    pub programme: String,
    /// Blank for savings of the programme as a whole (SPEC §4).
    pub council: String,
    pub benefit_type: BenefitType,
    /// `None` when no row of the key gives a target.
    pub target: Option<Money>,
    pub achieved: Money,
}

/// What a council paid in a year (every allocation it bears, own shares included) and its
/// cashable savings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Return {
    pub year: Year,
    pub council: String,
    pub paid: Money,
    pub cashable: Money,
}

/// Year, programme, council (blank for the programme as a whole) and type.
type Key<'a> = (Year, &'a str, &'a str, BenefitType);

pub fn totals(book: &Book) -> Vec<BenefitTotal> {
    let mut sums: BTreeMap<Key<'_>, (Option<Money>, Money)> = BTreeMap::new();
    for b in &book.benefits {
        let entry = sums
            .entry((b.year, &b.programme, &b.council, b.benefit_type))
            .or_default();
        entry.0 = add_targets(entry.0, b.target);
        entry.1 += b.achieved;
    }
    let mut out: Vec<BenefitTotal> = sums
        .into_iter()
        .map(
            |((year, programme, council, benefit_type), (target, achieved))| BenefitTotal {
                year,
                programme: programme.to_string(),
                council: council.to_string(),
                benefit_type,
                target,
                achieved,
            },
        )
        .collect();
    out.sort_by(|a, b| {
        (a.year, &a.programme, &a.council, a.benefit_type.as_str()).cmp(&(
            b.year,
            &b.programme,
            &b.council,
            b.benefit_type.as_str(),
        ))
    });
    out
}

/// Two targets added, where a missing one (no target written) adds nothing; `None` only when
/// neither has a target.
pub fn add_targets(a: Option<Money>, b: Option<Money>) -> Option<Money> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    }
}

pub fn returns(allocations: &[Allocation], benefits: &[BenefitTotal]) -> Vec<Return> {
    // Summed per year in a hash map (a large book has hundreds of thousands of allocations
    // over a few thousand councils and years), then put in order.
    let mut paid: BTreeMap<(Year, &str), Money> = BTreeMap::new();
    let mut of_year: std::collections::HashMap<&str, Money> = std::collections::HashMap::new();
    for year in allocations.chunk_by(|a, b| a.year == b.year) {
        for a in year {
            *of_year.entry(&a.council).or_default() += a.amount;
        }
        // (A year's allocations are one run when they are sorted; added, in case not.)
        for (council, sum) in of_year.drain() {
            *paid.entry((year[0].year, council)).or_default() += sum;
        }
    }
    let mut cashable: BTreeMap<(Year, &str), Money> = BTreeMap::new();
    // Savings of a programme as a whole (blank council) are no council's return (SPEC §4).
    for b in benefits
        .iter()
        .filter(|b| b.benefit_type == BenefitType::Cashable && !b.council.is_empty())
    {
        *cashable.entry((b.year, &b.council)).or_default() += b.achieved;
    }
    let keys: BTreeSet<(Year, &str)> = paid.keys().chain(cashable.keys()).copied().collect();
    keys.into_iter()
        .map(|key| Return {
            year: key.0,
            council: key.1.to_string(),
            paid: paid.get(&key).copied().unwrap_or_default(),
            cashable: cashable.get(&key).copied().unwrap_or_default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Results;
    use crate::model::CouncilKind;
    use rust_decimal::Decimal;

    fn allocation(year: i32, programme: &str, council: &str, pence: i128) -> Allocation {
        Allocation {
            year: Year(year),
            programme: programme.into(),
            holder: "BAR".into(),
            council: council.into(),
            kind: CouncilKind::Member,
            days: 365,
            weight: Decimal::ONE,
            amount: Money::from_pence(pence),
        }
    }

    /// What each council paid, as every document shows it: all its allocations in the year,
    /// its own shares and support in kind included, and zero for a council that bore none.
    #[test]
    fn what_a_council_paid_by_table() {
        let allocations = [
            allocation(2012, "OFFICE", "BAR", 3_000_000),
            allocation(2012, "HOUSING", "BAR", 1_250_000),
            allocation(2012, "SIK", "BAR", 1_000_000),
            allocation(2012, "OFFICE", "BRE", 3_000_000),
            allocation(2013, "OFFICE", "BAR", 3_100_000),
            allocation(2013, "HOUSING", "BRE", -50_000),
        ];
        let returns = returns(&allocations, &[]);
        let results = Results {
            years: vec![Year(2012), Year(2013)],
            allocations: allocations.to_vec(),
            year_ends: Vec::new(),
            invoices: Vec::new(),
            variance: Vec::new(),
            benefits: Vec::new(),
            returns,
            in_progress: None,
            actuals_to: None,
            monitoring: Vec::new(),
            documents: Default::default(),
            warnings: Vec::new(),
            record: Default::default(),
        };
        let cases: &[((i32, &str), i128)] = &[
            ((2012, "BAR"), 5_250_000),
            ((2012, "BRE"), 3_000_000),
            ((2013, "BAR"), 3_100_000),
            ((2013, "BRE"), -50_000),
            ((2013, "EAL"), 0),
            ((2014, "BAR"), 0),
        ];
        for ((year, council), pence) in cases {
            assert_eq!(
                results.paid(Year(*year), council),
                Money::from_pence(*pence),
                "{year} {council}"
            );
        }
    }
}
