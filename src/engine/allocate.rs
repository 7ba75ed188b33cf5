//! One programme in one year: who takes part with what weight, the guest charges, the
//! members' pool net of grants and the applied balance, and the year end (report 2.14, 2.40;
//! Accord 5.3, 7.1).

use super::record::{SplitRecord, Stage};
use super::split::{split_amounts, split_recorded};
use super::{Allocation, Code, ExtraActuals, Status, YearEnd};
use crate::diag::Diagnostic;
use crate::model::{Book, CarryForward, CouncilKind, Programme, TakingPart};
use crate::money::Money;
use crate::values::Year;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// A council taking part in a programme in a year, with its weight `b × d`.
pub struct Taker<'a> {
    pub council: &'a str,
    pub kind: CouncilKind,
    pub days: i64,
    pub weight: Decimal,
}

/// Every council that takes part in `programme` in `year`, in code order.
pub fn takers<'a>(
    book: &'a Book,
    index: &TakingPart<'a>,
    programme: &Programme,
    year: Year,
) -> Vec<Taker<'a>> {
    // Only a council with a stint in the programme can take part in it (every member, in the
    // Office, which has no stints).
    let taker = |council: &'a crate::model::Council, stints: &[&crate::model::Participation]| {
        let (days, weight) = index.days_and_weight_of(programme, council, stints, year);
        (days > 0).then(|| Taker {
            council: &council.code,
            kind: council.kind,
            days,
            weight: weight.normalize(),
        })
    };
    let mut out: Vec<Taker> = if book.is_office(&programme.code) {
        book.councils
            .iter()
            .filter_map(|council| taker(council, &[]))
            .collect()
    } else {
        index
            .stints_in(&programme.code)
            .iter()
            .filter_map(|(council, stints)| taker(council, stints))
            .collect()
    };
    // Codes are distinct: an unstable sort is the same order.
    out.sort_unstable_by(|a, b| a.council.cmp(b.council));
    out
}

/// What every programme-year shares: the book, its index of stints and the ledger's actuals.
pub struct Context<'a> {
    pub book: &'a Book,
    pub index: &'a TakingPart<'a>,
    pub extra_actuals: &'a ExtraActuals,
    /// Each programme's forecast outturn in the year in progress (SPEC §9).
    pub forecast_outturns: &'a BTreeMap<String, Money>,
    /// The book's budget lines, grants and actuals summed per programme and year.
    pub sums: &'a Sums<'a>,
    /// Whether the splits are recorded (for `accord explain`; see [`super::run_keeping`]).
    pub record: bool,
}

