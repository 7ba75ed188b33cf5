//! The pure rules (SPEC §2): a validated book in, every council's figures out. No files, no
//! clock, no terminal: the same book always gives the same `Results`, whatever the order of its
//! rows.

pub mod adjust;
mod allocate;
#[cfg(test)]
mod bases_tests;
mod benefits;
pub mod budget_to_date;
pub mod code;
pub mod dates;
pub mod documents;
mod invoices;
pub mod journal;
pub mod monitoring;
pub mod plan;
pub mod record;
pub mod settlement;
pub mod split;
mod support;
mod variance;

pub use adjust::{Document, DocumentLine, Documents};
pub use benefits::{add_targets, BenefitTotal, Return};
pub use code::Code;
pub use invoices::{invoice_number, InvoiceLine};
pub use monitoring::MonitoringRow;
pub use variance::{is_exception, VarianceRow};

use crate::diag::Diagnostic;
use crate::model::{Book, CouncilKind, TakingPart};
use crate::money::Money;
use crate::values::Year;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::mem::MaybeUninit;

/// The programme code used for support-in-kind pools in allocations and invoices.
pub const SIK: &str = "SIK";

/// Actual spend that did not come from the book's `actuals` table (the general ledger), per
/// financial year and programme. A year present here has actuals, even if they sum to zero.
pub type ExtraActuals = BTreeMap<(Year, String), Money>;

/// What a council bears of one budget or pool in one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub year: Year,
    /// A programme code, or [`SIK`] for a support-in-kind pool.
    pub programme: Code,
    /// Who holds the budget and invoices it: the programme's lead, or the provider.
    pub holder: Code,
    pub council: Code,
    pub kind: CouncilKind,
    pub days: i64,
    pub weight: Decimal,
    pub amount: Money,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Actual,
    Forecast,
    /// The year that holds `actuals_to` (SPEC §9): its `actual` is the forecast outturn.
    InProgress,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Actual => "actual",
            Status::Forecast => "forecast",
            Status::InProgress => "in_progress",
        }
    }
}

/// One programme's money in one year (report 2.40).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearEnd {
    pub year: Year,
    pub programme: String,
    pub status: Status,
    pub opening: Money,
    /// The gross budget.
    pub budget: Money,
    pub grants: Money,
    /// The part of the opening balance used to reduce members' contributions.
    pub applied: Money,
    pub guest_charges: Money,
    pub member_contributions: Money,
    pub actual: Money,
    pub closing: Money,
}

/// Everything the rules work out for a book.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub years: Vec<Year>,
    /// Sorted by year, programme, council (then holder).
    pub allocations: Vec<Allocation>,
    /// Sorted by year, programme.
    pub year_ends: Vec<YearEnd>,
    /// Sorted by invoice number, then programme.
    pub invoices: Vec<InvoiceLine>,
    pub variance: Vec<VarianceRow>,
    pub benefits: Vec<BenefitTotal>,
    pub returns: Vec<Return>,
    /// The year in progress, when the book's `actuals_to` falls inside a year (SPEC §9).
    pub in_progress: Option<Year>,
    /// The book's `actuals_to`: the day the actuals run to.
    pub actuals_to: Option<chrono::NaiveDate>,
    /// The year in progress per programme and category; empty when no year is in progress.
    pub monitoring: Vec<MonitoringRow>,
    /// Every document: those the register holds and those to send now (SPEC §5).
    pub documents: Documents,
    /// Remarks the rules make (a pool floored at zero, a budget nobody pays for).
    pub warnings: Vec<Diagnostic>,
    /// What every split did (for `accord explain`; the rules never read it).
    pub record: record::Record,
}

impl Results {
    /// The allocations of one programme (or of every support-in-kind pool) in one year: a
    /// slice found by binary search, since allocations are sorted by year, programme, council.
    pub fn allocations_of(&self, year: Year, programme: &str) -> &[Allocation] {
        let all = &self.allocations;
        let start = all.partition_point(|a| (a.year, a.programme.as_str()) < (year, programme));
        let end = all.partition_point(|a| (a.year, a.programme.as_str()) <= (year, programme));
        let found = &all[start..end];
        debug_assert!(found
            .iter()
            .all(|a| a.year == year && a.programme == programme));
        found
    }

