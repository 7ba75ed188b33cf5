//! A ledger file as a stream of blocks of whole CSV records, in UTF-8, each knowing the line
//! of the file it starts on. Kept apart from the parsing so that a file of any size is read a
//! megabyte at a time (peak memory does not grow with the file) and every line number the
//! user sees is a line of the file as it is on disk. The buffers of blocks already counted are
//! handed back and read into again, so that no block costs fresh pages. Each block brings the
//! bytes of the file it was made from ([`Block::file_bytes`]), which the thread that counts it
//! hashes in file order (`parse`), so that hashing one block and reading the next overlap.
//!
//! A file is UTF-8 when every byte of it is, else Windows-1252, decided as the blocks are read:
//! the first block that is not UTF-8 switches to Windows-1252 when every byte before it was
//! ASCII (which both read alike), and otherwise asks for the file to be read again from its
//! start as Windows-1252 ([`is_not_utf8_after_all`]). A header that is not all ASCII is decided
//! on the whole file first, by a pass over its bytes, so that column names are read once.

use crate::book::encoding::{decode_windows_1252, TextEncoding};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// How much of a file is handed to the CSV parser at once: small enough that the block a
/// thread has just read and hashed is still in its core's cache when it parses it, and that the
/// other thread is not left long without one at the start and the end of a file.
pub(super) const BLOCK_BYTES: usize = 1 << 20;

/// How much is read from the file at a time.
const READ_BYTES: usize = 128 << 10;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whole records of a ledger file, as UTF-8 text.
pub(super) struct Block {
    pub text: Vec<u8>,
    /// The line of the file the block's first record starts on (the header is line 1).
    pub first_line_number: usize,
    /// Bytes of the file read up to the end of this block, for the progress bar.
    pub bytes_done: u64,
    /// The file's bytes of this block when they are not `text` (a block decoded from
    /// Windows-1252), for the file's hash.
    pub raw: Option<Vec<u8>>,
}

impl Block {
    /// The bytes of the file this block was made from: the next to hash.
    pub fn file_bytes(&self) -> &[u8] {
        self.raw.as_deref().unwrap_or(&self.text)
    }
}

/// Reads a ledger file block by block, starting after its header record.
pub(super) struct BlockReader {
    file: File,
    block_bytes: usize,
    encoding: TextEncoding,
    /// Whether the encoding is still to be decided, and whether a byte handed out so far was
    /// not ASCII (so that switching to Windows-1252 would change it).
    deciding: bool,
    seen_non_ascii: bool,
    /// The bytes read and not yet handed out are `buffer[..filled]`; the rest of `buffer` is
    /// room to read into, kept between blocks so that it is not allocated and zeroed again.
    buffer: Vec<u8>,
    filled: usize,
    /// Buffers of blocks already counted, handed back by [`BlockReader::recycle`].
    spare: Vec<Vec<u8>>,
    at_end: bool,
    next_line_number: usize,
    /// Bytes of the file handed out so far (header included).
    bytes_done: u64,
    /// The byte-order mark and the header, hashed: the blocks' bytes follow them.
    hasher: Sha256,
}

/// The header record of a ledger file, as text, and the reader for the records after it.
pub(super) struct Opened {
    pub header: Option<String>,
    pub reader: BlockReader,
}

/// The error that asks for a file to be read again as Windows-1252: a byte that is not UTF-8
/// came after text that reads differently in the two.
#[derive(Debug)]
struct NotUtf8AfterAll;

impl std::fmt::Display for NotUtf8AfterAll {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the file is not UTF-8 after all; read it again as Windows-1252")
    }
}

impl std::error::Error for NotUtf8AfterAll {}

/// Whether `error` asks for the file to be read again with `open(path, _, true)`.
pub(super) fn is_not_utf8_after_all(error: &io::Error) -> bool {
    error.get_ref().is_some_and(|e| e.is::<NotUtf8AfterAll>())
}

