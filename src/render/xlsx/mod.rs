//! accord's workbooks: `summary.xlsx` (with its plain table sheets, the adjustments and the
//! monitoring sheet), `plan.xlsx`, `compare.xlsx` and each statement's workbook, all with the
//! formats and fixed document properties of `style`.

pub mod adjustments;
pub mod compare;
pub mod monitoring;
pub mod plan;
pub mod statement;
pub mod style;
pub mod summary;
pub mod summary_sheets;
pub mod table;
