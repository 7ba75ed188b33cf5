//! From raw tables to typed rows: each table read against its schema, each field parsed with
//! its place. Cross-table checks live in `validate`.

use super::fields::{Columns, RowReader};
use super::schema::{table_schema, TableSchema};
use super::*;
use crate::book::{normalise_name, RawBook, RawRow};
use crate::diag::Diagnostics;
use crate::values;

/// A `councils` row before the notice rule is applied.
pub(super) struct CouncilRow {
    pub code: String,
    pub name: String,
    pub kind: CouncilKind,
    pub joined: Option<NaiveDate>,
    pub notice_given: Option<NaiveDate>,
    pub left: Option<NaiveDate>,
    pub place: Place,
    pub left_place: Place,
}

/// A `participation` row before the notice rule and membership are applied.
pub(super) struct ParticipationRow {
    pub programme: String,
    pub council: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub notice_given: Option<NaiveDate>,
    pub weight: Option<Decimal>,
    pub place: Place,
    pub to_place: Place,
    pub weight_place: Place,
}

/// A `settings` row.
pub(super) struct SettingRow {
    pub key: String,
    pub value: String,
    pub place: Place,
    pub value_place: Place,
}

/// Every table's typed rows, before cross-table checks.
#[derive(Default)]
pub(super) struct Tables {
    pub councils: Vec<CouncilRow>,
    pub programmes: Vec<Programme>,
    pub participation: Vec<ParticipationRow>,
    pub budget: Vec<BudgetLine>,
    pub grants: Vec<Grant>,
    pub support_in_kind: Vec<SupportInKind>,
    pub actuals: Vec<Actual>,
    /// The place of each `actuals` row's year cell, in the order of `actuals`.
    pub actual_year_places: Vec<Place>,
    pub cost_centres: Vec<CostCentre>,
    pub balances: Vec<Balance>,
    pub benefits: Vec<Benefit>,
    pub settings: Vec<SettingRow>,
    /// Where each column stands, for errors that name a cell.
    pub columns: super::cells::ColumnNumbers,
    pub profile: Vec<super::monitoring::ProfileRow>,
    pub drivers: Vec<Driver>,
    /// Where each programme's carry_forward is written (for `settle` on the Office).
    pub carry_forward_places: std::collections::HashMap<String, Place>,
    pub cycle: super::cycle::CycleRows,
}

