//! The documents people read (SPEC §3), laid out as files of the reports folder:
//!
//! ```text
//! index.html                       every year at a glance, links to each year's pack
//! 2012-13/index.html               the year's dashboard (tables, SVG charts, links)
//! 2012-13/explain.html           how each contribution is worked out (the dashboard links here)
//! 2012-13/summary.xlsx             the year's workbook, with SUM totals and native charts
//! 2012-13/invoices/WLA-2012-13-EAL-HRW.pdf    one per invoice
//! 2012-13/statements/HRW.pdf, HRW.xlsx        one pair per council
//! 2012-13/annual_report.pdf        the annual report, for a year with actuals
//! ```
//!
//! Nothing here reads the clock or the file system: the same results give the same bytes.

use super::annual_pdf::annual_report_pdf;
use super::dashboard::{invoice_file, top_page};
use super::invoice_pdf::invoice_pdf;
use super::plan_html::ANNUAL_REPORT_PDF;
use super::statement::{councils_in_year, statement};
use super::statement_files::{statement_pdf, statement_xlsx};
use super::summary_xlsx::summary_xlsx;
use super::year_page::year_page;
use crate::engine::plan::{annual_report, Plan};
use crate::engine::{InvoiceLine, Results};
use crate::model::Book;
use crate::output::OutputFile;
use std::io;
use std::path::PathBuf;

fn xlsx_error(error: rust_xlsxwriter::XlsxError) -> io::Error {
    io::Error::other(format!("writing a workbook: {error}"))
}

/// Every document of every year, and the top `index.html`; `plan` is the book's plan.
pub fn documents(book: &Book, results: &Results, plan: &Plan) -> io::Result<Vec<OutputFile>> {
    let mut files = vec![OutputFile {
        path: PathBuf::from("index.html"),
        content: top_page(book, results, plan).into_bytes(),
    }];
    for &year in &results.years {
        let folder = PathBuf::from(year.dashed());
        let mut invoices: Vec<Vec<&InvoiceLine>> = Vec::new();
        for line in results.invoices.iter().filter(|i| i.year == year) {
            match invoices.last_mut() {
                Some(lines) if lines[0].invoice == line.invoice => lines.push(line),
                _ => invoices.push(vec![line]),
            }
        }
        for lines in &invoices {
            files.push(OutputFile {
                path: folder
                    .join("invoices")
                    .join(invoice_file(&lines[0].invoice)),
                content: invoice_pdf(book, results, lines),
            });
        }
        for council in councils_in_year(results, year) {
            let s = statement(book, results, &council, year);
            files.push(OutputFile {
                path: folder.join("statements").join(format!("{council}.pdf")),
                content: statement_pdf(&s),
            });
            files.push(OutputFile {
                path: folder.join("statements").join(format!("{council}.xlsx")),
                content: statement_xlsx(&s).map_err(xlsx_error)?,
            });
        }
        files.push(OutputFile {
            path: folder.join("summary.xlsx"),
            content: summary_xlsx(book, results, year).map_err(xlsx_error)?,
        });
        let annual = annual_report(plan, results, year);
        if let Some(report) = &annual {
            files.push(OutputFile {
                path: folder.join(ANNUAL_REPORT_PDF),
                content: annual_report_pdf(report, book),
            });
        }
        files.push(OutputFile {
            path: folder.join("index.html"),
            content: year_page(book, results, year, annual.as_ref()).into_bytes(),
        });
        files.push(OutputFile {
            path: folder.join(super::explain_page::EXPLAIN_PAGE),
            content: super::explain_page::explain_page(book, results, year).into_bytes(),
        });
    }
    Ok(files)
}