    /// What `council` paid in `year`: all the allocations it bears (Office, programmes,
    /// support in kind, its own shares included), the one figure every document shows; zero
    /// when it bore none.
    pub fn paid(&self, year: Year, council: &str) -> Money {
        self.returns
            .binary_search_by(|r| (r.year, r.council.as_str()).cmp(&(year, council)))
            .map_or(Money::ZERO, |i| self.returns[i].paid)
    }

    /// Every programme code with a year end (the Office included), sorted.
    pub fn programme_codes(&self) -> Vec<&str> {
        let mut programmes: Vec<&str> = self
            .year_ends
            .iter()
            .map(|e| e.programme.as_str())
            .collect();
        programmes.sort();
        programmes.dedup();
        programmes
    }

    pub fn forecast_years(&self) -> Vec<Year> {
        self.years
            .iter()
            .copied()
            .filter(|y| {
                self.year_ends
                    .iter()
                    .any(|e| e.year == *y && e.status == Status::Forecast)
            })
            .collect()
    }
}

/// Applies every rule of SPEC §2 to a valid book (one `load_book` found no error in).
pub fn run(book: &Book, extra_actuals: &ExtraActuals) -> Results {
    run_keeping(book, extra_actuals, true)
}

/// [`run`], keeping the record of every split (`Results::record`, which only `accord
/// explain` and the explain pages read) only when `record` is true: `accord run
/// --no-documents` writes no explain page, so it keeps none. Every other result is the same.
pub fn run_keeping(book: &Book, extra_actuals: &ExtraActuals, record: bool) -> Results {
    use rayon::prelude::*;
    let index = TakingPart::new(book);
    let actuals_to = book.settings.actuals_to;
    let monitoring = monitoring::monitoring(book, extra_actuals);
    let forecast_outturns = monitoring::outturns(&monitoring);
    let context = allocate::Context {
        book,
        index: &index,
        extra_actuals,
        forecast_outturns: &forecast_outturns,
        sums: &allocate::Sums::new(book),
        record,
    };
    let mut programmes: Vec<&crate::model::Programme> = book.programmes.iter().collect();
    programmes.sort_by(|a, b| a.code.cmp(&b.code));
    // Each programme's closing balance, in the order of `programmes`: a programme's years
    // run one after the other, but its year is independent of every other programme's.
    let mut closing: Vec<Money> = {
        let balances: BTreeMap<&str, Money> = book
            .balances
            .iter()
            .map(|b| (b.programme.as_str(), b.opening))
            .collect();
        programmes
            .iter()
            .map(|p| {
                balances
                    .get(p.code.as_str())
                    .copied()
                    .unwrap_or(Money::ZERO)
            })
            .collect()
    };
    let years_with_actuals: std::collections::BTreeSet<Year> = book
        .actuals
        .iter()
        .map(|a| a.year)
        .chain(extra_actuals.keys().map(|(y, _)| *y))
        .collect();
    let mut year_ends = Vec::with_capacity(book.years.len() * programmes.len());
    // Per year, in the order of `book.years`: its programmes' allocations, warnings and splits.
    let mut of_years: Vec<YearMade> = Vec::with_capacity(book.years.len());
    for &year in &book.years {
        let mut made = YearMade {
            year,
            programmes: Vec::new(),
            pools: Vec::new(),
            warnings: Vec::new(),
            splits: Vec::new(),
        };
        let has_actuals = years_with_actuals.contains(&year);
        let status = monitoring::year_status(year, actuals_to, has_actuals);
        if let (Some(day), Status::Actual, false) = (actuals_to, status, has_actuals) {
            made.warnings.push(Diagnostic::warning(
                None,
                format!(
                    "{year} ends before actuals_to ({day}) but has no actuals, so every programme's actual for {year} is 0; add its actuals, or correct actuals_to"
                ),
            ));
        }
        // The programmes of the year on every core, collected in programme order.
        let programme_years: Vec<ProgrammeYear> = programmes
            .par_iter()
            .zip(closing.par_iter())
            .map(|(programme, &opening)| {
                let (mut warnings, mut splits) = (Vec::new(), Vec::new());
                let (end, parts) = allocate::programme_year(
                    &context,
                    programme,
                    year,
                    opening,
                    status,
                    &mut warnings,
                    &mut splits,
                );
                (end, parts, warnings, splits)
            })
            .collect();
        made.programmes.reserve_exact(programme_years.len());
        for (i, (end, parts, warnings, splits)) in programme_years.into_iter().enumerate() {
            closing[i] = end.closing;
            year_ends.push(end);
            made.programmes.push(parts);
            made.warnings.extend(warnings);
            made.splits.extend(splits);
        }
        of_years.push(made);
    }
    // In year order: each year's allocations are in order, so the years put one after the
    // other are what one sort by (year, programme, council, holder) would give, even when the
    // book lists its years out of order (a stable sort of whole years by year).
    of_years.sort_by_key(|made| made.year);
    // Each year's support in kind (it needs every programme's contributions of the year), on
    // every core.
    of_years.par_iter_mut().for_each(|made| {
        made.pools = support::pools(
            book,
            &index,
            made.year,
            &made.programmes,
            &mut made.warnings,
            record.then_some(&mut made.splits),
        );
    });
    // The programmes whose codes sort before the pools' (SIK is no programme's code).
    let before_sik = programmes.partition_point(|p| p.code.as_str() < SIK);
    let mut warnings = Vec::new();
    let mut splits = Vec::new();
    let mut parts = Vec::with_capacity(of_years.len());
    for made in of_years {
        let len = made.programmes.iter().map(Vec::len).sum::<usize>() + made.pools.len();
        parts.push((len, (made.programmes, made.pools)));
        warnings.extend(made.warnings);
        splits.extend(made.splits);
    }
    // Every year's allocations moved once, into their place in the results, on every core.
    let allocations = fill_on_every_core(parts, |(programmes, pools), place| {
        put_in_results_order(programmes, before_sik, pools, place)
    });
    debug_assert!(allocations.is_sorted_by(|a, b| {
        (a.year, &a.programme, &a.council, &a.holder)
            < (b.year, &b.programme, &b.council, &b.holder)
    }));
    // An empty register (every document still to send) makes each year's invoices and
    // documents depend on that year's allocations alone: they are made year by year.
    let by_year = book.cycle.issued.is_empty();
    // What needs the allocations whole, on every core.
    let ((returns, benefits), (made_by_year, variance)) = rayon::join(
        || {
            let benefits = benefits::totals(book);
            let returns = benefits::returns(&allocations, &benefits);
            (returns, benefits)
        },
        || {
            rayon::join(
                || {
                    by_year.then(|| {
                        let (invoices, to_send) = unissued_by_year(&allocations);
                        let warning = adjust::purchase_order_warning(&to_send, &book.cycle);
                        let documents = Documents {
                            issued: Vec::new(),
                            to_send,
                        };
                        (invoices, documents, warning)
                    })
                },
                || variance::variance(book, &year_ends, extra_actuals),
            )
        },
    );
    // A book with a register: its invoices and documents from the allocations whole.
    let (invoices, documents, warning) = made_by_year.unwrap_or_else(|| {
        let invoices = invoices::in_order(&allocations);
        let documents = adjust::documents(&invoices, &book.cycle.issued);
        let warning = adjust::purchase_order_warning(&documents.to_send, &book.cycle);
        (invoices, documents, warning)
    });
    warnings.extend(warning);
    Results {
        years: book.years.clone(),
        allocations,
        year_ends,
        invoices,
        variance,
        benefits,
        returns,
        in_progress: crate::model::in_progress_year(actuals_to),
        actuals_to,
        monitoring,
        documents,
        warnings,
        record: record::Record { splits },
    }
}

