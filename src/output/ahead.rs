//! The staging folder's files made ahead of time, on another thread: those the previous
//! reports have, created again, empty, while the run reads its book on one core.
//!
//! Creating a file can cost far more than writing it (see [`super::Staging::create_file`]:
//! on this machine's file system, hundreds of microseconds each after many removals), and a
//! run used to create its 410 files while it wrote them, on both cores, so that they waited
//! on each other's creations too. A rerun's reports are nearly always the same files as the
//! previous ones (the same tables, a journal per council), and reading the book leaves the
//! second core idle: the files are made there meanwhile, and each is then only taken when
//! the run comes to write it. Guessing wrong costs nothing but the guess: a file the run
//! never asks for is removed before the commit (it was never written), and one it asks for
//! before it is made ahead is created by the run, as before, and not made ahead. The same
//! thread then drops the previous reports' pages from the page cache ([`uncache`]), work
//! their removal at the commit would otherwise do while the run waits.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

/// At most this many files are made ahead: a run's tables and journals, or a pack's first
/// documents. A pack's tens of thousands of documents are made on every core anyway, so that
/// making their files ahead gains nothing there, and a wrong guess would cost its removal.
const AT_MOST: usize = 4096;

/// The files made ahead for one staging folder, and the folders made in it.
pub(super) struct Ahead {
    shared: Arc<Shared>,
    maker: Option<JoinHandle<()>>,
}

struct Shared {
    staging: PathBuf,
    stop: AtomicBool,
    files: Mutex<Files>,
}

impl Shared {
    fn files(&self) -> MutexGuard<'_, Files> {
        self.files.lock().expect("the staging folder's files")
    }
}

/// What the run and the maker share, behind one lock.
#[derive(Default)]
pub(super) struct Files {
    /// Made ahead and not yet taken, by path relative to the staging folder. Each is made
    /// and closed: a pack's thousands of files held open could take the descriptors the run
    /// needs (many systems allow a process 1,024).
    made: HashSet<PathBuf>,
    /// Asked for by the run: not to be made ahead.
    asked: HashSet<PathBuf>,
    /// The folders made so far inside the staging folder (most files go into a folder made
    /// for an earlier one; this spares asking the file system again for each).
    folders: HashSet<PathBuf>,
}

impl Files {
    /// The run asks for the file at `path` (relative): whether it was made ahead (then the
    /// run opens it, empty); if not, it is noted as asked for, never to be made ahead, and
    /// the run creates it.
    pub(super) fn take(&mut self, path: &Path) -> bool {
        let made = self.made.remove(path);
        if !made {
            self.asked.insert(path.to_path_buf());
        }
        made
    }

    /// Makes `dir` (a folder inside the staging folder) unless it was made before.
    pub(super) fn make_folder(&mut self, dir: &Path) -> std::io::Result<()> {
        if !self.folders.contains(dir) {
            fs::create_dir_all(dir)?;
            self.folders.insert(dir.to_path_buf());
        }
        Ok(())
    }
}

impl Ahead {
    /// Starts making, in `staging`, the files that `previous` (the reports to be replaced, if
    /// there are any) holds.
    pub(super) fn start(staging: &Path, previous: &Path) -> Ahead {
        let shared = Arc::new(Shared {
            staging: staging.to_path_buf(),
            stop: AtomicBool::new(false),
            files: Mutex::new(Files::default()),
        });
        let maker = previous.is_dir().then(|| {
            let shared = Arc::clone(&shared);
            let previous = previous.to_path_buf();
            std::thread::spawn(move || {
                let paths = files_below(&previous);
                make_ahead(&shared, &paths);
                uncache(&previous, &paths, &shared.stop);
            })
        });
        Ahead { shared, maker }
    }

    /// The files and folders, locked for the run to take a file or make a folder.
    pub(super) fn files(&self) -> MutexGuard<'_, Files> {
        self.shared.files()
    }

    /// Stops making files ahead, and waits until the maker has stopped: nothing is made in
    /// the staging folder after this returns.
    pub(super) fn stop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.wait();
    }

    /// Waits until the maker has made every file it was to make, or has stopped.
    fn wait(&mut self) {
        if let Some(maker) = self.maker.take() {
            // A maker that failed has only failed to make a file ahead: the run makes it.
            let _ = maker.join();
        }
    }

    /// Stops making files ahead and removes those the run did not ask for, and the folders
    /// they leave empty: the staging folder then holds the run's files only.
    pub(super) fn finish(&mut self) -> std::io::Result<()> {
        self.stop();
        let mut files = self.files();
        if files.made.is_empty() {
            // Every folder made holds a file the run asked for.
            return Ok(());
        }
        for path in files.made.drain() {
            fs::remove_file(self.shared.staging.join(path))?;
        }
        // Each folder made, and those made with it, the deepest first; one that still holds
        // a file stays.
        let staging = &self.shared.staging;
        let mut folders: Vec<&Path> = files
            .folders
            .iter()
            .flat_map(|dir| {
                dir.ancestors()
                    .take_while(|a| a.starts_with(staging) && *a != staging)
            })
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        folders.sort_by_key(|dir| std::cmp::Reverse(dir.components().count()));
        for dir in folders {
            if fs::read_dir(dir)?.next().is_none() {
                fs::remove_dir(dir)?;
            }
        }
        Ok(())
    }
}

