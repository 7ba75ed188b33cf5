//! Who invoices whom (Accord 7.3, report 2.13): the holder of each budget or pool invoices every
//! other council for its part, one invoice per year, issuer and payer, one line per programme
//! or pool. A holder's own part is not invoiced (it shows on its statement), and neither is a
//! zero line or an invoice that totals zero.

use super::{Allocation, Code};
use crate::money::Money;
use crate::values::Year;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    /// `WLA/2012-13/EAL/HRW`.
    pub invoice: Code,
    pub year: Year,
    pub issuer: Code,
    pub payer: Code,
    /// A programme code, or `SIK`.
    pub programme: Code,
    pub amount: Money,
}

/// `WLA/2012-13/EAL/HRW`: the number of the invoice of `year` from `issuer` to `payer`.
pub fn invoice_number(year: Year, issuer: &str, payer: &str) -> String {
    invoice_code(year, issuer, payer).to_string()
}

/// [`invoice_number`] as a [`Code`], made without an allocation when it fits inline (every
/// invoice line and document asks for one).
pub fn invoice_code(year: Year, issuer: &str, payer: &str) -> Code {
    let y = year.0;
    if !(1000..=9999).contains(&y) {
        return Code::concat(&["WLA/", &year.dashed(), "/", issuer, "/", payer]);
    }
    // `2012-13` ([`Year::dashed`]), digit by digit for a four-digit year (every year a book
    // accepts).
    let next = (y + 1).rem_euclid(100);
    let digit = |d: i32| b'0' + d as u8;
    let dashed = [
        digit(y / 1000),
        digit(y / 100 % 10),
        digit(y / 10 % 10),
        digit(y % 10),
        b'-',
        digit(next / 10),
        digit(next % 10),
    ];
    // SAFETY: ASCII digits and a dash.
    let dashed = unsafe { std::str::from_utf8_unchecked(&dashed) };
    Code::concat(&["WLA/", dashed, "/", issuer, "/", payer])
}

/// One invoice line's key, borrowed from the allocations: (year, issuer, payer, programme).
/// One invoice number is one (year, issuer, payer), since codes hold no `/`. Borrowed as
/// codes, not `&str`s: the sort and the runs compare them, and two inline codes compare
/// without a call to `memcmp`.
type LineKey<'a> = (Year, &'a Code, &'a Code, &'a Code);

/// Every invoice line of `allocations`, in whatever order they come (the general rule that
/// [`in_order`], which the engine uses, must agree with).
#[cfg(test)]
pub fn invoices(allocations: &[Allocation]) -> Vec<InvoiceLine> {
    // The allocations come sorted by year, programme, council and holder (as the results
    // hold them): then each year is one run, invoiced on its own on every core.
    let in_results_order = allocations.is_sorted_by(|a, b| {
        (a.year, &a.programme, &a.council, &a.holder)
            <= (b.year, &b.programme, &b.council, &b.holder)
    });
    if in_results_order {
        in_order(allocations)
    } else {
        in_number_order(lines(&keyed(allocations, false)).collect())
    }
}

/// [`invoices`] of allocations in the results' order (sorted by year, programme, council and
/// holder, as `run_keeping` makes them), each year's on a core of its own: a year's lines
/// come before the next year's whichever thread made them.
pub(super) fn in_order(allocations: &[Allocation]) -> Vec<InvoiceLine> {
    in_number_order(made(&keyed_by_year(allocations)))
}

/// [`keyed`] for each year of allocations in the results' order, in year order, on every
/// core.
pub(super) fn keyed_by_year(allocations: &[Allocation]) -> Vec<Keyed<'_>> {
    use rayon::prelude::*;
    debug_assert!(allocations.is_sorted_by(|a, b| {
        (a.year, &a.programme, &a.council, &a.holder)
            <= (b.year, &b.programme, &b.council, &b.holder)
    }));
    let years: Vec<&[Allocation]> = allocations.chunk_by(|a, b| a.year == b.year).collect();
    years.par_iter().map(|year| keyed(year, true)).collect()
}

