//! What accord's people's workbooks share: fixed document properties (no clock time, so the
//! same figures give the same bytes), every cell format of every workbook (one money format),
//! and the one place an amount becomes a spreadsheet number.

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
    /// `plan.xlsx`'s sheets of blocks: a sheet's title, a block's title and header.
    pub sheet_title: Format,
    pub block_title: Format,
    pub block_header: Format,
    pub percent: Format,
    /// A plain ratio (`0.00`), no currency.
    pub plain_ratio: Format,
    /// A status not yet reported.
    pub unreported: Format,
    /// Green, amber and red: the spreadsheet's own "good", "neutral" and "bad" cell styles.
    pub statuses: Vec<(&'static str, Format)>,
}

/// Fill and font colours for green, amber, red: the spreadsheet's own "good", "neutral" and
/// "bad" cell styles, which readers already know.
const STATUS_COLOURS: [(&str, u32, u32); 3] = [
    ("green", 0xC6EFCE, 0x006100),
    ("amber", 0xFFEB9C, 0x9C5700),
    ("red", 0xFFC7CE, 0x9C0006),
];

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
            sheet_title: Format::new().set_bold().set_font_size(14),
            block_title: Format::new().set_bold(),
            block_header: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin),
            percent: Format::new().set_num_format("0.0%"),
            plain_ratio: Format::new().set_num_format("0.00"),
            unreported: Format::new().set_font_color(Color::Gray),
            statuses: STATUS_COLOURS
                .iter()
                .map(|(name, fill, font)| {
                    let format = Format::new()
                        .set_background_color(Color::RGB(*fill))
                        .set_font_color(Color::RGB(*font));
                    (*name, format)
                })
                .collect(),
        }
    }
}
