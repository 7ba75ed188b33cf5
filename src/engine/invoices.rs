//! Who invoices whom (Accord 7.3, report 2.13): the holder of each budget or pool invoices every
//! other council for its part, one invoice per year, issuer and payer, one line per programme
//! or pool. A holder's own part is not invoiced (it shows on its statement), and neither is a
//! zero line or an invoice that totals zero.

use super::Allocation;
use crate::money::Money;
use crate::values::Year;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    /// `WLA/2012-13/EAL/HRW`.
    pub invoice: String,
    pub year: Year,
    pub issuer: String,
    pub payer: String,
    /// A programme code, or `SIK`.
    pub programme: String,
    pub amount: Money,
}

pub fn invoice_number(year: Year, issuer: &str, payer: &str) -> String {
    format!("WLA/{}/{issuer}/{payer}", year.dashed())
}

pub fn invoices(allocations: &[Allocation]) -> Vec<InvoiceLine> {
    // (year, issuer, payer, programme), borrowed from the allocations: one invoice number is
    // one (year, issuer, payer), since codes hold no `/`.
    let mut lines: BTreeMap<(Year, &str, &str, &str), Money> = BTreeMap::new();
    for a in allocations {
        if a.council == a.holder || a.amount.is_zero() {
            continue;
        }
        *lines
            .entry((a.year, &a.holder, &a.council, &a.programme))
            .or_default() += a.amount;
    }
    let mut totals: BTreeMap<(Year, &str, &str), Money> = BTreeMap::new();
    for (&(year, issuer, payer, _), amount) in &lines {
        *totals.entry((year, issuer, payer)).or_default() += *amount;
    }
    let mut out: Vec<InvoiceLine> = Vec::with_capacity(lines.len());
    let mut number = String::new();
    for (&(year, issuer, payer, programme), amount) in &lines {
        if amount.is_zero() || totals[&(year, issuer, payer)].is_zero() {
            continue;
        }
        let same = out
            .last()
            .is_some_and(|l| l.year == year && l.issuer == issuer && l.payer == payer);
        if !same {
            number = invoice_number(year, issuer, payer);
        }
        out.push(InvoiceLine {
            invoice: number.clone(),
            year,
            issuer: issuer.to_string(),
            payer: payer.to_string(),
            programme: programme.to_string(),
            amount: *amount,
        });
    }
    out.sort_by(|a, b| (&a.invoice, &a.programme).cmp(&(&b.invoice, &b.programme)));
    out
}
