//! One year's summary as both `summary.xlsx` and the year's `index.html` show it: who pays
//! (payers), for what (pools), the matrix of parts with its totals, the carry-forward with its
//! one column list, the invoices, the variance, the statements and the balances over the
//! years. Built once from the engine's results; the renderers only lay it out.

use crate::engine::{Allocation, InvoiceLine, Results, Status, VarianceRow, YearEnd, SIK};
use crate::model::Book;
use crate::money::Money;
use crate::report::adjustments::{year_adjustments, YearAdjustments};
use crate::report::monitoring::{monitoring_report, MonitoringReport};
use crate::report::wording::{council_name, programme_title};
use crate::values::Year;
use std::collections::HashMap;

/// The carry-forward's figure columns, in the order every document shows them (the CSV's
/// `carry_forward.csv` has the same columns under machine names).
pub const CARRY_FORWARD_COLUMNS: [&str; 7] = [
    "Opening",
    "Budget",
    "Grants",
    "Guest charges",
    "Member contributions",
    "Actual",
    "Closing",
];

/// A year end's figures in the order of [`CARRY_FORWARD_COLUMNS`].
pub fn carry_forward_values(e: &YearEnd) -> [Money; 7] {
    [
        e.opening,
        e.budget,
        e.grants,
        e.guest_charges,
        e.member_contributions,
        e.actual,
        e.closing,
    ]
}

/// One row of the matrix: a programme, or a support-in-kind pool of one provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pool {
    pub programme: String,
    /// Who holds the budget: the programme's lead, or the pool's provider.
    pub holder: String,
    /// What it is for: the programme's name, or `Support in kind from …`.
    pub title: String,
    /// Its name in the chart's legend: the code, or `SIK` and the provider.
    pub series_name: String,
    /// What each payer bears of it, in the order of [`YearSummary::payers`]; `None` when the
    /// payer takes no part.
    pub parts: Vec<Option<Money>>,
    /// The row's total.
    pub total: Money,
}

/// One programme's year end, as the carry-forward table shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarryForwardRow {
    pub programme: String,
    pub status: &'static str,
    /// In the order of [`CARRY_FORWARD_COLUMNS`].
    pub values: [Money; 7],
}

/// One invoice of the year, its lines together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceSummary {
    pub number: String,
    pub issuer_name: String,
    pub payer_name: String,
    /// Its lines' programmes, in the order of its lines.
    pub programmes: Vec<String>,
    pub amount: Money,
}

/// One council's statement, as the year's page links it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLink {
    pub council: String,
    pub name: String,
    /// What it pays in all: the engine's own figure ([`Results::paid`]).
    pub paid: Money,
}

/// One year of the closing balances over the book's years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceYear {
    pub year: Year,
    /// `actual`, `forecast` or `in progress`.
    pub status: &'static str,
    /// Each programme's closing balance, in the order of [`Balances::programmes`].
    pub closing: Vec<Option<Money>>,
}

/// The closing balance of each programme in every year of the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balances {
    pub programmes: Vec<String>,
    pub years: Vec<BalanceYear>,
}

/// The year's summary.
pub struct YearSummary<'r> {
    pub year: Year,
    /// `actual`, `forecast` or `in progress`.
    pub status: &'static str,
    /// Every council that bears a part of anything in the year, in code order.
    pub payers: Vec<String>,
    /// The matrix's rows, by programme then holder.
    pub pools: Vec<Pool>,
    /// What each payer pays in all ([`Results::paid`]), in the order of `payers`: the
    /// matrix's column totals.
    pub paid: Vec<Money>,
    /// Everything raised from councils in the year: the matrix's grand total.
    pub raised: Money,
    pub carry_forward: Vec<CarryForwardRow>,
    /// The carry-forward's column totals, in the order of [`CARRY_FORWARD_COLUMNS`].
    pub carry_forward_totals: [Money; 7],
    /// The year's invoice lines, by invoice number then programme.
    pub invoice_lines: Vec<InvoiceLine>,
    /// Every invoice line of the year together.
    pub invoiced: Money,
    /// The year's invoices, their lines together.
    pub invoices: Vec<InvoiceSummary>,
    pub variance: Vec<VarianceRow>,
    /// How many variance rows are exceptions.
    pub exceptions: usize,
    /// Every council with a statement in the year (payers and holders), in code order.
    pub statements: Vec<StatementLink>,
    pub balances: Balances,
    /// The monitoring report, when the year is in progress.
    pub monitoring: Option<MonitoringReport>,
    /// The year's supplementary invoices and credit notes.
    pub adjustments: YearAdjustments<'r>,
}

