//! Fitting text to widths: wrapping a line of text at spaces, and sharing a table's width
//! among its columns so that no word or amount is broken. Separate from the flow so the
//! measuring rules can be tested on their own.

use super::font::Weight;
use super::table::{Align, Column, Row, BODY, CELL_PAD, TEXT_WIDTH};

/// Splits `text` into lines no wider than `width` at `size`, breaking at spaces, or inside a
/// word too long for a line. A line is measured as it grows, by adding up its characters'
/// advances (the same sum as measuring the whole line), so no candidate line is built.
pub fn wrap(text: &str, weight: Weight, size: f32, width: f32) -> Vec<String> {
    let face = weight.face();
    let fits = |units: u32| face.units_width(units, size) <= width;
    let space = face.char_units(' ');
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_units = 0u32;
    for word in text.split_whitespace() {
        let word_units = face.units(word);
        let candidate = if line.is_empty() {
            word_units
        } else {
            line_units + space + word_units
        };
        if fits(candidate) {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            line_units = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // The word does not fit on a line of its own: it is broken where the line is full.
        line_units = 0;
        let mut line_chars = 0usize;
        for c in word.chars() {
            line.push(c);
            line_units += face.char_units(c);
            line_chars += 1;
            if !fits(line_units) && line_chars > 1 {
                let last = line.pop().expect("the line has a character");
                lines.push(std::mem::replace(&mut line, last.to_string()));
                line_units = face.char_units(last);
                line_chars = 1;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The narrowest a column can be: its widest word (left-aligned cells wrap between words) or
/// its widest cell (right-aligned cells never wrap), bold in the header and totals.
fn min_width(column: usize, align: Align, header: &[String], rows: &[Row]) -> f32 {
    let cells = std::iter::once((header.get(column), Weight::Bold)).chain(rows.iter().map(|r| {
        let weight = if r.total {
            Weight::Bold
        } else {
            Weight::Regular
        };
        (r.cells.get(column), weight)
    }));
    let mut widest: f32 = 0.0;
    for (cell, weight) in cells {
        let Some(cell) = cell else { continue };
        let face = weight.face();
        let width = match align {
            Align::Right => face.width(cell, BODY),
            Align::Left => cell
                .split_whitespace()
                .map(|w| face.width(w, BODY))
                .fold(0.0, f32::max),
        };
        widest = widest.max(width);
    }
    widest + 2.0 * CELL_PAD + 1.0
}

/// Column widths in points: the columns' shares of the text width, widened where a column
/// would otherwise break a word or an amount, the difference taken from the columns with room.
pub fn fit_widths(columns: &[Column], header: &[String], rows: &[Row]) -> Vec<f32> {
    let total_share: f32 = columns.iter().map(|c| c.width).sum();
    let mins: Vec<f32> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| min_width(i, c.align, header, rows))
        .collect();
    let mut widths: Vec<f32> = columns
        .iter()
        .map(|c| c.width / total_share * TEXT_WIDTH)
        .collect();
    for _ in 0..columns.len() {
        let short: f32 = widths
            .iter()
            .zip(&mins)
            .map(|(w, m)| (m - w).max(0.0))
            .sum();
        if short <= 0.01 {
            break;
        }
        let room: f32 = widths
            .iter()
            .zip(&mins)
            .map(|(w, m)| (w - m).max(0.0))
            .sum();
        if room <= 0.01 {
            break;
        }
        let take = short.min(room) / room;
        for (w, m) in widths.iter_mut().zip(&mins) {
            if *w < *m {
                *w = *m;
            } else {
                *w -= (*w - m) * take;
            }
        }
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wrapping as it was first written, measuring every candidate line whole: the reference
    /// that measuring as the line grows must match, line for line.
    fn wrap_by_measuring_whole_lines(
        text: &str,
        weight: Weight,
        size: f32,
        width: f32,
    ) -> Vec<String> {
        let face = weight.face();
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if face.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                line.push(c);
                if face.width(&line, size) > width && line.chars().count() > 1 {
                    let last = line.pop().unwrap();
                    lines.push(std::mem::replace(&mut line, last.to_string()));
                }
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    #[test]
    fn wrapping_as_the_line_grows_breaks_where_measuring_whole_lines_does() {
        let texts = [
            "",
            "   ",
            "one",
            "equal share: 365 of 8,395 council-days, of £900,000.00 to raise from members",
            "support in kind from C000 shared by days taking part: 365 of 9,490 council-days",
            "West London Alliance shared programmes, 2012/13. Worked out by accord from the book.",
            "a-very-long-reference-with-no-spaces-at-all-WLA/2012-13/C000/C001/and/more/parts",
            "tabs\tand\nnewlines   and  double  spaces £ € ¼ ✓",
            "iiiiiiiiiiiiiiiiiiiiiiiiiiiiii WWWWWWWWWWWWWWWWWWW mmmmmmmmmm .",
        ];
        let widths = [1.0, 20.0, 47.5, 60.0, 100.0, 133.3, 250.0, 495.28];
        for text in texts {
            for weight in Weight::ALL {
                for size in [7.5, 9.0, 9.5, 10.5] {
                    for width in widths {
                        assert_eq!(
                            wrap(text, weight, size, width),
                            wrap_by_measuring_whole_lines(text, weight, size, width),
                            "{text:?} {weight:?} {size} {width}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn wrapping_keeps_every_word_and_fits() {
        let text =
            "Children's Services Improvement and Efficiency programme with a rather long name";
        let lines = wrap(text, Weight::Regular, 10.0, 120.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
        for line in &lines {
            assert!(Weight::Regular.face().width(line, 10.0) <= 120.0, "{line}");
        }
        let long = "x".repeat(200);
        assert_eq!(wrap(&long, Weight::Regular, 10.0, 100.0).concat(), long);
        assert_eq!(wrap("", Weight::Regular, 10.0, 100.0), vec![String::new()]);
    }
}
