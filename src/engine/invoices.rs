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
    let mut lines: BTreeMap<(String, String), Money> = BTreeMap::new();
    let mut heads: BTreeMap<String, (Year, String, String)> = BTreeMap::new();
    for a in allocations {
        if a.council == a.holder || a.amount.is_zero() {
            continue;
        }
        let number = invoice_number(a.year, &a.holder, &a.council);
        heads
            .entry(number.clone())
            .or_insert_with(|| (a.year, a.holder.clone(), a.council.clone()));
        *lines.entry((number, a.programme.clone())).or_default() += a.amount;
    }
    let mut totals: BTreeMap<&str, Money> = BTreeMap::new();
    for ((number, _), amount) in &lines {
        *totals.entry(number.as_str()).or_default() += *amount;
    }
    let mut out: Vec<InvoiceLine> = lines
        .iter()
        .filter(|((number, _), amount)| !amount.is_zero() && !totals[number.as_str()].is_zero())
        .map(|((number, programme), amount)| {
            let (year, issuer, payer) = heads[number].clone();
            InvoiceLine {
                invoice: number.clone(),
                year,
                issuer,
                payer,
                programme: programme.clone(),
                amount: *amount,
            }
        })
        .collect();
    out.sort_by(|a, b| (&a.invoice, &a.programme).cmp(&(&b.invoice, &b.programme)));
    out
}
