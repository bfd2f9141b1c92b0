//! A crash-safe record of a batch of uploads, so that an interrupted batch resumes where
//! it stopped: never uploading a finished file again, and finishing a half-done one from
//! the step it had reached instead of creating a second asset.
//!
//! The journal is a file of JSON lines, appended to and flushed to disk (`fsync`) record
//! by record. Each file of a batch goes through three events:
//!
//! | event | written | holds |
//! |---|---|---|
//! | `intent` | before the file's first request | the content hash, and what makes a retry safe (Enklu's `qquuid`) |
//! | `created` | as soon as the vendor has an id for it | Webflow's step-1 asset id, Roblox's operation id, Media Pocket's asset id |
//! | `done` | after the last step | the final id and detail |
//!
//! A `failed` event notes why an attempt stopped; it leaves the file where it was (a
//! created asset stays recorded, so the next run finishes it).
//!
//! On open the journal is compacted (one line per file, written beside it and renamed
//! into place), and locked: a second process opening the same journal is refused until
//! the first exits. A torn last line (a crash in the middle of a write) is dropped; any
//! other line that is not a record refuses the whole journal, after copying it to
//! `<journal>.corrupt`, rather than silently uploading everything again.
//!
//! ```
//! use assetkit::journal::{Journal, Stage};
//! # let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("batch.journal");
//! let journal = Journal::open(&path, "webflow site 42")?;
//! journal.intent("a.png", "e3b0c442", serde_json::Map::new())?;
//! journal.created("a.png", [("asset".to_owned(), "6390c49774a7".into())].into_iter().collect())?;
//! drop(journal); // a crash here...
//! let journal = Journal::open(&path, "webflow site 42")?;
//! let record = journal.get("a.png").unwrap();
//! assert_eq!(record.stage(), Stage::Created); // ...resumes from the created asset
//! assert_eq!(record.data()["asset"], "6390c49774a7");
//! # Ok::<(), assetkit::journal::JournalError>(())
//! ```

use std::collections::HashMap;
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The format version written in the journal's first line.
const VERSION: u32 = 1;

/// Why a journal cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// Another process holds the journal.
    #[error("{path} is in use by another assetkit process; wait for it to finish, or pass another journal")]
    Locked {
        /// The journal.
        path: PathBuf,
    },
    /// A line that is not a record, or a journal of another batch.
    #[error("{path}: {reason}")]
    Invalid {
        /// The journal.
        path: PathBuf,
        /// What is wrong, and what to do.
        reason: String,
    },
    /// The file system failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
}

/// A journal failure as the one error type: `Io` for the file system, `InvalidRequest`
/// (with the reason and what to do) for a journal in use, of another batch or damaged.
impl From<JournalError> for assetkit_core::Error {
    fn from(error: JournalError) -> Self {
        match error {
            JournalError::Io { path, source } => assetkit_core::Error::io(&path, source),
            other => assetkit_core::Error::invalid(other.to_string()),
        }
    }
}

/// How far a file got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Its first request may have gone out; nothing the vendor made is known yet.
    Intent,
    /// The vendor has made something for it (its id is in [`Record::data`]); the upload
    /// has steps left.
    Created,
    /// Uploaded.
    Done,
}

/// What the journal knows of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    stage: Stage,
    sha256: String,
    data: Map<String, Value>,
    id: Option<String>,
    detail: Option<String>,
    error: Option<String>,
}

impl Record {
    /// How far the file got.
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// The hash of the content the record is about.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// What the vendor steps recorded (`intent` and `created` data, merged).
    pub fn data(&self) -> &Map<String, Value> {
        &self.data
    }

    /// A text value of [`data`](Self::data).
    pub fn text(&self, name: &str) -> Option<&str> {
        self.data.get(name).and_then(Value::as_str)
    }

    /// The final id, once done.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The final detail (a URL, a moderation state), once done.
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// Why the last attempt failed, if it did.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Whether this file is done with exactly this content.
    pub fn is_done_with(&self, sha256: &str) -> bool {
        self.stage == Stage::Done && self.sha256 == sha256
    }
}