/// The matrix's rows (programme, holder) among `allocations`, sorted.
pub fn pool_keys(allocations: &[Allocation]) -> Vec<(String, String)> {
    let mut pools: Vec<(String, String)> = allocations
        .iter()
        .map(|a| (a.programme.to_string(), a.holder.to_string()))
        .collect();
    pools.sort();
    pools.dedup();
    pools
}

/// Every council bearing a part of something among `allocations`, in code order.
pub fn payer_codes(allocations: &[Allocation]) -> Vec<String> {
    let mut codes: Vec<String> = allocations.iter().map(|a| a.council.to_string()).collect();
    codes.sort();
    codes.dedup();
    codes
}

/// What each of `payers` bears of the pool (`programme`, `holder`) among `allocations`.
pub fn parts_of(
    allocations: &[Allocation],
    pool: (&str, &str),
    payers: &[String],
) -> Vec<Option<Money>> {
    Parts::of(allocations).pool(pool, payers)
}

/// The first part each council bears of each pool among some allocations, looked up by
/// (programme, holder, council): the matrix of a year's pools by its payers is made with one
/// pass over the year's allocations, not one per cell.
struct Parts<'a>(HashMap<(&'a str, &'a str, &'a str), Money>);

impl<'a> Parts<'a> {
    fn of(allocations: &'a [Allocation]) -> Parts<'a> {
        let mut parts = HashMap::with_capacity(allocations.len());
        for a in allocations {
            parts
                .entry((a.programme.as_str(), a.holder.as_str(), a.council.as_str()))
                .or_insert(a.amount);
        }
        Parts(parts)
    }

    /// What each of `payers` bears of the pool (`programme`, `holder`).
    fn pool(&self, (programme, holder): (&str, &str), payers: &[String]) -> Vec<Option<Money>> {
        payers
            .iter()
            .map(|c| self.0.get(&(programme, holder, c.as_str())).copied())
            .collect()
    }
}

/// The year's invoice lines grouped by invoice number (lines of one invoice are adjacent).
fn group_invoices(book: &Book, lines: &[InvoiceLine]) -> Vec<InvoiceSummary> {
    let mut out: Vec<InvoiceSummary> = Vec::new();
    for line in lines {
        match out.last_mut() {
            Some(last) if last.number == line.invoice => {
                last.programmes.push(line.programme.to_string());
                last.amount += line.amount;
            }
            _ => out.push(InvoiceSummary {
                number: line.invoice.to_string(),
                issuer_name: council_name(book, &line.issuer).to_string(),
                payer_name: council_name(book, &line.payer).to_string(),
                programmes: vec![line.programme.to_string()],
                amount: line.amount,
            }),
        }
    }
    out
}

/// `in progress`, `forecast` or `actual`: what the year's figures are.
pub fn status_word(results: &Results, year: Year) -> &'static str {
    let forecast = results
        .year_ends
        .iter()
        .any(|e| e.year == year && e.status == Status::Forecast);
    match (results.in_progress == Some(year), forecast) {
        (true, _) => "in progress",
        (false, true) => "forecast",
        (false, false) => "actual",
    }
}

