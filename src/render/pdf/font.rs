//! The two typefaces every PDF uses (DejaVu Sans and DejaVu Sans Bold, built into the binary,
//! so a fresh machine needs no fonts installed): their metrics for layout, and their embedding
//! as subsets holding only the glyphs a document uses. Kept apart from the page layout because
//! it is the only part that knows about font files.
//!
//! A subset's glyphs are numbered in the font's own order, so it depends only on the set of
//! glyphs a document uses; each such subset is made and compressed once per run and reused by
//! every document that uses the same glyphs (most invoices of a pack share a handful of sets).

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};
use subsetter::GlyphRemapper;

const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Which of the two typefaces a piece of text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

impl Weight {
    pub const ALL: [Weight; 2] = [Weight::Regular, Weight::Bold];

    /// The name of the font in a page's resources.
    pub fn resource_name(self) -> Name<'static> {
        match self {
            Weight::Regular => Name(b"F1"),
            Weight::Bold => Name(b"F2"),
        }
    }

    fn postscript_name(self) -> &'static str {
        match self {
            Weight::Regular => "DejaVuSans",
            Weight::Bold => "DejaVuSans-Bold",
        }
    }

    pub fn face(self) -> &'static Face {
        static FACES: OnceLock<[Face; 2]> = OnceLock::new();
        let faces = FACES.get_or_init(|| [Face::load(REGULAR_TTF), Face::load(BOLD_TTF)]);
        match self {
            Weight::Regular => &faces[0],
            Weight::Bold => &faces[1],
        }
    }
}

/// A parsed typeface: what layout needs to measure text and what embedding needs to describe it.
pub struct Face {
    data: &'static [u8],
    units_per_em: f32,
    glyphs: BTreeMap<char, u16>,
    /// The glyph of each character of the Basic Multilingual Plane (the fallback `?` for one
    /// the font lacks): text is measured and encoded a character at a time, so this is a look-up
    /// by index.
    bmp: Vec<u16>,
    advances: Vec<u16>,
    ascender: f32,
    descender: f32,
    cap_height: f32,
    bbox: [f32; 4],
}

impl Face {
    fn load(data: &'static [u8]) -> Face {
        let face = ttf_parser::Face::parse(data, 0).expect("the built-in font parses");
        let units_per_em = f32::from(face.units_per_em());
        let mut glyphs = BTreeMap::new();
        if let Some(cmap) = face.tables().cmap {
            for table in cmap.subtables.into_iter().filter(|t| t.is_unicode()) {
                table.codepoints(|code| {
                    if let (Some(c), Some(id)) = (char::from_u32(code), table.glyph_index(code)) {
                        glyphs.entry(c).or_insert(id.0);
                    }
                });
            }
        }
        let advances = (0..face.number_of_glyphs())
            .map(|g| face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0))
            .collect();
        let b = face.global_bounding_box();
        let fallback = glyphs.get(&'?').copied().unwrap_or(0);
        let bmp = (0..=0xFFFFu32)
            .map(|code| {
                char::from_u32(code)
                    .and_then(|c| glyphs.get(&c).copied())
                    .unwrap_or(fallback)
            })
            .collect();
        Face {
            data,
            units_per_em,
            glyphs,
            bmp,
            advances,
            ascender: f32::from(face.ascender()),
            descender: f32::from(face.descender()),
            cap_height: f32::from(face.capital_height().unwrap_or(face.ascender())),
            bbox: [
                f32::from(b.x_min),
                f32::from(b.y_min),
                f32::from(b.x_max),
                f32::from(b.y_max),
            ],
        }
    }

    /// The glyph for a character; a character the font lacks is shown as `?`.
    pub fn glyph(&self, c: char) -> u16 {
        if let Some(glyph) = self.bmp.get(c as usize) {
            return *glyph;
        }
        self.glyphs
            .get(&c)
            .or_else(|| self.glyphs.get(&'?'))
            .copied()
            .unwrap_or(0)
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        self.units_width(self.units(text), size)
    }

    /// The advance of `text` in font units: widths add up, so a line being built is measured
    /// by adding its words' units, with the same result as measuring the whole line.
    pub fn units(&self, text: &str) -> u32 {
        text.chars().map(|c| self.char_units(c)).sum()
    }

    /// The advance of one character in font units.
    pub fn char_units(&self, c: char) -> u32 {
        u32::from(self.advances[usize::from(self.glyph(c))])
    }

    /// The width in points at `size` of an advance of `units` font units.
    pub fn units_width(&self, units: u32, size: f32) -> f32 {
        units as f32 * size / self.units_per_em
    }

    /// A glyph's advance in PDF text-space units (thousandths of the font size).
    fn advance_per_mille(&self, glyph: u16) -> f32 {
        (f32::from(self.advances[usize::from(glyph)]) * 1000.0 / self.units_per_em).round()
    }

    fn per_mille(&self, units: f32) -> f32 {
        (units * 1000.0 / self.units_per_em).round()
    }
}