/// One line of the journal.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "lowercase")]
enum Event {
    Journal {
        version: u32,
        target: String,
    },
    Intent {
        key: String,
        sha256: String,
        #[serde(default, skip_serializing_if = "Map::is_empty")]
        data: Map<String, Value>,
        /// Starts the file over: what was recorded of it is gone.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        restart: bool,
    },
    Created {
        key: String,
        data: Map<String, Value>,
    },
    Done {
        key: String,
        sha256: String,
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
    Failed {
        key: String,
        error: String,
    },
}

/// The lockfile format this journal replaced: `{version, target, entries: {path: {sha256, id}}}`.
#[derive(Deserialize)]
struct Legacy {
    target: String,
    entries: HashMap<String, LegacyEntry>,
}

#[derive(Deserialize)]
struct LegacyEntry {
    sha256: String,
    id: String,
}

/// An open, locked journal. Its methods take `&self`: share it (in an `Arc`) between
/// the tasks of a batch. Each record is written under a short lock and flushed to disk
/// outside it, so one file's `fsync` does not hold up another's record.
pub struct Journal {
    path: PathBuf,
    target: String,
    records: Mutex<HashMap<String, Record>>,
    file: Mutex<File>,
    /// The same file, for `fsync` outside the write lock.
    sync: File,
    /// Held for the journal's life: the lock other processes are refused by.
    _lock: File,
}

impl fmt::Debug for Journal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Journal")
            .field("path", &self.path)
            .field("target", &self.target)
            .field("files", &self.lock_records().len())
            .finish_non_exhaustive()
    }
}

/// `<path><suffix>`, beside it.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

