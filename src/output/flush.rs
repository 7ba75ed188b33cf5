//! The staging folder's large files flushed to disk one by one as they are finished, on a
//! thread of their own, while the run makes the next ones.
//!
//! The commit must wait until every byte is on the disk (its `syncfs`) before it swaps the
//! folder in. Starting a file's write-back when it is finished
//! (`sync_file_range(SYNC_FILE_RANGE_WRITE)`, the rule until issue 17's seventh round) only
//! hands its pages to the disk: on a disk with a write cache (this machine's virtual disk says
//! `write back`) the commit's `syncfs` then still waited for the cache to be emptied, about
//! 130 ms for the 82 MB of the 400-council book's tables and journals, the same as with no
//! early write-back at all. `fdatasync` of each file as it is finished empties the cache a
//! file at a time, meanwhile: measured on the same disk, 403 files of 84 MB made at 350 MB/s
//! then `syncfs` took 393-613 ms with the early write-back (the `syncfs` 11-136 ms), 407-473 ms
//! with each file flushed on another thread (the last flushes 16-91 ms after the last file,
//! then the `syncfs` 1 ms). On the 400-council book's `run --no-documents` (`strace`), the
//! commit's `syncfs` went from 125-174 ms to 1-3 ms; alternating with the build before, 15
//! runs each, the run's median from 703 to 654 ms (validate: 162 ms).
//!
//! Tried in the eighth round and not kept: writing each file of 64 KB or more straight to the
//! disk (`O_DIRECT`, in aligned pieces of 256 KB by eight threads, the part of a block that
//! ends it through the page cache; padding it and cutting the file back instead cost a read
//! of the block, about 130 µs a file under `strace`). On its own (a Python script over files
//! made before) it wrote the reports' 410 files in 106-125 ms against 151-211 ms through the
//! page cache and a flushing thread; in the run, where
//! both cores are busy, the CPU it saved in copying and write-back went into submitting the
//! writes and switching between the threads (the disk is virtual): alternating with this
//! build, 40 runs each, 470 -> 448 ms one time, 541 -> 552 ms (mean CPU 0.90 s both)
//! another, and 406 -> 406 ms over 20 runs.

use std::fs::File;
use std::io;
use std::path::PathBuf;
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::Mutex;
use std::thread::JoinHandle;

/// At most this many finished files wait to be flushed (each holds its descriptor open until
/// then); a file finished when as many wait is left to the commit's `syncfs`, its write-back
/// started at once instead, so that the run never waits here, nor runs out of descriptors.
const WAITING: usize = 64;

/// A file to flush: its path (for an error) and its handle.
type Finished = (PathBuf, File);

/// The thread that flushes finished files, and the queue they wait in.
pub(super) struct Flusher {
    queue: Mutex<Option<SyncSender<Finished>>>,
    worker: Option<JoinHandle<Result<(), (PathBuf, io::Error)>>>,
}

impl Flusher {
    /// Starts the thread, which waits for files.
    pub(super) fn start() -> Flusher {
        let (queue, files) = mpsc::sync_channel::<Finished>(WAITING);
        let worker = std::thread::spawn(move || {
            // Every file is flushed, even after one failed; the first failure is kept.
            let mut first_error = Ok(());
            for (path, file) in files {
                if let Err(e) = file.sync_data() {
                    if first_error.is_ok() {
                        first_error = Err((path, e));
                    }
                }
            }
            first_error
        });
        Flusher {
            queue: Mutex::new(Some(queue)),
            worker: Some(worker),
        }
    }

    /// Hands a finished file over to be flushed; gives it back when too many files wait
    /// already, or when the flusher has finished.
    pub(super) fn flush_later(&self, path: PathBuf, file: File) -> Result<(), File> {
        let queue = self.queue.lock().expect("the flusher's queue");
        match queue.as_ref() {
            Some(queue) => queue.try_send((path, file)).map_err(|e| match e {
                TrySendError::Full((_, file)) | TrySendError::Disconnected((_, file)) => file,
            }),
            None => Err(file),
        }
    }

    /// Waits until every file handed over is flushed: the first that could not be, and why.
    pub(super) fn finish(&mut self) -> Result<(), (PathBuf, io::Error)> {
        self.queue.lock().expect("the flusher's queue").take();
        match self.worker.take() {
            Some(worker) => worker.join().expect("the flusher does not panic"),
            None => Ok(()),
        }
    }
}

impl Drop for Flusher {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn files_are_handed_over_until_finished_then_given_back() {
        let dir = std::env::temp_dir().join(format!("accord-flush-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut flusher = Flusher::start();
        let mut given_back = 0;
        for i in 0..3 * WAITING {
            let path = dir.join(format!("{i}.csv"));
            let mut file = File::create(&path).unwrap();
            file.write_all(b"a,b\n1,2\n").unwrap();
            if flusher.flush_later(path, file).is_err() {
                given_back += 1;
            }
        }
        assert!(given_back < 3 * WAITING, "some files were handed over");
        flusher.finish().unwrap();
        // Once finished, a file is given back rather than lost in a closed queue.
        let path = dir.join("late.csv");
        let file = File::create(&path).unwrap();
        assert!(flusher.flush_later(path, file).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
