//! The pack as a whole (issue 11): the same bytes whatever the number of threads that make the
//! documents, `--no-documents` writes the CSV tables and the manifest only, the manifest's
//! hashes are those of the files written, and no staging folder is left behind.

use crate::support::*;
use std::fs;
use std::path::Path;
use std::process::Command;

/// `accord run BOOK --out OUT [extra...]` on `threads` threads.
fn run_on_threads(book: &Path, out: &Path, threads: usize, extra: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args([
            "run",
            book.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .args(extra)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .expect("the accord binary runs");
    assert!(
        output.status.success(),
        "accord run failed:\n{}",
        stderr(&output)
    );
    assert!(
        !stderr(&output).contains("writing documents"),
        "no progress bar when stderr is not a terminal:\n{}",
        stderr(&output)
    );
}

#[test]
fn the_pack_has_the_same_bytes_on_one_thread_and_on_many() {
    let dir = scratch("threads");
    let (one, many) = (dir.join("one"), dir.join("many"));
    run_on_threads(&fixture(), &one, 1, &[]);
    run_on_threads(&fixture(), &many, 4, &[]);
    let (a, b) = (tree(&one), tree(&many));
    assert!(a.len() > 40, "a whole pack: {} files", a.len());
    assert_eq!(
        a.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        b.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{path} differs between one thread and four");
    }
    let leftovers: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "no staging folder is left: {leftovers:?}"
    );
}

#[test]
fn no_documents_writes_the_tables_and_the_manifest_only() {
    let dir = scratch("no-documents");
    let (full, tables) = (dir.join("full"), dir.join("tables"));
    run_on_threads(&fixture(), &full, 2, &[]);
    run_on_threads(&fixture(), &tables, 2, &["--no-documents"]);
    let written = tree(&tables);
    let names: Vec<&str> = written.iter().map(|(p, _)| p.as_str()).collect();
    assert!(
        names.iter().all(|n| (n.ends_with(".csv")
            && (!n.contains('/') || n.starts_with("journals/")))
            || *n == "manifest.json"),
        "{names:?}"
    );
    assert!(names.contains(&"allocations.csv") && names.contains(&"manifest.json"));
    assert!(
        names.iter().any(|n| n.starts_with("journals/")),
        "{names:?}"
    );
    // The tables are those of the full pack, byte for byte.
    for (name, bytes) in &written {
        if name != "manifest.json" {
            assert_eq!(&fs::read(full.join(name)).unwrap(), bytes, "{name}");
        }
    }
    check_contract(&tables);
    assert_manifest_matches(&tables);
    assert_manifest_matches(&full);
}

/// Every file of the folder is in its manifest with its size and SHA-256, and nothing else.
fn assert_manifest_matches(out: &Path) {
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let listed: Vec<(String, u64, String)> = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["bytes"].as_u64().unwrap(),
                e["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let on_disk: Vec<(String, u64, String)> = tree(out)
        .into_iter()
        .filter(|(p, _)| p != "manifest.json")
        .map(|(p, bytes)| {
            (
                p,
                bytes.len() as u64,
                accord::render::manifest::sha256_hex(&bytes),
            )
        })
        .collect();
    assert_eq!(listed, on_disk, "{}", out.display());
}
