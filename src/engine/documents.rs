//! The documents the partnership sends, as the journals and the settlement see them: a
//! number, a kind, a date, who issues it to whom, and its lines. A view borrowed from the
//! engine's documents (the register's and those to send, `super::Documents`), so that the
//! postings and transfers are worked out the same way for every kind of document without a
//! copy of any of them.

use super::adjust;
use crate::money::Money;
use crate::values::Year;
use chrono::NaiveDate;

pub use crate::model::DocumentKind;

/// One line of a document: what it charges for one programme (or `SIK` pool). A credit
/// note's lines are negative, and post reversed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentLine<'a> {
    pub programme: &'a str,
    pub amount: Money,
}

/// A document as posted: the engine's document, borrowed, with the day it is posted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Document<'a> {
    source: &'a adjust::Document,
    pub date: NaiveDate,
}

impl<'a> Document<'a> {
    /// `document`, posted on `date`.
    pub fn of(document: &'a adjust::Document, date: NaiveDate) -> Document<'a> {
        Document {
            source: document,
            date,
        }
    }

    /// `WLA/2012-13/EAL/HRW` (`.../2`, `.../3` for later documents against the same invoice).
    pub fn number(&self) -> &'a str {
        &self.source.number
    }

    pub fn kind(&self) -> DocumentKind {
        self.source.kind
    }

    pub fn year(&self) -> Year {
        self.source.year
    }

    pub fn issuer(&self) -> &'a str {
        &self.source.issuer
    }

    pub fn payer(&self) -> &'a str {
        &self.source.payer
    }

    /// Its lines, by programme, none zero.
    pub fn lines(&self) -> impl Iterator<Item = DocumentLine<'a>> + 'a {
        self.source
            .lines
            .iter()
            .filter(|l| !l.amount.is_zero())
            .map(|l| DocumentLine {
                programme: &l.programme,
                amount: l.amount,
            })
    }

    pub fn total(&self) -> Money {
        self.lines().map(|l| l.amount).sum()
    }
}

/// Every document of the register and every one to send now (SPEC §5), as the journals post
/// them: an issued document is dated the day it was issued, one still to send with its year's
/// invoice date (`date_of`), until `accord issue` records the day it goes. In a canonical
/// order: by year, date and number, a document with no line (none but zero ones) left out.
/// Whatever order they come in, the journals come out the same.
pub fn from_register(
    documents: &super::Documents,
    date_of: impl Fn(Year) -> NaiveDate,
) -> Vec<Document<'_>> {
    let mut posted: Vec<Document> =
        Vec::with_capacity(documents.issued.len() + documents.to_send.len());
    posted.extend(
        documents
            .all()
            .map(|d| Document::of(d, d.issued_on.unwrap_or_else(|| date_of(d.year))))
            .filter(|d| d.lines().next().is_some()),
    );
    posted.sort_by(|a, b| (a.year(), a.date, a.number()).cmp(&(b.year(), b.date, b.number())));
    posted
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An engine document: number (its year, issuer and payer read from it), kind, the day
    /// it was issued (if it was), and its lines (programme, pence).
    fn document(
        number: &str,
        kind: DocumentKind,
        issued_on: Option<(i32, u32, u32)>,
        lines: &[(&str, i128)],
    ) -> adjust::Document {
        let parts: Vec<&str> = number.split('/').collect();
        let invoice = parts[..4].join("/");
        adjust::Document {
            kind,
            number: number.into(),
            year: Year(parts[1][..4].parse().unwrap()),
            issuer: parts[2].into(),
            payer: parts[3].into(),
            adjusts: (invoice != number).then(|| invoice.into()),
            lines: lines
                .iter()
                .map(|(programme, pence)| adjust::DocumentLine {
                    programme: programme.to_string().into(),
                    amount: Money::from_pence(*pence),
                    before: Money::ZERO,
                    now: Money::from_pence(*pence),
                })
                .collect(),
            issued_on: issued_on.map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap()),
        }
    }

    #[test]
    fn the_register_and_the_documents_to_send_are_posted_in_date_order() {
        use DocumentKind::{CreditNote, Invoice, Supplementary};
        let documents = crate::engine::Documents {
            issued: vec![
                document(
                    "WLA/2013-14/EAL/HRW",
                    Invoice,
                    Some((2013, 5, 10)),
                    &[("A", 5)],
                ),
                document(
                    "WLA/2013-14/HRW/EAL",
                    Invoice,
                    Some((2013, 4, 2)),
                    &[("A", 7)],
                ),
            ],
            to_send: vec![
                document("WLA/2012-13/HRW/EAL", Invoice, None, &[("A", 0), ("B", 3)]),
                document("WLA/2013-14/EAL/HRW/2", Supplementary, None, &[("A", 2)]),
                document("WLA/2013-14/EAL/HRW/3", CreditNote, None, &[("B", 0)]),
                document("WLA/2012-13/EAL/HRW", Invoice, None, &[("A", 4), ("B", -1)]),
            ],
        };
        let date_of = |y: Year| NaiveDate::from_ymd_opt(y.0, 4, 30).unwrap();
        let posted = from_register(&documents, date_of);
        // number, date, total, the lines' programmes
        let cases: &[(&str, &str, i128, &[&str])] = &[
            ("WLA/2012-13/EAL/HRW", "2012-04-30", 3, &["A", "B"]),
            ("WLA/2012-13/HRW/EAL", "2012-04-30", 3, &["B"]),
            ("WLA/2013-14/HRW/EAL", "2013-04-02", 7, &["A"]),
            ("WLA/2013-14/EAL/HRW/2", "2013-04-30", 2, &["A"]),
            ("WLA/2013-14/EAL/HRW", "2013-05-10", 5, &["A"]),
        ];
        let got: Vec<(&str, String, i128, Vec<&str>)> = posted
            .iter()
            .map(|d| {
                (
                    d.number(),
                    d.date.to_string(),
                    d.total().pence(),
                    d.lines().map(|l| l.programme).collect(),
                )
            })
            .collect();
        let want: Vec<(&str, String, i128, Vec<&str>)> = cases
            .iter()
            .map(|(n, date, total, lines)| (*n, date.to_string(), *total, lines.to_vec()))
            .collect();
        assert_eq!(got, want, "the all-zero credit note is left out");
        assert_eq!(
            (posted[3].kind(), posted[3].issuer(), posted[3].payer()),
            (Supplementary, "EAL", "HRW")
        );
    }
}
