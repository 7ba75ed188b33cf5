//! Cross-table checks: codes that refer to nothing, duplicates, overlapping stints, the notice
//! rule (Accord 7.5), fixed percentages, years outside the book. Each problem is reported at its
//! place and the offending row is left out, so the `Book` that comes out is consistent.

use super::load::{setting_date, setting_number, CouncilRow, ParticipationRow, SettingRow, Tables};
use super::*;
use crate::diag::{quoted, Diagnostics};
use crate::values::{notice_end, parse_code, parse_year};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The code reserved for support-in-kind pools in the outputs.
pub const SIK_CODE: &str = "SIK";

pub(super) fn validate(label: String, t: Tables, diags: &mut Diagnostics) -> Book {
    let councils = councils(t.councils, diags);
    let council_codes: BTreeSet<String> = councils.iter().map(|c| c.code.clone()).collect();
    let known_councils = council_codes.iter().cloned().collect::<Vec<_>>().join(", ");
    let unknown_council = |code: &str, what: &str| {
        format!("{} is not a council of this book ({what}); use one of the councils table's codes: {known_councils}", quoted(code))
    };

    let columns = &t.columns;
    let at = |row: &Place, table, column| columns.cell(row, table, column);
    let mut settings = settings(&t.settings, diags);
    let mut programmes = Vec::new();
    let mut first_place: HashMap<String, Place> = HashMap::new();
    for mut p in t.programmes {
        if let Some(first) = first_place.get(&p.code) {
            diags.error(
                p.place.clone(),
                format!("the programme code {} is used twice (also at {first}); give each programme its own code", p.code),
            );
            continue;
        }
        if p.code == SIK_CODE {
            diags.error(p.place.clone(), "SIK is reserved for support in kind in accord's reports; give this programme another code");
            continue;
        }
        if !council_codes.contains(&p.lead) {
            diags.error(
                at(&p.place, "programmes", "lead"),
                unknown_council(&p.lead, "the lead"),
            );
            continue;
        }
        if p.code == settings.office && p.basis != Basis::Equal {
            diags.warning(
                p.place.clone(),
                format!("the Office ({}) is always shared equally (Accord 7.1); its basis {} is ignored", p.code, p.basis.as_str()),
            );
            p.basis = Basis::Equal;
        }
        first_place.insert(p.code.clone(), p.place.clone());
        programmes.push(p);
    }
    let programme_codes: BTreeSet<String> = programmes.iter().map(|p| p.code.clone()).collect();
    let known_programmes = programme_codes
        .iter()
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let unknown_programme = |code: &str| {
        format!("{} is not a programme of this book; use one of the programmes table's codes: {known_programmes}", quoted(code))
    };
    let book_place = Place::File {
        file: label.clone().into(),
    };
    match programmes.iter().find(|p| p.code == settings.office) {
        Some(office) => {
            if settings.host.is_empty() {
                settings.host = office.lead.clone();
            }
            if office.carry_forward == CarryForward::Settle {
                let place = t.carry_forward_places.get(&office.code).cloned();
                diags.error(
                    place.unwrap_or_else(|| office.place.clone()),
                    format!("the Office ({}) cannot have carry_forward settle: it is shared equally on its budget (Accord 7.1); write apply or hold", office.code),
                );
            }
        }
        None if settings.office.is_empty() => {}
        None => diags.error(
            book_place.clone(),
            format!(
                "the programmes table has no row for the WLA Office ({}); add one (code {}, lead the host council), or name the Office's code in settings as office",
                settings.office, settings.office
            ),
        ),
    }
    if !settings.host.is_empty() && !council_codes.contains(&settings.host) {
        let place = t
            .settings
            .iter()
            .find(|s| s.key == "host")
            .map(|s| s.value_place.clone());
        diags.error(place, unknown_council(&settings.host, "the host"));
    }

    let participation = participation(
        t.participation,
        &councils,
        &programmes,
        &settings,
        columns,
        diags,
    );

    let mut budget = Vec::new();
    for line in t.budget {
        if programme_codes.contains(&line.programme) {
            budget.push(line);
        } else {
            diags.error(
                at(&line.place, "budget", "programme"),
                unknown_programme(&line.programme),
            );
        }
    }
    let years: Vec<Year> = match (
        budget.iter().map(|b| b.year).min(),
        budget.iter().map(|b| b.year).max(),
    ) {
        (Some(first), Some(last)) => (first.0..=last.0).map(Year).collect(),
        _ => {
            diags.error(
                book_place.clone(),
                "the budget table has no lines; a book needs at least one budget line",
            );
            Vec::new()
        }
    };
    settings.actuals_to =
        super::monitoring::check_actuals_to(settings.actuals_to, &years, &t.settings, diags);
    let in_years = |year: Year| years.contains(&year);
    let outside = |year: Year| {
        match (years.first(), years.last()) {
        (Some(first), Some(last)) => format!(
            "{year} is outside the book's years ({first} to {last}, set by the budget table); correct the year or add that year's budget"
        ),
        _ => format!("{year} cannot be checked: the book has no budget"),
    }
    };

    let mut grants = Vec::new();
    for g in t.grants {
        if !programme_codes.contains(&g.programme) {
            diags.error(
                at(&g.place, "grants", "programme"),
                unknown_programme(&g.programme),
            );
        } else if !in_years(g.year) && !years.is_empty() {
            diags.error(at(&g.place, "grants", "year"), outside(g.year));
        } else {
            grants.push(g);
        }
    }
    let mut actuals = Vec::new();
    for (a, year_place) in t.actuals.into_iter().zip(t.actual_year_places) {
        if !programme_codes.contains(&a.programme) {
            diags.error(
                at(&a.place, "actuals", "programme"),
                unknown_programme(&a.programme),
            );
        } else if !in_years(a.year) && !years.is_empty() {
            diags.error(at(&a.place, "actuals", "year"), outside(a.year));
        } else if let Some(m) = super::monitoring::actuals_after(a.year, settings.actuals_to) {
            diags.error(year_place, m);
        } else {
            actuals.push(a);
        }
    }
    let mut support_in_kind = Vec::new();
    for s in t.support_in_kind {
        if !council_codes.contains(&s.provider) {
            diags.error(
                at(&s.place, "support_in_kind", "provider"),
                unknown_council(&s.provider, "the provider"),
            );
        } else if !in_years(s.year) && !years.is_empty() {
            diags.error(at(&s.place, "support_in_kind", "year"), outside(s.year));
        } else {
            support_in_kind.push(s);
        }
    }
    let mut benefits = Vec::new();
    for b in t.benefits {
        if !programme_codes.contains(&b.programme) {
            diags.error(
                at(&b.place, "benefits", "programme"),
                unknown_programme(&b.programme),
            );
        } else if !b.council.is_empty() && !council_codes.contains(&b.council) {
            diags.error(
                at(&b.place, "benefits", "council"),
                unknown_council(&b.council, "the council"),
            );
        } else if !in_years(b.year) && !years.is_empty() {
            diags.error(at(&b.place, "benefits", "year"), outside(b.year));
        } else {
            benefits.push(b);
        }
    }
    let mut balances: Vec<Balance> = Vec::new();
    for b in t.balances {
        if !programme_codes.contains(&b.programme) {
            diags.error(
                at(&b.place, "balances", "programme"),
                unknown_programme(&b.programme),
            );
        } else if years.first().is_some_and(|first| *first != b.year) {
            diags.error(
                at(&b.place, "balances", "year"),
                format!(
                    "balances give the opening balance of the book's first year, {}; {} follows from the years before it, so remove this row or change its year",
                    years[0], b.year
                ),
            );
        } else if let Some(first) = balances.iter().find(|o| o.programme == b.programme) {
            diags.error(
                b.place,
                format!(
                    "{} already has an opening balance (at {}); keep one row per programme",
                    b.programme, first.place
                ),
            );
        } else {
            balances.push(b);
        }
    }
    let mut cost_centres: Vec<CostCentre> = Vec::new();
    for c in t.cost_centres {
        if !programme_codes.contains(&c.programme) {
            diags.error(
                at(&c.place, "cost_centres", "programme"),
                unknown_programme(&c.programme),
            );
            continue;
        }
        match cost_centres.iter().find(|o| o.cost_centre == c.cost_centre) {
            Some(o) if o.programme != c.programme => diags.error(
                c.place,
                format!(
                    "the cost centre {} is mapped to {} here and to {} at {}; a cost centre belongs to one programme",
                    quoted(&c.cost_centre), c.programme, o.programme, o.place
                ),
            ),
            Some(o) => diags.warning(c.place, format!("the cost centre {} is listed twice (also at {}); the repeat is ignored", quoted(&c.cost_centre), o.place)),
            None => cost_centres.push(c),
        }
    }

    let profile = super::monitoring::check_profile(t.profile, &programme_codes, diags);
    let drivers =
        super::drivers::check_rows(t.drivers, &programme_codes, &council_codes, &years, diags);
    let cycle = super::cycle::check(
        t.cycle,
        &super::cycle::Known {
            councils: &council_codes,
            programmes: &programme_codes,
            years: &years,
        },
        diags,
    );
    let book = Book {
        label,
        councils,
        programmes,
        participation,
        budget,
        grants,
        support_in_kind,
        actuals,
        cost_centres,
        balances,
        benefits,
        settings,
        profile,
        drivers,
        years,
        cycle,
        accounts: Vec::new(),
    };
    check_taking_part(&book, diags);
    super::drivers::check_takers(&book, diags);
    book
}