/// The invoice lines of some allocations before they are made: each line's key (borrowed
/// from the allocations) and amount, in key order (year, issuer, payer, programme), only the
/// lines invoiced: no zero line, and no line of an invoice that totals zero.
pub(super) struct Keyed<'a> {
    lines: Vec<(LineKey<'a>, Money)>,
    /// How many invoices the lines are (runs of one year, issuer and payer).
    pub invoices: usize,
}

impl Keyed<'_> {
    /// How many invoice lines there are.
    pub fn len(&self) -> usize {
        self.lines.len()
    }
}

/// Whether two keyed lines are of one invoice (one year, issuer and payer).
fn same_invoice(a: &(LineKey, Money), b: &(LineKey, Money)) -> bool {
    (a.0 .0, a.0 .1, a.0 .2) == (b.0 .0, b.0 .1, b.0 .2)
}

/// The [`Keyed`] lines of `allocations`; `in_results_order` says the allocations are sorted as
/// the results hold them.
pub(super) fn keyed(allocations: &[Allocation], in_results_order: bool) -> Keyed<'_> {
    // Every invoiced part, sorted by its key and summed per key: a sorted vector rather than
    // a map (one sort of borrowed keys, no node per key).
    let mut lines: Vec<(LineKey, Money)> = allocations
        .iter()
        .filter(|a| a.council != a.holder && !a.amount.is_zero())
        .map(|a| {
            let key = (a.year, &a.holder, &a.council, &a.programme);
            (key, a.amount)
        })
        .collect();
    // In the results' order, the parts of one (year, issuer, payer) already come in
    // programme order, and a stable sort on (year, issuer, payer) alone, which merges the
    // runs the programmes make, puts them in key order. Else all four are sorted on.
    if in_results_order {
        lines.sort_by(|a, b| (a.0 .0, a.0 .1, a.0 .2).cmp(&(b.0 .0, b.0 .1, b.0 .2)));
    } else {
        lines.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    }
    debug_assert!(lines.is_sorted_by(|a, b| a.0 <= b.0));
    // Summed per key in place: a part of a key already kept is added to it.
    lines.dedup_by(|part, kept| {
        let same = part.0 == kept.0;
        if same {
            kept.1 += part.1;
        }
        same
    });
    // The lines of one invoice are adjacent: each run of one (year, issuer, payer) that
    // totals other than zero keeps its lines other than zero, moved down in place.
    let (mut kept, mut invoices, mut start) = (0, 0, 0);
    while start < lines.len() {
        let first = lines[start];
        let end = start + lines[start..].partition_point(|l| same_invoice(l, &first));
        let total: Money = lines[start..end].iter().map(|(_, amount)| *amount).sum();
        if !total.is_zero() {
            invoices += 1;
            for i in start..end {
                if !lines[i].1.is_zero() {
                    lines[kept] = lines[i];
                    kept += 1;
                }
            }
        }
        start = end;
    }
    lines.truncate(kept);
    Keyed { lines, invoices }
}

/// The invoice lines of `keyed`, in its order.
pub(super) fn lines<'k>(keyed: &'k Keyed) -> impl Iterator<Item = InvoiceLine> + 'k {
    keyed.lines.chunk_by(same_invoice).flat_map(|invoice| {
        let (year, issuer, payer, _) = invoice[0].0;
        let number = invoice_code(year, issuer, payer);
        invoice.iter().map(
            move |&((_, issuer, payer, programme), amount)| InvoiceLine {
                invoice: number.clone(),
                year,
                issuer: issuer.clone(),
                payer: payer.clone(),
                programme: programme.clone(),
                amount,
            },
        )
    })
}

/// The lines of each of `years`, one year after the other, each year's made into its place
/// on a core of its own: in (year, issuer, payer, programme) order when the years are in
/// year order.
pub(super) fn made(years: &[Keyed]) -> Vec<InvoiceLine> {
    let parts = years.iter().map(|year| (year.len(), year)).collect();
    super::fill_on_every_core(parts, |year, place| place.extend(lines(year)))
}

