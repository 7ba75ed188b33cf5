//! What an uploaded file becomes on disk before accord reads it: a workbook saved under a
//! fixed name, or a zip of CSV files unpacked into a fresh folder. Nothing here trusts a name
//! from the request or from inside the zip: a workbook is always `book.<ext>`, and a zip's
//! entries are written only as `<table>.csv` for the tables accord knows.

use crate::book::{normalise_name, TABLE_NAMES};
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The kinds of file the upload page takes, by the uploaded name's extension.
pub const ACCEPTED_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "ods", "zip"];

/// Most bytes a zip's CSV files may inflate to, all together (the same cap as a workbook's
/// parts, `book::package::MAX_INFLATED_BYTES`).
pub const MAX_ZIP_INFLATED_BYTES: u64 = crate::book::package::MAX_INFLATED_BYTES;

/// Most entries a zip may hold (a book has eleven tables; folders and stray files count too).
pub const MAX_ZIP_ENTRIES: usize = 1_000;

/// The extension accord uses for an uploaded file name, lower case, when it is one it takes.
pub fn accepted_extension(file_name: &str) -> Option<String> {
    let extension = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    ACCEPTED_EXTENSIONS
        .contains(&extension.as_str())
        .then_some(extension)
}

/// The uploaded file's name as messages show it: its last component only, with nothing but
/// letters, digits, spaces and `-_.()`, at most 100 characters; `fallback` when nothing is left.
pub fn display_name(file_name: &str, fallback: &str) -> String {
    let last = file_name.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String = last
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '(' | ')'))
        .take(100)
        .collect();
    let kept = kept.trim().trim_start_matches('.').to_string();
    if kept.is_empty() {
        fallback.to_string()
    } else {
        kept
    }
}

/// Why a zip could not be unpacked as a book (shown to the user as the one error).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ZipBookError {
    #[error("cannot be read as a zip file ({0}); make the zip again from the folder of CSV files")]
    NotAZip(String),
    #[error("holds {0} entries, more than accord reads ({MAX_ZIP_ENTRIES}); zip only the book's CSV files")]
    TooManyEntries(usize),
    #[error("{0}: is encrypted; zip the CSV files without a password")]
    Encrypted(String),
    #[error("{0}: is a symbolic link; zip the CSV files themselves")]
    Symlink(String),
    #[error("{name} and {other} are both the table {table}; keep one of them")]
    Duplicate {
        name: String,
        other: String,
        table: String,
    },
    #[error("inflates to more than {} MiB in all; a book's CSV files are far smaller, so this is not one", MAX_ZIP_INFLATED_BYTES >> 20)]
    TooLarge,
    #[error("{name}: cannot be unpacked ({message})")]
    Damaged { name: String, message: String },
    #[error("holds no CSV file named for a table (councils.csv, programmes.csv, budget.csv, ...); zip the book's folder of CSV files")]
    NoTables,
}

/// Unpacks the CSV files of a zip into `folder` (which must not exist yet), one
/// `<table>.csv` per table accord knows, whatever folder inside the zip held them. Other
/// entries are skipped and named in the list returned, so the page can say so.
pub fn unpack_csv_zip(zip_path: &Path, folder: &Path) -> Result<Vec<String>, ZipBookError> {
    unpack_csv_zip_within(zip_path, folder, MAX_ZIP_INFLATED_BYTES)
}

fn unpack_csv_zip_within(
    zip_path: &Path,
    folder: &Path,
    max_inflated: u64,
) -> Result<Vec<String>, ZipBookError> {
    let damaged = |name: &str| {
        let name = name.to_string();
        move |e: std::io::Error| ZipBookError::Damaged {
            name: name.clone(),
            message: e.to_string(),
        }
    };
    let file = fs::File::open(zip_path).map_err(|e| ZipBookError::NotAZip(e.to_string()))?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| ZipBookError::NotAZip(e.to_string()))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(ZipBookError::TooManyEntries(archive.len()));
    }
    fs::create_dir(folder).map_err(damaged("the book's folder"))?;
    let mut skipped = Vec::new();
    let mut written: Vec<(String, String)> = Vec::new();
    let mut inflated_total: u64 = 0;
    for index in 0..archive.len() {
        let mut entry = archive
            .by_index(index)
            .map_err(|e| ZipBookError::NotAZip(e.to_string()))?;
        let name = entry
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| format!("entry {}", index + 1));
        if entry.is_dir() {
            continue;
        }
        let shown = crate::diag::quoted(&name);
        if entry.is_symlink() {
            return Err(ZipBookError::Symlink(shown));
        }
        if entry.encrypted() {
            return Err(ZipBookError::Encrypted(shown));
        }
        let Some(table) = table_of_entry(&name) else {
            skipped.push(name);
            continue;
        };
        if let Some((other, _)) = written.iter().find(|(_, t)| *t == table) {
            return Err(ZipBookError::Duplicate {
                name: shown,
                other: crate::diag::quoted(other),
                table,
            });
        }
        // Only accord's own name for the table reaches the disk.
        let target: PathBuf = folder.join(format!("{table}.csv"));
        let mut out = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .map_err(damaged(&shown))?;
        let allowed = max_inflated - inflated_total;
        let copied = std::io::copy(&mut (&mut entry).take(allowed + 1), &mut out)
            .map_err(damaged(&shown))?;
        if copied > allowed {
            return Err(ZipBookError::TooLarge);
        }
        inflated_total += copied;
        out.flush().map_err(damaged(&shown))?;
        written.push((name, table));
    }
    if written.is_empty() {
        return Err(ZipBookError::NoTables);
    }
    Ok(skipped)
}