/// A font program made once: the subset of one typeface for one set of glyphs, compressed,
/// with its ToUnicode map (compressed too).
struct FontProgram {
    /// The subset's bytes, deflated for a FlateDecode stream.
    compressed: Vec<u8>,
    /// The subset's length before compression (the stream's `Length1`).
    length: usize,
    /// The ToUnicode map from the subset's glyphs to the characters they show, deflated.
    unicode_map: Vec<u8>,
}

/// Most font programs kept for reuse; past it the cache starts afresh (memory stays bounded
/// whatever the pack's size, and a program made twice is the same bytes).
const MAX_CACHED_PROGRAMS: usize = 512;

/// The PDF's description of the glyph collection (Identity: glyph ids are CIDs).
const SYSTEM_INFO: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// The font program of `weight` for the glyphs `remapper` holds, showing `chars` (new glyph
/// id -> character), made once per run.
fn font_program(
    weight: Weight,
    remapper: &GlyphRemapper,
    chars: &BTreeMap<u16, char>,
) -> Arc<FontProgram> {
    type Key = (Weight, Vec<u16>, Vec<(u16, char)>);
    static CACHE: OnceLock<Mutex<HashMap<Key, Arc<FontProgram>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (
        weight,
        remapper.remapped_gids().collect::<Vec<u16>>(),
        chars.iter().map(|(g, c)| (*g, *c)).collect::<Vec<_>>(),
    );
    if let Some(program) = cache.lock().expect("the font cache").get(&key) {
        return program.clone();
    }
    let subset =
        subsetter::subset(weight.face().data, 0, remapper).expect("the built-in font subsets");
    let mut unicode = UnicodeCmap::new(Name(b"Custom"), SYSTEM_INFO);
    for (glyph, c) in chars {
        unicode.pair(*glyph, *c);
    }
    let program = Arc::new(FontProgram {
        compressed: super::deflate(&subset),
        length: subset.len(),
        unicode_map: super::deflate(&unicode.finish()),
    });
    let mut cache = cache.lock().expect("the font cache");
    if cache.len() >= MAX_CACHED_PROGRAMS {
        cache.clear();
    }
    cache.insert(key, program.clone());
    program
}

/// The glyphs one document uses from one typeface, numbered as they will be in its subset.
/// Built in two steps: [`UsedGlyphs::note`] every text first, then [`UsedGlyphs::encode`].
pub struct UsedGlyphs {
    pub weight: Weight,
    /// The glyphs noted so far, and the first character each showed.
    noted: BTreeMap<u16, char>,
    /// One bit per glyph of the face: noted already (most characters of a document repeat).
    seen: Vec<u64>,
    remapper: GlyphRemapper,
    /// New glyph id -> the character it shows (for copy and paste, and text extraction).
    chars: BTreeMap<u16, char>,
}

impl UsedGlyphs {
    pub fn new(weight: Weight) -> UsedGlyphs {
        UsedGlyphs {
            weight,
            noted: BTreeMap::new(),
            seen: vec![0; weight.face().advances.len().div_ceil(64)],
            remapper: GlyphRemapper::new(),
            chars: BTreeMap::new(),
        }
    }

    /// Notes the glyphs `text` needs (before any text is encoded).
    pub fn note(&mut self, text: &str) {
        let face = self.weight.face();
        for c in text.chars() {
            let glyph = face.glyph(c);
            let (word, bit) = (usize::from(glyph) / 64, 1u64 << (glyph % 64));
            if self.seen[word] & bit == 0 {
                self.seen[word] |= bit;
                self.noted.insert(glyph, c);
            }
        }
    }

    /// Numbers the noted glyphs in the font's order: the subset depends only on which glyphs
    /// the document uses.
    pub fn number(&mut self) {
        let glyphs: BTreeSet<u16> = self.noted.keys().copied().collect();
        let glyphs: Vec<u16> = glyphs.into_iter().collect();
        self.remapper = GlyphRemapper::new_from_glyphs_sorted(&glyphs);
        self.chars = self
            .noted
            .iter()
            .map(|(old, c)| (self.remapper.get(*old).expect("a noted glyph"), *c))
            .collect();
    }