fn councils(rows: Vec<CouncilRow>, diags: &mut Diagnostics) -> Vec<Council> {
    let mut out: Vec<Council> = Vec::new();
    let mut first_place: HashMap<String, Place> = HashMap::new();
    for row in rows {
        if let Some(first) = first_place.get(&row.code) {
            diags.error(
                row.place.clone(),
                format!("the council code {} is used twice (also at {first}); give each council its own code", row.code),
            );
            continue;
        }
        let left = extend_for_notice(
            row.left,
            row.notice_given,
            &row.left_place,
            &row.code,
            "the WLA",
            "left",
            diags,
        );
        if let (Some(joined), Some(left)) = (row.joined, left) {
            if left < joined {
                diags.error(
                    row.left_place.clone(),
                    format!(
                        "{} leaves ({left}) before it joins ({joined}); correct one of the dates",
                        row.code
                    ),
                );
                continue;
            }
        }
        first_place.insert(row.code.clone(), row.place.clone());
        out.push(Council {
            code: row.code,
            name: row.name,
            kind: row.kind,
            membership: DateRange {
                from: row.joined,
                to: left,
            },
            place: row.place,
        });
    }
    out
}

/// Applies Accord 7.5: a council that gives notice on N takes part at least until the day
/// before N + 12 months. An earlier end is extended (with a warning); a blank one is set.
fn extend_for_notice(
    end: Option<NaiveDate>,
    notice: Option<NaiveDate>,
    end_place: &Place,
    council: &str,
    what: &str,
    column: &str,
    diags: &mut Diagnostics,
) -> Option<NaiveDate> {
    let Some(notice) = notice else { return end };
    let earliest = notice_end(notice);
    match end {
        Some(end) if end < earliest => {
            diags.warning(
                end_place.clone(),
                format!(
                    "{council} gave notice on {notice}, so it takes part in {what}, and pays, until {earliest} (twelve months' notice, Accord 7.5), not {end}; {column} is read as {earliest}"
                ),
            );
            Some(earliest)
        }
        Some(end) => Some(end),
        None => Some(earliest),
    }
}