impl Journal {
    /// Opens (or starts) the journal at `path` for `target` (where the files go: a journal
    /// is only valid for the destination it was written for), locks it and compacts it.
    pub fn open(path: &Path, target: &str) -> Result<Self, JournalError> {
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| JournalError::Io { path, source }
        };
        let lock_path = beside(path, ".lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(JournalError::Locked {
                    path: path.to_owned(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(&lock_path)(e)),
        }
        let records = match File::open(path) {
            Ok(file) => Self::read(path, target, file)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => HashMap::new(),
            Err(e) => return Err(io(path)(e)),
        };
        Self::compact(path, target, &records).map_err(io(path))?;
        let file = OpenOptions::new().append(true).open(path).map_err(io(path))?;
        let sync = file.try_clone().map_err(io(path))?;
        Ok(Self {
            path: path.to_owned(),
            target: target.to_owned(),
            records: Mutex::new(records),
            file: Mutex::new(file),
            sync,
            _lock: lock,
        })
    }

    fn read(path: &Path, target: &str, file: File) -> Result<HashMap<String, Record>, JournalError> {
        let invalid = |reason: String| JournalError::Invalid {
            path: path.to_owned(),
            reason,
        };
        let mut reader = BufReader::new(file);
        let mut records = HashMap::new();
        let mut line = String::new();
        let mut number = 0usize;
        let mut header = false;
        loop {
            line.clear();
            let read = reader.read_line(&mut line).map_err(|source| JournalError::Io {
                path: path.to_owned(),
                source,
            })?;
            if read == 0 {
                break;
            }
            number += 1;
            let complete = line.ends_with('\n');
            if line.trim().is_empty() {
                continue;
            }
            if number == 1 && line.trim_start().starts_with('{') && !line.contains("\"event\"") {
                // Not a line of events: perhaps the whole-file lockfile this replaced.
                let mut all = line.clone();
                reader
                    .read_to_string(&mut all)
                    .map_err(|source| JournalError::Io {
                        path: path.to_owned(),
                        source,
                    })?;
                return Self::migrate(path, target, &all);
            }
            let event: Event = match serde_json::from_str(&line) {
                Ok(event) => event,
                // A crash in the middle of the last write leaves a torn line: it was
                // never complete, so nothing it said was relied on.
                Err(_) if !complete => break,
                Err(e) => {
                    let backup = beside(path, ".corrupt");
                    let kept = std::fs::copy(path, &backup).is_ok();
                    return Err(invalid(format!(
                        "line {number} is not a journal record ({e}); {}fix or remove that line, or pass another journal (nothing was uploaded)",
                        if kept {
                            format!("a copy is kept at {}; ", backup.display())
                        } else {
                            String::new()
                        }
                    )));
                }
            };
            match event {
                Event::Journal {
                    version,
                    target: written,
                } => {
                    if version > VERSION {
                        return Err(invalid(format!(
                            "journal format {version} is newer than this assetkit reads ({VERSION}); upgrade assetkit"
                        )));
                    }
                    if written != target {
                        return Err(invalid(format!(
                            "the journal was written for {written:?}, not {target:?}; pass another journal"
                        )));
                    }
                    header = true;
                }
                _ if !header => {
                    return Err(invalid(format!(
                        "line {number} comes before the journal's header line; pass another journal"
                    )));
                }
                event => apply(&mut records, event),
            }
        }
        Ok(records)
    }

    fn migrate(path: &Path, target: &str, text: &str) -> Result<HashMap<String, Record>, JournalError> {
        let legacy: Legacy = serde_json::from_str(text).map_err(|e| JournalError::Invalid {
            path: path.to_owned(),
            reason: format!("neither a journal nor a lockfile ({e}); pass another journal"),
        })?;
        if legacy.target != target {
            return Err(JournalError::Invalid {
                path: path.to_owned(),
                reason: format!(
                    "the lockfile was written for {:?}, not {target:?}; pass another journal",
                    legacy.target
                ),
            });
        }
        Ok(legacy
            .entries
            .into_iter()
            .map(|(key, entry)| {
                let record = Record {
                    stage: Stage::Done,
                    sha256: entry.sha256,
                    data: Map::new(),
                    id: Some(entry.id),
                    detail: None,
                    error: None,
                };
                (key, record)
            })
            .collect())
    }

    /// Writes one line per file beside the journal, flushes it and renames it into place:
    /// a crash at any moment leaves either the old journal or the new one.
    fn compact(path: &Path, target: &str, records: &HashMap<String, Record>) -> io::Result<()> {
        let temporary = beside(path, &format!(".{}.tmp", std::process::id()));
        let file = File::create(&temporary)?;
        let mut out = BufWriter::new(file);
        let header = Event::Journal {
            version: VERSION,
            target: target.to_owned(),
        };
        write_line(&mut out, &header)?;
        let mut keys: Vec<&String> = records.keys().collect();
        keys.sort();
        for key in keys {
            let Some(record) = records.get(key) else { continue };
            for event in events_of(key, record) {
                write_line(&mut out, &event)?;
            }
        }
        let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temporary, path)?;
        sync_parent(path)
    }

    /// The journal's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where its files go.
    pub fn target(&self) -> &str {
        &self.target
    }

    fn lock_records(&self) -> MutexGuard<'_, HashMap<String, Record>> {
        self.records.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What is known of `key`.
    pub fn get(&self, key: &str) -> Option<Record> {
        self.lock_records().get(key).cloned()
    }

    /// How many files are recorded, and how many of them are done.
    pub fn counts(&self) -> (usize, usize) {
        let records = self.lock_records();
        let done = records.values().filter(|r| r.stage == Stage::Done).count();
        (records.len(), done)
    }

    /// Every recorded file, sorted by key.
    pub fn records(&self) -> Vec<(String, Record)> {
        let mut all: Vec<_> = self
            .lock_records()
            .iter()
            .map(|(k, r)| (k.clone(), r.clone()))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    }

    /// Records that `key`, with content `sha256`, is about to be sent, with what makes a
    /// retry safe. Data recorded earlier for the same content is kept (a resumed file
    /// keeps its `qquuid`); for changed content it starts over.
    pub fn intent(&self, key: &str, sha256: &str, data: Map<String, Value>) -> Result<(), JournalError> {
        self.append(Event::Intent {
            key: key.to_owned(),
            sha256: sha256.to_owned(),
            data,
            restart: false,
        })
    }

    /// Records that `key` starts over from its first request: what was recorded of it
    /// (a step-1 asset that has since been deleted) no longer holds, and the file is back
    /// at [`Stage::Intent`].
    pub fn restart(&self, key: &str, sha256: &str) -> Result<(), JournalError> {
        self.append(Event::Intent {
            key: key.to_owned(),
            sha256: sha256.to_owned(),
            data: Map::new(),
            restart: true,
        })
    }

    /// Records what the vendor made for `key` (merged into its data).
    pub fn created(&self, key: &str, data: Map<String, Value>) -> Result<(), JournalError> {
        self.append(Event::Created {
            key: key.to_owned(),
            data,
        })
    }

    /// Records that `key` is uploaded.
    pub fn done(&self, key: &str, sha256: &str, id: &str, detail: Option<&str>) -> Result<(), JournalError> {
        self.append(Event::Done {
            key: key.to_owned(),
            sha256: sha256.to_owned(),
            id: id.to_owned(),
            detail: detail.map(str::to_owned),
        })
    }

    /// Records why an attempt at `key` stopped (its stage stays where it was).
    pub fn failed(&self, key: &str, error: &str) -> Result<(), JournalError> {
        self.append(Event::Failed {
            key: key.to_owned(),
            error: error.to_owned(),
        })
    }

    fn append(&self, event: Event) -> Result<(), JournalError> {
        let io = |source| JournalError::Io {
            path: self.path.clone(),
            source,
        };
        let mut line = serde_json::to_vec(&event).map_err(|e| io(io::Error::other(e)))?;
        line.push(b'\n');
        {
            // One `write` per record, under the lock: lines never interleave, and once
            // it returns the record outlives a killed process (the kernel has it).
            let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
            file.write_all(&line).map_err(io)?;
            apply(&mut self.lock_records(), event);
        }
        // On disk, outside the lock (concurrent `fsync`s of one file share the work): the
        // record then outlives a power cut too.
        self.sync.sync_data().map_err(io)
    }
}

