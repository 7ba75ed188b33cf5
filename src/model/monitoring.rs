//! The book's side of budget monitoring during the year (SPEC §9): reading the `profile` table,
//! and checking `actuals_to` against the book's years, each profile against its programme, and
//! the `actuals` rows against the year in progress. Kept apart from `validate` because it is
//! one rule's input, read and checked together.

use super::fields::RowReader;
use super::load::SettingRow;
use super::{Place, ProfileMonth};
use crate::diag::{quoted, Diagnostics};
use crate::values::Year;
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::{BTreeMap, BTreeSet};

/// A `profile` row as read, with the places of its cells.
pub(super) struct ProfileRow {
    pub month: ProfileMonth,
    pub programme_place: Place,
    pub month_place: Place,
    pub percent_place: Place,
}

/// The year in progress when the actuals run to `actuals_to`: the financial year that holds the
/// day, unless the day is that year's last (then the year is over, an actual year, and none is
/// in progress).
pub fn in_progress_year(actuals_to: Option<NaiveDate>) -> Option<Year> {
    let day = actuals_to?;
    let year = Year::of_date(day);
    (day < year.last_day()).then_some(year)
}

/// True when `year` starts after the actuals run to: a forecast year, whose actuals are not
/// known yet.
pub fn starts_after(year: Year, actuals_to: Option<NaiveDate>) -> bool {
    actuals_to.is_some_and(|day| year.first_day() > day)
}

/// The month names `4` ... `3` stand for, for messages.
const MONTHS: &str = "4 for April, 5 for May ... 12 for December, 1 for January ... 3 for March";

/// Reads one `profile` row; `None` (with errors at its cells) when a cell cannot be read.
pub(super) fn read_profile_row(r: &mut RowReader<'_>) -> Option<ProfileRow> {
    let programme = r.code("programme", true);
    let month_place = r.place_of("month");
    let percent_place = r.place_of("percent");
    let month = match r.text("month") {
        None => {
            if r.ok {
                r.diags.error(
                    month_place.clone(),
                    format!("month is empty; write the month as a number ({MONTHS})"),
                );
            }
            None
        }
        Some(text) => match text.trim().parse::<u32>() {
            Ok(m) if (1..=12).contains(&m) => Some(m),
            _ => {
                r.diags.error(
                    month_place.clone(),
                    format!(
                        "{} is not a month; write a number from 1 to 12 ({MONTHS})",
                        quoted(&text)
                    ),
                );
                None
            }
        },
    };
    let percent = match r.text("percent") {
        None => {
            if r.ok {
                r.diags.error(
                    percent_place.clone(),
                    "percent is empty; write the month's percentage of the year's budget, like 8.5",
                );
            }
            None
        }
        Some(text) => match parse_percent(&text) {
            Ok(p) => Some(p),
            Err(message) => {
                r.diags.error(percent_place.clone(), message);
                None
            }
        },
    };
    match (programme, month, percent, r.ok) {
        (Some(programme), Some(month), Some(percent), true) => Some(ProfileRow {
            month: ProfileMonth {
                programme,
                month,
                percent,
                place: r.place(),
            },
            programme_place: r.place_of("programme"),
            month_place,
            percent_place,
        }),
        _ => None,
    }
}

