//! Turning blocks of ledger records into counted lines, on as many threads as there are cores
//! (two at most): each thread takes the next block, hashes its bytes when the blocks before it
//! are hashed (so the file's SHA-256 is of its bytes in order, while the other thread reads or
//! counts), counts it into its own sums, and hands back what must be listed in line order (unmapped lines, bad lines, roundings), which
//! this thread adds block by block in file order. Every value is bytes as the file writes them,
//! never inferred (blocks are UTF-8). A block is read by the `csv` crate's record reader
//! (`csv_core`), or, when it holds no double quote, split at commas and line ends as `csv_core`
//! splits such text (`count_plain_block`; `plain_tests.rs` holds the two to the same results).

use super::blocks::{Block, BlockReader};
use super::bytes::trim;
use super::columns::Columns;
use super::tally::{Counter, LineFields, Listed, Source, Sums, Tally};
use crate::diag::{Diagnostic, Place};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io;
use std::sync::{mpsc, Condvar, Mutex};

/// The most threads that count blocks. Reading is done by whichever of them takes the next
/// block, so more than two would mostly wait for it; the machines accord runs on have two.
const MOST_THREADS: usize = 2;

/// What a counting thread hands back.
enum Done {
    /// The findings of block `index` of the file, and the bytes of the file read to its end.
    Block {
        index: usize,
        listed: Listed,
        bytes_done: u64,
    },
    /// The thread found no more blocks: its sums.
    Sums(Sums),
    /// The file could not be read.
    Failed(io::Error),
}

/// Counts every line of a file into `tally`, block by block, and returns the file's size and
/// SHA-256; `tally` is left as it was when the file cannot be read to its end. Each counting
/// thread holds one block at a time, so memory does not grow with the file. `progress` is told
/// the bytes done after each block.
pub(super) fn read_blocks(
    mut reader: BlockReader,
    columns: &Columns,
    source: &Source,
    tally: &mut Tally,
    mut progress: impl FnMut(u64),
) -> io::Result<(u64, String)> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MOST_THREADS);
    // The hash of the file's bytes so far, and the index of the block to hash next.
    let hashing = Hashing {
        state: Mutex::new((reader.take_hasher(), 0)),
        turn: Condvar::new(),
    };
    // The reader, the index of the next block, and whether a thread failed to read.
    let shared = Mutex::new((reader, 0usize, false));
    let (sender, receiver) = mpsc::channel();
    let rules = &tally.rules;
    let mut failure = None;
    let mut listed_in_order = Vec::new();
    let mut sums_of_threads = Vec::new();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let sender = sender.clone();
            let (shared, hashing) = (&shared, &hashing);
            scope.spawn(move || {
                let mut counter = Counter::new(rules);
                let mut counted: Option<Vec<u8>> = None;
                let mut csv_reader = csv_core::Reader::new();
                loop {
                    let (next, index) = {
                        let mut guard = shared.lock().expect("no counting thread panics");
                        let (reader, next_index, failed) = &mut *guard;
                        if *failed {
                            break;
                        }
                        if let Some(text) = counted.take() {
                            reader.recycle(text);
                        }
                        let next = reader.next_block();
                        *failed = next.is_err();
                        *next_index += 1;
                        (next, *next_index - 1)
                    };
                    match next {
                        Ok(Some(block)) => {
                            hashing.hash_in_turn(index, block.file_bytes());
                            count_block_with(
                                &mut csv_reader,
                                &block,
                                columns,
                                source,
                                &mut counter,
                            );
                            let done = Done::Block {
                                index,
                                listed: counter.take_listed(),
                                bytes_done: block.bytes_done,
                            };
                            if sender.send(done).is_err() {
                                return;
                            }
                            counted = Some(block.text);
                        }
                        Ok(None) => break,
                        Err(error) => {
                            let _ = sender.send(Done::Failed(error));
                            return;
                        }
                    }
                }
                let _ = sender.send(Done::Sums(counter.sums));
            });
        }
        drop(sender);
        // Blocks come back in any order; their findings are added in file order.
        let mut waiting = BTreeMap::new();
        let mut next_index = 0;
        for done in receiver {
            match done {
                Done::Block {
                    index,
                    listed,
                    bytes_done,
                } => {
                    waiting.insert(index, (listed, bytes_done));
                    while let Some((listed, bytes_done)) = waiting.remove(&next_index) {
                        listed_in_order.push(listed);
                        progress(bytes_done);
                        next_index += 1;
                    }
                }
                Done::Sums(sums) => sums_of_threads.push(sums),
                Done::Failed(error) => failure = Some(error),
            }
        }
    });
    if let Some(error) = failure {
        return Err(error);
    }
    for listed in listed_in_order {
        tally.found.add(listed);
    }
    for sums in sums_of_threads {
        tally.sums.add(sums);
    }
    let (reader, _, _) = shared.into_inner().expect("no counting thread panics");
    let (hasher, _) = hashing
        .state
        .into_inner()
        .expect("no counting thread panics");
    Ok((reader.size(), crate::text::hex(&hasher.finalize())))
}

