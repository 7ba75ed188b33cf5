//! The year's supplementary invoices and credit notes (SPEC §5) for the summary workbook (an
//! `Adjustments` sheet) and the year's dashboard (a section linking each PDF): one row per line,
//! issued or to send, with what was invoiced before, what is due now and the difference.

use super::dashboard::{invoice_file, money, text};
use super::explain::council_name;
use super::html::{table, Td, Tr};
use super::summary_sheets::write_total;
use super::xlsx_style::{money_value, Styles};
use crate::engine::{Document, Results};
use crate::model::{Book, DocumentKind};
use crate::money::Money;
use crate::values::Year;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// The year's adjustments, issued first, then those to send.
fn adjustments(results: &Results, year: Year) -> Vec<&Document> {
    results
        .documents
        .all()
        .filter(|d| d.year == year && d.kind != DocumentKind::Invoice)
        .collect()
}

fn status(d: &Document) -> String {
    d.issued_on
        .map_or_else(|| "to send".to_string(), |on| format!("issued {on}"))
}

pub fn adjustments_sheet(
    sheet: &mut Worksheet,
    results: &Results,
    year: Year,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Adjustments")?;
    sheet.write_string_with_format(
        0,
        0,
        format!("Supplementary invoices and credit notes, {year}"),
        &styles.title,
    )?;
    let documents = adjustments(results, year);
    if documents.is_empty() {
        sheet.write_string(
            2,
            0,
            "No adjustments: every invoice stands as it was issued, or is not yet issued.",
        )?;
        return Ok(());
    }
    let header = [
        "Document",
        "Kind",
        "Adjusts",
        "Issuer",
        "Payer",
        "Programme",
        "Status",
        "Invoiced before",
        "Now due",
        "Difference",
    ];
    for (col, name) in header.iter().enumerate() {
        let format = if col >= 7 {
            &styles.header_right
        } else {
            &styles.header
        };
        sheet.write_string_with_format(2, col as u16, *name, format)?;
    }
    let mut row = 3u32;
    let mut totals = [Money::ZERO; 3];
    for d in &documents {
        for line in &d.lines {
            sheet.write_string(row, 0, &d.number)?;
            sheet.write_string(row, 1, d.kind.as_str())?;
            sheet.write_string(row, 2, d.invoice())?;
            sheet.write_string(row, 3, &d.issuer)?;
            sheet.write_string(row, 4, &d.payer)?;
            sheet.write_string(row, 5, &line.programme)?;
            sheet.write_string(row, 6, status(d))?;
            for (i, amount) in [line.before, line.now, line.amount].iter().enumerate() {
                sheet.write_number_with_format(
                    row,
                    7 + i as u16,
                    money_value(*amount),
                    &styles.money,
                )?;
                totals[i] += *amount;
            }
            row += 1;
        }
    }
    sheet.write_string_with_format(row, 0, "Total", &styles.bold)?;
    for (i, total) in totals.iter().enumerate() {
        write_total(sheet, (row, 7 + i as u16), 3, *total, styles)?;
    }
    sheet.set_freeze_panes(3, 0)?;
    sheet.set_column_width(0, 26)?;
    sheet.set_column_width(1, 14)?;
    sheet.set_column_width(2, 24)?;
    sheet.set_column_width(6, 18)?;
    for col in 7..10 {
        sheet.set_column_width(col, 16)?;
    }
    Ok(())
}

/// The dashboard's section: one row per adjustment, linked to its PDF.
pub fn adjustments_section(book: &Book, results: &Results, year: Year) -> String {
    let documents = adjustments(results, year);
    let mut out = String::from("<h2>Supplementary invoices and credit notes</h2>\n");
    if documents.is_empty() {
        out.push_str(
            "<p class=\"note\">No adjustments: every invoice stands as it was issued, or is not yet issued.</p>\n",
        );
        return out;
    }
    let rows: Vec<Tr> = documents
        .iter()
        .map(|d| {
            let programmes: Vec<&str> = d.lines.iter().map(|l| l.programme.as_str()).collect();
            Tr::new(vec![
                Td::Link {
                    href: format!("invoices/{}", invoice_file(&d.number)),
                    text: d.number.clone(),
                },
                text(d.kind.title()),
                text(d.invoice()),
                text(council_name(book, &d.issuer)),
                text(council_name(book, &d.payer)),
                text(programmes.join(", ")),
                text(status(d)),
                money(d.lines.iter().map(|l| l.before).sum()),
                money(d.lines.iter().map(|l| l.now).sum()),
                money(d.total()),
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
