//! `plan.xlsx` read back through calamine as a reader would check it: the plan figures by hand,
//! totals as formulas, projected balances against `carry_forward.csv`, statuses, the savings
//! chart, returns (a council that paid nothing included), and the same bytes every run.

use super::{fixture_plan, pounds};
use crate::support::*;
use calamine::{open_workbook, Data, Reader, Xlsx};
use std::path::Path;

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    crate::support::csv_data(path)
}

/// One worksheet of `plan.xlsx` as a grid of cached values, and its formulas.
struct Grid {
    cells: Vec<Vec<Data>>,
    formulas: calamine::Range<String>,
}

impl Grid {
    fn open(path: &Path, sheet: &str) -> Grid {
        let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
        let range = workbook.worksheet_range(sheet).unwrap();
        assert_eq!(range.start(), Some((0, 0)), "{sheet} starts at A1");
        let cells = range.rows().map(<[Data]>::to_vec).collect();
        let formulas = workbook.worksheet_formula(sheet).unwrap();
        Grid { cells, formulas }
    }

    fn text(&self, row: usize, col: usize) -> String {
        match self.cells.get(row).and_then(|r| r.get(col)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Empty) | None => String::new(),
            Some(other) => other.to_string(),
        }
    }

    /// The row and column of the cell in block `title`, row keyed `key`, column `column`.
    fn find(&self, title: &str, key: &str, column: &str) -> (usize, usize) {
        let start = (0..self.cells.len())
            .find(|r| self.text(*r, 0) == title)
            .unwrap_or_else(|| panic!("block {title}"));
        let header = start + 1;
        let col = (0..self.cells[header].len())
            .find(|c| self.text(header, *c) == column)
            .unwrap_or_else(|| panic!("column {column}"));
        let row = (header + 1..self.cells.len())
            .take_while(|r| !self.text(*r, 0).is_empty())
            .find(|r| self.text(*r, 0) == key)
            .unwrap_or_else(|| panic!("row {key} in {title}"));
        (row, col)
    }

    fn number(&self, title: &str, key: &str, column: &str) -> f64 {
        let (row, col) = self.find(title, key, column);
        match &self.cells[row][col] {
            Data::Float(f) => *f,
            other => panic!("{title}/{key}/{column} is {other:?}, not a number"),
        }
    }

    fn formula(&self, title: &str, key: &str, column: &str) -> String {
        let (row, col) = self.find(title, key, column);
        self.formulas
            .get_value((row as u32, col as u32))
            .cloned()
            .unwrap_or_default()
    }
}

#[test]
fn projected_balances_are_carry_forward_closings() {
    let dir = scratch("plan-balances");
    let out = dir.join("reports");
    run_into(&fixture(), &out);
    let carry_forward = csv_rows(&out.join("carry_forward.csv"));
    let grid = Grid::open(&out.join("plan.xlsx"), "balances");
    let (_, _, plan) = fixture_plan();
    assert_eq!(
        plan.business_plan.balances.len(),
        3 * 8,
        "8 programmes in 3 years"
    );
    for row in carry_forward
        .iter()
        .filter(|r| ["2014/15", "2015/16", "2016/17"].contains(&r[0].as_str()))
    {
        let closing = pounds(&row[9]);
        let e = plan
            .business_plan
            .balances
            .iter()
            .find(|e| e.year.to_string() == row[0] && e.programme == row[1])
            .unwrap();
        assert_eq!(e.closing, closing, "{} {}", row[0], row[1]);
        assert_eq!(row[2], "forecast");
        let (r, c) = grid.find("balances", &row[0], "projected closing");
        let shown = (r..)
            .take_while(|r| grid.text(*r, 0) == row[0])
            .find(|r| grid.text(*r, 1) == row[1])
            .unwrap();
        assert_eq!(
            grid.cells[shown][c],
            Data::Float(closing.pence() as f64 / 100.0),
            "{} {} in plan.xlsx",
            row[0],
            row[1]
        );
    }
}

