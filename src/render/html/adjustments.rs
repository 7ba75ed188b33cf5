//! The year's dashboard section on supplementary invoices and credit notes (SPEC §5): one row
//! per document, linked to its PDF, with its status and what it changes.

use super::dashboard::{invoice_file, money, text};
use super::{table, Td, Tr};
use crate::model::Book;
use crate::report::adjustments::YearAdjustments;
use crate::report::wording::council_name;

/// The dashboard's section: one row per adjustment, linked to its PDF.
pub fn adjustments_section(book: &Book, adjustments: &YearAdjustments<'_>) -> String {
    let mut out = String::from("<h2>Supplementary invoices and credit notes</h2>\n");
    if adjustments.documents.is_empty() {
        out.push_str(
            "<p class=\"note\">No adjustments: every invoice stands as it was issued, or is not yet issued.</p>\n",
        );
        return out;
    }
    let rows: Vec<Tr> = adjustments
        .documents
        .iter()
        .map(|a| {
            let d = a.document;
            let programmes: Vec<&str> = d.lines.iter().map(|l| l.programme.as_str()).collect();
            Tr::new(vec![
                Td::Link {
                    href: format!("invoices/{}", invoice_file(&d.number)),
                    text: d.number.to_string(),
                },
                text(d.kind.title()),
                text(d.invoice()),
                text(council_name(book, &d.issuer)),
                text(council_name(book, &d.payer)),
                text(programmes.join(", ")),
                text(&a.status),
                money(a.before),
                money(a.now),
                money(a.difference),
            ])
        })
        .collect();
    out.push_str(&table(
        &[
            "Document",
            "Kind",
            "Adjusts",
            "Issued by",
            "Payable by",
            "Programmes",
            "Status",
            "Invoiced before",
            "Now due",
            "Difference",
        ],
        &[
            false, false, false, false, false, false, false, true, true, true,
        ],
        &rows,
    ));
    out
}
