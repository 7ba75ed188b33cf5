//! Dated percentages in `fixed` programmes (SPEC §4): percentages may change part way through
//! a year (74/26 until 2 October, 82/18 from 3 October), so the rule that they total 100 is
//! checked day by day. Apart from `validate` because it is a small sweep over dates with its
//! own table tests.

use super::Participation;
use crate::values::Year;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// The first day of a year on which the percentages of the councils taking part do not total
/// 100: the day, the total and each council's percentage that day (`"BAR 20"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadDay {
    pub date: NaiveDate,
    pub total: Decimal,
    pub shown: Vec<String>,
}

/// The days of `year` a stint covers, as a closed span; `None` when it covers none.
fn span(p: &Participation, year: Year) -> Option<(NaiveDate, NaiveDate)> {
    let start = p
        .range
        .from
        .map_or(year.first_day(), |d| d.max(year.first_day()));
    let end = p
        .range
        .to
        .map_or(year.last_day(), |d| d.min(year.last_day()));
    (start <= end).then_some((start, end))
}

/// Sweeps the days of `year` on which any of `stints` (council code, stint) takes part, and
/// returns the first on which their percentages do not total exactly 100. Only the days on
/// which the set of stints changes need looking at: between two such days nothing changes.
pub fn first_day_not_100(stints: &[(&str, &Participation)], year: Year) -> Option<BadDay> {
    let spans: Vec<(&str, Decimal, NaiveDate, NaiveDate)> = stints
        .iter()
        .filter_map(|(council, p)| span(p, year).map(|(a, b)| (*council, p.weight, a, b)))
        .collect();
    let mut changes: Vec<NaiveDate> = spans
        .iter()
        .flat_map(|(_, _, start, end)| {
            [
                Some(*start),
                end.succ_opt().filter(|d| *d <= year.last_day()),
            ]
        })
        .flatten()
        .collect();
    changes.sort();
    changes.dedup();
    for day in changes {
        let mut covering: Vec<(&str, Decimal)> = spans
            .iter()
            .filter(|(_, _, start, end)| *start <= day && day <= *end)
            .map(|(council, weight, _, _)| (*council, *weight))
            .collect();
        if covering.is_empty() {
            continue;
        }
        let total: Decimal = covering.iter().map(|(_, w)| *w).sum();
        if total != Decimal::ONE_HUNDRED {
            covering.sort();
            return Some(BadDay {
                date: day,
                total,
                shown: covering
                    .iter()
                    .map(|(c, w)| format!("{c} {}", w.normalize()))
                    .collect(),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Place;
    use crate::model::DateRange;

    fn stint(
        from: Option<(i32, u32, u32)>,
        to: Option<(i32, u32, u32)>,
        pct: i64,
    ) -> Participation {
        let date = |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        Participation {
            programme: "HR".into(),
            council: String::new(),
            range: DateRange {
                from: from.map(date),
                to: to.map(date),
            },
            weight: Decimal::from(pct),
            place: Place::File {
                file: "participation.csv".into(),
            },
        }
    }

    #[test]
    #[allow(clippy::type_complexity)] // the case table reads best with its type in place
    fn percentages_are_checked_on_every_day() {
        let until = Some((2022, 10, 2));
        let from = Some((2022, 10, 3));
        type Row = (
            &'static str,
            Option<(i32, u32, u32)>,
            Option<(i32, u32, u32)>,
            i64,
        );
        let cases: &[(&[Row], Option<(&str, i64)>)] = &[
            // 74/26 until 2 October 2022, 82/18 from 3 October: 100 on every day.
            (
                &[
                    ("DDC", None, until, 74),
                    ("DDC", from, None, 82),
                    ("TWC", None, until, 26),
                    ("TWC", from, None, 18),
                ],
                None,
            ),
            // The second split starts a day late: 2 October is fine, 3 October has only 26.
            (
                &[
                    ("DDC", None, until, 74),
                    ("DDC", Some((2022, 10, 4)), None, 82),
                    ("TWC", None, until, 26),
                    ("TWC", from, None, 18),
                ],
                Some(("2022-10-03", 18)),
            ),
            // The whole year at 99.
            (
                &[("DDC", None, None, 60), ("TWC", None, None, 39)],
                Some(("2022-04-01", 99)),
            ),
            // 0% is allowed, as long as the day totals 100.
            (&[("DDC", None, None, 100), ("TWC", None, None, 0)], None),
            // A council that leaves on 30 September leaves the other at 60 from 1 October.
            (
                &[
                    ("DDC", None, None, 60),
                    ("TWC", None, Some((2022, 9, 30)), 40),
                ],
                Some(("2022-10-01", 60)),
            ),
            // Nobody takes part in the spring: those days are not checked.
            (
                &[
                    ("DDC", Some((2022, 7, 1)), None, 50),
                    ("TWC", Some((2022, 7, 1)), None, 50),
                ],
                None,
            ),
        ];
        for (rows, expected) in cases {
            let stints: Vec<(&str, Participation)> = rows
                .iter()
                .map(|(c, f, t, p)| (*c, stint(*f, *t, *p)))
                .collect();
            let refs: Vec<(&str, &Participation)> = stints.iter().map(|(c, p)| (*c, p)).collect();
            let got = first_day_not_100(&refs, Year(2022)).map(|d| (d.date.to_string(), d.total));
            let expected = expected.map(|(d, t)| (d.to_string(), Decimal::from(t)));
            assert_eq!(got, expected, "{rows:?}");
        }
    }
}
