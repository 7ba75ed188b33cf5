//! What accord's people's workbooks share: fixed document properties (no clock time, so the
//! same figures give the same bytes), the cell formats, and the one place an amount becomes a
//! spreadsheet number.

use crate::money::Money;
use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatBorder};

/// The creation date written into every workbook, fixed (rust_xlsxwriter would otherwise
/// stamp the current time).
const CREATION_DATE: (u16, u8, u8) = (2000, 1, 1);

/// Excel's number format for money: `£1,234.50`, negatives in red with a minus.
pub const MONEY_FORMAT: &str = "£#,##0.00;[Red]-£#,##0.00";

pub fn fixed_properties(title: &str) -> DocProperties {
    let (year, month, day) = CREATION_DATE;
    let created = ExcelDateTime::from_ymd(year, month, day).expect("a valid fixed date");
    DocProperties::new()
        .set_title(title)
        .set_author("accord")
        .set_creation_datetime(&created)
}

/// An amount as a spreadsheet number. Pence fit exactly in an `f64` up to 2^53, far beyond
/// any amount accord accepts; this is for display only, never for arithmetic.
pub fn money_value(money: Money) -> f64 {
    money.pence() as f64 / 100.0
}

pub struct Styles {
    pub title: Format,
    pub heading: Format,
    pub header: Format,
    pub header_right: Format,
    pub bold: Format,
    pub text: Format,
    pub money: Format,
    pub money_total: Format,
    pub ratio: Format,
}

impl Default for Styles {
    fn default() -> Styles {
        Styles::new()
    }
}

impl Styles {
    pub fn new() -> Styles {
        let accent = Color::RGB(0x1C4A78);
        let band = Color::RGB(0xDCE6F0);
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_font_color(accent),
            heading: Format::new()
                .set_bold()
                .set_font_size(12)
                .set_font_color(accent),
            header: Format::new()
                .set_bold()
                .set_background_color(band)
                .set_border_bottom(FormatBorder::Thin),
            header_right: Format::new()
                .set_bold()
                .set_background_color(band)
                .set_border_bottom(FormatBorder::Thin)
                .set_align(rust_xlsxwriter::FormatAlign::Right),
            bold: Format::new().set_bold().set_border_top(FormatBorder::Thin),
            text: Format::new(),
            money: Format::new().set_num_format(MONEY_FORMAT),
            money_total: Format::new()
                .set_num_format(MONEY_FORMAT)
                .set_bold()
                .set_border_top(FormatBorder::Thin),
            ratio: Format::new().set_num_format("£0.00"),
        }
    }
}
