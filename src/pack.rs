//! The pack being written: a [`Sink`] takes each file of the reports folder as soon as it is
//! made (the staging folder of [`crate::output::Staging`], or memory for tests), and a
//! [`Pack`] in front of it notes each file's size and SHA-256 for the manifest, so that no
//! output is held, or read back, to be hashed. Files may be put from several threads at once.

use crate::output::OutputFile;
use crate::render::manifest::{write_manifest, FileEntry, Manifest};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::sync::Mutex;

/// Where the files of a run go, one at a time, possibly from several threads.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> io::Result<()>;
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
    entries: Mutex<Vec<FileEntry>>,
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
        let entry = FileEntry::of(file.path.display().to_string(), &file.content);
        self.sink.put(file)?;
        self.entries
            .lock()
            .expect("the manifest entries")
            .push(entry);
        Ok(())
    }

    /// Adds several files.
    pub fn files(&self, files: impl IntoIterator<Item = OutputFile>) -> io::Result<()> {
        files.into_iter().try_for_each(|f| self.file(f))
    }

    /// Writes `manifest.json` for every file added so far, with `inputs` as the files read.
    pub fn finish(self, inputs: &[FileEntry]) -> io::Result<()> {
        let manifest = Manifest {
            accord_version: env!("CARGO_PKG_VERSION"),
            inputs: inputs.to_vec(),
            outputs: self.entries.into_inner().expect("the manifest entries"),
        };
        let mut content = Vec::new();
        write_manifest(&manifest, &mut content)?;
        self.sink.put(OutputFile {
            path: PathBuf::from("manifest.json"),
            content,
        })
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
}
