//! `accord explain`: the working of one figure of `allocations.csv`, step by step, each input
//! with its place in the book. It reads the engine's own record of each split
//! ([`crate::engine::record`]) and the year end, so it shows the arithmetic the engine did; it
//! never works a figure out a second time. Plain data here; `render_text` and `serde_json` lay
//! it out.

use crate::engine::record::{SplitRecord, Stage};
use crate::engine::{Results, SIK};
use crate::model::{Basis, Book, CarryForward, CouncilKind, SikBasis};
use crate::money::Money;
use crate::money::{grouped_decimal, pounds};
use crate::values::Year;
use serde::Serialize;
use std::collections::HashMap;

/// One row of the book that went into the figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    pub place: String,
    /// What the row is: a budget line's name, a grant's source, a provider's category.
    pub label: String,
    #[serde(serialize_with = "as_text")]
    pub amount: Money,
}

/// A council taking part in the split, as the engine weighed it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Participant {
    pub council: String,
    pub kind: String,
    pub days: i64,
    /// `b × d` (or the contribution, for proportional support in kind).
    pub weight: String,
    /// The rows that make it take part: its `participation` rows, or its `councils` row.
    pub places: Vec<String>,
    #[serde(serialize_with = "as_text")]
    pub part: Money,
    /// Its remainder, as the numerator over the split's `total_weight_units`.
    pub remainder: String,
    pub extra_penny: bool,
}

/// One call of the splitting function that the council has a part in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Split {
    /// `guest charges`, `members' pool` or `support in kind from EAL`.
    pub what: String,
    pub holder: String,
    #[serde(serialize_with = "as_text")]
    pub amount: Money,
    pub participants: Vec<Participant>,
    pub total_weight: String,
    /// The council's exact share as a fraction of the amount: `weight/total weight`.
    pub share: String,
    /// The exact share: `floor + remainder/total pence` (of the absolute amount).
    pub exact_share_pence: String,
    pub floor_pence: String,
    pub left_over_pence: String,
    /// The councils that got a penny left over, largest remainder first.
    pub pence_to: Vec<String>,
    pub extra_penny: bool,
    #[serde(serialize_with = "as_text")]
    pub part: Money,
}

/// The opening balance and what of it was applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Opening {
    #[serde(serialize_with = "as_text")]
    pub amount: Money,
    /// `balances.csv:3`, or the previous year's closing balance.
    pub from: String,
    pub carry_forward: String,
    #[serde(serialize_with = "as_text")]
    pub applied: Money,
}

/// The members' pool: gross − grants − applied − guest charges, floored at 0.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MembersPool {
    #[serde(serialize_with = "as_text")]
    pub gross: Money,
    #[serde(serialize_with = "as_text")]
    pub grants: Money,
    #[serde(serialize_with = "as_text")]
    pub applied: Money,
    #[serde(serialize_with = "as_text")]
    pub guest_charges: Money,
    #[serde(serialize_with = "as_text")]
    pub needed: Money,
    #[serde(serialize_with = "as_text")]
    pub pool: Money,
}

/// The whole working of one key of `allocations.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub year: String,
    pub programme: String,
    pub programme_name: String,
    pub council: String,
    pub council_name: String,
    pub kind: String,
    pub basis: String,
    /// Budget lines (or, for `SIK`, support-in-kind lines).
    pub lines: Vec<Input>,
    #[serde(serialize_with = "as_text")]
    pub gross: Money,
    /// For a `settle` programme in a year that has ended: what was spent, which is what is
    /// split instead of the budget lines (SPEC §4).
    #[serde(serialize_with = "option_as_text")]
    pub settled_on_actual: Option<Money>,
    pub grants: Vec<Input>,
    #[serde(serialize_with = "as_text")]
    pub grants_total: Money,
    pub opening: Option<Opening>,
    #[serde(serialize_with = "option_as_text")]
    pub guest_charges: Option<Money>,
    pub members_pool: Option<MembersPool>,
    pub splits: Vec<Split>,
    /// The amount exactly as `allocations.csv` writes it (the sum of the key's rows).
    #[serde(serialize_with = "as_text")]
    pub amount: Money,
}

/// Money in JSON as `allocations.csv` writes it: `"1234.50"`, never a float.
fn as_text<S: serde::Serializer>(money: &Money, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&money.to_string())
}

