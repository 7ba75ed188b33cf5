//! A small PDF writer for accord's print documents: A4 pages of text, rules and shaded bands,
//! laid out by [`flow::Flow`] and written with `pdf-writer`. Text is set in the built-in
//! DejaVu fonts, embedded as subsets; nothing in a file depends on the clock (no creation date,
//! and a document ID derived from the content), so the same figures give the same bytes.
//! Text from the book is only ever drawn as glyphs: a PDF made here holds no links, forms,
//! actions or scripts.

pub mod adjustment;
pub mod annual;
pub mod fit;
pub mod flow;
pub mod font;
pub mod invoice;
pub mod monitoring;
pub mod payables;
pub mod statement;
pub mod table;

use font::{UsedGlyphs, Weight};
use pdf_writer::{Content, Filter, Finish, Pdf, Rect, Ref, Str, TextStr};
use sha2::{Digest, Sha256};

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;

/// An RGB colour, each part 0.0 to 1.0.
pub type Rgb = (f32, f32, f32);

pub const BLACK: Rgb = (0.0, 0.0, 0.0);
pub const GREY: Rgb = (0.4, 0.4, 0.4);
pub const RULE: Rgb = (0.75, 0.75, 0.75);
pub const BAND: Rgb = (0.93, 0.95, 0.97);
pub const ACCENT: Rgb = (0.11, 0.29, 0.47);

/// One thing drawn on a page, in points from the page's bottom-left corner.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    Text {
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        colour: Rgb,
        text: String,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        colour: Rgb,
    },
    Band {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        colour: Rgb,
    },
}

/// A document being laid out: its title (for the PDF's properties) and its pages.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub title: String,
    pub pages: Vec<Vec<Mark>>,
}

/// Deflates a stream (zlib, as PDF's FlateDecode wants it). miniz_oxide gives the same bytes
/// for the same input. For what is made once and reused (the font programs).
pub fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

/// Deflates a page's content stream, made afresh for every page (most of a pack's
/// compressing). zlib-rs at level 2 (its fast match finder with dynamic Huffman codes) takes
/// about 60% of the time of miniz_oxide at level 1, and gives a smaller stream. Each thread
/// keeps one compressor and resets it for every page (a reset stream compresses exactly as a
/// new one, without allocating and clearing its tables again); zlib-rs's output depends only
/// on the input (its SIMD paths find the same matches), so the same page gives the same bytes
/// on any thread and any machine.
pub fn deflate_fast(data: &[u8]) -> Vec<u8> {
    use std::cell::RefCell;
    use zlib_rs::{Deflate, DeflateFlush, Status};
    thread_local! {
        static COMPRESSOR: RefCell<Deflate> = RefCell::new(Deflate::new(2, true, 15));
    }
    COMPRESSOR.with(|compressor| {
        let mut compressor = compressor.borrow_mut();
        compressor.reset();
        let mut out = vec![0; zlib_rs::compress_bound(data.len())];
        let status = compressor.compress(data, &mut out, DeflateFlush::Finish);
        assert_eq!(status, Ok(Status::StreamEnd), "deflating a page's content");
        out.truncate(compressor.total_out() as usize);
        out
    })
}

fn number(value: f32) -> f32 {
    // Two decimals are plenty for positions, and keep the output stable.
    (value * 100.0).round() / 100.0
}

impl Document {
    /// The PDF bytes.
    pub fn to_pdf(&self) -> Vec<u8> {
        assert!(!self.pages.is_empty(), "a document has at least one page");
        let mut used = Weight::ALL.map(UsedGlyphs::new);
        for marks in &self.pages {
            for mark in marks {
                if let Mark::Text { weight, text, .. } = mark {
                    used[*weight as usize].note(text);
                }
            }
        }
        for glyphs in &mut used {
            glyphs.number();
        }
        // Each page's content stream, compressed.
        let contents: Vec<Vec<u8>> = self
            .pages
            .iter()
            .map(|marks| deflate_fast(&page_content(marks, &used)))
            .collect();

        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let info = Ref::new(3);
        let page_refs: Vec<(Ref, Ref)> = (0..contents.len())
            .map(|i| {
                let base = 4 + 2 * i as i32;
                (Ref::new(base), Ref::new(base + 1))
            })
            .collect();
        let mut next = Ref::new(4 + 2 * contents.len() as i32);
        let mut fonts = Vec::new();
        for glyphs in used.iter().filter(|g| !g.is_empty()) {
            let (font_ref, after) = glyphs.write(&mut pdf, next);
            fonts.push((glyphs.weight.resource_name(), font_ref));
            next = after;
        }

        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(page_refs.iter().map(|(page, _)| *page))
            .count(page_refs.len() as i32);
        for ((page_ref, content_ref), content) in page_refs.iter().zip(&contents) {
            let mut page = pdf.page(*page_ref);
            page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
                .parent(tree)
                .contents(*content_ref);
            let mut resources = page.resources();
            let mut font_dict = resources.fonts();
            for (name, font_ref) in &fonts {
                font_dict.pair(*name, *font_ref);
            }
            font_dict.finish();
            resources.finish();
            page.finish();
            pdf.stream(*content_ref, content)
                .filter(Filter::FlateDecode);
        }
        let producer = format!("accord {}", env!("CARGO_PKG_VERSION"));
        pdf.document_info(info)
            .title(TextStr(&self.title))
            .producer(TextStr(&producer));

        // The document ID: a hash of the title and the compressed pages (which the compressed
        // bytes determine as well as the plain ones, and are a quarter of their size).
        let mut id = Sha256::new();
        id.update(self.title.as_bytes());
        for content in &contents {
            id.update(content);
        }
        let id = id.finalize()[..16].to_vec();
        pdf.set_file_id((id.clone(), id));
        pdf.finish()
    }
}

