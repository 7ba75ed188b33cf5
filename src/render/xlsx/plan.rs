//! `plan.xlsx`: the business plan and benefits sheets as a workbook a finance director opens,
//! with totals as live formulas (their results cached, so readers that do not calculate see
//! them too), statuses coloured, and a native chart of savings against the target, in the
//! formats of `style` (the one money format). The same sheets always give the same bytes.

use super::style::{fixed_properties, Styles};
use super::table::{Column, SheetTable, Value};
use crate::output::OutputFile;
use crate::report::plan::{Block, Cell, ChartSpec, Sheet, Span};
use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet, XlsxError};
use std::io::{self, Write};
use std::path::PathBuf;

/// Where the workbook goes: the top of the reports folder.
pub const PLAN_XLSX: &str = "plan.xlsx";

/// Narrowest and widest column, in characters.
const COLUMN_WIDTH_RANGE: (usize, usize) = (8, 50);

/// Lays out `sheets` as `plan.xlsx`, ready for the reports folder.
pub fn plan_file(sheets: &[Sheet]) -> io::Result<OutputFile> {
    let mut content = Vec::new();
    write_plan_xlsx(sheets, &mut content)?;
    Ok(OutputFile {
        path: PathBuf::from(PLAN_XLSX),
        content,
    })
}

/// Writes `sheets` as an xlsx workbook, one worksheet per sheet.
pub fn write_plan_xlsx(sheets: &[Sheet], out: &mut impl Write) -> io::Result<()> {
    let bytes = workbook_bytes(sheets).map_err(io::Error::other)?;
    out.write_all(&bytes)
}

fn workbook_bytes(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&fixed_properties("West London Alliance business plan"));
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        write_sheet(worksheet, sheet)?;
    }
    workbook.save_to_buffer()
}

/// Where a block landed on its worksheet (0-based rows).
struct Placed {
    header_row: u32,
    first_body_row: u32,
    column_count: usize,
}

fn write_sheet(worksheet: &mut Worksheet, sheet: &Sheet) -> Result<(), XlsxError> {
    let formats = Styles::new();
    worksheet.set_name(sheet.name)?;
    worksheet.write_string_with_format(0, 0, &sheet.title, &formats.sheet_title)?;
    let mut row: u32 = 1;
    for note in &sheet.notes {
        worksheet.write_string(row, 0, note)?;
        row += 1;
    }
    row += 1;
    let mut widths: Vec<usize> = Vec::new();
    let mut placed = Vec::new();
    for block in &sheet.blocks {
        let (at, next) = write_block(worksheet, block, row, &formats, &mut widths)?;
        placed.push(at);
        row = next + 1;
    }
    for (column, width) in widths.into_iter().enumerate() {
        let width = (width + 2).clamp(COLUMN_WIDTH_RANGE.0, COLUMN_WIDTH_RANGE.1);
        worksheet.set_column_width(column_index(column)?, width as f64)?;
    }
    if let Some(spec) = &sheet.chart {
        let block = &sheet.blocks[spec.block];
        if !block.rows.is_empty() {
            let at = &placed[spec.block];
            let chart = savings_chart(sheet.name, block, at, spec);
            let column = column_index(at.column_count + 1)?;
            worksheet.insert_chart(at.header_row.saturating_sub(1), column, &chart)?;
        }
    }
    Ok(())
}

/// Writes one block from `row`; returns where it is and the row after its last.
fn write_block(
    worksheet: &mut Worksheet,
    block: &Block,
    row: u32,
    formats: &Styles,
    widths: &mut Vec<usize>,
) -> Result<(Placed, u32), XlsxError> {
    let mut note_width = |column: usize, width: usize| {
        if widths.len() <= column {
            widths.resize(column + 1, 0);
        }
        widths[column] = widths[column].max(width);
    };
    worksheet.write_string_with_format(row, 0, &block.title, &formats.block_title)?;
    let header_row = row + 1;
    for (column, name) in block.header.iter().enumerate() {
        note_width(column, name.chars().count());
    }
    for cells in &block.rows {
        for (column, cell) in cells.iter().enumerate() {
            let shown = match cell {
                Cell::Money(_) | Cell::Total { .. } => {
                    cell.written().len() + cell.written().len() / 4
                }
                _ => cell.written().chars().count(),
            };
            note_width(column, shown);
        }
    }
    let at = SheetTable {
        header_row,
        columns: block.header.iter().map(Column::plain).collect(),
        rows: block
            .rows
            .iter()
            .map(|cells| cells.iter().map(value).collect())
            .collect(),
        total: None,
        freeze_columns: None,
    }
    .write(worksheet, formats)?;
    let placed = Placed {
        header_row,
        first_body_row: header_row + 1,
        column_count: block.header.len(),
    };
    Ok((placed, at))
}

/// A typed cell of the report layer as a cell of the table writer.
fn value(cell: &Cell) -> Value {
    match cell {
        Cell::Blank => Value::Blank,
        Cell::Text(text) => Value::text(text),
        Cell::Money(money) => Value::Money(*money),
        Cell::Integer(n) => Value::Integer(*n),
        Cell::Percent(p) => Value::Percent(*p),
        Cell::Ratio(r) => Value::PlainRatio(*r),
        Cell::Status(status) => Value::Status {
            text: cell.written(),
            status: status.map(|s| s.as_str()),
        },
        Cell::Total {
            result,
            of: Span::Above,
        } => Value::ColumnSum(*result),
        Cell::Total {
            result,
            of: Span::LeftFrom(from),
        } => Value::RowSum {
            from: u16::try_from(*from).unwrap_or(u16::MAX),
            value: *result,
        },
    }
}

/// A column chart of the `columns` series with the `lines` series drawn over it.
fn savings_chart(sheet: &str, block: &Block, at: &Placed, spec: &ChartSpec) -> Chart {
    let last_row = at.first_body_row + block.rows.len() as u32 - 1;
    let categories_col = spec.categories as u16;
    let add = |chart: &mut Chart, column: usize| {
        let col = column as u16;
        chart
            .add_series()
            .set_name((sheet, at.header_row, col))
            .set_categories((
                sheet,
                at.first_body_row,
                categories_col,
                last_row,
                categories_col,
            ))
            .set_values((sheet, at.first_body_row, col, last_row, col));
    };
    let mut chart = Chart::new(ChartType::Column);
    for &column in &spec.columns {
        add(&mut chart, column);
    }
    let mut lines = Chart::new(ChartType::Line);
    for &column in &spec.lines {
        add(&mut lines, column);
    }
    chart.combine(&lines);
    chart.title().set_name(&spec.title);
    chart.y_axis().set_name("GBP").set_num_format("#,##0");
    chart.set_width(720).set_height(400);
    chart
}

fn column_index(column: usize) -> Result<u16, XlsxError> {
    u16::try_from(column).map_err(|_| XlsxError::RowColumnLimitError)
}
