//! `--what-if`: a change to a book written on the command line (`leave:HRW:2014-06-01`), made
//! as the rows it means in the book's raw tables, exactly as a person would edit the book by
//! hand, and then read and checked like any book. So comparing with a change is comparing
//! with the edited book, and every rule of §2 (the notice rule, the membership cut, fixed
//! percentages totalling 100) applies to the changed book as to any other.

use crate::book::{normalise_name, Cell, CellValue, RawBook, RawRow, RawTable};
use crate::diag::Place;
use crate::model::{load_book, Basis, Book, CouncilKind};
use crate::money::Money;
use crate::values::{notice_end, parse_code, parse_date_text, parse_year, Year};
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

/// One change, as parsed from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `leave:COUNCIL:DATE`: notice to leave the WLA.
    Leave { council: String, notice: NaiveDate },
    /// `leave:COUNCIL:PROGRAMME:DATE`: notice to leave a programme.
    LeaveProgramme {
        council: String,
        programme: String,
        notice: NaiveDate,
    },
    /// `join:COUNCIL:DATE[:NAME]`: a member from DATE.
    Join {
        council: String,
        from: NaiveDate,
        name: Option<String>,
    },
    /// `join:COUNCIL:PROGRAMME:DATE`: takes part in a programme from DATE.
    JoinProgramme {
        council: String,
        programme: String,
        from: NaiveDate,
    },
    /// `budget:PROGRAMME:YEAR:PCT`: every budget line of PROGRAMME in YEAR and later scaled.
    Budget {
        programme: String,
        year: Year,
        percent: Decimal,
    },
}

const FORMS: &str = "leave:COUNCIL:DATE, leave:COUNCIL:PROGRAMME:DATE, join:COUNCIL:DATE[:NAME], join:COUNCIL:PROGRAMME:DATE or budget:PROGRAMME:YEAR:PCT";

impl Change {
    /// Reads one `--what-if` value; the error says what is wrong and the forms accepted.
    pub fn parse(text: &str) -> Result<Change, String> {
        let parts: Vec<&str> = text.split(':').map(str::trim).collect();
        let code = |s: &str| parse_code(s).map_err(|m| format!("what-if {text}: {m}"));
        let day = |s: &str| parse_date_text(s).map_err(|m| format!("what-if {text}: {m}"));
        match parts.as_slice() {
            ["leave", council, date] => Ok(Change::Leave {
                council: code(council)?,
                notice: day(date)?,
            }),
            ["leave", council, programme, date] => Ok(Change::LeaveProgramme {
                council: code(council)?,
                programme: code(programme)?,
                notice: day(date)?,
            }),
            ["join", council, date] => Ok(Change::Join {
                council: code(council)?,
                from: day(date)?,
                name: None,
            }),
            ["join", council, third, rest @ ..] if parse_date_text(third).is_ok() => {
                let name = rest.join(":");
                Ok(Change::Join {
                    council: code(council)?,
                    from: day(third)?,
                    name: (!name.is_empty()).then_some(name),
                })
            }
            ["join", council, programme, date] => Ok(Change::JoinProgramme {
                council: code(council)?,
                programme: code(programme)?,
                from: day(date)?,
            }),
            ["budget", programme, year, percent] => Ok(Change::Budget {
                programme: code(programme)?,
                year: parse_year(year).map_err(|m| format!("what-if {text}: {m}"))?,
                percent: parse_percent(percent)
                    .ok_or_else(|| format!("what-if {text}: {percent:?} is not a percentage; write it like +5 or -12.5"))?,
            }),
            _ => Err(format!(
                "what-if {text}: not a change accord knows; write one of {FORMS}"
            )),
        }
    }
}

fn parse_percent(text: &str) -> Option<Decimal> {
    let s = text.trim().trim_end_matches('%');
    let s = s.strip_prefix('+').unwrap_or(s);
    Decimal::from_str_exact(s).ok()
}

/// `amount × (100 + percent) / 100`, rounded half away from zero to pence.
pub fn scaled(amount: Money, percent: Decimal) -> Money {
    let pence = Decimal::from_i128_with_scale(amount.pence(), 0);
    let scaled = (pence * (Decimal::ONE_HUNDRED + percent) / Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    Money::from_pence(
        rust_decimal::prelude::ToPrimitive::to_i128(&scaled)
            .expect("a scaled amount of pence is a whole number in range"),
    )
}

/// The place of a row or cell a change writes: `what-if:N`, numbered so that a later change
/// can find a row an earlier one wrote (`changes.csv` shows each as `what-if`).
pub fn what_if_place() -> Place {
    static WRITTEN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);
    Place::Csv {
        file: "what-if".into(),
        line_number: WRITTEN.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        column_number: None,
    }
}

