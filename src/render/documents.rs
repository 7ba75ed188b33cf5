//! The documents people read (SPEC §3), laid out as files of the reports folder:
//!
//! ```text
//! index.html                       every year at a glance, links to each year's pack
//! 2012-13/index.html               the year's dashboard (tables, SVG charts, links)
//! 2012-13/explain.html           how each contribution is worked out (the dashboard links here)
//! 2012-13/summary.xlsx             the year's workbook, with SUM totals and native charts
//! 2012-13/invoices/WLA-2012-13-EAL-HRW.pdf    one per invoice
//! 2012-13/invoices/WLA-2012-13-EAL-HRW-2.pdf  one per supplementary invoice or credit note
//! 2012-13/statements/HRW.pdf, HRW.xlsx        one pair per council
//! 2012-13/annual_report.pdf        the annual report, for a year with actuals
//! 2013-14/monitoring.pdf           the monitoring report, for the year in progress
//! ```
//!
//! Nothing here reads the clock or the file system: the same results give the same bytes,
//! whatever the number of threads that make them.

use crate::engine::plan::{annual_report, Plan};
use crate::engine::settlement::YearSettlement;
use crate::engine::{Document, InvoiceLine, Results};
use crate::model::{Book, DocumentKind};
use crate::output::OutputFile;
use crate::pack::Pack;
use crate::render::html::dashboard::{invoice_file, top_page};
use crate::render::html::plan::ANNUAL_REPORT_PDF;
use crate::render::html::year_page::year_page;
use crate::render::pdf::adjustment::adjustment_pdf;
use crate::render::pdf::annual::annual_report_pdf;
use crate::render::pdf::invoice::invoice_pdf;
use crate::render::pdf::statement::statement_pdf;
use crate::render::xlsx::statement::statement_xlsx;
use crate::render::xlsx::summary::summary_xlsx;
use crate::report::statement::{councils_in_year, StatementParts};
use crate::report::statement_settlement::add_settlement;
use crate::values::Year;
use rayon::prelude::*;
use std::io;
use std::path::PathBuf;

fn xlsx_error(error: rust_xlsxwriter::XlsxError) -> io::Error {
    io::Error::other(format!("writing a workbook: {error}"))
}

/// One piece of the documents' work: the files it makes depend on nothing else, so pieces are
/// made in any order, on any thread, and give the same bytes.
enum Job<'r> {
    /// The top `index.html`.
    TopPage,
    /// One document's PDF: an invoice (as issued, when the register holds it), a
    /// supplementary invoice or a credit note, issued or to send.
    Document(&'r Document),
    /// A council's statement for a year, as PDF and workbook.
    Statement(Year, String),
    /// The year's summary workbook.
    Summary(Year),
    /// The year's annual report (when the year has actuals) and its dashboard page.
    YearPage(Year),
}

/// Every piece of the documents' work, in the order of the folder's listing.
fn jobs(results: &Results) -> Vec<Job<'_>> {
    let mut jobs = vec![Job::TopPage];
    for &year in &results.years {
        jobs.extend(
            results
                .documents
                .all()
                .filter(|d| d.year == year)
                .map(Job::Document),
        );
        jobs.extend(
            councils_in_year(results, year)
                .into_iter()
                .map(|council| Job::Statement(year, council)),
        );
        jobs.push(Job::Summary(year));
        jobs.push(Job::YearPage(year));
    }
    jobs
}

/// What every job reads besides the book and the results: the plan, the settlements, and
/// the results looked up by council (made once, shared by the threads).
struct Inputs<'a> {
    book: &'a Book,
    results: &'a Results,
    plan: &'a Plan,
    settlements: &'a [YearSettlement],
    statements: StatementParts<'a>,
}