/// Reads every table of a book into typed rows (rows with problems are left out), with every
/// problem found; the cross-table checks come after, in `validate`.
pub(super) fn read_tables(raw: &RawBook) -> (Tables, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut tables = Tables::default();
    read_table(raw, "councils", &mut diags, |r| {
        let code = r.code("code", true);
        let name = r.required_text("name", "London Borough of Harrow");
        let kind = r.choice(
            "kind",
            &[
                ("member", CouncilKind::Member),
                ("guest", CouncilKind::Guest),
            ],
            CouncilKind::Member,
        );
        let joined = r.date("joined");
        let notice_given = r.date("notice_given");
        let left = r.date("left");
        let payables = super::cycle::Payables {
            address: r.text("address"),
            remittance: r.text("remittance"),
            contact: r.text("contact"),
        };
        if let (Some(code), true) = (&code, r.ok) {
            tables.cycle.payables.push((code.clone(), payables));
        }
        let row = CouncilRow {
            code: code.unwrap_or_default(),
            name,
            kind,
            joined,
            notice_given,
            left,
            place: r.place(),
            left_place: r.place_of("left"),
        };
        r.ok.then(|| tables.councils.push(row));
    });
    read_table(raw, "programmes", &mut diags, |r| {
        let code = r.code("code", true);
        let name = r.required_text("name", "Adult Care Services");
        let lead = r.code("lead", true);
        let basis = r.choice(
            "basis",
            &[
                ("equal", Basis::Equal),
                ("weighted", Basis::Weighted),
                ("fixed", Basis::Fixed),
                ("driver", Basis::Driver),
            ],
            Basis::Equal,
        );
        let carry_forward = r.choice(
            "carry_forward",
            &[
                ("apply", CarryForward::Apply),
                ("hold", CarryForward::Hold),
                ("settle", CarryForward::Settle),
            ],
            CarryForward::Apply,
        );
        if let (Some(code), Some(lead), true) = (code, lead, r.ok) {
            tables
                .carry_forward_places
                .entry(code.clone())
                .or_insert_with(|| r.place_of("carry_forward"));
            tables.programmes.push(Programme {
                code,
                name,
                lead,
                basis,
                carry_forward,
                place: r.place(),
            });
        }
    });
    read_table(raw, "participation", &mut diags, |r| {
        let programme = r.code("programme", true);
        let council = r.code("council", true);
        let from = r.date("from");
        let to = r.date("to");
        let notice_given = r.date("notice_given");
        // 0 is read here and refused later unless the programme is `fixed` (SPEC §4).
        let weight = r.non_negative("weight", "weight or percentage", "1, 2.5 or 26");
        if let (Some(programme), Some(council), true) = (programme, council, r.ok) {
            tables.participation.push(ParticipationRow {
                programme,
                council,
                from,
                to,
                notice_given,
                weight,
                place: r.place(),
                to_place: r.place_of("to"),
                weight_place: r.place_of("weight"),
            });
        }
    });
    read_table(raw, "budget", &mut diags, |r| {
        let year = r.year("year");
        let programme = r.code("programme", true);
        let line = r.required_text("line", "Office staff");
        let category = r.text("category").unwrap_or_default();
        let amount = r.amount("amount");
        if let (Some(year), Some(programme), Some(amount), true) = (year, programme, amount, r.ok) {
            tables.budget.push(BudgetLine {
                year,
                programme,
                line,
                category,
                amount,
                place: r.place(),
            });
        }
    });
    read_table(raw, "grants", &mut diags, |r| {
        let year = r.year("year");
        let programme = r.code("programme", true);
        let source = r.required_text("source", "Capital Ambition");
        let amount = r.amount("amount");
        if let (Some(year), Some(programme), Some(amount), true) = (year, programme, amount, r.ok) {
            tables.grants.push(Grant {
                year,
                programme,
                source,
                amount,
                place: r.place(),
            });
        }
    });
    read_table(raw, "support_in_kind", &mut diags, |r| {
        let year = r.year("year");
        let provider = r.code("provider", true);
        let category = r.required_text("category", "accommodation");
        let amount = r.amount("amount");
        if let (Some(year), Some(provider), Some(amount), true) = (year, provider, amount, r.ok) {
            tables.support_in_kind.push(SupportInKind {
                year,
                provider,
                category,
                amount,
                place: r.place(),
            });
        }
    });
    read_table(raw, "actuals", &mut diags, |r| {
        let year = r.year("year");
        let programme = r.code("programme", true);
        let category = r.text("category").unwrap_or_default();
        let amount = r.amount("amount");
        if let (Some(year), Some(programme), Some(amount), true) = (year, programme, amount, r.ok) {
            tables.actuals.push(Actual {
                year,
                programme,
                category,
                amount,
                place: r.place(),
            });
            tables.actual_year_places.push(r.place_of("year"));
        }
    });
    read_table(raw, "cost_centres", &mut diags, |r| {
        let cost_centre = r.required_text("cost_centre", "WLA Office Staff");
        let programme = r.code("programme", true);
        if let (Some(programme), true) = (programme, r.ok) {
            tables.cost_centres.push(CostCentre {
                cost_centre,
                programme,
                place: r.place(),
            });
        }
    });
    read_table(raw, "balances", &mut diags, |r| {
        let programme = r.code("programme", true);
        let year = r.year("year");
        let opening = r.amount("opening");
        if let (Some(programme), Some(year), Some(opening), true) = (programme, year, opening, r.ok)
        {
            tables.balances.push(Balance {
                programme,
                year,
                opening,
                place: r.place(),
            });
        }
    });
    read_table(raw, "benefits", &mut diags, |r| {
        let year = r.year("year");
        let programme = r.code("programme", false);
        let council = r.code("council", false);
        if programme.is_none() && r.ok {
            let place = r.place_of("programme");
            let message = if council.is_none() {
                "this row names neither a programme nor a council; write the programme's code, like ADULTS (leave council blank for savings of the programme as a whole)"
            } else {
                "programme is empty; savings belong to a programme: write its code, like ADULTS"
            };
            r.diags.error(place, message);
            r.ok = false;
        }
        let benefit_type = r.choice(
            "type",
            &[
                ("cashable", BenefitType::Cashable),
                ("non_cashable", BenefitType::NonCashable),
                ("cost_avoidance", BenefitType::CostAvoidance),
            ],
            BenefitType::Cashable,
        );
        if r.text("type").is_none() && r.ok {
            let place = r.place_of("type");
            r.diags.error(
                place,
                "type is empty; write one of: cashable, non_cashable, cost_avoidance",
            );
            r.ok = false;
        }
        // A blank target is no target (status `none`, SPEC §4).
        let target = r.text("target").and_then(|_| r.amount("target"));
        let achieved = r.amount("achieved");
        if let (Some(year), Some(programme), Some(achieved), true) =
            (year, programme, achieved, r.ok)
        {
            tables.benefits.push(Benefit {
                year,
                programme,
                council: council.unwrap_or_default(),
                benefit_type,
                target,
                achieved,
                place: r.place(),
            });
        }
    });
    read_table(raw, "settings", &mut diags, |r| {
        let key = r.required_text("key", "office");
        let value = r.text("value").unwrap_or_default();
        if r.ok {
            tables.settings.push(SettingRow {
                key: normalise_name(&key),
                value,
                place: r.place(),
                value_place: r.place_of("value"),
            });
        }
    });
    read_table(raw, "profile", &mut diags, |r| {
        if let Some(row) = super::monitoring::read_profile_row(r) {
            tables.profile.push(row);
        }
    });
    read_table(raw, "drivers", &mut diags, |r| {
        let year = r.year("year");
        let programme = r.code("programme", true);
        let council = r.code("council", true);
        let value = r.non_negative("value", "driver value", "2125 or 60924");
        if value.is_none() && r.ok {
            let place = r.place_of("value");
            r.diags.error(
                place,
                "value is empty; write the council's driver value, like 2125",
            );
            r.ok = false;
        }
        if let (Some(year), Some(programme), Some(council), Some(value), true) =
            (year, programme, council, value, r.ok)
        {
            tables.drivers.push(Driver {
                year,
                programme,
                council,
                value,
                place: r.place(),
            });
        }
    });
    super::cycle::read(raw, &mut diags, &mut tables.cycle);
    tables.columns = super::cells::ColumnNumbers::of(raw);
    (tables, diags)
}