fn participation(
    rows: Vec<ParticipationRow>,
    councils: &[Council],
    programmes: &[Programme],
    settings: &Settings,
    columns: &super::cells::ColumnNumbers,
    diags: &mut Diagnostics,
) -> Vec<Participation> {
    let mut out: Vec<Participation> = Vec::new();
    let mut written: HashMap<(String, String), Vec<(DateRange, Place)>> = HashMap::new();
    for row in rows {
        let Some(council) = councils.iter().find(|c| c.code == row.council) else {
            let known: Vec<&str> = councils.iter().map(|c| c.code.as_str()).collect();
            diags.error(
                columns.cell(&row.place, "participation", "council"),
                format!(
                    "{} is not a council of this book; use one of: {}",
                    quoted(&row.council),
                    known.join(", ")
                ),
            );
            continue;
        };
        let Some(programme) = programmes.iter().find(|p| p.code == row.programme) else {
            let known: Vec<&str> = programmes.iter().map(|p| p.code.as_str()).collect();
            diags.error(
                columns.cell(&row.place, "participation", "programme"),
                format!(
                    "{} is not a programme of this book; use one of: {}",
                    quoted(&row.programme),
                    known.join(", ")
                ),
            );
            continue;
        };
        if programme.code == settings.office {
            match council.kind {
                CouncilKind::Guest => diags.error(
                    row.place,
                    format!("{} is a guest council, and guests are never in the WLA Office (Accord 5.3); remove this row", council.code),
                ),
                CouncilKind::Member => diags.warning(
                    row.place,
                    format!("the Office needs no participation rows: every member is in it while a member; this row for {} is ignored", council.code),
                ),
            }
            continue;
        }
        let what = programme.code.to_string();
        let to = extend_for_notice(
            row.to,
            row.notice_given,
            &row.to_place,
            &council.code,
            &what,
            "to",
            diags,
        );
        let written_range = DateRange { from: row.from, to };
        if let (Some(from), Some(to)) = (row.from, to) {
            if to < from {
                diags.error(
                    row.to_place.clone(),
                    format!("the stint ends ({to}) before it starts ({from}); correct from or to"),
                );
                continue;
            }
        }
        let weight = match (programme.basis, row.weight) {
            (Basis::Equal, Some(_)) => {
                diags.warning(
                    row.weight_place.clone(),
                    format!(
                        "{} is shared equally, so this weight is ignored",
                        programme.code
                    ),
                );
                Decimal::ONE
            }
            (Basis::Equal, None) => Decimal::ONE,
            (Basis::Driver, Some(_)) => {
                diags.warning(
                    row.weight_place.clone(),
                    format!(
                        "{} is shared by the drivers table, so this weight is ignored",
                        programme.code
                    ),
                );
                Decimal::ONE
            }
            (Basis::Driver, None) => Decimal::ONE,
            (Basis::Weighted, Some(w)) if w.is_zero() => {
                diags.error(
                    row.weight_place.clone(),
                    format!("\"0\" is not a weight: a weight must be more than 0 (only a fixed programme's percentage may be 0); remove the row if {} does not take part", council.code),
                );
                continue;
            }
            (Basis::Weighted | Basis::Fixed, Some(w)) => w,
            (Basis::Weighted, None) => {
                diags.error(
                    row.weight_place.clone(),
                    format!(
                        "{} is shared by weight; write {}'s weight here, like 1 or 2.5",
                        programme.code, council.code
                    ),
                );
                continue;
            }
            (Basis::Fixed, None) => {
                diags.error(
                    row.weight_place.clone(),
                    format!(
                        "{} is shared by fixed percentages; write {}'s percentage here, like 25",
                        programme.code, council.code
                    ),
                );
                continue;
            }
        };
        let stints = written
            .entry((row.programme.clone(), row.council.clone()))
            .or_default();
        if let Some((_, other_place)) = stints
            .iter()
            .find(|(range, _)| range.overlaps(written_range))
        {
            diags.error(
                row.place,
                format!(
                    "{} takes part in {} twice over the same days: this row overlaps the one at {other_place}; end one stint before the next starts",
                    council.code, programme.code
                ),
            );
            continue;
        }
        stints.push((written_range, row.place.clone()));
        out.push(Participation {
            programme: row.programme,
            council: row.council,
            range: written_range.intersect(council.membership),
            weight,
            place: row.place,
        });
    }
    out
}