/// Opens a ledger file and splits off its header record: as Windows-1252 when
/// `windows_1252`, else deciding as it reads. Blocks hold about `block_bytes` (more when one
/// record is longer).
pub(super) fn open(path: &Path, block_bytes: usize, windows_1252: bool) -> io::Result<Opened> {
    let mut reader = BlockReader {
        file: File::open(path)?,
        block_bytes,
        encoding: match windows_1252 {
            true => TextEncoding::Windows1252,
            false => TextEncoding::Utf8,
        },
        deciding: !windows_1252,
        seen_non_ascii: false,
        buffer: Vec::new(),
        filled: 0,
        spare: Vec::new(),
        at_end: false,
        next_line_number: 1,
        bytes_done: 0,
        hasher: Sha256::new(),
    };
    reader.fill(block_bytes.min(1 << 16))?;
    if reader.pending().starts_with(UTF8_BOM) {
        reader.hasher.update(UTF8_BOM);
        reader.consume(UTF8_BOM.len());
        reader.bytes_done += UTF8_BOM.len() as u64;
    }
    let header_end = loop {
        if let Some(end) = first_record_end(reader.pending()) {
            break Some(end + 1);
        }
        if reader.at_end {
            break (reader.filled > 0).then_some(reader.filled);
        }
        let want = reader.filled * 2;
        reader.fill(want)?;
    };
    let header = match header_end {
        None => None,
        Some(end) => {
            let raw: Vec<u8> = reader.pending()[..end].to_vec();
            reader.hasher.update(&raw);
            reader.consume(end);
            reader.bytes_done += raw.len() as u64;
            reader.next_line_number += count_byte(&raw, b'\n');
            if reader.deciding && !raw.is_ascii() {
                // Column names that read differently in the two: decide on the whole file
                // before reading them (real extracts have plain names, so this is rare).
                reader.encoding = detect_encoding(File::open(path)?)?;
                reader.deciding = false;
            }
            let (text, _) = reader.decode(raw)?;
            Some(String::from_utf8_lossy(&text).into_owned())
        }
    };
    Ok(Opened { header, reader })
}

impl BlockReader {
    /// The next block of whole records, or `None` at the end of the file.
    pub fn next_block(&mut self) -> io::Result<Option<Block>> {
        let mut want = self.block_bytes;
        let end = loop {
            self.fill(want)?;
            if self.at_end {
                break self.filled;
            }
            if let Some(end) = last_record_end(self.pending()) {
                break end + 1;
            }
            // One record longer than a block (or an unbalanced quote): read on.
            want = self.filled * 2;
        };
        if end == 0 {
            return Ok(None);
        }
        // The bytes after the block's last record start the next buffer.
        let rest = self.filled - end;
        let mut next = self.spare.pop().unwrap_or_default();
        if next.len() < self.block_bytes.max(rest) {
            next.resize(self.block_bytes.max(rest), 0);
        }
        next[..rest].copy_from_slice(&self.buffer[end..self.filled]);
        let mut raw = std::mem::replace(&mut self.buffer, next);
        raw.truncate(end);
        self.filled = rest;
        self.bytes_done += raw.len() as u64;
        let newline_count = count_byte(&raw, b'\n');
        let first_line_number = self.next_line_number;
        self.next_line_number += newline_count;
        let (text, raw) = self.decode(raw)?;
        Ok(Some(Block {
            text,
            first_line_number,
            bytes_done: self.bytes_done,
            raw,
        }))
    }

    /// Takes back the text of a block that has been counted, to read a later block into.
    pub fn recycle(&mut self, mut text: Vec<u8>) {
        if self.spare.len() < 4 && text.capacity() >= self.block_bytes {
            text.resize(text.capacity(), 0);
            self.spare.push(text);
        }
    }

    /// The hash of the byte-order mark and the header, for the blocks' bytes to follow.
    pub fn take_hasher(&mut self) -> Sha256 {
        std::mem::take(&mut self.hasher)
    }

    /// The file's size, once every block has been read.
    pub fn size(&self) -> u64 {
        assert!(
            self.at_end && self.filled == 0,
            "the file is read to its end"
        );
        self.bytes_done
    }

    /// Whole records of the file as UTF-8, deciding the encoding while that is still to do; and
    /// the file's bytes when they are not the text.
    fn decode(&mut self, raw: Vec<u8>) -> io::Result<(Vec<u8>, Option<Vec<u8>>)> {
        if self.deciding {
            // ASCII (nearly every block) is UTF-8, and is read alike whatever is decided later.
            if raw.is_ascii() {
                return Ok((raw, None));
            }
            if std::str::from_utf8(&raw).is_ok() {
                self.seen_non_ascii = true;
                return Ok((raw, None));
            }
            if self.seen_non_ascii {
                return Err(io::Error::other(NotUtf8AfterAll));
            }
            self.deciding = false;
            self.encoding = TextEncoding::Windows1252;
        }
        Ok(match self.encoding {
            TextEncoding::Utf8 => (raw, None),
            TextEncoding::Windows1252 => (decode_windows_1252(&raw).into_bytes(), Some(raw)),
        })
    }

    /// The bytes read and not yet handed out.
    fn pending(&self) -> &[u8] {
        &self.buffer[..self.filled]
    }

    /// Drops the first `count` pending bytes (the byte-order mark, the header).
    fn consume(&mut self, count: usize) {
        self.buffer.copy_within(count..self.filled, 0);
        self.filled -= count;
    }

