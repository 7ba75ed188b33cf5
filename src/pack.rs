//! The pack being written: a [`Sink`] takes each file of the reports folder as soon as it is
//! made (the staging folder of [`crate::output::Staging`], or memory for tests), and a
//! [`Pack`] in front of it notes each file's size and SHA-256 for the manifest, so that no
//! output is held, or read back, to be hashed. Files may be put from several threads at once.
//! A large file (`journal.ledger`, `journal.beancount`) may be written in pieces instead
//! ([`Pack::create`]), hashed as each piece passes, so that it is never held whole.

use crate::output::OutputFile;
use crate::render::manifest::FileEntry;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use sha2::{Digest, Sha256};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where the files of a run go, one at a time, possibly from several threads.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> io::Result<()>;

    /// Starts a file to be written in pieces (`write`, then [`FileWriter::finish`]). By
    /// default the pieces are gathered and the whole file is put when it is finished; a sink
    /// that writes to disk writes each piece as it comes.
    fn create<'s>(&'s self, path: PathBuf) -> io::Result<Box<dyn FileWriter + 's>> {
        Ok(Box::new(Gathered {
            sink: self,
            file: OutputFile {
                path,
                content: Vec::new(),
            },
        }))
    }
}

/// A file of the pack being written piece by piece.
pub trait FileWriter: Write + Send {
    /// The file is complete (and, where the sink does so, flushed).
    fn finish(self: Box<Self>) -> io::Result<()>;
}

/// The pieces of a file gathered in memory, for a sink that takes whole files only.
struct Gathered<'s, S: Sink + ?Sized> {
    sink: &'s S,
    file: OutputFile,
}

impl<S: Sink + ?Sized> Write for Gathered<'_, S> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.file.content.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<S: Sink + ?Sized> FileWriter for Gathered<'_, S> {
    fn finish(self: Box<Self>) -> io::Result<()> {
        self.sink.put(self.file)
    }
}

/// Keeps every file in memory (for tests, and for callers that want the bytes).
#[derive(Default)]
pub struct MemorySink(Mutex<Vec<OutputFile>>);

impl Sink for MemorySink {
    fn put(&self, file: OutputFile) -> io::Result<()> {
        self.0.lock().expect("the memory sink").push(file);
        Ok(())
    }
}

impl MemorySink {
    /// The files put, sorted by path (the order they were made in depends on the threads).
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().expect("the memory sink");
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

/// A sink that also notes each file for the manifest.
pub struct Pack<'s> {
    sink: &'s dyn Sink,
    entries: Mutex<Vec<Entry>>,
}

impl<'s> Pack<'s> {
    pub fn new(sink: &'s dyn Sink) -> Pack<'s> {
        Pack {
            sink,
            entries: Mutex::new(Vec::new()),
        }
    }

    /// Adds one file to the pack: hashed here, then handed to the sink.
    pub fn file(&self, file: OutputFile) -> io::Result<()> {
        let entry = Entry {
            path: file.path.display().to_string(),
            bytes: file.content.len() as u64,
            sha256: Sha256::digest(&file.content).into(),
        };
        self.sink.put(file)?;
        self.entries
            .lock()
            .expect("the manifest entries")
            .push(entry);
        Ok(())
    }

    /// Starts a file to be written in pieces: each piece is hashed as it passes to the sink,
    /// and the file is noted for the manifest when [`PackFile::finish`] is called (a file
    /// never finished is not in the manifest). Its entry is the one [`Pack::file`] gives the
    /// same bytes put at once.
    pub fn create(&self, path: PathBuf) -> io::Result<PackFile<'_, 's>> {
        let name = path.display().to_string();
        Ok(PackFile {
            pack: self,
            name,
            inner: self.sink.create(path)?,
            hash: Sha256::new(),
            bytes: 0,
        })
    }

    /// Adds several files.
    pub fn files(&self, files: impl IntoIterator<Item = OutputFile>) -> io::Result<()> {
        files.into_iter().try_for_each(|f| self.file(f))
    }

    /// Writes `manifest.json` for every file added so far, with `inputs` as the files read:
    /// the bytes [`crate::render::manifest::write_manifest`] writes, written in pieces (a
    /// large pack lists a hundred thousand files or more).
    pub fn finish(self, inputs: &[FileEntry]) -> io::Result<()> {
        let mut outputs = self.entries.into_inner().expect("the manifest entries");
        // In `FileEntry`'s order: by path, then size, then hash (hexadecimal sorts as bytes).
        outputs.sort_unstable_by(|a, b| {
            (&a.path, a.bytes, a.sha256).cmp(&(&b.path, b.bytes, b.sha256))
        });
        let mut inputs = inputs.to_vec();
        inputs.sort();
        let manifest = ManifestOut {
            accord_version: env!("CARGO_PKG_VERSION"),
            inputs,
            outputs: Outputs(&outputs),
        };
        let mut file = io::BufWriter::with_capacity(
            1 << 16,
            self.sink.create(PathBuf::from("manifest.json"))?,
        );
        serde_json::to_writer_pretty(&mut file, &manifest)?;
        file.write_all(b"\n")?;
        file.into_inner().map_err(|e| e.into_error())?.finish()
    }
}

/// A file noted for the manifest: its path in the pack, size and SHA-256.
struct Entry {
    path: String,
    bytes: u64,
    sha256: [u8; 32],
}

/// `manifest.json` as [`crate::render::manifest::Manifest`] writes it, its outputs made into
/// [`FileEntry`]s one at a time as they are written.
#[derive(serde::Serialize)]
struct ManifestOut<'e> {
    accord_version: &'static str,
    inputs: Vec<FileEntry>,
    outputs: Outputs<'e>,
}