#[test]
fn plan_xlsx_shows_what_a_reader_checks_by_hand() {
    let dir = scratch("plan-xlsx");
    let out = dir.join("reports");
    run_into(&fixture(), &out);
    let path = out.join("plan.xlsx");
    let workbook: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        ["plan", "balances", "status", "savings", "returns"]
    );

    let plan = Grid::open(&path, "plan");
    assert_eq!(
        plan.number("2014/15", "HRW", "OFFICE"),
        31475.0,
        "HRW's 2014/15 Office contribution"
    );
    assert_eq!(
        plan.number("2014/15", "HRW", "total"),
        281407.17,
        "HRW's 2014/15 total, as returns.csv"
    );
    assert!(
        plan.formula("2014/15", "HRW", "total").starts_with("SUM("),
        "row totals are formulas"
    );
    assert_eq!(
        plan.number("2014/15", "total", "OFFICE"),
        188850.0,
        "the Office's member contributions"
    );
    assert!(
        plan.formula("2014/15", "total", "OFFICE")
            .starts_with("SUM("),
        "column totals are formulas"
    );
    assert_eq!(
        plan.number("2016/17", "RIC", "PROCURE"),
        33000.0,
        "the guest's charge, as carry_forward.csv"
    );

    let status = Grid::open(&path, "status");
    let (row, col) = status.find("status", "2012/13", "status");
    let transport = (row..).find(|r| status.text(*r, 1) == "TRANSPORT").unwrap();
    assert_eq!(status.text(transport, col), "red");
    let (row, _) = status.find("status", "2014/15", "status");
    assert_eq!(status.text(row, col), "not yet reported");

    let savings = Grid::open(&path, "savings");
    assert_eq!(savings.number("progress", "gap", "value"), 42590500.0);
    assert_eq!(
        savings.number("progress", "run rate needed a year", "value"),
        14196833.34
    );
    assert_eq!(
        savings.number("by year", "2013/14", "cumulative achieved"),
        14409500.0
    );
    let zip = std::fs::read(&path).unwrap();
    let has = |needle: &str| zip.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(
        has("xl/charts/chart1.xml"),
        "the savings sheet has a native chart"
    );

    let returns = Grid::open(&path, "returns");
    let (row, col) = returns.find("returns", "2013/14", "in words");
    assert_eq!(returns.text(row, 1), "BAR");
    assert_eq!(
        returns.text(row, col),
        "GBP 4.10 saved for every GBP 1 paid",
        "1,314,000 / 320,487.26"
    );

    let again = dir.join("again");
    run_into(&fixture(), &again);
    assert_eq!(
        std::fs::read(again.join("plan.xlsx")).unwrap(),
        zip,
        "the same book gives the same bytes"
    );
}

#[test]
fn a_council_with_savings_and_no_payments() {
    let dir = scratch("plan-no-payments");
    let book = copy_fixture(&dir);
    edit(
        &book,
        "councils.csv",
        "RIC,",
        "KIN,Royal Borough of Kingston upon Thames,guest,,,\nRIC,",
    );
    edit(
        &book,
        "benefits.csv",
        "2013/14,PROCURE,RIC,",
        "2013/14,PROCURE,KIN,cashable,10000.00,12000.00\n2013/14,PROCURE,RIC,",
    );
    let out = dir.join("reports");
    run_into(&book, &out);
    check_contract(&out);
    let returns = csv_rows(&out.join("returns.csv"));
    assert!(
        returns.contains(&vec![
            "2013/14".into(),
            "KIN".into(),
            "0.00".into(),
            "12000.00".into()
        ]),
        "{returns:?}"
    );
    let grid = Grid::open(&out.join("plan.xlsx"), "returns");
    let (row, col) = grid.find("returns", "2013/14", "in words");
    let kin = (row..).find(|r| grid.text(*r, 1) == "KIN").unwrap();
    assert_eq!(grid.text(kin, col), "GBP 12,000.00 saved and no payments");
    assert_eq!(
        grid.text(kin, col - 1),
        "",
        "no ratio when nothing was paid"
    );
}

#[test]
fn without_a_collective_target_progress_is_left_out() {
    let dir = scratch("plan-no-target");
    let book = copy_fixture(&dir);
    edit(&book, "settings.csv", "collective_target,57000000\n", "");
    edit(
        &book,
        "settings.csv",
        "collective_target_year,2016/17\n",
        "",
    );
    let out = dir.join("reports");
    run_into(&book, &out);
    let grid = Grid::open(&out.join("plan.xlsx"), "savings");
    assert!(
        !(0..grid.cells.len()).any(|r| grid.text(r, 0) == "progress"),
        "no progress block"
    );
    assert!(
        (0..grid.cells.len()).any(|r| grid.text(r, 0).contains("no collective_target")),
        "said in words"
    );
    assert_eq!(
        grid.number("by year", "2013/14", "cumulative achieved"),
        14409500.0
    );
}

#[test]
fn a_book_ending_sooner_has_a_shorter_plan() {
    let dir = scratch("plan-short");
    let book = copy_fixture(&dir);
    edit(
        &book,
        "actuals.csv",
        "2012/13,OFFICE,staff,",
        "2014/15,OFFICE,staff,1.00\n2012/13,OFFICE,staff,",
    );
    let out = dir.join("reports");
    run_into(&book, &out);
    let grid = Grid::open(&out.join("plan.xlsx"), "plan");
    let note = "the plan covers 2 years (2015/16 to 2016/17), not 3: the book ends in 2016/17";
    assert!(
        (0..5).any(|r| grid.text(r, 0) == note),
        "the shortfall is said: {:?}",
        grid.cells.iter().take(5).collect::<Vec<_>>()
    );
    assert!(
        !(0..grid.cells.len()).any(|r| grid.text(r, 0) == "2014/15"),
        "2014/15 has actuals"
    );
}
