//! The councils' journals, `journals/COUNCIL.csv` (SPEC §7), written straight into one byte
//! buffer per council: the bytes that [`crate::report::journals::journals_each`]'s rows give
//! through the CSV writer, made without a row, a `format!` or a search by code per posting
//! (the journals of a large book are tens of megabytes, most of a run's output).
//!
//! A journal's cells come from few texts. An account name and a description depend only on
//! the council, the side, the programme or the counterparty (and the document's kind), so a
//! council's journal meets a few hundred of them at most: each is worked out once per council
//! by the general rules (`Posting::account`, `journals::description`, made inert and quoted
//! as the CSV writer does) and then copied. A date is written once per date, a document's
//! number once per transaction, amounts by a digit writer. Codes become numbers once for the
//! whole run. The tests check the bytes against the general path on generated books with
//! awkward codes and names.

use super::csv::push_cell;
use crate::engine::journal::{Posting, Side, Transactions};
use crate::engine::SIK;
use crate::fx_hash::FxMap;
use crate::model::DocumentKind;
use crate::money::Money;
use crate::report::journals::{push_description, Names, JOURNAL_HEADER};
use rayon::prelude::*;
use std::io::{self, Write};
use std::ops::Range;

/// About how many bytes of a journal are gathered before they go to its file.
const CHUNK: usize = 1 << 17;

/// Appends a posting's account (`Posting::account`) as a cell of free text, the default
/// name put together in `text`.
fn push_account(out: &mut Vec<u8>, text: &mut String, posting: &Posting) {
    match posting.book_account {
        Some(account) => push_text_cell(out, account),
        None => {
            posting.default_account.push_to(text);
            push_text_cell(out, text);
        }
    }
}

/// Appends a cell of free text from the book: made inert, then as [`push_cell`].
fn push_text_cell(out: &mut Vec<u8>, text: &str) {
    push_cell(out, crate::text::neutralised(text).as_bytes());
}

/// Appends a row's debit and credit cells for `amount` (a debit when positive, a credit when
/// negative, the other `0.00`) and the comma after them, each amount as [`Money::text`]
/// writes it.
fn push_debit_credit(out: &mut Vec<u8>, amount: Money) {
    if amount.is_negative() {
        out.extend_from_slice(b"0.00,");
        (-amount).push_text(out);
        out.push(b',');
    } else {
        amount.push_text(out);
        out.extend_from_slice(b",0.00,");
    }
}

/// A document as the journals see it, by number rather than by code.
struct Posted {
    /// The issuer's and the payer's council ids (see [`Layout::codes`]): transaction
    /// `2d + side`'s council is `councils[side]`, its counterparty the other.
    councils: [u32; 2],
    /// Index into [`Layout::dates`].
    date: u32,
    /// Its lines, none zero: [`Layout::lines`]`[lines]`.
    lines: Range<u32>,
    total: Money,
    /// Its kind, kept here so that writing a row reads nothing of the engine's document
    /// (each journal meets the documents far apart: one look at the engine's was a cache
    /// miss a transaction, about half the time of writing the journals' rows).
    kind: DocumentKind,
}

/// One line of a document: its programme's id (into [`Layout::programmes`]) and amount.
struct Line {
    programme: u32,
    amount: Money,
}

/// A date as its journal cell (`2013-04-30`), and its rank among the dates written out: the
/// journals are sorted by the date as written.
struct DateCell {
    cell: Vec<u8>,
    rank: u32,
}

/// What every council's journal is made from, worked out once for all of them: each
/// document's councils, date and lines by number, and each council's transactions.
pub struct Layout<'t> {
    transactions: &'t Transactions<'t>,
    /// Every council code of the journals and of the documents: the journals' first (ids
    /// `0..journals`), then any other the documents name.
    codes: Vec<&'t str>,
    ids: FxMap<&'t str, u32>,
    journals: usize,
    /// Every programme code of the documents' lines, by id.
    programmes: Vec<&'t str>,
    /// Whether programme `p` is the support in kind pool (`SIK`), by id.
    support_in_kind: Vec<bool>,
    documents: Vec<Posted>,
    lines: Vec<Line>,
    dates: Vec<DateCell>,
    /// Document `d`'s `date,number,` is `prefixes[prefix_ends[d]..prefix_ends[d + 1]]`.
    prefixes: Vec<u8>,
    prefix_ends: Vec<u32>,
    /// Council `c`'s transactions, in order, are `mine[starts[c]..starts[c + 1]]`.
    starts: Vec<u32>,
    mine: Vec<u32>,
    /// Whether the documents come in the journals' order, by date as written and number.
    in_journal_order: bool,
}

