//! Support in kind (report 2.42): each provider's lines for a year form one pool, split over
//! every council taking part in the Office or any programme that year, by days taking part
//! (`equal`) or by what each contributes (`proportional`). The provider keeps its own share.

use super::record::{SplitRecord, Stage};
use super::split::split_recorded;
use super::{Allocation, Code, SIK};
use crate::diag::Diagnostic;
use crate::model::{Book, CouncilKind, SikBasis, TakingPart};
use crate::money::Money;
use crate::values::Year;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The support-in-kind allocations of one year, in council then provider order (the
/// results' order); `programmes` are the allocations of the Office and every programme that
/// year, whose sums per council the `proportional` basis weighs by.
pub fn pools(
    book: &Book,
    index: &TakingPart,
    year: Year,
    programmes: &[Vec<Allocation>],
    warnings: &mut Vec<Diagnostic>,
    mut record: Option<&mut Vec<SplitRecord>>,
) -> Vec<Allocation> {
    let mut by_provider: BTreeMap<&str, Money> = BTreeMap::new();
    for line in book.support_in_kind.iter().filter(|s| s.year == year) {
        *by_provider.entry(line.provider.as_str()).or_default() += line.amount;
    }
    let mut takers: Vec<(String, CouncilKind, i64)> = book
        .councils
        .iter()
        .map(|c| {
            (
                c.code.clone(),
                c.kind,
                index.days_in_anything(&c.code, year),
            )
        })
        .filter(|(_, _, days)| *days > 0)
        .collect();
    takers.sort();
    // What each council contributes, summed only for the basis that reads it.
    let mut contributions = BTreeMap::<&str, Money>::new();
    if book.settings.sik_basis == SikBasis::Proportional {
        for a in programmes.iter().flatten() {
            *contributions.entry(a.council.as_str()).or_default() += a.amount;
        }
    }
    let mut out = Vec::with_capacity(by_provider.len() * takers.len());
    let sik = Code::new(SIK);
    for (provider, pool) in by_provider {
        let holder = Code::new(provider);
        if takers.is_empty() {
            warnings.push(Diagnostic::warning(
                None,
                format!("support in kind from {provider} in {year}: no council takes part that year, so the pool of {pool} is not shared"),
            ));
            continue;
        }
        let mut weights: Vec<(String, Decimal)> = match book.settings.sik_basis {
            SikBasis::Equal => takers
                .iter()
                .map(|(code, _, days)| (code.clone(), Decimal::from(*days)))
                .collect(),
            SikBasis::Proportional => takers
                .iter()
                .map(|(code, _, _)| {
                    let paid = contributions
                        .get(code.as_str())
                        .copied()
                        .unwrap_or(Money::ZERO);
                    (code.clone(), paid.to_decimal().max(Decimal::ZERO))
                })
                .collect(),
        };
        if weights.iter().all(|(_, w)| w.is_zero()) {
            warnings.push(Diagnostic::warning(
                None,
                format!("support in kind from {provider} in {year}: no council contributes anything that year, so the pool is shared by days taking part instead"),
            ));
            weights = takers
                .iter()
                .map(|(code, _, days)| (code.clone(), Decimal::from(*days)))
                .collect();
        }
        let (parts, working) = split_recorded(pool, &weights);
        for ((code, kind, days), ((_, amount), (_, weight))) in
            takers.iter().zip(parts.into_iter().zip(weights.iter()))
        {
            out.push(Allocation {
                year,
                programme: sik.clone(),
                holder: holder.clone(),
                council: Code::new(code),
                kind: *kind,
                days: *days,
                weight: weight.normalize(),
                amount,
            });
        }
        // Only `accord explain` reads the record (see `engine::run_keeping`).
        if let Some(record) = record.as_deref_mut() {
            record.push(SplitRecord {
                year,
                programme: SIK.to_string(),
                holder: provider.to_string(),
                stage: Stage::SupportInKind,
                weights: weights
                    .into_iter()
                    .map(|(code, weight)| (code, weight.normalize()))
                    .collect(),
                working,
            });
        }
    }
    // By council then provider, as the results hold them.
    out.sort_by(|a, b| (&a.council, &a.holder).cmp(&(&b.council, &b.holder)));
    out
}