struct Outputs<'e>(&'e [Entry]);

/// A [`FileEntry`] borrowing its path (the same fields, so the same JSON).
#[derive(serde::Serialize)]
struct EntryOut<'e> {
    path: &'e str,
    bytes: u64,
    sha256: String,
}

impl Serialize for Outputs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for e in self.0 {
            seq.serialize_element(&EntryOut {
                path: &e.path,
                bytes: e.bytes,
                sha256: crate::text::hex(&e.sha256),
            })?;
        }
        seq.end()
    }
}

/// What a sink on disk does with a file once it is complete (a staging folder flushes it,
/// or has it flushed).
pub trait Finish: Sync {
    fn finish(&self, path: &Path, handle: std::fs::File) -> io::Result<()>;
}

/// A file on disk being written in pieces (a staging folder's), handed to `finish` when it
/// is complete. Errors name the file.
pub struct DiskFile<'s> {
    path: PathBuf,
    handle: std::fs::File,
    finish: &'s dyn Finish,
}

impl<'s> DiskFile<'s> {
    pub fn new(path: PathBuf, handle: std::fs::File, finish: &'s dyn Finish) -> DiskFile<'s> {
        DiskFile {
            path,
            handle,
            finish,
        }
    }

    fn error(&self, source: io::Error) -> io::Error {
        io::Error::other(format!("{}: {source}", self.path.display()))
    }
}

impl Write for DiskFile<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.handle.write(bytes).map_err(|e| self.error(e))
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.handle.write_all(bytes).map_err(|e| self.error(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl FileWriter for DiskFile<'_> {
    fn finish(self: Box<Self>) -> io::Result<()> {
        let DiskFile {
            path,
            handle,
            finish,
        } = *self;
        finish
            .finish(&path, handle)
            .map_err(|e| io::Error::other(format!("{}: {e}", path.display())))
    }
}

/// A file of a [`Pack`] being written in pieces (see [`Pack::create`]).
pub struct PackFile<'p, 's> {
    pack: &'p Pack<'s>,
    name: String,
    inner: Box<dyn FileWriter + 's>,
    hash: Sha256,
    bytes: u64,
}

impl Write for PackFile<'_, '_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(bytes)?;
        self.hash.update(&bytes[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl PackFile<'_, '_> {
    /// The file is complete: finished in the sink, then noted for the manifest.
    pub fn finish(self) -> io::Result<()> {
        self.inner.finish()?;
        let entry = Entry {
            path: self.name,
            bytes: self.bytes,
            sha256: self.hash.finalize().into(),
        };
        self.pack
            .entries
            .lock()
            .expect("the manifest entries")
            .push(entry);
        Ok(())
    }
}

/// A bar over `total` documents on stderr when `wanted` and stderr is a terminal; a hidden
/// one otherwise (output to a file or a pipe shows nothing).
pub fn progress_bar(total: u64, wanted: bool) -> ProgressBar {
    if !wanted || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("writing documents {bar:30} {pos}/{len}, {eta} left")
        .expect("a valid progress template");
    bar.set_style(style);
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_lists_every_file_put_whatever_the_order() {
        let manifest_of = |order: &[&str]| {
            let sink = MemorySink::default();
            let pack = Pack::new(&sink);
            for name in order {
                pack.file(OutputFile {
                    path: PathBuf::from(name),
                    content: name.as_bytes().to_vec(),
                })
                .unwrap();
            }
            pack.finish(&[]).unwrap();
            sink.into_files()
        };
        let a = manifest_of(&["b.csv", "a/x.pdf", "c.html"]);
        let b = manifest_of(&["c.html", "b.csv", "a/x.pdf"]);
        assert_eq!(a, b);
        let paths: Vec<String> = a.iter().map(|f| f.path.display().to_string()).collect();
        assert_eq!(paths, ["a/x.pdf", "b.csv", "c.html", "manifest.json"]);
        let manifest = String::from_utf8(a[3].content.clone()).unwrap();
        assert!(manifest.contains("\"path\": \"a/x.pdf\""), "{manifest}");
        assert!(
            manifest.contains(&crate::render::manifest::sha256_hex(b"b.csv")),
            "{manifest}"
        );
    }

    #[test]
    fn a_file_written_in_pieces_is_the_file_put_whole() {
        let big: Vec<u8> = (0..100_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let files = [
            ("a.csv", &b"x,y\n"[..]),
            ("journal.ledger", &big[..]),
            ("e", &b""[..]),
        ];
        // Each file put whole, or written in pieces of `piece` bytes (0: whole).
        let pack_of = |sink: &dyn Sink, piece: usize| {
            let pack = Pack::new(sink);
            for (name, content) in files {
                if piece == 0 {
                    pack.file(OutputFile {
                        path: PathBuf::from(name),
                        content: content.to_vec(),
                    })
                    .unwrap();
                } else {
                    let mut file = pack.create(PathBuf::from(name)).unwrap();
                    for part in content.chunks(piece) {
                        file.write_all(part).unwrap();
                    }
                    file.finish().unwrap();
                }
            }
            pack.finish(&[]).unwrap();
        };
        let in_memory = |piece: usize| {
            let sink = MemorySink::default();
            pack_of(&sink, piece);
            sink.into_files()
        };
        let whole = in_memory(0);
        for piece in [1, 7, 4096, 1 << 20] {
            assert_eq!(in_memory(piece), whole, "pieces of {piece} bytes in memory");
        }
        // On disk: the staging folder holds the same files.
        let dir = std::env::temp_dir().join(format!("accord-pack-pieces-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for piece in [0, 7, 1 << 20] {
            let out = dir.join(format!("reports-{piece}"));
            let staging = crate::output::Staging::begin(&out).unwrap();
            pack_of(&staging, piece);
            staging.commit().unwrap();
            for f in &whole {
                assert_eq!(
                    std::fs::read(out.join(&f.path)).unwrap(),
                    f.content,
                    "{} in pieces of {piece} bytes on disk",
                    f.path.display()
                );
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_manifest_is_the_one_write_manifest_writes() {
        use crate::render::manifest::{write_manifest, Manifest};
        let files = [
            ("b.csv", "1"),
            ("2012-13/a.pdf", "22"),
            ("a.csv", ""),
            ("c", "x"),
        ];
        let inputs = [
            FileEntry::of("book/z.csv".into(), b"z"),
            FileEntry::of("book/a.csv".into(), b"a"),
        ];
        for empty in [true, false] {
            let sink = MemorySink::default();
            let pack = Pack::new(&sink);
            let mut outputs = Vec::new();
            for (name, content) in files.iter().filter(|_| !empty) {
                pack.file(OutputFile {
                    path: PathBuf::from(name),
                    content: content.as_bytes().to_vec(),
                })
                .unwrap();
                outputs.push(FileEntry::of(name.to_string(), content.as_bytes()));
            }
            let inputs: &[FileEntry] = if empty { &[] } else { &inputs };
            pack.finish(inputs).unwrap();
            let mut want = Vec::new();
            let manifest = Manifest {
                accord_version: env!("CARGO_PKG_VERSION"),
                inputs: inputs.to_vec(),
                outputs,
            };
            write_manifest(&manifest, &mut want).unwrap();
            let got = sink.into_files().pop().unwrap();
            assert_eq!(got.path, PathBuf::from("manifest.json"));
            assert_eq!(
                String::from_utf8(got.content).unwrap(),
                String::from_utf8(want).unwrap(),
                "empty: {empty}"
            );
        }
    }
}