fn option_as_text<S: serde::Serializer>(
    money: &Option<Money>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match money {
        Some(m) => serializer.serialize_str(&m.to_string()),
        None => serializer.serialize_none(),
    }
}

/// Why a figure cannot be explained.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExplainError {
    #[error("{0}: no such programme in the book; write one of {1}, or SIK for support in kind")]
    UnknownProgramme(String, String),
    #[error("{0}: no such council in the book; write one of {1}")]
    UnknownCouncil(String, String),
    #[error("{0}: outside the book's years ({1})")]
    UnknownYear(String, String),
    #[error("{council} has no figure for {programme} in {year}: it does not take part that year (allocations.csv has no such row)")]
    NoFigure {
        year: String,
        programme: String,
        council: String,
    },
}

fn stage_words(record: &SplitRecord) -> String {
    match record.stage {
        Stage::GuestCharges => {
            "guest charges: the gross budget over everyone taking part; guests keep their parts"
                .into()
        }
        Stage::MembersPool => "members' pool: over the members taking part".into(),
        Stage::SupportInKind => format!("support in kind from {}", record.holder),
    }
}

fn reduced(numerator: i128, denominator: i128) -> String {
    fn gcd(a: i128, b: i128) -> i128 {
        if b == 0 {
            a.abs()
        } else {
            gcd(b, a % b)
        }
    }
    let g = gcd(numerator, denominator).max(1);
    format!("{}/{}", numerator / g, denominator / g)
}

/// Works out nothing: lays out what the engine recorded for `year`, `programme`, `council`.
pub fn explain(
    book: &Book,
    results: &Results,
    year: Year,
    programme: &str,
    council: &str,
) -> Result<Explanation, ExplainError> {
    if programme == SIK {
        return explain_sik(book, results, year, council);
    }
    let Some(programme_row) = book.programme(programme) else {
        let codes: Vec<&str> = book.programmes.iter().map(|p| p.code.as_str()).collect();
        return Err(ExplainError::UnknownProgramme(
            programme.into(),
            codes.join(", "),
        ));
    };
    let council_row = find_council(book, council)?;
    check_year(book, year)?;
    let rows: Vec<_> = results
        .allocations
        .iter()
        .filter(|a| a.year == year && a.programme == programme && a.council == council)
        .collect();
    if rows.is_empty() {
        return Err(ExplainError::NoFigure {
            year: year.to_string(),
            programme: programme.into(),
            council: council.into(),
        });
    }
    let end = results
        .year_ends
        .iter()
        .find(|e| e.year == year && e.programme == programme)
        .expect("a programme with an allocation has a year end");
    let lines: Vec<Input> = in_place_order(
        book.budget
            .iter()
            .filter(|b| b.year == year && b.programme == programme),
        |b| (&b.place, &b.line, &b.category, b.amount),
    )
    .into_iter()
    .map(|b| Input {
        place: b.place.to_string(),
        label: b.line.clone(),
        amount: b.amount,
    })
    .collect();
    let grants: Vec<Input> = in_place_order(
        book.grants
            .iter()
            .filter(|g| g.year == year && g.programme == programme),
        |g| (&g.place, &g.source, &g.source, g.amount),
    )
    .into_iter()
    .map(|g| Input {
        place: g.place.to_string(),
        label: g.source.clone(),
        amount: g.amount,
    })
    .collect();
    let first_year = book.years.first() == Some(&year);
    let from = match book
        .balances
        .iter()
        .find(|b| b.programme == programme && first_year)
    {
        Some(b) => b.place.to_string(),
        None if first_year => "no balances row: 0.00".into(),
        None => format!(
            "the closing balance of {}, carry_forward.csv",
            Year(year.0 - 1)
        ),
    };
    let opening = Opening {
        amount: end.opening,
        from,
        carry_forward: match programme_row.carry_forward {
            CarryForward::Apply => "apply".into(),
            CarryForward::Hold => "hold".into(),
            CarryForward::Settle => "settle".into(),
        },
        applied: end.applied,
    };
    // SPEC §4: a `settle` programme is charged on what was spent once its year has ended.
    let settled_on_actual = settled_on_actual(programme_row.carry_forward, end);
    let charged = charged(programme_row.carry_forward, end);
    let needed = members_pool(programme_row.carry_forward, end);
    let member_split = results
        .record
        .splits
        .iter()
        .find(|s| s.year == year && s.programme == programme && s.stage == Stage::MembersPool);
    let members_pool = member_split.map(|s| MembersPool {
        gross: charged,
        grants: end.grants,
        applied: end.applied,
        guest_charges: end.guest_charges,
        needed,
        pool: Money::from_pence(s.working.amount_pence),
    });
    let has_guests = results
        .record
        .splits
        .iter()
        .any(|s| s.year == year && s.programme == programme && s.stage == Stage::GuestCharges);
    let wanted = match council_row.kind {
        CouncilKind::Guest => Stage::GuestCharges,
        CouncilKind::Member => Stage::MembersPool,
    };
    let places = Places::new(book);
    let splits: Vec<Split> = results
        .record
        .splits_for(year, programme, council)
        .filter(|s| s.stage == wanted)
        .map(|s| split_step(&places, results, s, council))
        .collect();
    let basis = if book.is_office(programme) {
        Basis::Equal
    } else {
        programme_row.basis
    };
    Ok(Explanation {
        year: year.to_string(),
        programme: programme.into(),
        programme_name: programme_row.name.clone(),
        council: council.into(),
        council_name: council_row.name.clone(),
        kind: council_row.kind.as_str().into(),
        basis: basis.as_str().into(),
        lines,
        gross: end.budget,
        settled_on_actual,
        grants,
        grants_total: end.grants,
        opening: Some(opening),
        guest_charges: has_guests.then_some(end.guest_charges),
        members_pool,
        splits,
        amount: rows.iter().map(|a| a.amount).sum::<Money>(),
    })
}