fn optional_date(date: Option<NaiveDate>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

/// A council stops taking part in fixed programme `programme` after `last_day`: from the next
/// day, in each year it took part in, the percentages of the councils that remain are shared
/// again over them in proportion, so they total 100 on every day as §4 requires (100% split in
/// millionths by the one splitting function, so the shares add up exactly). Each remaining
/// stint is cut at `last_day` and at the year boundaries where its percentage changes.
fn reshare_fixed(
    raw: &mut RawBook,
    book: &Book,
    council: &str,
    programme: &crate::model::Programme,
    last_day: NaiveDate,
) {
    if programme.basis != Basis::Fixed || book.is_office(&programme.code) {
        return;
    }
    let code = programme.code.as_str();
    let index = crate::model::TakingPart::new(book);
    let mut new_share: std::collections::BTreeMap<(String, Year), Decimal> = Default::default();
    for &year in &book.years {
        if year.last_day() <= last_day || index.days(code, council, year) == 0 {
            continue;
        }
        let shares: Vec<(String, Decimal)> = book
            .councils
            .iter()
            .filter(|c| c.code != council && index.days(code, &c.code, year) > 0)
            .filter_map(|c| {
                index
                    .stints(code, &c.code)
                    .iter()
                    .find(|p| p.range.days_in(year) > 0)
                    .map(|p| (c.code.clone(), p.weight))
            })
            .collect();
        if shares.is_empty() || shares.iter().all(|(_, w)| w.is_zero()) {
            continue;
        }
        let millionths = crate::engine::split::split(Money::from_pence(100_000_000), &shares);
        for (other, part) in millionths {
            let share = Decimal::from_i128_with_scale(part.pence(), 6).normalize();
            new_share.insert((other, year), share);
        }
    }
    if new_share.is_empty() {
        return;
    }
    let stints: Vec<&crate::model::Participation> = book
        .participation
        .iter()
        .filter(|p| p.programme == code && p.council != council)
        .collect();
    let participation = table(raw, "participation");
    for stint in stints {
        // The stint cut into runs of years with the same percentage.
        let mut runs: Vec<(Option<NaiveDate>, Option<NaiveDate>, Decimal)> = Vec::new();
        for &year in &book.years {
            if stint.range.days_in(year) == 0 {
                continue;
            }
            // The year in one piece, or in two when the council leaves inside it: before
            // and after its last day.
            let cut = last_day.succ_opt().expect("a date before 2200");
            let pieces = if year.first_day() < cut && cut <= year.last_day() {
                vec![
                    (year.first_day(), last_day, false),
                    (cut, year.last_day(), true),
                ]
            } else {
                vec![(year.first_day(), year.last_day(), cut <= year.first_day())]
            };
            for (piece_start, piece_end, after) in pieces {
                let start = stint.range.from.map_or(piece_start, |f| f.max(piece_start));
                let end = stint.range.to.map_or(piece_end, |t| t.min(piece_end));
                if start > end {
                    continue;
                }
                let share = if after {
                    new_share
                        .get(&(stint.council.clone(), year))
                        .copied()
                        .unwrap_or(stint.weight)
                } else {
                    stint.weight
                };
                match runs.last_mut() {
                    Some(run) if run.2 == share => run.1 = Some(end),
                    _ => runs.push((Some(start), Some(end), share)),
                }
            }
        }
        if runs.iter().all(|r| r.2 == stint.weight) {
            continue;
        }
        if let Some(first) = runs.first_mut() {
            first.0 = stint.range.from;
        }
        if let Some(last) = runs.last_mut() {
            last.1 = stint.range.to;
        }
        let (from, to, share) = runs[0];
        set(
            participation,
            &stint.place,
            &[
                ("from", &optional_date(from)),
                ("to", &optional_date(to)),
                ("notice_given", ""),
                ("weight", &share.to_string()),
            ],
        );
        for (from, to, share) in &runs[1..] {
            add_row(
                participation,
                &[
                    ("programme", code),
                    ("council", &stint.council),
                    ("from", &optional_date(*from)),
                    ("to", &optional_date(*to)),
                    ("weight", &share.to_string()),
                ],
            );
        }
    }
}

fn text_cell(text: &str) -> Cell {
    Cell {
        value: if text.is_empty() {
            CellValue::Empty
        } else {
            CellValue::Text(text.to_string())
        },
        place: what_if_place(),
    }
}

/// The index of a column, added (empty in every row) when the table has none.
fn column(table: &mut RawTable, name: &str) -> usize {
    let found = table.headers.iter().position(|h| match &h.value {
        CellValue::Text(t) => normalise_name(t) == name,
        _ => false,
    });
    if let Some(index) = found {
        return index;
    }
    table.headers.push(text_cell(name));
    let width = table.headers.len();
    for row in &mut table.rows {
        while row.cells.len() < width {
            row.cells.push(Cell {
                value: CellValue::Empty,
                place: row.place.clone(),
            });
        }
    }
    width - 1
}

fn set(table: &mut RawTable, row_place: &Place, values: &[(&str, &str)]) {
    let indices: Vec<usize> = values.iter().map(|(name, _)| column(table, name)).collect();
    let row = table
        .rows
        .iter_mut()
        .find(|r| &r.place == row_place)
        .expect("the model's rows are the raw book's rows");
    for (index, (_, text)) in indices.into_iter().zip(values) {
        row.cells[index] = text_cell(text);
    }
    row.place = what_if_place();
}

fn add_row(table: &mut RawTable, values: &[(&str, &str)]) {
    let indices: Vec<usize> = values.iter().map(|(name, _)| column(table, name)).collect();
    let mut cells: Vec<Cell> = (0..table.headers.len()).map(|_| text_cell("")).collect();
    for (index, (_, value)) in indices.into_iter().zip(values) {
        cells[index] = text_cell(value);
    }
    table.rows.push(RawRow {
        place: what_if_place(),
        cells,
    });
}

fn table<'a>(raw: &'a mut RawBook, name: &str) -> &'a mut RawTable {
    if raw.table(name).is_none() {
        raw.tables.push(RawTable {
            name: name.into(),
            place: what_if_place(),
            headers: Vec::new(),
            rows: Vec::new(),
        });
    }
    raw.tables
        .iter_mut()
        .find(|t| t.name == name)
        .expect("just made sure the table exists")
}

