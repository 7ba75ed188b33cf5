//! Decoding a CSV file's bytes to text: UTF-8 (with or without Excel's byte-order mark) or, when
//! the bytes are not UTF-8, Windows-1252, the code page Excel uses for "CSV" on a UK Windows PC.

/// The encoding a file's bytes were read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Windows1252,
}

/// Windows-1252's characters for the bytes 0x80-0x9F (the rest of the code page is Latin-1).
/// The five bytes the code page leaves undefined map to the C1 control of the same number, as
/// the WHATWG encoding standard does.
const WINDOWS_1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes a text file's bytes: a leading UTF-8 byte-order mark is dropped; bytes that are valid
/// UTF-8 are read as UTF-8, anything else as Windows-1252 (which can decode every byte).
pub fn decode_text(bytes: &[u8]) -> (String, TextEncoding) {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), TextEncoding::Utf8),
        Err(_) => (decode_windows_1252(bytes), TextEncoding::Windows1252),
    }
}

/// Decodes Windows-1252 bytes; every byte is a character, so this cannot fail.
pub fn decode_windows_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&byte| match byte {
            0x80..=0x9F => WINDOWS_1252_HIGH[usize::from(byte - 0x80)],
            _ => char::from(byte),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_each_encoding_a_csv_export_may_use() {
        let cases: &[(&[u8], &str, TextEncoding)] = &[
            (b"amount\n1.50\n", "amount\n1.50\n", TextEncoding::Utf8),
            (b"\xEF\xBB\xBFcode,name", "code,name", TextEncoding::Utf8),
            ("£1,234.50".as_bytes(), "£1,234.50", TextEncoding::Utf8),
            (b"\xA31,234.50", "£1,234.50", TextEncoding::Windows1252),
            (b"\x80100", "€100", TextEncoding::Windows1252),
            (
                b"\x93quoted\x94 \x96 ok",
                "\u{201C}quoted\u{201D} \u{2013} ok",
                TextEncoding::Windows1252,
            ),
            (b"caf\xE9", "café", TextEncoding::Windows1252),
            (
                b"\x81\x8D\x8F\x90\x9D",
                "\u{81}\u{8D}\u{8F}\u{90}\u{9D}",
                TextEncoding::Windows1252,
            ),
            (b"", "", TextEncoding::Utf8),
        ];
        for (bytes, text, encoding) in cases {
            assert_eq!(
                decode_text(bytes),
                (text.to_string(), *encoding),
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn every_byte_decodes_to_one_character() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(decode_windows_1252(&bytes).chars().count(), 256);
    }
}
