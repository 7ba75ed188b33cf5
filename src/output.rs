//! Writing the reports folder safely: everything goes into a new folder beside the target,
//! which is swapped in only when complete, in one atomic exchange of the two folders where the
//! system offers it (Linux `renameat2(RENAME_EXCHANGE)`). A run that fails or is killed at any
//! moment leaves either the previous reports or the new ones, whole; and a folder that is not
//! accord's is never replaced.

mod ahead;
mod flush;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// One file of the reports folder: its path relative to the folder, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub content: Vec<u8>,
}

/// Why the reports folder could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{0}: exists and is not a folder; give --out a folder")]
    NotAFolder(String),
    #[error("{0}: exists and is not an accord reports folder (it has files but no manifest.json); choose a new or empty folder, so nothing of yours is replaced")]
    NotOurs(String),
    #[error("{out}: is or holds the input {input}; choose a reports folder outside the book")]
    HoldsInput { out: String, input: String },
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Refuses an output folder that is, or contains, one of the inputs, or that holds someone
/// else's files.
pub fn check_out_dir(out: &Path, inputs: &[PathBuf]) -> Result<(), OutputError> {
    let out_abs = absolute(out);
    for input in inputs {
        let input_abs = absolute(input);
        if input_abs.starts_with(&out_abs) {
            return Err(OutputError::HoldsInput {
                out: out.display().to_string(),
                input: input.display().to_string(),
            });
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(OutputError::NotAFolder(out.display().to_string()));
        }
        let mut entries = fs::read_dir(out).map_err(io_error(out))?;
        let has_files = entries.next().is_some();
        if has_files && !out.join("manifest.json").is_file() {
            return Err(OutputError::NotOurs(out.display().to_string()));
        }
    }
    Ok(())
}

fn absolute(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| {
        let joined = std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf());
        // The folder may not exist yet: canonicalise its nearest existing ancestor.
        let mut existing = joined.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.file_name(), existing.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name.to_owned());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut base = fs::canonicalize(&existing).unwrap_or(existing);
        for name in rest.iter().rev() {
            base.push(name);
        }
        base
    })
}

/// Writes `files` as the whole content of `out`, replacing what was there only once every
/// file is written and flushed to disk.
pub fn replace_folder(out: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    let staging = Staging::begin(out)?;
    for file in files {
        staging.write(&file.path, &file.content)?;
    }
    staging.commit()
}

/// A reports folder being written: each file goes into a staging folder beside `out` as soon
/// as it is put (from any thread), and [`Staging::commit`] swaps the whole folder in once it is
/// flushed to disk. Dropped without a commit, the staging folder is removed and `out` is as it
/// was. The files `out` holds are made again in the staging folder, empty, on another thread
/// as soon as it is begun, for the run to take as it comes to each ([`ahead`]).
pub struct Staging {
    out: PathBuf,
    staging: PathBuf,
    retired: PathBuf,
    committed: bool,
    ahead: ahead::Ahead,
    flusher: flush::Flusher,
}