/// The content stream of one page. The fill and stroke colours, the line width and the font
/// are graphics state, which lasts from one mark to the next (and across text objects), so
/// each is set only when a mark needs a different one.
fn page_content(marks: &[Mark], used: &[UsedGlyphs; 2]) -> Vec<u8> {
    let mut content = Content::new();
    let mut fill: Option<Rgb> = None;
    let mut stroke: Option<Rgb> = None;
    let mut line_width: Option<f32> = None;
    let mut font: Option<(Weight, f32)> = None;
    for mark in marks {
        match mark {
            Mark::Band {
                x,
                y,
                width,
                height,
                colour,
            } => {
                if fill != Some(*colour) {
                    content.set_fill_rgb(colour.0, colour.1, colour.2);
                    fill = Some(*colour);
                }
                content
                    .rect(number(*x), number(*y), number(*width), number(*height))
                    .fill_nonzero();
            }
            Mark::Line {
                from,
                to,
                width,
                colour,
            } => {
                if stroke != Some(*colour) {
                    content.set_stroke_rgb(colour.0, colour.1, colour.2);
                    stroke = Some(*colour);
                }
                if line_width != Some(*width) {
                    content.set_line_width(*width);
                    line_width = Some(*width);
                }
                content
                    .move_to(number(from.0), number(from.1))
                    .line_to(number(to.0), number(to.1))
                    .stroke();
            }
            Mark::Text {
                x,
                y,
                size,
                weight,
                colour,
                text,
            } => {
                let glyphs = &used[*weight as usize];
                let encoded = glyphs.encode(text);
                if fill != Some(*colour) {
                    content.set_fill_rgb(colour.0, colour.1, colour.2);
                    fill = Some(*colour);
                }
                content.begin_text();
                if font != Some((*weight, *size)) {
                    content.set_font(weight.resource_name(), *size);
                    font = Some((*weight, *size));
                }
                content
                    .next_line(number(*x), number(*y))
                    .show(Str(&encoded))
                    .end_text();
            }
        }
    }
    content.finish().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(text: &str) -> Document {
        Document {
            title: "test".into(),
            pages: vec![vec![Mark::Text {
                x: 50.0,
                y: 700.0,
                size: 12.0,
                weight: Weight::Regular,
                colour: BLACK,
                text: text.into(),
            }]],
        }
    }

    #[test]
    fn a_page_compresses_the_same_whatever_came_before_and_round_trips() {
        let page = sample("£1,234.50 (x) \\ y").pages[0].clone();
        let used = {
            let mut used = Weight::ALL.map(UsedGlyphs::new);
            used[0].note("£1,234.50 (x) \\ y");
            used.iter_mut().for_each(UsedGlyphs::number);
            used
        };
        let content = page_content(&page, &used);
        let first = deflate_fast(&content);
        let other = deflate_fast(&[b'q'; 100_000]);
        let again = deflate_fast(&content);
        assert_eq!(first, again, "the reused compressor starts afresh");
        let mut fresh = vec![0; zlib_rs::compress_bound(content.len())];
        let (fresh, _) =
            zlib_rs::compress_slice(&mut fresh, &content, zlib_rs::DeflateConfig::new(2));
        assert_eq!(first, fresh, "as a new compressor would give");
        for (compressed, plain) in [(&first, &content[..]), (&other, &[b'q'; 100_000][..])] {
            let back = miniz_oxide::inflate::decompress_to_vec_zlib(compressed).unwrap();
            assert_eq!(back, plain);
        }
        assert!(first.len() < content.len());
    }

    #[test]
    fn colours_widths_and_fonts_are_set_only_when_they_change() {
        let text = |x: f32, weight: Weight, colour: Rgb| Mark::Text {
            x,
            y: 700.0,
            size: 9.5,
            weight,
            colour,
            text: "ab".into(),
        };
        let line = |width: f32| Mark::Line {
            from: (50.0, 600.0),
            to: (500.0, 600.0),
            width,
            colour: RULE,
        };
        let marks = vec![
            text(50.0, Weight::Regular, BLACK),
            text(90.0, Weight::Regular, BLACK),
            line(0.3),
            line(0.3),
            text(130.0, Weight::Bold, BLACK),
            text(170.0, Weight::Bold, GREY),
            line(0.8),
        ];
        let mut used = Weight::ALL.map(UsedGlyphs::new);
        used.iter_mut().for_each(|u| {
            u.note("ab");
            u.number();
        });
        let content = String::from_utf8_lossy(&page_content(&marks, &used)).into_owned();
        let count = |op: &str| content.lines().filter(|l| l.ends_with(op)).count();
        assert_eq!(count(" rg"), 2, "black, then grey: {content}");
        assert_eq!(count(" RG"), 1, "{content}");
        assert_eq!(count(" w"), 2, "0.3, then 0.8: {content}");
        assert_eq!(count(" Tf"), 2, "regular, then bold: {content}");
        assert_eq!(count(" Tj"), 4, "every text is still shown: {content}");
        assert_eq!(count("BT"), 4, "{content}");
    }

    #[test]
    fn same_document_same_bytes_and_no_clock() {
        let a = sample("£1,234.50 (x) \\ y").to_pdf();
        let b = sample("£1,234.50 (x) \\ y").to_pdf();
        assert_eq!(a, b);
        assert!(a.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&a);
        assert!(!text.contains("CreationDate") && !text.contains("ModDate"));
        assert!(text.contains("/ID"), "a fixed document ID");
        assert!(a.len() < 40_000, "the font is a subset: {} bytes", a.len());
    }
}