/// Makes each of `paths` in the staging folder unless the run has asked for it already,
/// until told to stop or a file cannot be made (the run will then make it, or say why not).
fn make_ahead(shared: &Shared, paths: &[PathBuf]) {
    for path in paths {
        if shared.stop.load(Ordering::Relaxed) {
            return;
        }
        let mut files = shared.files();
        if files.asked.contains(path) {
            continue;
        }
        let full = shared.staging.join(path);
        let made = full
            .parent()
            .map_or(Ok(()), |dir| files.make_folder(dir))
            .and_then(|()| fs::File::create(&full));
        match made {
            Ok(_closed) => {
                files.made.insert(path.clone());
            }
            Err(_) => return,
        }
    }
}

/// Drops from the page cache what it holds of each of `paths` below `previous` (the
/// previous reports, flushed to disk by the run that wrote them; their bytes on disk are
/// untouched), until told to stop. Removing a file frees its cached pages: done here, on the
/// core that reading the book leaves idle, that work is out of the commit, which the run
/// waits for (on the 400-council book, 82 MB of pages: `perf` found the removal's samples
/// halved, 57 to 30 of about 1,100).
fn uncache(previous: &Path, paths: &[PathBuf], stop: &AtomicBool) {
    #[cfg(target_os = "linux")]
    for path in paths {
        use std::os::unix::io::AsRawFd;
        if stop.load(Ordering::Relaxed) {
            return;
        }
        if let Ok(file) = fs::File::open(previous.join(path)) {
            // SAFETY: the descriptor is open for the duration of the call. Its result is not
            // looked at: it is advice, and pages it leaves are freed by the removal.
            unsafe {
                libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (previous, paths, stop);
}

/// Every file below `folder`, by path relative to it, at most [`AT_MOST`]: the top folder's
/// first (sorted, as the listing's order is the file system's), then each folder's in turn.
/// A folder that cannot be listed is passed over (nothing is made ahead for it).
fn files_below(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![PathBuf::new()];
    let mut at = 0;
    while at < folders.len() {
        let relative = folders[at].clone();
        at += 1;
        let Ok(entries) = fs::read_dir(folder.join(&relative)) else {
            continue;
        };
        let mut here = Vec::new();
        for entry in entries.filter_map(Result::ok) {
            let path = relative.join(entry.file_name());
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => folders.push(path),
                Ok(kind) if kind.is_file() => here.push(path),
                _ => {}
            }
            if files.len() + here.len() >= AT_MOST {
                break;
            }
        }
        here.sort();
        files.extend(here);
        if files.len() >= AT_MOST {
            break;
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_dir::TestDir;

    fn write(path: &Path, content: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }

    #[test]
    fn makes_the_previous_files_and_removes_those_not_asked_for() {
        let dir = TestDir::new("ahead");
        let previous = dir.path().join("reports");
        write(&previous.join("manifest.json"), "{}");
        write(&previous.join("journals/C001.csv"), "old");
        write(&previous.join("journals/C002.csv"), "old");
        write(&previous.join("2012-13/invoices/a.pdf"), "old");
        let staging = dir.path().join(".reports.new");
        fs::create_dir_all(&staging).unwrap();
        let mut ahead = Ahead::start(&staging, &previous);
        // The run asks for one file at once: whether or not it was made ahead yet, it is
        // the run's, and empty.
        let taken = ahead.files().take(Path::new("journals/C001.csv"));
        ahead.wait();
        let made: HashSet<PathBuf> = ahead.files().made.clone();
        assert!(!made.contains(Path::new("journals/C001.csv")));
        if taken {
            assert_eq!(fs::read(staging.join("journals/C001.csv")).unwrap(), b"");
        }
        // Once the maker is done, every other previous file is made, empty.
        let expected: HashSet<PathBuf> = [
            "manifest.json",
            "journals/C002.csv",
            "2012-13/invoices/a.pdf",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert_eq!(made, expected);
        for path in &expected {
            assert_eq!(fs::read(staging.join(path)).unwrap(), b"");
        }
        // Taken, a file is no longer removed; those not taken are.
        assert!(ahead.files().take(Path::new("manifest.json")));
        ahead.finish().unwrap();
        assert!(staging.join("manifest.json").is_file());
        assert!(!staging.join("journals/C002.csv").exists());
        // The journals' folder stays only if the run took a file in it.
        assert_eq!(staging.join("journals").is_dir(), taken);
        assert!(!staging.join("2012-13").exists());
        // The previous reports are untouched.
        assert_eq!(
            fs::read(previous.join("journals/C002.csv")).unwrap(),
            b"old"
        );
    }

    #[test]
    fn without_previous_reports_nothing_is_made() {
        let dir = TestDir::new("ahead-none");
        let staging = dir.path().join(".reports.new");
        fs::create_dir_all(&staging).unwrap();
        let mut ahead = Ahead::start(&staging, &dir.path().join("reports"));
        ahead.finish().unwrap();
        assert_eq!(fs::read_dir(&staging).unwrap().count(), 0);
    }

    #[test]
    fn lists_the_top_folder_first_then_each_folder_sorted() {
        let dir = TestDir::new("ahead-list");
        for path in [
            "b.csv",
            "a.csv",
            "journals/Z.csv",
            "journals/A.csv",
            "x/y/z.pdf",
        ] {
            write(&dir.path().join(path), "");
        }
        let listed = files_below(dir.path());
        let names: Vec<String> = listed.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(&names[..2], ["a.csv", "b.csv"]);
        let mut rest = names[2..].to_vec();
        rest.sort();
        assert_eq!(rest, ["journals/A.csv", "journals/Z.csv", "x/y/z.pdf"]);
    }
}
