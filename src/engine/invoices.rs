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
    let dashed = std::str::from_utf8(&dashed).expect("ASCII digits");
    Code::concat(&["WLA/", dashed, "/", issuer, "/", payer])
}

/// One invoice line's key, borrowed from the allocations: (year, issuer, payer, programme).
/// One invoice number is one (year, issuer, payer), since codes hold no `/`.
type LineKey<'a> = (Year, &'a str, &'a str, &'a str);

pub fn invoices(allocations: &[Allocation]) -> Vec<InvoiceLine> {
    // Every invoiced part, sorted by its key and summed per key: a sorted vector rather than
    // a map (one sort of borrowed keys, no node per key).
    let mut parts: Vec<(LineKey, Money)> = allocations
        .iter()
        .filter(|a| a.council != a.holder && !a.amount.is_zero())
        .map(|a| {
            let key = (
                a.year,
                a.holder.as_str(),
                a.council.as_str(),
                a.programme.as_str(),
            );
            (key, a.amount)
        })
        .collect();
    // The allocations come sorted by year, programme, council and holder (as the results
    // hold them): then the parts of one (year, issuer, payer) already come in programme order,
    // and a stable sort on (year, issuer, payer) alone, which merges the runs the programmes
    // make, puts them in key order. Else all four are sorted on.
    let in_results_order = allocations.is_sorted_by(|a, b| {
        (a.year, &a.programme, &a.council, &a.holder)
            <= (b.year, &b.programme, &b.council, &b.holder)
    });
    if in_results_order {
        parts.sort_by(|a, b| (a.0 .0, a.0 .1, a.0 .2).cmp(&(b.0 .0, b.0 .1, b.0 .2)));
    } else {
        parts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    }
    debug_assert!(parts.is_sorted_by(|a, b| a.0 <= b.0));
    let mut lines: Vec<(LineKey, Money)> = Vec::with_capacity(parts.len());
    for (key, amount) in parts {
        match lines.last_mut() {
            Some((last, sum)) if *last == key => *sum += amount,
            _ => lines.push((key, amount)),
        }
    }
    let mut out: Vec<InvoiceLine> = Vec::with_capacity(lines.len());
    // The lines of one invoice are adjacent: each run of one (year, issuer, payer).
    for invoice in lines.chunk_by(|a, b| (a.0 .0, a.0 .1, a.0 .2) == (b.0 .0, b.0 .1, b.0 .2)) {
        let total: Money = invoice.iter().map(|(_, amount)| *amount).sum();
        if total.is_zero() {
            continue;
        }
        let (year, issuer, payer, _) = invoice[0].0;
        let number = invoice_code(year, issuer, payer);
        let (issuer, payer) = (Code::new(issuer), Code::new(payer));
        for &((_, _, _, programme), amount) in invoice {
            if amount.is_zero() {
                continue;
            }
            out.push(InvoiceLine {
                invoice: number.clone(),
                year,
                issuer: issuer.clone(),
                payer: payer.clone(),
                programme: Code::new(programme),
                amount,
            });
        }
    }
    // Made in (year, issuer, payer, programme) order, which is the order of the numbers
    // unless a code holds a `-` (it sorts before the `/` of a number): checked, then sorted
    // only when out of order.
    let by_number = |a: &InvoiceLine, b: &InvoiceLine| {
        (&a.invoice, &a.programme).cmp(&(&b.invoice, &b.programme))
    };
    if !out.is_sorted_by(|a, b| by_number(a, b).is_le()) {
        out.sort_by(by_number);
    }
    out
}
