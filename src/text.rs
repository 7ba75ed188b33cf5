//! Small text helpers with one home each, used by messages, documents and the manifest alike:
//! digit grouping, quoting a value for a message, spreadsheet column letters, hexadecimal
//! digests, and lists kept up to a limit. Depends on nothing else of accord's.

/// Digits with a comma every three from the right: `1234567` as `1,234,567`.
pub fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Most characters of a value a message repeats.
const QUOTED_MAX_CHARS: usize = 60;

/// A count and its noun: "1 credit note", "3 credit notes".
pub fn counted(n: usize, thing: &str) -> String {
    format!("{n} {thing}{}", if n == 1 { "" } else { "s" })
}

/// A value quoted for a message as Rust's `{:?}` would, but cut short when long, so a cell of a
/// million characters gives a message of one line: `"XXXX…" (1,000,000 characters)`.
pub fn quoted(text: &str) -> String {
    let chars = text.chars().count();
    if chars <= QUOTED_MAX_CHARS {
        return format!("{text:?}");
    }
    let head: String = text.chars().take(QUOTED_MAX_CHARS).collect();
    let head = format!("{head:?}");
    format!(
        "{}…\" ({} characters)",
        &head[..head.len() - 1],
        group_thousands(&chars.to_string())
    )
}

/// Spreadsheet column letters for a 1-based column number: 1 -> A, 27 -> AA.
pub fn column_letters(column_number: u64) -> String {
    let mut n = column_number;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// Lower-case hexadecimal of a digest: the form of every SHA-256 accord prints.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of some bytes, in hexadecimal.
pub fn sha256_hex(content: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(content))
}

/// A count of things of which only the first `limit` are kept to be listed; the rest are
/// counted only (errors of a book exported wrongly, bad ledger lines, roundings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capped {
    limit: usize,
    pub listed: usize,
    pub unlisted: usize,
}

impl Capped {
    pub const fn new(limit: usize) -> Capped {
        Capped {
            limit,
            listed: 0,
            unlisted: 0,
        }
    }

    /// Counts one more; true when it is to be listed.
    pub fn admit(&mut self) -> bool {
        if self.listed < self.limit {
            self.listed += 1;
            true
        } else {
            self.unlisted += 1;
            false
        }
    }
}

/// A free-text cell made inert for spreadsheets.
pub fn neutralise(text: &str) -> String {
    neutralised(text).into_owned()
}

/// [`neutralise`], borrowing the text when it needs nothing (most cells: no copy).
pub fn neutralised(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_by_table() {
        for (digits, grouped) in [
            ("", ""),
            ("1", "1"),
            ("123", "123"),
            ("1234", "1,234"),
            ("1234567", "1,234,567"),
        ] {
            assert_eq!(group_thousands(digits), grouped);
        }
        for (n, said) in [
            (0, "0 credit notes"),
            (1, "1 credit note"),
            (2, "2 credit notes"),
        ] {
            assert_eq!(counted(n, "credit note"), said);
        }
        for (n, letters) in [
            (1, "A"),
            (26, "Z"),
            (27, "AA"),
            (52, "AZ"),
            (703, "AAA"),
            (16_384, "XFD"),
        ] {
            assert_eq!(column_letters(n), letters, "column {n}");
        }
        assert_eq!(hex(&[0, 15, 255]), "000fff");
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(quoted("a\"b"), "\"a\\\"b\"");
        let long = "x".repeat(1_000_000);
        assert_eq!(
            quoted(&long),
            format!("\"{}…\" (1,000,000 characters)", "x".repeat(60))
        );
    }

    #[test]
    fn a_capped_list_keeps_the_first_and_counts_the_rest() {
        let mut cap = Capped::new(2);
        let admitted: Vec<bool> = (0..5).map(|_| cap.admit()).collect();
        assert_eq!(admitted, [true, true, false, false, false]);
        assert_eq!((cap.listed, cap.unlisted), (2, 3));
    }
}
