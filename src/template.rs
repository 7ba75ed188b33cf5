//! The template book `accord init` writes: every table's header and an example row, from the
//! schema, so a new user starts from the right shape (and the template itself is a valid book).

use crate::book::{Cell, CellValue, RawRow, RawTable};
use crate::diag::Place;
use crate::model::SCHEMAS;

/// Example rows beyond the schema's one per table, so that the template validates: the
/// participation example names a programme, which must exist.
/// The `driver` example (SPEC §4) gets a programme and a participation row of its own, and
/// the settings show the closed-set `sik_basis`, so each has its drop-down to copy.
const EXTRA_ROWS: [(&str, &[&str]); 4] = [
    (
        "programmes",
        &["ADULTS", "Adult Care Services", "HRW", "equal", "apply"],
    ),
    (
        "programmes",
        &[
            "SHARED",
            "Shared planning service",
            "HRW",
            "driver",
            "settle",
        ],
    ),
    (
        "participation",
        &["SHARED", "HRW", "2012-04-01", "", "", ""],
    ),
    ("settings", &["sik_basis", "equal"]),
];

/// Tables the template gives with their header only: an example `profile` row would put a
/// programme's whole budget in one month (a profile's months must total 100).
const HEADER_ONLY: [&str; 1] = ["profile"];

pub fn template_tables() -> Vec<RawTable> {
    SCHEMAS
        .iter()
        .map(|schema| {
            let place = Place::File {
                file: format!("{}.csv", schema.name).into(),
            };
            let cell = |text: &str| Cell {
                value: if text.is_empty() {
                    CellValue::Empty
                } else {
                    CellValue::Text(text.to_string())
                },
                place: place.clone(),
            };
            let mut rows = vec![schema.columns.iter().map(|c| c.example).collect::<Vec<_>>()];
            // A table with no example (the register of issued documents) gets its header only.
            rows.retain(|row| row.iter().any(|v| !v.is_empty()));
            if HEADER_ONLY.contains(&schema.name) {
                rows.clear();
            }
            for (table, extra) in EXTRA_ROWS {
                if table == schema.name {
                    rows.push(extra.to_vec());
                }
            }
            RawTable {
                name: schema.name.to_string(),
                place: place.clone(),
                headers: schema.columns.iter().map(|c| cell(c.name)).collect(),
                rows: rows
                    .into_iter()
                    .map(|values| RawRow {
                        place: place.clone(),
                        cells: values.into_iter().map(cell).collect(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The template as CSV files: `(file name, content)`, with a `README.txt` that says what each
/// column holds (the notes a template workbook puts on its header cells).
pub fn template_csv_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = template_tables()
        .iter()
        .map(|t| {
            let mut text = String::new();
            let line = |cells: Vec<String>| cells.join(",") + "\n";
            text += &line(t.headers.iter().map(|c| text_of(&c.value)).collect());
            for row in &t.rows {
                text += &line(row.cells.iter().map(|c| text_of(&c.value)).collect());
            }
            (format!("{}.csv", t.name), text)
        })
        .collect();
    files.push(("README.txt".to_string(), crate::guide::readme_text()));
    files
}

fn text_of(value: &CellValue) -> String {
    match value {
        CellValue::Text(s) => s.clone(),
        _ => String::new(),
    }
}