    /// The bytes that show `text` in the embedded subset: two-byte glyph ids (Identity-H).
    /// Every character of `text` was noted.
    pub fn encode(&self, text: &str) -> Vec<u8> {
        let face = self.weight.face();
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let new_id = self
                .remapper
                .get(face.glyph(c))
                .expect("the text's glyphs were noted");
            out.extend_from_slice(&new_id.to_be_bytes());
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// Writes the font objects (Type 0 font, CID font, descriptor, subset file, ToUnicode map)
    /// starting at `first`, and returns the Type 0 font's reference and the next free one.
    pub fn write(&self, pdf: &mut Pdf, first: Ref) -> (Ref, Ref) {
        let face = self.weight.face();
        let [type0, cid, descriptor, file, cmap] =
            [0, 1, 2, 3, 4].map(|i| Ref::new(first.get() + i));
        let next = Ref::new(first.get() + 5);
        let program = font_program(self.weight, &self.remapper, &self.chars);
        let base = format!("{}+{}", self.subset_tag(), self.weight.postscript_name());
        let base = Name(base.as_bytes());
        let system_info = SYSTEM_INFO;

        pdf.type0_font(type0)
            .base_font(base)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);

        let mut cid_font = pdf.cid_font(cid);
        cid_font
            .subtype(CidFontType::Type2)
            .base_font(base)
            .system_info(system_info)
            .font_descriptor(descriptor)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        let widths: Vec<f32> = self
            .remapper
            .remapped_gids()
            .map(|old| face.advance_per_mille(old))
            .collect();
        cid_font.widths().consecutive(0, widths);
        cid_font.finish();

        let [x0, y0, x1, y1] = face.bbox.map(|v| face.per_mille(v));
        pdf.font_descriptor(descriptor)
            .name(base)
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(x0, y0, x1, y1))
            .italic_angle(0.0)
            .ascent(face.per_mille(face.ascender))
            .descent(face.per_mille(face.descender))
            .cap_height(face.per_mille(face.cap_height))
            .stem_v(if self.weight == Weight::Bold {
                140.0
            } else {
                80.0
            })
            .font_file2(file);

        pdf.stream(file, &program.compressed)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), program.length as i32);

        let mut unicode = pdf.cmap(cmap, &program.unicode_map);
        unicode.filter(Filter::FlateDecode);
        unicode.name(Name(b"Custom")).system_info(system_info);
        unicode.finish();
        (type0, next)
    }

    /// Six capital letters naming this subset, derived from the glyphs it holds (the PDF
    /// convention for subset fonts), so the same text always gives the same name.
    fn subset_tag(&self) -> String {
        let mut hash = Sha256::new();
        for gid in self.remapper.remapped_gids() {
            hash.update(gid.to_be_bytes());
        }
        hash.finalize()
            .iter()
            .take(6)
            .map(|b| char::from(b'A' + b % 26))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fonts_have_the_pound_sign_and_measure_text() {
        for weight in Weight::ALL {
            let face = weight.face();
            assert_ne!(face.glyph('£'), face.glyph('?'), "{weight:?} has £");
            assert!(face.width("£1,234.50", 10.0) > 30.0, "{weight:?} measures");
            assert_eq!(face.width("", 10.0), 0.0);
        }
    }

    /// The glyphs of `texts`, noted in order and numbered.
    fn used(texts: &[&str]) -> UsedGlyphs {
        let mut used = UsedGlyphs::new(Weight::Regular);
        for text in texts {
            used.note(text);
        }
        used.number();
        used
    }

    #[test]
    fn a_subset_depends_only_on_the_glyphs_and_is_made_once() {
        let (a, b, c) = (
            used(&["£1,234.50", "BAR"]),
            used(&["RAB", "5.4321,£0"]),
            used(&["BAX"]),
        );
        let ids = |u: &UsedGlyphs| u.remapper.remapped_gids().collect::<Vec<u16>>();
        assert_eq!(
            ids(&a),
            ids(&b),
            "the same glyphs, in any order, number alike"
        );
        assert_eq!(a.encode("BAR"), b.encode("BAR"));
        assert_ne!(ids(&a), ids(&c));
        let (pa, pb) = (
            font_program(Weight::Regular, &a.remapper, &a.chars),
            font_program(Weight::Regular, &b.remapper, &b.chars),
        );
        assert!(Arc::ptr_eq(&pa, &pb), "the program is made once and reused");
        let pc = font_program(Weight::Regular, &c.remapper, &c.chars);
        assert_ne!(pa.compressed, pc.compressed);
        // What is reused is the subset itself, compressed.
        let fresh = subsetter::subset(REGULAR_TTF, 0, &a.remapper).unwrap();
        assert_eq!(pa.length, fresh.len());
        assert_eq!(pa.compressed, crate::render::pdf::deflate(&fresh));
        // Each character maps back to itself for text extraction.
        let face = Weight::Regular.face();
        let bar_id = a.remapper.get(face.glyph('B')).unwrap();
        assert_eq!(a.chars[&bar_id], 'B');
    }
}