fn find_council<'a>(
    book: &'a Book,
    council: &str,
) -> Result<&'a crate::model::Council, ExplainError> {
    book.council(council).ok_or_else(|| {
        let codes: Vec<&str> = book.councils.iter().map(|c| c.code.as_str()).collect();
        ExplainError::UnknownCouncil(council.into(), codes.join(", "))
    })
}

fn check_year(book: &Book, year: Year) -> Result<(), ExplainError> {
    if book.years.contains(&year) {
        return Ok(());
    }
    let span = match (book.years.first(), book.years.last()) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "none".into(),
    };
    Err(ExplainError::UnknownYear(year.to_string(), span))
}

fn explain_sik(
    book: &Book,
    results: &Results,
    year: Year,
    council: &str,
) -> Result<Explanation, ExplainError> {
    let council_row = find_council(book, council)?;
    check_year(book, year)?;
    let rows: Vec<_> = results
        .allocations
        .iter()
        .filter(|a| a.year == year && a.programme == SIK && a.council == council)
        .collect();
    if rows.is_empty() {
        return Err(ExplainError::NoFigure {
            year: year.to_string(),
            programme: SIK.into(),
            council: council.into(),
        });
    }
    let lines: Vec<Input> = in_place_order(
        book.support_in_kind.iter().filter(|s| s.year == year),
        |s| (&s.place, &s.provider, &s.category, s.amount),
    )
    .into_iter()
    .map(|s| Input {
        place: s.place.to_string(),
        label: format!("{} {}", s.provider, s.category),
        amount: s.amount,
    })
    .collect();
    let places = Places::new(book);
    let splits: Vec<Split> = results
        .record
        .splits_for(year, SIK, council)
        .map(|s| split_step(&places, results, s, council))
        .collect();
    let gross: Money = results
        .record
        .splits
        .iter()
        .filter(|s| s.year == year && s.programme == SIK)
        .map(|s| Money::from_pence(s.working.amount_pence))
        .sum();
    Ok(Explanation {
        year: year.to_string(),
        programme: SIK.into(),
        programme_name: "Support in kind".into(),
        council: council.into(),
        council_name: council_row.name.clone(),
        kind: council_row.kind.as_str().into(),
        basis: match book.settings.sik_basis {
            SikBasis::Equal => "equal (days taking part in anything)".into(),
            SikBasis::Proportional => "proportional (Office and programme contributions)".into(),
        },
        lines,
        gross,
        settled_on_actual: None,
        grants: Vec::new(),
        grants_total: Money::ZERO,
        opening: None,
        guest_charges: None,
        members_pool: None,
        splits,
        amount: rows.iter().map(|a| a.amount).sum::<Money>(),
    })
}