/// Folds one event into the records.
fn apply(records: &mut HashMap<String, Record>, event: Event) {
    match event {
        Event::Journal { .. } => {}
        Event::Intent {
            key,
            sha256,
            data,
            restart,
        } => {
            let record = records.entry(key).or_insert_with(|| Record {
                stage: Stage::Intent,
                sha256: sha256.clone(),
                data: Map::new(),
                id: None,
                detail: None,
                error: None,
            });
            if record.sha256 != sha256 || record.stage == Stage::Done || restart {
                // New content, or a finished file sent again: a new upload.
                *record = Record {
                    stage: Stage::Intent,
                    sha256,
                    data: Map::new(),
                    id: None,
                    detail: None,
                    error: None,
                };
            }
            record.data.extend(data);
        }
        Event::Created { key, data } => {
            if let Some(record) = records.get_mut(&key) {
                record.stage = Stage::Created;
                record.data.extend(data);
            }
        }
        Event::Done {
            key,
            sha256,
            id,
            detail,
        } => {
            let record = records.entry(key).or_insert_with(|| Record {
                stage: Stage::Done,
                sha256: sha256.clone(),
                data: Map::new(),
                id: None,
                detail: None,
                error: None,
            });
            record.stage = Stage::Done;
            record.sha256 = sha256;
            record.id = Some(id);
            record.detail = detail;
            record.error = None;
        }
        Event::Failed { key, error } => {
            if let Some(record) = records.get_mut(&key) {
                record.error = Some(error);
            }
        }
    }
}

/// The events that rebuild `record`.
fn events_of(key: &str, record: &Record) -> Vec<Event> {
    let key = key.to_owned();
    let mut events = match record.stage {
        Stage::Done => vec![Event::Done {
            key: key.clone(),
            sha256: record.sha256.clone(),
            id: record.id.clone().unwrap_or_default(),
            detail: record.detail.clone(),
        }],
        Stage::Intent => vec![Event::Intent {
            key: key.clone(),
            sha256: record.sha256.clone(),
            data: record.data.clone(),
            restart: false,
        }],
        Stage::Created => vec![
            Event::Intent {
                key: key.clone(),
                sha256: record.sha256.clone(),
                data: Map::new(),
                restart: false,
            },
            Event::Created {
                key: key.clone(),
                data: record.data.clone(),
            },
        ],
    };
    if let (Some(error), false) = (&record.error, record.stage == Stage::Done) {
        events.push(Event::Failed {
            key,
            error: error.clone(),
        });
    }
    events
}

