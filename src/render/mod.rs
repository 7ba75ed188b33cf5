//! Writers, one per format, over the report models: `csv`, `pdf/`, `xlsx/`, `html/`,
//! `plain_text_accounting` (ledger and beancount journals) and `manifest` (JSON). Each writes
//! into any `Write` or returns bytes, so tests render into memory. `documents` and
//! `journal_files` lay those files out as the folders of the pack. Nothing here works out a
//! figure: sums, dates and ratios come from `report/` and the engine.

pub mod csv;
pub mod documents;
pub mod html;
pub mod journal_csv;
pub mod journal_files;
pub mod manifest;
pub mod pdf;
pub mod plain_text_accounting;
pub mod xlsx;
