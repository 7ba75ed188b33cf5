//! A file of the staging folder being written in pieces: gathered into [`Piece`]s that go
//! straight to the disk ([`super::direct`]) once the file is known to be large, or through
//! the page cache when it ends small or its file system refuses.

use super::direct::{self, Piece, Target};
use super::Staging;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// No piece has filled yet: the file may still end small.
    Gathering,
    /// Each piece goes to the writers as it fills.
    Straight,
    /// Through the page cache, as it comes.
    Through,
}

/// A staged file being written (see [`crate::pack::Sink::create`]); errors name the file.
pub(super) struct StagedFile<'s> {
    staging: &'s Staging,
    target: Arc<Target>,
    mode: Mode,
    piece: Option<Piece>,
    /// How many bytes have been handed to the writers: where the next piece goes.
    handed: u64,
}

impl<'s> StagedFile<'s> {
    pub(super) fn new(staging: &'s Staging, path: PathBuf, handle: std::fs::File) -> Self {
        StagedFile {
            staging,
            target: Arc::new(Target { path, handle }),
            mode: Mode::Gathering,
            piece: None,
            handed: 0,
        }
    }

    fn error(&self, source: io::Error) -> io::Error {
        io::Error::other(format!("{}: {source}", self.target.path.display()))
    }

    fn put(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        while !bytes.is_empty() {
            if self.mode == Mode::Through {
                use std::os::unix::fs::FileExt;
                self.target.handle.write_all_at(bytes, self.handed)?;
                self.handed += bytes.len() as u64;
                return Ok(());
            }
            let writers = &self.staging.writers;
            let piece = self.piece.get_or_insert_with(|| writers.piece());
            let n = piece.push(bytes);
            bytes = &bytes[n..];
            if piece.is_full() {
                self.hand_over(false)?;
            }
        }
        Ok(())
    }

    /// Hands the piece gathered so far to the writers, the first time asking for the file to
    /// be written straight; or writes it through the page cache when that is refused. The
    /// last piece (`last`) goes as its whole blocks; what is left of it, less than a block,
    /// is written through the page cache: before the file is asked to be written straight,
    /// when this is its first piece (a journal), else by a second descriptor (a table).
    fn hand_over(&mut self, last: bool) -> io::Result<()> {
        use std::os::unix::fs::FileExt;
        let Some(mut piece) = self.piece.take() else {
            return Ok(());
        };
        if last && self.mode != Mode::Through {
            let at = self.handed + (piece.bytes().len() / direct::BLOCK * direct::BLOCK) as u64;
            let tail = piece.cut_to_blocks();
            if !tail.is_empty() {
                if self.mode == Mode::Gathering {
                    self.target.handle.write_all_at(tail, at)?;
                } else {
                    let through = std::fs::OpenOptions::new()
                        .write(true)
                        .open(&self.target.path)?;
                    through.write_all_at(tail, at)?;
                }
            }
        }
        if self.mode == Mode::Gathering {
            self.mode = match direct::set_direct(&self.target.handle, true) {
                Ok(()) => Mode::Straight,
                Err(_) => Mode::Through,
            };
        }
        if self.mode == Mode::Through {
            let written = self.target.handle.write_all_at(piece.bytes(), self.handed);
            self.handed += piece.bytes().len() as u64;
            self.staging.writers.give_back(piece);
            return written;
        }
        let len = piece.bytes().len() as u64;
        if len == 0 {
            self.staging.writers.give_back(piece);
            return Ok(());
        }
        self.staging
            .writers
            .write(&self.target, piece, self.handed)?;
        self.handed += len;
        Ok(())
    }

    /// The file is complete: its last piece handed over (or, when it ends small, written
    /// through the page cache and left to the commit's `syncfs`); a file written through the
    /// page cache from the start is flushed as [`Staging::finish_file`] does.
    fn complete(mut self) -> io::Result<()> {
        if self.mode == Mode::Gathering {
            let len = self.piece.as_ref().map_or(0, |p| p.bytes().len());
            if (len as u64) < super::EARLY_FLUSH_BYTES {
                self.mode = Mode::Through;
            }
        }
        self.hand_over(true)?;
        if self.mode != Mode::Through {
            return Ok(());
        }
        match Arc::try_unwrap(self.target) {
            Ok(Target { path, handle }) => self.staging.finish_file(&path, handle),
            // Never: a file written through the page cache was never handed to the writers.
            Err(_) => Ok(()),
        }
    }
}

impl Write for StagedFile<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.put(bytes).map_err(|e| self.error(e))?;
        Ok(bytes.len())
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.put(bytes).map_err(|e| self.error(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl crate::pack::FileWriter for StagedFile<'_> {
    fn finish(self: Box<Self>) -> io::Result<()> {
        let path = self.target.path.clone();
        self.complete()
            .map_err(|e| io::Error::other(format!("{}: {e}", path.display())))
    }
}
