//! Report tables: the engine's results laid out as the rows and columns of SPEC §3, with
//! values already in their written form (amounts `1234.50`, years `2012/13`). No formatting
//! beyond that: each renderer decides how a table looks in its format.

pub mod adjustments;
pub mod compare;
pub mod invoice;
mod issue;
pub mod journals;
pub mod monitoring;
pub mod plan;
mod reconcile;
mod rows;
pub mod statement;
pub mod statement_settlement;
pub mod wording;
pub mod year;

pub use issue::issue_table;
pub use reconcile::reconcile;

use crate::engine::Results;
use crate::money::Money;
use rows::{Def, Source};

/// A ledger line that was not counted, as `unmapped.csv` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    pub source: String,
    pub line_number: usize,
    pub cost_centre: String,
    pub amount: Money,
    /// `no programme`, `outside the book's years` or `after actuals_to`.
    pub reason: &'static str,
}

/// One machine-readable table: a file name, a header and rows of text cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The file it is written to, e.g. `allocations.csv`.
    pub file_name: &'static str,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// How many leading columns the rows are sorted by.
    pub sort_columns: usize,
    /// Columns holding free text from the book (neutralised against spreadsheet formulas).
    pub text_columns: Vec<&'static str>,
}

impl Table {
    fn new(file_name: &'static str, header: &[&'static str], sort_columns: usize) -> Table {
        Table {
            file_name,
            header: header.to_vec(),
            rows: Vec::new(),
            sort_columns,
            text_columns: Vec::new(),
        }
    }

    /// Sorts rows by their leading columns: whole numbers by value before other text, which
    /// sorts by its characters (the order `check-contract` expects). The sort is stable.
    fn sort(&mut self) {
        let n = self.sort_columns;
        // Most tables are made in their order already: checking costs one comparison a row
        // and no allocation; only a table out of order is sorted.
        let in_order = self
            .rows
            .windows(2)
            .all(|w| compare_rows(&w[0], &w[1], n) != std::cmp::Ordering::Greater);
        if !in_order {
            self.rows.sort_by_cached_key(|row| {
                row.iter()
                    .take(n)
                    .map(|v| match sort_number(v.as_bytes()) {
                        Some(number) => (0u8, number, String::new()),
                        None => (1, 0, v.clone()),
                    })
                    .collect::<Vec<_>>()
            });
        }
    }
}

/// A cell's value as a whole number, for sorting: `Some` when it is all digits and fits a
/// `u128`; other text sorts by its characters, after every number.
fn sort_number(v: &[u8]) -> Option<u128> {
    if v.is_empty() {
        return None;
    }
    v.iter().try_fold(0u128, |n, &b| {
        if b.is_ascii_digit() {
            n.checked_mul(10)?.checked_add(u128::from(b - b'0'))
        } else {
            None
        }
    })
}

/// The order of [`Table::sort`] on the first `n` cells of two rows, without allocating.
fn compare_rows(a: &[String], b: &[String], n: usize) -> std::cmp::Ordering {
    compare_cells(
        a.iter().map(String::as_bytes),
        a.len(),
        b.iter().map(String::as_bytes),
        b.len(),
        n,
    )
}

/// [`compare_rows`] over two rows' cells as they come (`a_len` and `b_len` cells).
fn compare_cells<'x, 'y>(
    a: impl Iterator<Item = &'x [u8]>,
    a_len: usize,
    b: impl Iterator<Item = &'y [u8]>,
    b_len: usize,
    n: usize,
) -> std::cmp::Ordering {
    for (x, y) in a.zip(b).take(n) {
        // The same text is the same number too (the leading cells of rows one after another
        // mostly are): no need to read it as one.
        if x == y {
            continue;
        }
        let order = match (sort_number(x), sort_number(y)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => x.cmp(y),
        };
        if order.is_ne() {
            return order;
        }
    }
    a_len.min(n).cmp(&b_len.min(n))
}

