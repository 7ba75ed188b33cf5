//! A code the results hold many copies of (a council, programme or provider code, an invoice
//! or document number): a string that reads like a `&str`, kept inline when it is short, as
//! nearly every code is. A large book has hundreds of thousands of allocations, invoice lines
//! and documents, each naming three or four codes: as `String`s each copy was an allocation of
//! its own; inline, a copy is 24 bytes and no allocation, whichever thread makes it.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// How many bytes a code holds inline (`WLA/2012-13/C000/C001` is 21).
const INLINE: usize = 22;

/// An immutable string, inline up to [`INLINE`] bytes, shared on the heap beyond. It compares,
/// orders, hashes, prints and debugs exactly as its text does.
#[derive(Clone)]
pub struct Code(Repr);

#[derive(Clone)]
enum Repr {
    /// `bytes[..len]` is the text: whole UTF-8, since it is only ever copied from a `&str`.
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    Heap(Arc<str>),
}

impl Code {
    pub fn new(text: &str) -> Code {
        if text.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            Code(Repr::Inline {
                len: text.len() as u8,
                bytes,
            })
        } else {
            Code(Repr::Heap(Arc::from(text)))
        }
    }

    /// The parts one after the other, written in place when they fit inline.
    pub fn concat(parts: &[&str]) -> Code {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        if len > INLINE {
            return Code(Repr::Heap(Arc::from(parts.concat())));
        }
        let mut bytes = [0u8; INLINE];
        let mut at = 0;
        for part in parts {
            // Byte by byte: the parts are a few bytes each, shorter than a call to `memcpy`.
            for (to, from) in bytes[at..].iter_mut().zip(part.as_bytes()) {
                *to = *from;
            }
            at += part.len();
        }
        Code(Repr::Inline {
            len: len as u8,
            bytes,
        })
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, bytes } => {
                // SAFETY: the bytes are a whole `&str`'s, copied in `new` and never changed.
                unsafe { std::str::from_utf8_unchecked(&bytes[..usize::from(*len)]) }
            }
            Repr::Heap(text) => text,
        }
    }
}

impl Default for Code {
    fn default() -> Code {
        Code::new("")
    }
}

impl Deref for Code {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Code {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Code {
    fn from(text: &str) -> Code {
        Code::new(text)
    }
}

impl From<&String> for Code {
    fn from(text: &String) -> Code {
        Code::new(text)
    }
}

impl From<String> for Code {
    fn from(text: String) -> Code {
        Code::new(&text)
    }
}

impl From<&Code> for String {
    fn from(code: &Code) -> String {
        code.as_str().to_string()
    }
}

impl From<Code> for String {
    fn from(code: Code) -> String {
        code.as_str().to_string()
    }
}

impl PartialEq for Code {
    fn eq(&self, other: &Code) -> bool {
        match (&self.0, &other.0) {
            // The bytes past `len` are zero in every inline code, so equal texts are equal
            // arrays: one compare of the whole, no call to `memcmp`.
            (Repr::Inline { len: a, bytes: x }, Repr::Inline { len: b, bytes: y }) => {
                a == b && x == y
            }
            // A heap code is longer than any inline one.
            (Repr::Heap(x), Repr::Heap(y)) => x == y,
            _ => false,
        }
    }
}

impl Eq for Code {}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Code) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Code {
    fn cmp(&self, other: &Code) -> Ordering {
        match (&self.0, &other.0) {
            // Sorting hundreds of thousands of results compares codes most of all: two inline
            // codes are compared as two pairs of big-endian integers, then by length. That is
            // the order of their texts: where the zero-padded arrays first differ, either both
            // texts have a byte there (the texts differ there first too), or only the longer
            // has, and it is the greater; arrays alike are texts alike but for trailing NULs,
            // where the shorter text is the lesser.
            (Repr::Inline { len: a, bytes: x }, Repr::Inline { len: b, bytes: y }) => {
                inline_key(x).cmp(&inline_key(y)).then(a.cmp(b))
            }
            _ => self.as_str().cmp(other.as_str()),
        }
    }
}

/// The inline bytes as integers that order as the bytes do.
#[inline]
fn inline_key(bytes: &[u8; INLINE]) -> (u128, u64) {
    let mut head = [0u8; 16];
    let mut tail = [0u8; 8];
    head.copy_from_slice(&bytes[..16]);
    tail[..INLINE - 16].copy_from_slice(&bytes[16..]);
    (u128::from_be_bytes(head), u64::from_be_bytes(tail))
}

impl Hash for Code {
    /// As its text hashes, so that a map keyed by codes can be searched by `&str`.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

macro_rules! equal_to_text {
    ($($text:ty),*) => {$(
        impl PartialEq<$text> for Code {
            fn eq(&self, other: &$text) -> bool {
                self.as_str() == AsRef::<str>::as_ref(other)
            }
        }
        impl PartialEq<Code> for $text {
            fn eq(&self, other: &Code) -> bool {
                AsRef::<str>::as_ref(self) == other.as_str()
            }
        }
    )*};
}

equal_to_text!(str, &str, String);

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_codes_are_inline_and_long_ones_shared() {
        assert_eq!(std::mem::size_of::<Code>(), 24);
        for text in [
            "",
            "EAL",
            "WLA/2012-13/C000/C001",
            "WLA/2012-13/C000/C001/2",
            "é😀x",
        ] {
            let code = Code::new(text);
            assert_eq!(code.as_str(), text);
            assert_eq!(code, text);
            assert_eq!(text, code);
            assert_eq!(code.clone(), code);
            let middle = (0..=text.len() / 2)
                .rev()
                .find(|i| text.is_char_boundary(*i))
                .unwrap();
            let (head, tail) = text.split_at(middle);
            assert_eq!(Code::concat(&[head, "", tail]), code);
            assert_eq!(
                format!("{code}|{code:?}|{code:>6}"),
                format!("{text}|{text:?}|{text:>6}")
            );
            assert_eq!(
                matches!(code.0, Repr::Inline { .. }),
                text.len() <= INLINE,
                "{text}"
            );
        }
    }

    proptest! {
        /// Codes order, compare and hash as their texts do, inline or not.
        #[test]
        fn codes_behave_as_their_text(a in ".{0,30}", b in ".{0,30}") {
            codes_behave_as(&a, &b)?;
        }

        /// The same for texts of few bytes (NULs among them) and shared prefixes, where the
        /// inline fast path's padding and lengths matter.
        #[test]
        fn near_codes_behave_as_their_text(
            stem in "[a/\\x00]{0,20}",
            a in "[a/\\x00\\x01\u{ff}]{0,4}",
            b in "[a/\\x00\\x01\u{ff}]{0,4}",
        ) {
            codes_behave_as(&format!("{stem}{a}"), &format!("{stem}{b}"))?;
        }
    }

    fn codes_behave_as(a: &str, b: &str) -> Result<(), TestCaseError> {
        let (x, y) = (Code::new(a), Code::new(b));
        prop_assert_eq!(x.cmp(&y), a.cmp(b));
        prop_assert_eq!(x == y, a == b);
        let hash = |h: &dyn Fn(&mut std::collections::hash_map::DefaultHasher)| {
            let mut state = std::collections::hash_map::DefaultHasher::new();
            h(&mut state);
            state.finish()
        };
        prop_assert_eq!(hash(&|s| x.hash(s)), hash(&|s| a.hash(s)));
        Ok(())
    }
}
