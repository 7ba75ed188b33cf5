//! `manifest.json`: accord's version and every input and output file with its size and
//! SHA-256, so an auditor can tell that a pack is the one produced from a given book. It holds
//! no clock time, so the same inputs give the same manifest.

pub use crate::text::sha256_hex;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileEntry {
    /// Inputs: the path as given on the command line. Outputs: relative to the output folder.
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

impl FileEntry {
    pub fn of(path: String, content: &[u8]) -> FileEntry {
        FileEntry {
            path,
            bytes: content.len() as u64,
            sha256: sha256_hex(content),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub accord_version: &'static str,
    pub inputs: Vec<FileEntry>,
    pub outputs: Vec<FileEntry>,
}

pub fn write_manifest(manifest: &Manifest, out: &mut impl Write) -> io::Result<()> {
    let mut sorted = manifest.clone();
    sorted.inputs.sort();
    sorted.outputs.sort();
    serde_json::to_writer_pretty(&mut *out, &sorted)?;
    out.write_all(b"\n")
}