    /// Reads until `want` bytes are pending or the file ends.
    fn fill(&mut self, want: usize) -> io::Result<()> {
        if self.buffer.len() < want {
            self.buffer.resize(want, 0);
        }
        while !self.at_end && self.filled < want {
            let end = want.min(self.filled + READ_BYTES);
            let read = match self.file.read(&mut self.buffer[self.filled..end]) {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                read => read?,
            };
            self.filled += read;
            self.at_end = read == 0;
        }
        Ok(())
    }
}

/// UTF-8 when every byte of the file is valid UTF-8 (a byte-order mark is), else Windows-1252.
fn detect_encoding(mut file: File) -> io::Result<TextEncoding> {
    let mut buffer = vec![0u8; 1 << 20];
    let mut carried = 0;
    loop {
        let read = file.read(&mut buffer[carried..])?;
        if read == 0 {
            // A multi-byte sequence cut short by the end of the file is not UTF-8.
            return Ok(match carried {
                0 => TextEncoding::Utf8,
                _ => TextEncoding::Windows1252,
            });
        }
        let filled = carried + read;
        match std::str::from_utf8(&buffer[..filled]) {
            Ok(_) => carried = 0,
            Err(e) if e.error_len().is_some() => return Ok(TextEncoding::Windows1252),
            Err(e) => {
                // A character split by the read: keep its first bytes for the next one.
                let valid = e.valid_up_to();
                buffer.copy_within(valid..filled, 0);
                carried = filled - valid;
            }
        }
    }
}

/// How many times `byte` is in `bytes`, counted in runs short enough for a `u8` (which the
/// compiler turns into wide vector compares: this runs over every byte of the file).
fn count_byte(bytes: &[u8], byte: u8) -> usize {
    bytes
        .chunks(255)
        .map(|run| usize::from(run.iter().map(|&b| u8::from(b == byte)).sum::<u8>()))
        .sum()
}

/// The line feed that ends the first record of `bytes` (which start at a record boundary).
fn first_record_end(bytes: &[u8]) -> Option<usize> {
    if memchr::memchr(b'"', bytes).is_none() {
        return memchr::memchr(b'\n', bytes);
    }
    record_ends(bytes).next()
}

/// The line feed that ends the last whole record of `bytes` (which start at a record boundary).
fn last_record_end(bytes: &[u8]) -> Option<usize> {
    if memchr::memchr(b'"', bytes).is_none() {
        return memchr::memrchr(b'\n', bytes);
    }
    record_ends(bytes).last()
}

/// The line feeds of `bytes` that end records, read as the `csv` crate reads CSV: a double
/// quote opens a quoted value only at the start of a value (elsewhere it is a character like any
/// other, as in `12" monitor`), and inside one `""` is a quote and a line feed is text. A
/// carriage return ends a record for the `csv` crate too, so a value starts after one.
fn record_ends(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut quoted = false;
    let mut value_start = true;
    let mut escaped_quote = false;
    bytes.iter().enumerate().filter_map(move |(index, &byte)| {
        if quoted {
            if escaped_quote {
                escaped_quote = false;
            } else if byte == b'"' {
                if bytes.get(index + 1) == Some(&b'"') {
                    escaped_quote = true;
                } else {
                    quoted = false;
                }
            }
            return None;
        }
        match byte {
            b'"' if value_start => {
                quoted = true;
                value_start = false;
                None
            }
            b',' => {
                value_start = true;
                None
            }
            b'\n' => {
                value_start = true;
                Some(index)
            }
            b'\r' => {
                value_start = true;
                None
            }
            _ => {
                value_start = false;
                None
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ends_skip_line_feeds_inside_quotes() {
        let cases: &[(&[u8], Option<usize>, Option<usize>)] = &[
            (b"a,b\nc,d\n", Some(3), Some(7)),
            (b"a,\"x\ny\"\nc", Some(7), Some(7)),
            (b"a,\"x\"\"\ny\"\n", Some(9), Some(9)),
            (b"a,\"open\n", None, None),
            (b"no line feed", None, None),
            (b"12\" monitor,1\nb,2\n", Some(13), Some(17)),
            (b"\"a\"\"\n\",1\n\"\"\n", Some(8), Some(11)),
            (b"a\r\"b\nc\"\nd\n", Some(7), Some(9)),
        ];
        for (bytes, first, last) in cases {
            let shown = String::from_utf8_lossy(bytes);
            assert_eq!(first_record_end(bytes), *first, "first of {shown:?}");
            assert_eq!(last_record_end(bytes), *last, "last of {shown:?}");
        }
    }
}