/// One programme's year as [`allocate::programme_year`] makes it, with its warnings and splits.
type ProgrammeYear = (
    YearEnd,
    Vec<Allocation>,
    Vec<Diagnostic>,
    Vec<record::SplitRecord>,
);

/// What [`run_keeping`] makes of one year before the years are put together.
struct YearMade {
    year: Year,
    /// Each programme's allocations, in the order of the programmes' codes, each in
    /// council order.
    programmes: Vec<Vec<Allocation>>,
    /// The support-in-kind pools' allocations, in council then provider order.
    pools: Vec<Allocation>,
    warnings: Vec<Diagnostic>,
    splits: Vec<record::SplitRecord>,
}

/// One year's allocations put in `place` in the results' order (programme, council, holder),
/// made from each programme's (`programmes`, in code order, each in council order; codes
/// distinct, and none is [`SIK`]) and the support-in-kind pools' (in council then provider
/// order): the pools' go between the programmes whose codes sort before `SIK` (the first
/// `before_sik`) and the rest. One move into place, where a sort of the whole year moved
/// every allocation (of ~128 bytes) again and asked for a buffer half the year's size.
fn put_in_results_order(
    programmes: Vec<Vec<Allocation>>,
    before_sik: usize,
    pools: Vec<Allocation>,
    place: &mut Place<'_, Allocation>,
) {
    let mut programmes = programmes.into_iter();
    for parts in programmes.by_ref().take(before_sik) {
        place.extend(parts);
    }
    place.extend(pools);
    for parts in programmes {
        place.extend(parts);
    }
}