/// The file's hash, added to block by block in file order by the threads that count them.
struct Hashing {
    /// The hash so far, and the index of the block whose bytes come next.
    state: Mutex<(Sha256, usize)>,
    /// Signalled when a block has been hashed.
    turn: Condvar,
}

impl Hashing {
    /// Adds the bytes of block `index` once those of every block before it are added. Each
    /// thread hashes a block as soon as it takes it, before taking another, so the block before
    /// is always being or about to be hashed by the other thread.
    fn hash_in_turn(&self, index: usize, bytes: &[u8]) {
        let state = self.state.lock().expect("no counting thread panics");
        let mut state = self
            .turn
            .wait_while(state, |(_, next)| *next != index)
            .expect("no counting thread panics");
        state.0.update(bytes);
        state.1 += 1;
        self.turn.notify_all();
    }
}

/// Counts every line of `block` into `counter`. Line numbers are lines of the file: the `csv`
/// crate's own count of line feeds before a record (quoted ones included), plus the blank lines
/// it skipped before the record's first byte.
#[cfg(test)]
pub(super) fn count_block(
    block: &Block,
    columns: &Columns,
    source: &Source,
    counter: &mut Counter,
) {
    count_block_with(
        &mut csv_core::Reader::new(),
        block,
        columns,
        source,
        counter,
    );
}

/// [`count_block`] with a record reader made before (and reset here), so that a thread makes
/// one for all its blocks.
fn count_block_with(
    reader: &mut csv_core::Reader,
    block: &Block,
    columns: &Columns,
    source: &Source,
    counter: &mut Counter,
) {
    let text = block.text.as_slice();
    if memchr::memchr(b'"', text).is_none() && !text.starts_with(UTF8_BOM) {
        count_plain_block(block, columns, source, counter);
    } else {
        count_csv_block(reader, block, columns, source, counter);
    }
}

/// [`count_block`] by `csv_core`, for any block.
pub(super) fn count_csv_block(
    reader: &mut csv_core::Reader,
    block: &Block,
    columns: &Columns,
    source: &Source,
    counter: &mut Counter,
) {
    let text = block.text.as_slice();
    // The `csv` crate's own record reader (`csv_core`, which its `Reader` wraps), straight over
    // the block: no copy of it into a reader's buffer. Its values are bytes, not text: the block
    // is already UTF-8, and a value is made text only where it is shown (a bad line, an
    // unmapped cost centre) or read as a date the first time it is met.
    reader.reset();
    let mut record = Record {
        bytes: vec![0; 1 << 12],
        ends: vec![0; 64],
        len: 0,
    };
    let mut read = 0;
    loop {
        let (record_start, line) = (read, reader.line());
        if !record.read(reader, text, &mut read) {
            break;
        }
        let mut line_number = block.first_line_number + line as usize - 1;
        let mut byte = record_start;
        while byte < text.len() && matches!(text[byte], b'\r' | b'\n') {
            line_number += usize::from(text[byte] == b'\n');
            byte += 1;
        }
        let values = |index| record.get(index);
        count_record(counter, columns, source, line_number, record.len, values);
    }
}

/// The byte-order mark `csv_core` takes off the start of its input (so a block starting with
/// one is left to it).
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Counts one record of `len` values (`value(i)`: the `i`th, 0-based) on line `line_number`.
fn count_record<'t>(
    counter: &mut Counter,
    columns: &Columns,
    source: &Source,
    line_number: usize,
    len: usize,
    value: impl Fn(usize) -> Option<&'t [u8]>,
) {
    if len > columns.count {
        let place = Place::Csv {
            file: source.name.clone().into(),
            line_number,
            column_number: None,
        };
        counter.bad_line(vec![Diagnostic::error(
            place,
            format!(
                "the line has {len} values but the header has {}; a value with a comma in it \
                 must be in double quotes",
                columns.count
            ),
        )]);
        return;
    }
    let fields = LineFields {
        line_number,
        date: value(columns.date),
        cost_centre: value(columns.cost_centre),
        amount: value(columns.amount),
    };
    counter.line(source, &fields, || {
        (0..len).all(|i| value(i).is_none_or(|v| trim(v).is_empty()))
    });
}

