//! The scratch place the fuzz targets write their inputs to: `$ACCORD_FUZZ_TMP` (default
//! `/dev/shm`, memory, so a million inputs do not wear a disk), one name per process.

// Each target uses the half it needs.
#![allow(dead_code)]
use std::path::PathBuf;

/// `$ACCORD_FUZZ_TMP/accord-fuzz-<what>-<pid>`.
pub fn scratch_path(what: &str) -> PathBuf {
    let base = std::env::var_os("ACCORD_FUZZ_TMP")
        .map_or_else(|| PathBuf::from("/dev/shm"), PathBuf::from);
    base.join(format!("accord-fuzz-{what}-{}", std::process::id()))
}

/// [`scratch_path`], made as a folder.
pub fn scratch_folder(what: &str) -> PathBuf {
    let folder = scratch_path(what);
    std::fs::create_dir_all(&folder).expect("a scratch folder");
    folder
}