/// The invoice lines (in the order of their numbers, then programmes) and the documents to
/// send (in order) of allocations in the results' order, for a book whose register is empty:
/// each year's made on a core of its own, straight into its place in the whole, since each
/// year's count is known once its lines are keyed.
fn unissued_by_year(allocations: &[Allocation]) -> (Vec<InvoiceLine>, Vec<Document>) {
    let keyed = invoices::keyed_by_year(allocations);
    // In (year, issuer, payer, programme) order, one line per key, as documents are made.
    let lines = invoices::made(&keyed);
    let mut rest = lines.as_slice();
    let mut years = Vec::with_capacity(keyed.len());
    for year in &keyed {
        let (of_year, after) = rest.split_at(year.len());
        // A document per invoice: the keyed lines hold no invoice without a line.
        years.push((year.invoices, of_year));
        rest = after;
    }
    let to_send = fill_on_every_core(years, |of_year, place| {
        place.extend(adjust::unissued(of_year))
    });
    drop(keyed);
    (invoices::in_number_order(lines), to_send)
}

/// The room one part has in a vector made on every core ([`fill_on_every_core`]): its items
/// go in one after the other, until it is full.
pub(crate) struct Place<'a, T> {
    slots: &'a mut [MaybeUninit<T>],
    /// How many of the first slots hold an item.
    filled: usize,
}

impl<T> Place<'_, T> {
    /// Puts the items in the next slots; panics if there is no room for them all.
    pub fn extend(&mut self, items: impl IntoIterator<Item = T>) {
        let mut items = items.into_iter();
        // The slots are asked first: an item is never taken without a slot for it.
        for (slot, item) in self.slots[self.filled..].iter_mut().zip(items.by_ref()) {
            slot.write(item);
            self.filled += 1;
        }
        assert!(
            items.next().is_none(),
            "more items than the place has room for"
        );
    }
}