/// The table a zip entry holds, when its last component is `<table>.csv` (matched as accord
/// matches names: case, spaces, `-` and `_` alike) and it is not hidden or a macOS fork.
fn table_of_entry(name: &str) -> Option<String> {
    if name.split(['/', '\\']).any(|part| part == "__MACOSX") {
        return None;
    }
    let last = name.rsplit(['/', '\\']).next()?;
    if last.starts_with('.') {
        return None;
    }
    let (stem, extension) = last.rsplit_once('.')?;
    if !extension.eq_ignore_ascii_case("csv") {
        return None;
    }
    let table = normalise_name(stem);
    TABLE_NAMES.contains(&table.as_str()).then_some(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in entries {
            out.start_file(*name, options).unwrap();
            out.write_all(content).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    use crate::test_dir::TestDir;

    #[test]
    fn entries_become_tables_by_their_last_name_only() {
        let cases: &[(&str, Option<&str>)] = &[
            ("councils.csv", Some("councils")),
            ("wla/Budget.CSV", Some("budget")),
            ("../../etc/support-in-kind.csv", Some("support_in_kind")),
            ("/abs/path/grants.csv", Some("grants")),
            ("dir\\..\\settings.csv", Some("settings")),
            ("__MACOSX/wla/._budget.csv", None),
            ("wla/.budget.csv", None),
            ("notes.csv", None),
            ("budget.xlsx", None),
            ("budget", None),
        ];
        for (name, expected) in cases {
            assert_eq!(table_of_entry(name).as_deref(), *expected, "entry {name:?}");
        }
    }

    #[test]
    fn names_for_messages_keep_only_safe_characters() {
        let cases = [
            ("wla.xlsx", "wla.xlsx"),
            ("C:\\Users\\fd\\Book (2).xlsx", "Book (2).xlsx"),
            ("../../etc/passwd.xlsx", "passwd.xlsx"),
            ("<script>.xlsx", "script.xlsx"),
            ("...", "book.xlsx"),
        ];
        for (name, expected) in cases {
            assert_eq!(display_name(name, "book.xlsx"), expected, "{name:?}");
        }
    }

    #[test]
    fn a_zip_is_unpacked_as_tables_and_nothing_else() {
        let scratch = TestDir::new("upload-unpack");
        let dir = scratch.path();
        let zip = dir.join("book.zip");
        fs::write(
            &zip,
            zip_of(&[
                ("../../councils.csv", b"code,name\nBAR,Barnet\n"),
                ("wla/readme.txt", b"hello"),
                ("/tmp/evil/budget.csv", b"year\n"),
            ]),
        )
        .unwrap();
        let folder = dir.join("book");
        let skipped = unpack_csv_zip(&zip, &folder).unwrap();
        assert_eq!(skipped, vec!["wla/readme.txt".to_string()]);
        let mut names: Vec<String> = fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["budget.csv", "councils.csv"]);
        assert!(!dir.join("councils.csv").exists() && !Path::new("/tmp/evil").exists());
    }

    #[test]
    fn a_zip_that_is_not_a_book_is_refused() {
        let scratch = TestDir::new("upload-refuse");
        let dir = scratch.path();
        type Case = (Vec<u8>, fn(&ZipBookError) -> bool);
        let cases: Vec<Case> = vec![
            (b"not a zip".to_vec(), |e| {
                matches!(e, ZipBookError::NotAZip(_))
            }),
            (zip_of(&[("a.txt", b"x")]), |e| *e == ZipBookError::NoTables),
            (
                zip_of(&[("a/budget.csv", b"x"), ("b/Budget.csv", b"y")]),
                |e| matches!(e, ZipBookError::Duplicate { .. }),
            ),
            (zip_of(&[("budget.csv", &[b'1'; 5000])]), |e| {
                *e == ZipBookError::TooLarge
            }),
        ];
        for (index, (bytes, expected)) in cases.iter().enumerate() {
            let zip = dir.join(format!("{index}.zip"));
            fs::write(&zip, bytes).unwrap();
            let err = unpack_csv_zip_within(&zip, &dir.join(format!("{index}")), 1000)
                .expect_err("refused");
            assert!(expected(&err), "case {index}: {err:?}");
        }
    }
}
