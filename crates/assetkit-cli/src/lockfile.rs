//! The lockfile: what a batch already uploaded, so an interrupted run resumes where it
//! stopped. Written after every upload (to a temporary file, then renamed into place).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One uploaded file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// SHA-256 of the content that was uploaded.
    pub(crate) sha256: String,
    /// What the vendor called it.
    pub(crate) id: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Contents {
    version: u32,
    /// Where the files went ("roblox user 123", "webflow site abc"): a lockfile is only
    /// valid for the destination it was written for.
    target: String,
    entries: BTreeMap<String, Entry>,
}

/// A lockfile on disk.
#[derive(Debug)]
pub(crate) struct Lockfile {
    path: PathBuf,
    contents: Contents,
}

impl Lockfile {
    /// Opens `path` for `target`, or starts an empty one if it does not exist.
    pub(crate) fn open(path: &Path, target: &str) -> io::Result<Self> {
        let contents = match std::fs::read(path) {
            Ok(bytes) => {
                let contents: Contents = serde_json::from_slice(&bytes).map_err(|e| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("{} is not a lockfile: {e}", path.display()),
                    )
                })?;
                if contents.target != target {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!(
                            "{} was written for {:?}, not {target:?}; pass another --lockfile",
                            path.display(),
                            contents.target
                        ),
                    ));
                }
                contents
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Contents {
                version: 1,
                target: target.to_owned(),
                entries: BTreeMap::new(),
            },
            Err(e) => return Err(e),
        };
        Ok(Self {
            path: path.to_owned(),
            contents,
        })
    }

    /// The entry for `key`, when its content is unchanged.
    pub(crate) fn uploaded(&self, key: &str, sha256: &str) -> Option<&Entry> {
        self.contents.entries.get(key).filter(|e| e.sha256 == sha256)
    }

    /// Records an upload and writes the lockfile.
    pub(crate) fn record(&mut self, key: String, entry: Entry) -> io::Result<()> {
        self.contents.entries.insert(key, entry);
        // `<name>.<pid>.tmp` beside it: `with_extension` would give `a.lock` and `a.json` the
        // same temporary file (and make a lockfile named `*.tmp` its own temporary file), and
        // two processes sharing one name would write into each other's half-written file.
        let mut temporary = self.path.clone().into_os_string();
        temporary.push(format!(".{}.tmp", std::process::id()));
        let temporary = PathBuf::from(temporary);
        let bytes = serde_json::to_vec_pretty(&self.contents).map_err(io::Error::other)?;
        std::fs::write(&temporary, bytes)?;
        std::fs::rename(&temporary, &self.path)
    }

    /// How many files are recorded.
    pub(crate) fn len(&self) -> usize {
        self.contents.entries.len()
    }
}

/// SHA-256 of a file, read in 64 KiB chunks.
pub(crate) async fn sha256_of(path: &Path) -> Result<String, assetkit::Error> {
    let source = assetkit::UploadSource::path(path);
    let (_, hasher) = source
        .read_chunks(Sha256::new(), |hasher, chunk| hasher.update(chunk))
        .await?;
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_survive_a_reopen_and_changed_content_is_not_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("assetkit.lock");
        let mut lock = Lockfile::open(&path, "roblox user 1").unwrap();
        lock.record(
            "a.fbx".into(),
            Entry {
                sha256: "aa".into(),
                id: "42".into(),
            },
        )
        .unwrap();
        let lock = Lockfile::open(&path, "roblox user 1").unwrap();
        assert_eq!(lock.uploaded("a.fbx", "aa").map(|e| e.id.as_str()), Some("42"));
        assert!(lock.uploaded("a.fbx", "bb").is_none());
        assert_eq!(lock.len(), 1);
        let other = Lockfile::open(&path, "roblox user 2").unwrap_err();
        assert!(other.to_string().contains("--lockfile"));
    }

    #[test]
    fn lockfiles_sharing_a_stem_keep_their_own_entries() {
        let dir = tempfile::tempdir().unwrap();
        let entry = |id: &str| Entry {
            sha256: "aa".into(),
            id: id.into(),
        };
        let mut lock = Lockfile::open(&dir.path().join("batch.lock"), "t").unwrap();
        let mut json = Lockfile::open(&dir.path().join("batch.json"), "t").unwrap();
        let mut tmp = Lockfile::open(&dir.path().join("batch.tmp"), "t").unwrap();
        lock.record("a".into(), entry("1")).unwrap();
        json.record("b".into(), entry("2")).unwrap();
        tmp.record("c".into(), entry("3")).unwrap();
        for (name, key, id) in [
            ("batch.lock", "a", "1"),
            ("batch.json", "b", "2"),
            ("batch.tmp", "c", "3"),
        ] {
            let reopened = Lockfile::open(&dir.path().join(name), "t").unwrap();
            assert_eq!(
                reopened.uploaded(key, "aa").map(|e| e.id.as_str()),
                Some(id),
                "{name}"
            );
            assert_eq!(reopened.len(), 1, "{name}");
        }
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["batch.json", "batch.lock", "batch.tmp"],
            "no temporary file is left"
        );
    }

    #[tokio::test]
    async fn hashes_like_sha256sum() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("abc.txt");
        std::fs::write(&path, b"abc").unwrap();
        assert_eq!(
            sha256_of(&path).await.unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