const SETTING_KEYS: [&str; 15] = [
    "office",
    "host",
    "sik_basis",
    "variance_pct",
    "variance_abs",
    "amber_pct",
    "collective_target",
    "collective_target_year",
    "invoice_date",
    "payment_terms_days",
    "ledger_date_column",
    "ledger_cost_centre_column",
    "ledger_amount_column",
    "actuals_to",
    "invoice_note",
];

fn settings(rows: &[SettingRow], diags: &mut Diagnostics) -> Settings {
    let mut s = Settings::default();
    let mut seen: BTreeMap<&str, &Place> = BTreeMap::new();
    for row in rows {
        if !SETTING_KEYS.contains(&row.key.as_str()) {
            diags.warning(
                row.place.clone(),
                format!(
                    "{} is not a setting accord knows; it is ignored (settings: {})",
                    quoted(&row.key),
                    SETTING_KEYS.join(", ")
                ),
            );
            continue;
        }
        if let Some(first) = seen.insert(&row.key, &row.place) {
            diags.error(
                row.place.clone(),
                format!(
                    "the setting {} is given twice (also at {first}); keep one",
                    row.key
                ),
            );
            continue;
        }
        let value = row.value.trim();
        let code = |diags: &mut Diagnostics| {
            parse_code(value)
                .map_err(|m| diags.error(row.value_place.clone(), m))
                .ok()
        };
        match row.key.as_str() {
            // `none`: the book has no Office (SPEC §4); support in kind is then shared over
            // the councils taking part in any programme.
            "office" if value.eq_ignore_ascii_case("none") => s.office = String::new(),
            "office" => s.office = code(diags).unwrap_or(s.office),
            "host" => s.host = code(diags).unwrap_or_default(),
            "sik_basis" => match crate::book::normalise_name(value).as_str() {
                "equal" => s.sik_basis = SikBasis::Equal,
                "proportional" => s.sik_basis = SikBasis::Proportional,
                _ => diags.error(
                    row.value_place.clone(),
                    format!(
                        "{} is not a sik_basis; write equal or proportional",
                        quoted(value)
                    ),
                ),
            },
            "variance_pct" => s.variance_pct = setting_number(row, diags).unwrap_or(s.variance_pct),
            "amber_pct" => s.amber_pct = setting_number(row, diags).unwrap_or(s.amber_pct),
            "variance_abs" | "collective_target" => match crate::money::parse_amount_text(value) {
                Ok(read) if !read.money.is_negative() => {
                    if row.key == "variance_abs" {
                        s.variance_abs = read.money;
                    } else {
                        s.collective_target = Some(read.money);
                    }
                }
                Ok(_) => diags.error(
                    row.value_place.clone(),
                    format!("{} cannot be negative", row.key),
                ),
                Err(m) => diags.error(row.value_place.clone(), m),
            },
            "collective_target_year" => {
                s.collective_target_year = parse_year(value)
                    .map_err(|m| diags.error(row.value_place.clone(), m))
                    .ok()
            }
            "invoice_date" => s.invoice_date = setting_date(row, diags),
            "payment_terms_days" => match value.parse::<u32>() {
                Ok(days) if days <= 3650 => s.payment_terms_days = days,
                _ => diags.error(
                    row.value_place.clone(),
                    format!(
                        "{} is not a number of days; write a whole number like 30",
                        quoted(value)
                    ),
                ),
            },
            "ledger_date_column" => s.ledger_date_column = value.to_string(),
            "ledger_cost_centre_column" => s.ledger_cost_centre_column = value.to_string(),
            "ledger_amount_column" => s.ledger_amount_column = value.to_string(),
            "actuals_to" => s.actuals_to = setting_date(row, diags),
            "invoice_note" => s.invoice_note = (!value.is_empty()).then(|| value.to_string()),
            _ => unreachable!("every key in SETTING_KEYS is handled"),
        }
    }
    s
}