fn inside_book(book: &Book, date: NaiveDate) -> Result<(), String> {
    match (book.years.first(), book.years.last()) {
        (Some(first), Some(last)) if date >= first.first_day() && date <= last.last_day() => Ok(()),
        (Some(first), Some(last)) => Err(format!(
            "{date} is outside the book's years ({first} to {last}, {} to {})",
            first.first_day(),
            last.last_day()
        )),
        _ => Err("the book has no years".into()),
    }
}

fn council_of<'a>(book: &'a Book, code: &str) -> Result<&'a crate::model::Council, String> {
    book.council(code).ok_or_else(|| {
        let codes: Vec<&str> = book.councils.iter().map(|c| c.code.as_str()).collect();
        format!(
            "{code} is not a council of the book (councils: {})",
            codes.join(", ")
        )
    })
}

fn programme_of<'a>(book: &'a Book, code: &str) -> Result<&'a crate::model::Programme, String> {
    book.programme(code).ok_or_else(|| {
        let codes: Vec<&str> = book.programmes.iter().map(|p| p.code.as_str()).collect();
        format!(
            "{code} is not a programme of the book (programmes: {})",
            codes.join(", ")
        )
    })
}

fn covers(range: crate::model::DateRange, date: NaiveDate) -> bool {
    range.from.is_none_or(|f| f <= date) && range.to.is_none_or(|t| t >= date)
}