/// A vector of parts one after the other, each `(len, part)` written by `fill` into its
/// place of exactly `len` slots, on a core of its own: the whole is allocated once, and
/// each item written once, into fresh memory (a large book's results are tens of megabytes,
/// much of the time in the first touch of fresh pages). Panics if a place is left unfilled.
pub(crate) fn fill_on_every_core<P: Send, T: Send>(
    parts: Vec<(usize, P)>,
    fill: impl Fn(P, &mut Place<'_, T>) + Sync,
) -> Vec<T> {
    use rayon::prelude::*;
    let total: usize = parts.iter().map(|(len, _)| len).sum();
    let mut out: Vec<T> = Vec::with_capacity(total);
    {
        let mut spare = &mut out.spare_capacity_mut()[..total];
        let mut places = Vec::with_capacity(parts.len());
        for (len, _) in &parts {
            let (slots, rest) = std::mem::take(&mut spare).split_at_mut(*len);
            places.push(slots);
            spare = rest;
        }
        parts
            .into_par_iter()
            .zip(places)
            .for_each(|((_, part), slots)| {
                let mut place = Place { slots, filled: 0 };
                fill(part, &mut place);
                assert_eq!(place.filled, place.slots.len(), "a place left unfilled");
            });
    }
    // SAFETY: the places split `out`'s first `total` slots, and each was filled whole (the
    // assert above; a panic returns before this, leaking what was written, never exposing
    // an unwritten slot).
    unsafe { out.set_len(total) };
    out
}

/// The parts one after the other, in one allocation (a single part as it is, uncopied).
pub(crate) fn concat<T>(mut parts: Vec<Vec<T>>) -> Vec<T> {
    if parts.len() == 1 {
        return parts.pop().expect("one part");
    }
    let mut out = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    for part in parts {
        out.extend(part);
    }
    out
}

#[cfg(test)]
mod run_keeping_tests {
    use super::*;
    use proptest::prelude::*;

    fn allocation(programme: &str, holder: &str, council: &str) -> Allocation {
        invoices::tests::allocation((2013, programme, holder, council, 0))
    }

    proptest! {
        /// The year's allocations put in place are those of one sort by programme, council
        /// and holder of all of them.
        #[test]
        fn in_results_order_is_the_sort(
            programmes in prop::collection::btree_map(
                prop::sample::select(vec!["A", "OFFICE", "P01", "S", "SIJ", "SIKA", "T", "Z"]),
                (
                    prop::sample::select(vec!["BAR", "EAL"]),
                    prop::collection::btree_set(prop::sample::select(vec!["BAR", "C1", "EAL", "HRW"]), 0..4),
                ),
                0..8,
            ),
            pools in prop::collection::btree_set(
                (prop::sample::select(vec!["BAR", "C1", "EAL"]), prop::sample::select(vec!["BAR", "HRW"])),
                0..6,
            ),
        ) {
            let blocks: Vec<Vec<Allocation>> = programmes
                .iter()
                .map(|(code, (lead, councils))| {
                    councils.iter().map(|c| allocation(code, lead, c)).collect()
                })
                .collect();
            let pools: Vec<Allocation> = pools
                .iter()
                .map(|(council, provider)| allocation(SIK, provider, council))
                .collect();
            let before_sik = programmes.keys().filter(|code| **code < SIK).count();
            let mut sorted: Vec<Allocation> =
                blocks.iter().flatten().chain(&pools).cloned().collect();
            sorted.sort_by(|a, b| {
                (&a.programme, &a.council, &a.holder).cmp(&(&b.programme, &b.council, &b.holder))
            });
            let len = sorted.len();
            let put = fill_on_every_core(vec![(len, (blocks, pools))], |(blocks, pools), place| {
                put_in_results_order(blocks, before_sik, pools, place)
            });
            prop_assert_eq!(put, sorted);
        }

        /// Parts put in their places on every core are the parts one after the other.
        #[test]
        fn fill_on_every_core_is_concat(
            parts in prop::collection::vec(prop::collection::vec(".{0,30}", 0..20), 0..12)
        ) {
            let one_after_the_other: Vec<String> = parts.iter().flatten().cloned().collect();
            prop_assert_eq!(&concat(parts.clone()), &one_after_the_other);
            let sized = parts.into_iter().map(|part| (part.len(), part)).collect();
            let filled = fill_on_every_core(sized, |part, place| place.extend(part));
            prop_assert_eq!(&filled, &one_after_the_other);
        }

        /// Without a register, the invoices and documents made year by year into their
        /// places are those of the general rules, made from the allocations whole.
        #[test]
        fn unissued_by_year_is_the_general_rule(
            mut allocations in prop::collection::vec(invoices::tests::arbitrary_allocation(), 0..60)
        ) {
            allocations.sort_by(|a, b| {
                (a.year, &a.programme, &a.council, &a.holder)
                    .cmp(&(b.year, &b.programme, &b.council, &b.holder))
            });
            allocations.dedup_by(|a, b| {
                (a.year, &a.programme, &a.council, &a.holder)
                    == (b.year, &b.programme, &b.council, &b.holder)
            });
            let general = invoices::invoices(&allocations);
            let documents = adjust::documents(&general, &[]);
            prop_assert_eq!(unissued_by_year(&allocations), (general, documents.to_send));
        }
    }

    /// Without the record of the splits, every other result is the same (the fixture has
    /// guests, pools, support in kind and a year in progress).
    #[test]
    fn without_the_record_every_other_result_is_the_same() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/wla");
        let (book, diags) = crate::pipeline::load(&path);
        let book = book.unwrap_or_else(|| panic!("{diags:?}"));
        let mut full = run(&book, &ExtraActuals::new());
        let lean = run_keeping(&book, &ExtraActuals::new(), false);
        assert!(!full.record.splits.is_empty());
        assert!(lean.record.splits.is_empty());
        full.record = record::Record::default();
        assert_eq!(full, lean);
    }
}