/// Invoice lines in the order of their numbers, then programmes.
fn by_number(a: &InvoiceLine, b: &InvoiceLine) -> std::cmp::Ordering {
    (&a.invoice, &a.programme).cmp(&(&b.invoice, &b.programme))
}

/// Lines made in (year, issuer, payer, programme) order, put in the order of their numbers,
/// then programmes. That is the order they come in unless a code holds a `-` (it sorts before
/// the `/` of a number): checked, then sorted only when out of order. (An invoice number and
/// programme are one line's alone, so however the lines came, they leave in one order.)
pub(super) fn in_number_order(mut out: Vec<InvoiceLine>) -> Vec<InvoiceLine> {
    if !out.is_sorted_by(|a, b| by_number(a, b).is_le()) {
        out.sort_by(by_number);
    }
    out
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::CouncilKind;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// A member's allocation of one day at weight 1 (also the engine's tests' builder).
    pub(in crate::engine) fn allocation(
        (year, programme, holder, council, pence): (i32, &str, &str, &str, i128),
    ) -> Allocation {
        Allocation {
            year: Year(year),
            programme: programme.into(),
            holder: holder.into(),
            council: council.into(),
            kind: CouncilKind::Member,
            days: 1,
            weight: Decimal::ONE,
            amount: Money::from_pence(pence),
        }
    }

    fn shown(lines: &[InvoiceLine]) -> Vec<String> {
        lines
            .iter()
            .map(|l| format!("{} {} {}", l.invoice, l.programme, l.amount))
            .collect()
    }

    #[test]
    fn invoices_by_hand() {
        let allocations: Vec<Allocation> = [
            (2012, "HOUSING", "EAL", "EAL", 500),
            (2012, "HOUSING", "EAL", "HRW", 300),
            (2012, "OFFICE", "BAR", "HRW", 200),
            (2012, "SIK", "EAL", "BAR", 0),
            (2012, "SIK", "EAL", "HRW", -300),
            (2013, "OFFICE", "BAR", "EAL", 100),
            (2013, "OFFICE", "BAR", "HRW", 100),
            (2013, "SIK", "HRW", "BAR", -100),
        ]
        .into_iter()
        .map(allocation)
        .collect();
        // The holder's own part and zero parts are not invoiced, and neither is EAL's invoice
        // to HRW for 2012, which totals zero.
        let expected = [
            "WLA/2012-13/BAR/HRW OFFICE 2.00",
            "WLA/2013-14/BAR/EAL OFFICE 1.00",
            "WLA/2013-14/BAR/HRW OFFICE 1.00",
            "WLA/2013-14/HRW/BAR SIK -1.00",
        ];
        assert_eq!(shown(&in_order(&allocations)), expected);
        assert_eq!(shown(&invoices(&allocations)), expected);
    }

    /// An allocation of a few years, codes (some with a `-`, which sorts before a number's
    /// `/`) and pence (zero among them); also the engine's tests'.
    pub(in crate::engine) fn arbitrary_allocation() -> impl Strategy<Value = Allocation> {
        let code = prop::sample::select(vec!["BAR", "EAL", "HRW", "EAL-2", "B"]);
        let programme = prop::sample::select(vec!["OFFICE", "SIK", "A-B", "HOUSING"]);
        (2011..2014i32, programme, code.clone(), code, -3..4i128)
            .prop_map(|(y, p, h, c, pence)| allocation((y, p, h, c, pence)))
    }

    proptest! {
        /// The engine's path (each year of allocations in the results' order on its own)
        /// gives the lines the general rule gives, in whatever order it is handed them.
        #[test]
        fn in_order_is_the_general_rule(
            mut allocations in prop::collection::vec(arbitrary_allocation(), 0..60)
        ) {
            let general = invoices(&allocations);
            allocations.sort_by(|a, b| {
                (a.year, &a.programme, &a.council, &a.holder)
                    .cmp(&(b.year, &b.programme, &b.council, &b.holder))
            });
            prop_assert_eq!(&in_order(&allocations), &general);
            prop_assert_eq!(&invoices(&allocations), &general);
        }
    }
}
