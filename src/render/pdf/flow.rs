//! Top-to-bottom layout on A4 pages: headings, wrapped paragraphs, key-value blocks and
//! tables that break across pages (repeating their header). Invoices and statements are both
//! laid out with it, so they look alike and neither knows about page breaks.

use super::fit::{fit_widths, wrap};
use super::font::Weight;
use super::{Document, Mark, Rgb, ACCENT, BAND, BLACK, GREY, PAGE_HEIGHT, PAGE_WIDTH, RULE};

pub use super::table::{Align, Column, Row, BODY, CELL_PAD, MARGIN, TEXT_WIDTH};

const TOP: f32 = PAGE_HEIGHT - MARGIN;
const BOTTOM: f32 = MARGIN + 20.0;

/// Lays out a document from the top of its first page down. `footer` is printed at the foot of
/// every page, followed by `page N of M`.
pub struct Flow {
    doc: Document,
    footer: String,
    y: f32,
}

impl Flow {
    pub fn new(title: &str, footer: &str) -> Flow {
        Flow {
            doc: Document {
                title: title.to_string(),
                pages: vec![Vec::new()],
            },
            footer: footer.to_string(),
            y: TOP,
        }
    }

    fn marks(&mut self) -> &mut Vec<Mark> {
        self.doc.pages.last_mut().expect("there is always a page")
    }

    /// Draws text with its baseline at `y` (from the page's bottom).
    pub fn text_at(&mut self, x: f32, y: f32, size: f32, weight: Weight, colour: Rgb, text: &str) {
        self.marks().push(Mark::Text {
            x,
            y,
            size,
            weight,
            colour,
            text: text.to_string(),
        });
    }