/// [`count_block`] for a block without a double quote (nearly every block of a finance
/// system's export), read as `csv_core` reads such text, without its state machine over every
/// byte: a record is a run of bytes between line feeds and carriage returns (runs of them, as
/// blank lines, end no record), its values are split at commas, and no byte is anything else.
/// The commas and line ends are found 64 bytes at a time ([`delimiters`]), then taken one by one.
pub(super) fn count_plain_block(
    block: &Block,
    columns: &Columns,
    source: &Source,
    counter: &mut Counter,
) {
    let text = block.text.as_slice();
    let mut record = PlainRecord {
        line_number: block.first_line_number,
        start: 0,
        ends: Vec::with_capacity(columns.count + 1),
    };
    let mut take = |at: usize| {
        let byte = text[at];
        if byte == b',' {
            record.ends.push(at);
            return;
        }
        if at > record.start || !record.ends.is_empty() {
            record.ends.push(at);
            record.count(text, columns, source, counter);
            record.ends.clear();
        }
        record.line_number += usize::from(byte == b'\n');
        record.start = at + 1;
    };
    let chunks = text.chunks_exact(64);
    let tail_start = text.len() - chunks.remainder().len();
    for (index, chunk) in chunks.enumerate() {
        let mut found = delimiters(chunk.try_into().expect("64 bytes"));
        while found != 0 {
            take(index * 64 + found.trailing_zeros() as usize);
            found &= found - 1;
        }
    }
    for (at, byte) in text.iter().enumerate().skip(tail_start) {
        if matches!(byte, b',' | b'\n' | b'\r') {
            take(at);
        }
    }
    if record.start < text.len() || !record.ends.is_empty() {
        record.ends.push(text.len());
        record.count(text, columns, source, counter);
    }
}

/// A bit for each comma, line feed and carriage return of 64 bytes (bit `i` for byte `i`).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn delimiters(chunk: &[u8; 64]) -> u64 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let mut found = 0;
    for (index, sixteen) in chunk.chunks_exact(16).enumerate() {
        // SAFETY: SSE2 is part of every x86_64 processor, and the load reads sixteen bytes of
        // `chunk` (an unaligned load: `_mm_loadu_si128`).
        let bits = unsafe {
            let bytes = _mm_loadu_si128(sixteen.as_ptr().cast::<__m128i>());
            let is = |byte: u8| _mm_cmpeq_epi8(bytes, _mm_set1_epi8(byte as i8));
            _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(is(b','), is(b'\n')), is(b'\r')))
        };
        found |= u64::from(bits as u16) << (16 * index);
    }
    found
}

/// [`delimiters`] a byte at a time, for other processors (and to test the SSE2 one against).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[cfg_attr(not(target_arch = "x86_64"), inline(always))]
fn delimiters_by_bytes(chunk: &[u8; 64]) -> u64 {
    chunk.iter().enumerate().fold(0, |found, (index, &byte)| {
        found | u64::from(matches!(byte, b',' | b'\n' | b'\r')) << index
    })
}

#[cfg(not(target_arch = "x86_64"))]
use delimiters_by_bytes as delimiters;

/// The plain record being read: the line it is on (no line feed is inside a plain record), the
/// byte it starts at, and where its values so far end (each at a comma, the last at its line end).
struct PlainRecord {
    line_number: usize,
    start: usize,
    ends: Vec<usize>,
}

impl PlainRecord {
    /// Counts the record, its values ending at `ends`.
    #[inline]
    fn count(&self, text: &[u8], columns: &Columns, source: &Source, counter: &mut Counter) {
        let ends = self.ends.as_slice();
        let value = |index: usize| {
            let end = *ends.get(index)?;
            let start = index.checked_sub(1).map_or(self.start, |i| ends[i] + 1);
            Some(&text[start..end])
        };
        count_record(
            counter,
            columns,
            source,
            self.line_number,
            ends.len(),
            value,
        );
    }
}

/// One record as `csv_core` writes it: its values' bytes one after another, and where each
/// value ends.
struct Record {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    /// How many values it has.
    len: usize,
}

impl Record {
    /// Reads the next record of `text` from byte `*read` on (moved past it); `false` at the end.
    fn read(&mut self, reader: &mut csv_core::Reader, text: &[u8], read: &mut usize) -> bool {
        use csv_core::ReadRecordResult;
        let (mut written, mut ended) = (0, 0);
        loop {
            // Once the input is used up, an empty input tells the reader the text has ended.
            let (result, bytes_in, bytes_out, ends_out) = reader.read_record(
                &text[*read..],
                &mut self.bytes[written..],
                &mut self.ends[ended..],
            );
            *read += bytes_in;
            written += bytes_out;
            ended += ends_out;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.bytes.resize(self.bytes.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => {
                    self.len = ended;
                    return true;
                }
                ReadRecordResult::End => return false,
            }
        }
    }

    /// Value `index` (0-based), or `None` when the record has fewer values.
    fn get(&self, index: usize) -> Option<&[u8]> {
        if index >= self.len {
            return None;
        }
        let start = index.checked_sub(1).map_or(0, |before| self.ends[before]);
        Some(&self.bytes[start..self.ends[index]])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_delimiters_of_64_bytes_are_found_as_byte_by_byte(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b','), Just(b'\n'), Just(b'\r'), Just(b'"'), any::<u8>()],
                64,
            )
        ) {
            let chunk: &[u8; 64] = bytes.as_slice().try_into().expect("64 bytes");
            prop_assert_eq!(delimiters(chunk), delimiters_by_bytes(chunk));
        }
    }
}