impl<'t> Layout<'t> {
    /// The layout of the journals of `councils` (codes, in any order, repeats allowed).
    pub fn new(councils: &[&'t str], transactions: &'t Transactions<'t>) -> Layout<'t> {
        let mut ids: FxMap<&'t str, u32> = FxMap::default();
        let mut codes: Vec<&'t str> = Vec::new();
        let mut id_of = |code: &'t str, codes: &mut Vec<&'t str>| -> u32 {
            *ids.entry(code).or_insert_with(|| {
                codes.push(code);
                u32::try_from(codes.len() - 1).expect("fewer than 2^32 councils")
            })
        };
        for &c in councils {
            id_of(c, &mut codes);
        }
        let journals = codes.len();
        let documents_posted = transactions.documents();
        let mut programme_ids: FxMap<&'t str, u32> = FxMap::default();
        let mut programmes: Vec<&'t str> = Vec::new();
        let mut date_ids: FxMap<chrono::NaiveDate, u32> = FxMap::default();
        let mut dates_seen: Vec<chrono::NaiveDate> = Vec::new();
        let mut documents = Vec::with_capacity(documents_posted.len());
        let mut lines = Vec::new();
        // Documents come by issuer and date mostly: one look-up per change.
        let mut last_issuer: Option<(&str, u32)> = None;
        let mut last_date: Option<(chrono::NaiveDate, u32)> = None;
        let mut last_payer: Option<usize> = None;
        // The previous document's lines' programmes (code, id), and this one's.
        let mut previous_lines: Vec<(&'t str, u32)> = Vec::new();
        let mut these_lines: Vec<(&'t str, u32)> = Vec::new();
        for d in documents_posted {
            let issuer = match last_issuer {
                Some((code, id)) if code == d.issuer() => id,
                _ => {
                    let id = id_of(d.issuer(), &mut codes);
                    last_issuer = Some((d.issuer(), id));
                    id
                }
            };
            // Within an issuer's run the payers come by code, as the journals' councils
            // are numbered: the next payer is most often one of the next two codes.
            let payer = match last_payer {
                Some(previous) if codes.get(previous + 1).is_some_and(|&c| c == d.payer()) => {
                    (previous + 1) as u32
                }
                Some(previous) if codes.get(previous + 2).is_some_and(|&c| c == d.payer()) => {
                    (previous + 2) as u32
                }
                _ => id_of(d.payer(), &mut codes),
            };
            last_payer = Some(payer as usize);
            let date = match last_date {
                Some((date, id)) if date == d.date => id,
                _ => {
                    let id = *date_ids.entry(d.date).or_insert_with(|| {
                        dates_seen.push(d.date);
                        (dates_seen.len() - 1) as u32
                    });
                    last_date = Some((d.date, id));
                    id
                }
            };
            let start = lines.len() as u32;
            let mut total = Money::ZERO;
            for (k, l) in d.lines().enumerate() {
                // Documents mostly charge for the programmes of the one before.
                let programme = match previous_lines.get(k) {
                    Some(&(code, id)) if code == l.programme => id,
                    _ => *programme_ids.entry(l.programme).or_insert_with(|| {
                        programmes.push(l.programme);
                        (programmes.len() - 1) as u32
                    }),
                };
                these_lines.push((l.programme, programme));
                total += l.amount;
                lines.push(Line {
                    programme,
                    amount: l.amount,
                });
            }
            std::mem::swap(&mut previous_lines, &mut these_lines);
            these_lines.clear();
            documents.push(Posted {
                councils: [issuer, payer],
                date,
                lines: start..lines.len() as u32,
                total,
                kind: d.kind(),
            });
        }
        let texts: Vec<String> = dates_seen.iter().map(|d| d.to_string()).collect();
        let mut by_text: Vec<usize> = (0..texts.len()).collect();
        by_text.sort_by(|&a, &b| texts[a].cmp(&texts[b]));
        let mut ranks = vec![0u32; texts.len()];
        for (rank, &i) in by_text.iter().enumerate() {
            ranks[i] = rank as u32;
        }
        let dates = texts
            .iter()
            .zip(ranks)
            .map(|(text, rank)| {
                let mut cell = Vec::new();
                push_cell(&mut cell, text.as_bytes());
                DateCell { cell, rank }
            })
            .collect::<Vec<DateCell>>();
        // Each document's `date,number,`, for both its transactions.
        let mut prefixes = Vec::with_capacity(documents.len() * 40);
        let mut prefix_ends = Vec::with_capacity(documents.len() + 1);
        prefix_ends.push(0u32);
        for (d, posted) in documents_posted.iter().zip(&documents) {
            prefixes.extend_from_slice(&dates[posted.date as usize].cell);
            prefixes.push(b',');
            push_cell(&mut prefixes, d.number().as_bytes());
            prefixes.push(b',');
            prefix_ends.push(u32::try_from(prefixes.len()).expect("prefixes below 4 GB"));
        }
        // Each journal's transactions, in order, by counting.
        let mut starts = vec![0u32; journals + 1];
        for d in &documents {
            for c in d.councils {
                if (c as usize) < journals {
                    starts[c as usize + 1] += 1;
                }
            }
        }
        for c in 0..journals {
            starts[c + 1] += starts[c];
        }
        let mut next = starts.clone();
        let mut mine = vec![0u32; starts[journals] as usize];
        for (i, d) in documents.iter().enumerate() {
            for (side, c) in d.councils.into_iter().enumerate() {
                if (c as usize) < journals {
                    let at = &mut next[c as usize];
                    mine[*at as usize] = (2 * i + side) as u32;
                    *at += 1;
                }
            }
        }
        let support_in_kind = programmes.iter().map(|&p| p == SIK).collect();
        let mut layout = Layout {
            transactions,
            codes,
            ids,
            journals,
            programmes,
            support_in_kind,
            documents,
            lines,
            dates,
            prefixes,
            prefix_ends,
            starts,
            mine,
            in_journal_order: false,
        };
        // Every journal lists its transactions in document order: when the documents are in
        // the journals' order (a document's first transaction's key), so is every journal,
        // and none needs to be checked or sorted.
        layout.in_journal_order = (1..layout.documents.len() as u32)
            .all(|d| layout.key(2 * (d - 1)) <= layout.key(2 * d));
        layout
    }

    /// Each of `councils`' journals as CSV bytes, streamed in pieces of about [`CHUNK`]
    /// bytes into the writer `open` gives for the council's code, which `finish` then gets
    /// back (on all cores, so in no fixed order; each journal's bytes depend only on the
    /// transactions). One chunk per thread is reused from journal to journal, so no journal
    /// is held whole and no buffer grows by doubling. `councils` are those [`Layout::new`]
    /// was given.
    pub fn each<W: Write, E: From<io::Error> + Send>(
        &self,
        names: &Names,
        councils: &[&str],
        open: impl Fn(&str) -> Result<W, E> + Sync,
        finish: impl Fn(&str, W) -> Result<(), E> + Sync,
    ) -> Result<(), E> {
        self.each_in_pieces(names, councils, CHUNK, open, finish)
    }

    /// [`Layout::each`] with pieces of `piece` bytes or more (small in the tests, so that a
    /// journal goes out in many pieces).
    fn each_in_pieces<W: Write, E: From<io::Error> + Send>(
        &self,
        names: &Names,
        councils: &[&str],
        piece: usize,
        open: impl Fn(&str) -> Result<W, E> + Sync,
        finish: impl Fn(&str, W) -> Result<(), E> + Sync,
    ) -> Result<(), E> {
        councils.par_iter().try_for_each_init(
            || {
                (
                    Cache::new(self.codes.len(), self.programmes.len()),
                    Vec::with_capacity(piece + piece / 4),
                )
            },
            |(cache, chunk), &code| {
                let id = self.ids[code];
                assert!((id as usize) < self.journals, "a council of the layout");
                let mut file = open(code)?;
                chunk.clear();
                self.write(names, id, cache, piece, chunk, &mut file)?;
                file.write_all(chunk)?;
                finish(code, file)
            },
        )
    }

    /// The sort key of a journal's transaction: its date as written, its document's number.
    fn key(&self, transaction: u32) -> (u32, &'t str) {
        let d = transaction as usize / 2;
        (
            self.dates[self.documents[d].date as usize].rank,
            self.transactions.documents()[d].number(),
        )
    }

    /// Council `council`'s journal into `file`, through `out`: each time `out` holds
    /// `piece` bytes or more they go to `file`; what is left at the end is the caller's.
    fn write(
        &self,
        names: &Names,
        council: u32,
        cache: &mut Cache,
        piece: usize,
        out: &mut Vec<u8>,
        file: &mut impl Write,
    ) -> io::Result<()> {
        cache.start();
        let mut mine: &[u32] = &self.mine
            [self.starts[council as usize] as usize..self.starts[council as usize + 1] as usize];
        // Sorted by date and document as written, stably (the documents come sorted by
        // year, date and number, which is the same order unless a document is dated outside
        // its year).
        let sorted;
        if !self.in_journal_order && !mine.windows(2).all(|w| self.key(w[0]) <= self.key(w[1])) {
            let mut order = mine.to_vec();
            order.sort_by_key(|&t| self.key(t));
            sorted = order;
            mine = &sorted;
        }
        for (i, h) in JOURNAL_HEADER.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_cell(out, h.as_bytes());
        }
        out.push(b'\n');
        for (i, &t) in mine.iter().enumerate() {
            // A journal meets its documents far apart, so each one's layout is a cache miss:
            // asked for ahead, they arrive while the rows before are written.
            if let Some(&ahead) = mine.get(i + FAR_AHEAD) {
                prefetch(&self.documents[ahead as usize / 2]);
                prefetch(&self.prefix_ends[ahead as usize / 2]);
            }
            if let Some(&ahead) = mine.get(i + NEAR_AHEAD) {
                let d = ahead as usize / 2;
                prefetch(&self.lines[self.documents[d].lines.start as usize..]);
                prefetch(&self.prefixes[self.prefix_ends[d] as usize..]);
            }
            self.write_transaction(names, t, cache, out);
            if out.len() >= piece {
                file.write_all(out)?;
                out.clear();
            }
        }
        Ok(())
    }

    /// One transaction's rows, in its postings' order: the issuer's receivable then its
    /// income lines; the payer's expense lines then its payable.
    fn write_transaction(&self, names: &Names, t: u32, cache: &mut Cache, out: &mut Vec<u8>) {
        let d = t as usize / 2;
        let side = t as usize % 2;
        let posted = &self.documents[d];
        let transaction = self.transactions.get(t as usize);
        let counterparty = posted.councils[1 - side] as usize;
        let kind = match posted.kind {
            DocumentKind::Invoice => 0,
            DocumentKind::Supplementary => 1,
            DocumentKind::CreditNote => 2,
        };
        let prefix = &self.prefixes[self.prefix_ends[d] as usize..self.prefix_ends[d + 1] as usize];
        let lines = &self.lines[posted.lines.start as usize..posted.lines.end as usize];
        // The receivable or payable posting: the document's total.
        let header = |cache: &mut Cache, out: &mut Vec<u8>| {
            let posting = || {
                match transaction.side {
                    Side::Issuer => transaction.postings().next(),
                    Side::Payer => transaction.postings().last(),
                }
                .expect("a header posting")
            };
            let account = cache.piece(Slot::HeaderAccount(side, counterparty), |arena, text| {
                push_account(arena, text, &posting());
                arena.push(b',');
                push_cell(arena, self.codes[counterparty].as_bytes());
                arena.push(b',');
            });
            let description = cache.piece(
                Slot::HeaderDescription(side, kind, counterparty),
                |arena, text| {
                    push_description(text, names, &transaction, posting().role, "");
                    push_text_cell(arena, text);
                    arena.push(b'\n');
                },
            );
            let amount = match transaction.side {
                Side::Issuer => posted.total,
                Side::Payer => -posted.total,
            };
            cache.row(out, prefix, account, amount, description);
        };
        if transaction.side == Side::Issuer {
            header(cache, out);
        }
        for (k, line) in lines.iter().enumerate() {
            let programme = line.programme as usize;
            let posting = || -> Posting {
                let skip = usize::from(transaction.side == Side::Issuer);
                transaction
                    .postings()
                    .nth(k + skip)
                    .expect("a posting for each line")
            };
            let account = cache.piece(
                Slot::LineAccount(side, programme, counterparty),
                |arena, text| {
                    push_account(arena, text, &posting());
                    arena.push(b',');
                    push_cell(arena, self.codes[counterparty].as_bytes());
                    arena.push(b',');
                },
            );
            let text_slot = if transaction.side == Side::Payer && self.support_in_kind[programme] {
                // Support in kind from the counterparty: one text per counterparty.
                Slot::SupportFrom(counterparty)
            } else {
                Slot::LineDescription(side, programme)
            };
            let description = cache.piece(text_slot, |arena, text| {
                let p = posting();
                push_description(text, names, &transaction, p.role, p.programme.unwrap_or(""));
                push_text_cell(arena, text);
                arena.push(b'\n');
            });
            let amount = match transaction.side {
                Side::Issuer => -line.amount,
                Side::Payer => line.amount,
            };
            cache.row(out, prefix, account, amount, description);
        }
        if transaction.side == Side::Payer {
            header(cache, out);
        }
    }
}

/// How many transactions ahead of the one being written a journal asks for the layout of
/// a document ([`Layout::documents`], [`Layout::prefix_ends`]), and then, once those have
/// arrived, for its lines and its `date,number,` (a few rows' time for each to come from
/// memory).
const FAR_AHEAD: usize = 8;
const NEAR_AHEAD: usize = 4;

/// Asks the processor to bring the memory of `value` into its cache, without waiting for it
/// (a hint only: nothing is read, and nothing changes if it is not taken).
#[inline(always)]
fn prefetch<T: ?Sized>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing and cannot fault; the address is a live reference's.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// Which text a piece of a journal is (for one council).
#[derive(Clone, Copy)]
enum Slot {
    /// The receivable (issuer side) or payable (payer side) account, by counterparty, then
    /// `,CODE,`: the counterparty's cell with the commas either side.
    HeaderAccount(usize, usize),
    /// Its description, by side, document kind and counterparty, with the line's end.
    HeaderDescription(usize, usize, usize),
    /// An income or expense account, by side and programme, then `,CODE,` for the
    /// counterparty (a council's journal meets each pair many times).
    LineAccount(usize, usize, usize),
    /// Its description, with the line's end.
    LineDescription(usize, usize),
    /// The payer's support in kind from the counterparty, with the line's end.
    SupportFrom(usize),
}

/// Slots a counterparty has: two header accounts, six header descriptions, support in kind
/// from it.
const COUNTERPARTY_SLOTS: usize = 9;
/// Slots a programme has: a description for each side.
const PROGRAMME_SLOTS: usize = 2;

/// A text written once: where it is in [`Cache::arena`], for the council `stamp` names.
#[derive(Clone, Copy, Default)]
struct Piece {
    stamp: u32,
    start: u32,
    end: u32,
}

/// The texts of one council's journal, each written once into an arena; reused from one
/// council to the next on a thread (a piece belongs to the council of its stamp only).
struct Cache {
    arena: Vec<u8>,
    /// Where a text is put together before it is written into the arena.
    text: String,
    stamp: u32,
    by_counterparty: Vec<[Piece; COUNTERPARTY_SLOTS]>,
    by_programme: Vec<[Piece; PROGRAMME_SLOTS]>,
    /// The line accounts with their counterparty: by side, programme and counterparty.
    by_line: Vec<Piece>,
    councils: usize,
}

impl Cache {
    fn new(councils: usize, programmes: usize) -> Cache {
        Cache {
            arena: Vec::new(),
            text: String::new(),
            stamp: 0,
            by_counterparty: vec![Default::default(); councils],
            by_programme: vec![Default::default(); programmes],
            by_line: vec![Piece::default(); 2 * programmes * councils],
            councils,
        }
    }

    /// Forgets the previous council's texts.
    fn start(&mut self) {
        self.arena.clear();
        self.stamp += 1;
    }

    /// Where the text of `slot` is in the arena, written by `make` the first time (given the
    /// arena and an empty string to put text together in).
    fn piece(&mut self, slot: Slot, make: impl FnOnce(&mut Vec<u8>, &mut String)) -> Range<usize> {
        let piece = match slot {
            Slot::HeaderAccount(side, c) => &mut self.by_counterparty[c][side],
            Slot::HeaderDescription(side, kind, c) => {
                &mut self.by_counterparty[c][2 + side * 3 + kind]
            }
            Slot::SupportFrom(c) => &mut self.by_counterparty[c][8],
            Slot::LineAccount(side, p, c) => {
                &mut self.by_line[(side * self.by_programme.len() + p) * self.councils + c]
            }
            Slot::LineDescription(side, p) => &mut self.by_programme[p][side],
        };
        if piece.stamp != self.stamp {
            let start = self.arena.len();
            self.text.clear();
            make(&mut self.arena, &mut self.text);
            *piece = Piece {
                stamp: self.stamp,
                start: start as u32,
                end: self.arena.len() as u32,
            };
        }
        piece.start as usize..piece.end as usize
    }

    /// One row: `date,document,` (`prefix`), the account with `,counterparty,`, debit,
    /// credit, the description and the line's end.
    fn row(
        &self,
        out: &mut Vec<u8>,
        prefix: &[u8],
        account: Range<usize>,
        amount: Money,
        description: Range<usize>,
    ) {
        let account = &self.arena[account];
        let description = &self.arena[description];
        // The longest amount cells: one of 41 bytes (`i128`'s digits, a point, a sign) and
        // `0.00`, with their commas.
        out.reserve(prefix.len() + account.len() + description.len() + 48);
        out.extend_from_slice(prefix);
        out.extend_from_slice(account);
        push_debit_credit(out, amount);
        out.extend_from_slice(description);
    }
}

#[cfg(test)]
#[path = "journal_csv_tests.rs"]
mod tests;