impl Staging {
    /// Starts a new staging folder for `out` (removing those of killed runs), and the making
    /// in it of the files `out` holds. A run begins it before reading its book where that
    /// makes no other folder ([`Staging::makes_no_other_folder`]), so that they are made
    /// while the book is read.
    pub fn begin(out: &Path) -> Result<Staging, OutputError> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "reports".into());
        let parent = parent_of(out);
        fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        remove_stale_staging(&parent, &name);
        let pid = std::process::id();
        let staging = parent.join(format!(".{name}.accord-new-{pid}"));
        let retired = parent.join(format!(".{name}.accord-old-{pid}"));
        let _ = fs::remove_dir_all(&staging);
        fs::create_dir_all(&staging).map_err(io_error(&staging))?;
        let ahead = ahead::Ahead::start(&staging, out);
        Ok(Staging {
            out: out.to_path_buf(),
            staging,
            retired,
            committed: false,
            ahead,
            flusher: flush::Flusher::start(),
        })
    }

    /// Whether [`Staging::begin`] would make no folder but the staging folder itself (the
    /// folder `out` goes in exists): a run begins it before reading the book only then, so
    /// that a book with errors leaves nothing behind, not even an empty folder.
    pub fn makes_no_other_folder(out: &Path) -> bool {
        parent_of(out).is_dir()
    }

    /// Writes one file into the staging folder; `path` is relative and stays inside it.
    pub fn write(&self, path: &Path, content: &[u8]) -> Result<(), OutputError> {
        let (path, mut handle) = self.create_file(path)?;
        handle.write_all(content).map_err(io_error(&path))?;
        self.finish_file(&path, handle).map_err(io_error(&path))
    }

    /// A staged file is written: flushed to disk, except on Linux, which flushes the whole
    /// staging folder at once when it is committed. There a large file is handed to the
    /// [`flush::Flusher`] to be flushed on its own thread while the run makes the next ones,
    /// so that the final `syncfs` finds little left; when too many wait already, its
    /// write-back is only started, without waiting (`sync_file_range(SYNC_FILE_RANGE_WRITE)`).
    /// Small files (a pack's tens of thousands of invoices and statements) are left to the
    /// `syncfs`: starting each one's write-back on its own was measured slower for a whole
    /// pack in an earlier round (many small writes instead of the kernel's few large ones).
    fn finish_file(&self, path: &Path, handle: fs::File) -> io::Result<()> {
        #[cfg(not(target_os = "linux"))]
        {
            let _ = path;
            handle.sync_all()
        }
        #[cfg(target_os = "linux")]
        {
            if handle.metadata()?.len() < EARLY_FLUSH_BYTES {
                return Ok(());
            }
            if let Err(handle) = self.flusher.flush_later(path.to_path_buf(), handle) {
                use std::os::unix::io::AsRawFd;
                // SAFETY: the descriptor is open for the duration of the call. Its result is
                // not looked at: it only starts the write-back, and a failed write is
                // reported by the `syncfs` of the commit, which every file waits for.
                unsafe {
                    libc::sync_file_range(handle.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE);
                }
            }
            Ok(())
        }
    }

    /// Creates one file in the staging folder (and its folder), to be written and then
    /// finished with [`Staging::finish_file`]: its full path and its handle.
    ///
    /// Creating a file can cost far more than it should, and nothing here can make it cheaper
    /// (what was measured on issue 17, round 2); it can only be done sooner, out of the way
    /// ([`ahead`], since round 6). On ext4 without a journal (this machine's), the
    /// kernel passes over every free inode deleted in the last 60 s (360 s while its block
    /// is unwritten), starting each search at the first inode of the group the folder's
    /// inodes come from: creating n files after n were removed there costs n² looks into
    /// the inode table. A run's profile showed this at 11.5% of its CPU (about 70 ms) after
    /// a run just before had removed its previous 410 files. What was tried or thought
    /// through:
    /// - Where and how: a file's inode comes from its folder's group, and a new folder is
    ///   put by the kernel near its parent, usually in the same group, so files in
    ///   subfolders or all in one folder, in any order, with `O_EXCL` or `O_TMPFILE` (the same
    ///   allocation) fare alike. 410 files in 10 subfolders against one folder: 95-245 ms
    ///   against 128-250 ms, as noisy as each alone.
    /// - From one thread or several, or one at a time behind a lock: after 4000 files were
    ///   removed, 410 files cost 65, 13, 27, 3 ms of system time from one thread; 80, 19, 36,
    ///   11 from two; 87, 22, 43, 20 from two behind a lock (each run removed adds to the
    ///   next one's search). No better, so files are created where they are made.
    /// - It is not only our own previous run: on a shared machine every process's removals
    ///   count. Under `strace` the 410 creations of a run took 208-404 ms back to back,
    ///   74-149 ms 70 s after the previous run, and 266 ms into a new folder 65 s after any
    ///   run of ours. A quiet file system: 2 ms.
    /// - Removing the previous reports first (or removing them sooner) is not allowed: they
    ///   stay, whole, until the new ones are flushed and swapped in.
    /// - Reusing the previous reports' inodes: renaming their files into the staging folder,
    ///   or linking them there, and rewriting them changes the previous reports before the
    ///   commit, so an error or a kill would leave them half-written: not safe. After the
    ///   commit it would be safe to keep the swapped-out files, emptied, in a hidden folder
    ///   beside the reports for the next run to rename into its staging folder and rewrite
    ///   (every byte is rewritten and flushed by the commit's `syncfs`), sparing both the
    ///   allocation and the removal of inodes; not done, because it leaves 410 empty files
    ///   beside the reports between runs (the run would end with the old folder's files
    ///   still there, if empty), and emptying them frees their blocks at the same cost as
    ///   removing them.
    fn create_file(&self, path: &Path) -> Result<(PathBuf, fs::File), OutputError> {
        assert!(
            path.is_relative()
                && path
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_))),
            "output paths stay inside the reports folder: {}",
            path.display()
        );
        let full = self.staging.join(path);
        let made_ahead = {
            let mut files = self.ahead.files();
            let made = files.take(path);
            if let (false, Some(dir)) = (made, full.parent()) {
                files.make_folder(dir).map_err(io_error(dir))?;
            }
            made
        };
        let handle = if made_ahead {
            // Made ahead, empty: only opened here.
            fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(&full)
        } else {
            fs::File::create(&full)
        };
        let handle = handle.map_err(io_error(&full))?;
        Ok((full, handle))
    }

    /// Flushes the staging folder to disk and swaps it in for `out`.
    pub fn commit(mut self) -> Result<(), OutputError> {
        self.ahead.finish().map_err(io_error(&self.staging))?;
        self.flusher
            .finish()
            .map_err(|(file, source)| io_error(&file)(source))?;
        sync_folder(&self.staging).map_err(io_error(&self.staging))?;
        self.committed = true;
        let (out, staging, retired) = (&self.out, &self.staging, &self.retired);
        let had_previous = out.exists();
        if had_previous && exchange(staging, out).is_ok() {
            // `out` now holds the new reports and `staging` the previous ones.
            let _ = remove_folder(staging).or_else(|_| fs::remove_dir_all(staging));
            return Ok(());
        }
        if had_previous {
            if let Err(source) = fs::rename(out, retired) {
                let _ = fs::remove_dir_all(staging);
                return Err(io_error(out)(source));
            }
        }
        if let Err(source) = fs::rename(staging, out) {
            if had_previous {
                let _ = fs::rename(retired, out);
            }
            let _ = fs::remove_dir_all(staging);
            return Err(OutputError::Io {
                path: out.display().to_string(),
                source,
            });
        }
        if had_previous {
            let _ = remove_folder(retired).or_else(|_| fs::remove_dir_all(retired));
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            self.ahead.stop();
            let _ = self.flusher.finish();
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// The folder `out` goes in (`.` for a bare name).
fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

impl crate::pack::Finish for Staging {
    fn finish(&self, path: &Path, handle: fs::File) -> io::Result<()> {
        self.finish_file(path, handle)
    }
}

/// The size from which a staged file is flushed as soon as it is written (the CSV tables and
/// the councils' journals are above it; a PDF invoice is far below).
#[cfg(target_os = "linux")]
const EARLY_FLUSH_BYTES: u64 = 64 * 1024;

/// How many files are removed at once by [`remove_folder`].
const REMOVERS: usize = 8;

/// Removes a folder and everything in it (the previous reports, once swapped out), several
/// files at once. Removing a file is mostly waiting, not work (this file system discards a
/// removed file's blocks on the disk as it goes): on the 400-council book (410 files, 82 MB)
/// one file at a time took 50-60 ms on a quiet machine and over a second on a busy one; two
/// at a time 40-48 ms, eight 28-30 ms (50-100 ms busy), sixteen or thirty-two no better.
/// The run waits for it, so that it never ends with the previous reports still there.
fn remove_folder(folder: &Path) -> io::Result<()> {
    let mut files = Vec::new();
    let mut folders = vec![folder.to_path_buf()];
    let mut at = 0;
    while at < folders.len() {
        for entry in fs::read_dir(&folders[at])? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                folders.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
        at += 1;
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let removed: io::Result<()> = std::thread::scope(|scope| {
        let removers: Vec<_> = (0..REMOVERS.min(files.len()))
            .map(|_| {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    match files.get(i) {
                        Some(file) => fs::remove_file(file)?,
                        None => return Ok(()),
                    }
                })
            })
            .collect();
        removers
            .into_iter()
            .try_for_each(|r| r.join().expect("a remover does not panic"))
    });
    removed?;
    // The deepest folders first: each is empty by then.
    for folder in folders.iter().rev() {
        fs::remove_dir(folder)?;
    }
    Ok(())
}

impl crate::pack::Sink for Staging {
    fn put(&self, file: OutputFile) -> io::Result<()> {
        self.write(&file.path, &file.content)
            .map_err(|e| io::Error::other(e.to_string()))
    }

    /// The file is created in the staging folder and each piece written to it as it comes.
    fn create<'s>(&'s self, path: PathBuf) -> io::Result<Box<dyn crate::pack::FileWriter + 's>> {
        let (path, handle) = self
            .create_file(&path)
            .map_err(|e| io::Error::other(e.to_string()))?;
        Ok(Box::new(crate::pack::DiskFile::new(path, handle, self)))
    }
}

