//! Who takes part in what, on which days: an index over a book's councils and participation
//! rows, built once, so that asking for a council's days in a programme does not scan every
//! row (a book of 400 councils and 60 programmes has tens of thousands of stints). Its maps
//! are keyed by codes and use the quick hash (`fx_hash`): no order of theirs is ever used.

use super::{Book, Council, CouncilKind, DateRange, Participation, Programme};
use crate::fx_hash::FxMap as HashMap;
use crate::values::Year;
use rust_decimal::Decimal;

/// A council and its stints in one programme.
pub type Stints<'a> = (&'a Council, Vec<&'a Participation>);

pub struct TakingPart<'a> {
    book: &'a Book,
    councils: HashMap<&'a str, &'a Council>,
    /// Stints by programme, then council.
    stints: HashMap<&'a str, HashMap<&'a str, Vec<&'a Participation>>>,
    by_council: HashMap<&'a str, Vec<DateRange>>,
    /// By programme, the councils of the book with a stint in it, in code order, each with
    /// its stints (what the engine asks of every programme-year).
    takers: HashMap<&'a str, Vec<Stints<'a>>>,
    /// `drivers` values by programme, council and year (SPEC §4).
    drivers: HashMap<(&'a str, &'a str, Year), Decimal>,
}

impl<'a> TakingPart<'a> {
    pub fn new(book: &'a Book) -> TakingPart<'a> {
        let councils: HashMap<&str, &Council> =
            book.councils.iter().map(|c| (c.code.as_str(), c)).collect();
        let mut stints: HashMap<&str, HashMap<&str, Vec<&Participation>>> = HashMap::default();
        let mut by_council: HashMap<&str, Vec<DateRange>> = HashMap::default();
        for p in &book.participation {
            stints
                .entry(p.programme.as_str())
                .or_default()
                .entry(p.council.as_str())
                .or_default()
                .push(p);
            by_council
                .entry(p.council.as_str())
                .or_default()
                .push(p.range);
        }
        let drivers = book
            .drivers
            .iter()
            .map(|d| ((d.programme.as_str(), d.council.as_str(), d.year), d.value))
            .collect();
        let takers = stints
            .iter()
            .map(|(&programme, by_council)| {
                let mut takers: Vec<Stints> = by_council
                    .iter()
                    .filter_map(|(code, stints)| {
                        let council: &&Council = councils.get(code)?;
                        Some((*council, stints.clone()))
                    })
                    .collect();
                takers.sort_by(|a, b| a.0.code.cmp(&b.0.code));
                (programme, takers)
            })
            .collect();
        TakingPart {
            book,
            councils,
            stints,
            by_council,
            takers,
            drivers,
        }
    }

    /// The stints of a council in a programme (never the Office's: it has none).
    pub fn stints(&self, programme: &str, council: &str) -> &[&'a Participation] {
        self.stints
            .get(programme)
            .and_then(|by_council| by_council.get(council))
            .map_or(&[], Vec::as_slice)
    }

    /// The councils of the book with a stint in `programme`, in code order, each with its
    /// stints (none for the Office): every council that can take part in it, so that a
    /// programme-year need not ask every council of a large book.
    pub fn stints_in(&self, programme: &str) -> &[Stints<'a>] {
        self.takers.get(programme).map_or(&[], Vec::as_slice)
    }

    /// Days of `year` on which `council` takes part in `programme` (the Office: is a member).
    pub fn days(&self, programme: &str, council: &str, year: Year) -> i64 {
        if self.book.is_office(programme) {
            return match self.councils.get(council) {
                Some(c) if c.kind == CouncilKind::Member => c.membership.days_in(year),
                _ => 0,
            };
        }
        self.stints(programme, council)
            .iter()
            .map(|p| p.range.days_in(year))
            .sum()
    }

    /// A council's `drivers` value for a programme in a year, when the book gives one.
    pub fn driver(&self, programme: &str, council: &str, year: Year) -> Option<Decimal> {
        self.drivers.get(&(programme, council, year)).copied()
    }

    /// The weight `b × d` summed over the council's stints in the year: `d` for the Office and
    /// `equal` programmes, its `drivers` value times `d` for `driver` programmes (0 without a
    /// value), the stint's weight or percentage times its days otherwise.
    pub fn weight(&self, programme: &str, council: &str, year: Year) -> Decimal {
        let basis = self.book.programme(programme).map(|p| p.basis);
        let equal =
            self.book.is_office(programme) || basis.is_none_or(|b| b == super::Basis::Equal);
        if equal {
            return Decimal::from(self.days(programme, council, year));
        }
        if basis == Some(super::Basis::Driver) {
            let value = self
                .driver(programme, council, year)
                .unwrap_or(Decimal::ZERO);
            return value * Decimal::from(self.days(programme, council, year));
        }
        self.stints(programme, council)
            .iter()
            .map(|p| p.weight * Decimal::from(p.range.days_in(year)))
            .sum()
    }

    /// [`days`](Self::days) and [`weight`](Self::weight) of one council in one programme of
    /// the book, in one pass over its stints (the engine asks this of every taker).
    pub fn days_and_weight(
        &self,
        programme: &Programme,
        council: &Council,
        year: Year,
    ) -> (i64, Decimal) {
        let stints = self.stints(&programme.code, &council.code);
        self.days_and_weight_of(programme, council, stints, year)
    }

    /// [`days_and_weight`](Self::days_and_weight) with the council's stints in the programme
    /// at hand ([`stints_in`](Self::stints_in)).
    pub fn days_and_weight_of(
        &self,
        programme: &Programme,
        council: &Council,
        stints: &[&Participation],
        year: Year,
    ) -> (i64, Decimal) {
        if self.book.is_office(&programme.code) {
            let days = match council.kind {
                CouncilKind::Member => council.membership.days_in(year),
                _ => 0,
            };
            return (days, Decimal::from(days));
        }
        let (first, last) = (year.first_day(), year.last_day());
        let days: i64 = stints
            .iter()
            .map(|p| p.range.days_between(first, last))
            .sum();
        let weight = match programme.basis {
            super::Basis::Equal => Decimal::from(days),
            super::Basis::Driver => {
                self.driver(&programme.code, &council.code, year)
                    .unwrap_or(Decimal::ZERO)
                    * Decimal::from(days)
            }
            _ => stints
                .iter()
                .map(|p| p.weight * Decimal::from(p.range.days_between(first, last)))
                .sum(),
        };
        (days, weight)
    }

    /// Days of `year` on which `council` takes part in the Office or any programme: the union
    /// of its stints, so a day in two programmes counts once.
    pub fn days_in_anything(&self, council: &str, year: Year) -> i64 {
        let Some(c) = self.councils.get(council) else {
            return 0;
        };
        // The council's ranges borrowed, its membership after them: no copy of the list.
        let stints = self.by_council.get(council).map_or(&[][..], Vec::as_slice);
        let membership =
            (c.kind == CouncilKind::Member && self.book.has_office()).then_some(&c.membership);
        let (first, last) = (year.first_day(), year.last_day());
        let mut spans: Vec<(chrono::NaiveDate, chrono::NaiveDate)> = stints
            .iter()
            .chain(membership)
            .filter_map(|r| {
                let start = r.from.map_or(first, |d| d.max(first));
                let end = r.to.map_or(last, |d| d.min(last));
                (start <= end).then_some((start, end))
            })
            .collect();
        spans.sort();
        let mut days = 0;
        let mut covered_to: Option<chrono::NaiveDate> = None;
        for (start, end) in spans {
            let start = match covered_to {
                Some(c) if c >= start => match c.succ_opt() {
                    Some(next) => next,
                    None => continue,
                },
                _ => start,
            };
            if start <= end {
                days += (end - start).num_days() + 1;
                covered_to = Some(covered_to.map_or(end, |c| c.max(end)));
            }
        }
        days
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `days_and_weight` is `days` and `weight` together, for every programme, council and
    /// year of the fixture (each basis, guests, leavers and joiners).
    #[test]
    fn days_and_weight_are_days_and_weight() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/wla");
        let (book, diags) = crate::pipeline::load(&path);
        let book = book.unwrap_or_else(|| panic!("{diags:?}"));
        let index = TakingPart::new(&book);
        let mut asked = 0;
        for programme in &book.programmes {
            for council in &book.councils {
                for &year in &book.years {
                    let expected = (
                        index.days(&programme.code, &council.code, year),
                        index.weight(&programme.code, &council.code, year),
                    );
                    let got = index.days_and_weight(programme, council, year);
                    assert_eq!(got, expected, "{} {} {year}", programme.code, council.code);
                    asked += usize::from(expected.0 > 0);
                }
            }
        }
        assert!(asked > 20, "the fixture has takers");
    }
}
