//! Writers, one per format, over the report tables. Each writes into any `Write`, so tests
//! render into a `Vec<u8>`.

pub mod adjustment_pdf;
pub mod adjustments;
pub mod annual_pdf;
pub mod compare_html;
pub mod compare_xlsx;
pub mod csv;
pub mod dashboard;
pub mod documents;
pub mod explain;
pub mod explain_page;
pub mod html;
pub mod invoice_pdf;
pub mod journal_files;
pub mod manifest;
pub mod monitoring_html;
pub mod monitoring_pdf;
pub mod monitoring_xlsx;
pub mod payables;
pub mod pdf;
pub mod plain_text_accounting;
pub mod plan_dashboard;
pub mod plan_html;
pub mod plan_xlsx;
pub mod statement;
pub mod statement_files;
pub mod statement_settlement;
pub mod summary_sheets;
pub mod summary_xlsx;
pub mod svg;
pub mod xlsx_style;
pub mod year_page;