fn write_line(out: &mut impl Write, event: &Event) -> io::Result<()> {
    serde_json::to_writer(&mut *out, event).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// Flushes the directory entry of a rename (where the platform can).
fn sync_parent(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        let parent = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        File::open(parent)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(pairs: &[(&str, &str)]) -> Map<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::from(*v)))
            .collect()
    }

    #[test]
    fn every_stage_survives_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        let journal = Journal::open(&path, "t").unwrap();
        journal.intent("a", "h1", data(&[("qquuid", "u1")])).unwrap();
        journal.intent("b", "h2", Map::new()).unwrap();
        journal.created("b", data(&[("operation", "op2")])).unwrap();
        journal.intent("c", "h3", Map::new()).unwrap();
        journal.done("c", "h3", "id3", Some("url")).unwrap();
        journal.failed("b", "timed out").unwrap();
        drop(journal);
        let journal = Journal::open(&path, "t").unwrap();
        let a = journal.get("a").unwrap();
        assert_eq!((a.stage(), a.text("qquuid")), (Stage::Intent, Some("u1")));
        let b = journal.get("b").unwrap();
        assert_eq!(b.stage(), Stage::Created);
        assert_eq!(b.text("operation"), Some("op2"));
        assert_eq!(b.error(), Some("timed out"));
        let c = journal.get("c").unwrap();
        assert!(c.is_done_with("h3") && !c.is_done_with("h4"));
        assert_eq!((c.id(), c.detail()), (Some("id3"), Some("url")));
        assert_eq!(journal.counts(), (3, 1));
        // Compacted: one header and one or two lines per file.
        let lines = std::fs::read_to_string(&path).unwrap().lines().count();
        assert_eq!(lines, 1 + 1 + 3 + 1);
    }

    #[test]
    fn a_restart_drops_what_was_created_and_survives_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        let journal = Journal::open(&path, "t").unwrap();
        journal.intent("a", "h", Map::new()).unwrap();
        journal.created("a", data(&[("asset", "old")])).unwrap();
        journal.restart("a", "h").unwrap();
        let record = journal.get("a").unwrap();
        assert_eq!((record.stage(), record.text("asset")), (Stage::Intent, None));
        drop(journal);
        let record = Journal::open(&path, "t").unwrap().get("a").unwrap();
        assert_eq!((record.stage(), record.text("asset")), (Stage::Intent, None));
    }

    #[test]
    fn a_resumed_intent_keeps_its_data_and_new_content_starts_over() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("j"), "t").unwrap();
        journal.intent("a", "h1", data(&[("qquuid", "u1")])).unwrap();
        journal.intent("a", "h1", Map::new()).unwrap();
        assert_eq!(journal.get("a").unwrap().text("qquuid"), Some("u1"));
        journal.intent("a", "h2", Map::new()).unwrap();
        assert_eq!(journal.get("a").unwrap().text("qquuid"), None);
    }

    #[test]
    fn a_second_process_is_refused_while_the_first_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        let first = Journal::open(&path, "t").unwrap();
        let second = Journal::open(&path, "t").unwrap_err();
        assert!(matches!(second, JournalError::Locked { .. }), "{second}");
        assert!(second.to_string().contains("in use"));
        drop(first);
        Journal::open(&path, "t").unwrap();
    }

    #[test]
    fn a_torn_last_line_is_dropped_and_a_corrupt_one_refuses_with_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        let journal = Journal::open(&path, "t").unwrap();
        journal.done("a", "h", "1", None).unwrap();
        drop(journal);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(r#"{"event":"done","key":"b","sha"#);
        std::fs::write(&path, &text).unwrap();
        let journal = Journal::open(&path, "t").unwrap();
        assert_eq!(journal.counts(), (1, 1));
        drop(journal);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("garbage\n");
        text.push_str(r#"{"event":"done","key":"c","sha256":"h","id":"3"}"#);
        text.push('\n');
        std::fs::write(&path, &text).unwrap();
        let error = Journal::open(&path, "t").unwrap_err().to_string();
        assert!(error.contains("line 3"), "{error}");
        assert!(error.contains(".corrupt"), "{error}");
        assert_eq!(std::fs::read_to_string(beside(&path, ".corrupt")).unwrap(), text);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "left as it was");
    }

    #[test]
    fn another_target_is_refused_and_the_old_lockfile_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j");
        drop(Journal::open(&path, "t").unwrap());
        let error = Journal::open(&path, "u").unwrap_err().to_string();
        assert!(error.contains("written for \"t\""), "{error}");
        let old = dir.path().join("old.lock");
        std::fs::write(
            &old,
            r#"{"version":1,"target":"t","entries":{"a.fbx":{"sha256":"aa","id":"42"}}}"#,
        )
        .unwrap();
        let journal = Journal::open(&old, "t").unwrap();
        assert!(journal.get("a.fbx").unwrap().is_done_with("aa"));
        drop(journal);
        assert!(
            std::fs::read_to_string(&old)
                .unwrap()
                .starts_with(r#"{"event":"journal""#),
            "rewritten as a journal"
        );
    }
}
