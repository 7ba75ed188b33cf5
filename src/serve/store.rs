//! The packs `accord serve` keeps under its data folder, one folder per upload, named by a
//! random id the server chose. A pack is built in a staging folder (`.staging-<id>`) and
//! renamed into `packs/<id>` only when complete, so a pack that exists is whole; staging
//! folders of a server that died are removed when the next one starts. Old packs are removed.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Packs older than this are removed.
pub const MAX_PACK_AGE: Duration = Duration::from_secs(24 * 60 * 60);
/// At most this many packs are kept; the oldest go first.
pub const MAX_PACKS: usize = 100;

/// The length of a pack id: 128 random bits in lower-case hex.
pub const ID_LENGTH: usize = 32;

/// The data folder and what is in it.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    /// Opens (creating) the data folder and removes what a previous server left half-made.
    pub fn open(root: &Path) -> io::Result<Store> {
        fs::create_dir_all(root.join("packs"))?;
        let store = Store {
            root: root.to_path_buf(),
        };
        store.remove_staging()?;
        Ok(store)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A new, empty staging folder for one upload, with its id.
    pub fn stage(&self) -> io::Result<(String, PathBuf)> {
        loop {
            let id = random_id()?;
            let staging = self.root.join(format!(".staging-{id}"));
            if self.pack_dir(&id).is_some_and(|p| p.exists()) {
                continue;
            }
            match fs::create_dir(&staging) {
                Ok(()) => return Ok((id, staging)),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Makes a finished staging folder the pack `id`, in one rename.
    pub fn publish(&self, id: &str, staging: &Path) -> io::Result<()> {
        let target = self
            .pack_dir(id)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a pack id"))?;
        fs::rename(staging, target)
    }

    /// The folder of pack `id`, when `id` is of the form the server gives (it may not exist).
    pub fn pack_dir(&self, id: &str) -> Option<PathBuf> {
        is_pack_id(id).then(|| self.root.join("packs").join(id))
    }

    /// Removes every staging folder (at start, when no upload can be in flight, and at a
    /// clean shutdown, after the uploads in flight have finished or been abandoned).
    pub fn remove_staging(&self) -> io::Result<()> {
        for entry in fs::read_dir(&self.root)?.filter_map(Result::ok) {
            if entry.file_name().to_string_lossy().starts_with(".staging-") {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
        Ok(())
    }

    /// Removes packs older than `max_age`, then the oldest beyond `max_packs`. Returns how
    /// many were removed.
    pub fn clean(&self, now: SystemTime, max_age: Duration, max_packs: usize) -> usize {
        let Ok(entries) = fs::read_dir(self.root.join("packs")) else {
            return 0;
        };
        let mut packs: Vec<(SystemTime, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter(|e| is_pack_id(&e.file_name().to_string_lossy()))
            .filter_map(|e| {
                let modified = e.metadata().and_then(|m| m.modified()).ok()?;
                Some((modified, e.path()))
            })
            .collect();
        packs.sort();
        let mut removed = 0;
        let count = packs.len();
        for (index, (modified, path)) in packs.into_iter().enumerate() {
            let too_old = now.duration_since(modified).unwrap_or_default() > max_age;
            let too_many = count - index > max_packs;
            if (too_old || too_many) && fs::remove_dir_all(&path).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}

/// True for the ids the server makes: exactly 32 lower-case hex digits.
pub fn is_pack_id(id: &str) -> bool {
    id.len() == ID_LENGTH && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// 128 random bits from the system, as hex.
fn random_id() -> io::Result<String> {
    let mut bytes = [0u8; ID_LENGTH / 2];
    fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_dir::TestDir;

    #[test]
    fn ids_are_only_what_the_server_makes() {
        let cases = [
            ("0123456789abcdef0123456789abcdef", true),
            ("0123456789ABCDEF0123456789abcdef", false),
            ("..", false),
            ("0123456789abcdef0123456789abcde", false),
            ("0123456789abcdef0123456789abcde/", false),
            ("%2e%2e", false),
        ];
        for (id, expected) in cases {
            assert_eq!(is_pack_id(id), expected, "{id:?}");
        }
    }

    #[test]
    fn staging_is_published_whole_and_leftovers_are_removed() {
        let scratch = TestDir::new("store-publish");
        let root = scratch.path().join("store");
        let store = Store::open(&root).unwrap();
        let (id, staging) = store.stage().unwrap();
        assert!(is_pack_id(&id));
        fs::write(staging.join("page.html"), "x").unwrap();
        store.publish(&id, &staging).unwrap();
        assert!(store.pack_dir(&id).unwrap().join("page.html").is_file());
        let (_, left) = store.stage().unwrap();
        assert!(left.exists());
        Store::open(&root).unwrap();
        assert!(
            !left.exists(),
            "a staging folder of a dead server is removed"
        );
        assert!(store.pack_dir(&id).unwrap().exists(), "packs stay");
    }

    #[test]
    fn old_packs_and_packs_beyond_the_count_are_removed() {
        let scratch = TestDir::new("store-clean");
        let root = scratch.path().join("store");
        let store = Store::open(&root).unwrap();
        let mut ids = Vec::new();
        for _ in 0..3 {
            let (id, staging) = store.stage().unwrap();
            store.publish(&id, &staging).unwrap();
            ids.push(id);
        }
        let now = SystemTime::now();
        assert_eq!(store.clean(now, MAX_PACK_AGE, 3), 0);
        assert_eq!(store.clean(now, MAX_PACK_AGE, 2), 1);
        let later = now + MAX_PACK_AGE + Duration::from_secs(60);
        assert_eq!(store.clean(later, MAX_PACK_AGE, 100), 2);
        assert!(ids.iter().all(|id| !store.pack_dir(id).unwrap().exists()));
    }
}