/// Makes one change in `raw`, whose checked form is `book`.
fn apply_one(raw: &mut RawBook, book: &Book, change: &Change) -> Result<(), String> {
    match change {
        Change::Leave { council, notice } => {
            let c = council_of(book, council)?;
            inside_book(book, *notice)?;
            if c.membership.to.is_some_and(|t| t < *notice) {
                return Err(format!(
                    "{council} has left by {notice} (its membership ends {})",
                    date_text(c.membership.to)
                ));
            }
            if c.membership.from.is_some_and(|f| f > *notice) {
                return Err(format!(
                    "{council} is not a member on {notice} (it joins {})",
                    date_text(c.membership.from)
                ));
            }
            let place = c.place.clone();
            let councils = table(raw, "councils");
            set(
                councils,
                &place,
                &[
                    ("notice_given", &notice.to_string()),
                    ("left", &notice_end(*notice).to_string()),
                ],
            );
            for programme in &book.programmes {
                reshare_fixed(raw, book, council, programme, notice_end(*notice));
            }
            Ok(())
        }
        Change::LeaveProgramme {
            council,
            programme,
            notice,
        } => {
            council_of(book, council)?;
            let programme_row = programme_of(book, programme)?;
            inside_book(book, *notice)?;
            if book.is_office(programme) {
                return Err(format!(
                    "{programme} is the WLA Office: a member leaves it by leaving the WLA; write leave:{council}:{notice}"
                ));
            }
            let end = notice_end(*notice);
            let stints: Vec<&crate::model::Participation> = book
                .participation
                .iter()
                .filter(|p| &p.programme == programme && &p.council == council)
                .collect();
            if !stints.iter().any(|p| covers(p.range, *notice)) {
                return Err(format!(
                    "{council} does not take part in {programme} on {notice}, so it cannot give notice then"
                ));
            }
            let participation = table(raw, "participation");
            for stint in stints {
                let starts_after_end = stint.range.from.is_some_and(|f| f > end);
                if starts_after_end {
                    participation.rows.retain(|r| r.place != stint.place);
                } else if covers(stint.range, *notice) {
                    set(
                        participation,
                        &stint.place,
                        &[
                            ("notice_given", &notice.to_string()),
                            ("to", &end.to_string()),
                        ],
                    );
                } else if stint.range.from.is_some_and(|f| f > *notice)
                    && stint.range.to.is_none_or(|t| t > end)
                {
                    set(participation, &stint.place, &[("to", &end.to_string())]);
                }
            }
            reshare_fixed(raw, book, council, programme_row, end);
            Ok(())
        }
        Change::Join {
            council,
            from,
            name,
        } => {
            inside_book(book, *from)?;
            match book.council(council) {
                Some(c) if c.kind == CouncilKind::Guest => Err(format!(
                    "{council} is a guest of the WLA; to make it a member, change its kind in the councils table"
                )),
                Some(c) if c.membership.from.is_none_or(|f| f <= *from) => {
                    Err(match c.membership.to {
                        Some(t) if t < *from => format!(
                            "{council} left on {t}; accord keeps one membership per council, so write its return into the book"
                        ),
                        _ => format!("{council} is a member on {from} already"),
                    })
                }
                Some(c) => {
                    let place = c.place.clone();
                    set(
                        table(raw, "councils"),
                        &place,
                        &[("joined", &from.to_string())],
                    );
                    Ok(())
                }
                None => {
                    let Some(name) = name else {
                        return Err(format!(
                            "{council} is not a council of the book; a new council needs its name: join:{council}:{from}:NAME"
                        ));
                    };
                    add_row(
                        table(raw, "councils"),
                        &[
                            ("code", council),
                            ("name", name),
                            ("kind", "member"),
                            ("joined", &from.to_string()),
                        ],
                    );
                    Ok(())
                }
            }
        }
        Change::JoinProgramme {
            council,
            programme,
            from,
        } => {
            council_of(book, council)?;
            let p = programme_of(book, programme)?;
            inside_book(book, *from)?;
            if book.is_office(programme) {
                return Err(format!(
                    "{programme} is the WLA Office: a council takes part in it by joining the WLA; write join:{council}:{from}"
                ));
            }
            let weight = match p.basis {
                Basis::Equal => "",
                Basis::Weighted => "1",
                other => {
                    return Err(format!(
                        "{programme} is a {} programme: its shares must be written into the book, so join is refused",
                        other.as_str()
                    ))
                }
            };
            if let Some(stint) = book.participation.iter().find(|s| {
                &s.programme == programme
                    && &s.council == council
                    && s.range.to.is_none_or(|t| t >= *from)
            }) {
                return Err(format!(
                    "{council} takes part in {programme} on or after {from} already ({})",
                    stint.place
                ));
            }
            add_row(
                table(raw, "participation"),
                &[
                    ("programme", programme),
                    ("council", council),
                    ("from", &from.to_string()),
                    ("weight", weight),
                ],
            );
            Ok(())
        }
        Change::Budget {
            programme,
            year,
            percent,
        } => {
            programme_of(book, programme)?;
            if !book.years.contains(year) {
                return Err(format!(
                    "{year} is outside the book's years ({} to {})",
                    book.years
                        .first()
                        .map(|y| y.to_string())
                        .unwrap_or_default(),
                    book.years.last().map(|y| y.to_string()).unwrap_or_default()
                ));
            }
            if *percent < -Decimal::ONE_HUNDRED {
                return Err(format!(
                    "{percent}% would make the budget negative; the most a budget can fall is -100"
                ));
            }
            let lines: Vec<(Place, Money)> = book
                .budget
                .iter()
                .filter(|b| &b.programme == programme && b.year >= *year)
                .map(|b| (b.place.clone(), scaled(b.amount, *percent)))
                .collect();
            if lines.is_empty() {
                return Err(format!(
                    "{programme} has no budget lines in {year} or later"
                ));
            }
            let budget = table(raw, "budget");
            for (place, amount) in lines {
                set(budget, &place, &[("amount", &amount.to_string())]);
            }
            Ok(())
        }
    }
}