/// Flushes every file written below `folder` to disk: one `syncfs` of its file system on
/// Linux (the files were not flushed one by one); elsewhere each file was flushed as written.
#[cfg(target_os = "linux")]
fn sync_folder(folder: &Path) -> io::Result<()> {
    use std::os::unix::io::AsRawFd;
    let handle = fs::File::open(folder)?;
    // SAFETY: the descriptor is open for the duration of the call.
    if unsafe { libc::syncfs(handle.as_raw_fd()) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn sync_folder(_folder: &Path) -> io::Result<()> {
    Ok(())
}

/// Swaps two paths in one step, so that no moment exists when `b` is missing.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let to_c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
    };
    let (a, b) = (to_c(a)?, to_c(b)?);
    // SAFETY: both are valid NUL-terminated paths that live across the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange here",
    ))
}

/// Removes staging folders left by runs that were killed (their process no longer exists).
fn remove_stale_staging(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let pid = [".accord-new-", ".accord-old-"].iter().find_map(|marker| {
            file_name
                .strip_prefix(&format!(".{name}{marker}"))
                .and_then(|pid| pid.parse::<u32>().ok())
        });
        if let Some(pid) = pid {
            if !process_alive(pid) {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_dir::TestDir;

    fn file(path: &str, content: &str) -> OutputFile {
        OutputFile {
            path: PathBuf::from(path),
            content: content.as_bytes().to_vec(),
        }
    }

    #[test]
    fn replaces_the_whole_folder() {
        let scratch = TestDir::new("output-replace");
        let dir = scratch.path();
        let out = dir.join("reports");
        replace_folder(&out, &[file("manifest.json", "1"), file("old.csv", "x")]).unwrap();
        replace_folder(
            &out,
            &[file("manifest.json", "2"), file("2012-13/a.csv", "y")],
        )
        .unwrap();
        assert_eq!(fs::read_to_string(out.join("manifest.json")).unwrap(), "2");
        assert!(
            !out.join("old.csv").exists(),
            "files of the previous run are gone"
        );
        assert_eq!(fs::read_to_string(out.join("2012-13/a.csv")).unwrap(), "y");
        let leftovers: Vec<_> = fs::read_dir(dir).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders are left behind");
        // Over those: the previous files made ahead, one rewritten, the others (and the
        // folder they leave empty) gone; a file is rewritten whole, never a previous one's
        // bytes kept.
        replace_folder(&out, &[file("manifest.json", "3")]).unwrap();
        let mut left: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["manifest.json"]);
        assert_eq!(fs::read_to_string(out.join("manifest.json")).unwrap(), "3");
        assert_eq!(fs::read_dir(dir).unwrap().count(), 1);
    }

    #[test]
    fn refuses_folders_that_are_not_ours() {
        let scratch = TestDir::new("output-refuse");
        let dir = scratch.path();
        let mine = dir.join("documents");
        fs::create_dir_all(&mine).unwrap();
        fs::write(mine.join("letter.txt"), "keep me").unwrap();
        assert!(matches!(
            check_out_dir(&mine, &[]),
            Err(OutputError::NotOurs(_))
        ));
        let book = dir.join("book");
        fs::create_dir_all(&book).unwrap();
        assert!(matches!(
            check_out_dir(dir, std::slice::from_ref(&book)),
            Err(OutputError::HoldsInput { .. })
        ));
        assert!(matches!(
            check_out_dir(&book, std::slice::from_ref(&book)),
            Err(OutputError::HoldsInput { .. })
        ));
        assert!(check_out_dir(&dir.join("new"), &[book]).is_ok());
    }
}