fn yes_no(flag: bool) -> String {
    yes_no_text(flag).to_string()
}

fn yes_no_text(flag: bool) -> &'static str {
    if flag {
        "yes"
    } else {
        "no"
    }
}

/// Every machine-readable table of SPEC §3, in the order they are listed there.
pub fn tables(results: &Results, unmapped: &[Unmapped]) -> Vec<Table> {
    let source = Source { results, unmapped };
    let mut all: Vec<Table> = DEFS.iter().map(|def| def.table(source)).collect();
    // SPEC §9: only when a year is in progress.
    all.extend(monitoring::monitoring_table(results));
    for table in &mut all {
        table.sort();
    }
    all
}

/// One CSV file of [`tables`], to be made (each on its own, in any order or on any thread).
pub struct CsvTable<'a> {
    pub file_name: &'static str,
    make: CsvMake<'a>,
}

enum CsvMake<'a> {
    Def(&'static Def, Source<'a>),
    Table(Table),
}

impl CsvTable<'_> {
    /// The file's bytes: those `render::csv::write_table` writes for the table of
    /// [`tables`], written straight from the results when the rows come in order (for the
    /// tests; a run streams them with [`CsvTable::write_into`]).
    #[cfg(test)]
    pub fn content(&self) -> std::io::Result<Vec<u8>> {
        let mut content = Vec::new();
        if !self.write(&mut content)? {
            content.clear();
            self.write_sorted(&mut content)?;
        }
        Ok(content)
    }

    /// Writes the file into `pack` as it is made, in pieces (the buffer it is made in is
    /// reused, never the whole file).
    pub fn write_into(&self, pack: &crate::pack::Pack) -> std::io::Result<()> {
        let path = std::path::PathBuf::from(self.file_name);
        let mut file = pack.create(path.clone())?;
        if self.write(&mut file)? {
            return file.finish();
        }
        // Out of order: the file begun is dropped unfinished (so it is not in the manifest)
        // and made again, whole, from the sorted table.
        drop(file);
        let mut file = pack.create(path)?;
        self.write_sorted(&mut file)?;
        file.finish()
    }

    /// Writes the file straight from the results: false when its rows are out of order and
    /// what was written is not the file.
    fn write(&self, out: &mut dyn std::io::Write) -> std::io::Result<bool> {
        match &self.make {
            CsvMake::Def(def, source) => def.csv(*source, out),
            CsvMake::Table(table) => {
                crate::render::csv::write_table(table, out)?;
                Ok(true)
            }
        }
    }

    /// Writes the file from the sorted table.
    fn write_sorted(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        match &self.make {
            CsvMake::Def(def, source) => crate::render::csv::write_table(&def.table(*source), out),
            CsvMake::Table(table) => crate::render::csv::write_table(table, out),
        }
    }
}

/// The files of [`tables`], in its order, each made when asked for (a run writes them).
pub fn csv_tables<'a>(results: &'a Results, unmapped: &'a [Unmapped]) -> Vec<CsvTable<'a>> {
    let source = Source { results, unmapped };
    let mut all: Vec<CsvTable> = DEFS
        .iter()
        .map(|def| CsvTable {
            file_name: def.file_name,
            make: CsvMake::Def(def, source),
        })
        .collect();
    all.extend(monitoring::monitoring_table(results).map(|mut table| {
        table.sort();
        CsvTable {
            file_name: table.file_name,
            make: CsvMake::Table(table),
        }
    }));
    all
}