fn date_text(date: Option<NaiveDate>) -> String {
    date.map_or_else(|| "never".into(), |d| d.to_string())
}

/// Makes every change in turn, each checked against the book as the changes before it left
/// it. An error names the change (as written) and says why it cannot apply.
pub fn apply(
    raw: &RawBook,
    book: &Book,
    changes: &[(String, Change)],
) -> Result<Book, Vec<String>> {
    let mut raw = raw.clone();
    let mut book = book.clone();
    for (text, change) in changes {
        apply_one(&mut raw, &book, change).map_err(|m| vec![format!("what-if {text}: {m}")])?;
        let (changed, diags) = load_book(&raw);
        if diags.has_errors() {
            return Err(diags
                .errors()
                .map(|d| format!("what-if {text}: the changed book is not valid: {d}"))
                .collect());
        }
        book = changed;
    }
    Ok(book)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_read_from_the_command_line() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let cases: &[(&str, Change)] = &[
            (
                "leave:HRW:2014-06-01",
                Change::Leave {
                    council: "HRW".into(),
                    notice: d(2014, 6, 1),
                },
            ),
            (
                "leave:HRW:ADULTS:01/06/2014",
                Change::LeaveProgramme {
                    council: "HRW".into(),
                    programme: "ADULTS".into(),
                    notice: d(2014, 6, 1),
                },
            ),
            (
                "join:KIN:2015-04-01:Royal Borough of Kingston",
                Change::Join {
                    council: "KIN".into(),
                    from: d(2015, 4, 1),
                    name: Some("Royal Borough of Kingston".into()),
                },
            ),
            (
                "join:HRW:2015-04-01",
                Change::Join {
                    council: "HRW".into(),
                    from: d(2015, 4, 1),
                    name: None,
                },
            ),
            (
                "join:KIN:ADULTS:2015-04-01",
                Change::JoinProgramme {
                    council: "KIN".into(),
                    programme: "ADULTS".into(),
                    from: d(2015, 4, 1),
                },
            ),
            (
                "budget:ADULTS:2015/16:+5",
                Change::Budget {
                    programme: "ADULTS".into(),
                    year: Year(2015),
                    percent: Decimal::from(5),
                },
            ),
            (
                "budget:ADULTS:2015-16:-12.5",
                Change::Budget {
                    programme: "ADULTS".into(),
                    year: Year(2015),
                    percent: Decimal::new(-125, 1),
                },
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(&Change::parse(text).unwrap(), expected, "{text}");
        }
        for bad in [
            "leave",
            "stay:HRW:2014-06-01",
            "leave:hrw:2014-06-01",
            "leave:HRW:June",
            "budget:ADULTS:2015/16:five",
            "join:KIN:ADULTS:2015-04-01:extra",
        ] {
            let message = Change::parse(bad).unwrap_err();
            assert!(message.starts_with(&format!("what-if {bad}:")), "{message}");
        }
    }

    #[test]
    fn budget_lines_scale_half_away_from_zero() {
        let cases: &[(i128, Decimal, i128)] = &[
            (10_000, Decimal::from(5), 10_500),
            (10_000, Decimal::new(-125, 1), 8_750),
            // 0.05 × 1.5 = 0.075: half a penny, away from zero.
            (5, Decimal::from(50), 8),
            (-5, Decimal::from(50), -8),
            (3, Decimal::new(1, 1), 3),
            (12_345, Decimal::from(-100), 0),
        ];
        for (pence, percent, expected) in cases {
            assert_eq!(
                scaled(Money::from_pence(*pence), *percent).pence(),
                *expected,
                "{pence} by {percent}%"
            );
        }
    }
}