/// Reads every row of one table with `read_row`; reports a missing required table.
pub(super) fn read_table(
    raw: &RawBook,
    name: &str,
    diags: &mut Diagnostics,
    mut read_row: impl FnMut(&mut RowReader<'_>),
) {
    let schema: &TableSchema = table_schema(name).expect("every table has a schema");
    let Some(table) = raw.table(name) else {
        if schema.required {
            diags.error(
                Place::File {
                    file: raw.label.clone().into(),
                },
                format!(
                    "the book has no {name} table; add a sheet (or a {name}.csv file) named {name} with columns {}",
                    schema.column_names().join(", ")
                ),
            );
        }
        return;
    };
    let Some(columns) = Columns::match_header(table, schema, diags) else {
        return;
    };
    for row in &table.rows {
        read_one(row, &columns, diags, &mut read_row);
    }
}

fn read_one(
    row: &RawRow,
    columns: &Columns,
    diags: &mut Diagnostics,
    read_row: &mut impl FnMut(&mut RowReader<'_>),
) {
    let mut reader = RowReader::new(row, columns, diags);
    read_row(&mut reader);
}

/// Reads a settings value of a given form, or reports it.
pub(super) fn setting_number(
    row: &SettingRow,
    diags: &mut Diagnostics,
) -> Option<rust_decimal::Decimal> {
    let text = row.value.trim().trim_end_matches('%').trim();
    match rust_decimal::Decimal::from_str_exact(text) {
        Ok(n) if n >= rust_decimal::Decimal::ZERO => Some(n),
        _ => {
            diags.error(
                row.value_place.clone(),
                format!(
                    "{} is not a valid {}; write a number like 5",
                    crate::diag::quoted(&row.value),
                    row.key
                ),
            );
            None
        }
    }
}

/// Reads a settings date.
pub(super) fn setting_date(row: &SettingRow, diags: &mut Diagnostics) -> Option<NaiveDate> {
    values::parse_date_text(&row.value)
        .map_err(|m| diags.error(row.value_place.clone(), m))
        .ok()
}
