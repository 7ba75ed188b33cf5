//! The staging folder's large files written straight to the disk (Linux `O_DIRECT`), past the
//! page cache, by threads of their own while the run makes the next pieces.
//!
//! Written through the page cache, every byte of a file was copied into it by the thread
//! that made it, then handed to the disk by the flusher's `fdatasync` ([`super::flush`]), on
//! a machine whose two cores were already busy making the files. On this machine's virtual
//! disk, 82 MB (the 400-council book's tables and journals) took 0.19-0.26 s to write through
//! the page cache and flush (`dd conv=fdatasync`), against 0.05 s written straight in pieces
//! of 1 MB and 0.12 s in pieces of 128 KB (`dd oflag=direct`, one piece at a time); the
//! reports' 410 files, from files made before, took 151-211 ms written and flushed as the
//! run did, against 106-125 ms written straight by eight threads, with a third less CPU. In
//! the run itself the gain is smaller, both cores being busy (the disk is virtual: its work
//! is partly the machine's): `run --no-documents` of that book, 40 runs alternating with the
//! build before, median 470 -> 448 ms (min 399 -> 371, max 594 -> 527), validate 126 ms.
//! Padding the last piece to a block and cutting the file to its length afterwards cost a
//! read of that block back from the disk (`ftruncate`, about 130 µs a file), hence the tail
//! through the page cache.
//!
//! A file's bytes are gathered into pieces of [`PIECE`] bytes, in memory aligned as the disk
//! wants; each full piece is handed to the writers, and the part of a block that ends the
//! last one is written through the page cache ([`super::staged`]). A file that ends smaller than
//! [`super::EARLY_FLUSH_BYTES`] is written as before (the page cache, left to the commit's
//! `syncfs`), and so is any file whose file system refuses `O_DIRECT` (then flushed by the
//! flusher). Written straight, the bytes are on the disk when the write returns; the
//! commit's `syncfs` still writes the files' sizes and places and empties the disk's own
//! cache.

use std::fs::File;
use std::io;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// The alignment of a piece in memory, on the disk and in length (a block of every disk
/// this runs on: 512 or 4096 bytes).
pub(super) const BLOCK: usize = 4096;
/// How many bytes a piece holds: a journal of the 400-council book (about 140 KB) is one.
pub(super) const PIECE: usize = 256 * 1024;
/// How many pieces are written at once: a piece waits on the disk, not on a core.
const WRITERS: usize = 8;
/// How many full pieces may wait for a writer before the thread making them waits too.
const WAITING: usize = 16;
/// How many spare pieces are kept for reuse (each is fresh memory the first time).
const SPARE: usize = 32;

/// A buffer of [`PIECE`] bytes aligned to [`BLOCK`], and how many of them hold bytes.
pub(super) struct Piece {
    memory: Vec<u8>,
    start: usize,
    len: usize,
}

impl Piece {
    fn new() -> Piece {
        let memory = vec![0u8; PIECE + BLOCK];
        let start = memory.as_ptr().align_offset(BLOCK);
        assert!(start < BLOCK, "a byte buffer can be aligned");
        Piece {
            memory,
            start,
            len: 0,
        }
    }

    /// Appends as many of `bytes` as there is room for: how many.
    pub(super) fn push(&mut self, bytes: &[u8]) -> usize {
        let n = bytes.len().min(PIECE - self.len);
        let at = self.start + self.len;
        self.memory[at..at + n].copy_from_slice(&bytes[..n]);
        self.len += n;
        n
    }

    pub(super) fn is_full(&self) -> bool {
        self.len == PIECE
    }

    pub(super) fn bytes(&self) -> &[u8] {
        &self.memory[self.start..self.start + self.len]
    }

    /// Cuts the piece to its whole blocks: the bytes after them (less than a block).
    pub(super) fn cut_to_blocks(&mut self) -> &[u8] {
        let whole = self.len / BLOCK * BLOCK;
        let tail = self.start + whole..self.start + self.len;
        self.len = whole;
        &self.memory[tail]
    }
}

/// A file being written straight: its path (for an error) and its descriptor, shared by the
/// writers of its pieces.
pub(super) struct Target {
    pub(super) path: PathBuf,
    pub(super) handle: File,
}

/// One piece to write, of whole blocks, at `offset` of its file.
struct Job {
    target: Arc<Target>,
    piece: Piece,
    offset: u64,
}

/// The threads that write pieces, the queue they take them from, and the spare pieces.
pub(super) struct Writers {
    queue: Option<SyncSender<Job>>,
    workers: Vec<JoinHandle<Result<(), (PathBuf, io::Error)>>>,
    spare: Arc<Mutex<Vec<Piece>>>,
}

impl Writers {
    /// Starts the threads, which wait for pieces.
    pub(super) fn start() -> Writers {
        let (queue, jobs) = mpsc::sync_channel::<Job>(WAITING);
        let jobs = Arc::new(Mutex::new(jobs));
        let spare = Arc::new(Mutex::new(Vec::new()));
        let workers = (0..WRITERS)
            .map(|_| {
                let (jobs, spare) = (Arc::clone(&jobs), Arc::clone(&spare));
                std::thread::spawn(move || work(&jobs, &spare))
            })
            .collect();
        Writers {
            queue: Some(queue),
            workers,
            spare,
        }
    }

    /// An empty piece: a spare one, or a new one.
    pub(super) fn piece(&self) -> Piece {
        let spare = self.spare.lock().expect("the spare pieces").pop();
        spare.unwrap_or_else(Piece::new)
    }