/// A percentage from 0 to 100 (`8.5`, `8.5%`); a spreadsheet number is taken to 6 decimals.
fn parse_percent(text: &str) -> Result<Decimal, String> {
    let plain = text.trim().trim_end_matches('%').trim();
    let Ok(value) = Decimal::from_str_exact(plain) else {
        return Err(format!(
            "{} is not a percentage; write a number from 0 to 100, like 8.5",
            quoted(text)
        ));
    };
    let value = value
        .round_dp_with_strategy(6, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    if value.is_sign_negative() && !value.is_zero() {
        return Err(format!(
            "{} is negative; a month's percentage is 0 or more (write 0 for a month with nothing due)",
            quoted(text)
        ));
    }
    if value > Decimal::ONE_HUNDRED {
        return Err(format!(
            "{} is more than 100; a month's percentage of the year's budget is 0 to 100",
            quoted(text)
        ));
    }
    Ok(value)
}

/// Checks `actuals_to` against the book's years: the day must fall within them. Returns the
/// setting to use (`None` when it is wrong, so later checks do not repeat the error).
pub(super) fn check_actuals_to(
    actuals_to: Option<NaiveDate>,
    years: &[Year],
    settings: &[SettingRow],
    diags: &mut Diagnostics,
) -> Option<NaiveDate> {
    let day = actuals_to?;
    let (Some(first), Some(last)) = (years.first(), years.last()) else {
        return None;
    };
    if day < first.first_day() || day > last.last_day() {
        let place = settings
            .iter()
            .find(|s| s.key == "actuals_to")
            .map(|s| s.value_place.clone());
        diags.error(
            place,
            format!(
                "actuals_to {day} is outside the book's years ({first} to {last}: {} to {}); write the last day the actuals are complete to, within those years",
                first.first_day(),
                last.last_day()
            ),
        );
        return None;
    }
    Some(day)
}

/// The error for an `actuals` row of a year that starts after the actuals run to, if it is one.
pub(super) fn actuals_after(year: Year, actuals_to: Option<NaiveDate>) -> Option<String> {
    let day = actuals_to?;
    starts_after(year, actuals_to).then(|| {
        let current = Year::of_date(day);
        format!(
            "{year} has not started by actuals_to ({day}, in {current}), so it can have no actuals yet; remove this row, or correct its year or actuals_to"
        )
    })
}

/// Checks the profile rows: a programme of the book, each month once, months of a programme
/// totalling exactly 100. Returns the rows of the programmes whose profile is sound.
pub(super) fn check_profile(
    rows: Vec<ProfileRow>,
    programme_codes: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Vec<ProfileMonth> {
    let known = programme_codes
        .iter()
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let mut by_programme: BTreeMap<String, Vec<ProfileRow>> = BTreeMap::new();
    let mut broken: BTreeSet<String> = BTreeSet::new();
    for row in rows {
        let programme = row.month.programme.clone();
        if !programme_codes.contains(&programme) {
            diags.error(
                row.programme_place.clone(),
                format!(
                    "{} is not a programme of this book; use one of the programmes table's codes: {known}",
                    quoted(&programme)
                ),
            );
            continue;
        }
        let earlier = by_programme.entry(programme.clone()).or_default();
        if let Some(first) = earlier.iter().find(|e| e.month.month == row.month.month) {
            diags.error(
                row.month_place.clone(),
                format!(
                    "{programme}'s month {} is given twice (also at {}); give each month once",
                    row.month.month, first.month.place
                ),
            );
            broken.insert(programme);
            continue;
        }
        earlier.push(row);
    }
    let mut out = Vec::new();
    for (programme, rows) in by_programme {
        let total: Decimal = rows.iter().map(|r| r.month.percent).sum();
        if total != Decimal::ONE_HUNDRED {
            let mut shown: Vec<&ProfileRow> = rows.iter().collect();
            shown.sort_by_key(|r| (r.month.month + 8) % 12);
            let months: Vec<String> = shown
                .iter()
                .map(|r| format!("{}: {}", r.month.month, r.month.percent))
                .collect();
            diags.error(
                rows[0].percent_place.clone(),
                format!(
                    "the profile of {programme} totals {} ({}); a programme's months must total exactly 100",
                    total.normalize(),
                    months.join(", ")
                ),
            );
            continue;
        }
        if broken.contains(&programme) {
            continue;
        }
        out.extend(rows.into_iter().map(|r| r.month));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_year_in_progress_holds_actuals_to_unless_it_ends_that_day() {
        let cases: &[(&str, Option<i32>)] = &[
            ("2013-09-30", Some(2013)),
            ("2013-04-01", Some(2013)),
            ("2014-03-30", Some(2013)),
            ("2014-03-31", None), // 2013/14 is over: an actual year
            ("2014-04-01", Some(2014)),
        ];
        for (text, expected) in cases {
            assert_eq!(
                in_progress_year(Some(day(text))).map(|y| y.0),
                *expected,
                "actuals_to {text}"
            );
        }
        assert_eq!(in_progress_year(None), None);
    }

    #[test]
    fn percentages_read() {
        let cases: &[(&str, Option<&str>)] = &[
            ("8.5", Some("8.5")),
            ("8.5%", Some("8.5")),
            ("0", Some("0")),
            ("100", Some("100")),
            ("8.333333333333334", Some("8.333333")),
            ("-1", None),
            ("100.5", None),
            ("ten", None),
        ];
        for (text, expected) in cases {
            let got = parse_percent(text).ok().map(|d| d.to_string());
            assert_eq!(got.as_deref(), *expected, "{text}");
        }
    }
}