/// The book's budget lines, grants and actuals summed per programme and year, once, so that a
/// programme-year does not read every row of the book.
#[derive(Default)]
pub struct Sums<'a> {
    budget: HashMap<(&'a str, Year), Money>,
    grants: HashMap<(&'a str, Year), Money>,
    actuals: HashMap<(&'a str, Year), Money>,
}

impl<'a> Sums<'a> {
    pub fn new(book: &'a Book) -> Sums<'a> {
        let mut sums = Sums::default();
        for b in &book.budget {
            *sums.budget.entry((&b.programme, b.year)).or_default() += b.amount;
        }
        for g in &book.grants {
            *sums.grants.entry((&g.programme, g.year)).or_default() += g.amount;
        }
        for a in &book.actuals {
            *sums.actuals.entry((&a.programme, a.year)).or_default() += a.amount;
        }
        sums
    }

    fn get(map: &HashMap<(&'a str, Year), Money>, code: &str, year: Year) -> Money {
        map.get(&(code, year)).copied().unwrap_or(Money::ZERO)
    }
}

pub fn programme_year(
    context: &Context<'_>,
    programme: &Programme,
    year: Year,
    opening: Money,
    status: Status,
    warnings: &mut Vec<Diagnostic>,
    record: &mut Vec<SplitRecord>,
) -> (YearEnd, Vec<Allocation>) {
    let Context {
        book,
        index,
        forecast_outturns,
        ..
    } = *context;
    let code = programme.code.as_str();
    let budget = Sums::get(&context.sums.budget, code, year);
    let grants = Sums::get(&context.sums.grants, code, year);
    let applied = match programme.carry_forward {
        CarryForward::Apply | CarryForward::Settle => opening,
        CarryForward::Hold => Money::ZERO,
    };
    // SPEC §4: in a year with actuals a `settle` programme is charged on what was spent.
    let charged = match (programme.carry_forward, status) {
        (CarryForward::Settle, Status::Actual) => spent(context, code, year),
        _ => budget,
    };
    let takers = takers(book, index, programme, year);

    // Each guest's charge and each member's contribution, in council order, when charged.
    let (mut guest_parts, mut member_parts) = (Vec::new(), Vec::new());
    let mut guest_charges = Money::ZERO;
    // A `driver` or `fixed` year can give everyone a weight of 0 (no budget, so no values
    // were needed): then nobody is charged, rather than dividing by nothing.
    let weighed = |ts: &[&Taker]| ts.iter().any(|t| t.weight > Decimal::ZERO);
    let everyone: Vec<&Taker> = takers.iter().collect();
    if takers.iter().any(|t| t.kind == CouncilKind::Guest) && weighed(&everyone) {
        let weights: Vec<(&str, Decimal)> = takers.iter().map(|t| (t.council, t.weight)).collect();
        let split = (year, programme, Stage::GuestCharges);
        let (parts, kept) = split_keeping(context.record, split, charged, &weights);
        for (taker, part) in takers.iter().zip(parts) {
            if taker.kind == CouncilKind::Guest {
                guest_charges += part;
                guest_parts.push(part);
            }
        }
        record.extend(kept);
    }

    let members: Vec<&Taker> = takers
        .iter()
        .filter(|t| t.kind == CouncilKind::Member)
        .collect();
    let needed = charged - grants - applied - guest_charges;
    let mut member_contributions = Money::ZERO;
    if !members.is_empty() && weighed(&members) {
        let pool = if needed.is_negative() {
            warnings.push(Diagnostic::warning(
                programme.place.clone(),
                format!(
                    "{code} {year}: grants, guest charges and the applied balance exceed the budget by {}; members pay nothing and the surplus stays in the balance",
                    -needed
                ),
            ));
            Money::ZERO
        } else {
            needed
        };
        let weights: Vec<(&str, Decimal)> = members.iter().map(|t| (t.council, t.weight)).collect();
        let split = (year, programme, Stage::MembersPool);
        let (parts, kept) = split_keeping(context.record, split, pool, &weights);
        member_contributions += parts.iter().copied().sum::<Money>();
        member_parts = parts;
        record.extend(kept);
    } else if needed > Money::ZERO && !takers.is_empty() {
        warnings.push(Diagnostic::warning(
            programme.place.clone(),
            format!("{code} {year}: no member takes part, so the members' share of {needed} is not raised and stays in the balance"),
        ));
    }

    // The year in progress (SPEC §9) is charged on budget like a forecast year: only its
    // `actual` is different, the forecast outturn. Hook for `carry_forward: settle` (SPEC §4,
    // issue 14): a settle programme is charged on its actual only in a `Status::Actual` year;
    // in a `Status::InProgress` year it stays charged on its budget lines, as here, until the
    // year has ended.
    let actual = match status {
        Status::Forecast => budget,
        Status::InProgress => forecast_outturns.get(code).copied().unwrap_or(Money::ZERO),
        Status::Actual => spent(context, code, year),
    };
    let closing = opening + guest_charges + member_contributions + grants - actual;
    let end = YearEnd {
        year,
        programme: code.to_string(),
        status,
        opening,
        budget,
        grants,
        applied,
        guest_charges,
        member_contributions,
        actual,
        closing,
    };
    // In council order, as the results hold them: the takers', each a guest or a member,
    // with its part when its kind was charged (then every taker of that kind has one).
    let mut allocations = Vec::with_capacity(guest_parts.len() + member_parts.len());
    let (mut guest_parts, mut member_parts) = (guest_parts.into_iter(), member_parts.into_iter());
    let (programme_code, holder) = (Code::new(code), Code::new(&programme.lead));
    for t in &takers {
        let part = match t.kind {
            CouncilKind::Guest => guest_parts.next(),
            CouncilKind::Member => member_parts.next(),
        };
        if let Some(amount) = part {
            allocations.push(Allocation {
                year,
                programme: programme_code.clone(),
                holder: holder.clone(),
                council: Code::new(t.council),
                kind: t.kind,
                days: t.days,
                weight: t.weight,
                amount,
            });
        }
    }
    debug_assert!(guest_parts.next().is_none() && member_parts.next().is_none());
    (end, allocations)
}

/// The amounts of `amount` split over `weights`, in council order, at a stage of a
/// programme's year, and, when the run keeps a record of its splits (only `accord explain`
/// reads it: a run without explain pages keeps none, and has no working made), its record.
fn split_keeping(
    record: bool,
    (year, programme, stage): (Year, &Programme, Stage),
    amount: Money,
    weights: &[(&str, Decimal)],
) -> (Vec<Money>, Option<SplitRecord>) {
    if record {
        let (parts, working) = split_recorded(amount, weights);
        let amounts = parts.into_iter().map(|(_, part)| part).collect();
        let kept = SplitRecord {
            year,
            programme: programme.code.to_string(),
            holder: programme.lead.clone(),
            stage,
            weights: owned(weights),
            working,
        };
        (amounts, Some(kept))
    } else {
        (split_amounts(amount, weights), None)
    }
}

/// The weights a split was given, as its record keeps them.
fn owned(weights: &[(&str, Decimal)]) -> Vec<(String, Decimal)> {
    weights.iter().map(|(c, w)| (c.to_string(), *w)).collect()
}

/// What a programme spent in a year: its `actuals` rows and its mapped ledger lines.
fn spent(context: &Context<'_>, code: &str, year: Year) -> Money {
    let from_book = Sums::get(&context.sums.actuals, code, year);
    let from_ledger = context
        .extra_actuals
        .get(&(year, code.to_string()))
        .copied()
        .unwrap_or(Money::ZERO);
    from_book + from_ledger
}