/// Checks that need the days each council takes part: fixed percentages total 100, and every
/// budget has someone taking part in its year.
fn check_taking_part(book: &Book, diags: &mut Diagnostics) {
    let index = TakingPart::new(book);
    for programme in &book.programmes {
        for &year in &book.years {
            let taking_part: Vec<&Council> = book
                .councils
                .iter()
                .filter(|c| index.days(&programme.code, &c.code, year) > 0)
                .collect();
            if taking_part.is_empty() {
                if let Some(line) = book
                    .budget
                    .iter()
                    .find(|b| b.programme == programme.code && b.year == year)
                {
                    diags.error(
                        line.place.clone(),
                        format!(
                            "{} has a budget for {year} but no council takes part in it that year; add participation rows for {year} or remove the budget",
                            programme.code
                        ),
                    );
                }
            }
            if programme.basis == Basis::Fixed && !book.is_office(&programme.code) {
                check_fixed_year(&index, programme, year, &taking_part, diags);
            }
        }
    }
}

fn check_fixed_year(
    index: &TakingPart,
    programme: &Programme,
    year: Year,
    taking_part: &[&Council],
    diags: &mut Diagnostics,
) {
    let stints: Vec<(&str, &Participation)> = taking_part
        .iter()
        .flat_map(|council| {
            index
                .stints(&programme.code, &council.code)
                .iter()
                .filter(|p| p.range.days_in(year) > 0)
                .map(|p| (council.code.as_str(), *p))
        })
        .collect();
    if let Some(day) = super::dated::first_day_not_100(&stints, year) {
        diags.error(
            programme.place.clone(),
            format!(
                "the fixed percentages of {} for {year} total {} on {}, the first day they do not total 100 ({}); on every day, the percentages of the councils taking part that day must total exactly 100",
                programme.code,
                day.total.normalize(),
                day.date,
                day.shown.join(", ")
            ),
        );
    }
}