/// Rows in the order of their places (then their values), so that the order the book's rows
/// come in never changes an explanation.
pub fn in_place_order<'r, T>(
    rows: impl Iterator<Item = &'r T>,
    key: impl Fn(&'r T) -> (&'r crate::diag::Place, &'r String, &'r String, Money),
) -> Vec<&'r T> {
    let mut rows: Vec<&T> = rows.collect();
    rows.sort_by(|a, b| key(a).cmp(&key(b)));
    rows
}

/// The places that make each council take part in each programme, found once for a book.
pub struct Places<'a> {
    book: &'a Book,
    stints: HashMap<(&'a str, &'a str), Vec<String>>,
    by_council: HashMap<&'a str, Vec<String>>,
    councils: HashMap<&'a str, String>,
}

impl<'a> Places<'a> {
    pub fn new(book: &'a Book) -> Places<'a> {
        let mut stints: HashMap<(&str, &str), Vec<String>> = HashMap::new();
        let mut by_council: HashMap<&str, Vec<String>> = HashMap::new();
        let mut rows: Vec<&crate::model::Participation> = book.participation.iter().collect();
        rows.sort_by(|a, b| a.place.cmp(&b.place));
        for p in rows {
            let place = p.place.to_string();
            stints
                .entry((p.programme.as_str(), p.council.as_str()))
                .or_default()
                .push(place.clone());
            by_council
                .entry(p.council.as_str())
                .or_default()
                .push(place);
        }
        let councils = book
            .councils
            .iter()
            .map(|c| (c.code.as_str(), c.place.to_string()))
            .collect();
        Places {
            book,
            stints,
            by_council,
            councils,
        }
    }

    /// Its `councils` row for the Office; that and its `participation` rows for support in
    /// kind; its `participation` rows of the programme otherwise.
    pub fn of(&self, programme: &str, council: &str) -> Vec<String> {
        if programme == SIK || self.book.is_office(programme) {
            let mut places: Vec<String> = self.councils.get(council).cloned().into_iter().collect();
            if programme == SIK {
                places.extend(self.by_council.get(council).into_iter().flatten().cloned());
            }
            return places;
        }
        self.stints
            .get(&(programme, council))
            .cloned()
            .unwrap_or_default()
    }
}

/// Every participant of one recorded split, with the working of its part.
pub fn participants(places: &Places, results: &Results, record: &SplitRecord) -> Vec<Participant> {
    let days: HashMap<&str, i64> = results
        .allocations_of(record.year, &record.programme)
        .iter()
        .filter(|a| a.holder == record.holder)
        .map(|a| (a.council.as_str(), a.days))
        .collect();
    record
        .weights
        .iter()
        .zip(&record.working.parts)
        .map(|((code, weight), part)| Participant {
            council: code.clone(),
            kind: places
                .book
                .council(code)
                .map_or("member", |c| c.kind.as_str())
                .into(),
            days: days.get(code.as_str()).copied().unwrap_or(0),
            weight: weight.normalize().to_string(),
            places: places.of(&record.programme, code),
            part: Money::from_pence(part.part_pence),
            remainder: part.remainder.to_string(),
            extra_penny: part.extra_penny,
        })
        .collect()
}

/// The split's total weight: every council's weight together.
pub fn total_weight(record: &SplitRecord) -> rust_decimal::Decimal {
    record.weights.iter().map(|(_, w)| *w).sum()
}

/// What a programme's year is charged on (SPEC §4): its actual spend for a `settle`
/// programme whose year has ended, its gross budget otherwise.
pub fn charged(carry_forward: CarryForward, end: &crate::engine::YearEnd) -> Money {
    settled_on_actual(carry_forward, end).unwrap_or(end.budget)
}

/// The actual spend a `settle` programme's ended year is charged on; `None` for any other.
pub fn settled_on_actual(
    carry_forward: CarryForward,
    end: &crate::engine::YearEnd,
) -> Option<Money> {
    (carry_forward == CarryForward::Settle && end.status == crate::engine::Status::Actual)
        .then_some(end.actual)
}

/// The members' pool before its floor at 0: what is charged − grants − applied − guest charges.
pub fn members_pool(carry_forward: CarryForward, end: &crate::engine::YearEnd) -> Money {
    charged(carry_forward, end) - end.grants - end.applied - end.guest_charges
}

/// What the split says of one part: the exact share `floor + remainder/total` pence.
pub fn exact_share(record: &SplitRecord, index: usize) -> (String, String) {
    let part = record.working.parts[index];
    let exact = if part.remainder == 0 {
        format!("{} pence exactly", part.floor_pence)
    } else {
        format!(
            "{} + {} pence",
            part.floor_pence,
            reduced(part.remainder, record.working.total_units)
        )
    };
    let total = total_weight(record);
    let share = format!(
        "{}/{} (= {})",
        grouped_decimal(record.weights[index].1),
        grouped_decimal(total),
        reduced(part.weight_units, record.working.total_units)
    );
    (share, exact)
}

fn split_step(places: &Places, results: &Results, record: &SplitRecord, council: &str) -> Split {
    let working = &record.working;
    let index = record
        .position(council)
        .expect("splits_for finds only splits the council is in");
    let mine = working.parts[index];
    let total_weight: rust_decimal::Decimal = record.weights.iter().map(|(_, w)| *w).sum();
    let participants = participants(places, results, record);
    let (share, exact_share_pence) = exact_share(record, index);
    let mut ranked: Vec<(i128, usize)> = working
        .parts
        .iter()
        .enumerate()
        .filter(|(_, p)| p.extra_penny)
        .map(|(i, p)| (p.remainder, i))
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    Split {
        what: stage_words(record),
        holder: record.holder.clone(),
        amount: Money::from_pence(working.amount_pence),
        participants,
        total_weight: total_weight.normalize().to_string(),
        share,
        exact_share_pence,
        floor_pence: mine.floor_pence.to_string(),
        left_over_pence: working.left_over_pence().to_string(),
        pence_to: ranked
            .iter()
            .map(|(_, i)| record.weights[*i].0.clone())
            .collect(),
        extra_penny: mine.extra_penny,
        part: Money::from_pence(mine.part_pence),
    }
}

/// The explanation as people read it; the last line is `amount: ` and the amount exactly as
/// `allocations.csv` writes it.
pub fn render_text(e: &Explanation) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut step = 0;
    let mut heading = |out: &mut String, title: &str| {
        step += 1;
        let _ = writeln!(out, "\n{step}. {title}");
    };
    let row = |out: &mut String, place: &str, label: &str, amount: Money| {
        let _ = writeln!(out, "   {place:<30} {label:<44} {:>15}", pounds(amount));
    };
    let _ = writeln!(
        out,
        "{} {} ({}), {} ({}, {}): how the figure is worked out",
        e.year, e.programme, e.programme_name, e.council, e.council_name, e.kind
    );
    let _ = writeln!(out, "basis: {}", e.basis);
    if e.programme == SIK {
        heading(&mut out, "Support-in-kind lines (provider and category)");
    } else {
        heading(&mut out, "Budget lines: the gross");
    }
    for line in &e.lines {
        row(&mut out, &line.place, &line.label, line.amount);
    }
    row(&mut out, "", "total", e.gross);
    if let Some(actual) = e.settled_on_actual {
        let _ = writeln!(
            out,
            "   carry_forward is settle and {} has ended: charged on what was spent, {} (its actuals and ledger lines), not on the budget lines",
            e.year,
            pounds(actual)
        );
    }
    if e.programme != SIK {
        heading(&mut out, "Grants");
        if e.grants.is_empty() {
            let _ = writeln!(out, "   none");
        }
        for g in &e.grants {
            row(&mut out, &g.place, &g.label, g.amount);
        }
        row(&mut out, "", "total", e.grants_total);
    }
    if let Some(o) = &e.opening {
        heading(&mut out, "Opening balance");
        let _ = writeln!(out, "   {} from {}", pounds(o.amount), o.from);
        let _ = writeln!(
            out,
            "   carry_forward is {}: {} applied to reduce members' contributions",
            o.carry_forward,
            pounds(o.applied)
        );
    }
    if let Some(g) = e.guest_charges {
        heading(
            &mut out,
            "Guest charges (guests pay the full cost of taking part)",
        );
        let _ = writeln!(
            out,
            "   the gross is split over everyone taking part; the guests' parts total {}",
            pounds(g)
        );
    }
    if let Some(p) = &e.members_pool {
        heading(&mut out, "Members' pool");
        let _ = writeln!(
            out,
            "   gross {} − grants {} − applied {} − guest charges {} = {}",
            pounds(p.gross),
            pounds(p.grants),
            pounds(p.applied),
            pounds(p.guest_charges),
            pounds(p.needed)
        );
        if p.pool != p.needed {
            let _ = writeln!(
                out,
                "   floored at {}: the surplus stays in the balance",
                pounds(p.pool)
            );
        }
    }
    for s in &e.splits {
        heading(
            &mut out,
            &format!("Split of {}: {}", pounds(s.amount), s.what),
        );
        let _ = writeln!(
            out,
            "   {:<6} {:<7} {:>5} {:>16} {:>15} {:>5}  places",
            "", "kind", "days", "weight", "part", "penny"
        );
        for p in &s.participants {
            let _ = writeln!(
                out,
                "   {:<6} {:<7} {:>5} {:>16} {:>15} {:>5}  {}",
                p.council,
                p.kind,
                p.days,
                grouped_decimal(p.weight.parse().unwrap_or_default()),
                pounds(p.part),
                if p.extra_penny { "+1p" } else { "" },
                p.places.join(", ")
            );
        }
        let _ = writeln!(
            out,
            "   total weight {}",
            grouped_decimal(s.total_weight.parse().unwrap_or_default())
        );
        let _ = writeln!(
            out,
            "   {}'s exact share: {} of {} = {}",
            e.council,
            s.share,
            pounds(s.amount),
            s.exact_share_pence
        );
        let pence_to = if s.pence_to.is_empty() {
            "none".to_string()
        } else {
            s.pence_to.join(", ")
        };
        let _ = writeln!(
            out,
            "   largest remainders: every part takes the floor of its exact share ({} pence here); the {} pence left over go one each to the largest remainders, ties to the lower code: {}",
            s.floor_pence, s.left_over_pence, pence_to
        );
        let _ = writeln!(
            out,
            "   so {} {} a penny more: its part is {}",
            e.council,
            if s.extra_penny {
                "gets"
            } else {
                "does not get"
            },
            pounds(s.part)
        );
    }
    let _ = writeln!(out, "\namount: {}", e.amount);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Status, YearEnd};

    #[test]
    fn the_members_pool_is_what_is_charged_less_grants_applied_and_guest_charges() {
        // (carry forward, status, budget, actual, grants, applied, guest charges) -> pool, in
        // pence. A `settle` programme's ended year is charged on its actual, not its budget.
        type Case = ((CarryForward, Status, i128, i128, i128, i128, i128), i128);
        let (apply, settle) = (CarryForward::Apply, CarryForward::Settle);
        let (actual, forecast) = (Status::Actual, Status::Forecast);
        let cases: &[Case] = &[
            ((apply, actual, 100_000, 90_000, 0, 0, 0), 100_000),
            ((apply, actual, 100_000, 0, 20_000, 5_000, 1_000), 74_000),
            ((apply, actual, 10_000, 0, 8_000, 4_000, 0), -2_000),
            ((settle, actual, 100_000, 90_000, 20_000, 0, 0), 70_000),
            ((settle, forecast, 100_000, 90_000, 20_000, 0, 0), 80_000),
            (
                (CarryForward::Hold, actual, 100_000, 90_000, 0, 0, 0),
                100_000,
            ),
        ];
        for ((carry_forward, status, budget, spent, grants, applied, guests), pool) in cases {
            let m = Money::from_pence;
            let end = YearEnd {
                year: crate::values::parse_year("2012/13").unwrap(),
                programme: "ADULTS".into(),
                status: *status,
                opening: Money::ZERO,
                budget: m(*budget),
                grants: m(*grants),
                applied: m(*applied),
                guest_charges: m(*guests),
                member_contributions: Money::ZERO,
                actual: m(*spent),
                closing: Money::ZERO,
            };
            assert_eq!(
                members_pool(*carry_forward, &end),
                m(*pool),
                "{carry_forward:?} {status:?}"
            );
        }
    }
}