/// The tables of SPEC §3 (`monitoring.csv` apart), row by row.
static DEFS: [Def; 8] = [
    Def {
        file_name: "allocations.csv",
        header: &[
            "year",
            "programme",
            "council",
            "kind",
            "days",
            "weight",
            "amount",
        ],
        sort_columns: 3,
        text_columns: &[],
        rows: |s, emit| {
            for a in &s.results.allocations {
                if !emit(&|row| {
                    row.year(a.year);
                    row.str(&a.programme);
                    row.str(&a.council);
                    row.str(a.kind.as_str());
                    row.int(a.days.into());
                    row.decimal(a.weight.normalize());
                    row.money(a.amount);
                }) {
                    return;
                }
            }
        },
        presorted: None,
        table: None,
    },
    Def {
        file_name: "carry_forward.csv",
        header: &[
            "year",
            "programme",
            "status",
            "opening",
            "budget",
            "grants",
            "guest_charges",
            "member_contributions",
            "actual",
            "closing",
        ],
        sort_columns: 2,
        text_columns: &[],
        rows: |s, emit| {
            for e in &s.results.year_ends {
                if !emit(&|row| {
                    row.year(e.year);
                    row.str(&e.programme);
                    row.str(e.status.as_str());
                    for amount in year::carry_forward_values(e) {
                        row.money(amount);
                    }
                }) {
                    return;
                }
            }
        },
        presorted: None,
        table: None,
    },
    Def {
        file_name: "invoices.csv",
        header: &["invoice", "year", "issuer", "payer", "programme", "amount"],
        sort_columns: 5,
        text_columns: &[],
        rows: |s, emit| {
            for l in &s.results.invoices {
                if !emit(&|row| {
                    row.str(&l.invoice);
                    row.year(l.year);
                    row.str(&l.issuer);
                    row.str(&l.payer);
                    row.str(&l.programme);
                    row.money(l.amount);
                }) {
                    return;
                }
            }
        },
        presorted: None,
        table: None,
    },
    Def {
        file_name: "variance.csv",
        header: &[
            "year",
            "programme",
            "category",
            "budget",
            "actual",
            "variance",
            "exception",
        ],
        sort_columns: 3,
        text_columns: &["category"],
        rows: |s, emit| {
            for v in &s.results.variance {
                if !emit(&|row| {
                    row.year(v.year);
                    row.str(&v.programme);
                    row.str(&v.category);
                    row.money(v.budget);
                    row.money(v.actual);
                    row.money(v.variance);
                    row.str(yes_no_text(v.exception));
                }) {
                    return;
                }
            }
        },
        presorted: None,
        table: None,
    },
    Def {
        file_name: "benefits.csv",
        header: &["year", "programme", "council", "type", "target", "achieved"],
        sort_columns: 4,
        text_columns: &[],
        rows: |s, emit| {
            for b in &s.results.benefits {
                if !emit(&|row| {
                    row.year(b.year);
                    row.str(&b.programme);
                    row.str(&b.council);
                    row.str(b.benefit_type.as_str());
                    match b.target {
                        Some(target) => row.money(target),
                        None => row.str(""),
                    }
                    row.money(b.achieved);
                }) {
                    return;
                }
            }
        },
        presorted: None,
        table: None,
    },
    Def {
        file_name: "returns.csv",
        header: &["year", "council", "paid", "cashable"],
        sort_columns: 2,
        text_columns: &[],
        rows: |s, emit| {
            for r in &s.results.returns {
                if !emit(&|row| {
                    row.year(r.year);
                    row.str(&r.council);
                    row.money(r.paid);
                    row.money(r.cashable);
                }) {
                    return;
                }
            }
        },
        presorted: None,
        table: None,
    },
    Def {
        file_name: "unmapped.csv",
        header: &["source", "line", "cost_centre", "amount", "reason"],
        sort_columns: 2,
        text_columns: &["source", "cost_centre"],
        rows: |s, emit| {
            for u in s.unmapped {
                if !emit(&|row| {
                    row.str(&u.source);
                    row.int(u.line_number as i128);
                    row.str(&u.cost_centre);
                    row.money(u.amount);
                    row.str(u.reason);
                }) {
                    return;
                }
            }
        },
        presorted: None,
        table: None,
    },
    issue::ISSUE,
];