/// The files of one piece of work.
fn make(job: &Job<'_>, inputs: &Inputs<'_>) -> io::Result<Vec<OutputFile>> {
    let Inputs {
        book,
        results,
        plan,
        settlements,
        ..
    } = *inputs;
    let folder = |year: Year| PathBuf::from(year.dashed());
    let files = match job {
        Job::TopPage => vec![OutputFile {
            path: PathBuf::from("index.html"),
            content: top_page(book, results, plan).into_bytes(),
        }],
        Job::Document(document) => {
            let content = if document.kind == DocumentKind::Invoice {
                let lines: Vec<InvoiceLine> = document
                    .lines
                    .iter()
                    .map(|l| InvoiceLine {
                        invoice: document.number.clone(),
                        year: document.year,
                        issuer: document.issuer.clone(),
                        payer: document.payer.clone(),
                        programme: l.programme.clone(),
                        amount: l.amount,
                    })
                    .collect();
                invoice_pdf(
                    book,
                    &crate::report::invoice::invoice_document(
                        book,
                        results,
                        &lines.iter().collect::<Vec<_>>(),
                    ),
                )
            } else {
                adjustment_pdf(
                    book,
                    &crate::report::invoice::adjustment_document(book, results, document),
                )
            };
            vec![OutputFile {
                path: folder(document.year)
                    .join("invoices")
                    .join(invoice_file(&document.number)),
                content,
            }]
        }
        Job::Statement(year, council) => {
            let mut s = inputs.statements.statement(book, results, council, *year);
            add_settlement(&mut s, book, settlements);
            vec![
                OutputFile {
                    path: folder(*year)
                        .join("statements")
                        .join(format!("{council}.pdf")),
                    content: statement_pdf(&s),
                },
                OutputFile {
                    path: folder(*year)
                        .join("statements")
                        .join(format!("{council}.xlsx")),
                    content: statement_xlsx(&s).map_err(xlsx_error)?,
                },
            ]
        }
        Job::Summary(year) => vec![OutputFile {
            path: folder(*year).join("summary.xlsx"),
            content: summary_xlsx(&crate::report::year::year_summary(book, results, *year))
                .map_err(xlsx_error)?,
        }],
        Job::YearPage(year) => {
            let mut files = Vec::new();
            let annual = annual_report(plan, results, *year);
            if let Some(report) = &annual {
                files.push(OutputFile {
                    path: folder(*year).join(ANNUAL_REPORT_PDF),
                    content: annual_report_pdf(report, book),
                });
            }
            // SPEC §9: the monitoring report of the year in progress.
            if let Some(report) = crate::report::monitoring::monitoring_report(book, results, *year)
            {
                files.push(OutputFile {
                    path: folder(*year).join(crate::render::html::monitoring::MONITORING_PDF),
                    content: crate::render::pdf::monitoring::monitoring_pdf(&report),
                });
            }
            files.push(OutputFile {
                path: folder(*year).join("index.html"),
                content: year_page(
                    book,
                    results,
                    &crate::report::year::year_summary(book, results, *year),
                    annual.as_ref(),
                )
                .into_bytes(),
            });
            files.push(OutputFile {
                path: folder(*year).join(crate::render::html::explain::EXPLAIN_PAGE),
                content: crate::render::html::explain::explain_page(book, results, *year)
                    .into_bytes(),
            });
            files
        }
    };
    Ok(files)
}

/// Every document of every year, and the top `index.html`, each put into `out` as soon as
/// it is made; made in parallel on all cores (the bytes do not depend on the thread count).
/// `plan` is the book's plan; `progress` asks for a bar on a terminal.
pub fn documents_into(
    book: &Book,
    results: &Results,
    plan: &Plan,
    settlements: &[YearSettlement],
    out: &Pack<'_>,
    progress: bool,
) -> io::Result<()> {
    let jobs = jobs(results);
    let inputs = Inputs {
        book,
        results,
        plan,
        settlements,
        statements: StatementParts::new(results),
    };
    let bar = crate::pack::progress_bar(jobs.len() as u64, progress);
    let done = jobs.par_iter().try_for_each(|job| {
        out.files(make(job, &inputs)?)?;
        bar.inc(1);
        Ok(())
    });
    bar.finish_and_clear();
    done
}

/// Every document of every year, and the top `index.html`, in memory, sorted by path;
/// `plan` is the book's plan.
pub fn documents(
    book: &Book,
    results: &Results,
    plan: &Plan,
    settlements: &[YearSettlement],
) -> io::Result<Vec<OutputFile>> {
    let sink = crate::pack::MemorySink::default();
    documents_into(book, results, plan, settlements, &Pack::new(&sink), false)?;
    Ok(sink.into_files())
}