    /// Draws text ending at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, size: f32, weight: Weight, text: &str) {
        let x = right - weight.face().width(text, size);
        self.text_at(x, y, size, weight, BLACK, text);
    }

    /// Starts a new page when less than `height` points are left on this one.
    pub fn ensure(&mut self, height: f32) -> bool {
        if self.y - height < BOTTOM && self.y < TOP {
            self.doc.pages.push(Vec::new());
            self.y = TOP;
            return true;
        }
        false
    }

    pub fn space(&mut self, points: f32) {
        self.y -= points;
    }

    /// A line of large text in the accent colour, with `aside` at the right margin.
    pub fn title(&mut self, text: &str, aside: &str) {
        self.ensure(30.0);
        self.y -= 18.0;
        let y = self.y;
        self.text_at(MARGIN, y, 18.0, Weight::Bold, ACCENT, text);
        let x = PAGE_WIDTH - MARGIN - Weight::Regular.face().width(aside, 10.0);
        self.text_at(x, y, 10.0, Weight::Regular, GREY, aside);
        self.y -= 8.0;
        self.rule(1.0, ACCENT);
        self.y -= 6.0;
    }

    /// A section heading.
    pub fn heading(&mut self, text: &str) {
        // Room for the heading, a table header and a row or two: never a heading alone.
        self.ensure(90.0);
        self.y -= 18.0;
        let y = self.y;
        self.text_at(MARGIN, y, 11.5, Weight::Bold, ACCENT, text);
        self.y -= 6.0;
    }

    /// Wrapped text across the page.
    pub fn paragraph(&mut self, text: &str, size: f32, weight: Weight, colour: Rgb) {
        for line in wrap(text, weight, size, TEXT_WIDTH) {
            self.ensure(size * 1.4);
            self.y -= size * 1.4;
            let y = self.y;
            self.text_at(MARGIN, y, size, weight, colour, &line);
        }
    }

    fn rule(&mut self, width: f32, colour: Rgb) {
        let y = self.y;
        self.marks().push(Mark::Line {
            from: (MARGIN, y),
            to: (PAGE_WIDTH - MARGIN, y),
            width,
            colour,
        });
    }

    /// Label and value pairs in two columns starting at `x`, down from `top`; returns the
    /// baseline of the last pair (the cursor does not move).
    pub fn pairs(&mut self, x: f32, top: f32, pairs: &[(&str, String)]) -> f32 {
        let face = Weight::Regular.face();
        let label_width = pairs
            .iter()
            .map(|(label, _)| face.width(label, BODY))
            .fold(0.0, f32::max);
        let mut y = top;
        for (label, value) in pairs {
            y -= BODY * 1.5;
            self.text_at(x, y, BODY, Weight::Regular, GREY, label);
            self.text_at(x + label_width + 12.0, y, BODY, Weight::Bold, BLACK, value);
        }
        y
    }

    /// The current baseline position (for blocks placed side by side).
    pub fn cursor(&self) -> f32 {
        self.y
    }

    pub fn set_cursor(&mut self, y: f32) {
        self.y = y;
    }

    /// A table: a shaded header row, then rows whose left-aligned cells wrap; the header is
    /// repeated at the top of each new page. Each row's cells are wrapped once.
    pub fn table(&mut self, columns: &[Column], header: &[&str], rows: &[Row]) {
        let header_cells: Vec<String> = header.iter().map(|h| h.to_string()).collect();
        let widths = fit_widths(columns, &header_cells, rows);
        let header_lines = Flow::cell_lines(columns, &widths, &header_cells, Weight::Bold);
        self.ensure(3.0 * BODY * 1.6);
        self.table_row(columns, &widths, &header_lines, Weight::Bold, true, false);
        for row in rows {
            let weight = if row.total {
                Weight::Bold
            } else {
                Weight::Regular
            };
            let lines = Flow::cell_lines(columns, &widths, &row.cells, weight);
            if self.ensure(Flow::row_height(&lines)) {
                self.table_row(columns, &widths, &header_lines, Weight::Bold, true, false);
            }
            self.table_row(columns, &widths, &lines, weight, false, row.total);
        }
    }

    fn cell_lines(
        columns: &[Column],
        widths: &[f32],
        cells: &[String],
        weight: Weight,
    ) -> Vec<Vec<String>> {
        cells
            .iter()
            .zip(columns.iter().zip(widths))
            .map(|(cell, (column, width))| match column.align {
                Align::Left => wrap(cell, weight, BODY, width - 2.0 * CELL_PAD),
                Align::Right => vec![cell.clone()],
            })
            .collect()
    }

    /// The height of a row whose cells are wrapped into `lines`.
    fn row_height(lines: &[Vec<String>]) -> f32 {
        let lines = lines.iter().map(Vec::len).max().unwrap_or(1);
        lines as f32 * BODY * 1.3 + BODY * 0.7
    }

    /// Draws one row, its cells wrapped into `lines` (by [`Flow::cell_lines`]).
    fn table_row(
        &mut self,
        columns: &[Column],
        widths: &[f32],
        lines: &[Vec<String>],
        weight: Weight,
        shaded: bool,
        ruled: bool,
    ) {
        let height = Flow::row_height(lines);
        let top = self.y;
        if shaded {
            self.marks().push(Mark::Band {
                x: MARGIN,
                y: top - height,
                width: TEXT_WIDTH,
                height,
                colour: BAND,
            });
        }
        if ruled {
            self.rule(0.8, BLACK);
        }
        let mut x = MARGIN;
        for ((cell_lines, column), width) in lines.iter().zip(columns).zip(widths) {
            let mut y = top - BODY * 1.25;
            for line in cell_lines {
                match column.align {
                    Align::Left => self.text_at(x + CELL_PAD, y, BODY, weight, BLACK, line),
                    Align::Right => self.text_right(x + width - CELL_PAD, y, BODY, weight, line),
                }
                y -= BODY * 1.3;
            }
            x += width;
        }
        self.y = top - height;
        if !shaded && !ruled {
            self.rule(0.3, RULE);
        }
    }

    /// The finished document, with the footer and page numbers on every page.
    pub fn finish(mut self) -> Document {
        let count = self.doc.pages.len();
        for (i, page) in self.doc.pages.iter_mut().enumerate() {
            let numbered = format!("page {} of {count}", i + 1);
            let size = 7.5;
            let x = PAGE_WIDTH - MARGIN - Weight::Regular.face().width(&numbered, size);
            for line in wrap(&self.footer, Weight::Regular, size, TEXT_WIDTH - 80.0)
                .iter()
                .take(2)
                .enumerate()
            {
                page.push(Mark::Text {
                    x: MARGIN,
                    y: MARGIN - line.0 as f32 * size * 1.3,
                    size,
                    weight: Weight::Regular,
                    colour: GREY,
                    text: line.1.clone(),
                });
            }
            page.push(Mark::Text {
                x,
                y: MARGIN,
                size,
                weight: Weight::Regular,
                colour: GREY,
                text: numbered,
            });
        }
        self.doc
    }
}