/// The closing balance of each programme in every year of the book.
pub fn balances(results: &Results) -> Balances {
    let programmes: Vec<String> = results
        .programme_codes()
        .into_iter()
        .map(str::to_string)
        .collect();
    let years = results
        .years
        .iter()
        .map(|&year| BalanceYear {
            year,
            status: status_word(results, year),
            closing: programmes
                .iter()
                .map(|p| {
                    results
                        .year_ends
                        .iter()
                        .find(|e| e.year == year && e.programme == *p)
                        .map(|e| e.closing)
                })
                .collect(),
        })
        .collect();
    Balances { programmes, years }
}

/// What one council paid in each year of the book ([`Results::paid`]), as the top
/// `index.html` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidOverYears {
    pub council: String,
    /// In the order of the book's years; zero in a year it bore nothing.
    pub paid: Vec<Money>,
}

/// Every council that bears a part of anything in any year, in code order, with what it
/// paid in each year.
pub fn paid_over_years(results: &Results) -> Vec<PaidOverYears> {
    payer_codes(&results.allocations)
        .into_iter()
        .map(|council| PaidOverYears {
            paid: results
                .years
                .iter()
                .map(|y| results.paid(*y, &council))
                .collect(),
            council,
        })
        .collect()
}

/// One year of the top `index.html`'s list of packs: what its figures are, and what of the
/// budget cycle and of monitoring its folder holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearPack {
    pub year: Year,
    /// `actual`, `in progress` or `forecast` ([`status_word`]).
    pub status: &'static str,
    /// The day the actuals run to, for the year in progress (it has `monitoring.pdf`).
    pub actuals_to: Option<chrono::NaiveDate>,
    /// Its supplementary invoices and credit notes, and how many of those are still to send.
    pub supplementaries: usize,
    pub credit_notes: usize,
    pub adjustments_to_send: usize,
}

/// Every year of the book, in order, as the top `index.html` lists them.
pub fn year_packs(results: &Results) -> Vec<YearPack> {
    results
        .years
        .iter()
        .map(|&year| {
            let adjustments = year_adjustments(results, year).documents;
            let of_kind = |kind| {
                adjustments
                    .iter()
                    .filter(|a| a.document.kind == kind)
                    .count()
            };
            YearPack {
                year,
                status: status_word(results, year),
                actuals_to: results
                    .actuals_to
                    .filter(|_| results.in_progress == Some(year)),
                supplementaries: of_kind(crate::model::DocumentKind::Supplementary),
                credit_notes: of_kind(crate::model::DocumentKind::CreditNote),
                adjustments_to_send: adjustments
                    .iter()
                    .filter(|a| a.document.issued_on.is_none())
                    .count(),
            }
        })
        .collect()
}

