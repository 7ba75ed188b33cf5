//! The documents the partnership sends, as the journals and the settlement see them: a
//! number, a kind, a date, who issues it to whom, and its lines. Kept apart from the invoices
//! themselves so that the postings and transfers are worked out the same way for every kind
//! of document: today the invoices (`invoices.csv`); once there is a register of issued
//! documents, its supplementary invoices and credit notes too, fed in through this one type.

use super::InvoiceLine;
use crate::money::Money;
use crate::values::Year;
use chrono::NaiveDate;

pub use crate::model::DocumentKind;

/// One line of a document: what it charges for one programme (or `SIK` pool). A credit
/// note's lines are negative, and post reversed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentLine {
    pub programme: String,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// `WLA/2012-13/EAL/HRW` (`.../2`, `.../3` for later documents against the same invoice).
    pub number: String,
    pub kind: DocumentKind,
    pub date: NaiveDate,
    pub year: Year,
    pub issuer: String,
    pub payer: String,
    /// Sorted by programme, none zero.
    pub lines: Vec<DocumentLine>,
}

impl Document {
    pub fn total(&self) -> Money {
        self.lines.iter().map(|l| l.amount).sum()
    }
}

/// The invoices as documents, one per invoice number, in number order; `date_of` gives a
/// year's invoice date (the `invoice_date` rule).
pub fn from_invoices(
    invoices: &[InvoiceLine],
    date_of: impl Fn(Year) -> NaiveDate,
) -> Vec<Document> {
    let mut documents: Vec<Document> = Vec::new();
    for line in invoices {
        let same = documents.last().is_some_and(|d| d.number == line.invoice);
        if !same {
            documents.push(Document {
                number: line.invoice.clone(),
                kind: DocumentKind::Invoice,
                date: date_of(line.year),
                year: line.year,
                issuer: line.issuer.clone(),
                payer: line.payer.clone(),
                lines: Vec::new(),
            });
        }
        let document = documents.last_mut().expect("pushed above");
        document.lines.push(DocumentLine {
            programme: line.programme.clone(),
            amount: line.amount,
        });
    }
    sorted(documents)
}

/// Every document of the register and every one to send now (SPEC §5), as the journals post
/// them: an issued document is dated the day it was issued, one still to send with its year's
/// invoice date (`date_of`), until `accord issue` records the day it goes.
pub fn from_register(
    documents: &super::Documents,
    date_of: impl Fn(Year) -> NaiveDate,
) -> Vec<Document> {
    let posted = documents
        .all()
        .map(|d| Document {
            number: d.number.clone(),
            kind: d.kind,
            date: d.issued_on.unwrap_or_else(|| date_of(d.year)),
            year: d.year,
            issuer: d.issuer.clone(),
            payer: d.payer.clone(),
            lines: d
                .lines
                .iter()
                .map(|l| DocumentLine {
                    programme: l.programme.clone(),
                    amount: l.amount,
                })
                .collect(),
        })
        .collect();
    sorted(posted)
}

/// Documents in a canonical order: by year, date and number, each one's lines by programme,
/// zero lines dropped. Whatever order they come in, the journals come out the same.
pub fn sorted(mut documents: Vec<Document>) -> Vec<Document> {
    for d in &mut documents {
        d.lines.retain(|l| !l.amount.is_zero());
        d.lines.sort_by(|a, b| a.programme.cmp(&b.programme));
    }
    documents.retain(|d| !d.lines.is_empty());
    documents.sort_by(|a, b| (a.year, a.date, &a.number).cmp(&(b.year, b.date, &b.number)));
    documents
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(invoice: &str, programme: &str, pence: i128) -> InvoiceLine {
        let parts: Vec<&str> = invoice.split('/').collect();
        InvoiceLine {
            invoice: invoice.into(),
            year: Year(parts[1][..4].parse().unwrap()),
            issuer: parts[2].into(),
            payer: parts[3].into(),
            programme: programme.into(),
            amount: Money::from_pence(pence),
        }
    }

    #[test]
    fn invoices_become_one_document_each_with_their_lines() {
        let invoices = [
            line("WLA/2012-13/EAL/HRW", "ADULTS", 100),
            line("WLA/2012-13/EAL/HRW", "OFFICE", 250),
            line("WLA/2012-13/HRW/EAL", "CHILDREN", 75),
            line("WLA/2013-14/EAL/HRW", "OFFICE", 300),
        ];
        let date = |y: Year| NaiveDate::from_ymd_opt(y.0, 4, 30).unwrap();
        let documents = from_invoices(&invoices, date);
        let cases: &[(&str, &str, &str, i128, &str)] = &[
            ("WLA/2012-13/EAL/HRW", "EAL", "HRW", 350, "2012-04-30"),
            ("WLA/2012-13/HRW/EAL", "HRW", "EAL", 75, "2012-04-30"),
            ("WLA/2013-14/EAL/HRW", "EAL", "HRW", 300, "2013-04-30"),
        ];
        assert_eq!(documents.len(), cases.len(), "one document per invoice");
        for (d, (number, issuer, payer, total, date)) in documents.iter().zip(cases) {
            assert_eq!(d.number, *number);
            assert_eq!(
                (d.issuer.as_str(), d.payer.as_str()),
                (*issuer, *payer),
                "{number}"
            );
            assert_eq!(d.total(), Money::from_pence(*total), "{number}");
            assert_eq!(d.date.to_string(), *date, "{number}");
            assert_eq!(d.kind, DocumentKind::Invoice, "{number}");
        }
    }
}
