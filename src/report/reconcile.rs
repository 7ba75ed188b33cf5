//! The money identities every run must satisfy, checked before anything is written. A failure
//! is a bug in accord, not in the book, so it panics with the identity that broke.

use crate::engine::{Results, SIK};
use crate::model::Book;
use crate::money::Money;
use crate::values::Year;
use std::collections::BTreeMap;

/// Checks: each closing = opening + guest charges + member contributions + grants − actual;
/// each opening = the previous year's closing; per programme and year the allocations add up to
/// guest charges + member contributions; per pool the support-in-kind allocations add up to the
/// pool; invoices plus holders' own shares add up to all allocations. Returns the total raised.
pub fn reconcile(book: &Book, results: &Results) -> Money {
    let mut support_in_kind: BTreeMap<(Year, &str), Money> = BTreeMap::new();
    for s in &book.support_in_kind {
        *support_in_kind.entry((s.year, &s.provider)).or_default() += s.amount;
    }
    // Every sum over the allocations in one pass (a large book's allocations are tens of
    // megabytes, read once rather than four times): per programme and year (they are
    // sorted by year and programme, so one entry a run of them), per support-in-kind pool,
    // all of them, and the holders' own shares.
    let mut allocated_to: BTreeMap<(Year, &str), Money> = BTreeMap::new();
    let mut pools: BTreeMap<(Year, &str), Money> = BTreeMap::new();
    let (mut all, mut own) = (Money::ZERO, Money::ZERO);
    for run in results
        .allocations
        .chunk_by(|a, b| a.year == b.year && a.programme == b.programme)
    {
        let mut sum = Money::ZERO;
        for a in run {
            sum += a.amount;
            if a.holder == a.council {
                own += a.amount;
            }
        }
        if run[0].programme == SIK {
            for a in run {
                *pools.entry((a.year, &a.holder)).or_default() += a.amount;
            }
        }
        all += sum;
        *allocated_to
            .entry((run[0].year, &run[0].programme))
            .or_default() += sum;
    }
    let mut previous_closing: BTreeMap<&str, Money> = BTreeMap::new();
    for e in &results.year_ends {
        assert_eq!(
            e.opening + e.guest_charges + e.member_contributions + e.grants - e.actual,
            e.closing,
            "closing of {} {}",
            e.programme,
            e.year
        );
        if let Some(before) = previous_closing.insert(&e.programme, e.closing) {
            assert_eq!(before, e.opening, "opening of {} {}", e.programme, e.year);
        }
        let allocated = allocated_to
            .get(&(e.year, e.programme.as_str()))
            .copied()
            .unwrap_or_default();
        assert_eq!(
            allocated,
            e.guest_charges + e.member_contributions,
            "allocations of {} {}",
            e.programme,
            e.year
        );
    }
    for (key, shared) in &pools {
        // A pool nobody takes part in is not shared (a warning), so only shared pools are checked.
        assert_eq!(
            support_in_kind.get(key).copied().unwrap_or_default(),
            *shared,
            "support in kind {key:?}"
        );
    }
    super::monitoring::reconcile_monitoring(book, results);
    let invoiced: Money = results.invoices.iter().map(|i| i.amount).sum();
    assert_eq!(
        invoiced + own,
        all,
        "invoices plus own shares against all allocations"
    );
    all
}