/// The summary of `year`.
pub fn year_summary<'r>(book: &Book, results: &'r Results, year: Year) -> YearSummary<'r> {
    let start = results.allocations.partition_point(|a| a.year < year);
    let end = results.allocations.partition_point(|a| a.year <= year);
    let allocations = &results.allocations[start..end];
    let payers = payer_codes(allocations);
    let parts_index = Parts::of(allocations);
    let pools: Vec<Pool> = pool_keys(allocations)
        .into_iter()
        .map(|(programme, holder)| {
            let parts = parts_index.pool((&programme, &holder), &payers);
            Pool {
                title: programme_title(book, &programme, &holder),
                series_name: if programme == SIK {
                    format!("{SIK} {holder}")
                } else {
                    programme.clone()
                },
                total: parts.iter().flatten().copied().sum(),
                parts,
                programme,
                holder,
            }
        })
        .collect();
    let paid: Vec<Money> = payers.iter().map(|c| results.paid(year, c)).collect();
    let raised = allocations.iter().map(|a| a.amount).sum();
    let carry_forward: Vec<CarryForwardRow> = results
        .year_ends
        .iter()
        .filter(|e| e.year == year)
        .map(|e| CarryForwardRow {
            programme: e.programme.clone(),
            status: e.status.as_str(),
            values: carry_forward_values(e),
        })
        .collect();
    let mut carry_forward_totals = [Money::ZERO; 7];
    for row in &carry_forward {
        for (total, value) in carry_forward_totals.iter_mut().zip(row.values) {
            *total += value;
        }
    }
    let invoice_lines: Vec<InvoiceLine> = results
        .invoices
        .iter()
        .filter(|i| i.year == year)
        .cloned()
        .collect();
    let variance: Vec<VarianceRow> = results
        .variance
        .iter()
        .filter(|v| v.year == year)
        .cloned()
        .collect();
    YearSummary {
        year,
        status: status_word(results, year),
        pools,
        paid,
        raised,
        carry_forward,
        carry_forward_totals,
        invoiced: invoice_lines.iter().map(|i| i.amount).sum(),
        invoices: group_invoices(book, &invoice_lines),
        invoice_lines,
        exceptions: variance.iter().filter(|v| v.exception).count(),
        variance,
        statements: crate::report::statement::councils_in_year(results, year)
            .into_iter()
            .map(|c| StatementLink {
                name: council_name(book, &c).to_string(),
                paid: results.paid(year, &c),
                council: c,
            })
            .collect(),
        balances: balances(results),
        monitoring: monitoring_report(book, results, year),
        adjustments: year_adjustments(results, year),
        payers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CouncilKind;
    use rust_decimal::Decimal;

    fn part(programme: &str, holder: &str, council: &str, pence: i128) -> Allocation {
        Allocation {
            year: crate::values::parse_year("2012/13").unwrap(),
            programme: programme.into(),
            holder: holder.into(),
            council: council.into(),
            kind: CouncilKind::Member,
            days: 365,
            weight: Decimal::ONE,
            amount: Money::from_pence(pence),
        }
    }

    #[test]
    fn the_matrix_has_one_row_per_pool_and_one_column_per_payer() {
        let allocations = [
            part("ADULTS", "EAL", "BRT", 100),
            part("ADULTS", "EAL", "EAL", 200),
            part("SIK", "BRT", "EAL", 30),
            part("SIK", "HRW", "BRT", 40),
            part("SIK", "HRW", "EAL", 50),
        ];
        let payers = payer_codes(&allocations);
        assert_eq!(payers, ["BRT", "EAL"]);
        type Case<'a> = ((&'a str, &'a str), [Option<i128>; 2]);
        let cases: &[Case] = &[
            (("ADULTS", "EAL"), [Some(100), Some(200)]),
            (("SIK", "BRT"), [None, Some(30)]),
            (("SIK", "HRW"), [Some(40), Some(50)]),
            (("SIK", "EAL"), [None, None]),
        ];
        for (pool, expected) in cases {
            let expected: Vec<Option<Money>> =
                expected.iter().map(|p| p.map(Money::from_pence)).collect();
            assert_eq!(parts_of(&allocations, *pool, &payers), expected, "{pool:?}");
        }
        assert_eq!(
            pool_keys(&allocations),
            [
                ("ADULTS".to_string(), "EAL".to_string()),
                ("SIK".into(), "BRT".into()),
                ("SIK".into(), "HRW".into()),
            ]
        );
    }

    #[test]
    fn a_cell_shows_the_first_part_as_a_search_in_order_would() {
        let allocations = [
            part("ADULTS", "EAL", "BRT", 100),
            part("ADULTS", "EAL", "BRT", 999),
            part("ADULTS", "BRT", "BRT", 7),
        ];
        let payers = payer_codes(&allocations);
        let cases: &[((&str, &str), Option<i128>)] = &[
            (("ADULTS", "EAL"), Some(100)),
            (("ADULTS", "BRT"), Some(7)),
            (("ADULTS", "HRW"), None),
        ];
        for (pool, expected) in cases {
            assert_eq!(
                parts_of(&allocations, *pool, &payers),
                [expected.map(Money::from_pence)],
                "{pool:?}"
            );
        }
    }

    #[test]
    fn an_empty_year_has_no_rows_and_no_payers() {
        assert!(pool_keys(&[]).is_empty());
        assert!(payer_codes(&[]).is_empty());
    }
}
