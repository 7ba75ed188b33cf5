//! The year's supplementary invoices and credit notes (SPEC §5) as the summary workbook's
//! `Adjustments` sheet and the year's dashboard show them: each document with its status in
//! words and its totals, issued first, then those to send, and the totals over every line.

use crate::engine::{Document, Results};
use crate::model::DocumentKind;
use crate::money::Money;
use crate::values::Year;

/// One supplementary invoice or credit note, with what its lines add up to.
pub struct Adjustment<'a> {
    pub document: &'a Document,
    /// "issued 2013-11-20", or "to send".
    pub status: String,
    pub before: Money,
    pub now: Money,
    pub difference: Money,
}

/// Every adjustment of a year, and the totals of their lines: before, now, difference.
pub struct YearAdjustments<'a> {
    pub documents: Vec<Adjustment<'a>>,
    pub totals: [Money; 3],
}

pub fn year_adjustments(results: &Results, year: Year) -> YearAdjustments<'_> {
    let documents: Vec<Adjustment> = results
        .documents
        .all()
        .filter(|d| d.year == year && d.kind != DocumentKind::Invoice)
        .map(|d| Adjustment {
            document: d,
            status: d
                .issued_on
                .map_or_else(|| "to send".to_string(), |on| format!("issued {on}")),
            before: d.lines.iter().map(|l| l.before).sum(),
            now: d.lines.iter().map(|l| l.now).sum(),
            difference: d.total(),
        })
        .collect();
    let totals = documents.iter().fold([Money::ZERO; 3], |[b, n, d], a| {
        [b + a.before, n + a.now, d + a.difference]
    });
    YearAdjustments { documents, totals }
}