    /// Gives back a piece that was not written straight.
    pub(super) fn give_back(&self, piece: Piece) {
        keep(&self.spare, piece);
    }

    /// Hands a piece of `target`, of whole blocks, over to be written at `offset` (waiting
    /// while [`WAITING`] wait already). A piece handed over after [`Writers::finish`] is an
    /// error.
    pub(super) fn write(&self, target: &Arc<Target>, piece: Piece, offset: u64) -> io::Result<()> {
        assert_eq!(piece.len % BLOCK, 0, "a piece of whole blocks");
        let job = Job {
            target: Arc::clone(target),
            piece,
            offset,
        };
        match &self.queue {
            Some(queue) => queue
                .send(job)
                .map_err(|_| io::Error::other("the writers have stopped")),
            None => Err(io::Error::other("the writers have stopped")),
        }
    }

    /// Waits until every piece handed over is written: the first that could not be, and why.
    pub(super) fn finish(&mut self) -> Result<(), (PathBuf, io::Error)> {
        self.queue.take();
        let mut first = Ok(());
        for worker in self.workers.drain(..) {
            let result = worker.join().expect("a writer does not panic");
            if first.is_ok() {
                first = result;
            }
        }
        first
    }
}

impl Drop for Writers {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

fn keep(spare: &Mutex<Vec<Piece>>, mut piece: Piece) {
    let mut spare = spare.lock().expect("the spare pieces");
    if spare.len() < SPARE {
        piece.len = 0;
        spare.push(piece);
    }
}

/// A writer's loop: every piece is written, even after one failed; the first failure is kept.
fn work(
    jobs: &Mutex<Receiver<Job>>,
    spare: &Mutex<Vec<Piece>>,
) -> Result<(), (PathBuf, io::Error)> {
    let mut first = Ok(());
    loop {
        let job = jobs.lock().expect("the writers' queue").recv();
        let Ok(job) = job else {
            return first;
        };
        if let Err(e) = write_piece(&job) {
            if first.is_ok() {
                first = Err((job.target.path.clone(), e));
            }
        }
        keep(spare, job.piece);
    }
}

/// Writes one piece where it goes.
fn write_piece(job: &Job) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    let handle = &job.target.handle;
    match handle.write_all_at(job.piece.bytes(), job.offset) {
        // A file system that takes `O_DIRECT` when it is asked for and refuses its writes:
        // the piece goes through the page cache, as every byte did before (and the commit's
        // `syncfs` flushes it).
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
            set_direct(handle, false)?;
            handle.write_all_at(job.piece.bytes(), job.offset)
        }
        written => written,
    }
}

/// Asks for a file's writes to go straight to the disk (`true`) or through the page cache;
/// an error when its file system (or system) refuses.
#[cfg(target_os = "linux")]
pub(super) fn set_direct(handle: &File, direct: bool) -> io::Result<()> {
    use std::os::unix::io::AsRawFd;
    let fd = handle.as_raw_fd();
    // SAFETY: `fcntl` with F_GETFL / F_SETFL reads and sets the flags of a descriptor that is
    // open for the duration of the calls; no memory is passed.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 {
            return Err(io::Error::last_os_error());
        }
        let flags = if direct {
            flags | libc::O_DIRECT
        } else {
            flags & !libc::O_DIRECT
        };
        if libc::fcntl(fd, libc::F_SETFL, flags) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
pub(super) fn set_direct(_: &File, _: bool) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_piece_is_aligned_and_fills() {
        let mut piece = Piece::new();
        assert_eq!(piece.bytes().as_ptr() as usize % BLOCK, 0);
        assert_eq!(piece.push(b"abc"), 3);
        assert_eq!(piece.bytes(), b"abc");
        let big = vec![7u8; PIECE + 10];
        assert_eq!(piece.push(&big), PIECE - 3);
        assert!(piece.is_full());
        assert_eq!(piece.push(b"d"), 0);
        let mut piece = Piece::new();
        piece.push(&vec![1u8; BLOCK + 5]);
        assert_eq!(piece.cut_to_blocks(), &[1u8; 5]);
        assert_eq!(piece.bytes().len(), BLOCK);
    }

    /// Pieces written straight, in any order and by several writers, make the file.
    #[test]
    fn pieces_written_straight_make_the_file() {
        let dir = std::env::temp_dir().join(format!("accord-direct-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut writers = Writers::start();
        for (name, len) in [
            ("a.csv", 3 * PIECE + BLOCK),
            ("b.csv", PIECE),
            ("c.csv", BLOCK),
        ] {
            let path = dir.join(name);
            let handle = File::create(&path).unwrap();
            let _ = set_direct(&handle, true);
            let target = Arc::new(Target { path, handle });
            let content: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            // The last piece first: whichever order they are written in.
            for (i, chunk) in content.chunks(PIECE).enumerate().rev() {
                let mut piece = writers.piece();
                assert_eq!(piece.push(chunk), chunk.len());
                writers.write(&target, piece, (i * PIECE) as u64).unwrap();
            }
            drop(target);
            writers.finish().unwrap();
            assert_eq!(std::fs::read(dir.join(name)).unwrap(), content, "{name}");
            writers = Writers::start();
        }
        writers.finish().unwrap();
        // Once finished, a piece is refused rather than lost.
        let path = dir.join("late.csv");
        let target = Arc::new(Target {
            handle: File::create(&path).unwrap(),
            path,
        });
        assert!(writers.write(&target, writers.piece(), 0).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
