//! What fitting a table (`fit`) and flowing it down the pages (`flow`) both need: the text
//! block's measures on an A4 page and the shape of a table (its columns and rows). Kept apart
//! so that neither of the two depends on the other's module.

use super::PAGE_WIDTH;

pub const MARGIN: f32 = 50.0;
pub const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
pub const BODY: f32 = 9.5;
pub const CELL_PAD: f32 = 4.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table column: its share of the text width and how its cells align.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub width: f32,
    pub align: Align,
}

/// One row of a table; `total` rows are bold with a rule above.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<String>,
    pub total: bool,
}

impl Row {
    pub fn plain(cells: Vec<String>) -> Row {
        Row {
            cells,
            total: false,
        }
    }

    pub fn total(cells: Vec<String>) -> Row {
        Row { cells, total: true }
    }
}
