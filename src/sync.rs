//! Keeping a folder in step with a platform: a [`Plan`] from the folder and a
//! [`Manifest`] (new, changed, unchanged and gone files), executed against a vendor
//! [`Target`]. Changed files become new versions of the same asset where the vendor
//! allows it; the manifest maps every file to its asset and is meant to be committed.
//!
//! ```no_run
//! # async fn run(client: assetkit::enklu::EnkluClient) -> Result<(), Box<dyn std::error::Error>> {
//! use assetkit::sync::{EnkluTarget, Manifest, Options, Plan};
//! use std::path::Path;
//!
//! let target = EnkluTarget::new(client);
//! let mut manifest = Manifest::open(Path::new("assetkit.lock.json"), "enklu app 42")?;
//! let plan = Plan::build(Path::new("assets"), &manifest, &target).await?;
//! println!("{}", plan.summary());
//! let outcomes = plan.execute(&target, &mut manifest, None, Options::default()).await;
//! # let _ = outcomes; Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use futures::StreamExt;
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use assetkit_core::{Error, Result, UploadSource};

use crate::journal::{Journal, JournalError, Record, Stage};

/// The manifest's format version.
const VERSION: u32 = 1;

/// What the manifest records of one file's asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Entry {
    /// The vendor (`roblox`, `webflow`, ...).
    pub vendor: String,
    /// The asset's id at the vendor.
    pub id: String,
    /// The vendor's version or revision of it, where it names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// SHA-256 of the file content the asset holds.
    pub sha256: String,
    /// Where the vendor serves it, where it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Entry {
    /// An entry for asset `id` of `vendor`, holding content `sha256`.
    pub fn new(vendor: impl Into<String>, id: impl Into<String>, sha256: impl Into<String>) -> Self {
        Self {
            vendor: vendor.into(),
            id: id.into(),
            version: None,
            sha256: sha256.into(),
            url: None,
        }
    }

    /// With the vendor's version.
    pub fn with_version(mut self, version: Option<String>) -> Self {
        self.version = version;
        self
    }

    /// With the URL the vendor serves it at.
    pub fn with_url(mut self, url: Option<String>) -> Self {
        self.url = url.filter(|u| !u.is_empty());
        self
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct ManifestFile {
    version: u32,
    target: String,
    assets: BTreeMap<String, Entry>,
}

/// `assetkit.lock.json`: every synced file (by its path under the folder, `/`-separated)
/// and its asset. Written sorted and whole after every change (to a temporary file, then
/// renamed), so it is stable under version control and never half-written.
#[derive(Debug)]
pub struct Manifest {
    path: PathBuf,
    target: String,
    assets: BTreeMap<String, Entry>,
}

impl Manifest {
    /// Opens the manifest at `path` for `target` (where the assets live: a manifest is only
    /// valid for the destination it was written for), or starts an empty one.
    pub fn open(path: &Path, target: &str) -> Result<Self> {
        let assets = match std::fs::read(path) {
            Ok(bytes) => {
                let file: ManifestFile = serde_json::from_slice(&bytes).map_err(|e| {
                    Error::invalid(format!("{} is not an assetkit manifest: {e}", path.display()))
                })?;
                if file.version > VERSION {
                    return Err(Error::invalid(format!(
                        "{} has format {}, newer than this assetkit reads ({VERSION})",
                        path.display(),
                        file.version
                    )));
                }
                if file.target != target {
                    return Err(Error::invalid(format!(
                        "{} was written for {:?}, not {target:?}; pass another manifest",
                        path.display(),
                        file.target
                    )));
                }
                file.assets
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(Error::io(path, e)),
        };
        Ok(Self {
            path: path.to_owned(),
            target: target.to_owned(),
            assets,
        })
    }

    /// Every file and its asset, sorted by path.
    pub fn assets(&self) -> &BTreeMap<String, Entry> {
        &self.assets
    }

    /// The asset of `path`.
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.assets.get(path)
    }

    /// Records `path`'s asset and writes the manifest.
    pub fn insert(&mut self, path: &str, entry: Entry) -> Result<()> {
        self.assets.insert(path.to_owned(), entry);
        self.save()
    }

    /// Forgets `path` and writes the manifest.
    pub fn remove(&mut self, path: &str) -> Result<()> {
        self.assets.remove(path);
        self.save()
    }

    fn save(&self) -> Result<()> {
        let file = ManifestFile {
            version: VERSION,
            target: self.target.clone(),
            assets: self.assets.clone(),
        };
        let mut text = serde_json::to_string_pretty(&file).map_err(|e| Error::invalid(e.to_string()))?;
        text.push('\n');
        let mut temporary = self.path.clone().into_os_string();
        temporary.push(format!(".{}.tmp", std::process::id()));
        let temporary = PathBuf::from(temporary);
        std::fs::write(&temporary, text).map_err(|e| Error::io(&temporary, e))?;
        std::fs::rename(&temporary, &self.path).map_err(|e| Error::io(&self.path, e))
    }

    /// Source code mapping each file to its asset, for a game or a site to import.
    pub fn codegen(&self, language: Codegen) -> String {
        let value = |entry: &Entry| match entry.vendor.as_str() {
            "roblox" => format!("rbxassetid://{}", entry.id),
            _ => entry.url.clone().unwrap_or_else(|| entry.id.clone()),
        };
        let quoted = |text: &str| serde_json::to_string(text).unwrap_or_default();
        let mut out = String::new();
        match language {
            Codegen::Luau => {
                out.push_str("-- Generated by assetkit sync from the manifest; do not edit.\nreturn {\n");
                for (path, entry) in &self.assets {
                    let _ = writeln!(out, "\t[{}] = {},", quoted(path), quoted(&value(entry)));
                }
                out.push_str("}\n");
            }
            Codegen::TypeScript => {
                out.push_str("// Generated by assetkit sync from the manifest; do not edit.\nexport const assets = {\n");
                for (path, entry) in &self.assets {
                    let _ = writeln!(out, "  {}: {},", quoted(path), quoted(&value(entry)));
                }
                out.push_str("} as const;\n");
            }
            Codegen::Rust => {
                out.push_str("// Generated by assetkit sync from the manifest; do not edit.\n");
                out.push_str("/// Each synced file and its asset, sorted by path.\npub const ASSETS: &[(&str, &str)] = &[\n");
                for (path, entry) in &self.assets {
                    let _ = writeln!(out, "    ({}, {}),", quoted(path), quoted(&value(entry)));
                }
                out.push_str("];\n");
            }
            Codegen::Json => {
                let map: BTreeMap<&String, String> = self.assets.iter().map(|(p, e)| (p, value(e))).collect();
                out = serde_json::to_string_pretty(&map).unwrap_or_default();
                out.push('\n');
            }
        }
        out
    }
}

/// The languages [`Manifest::codegen`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codegen {
    /// A Luau module returning `{ [path] = "rbxassetid://..." }`.
    Luau,
    /// A TypeScript `export const assets = {...} as const`.
    TypeScript,
    /// A Rust `pub const ASSETS: &[(&str, &str)]`.
    Rust,
    /// A JSON object, path to id (or URL).
    Json,
}

impl std::str::FromStr for Codegen {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self> {
        Ok(match text {
            "luau" | "lua" => Codegen::Luau,
            "typescript" | "ts" => Codegen::TypeScript,
            "rust" | "rs" => Codegen::Rust,
            "json" => Codegen::Json,
            other => {
                return Err(Error::invalid(format!(
                    "no codegen for {other:?}: luau, typescript, rust or json"
                )));
            }
        })
    }
}

/// What a sync does with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Not in the manifest: uploaded as a new asset.
    New,
    /// Content changed: a new version of the same asset.
    NewVersion,
    /// Content changed where the vendor keeps no versions of this kind: uploaded as a new
    /// asset (the old one archived or deleted with [`Options::replace`]).
    Replace,
    /// Content unchanged: nothing sent.
    Unchanged,
    /// In the manifest, no longer in the folder (archived or deleted with
    /// [`Options::prune`]).
    Gone,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::New => "new",
            Action::NewVersion => "new version",
            Action::Replace => "replace",
            Action::Unchanged => "unchanged",
            Action::Gone => "gone",
        })
    }
}

/// One file of a plan.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Item {
    /// The file's path under the folder, `/`-separated.
    pub path: String,
    /// What the sync does with it.
    pub action: Action,
    /// SHA-256 of the file now (empty for a gone file).
    pub sha256: String,
    /// Its asset in the manifest, if any.
    pub entry: Option<Entry>,
    #[serde(skip)]
    file: PathBuf,
}

/// What a sync will do, file by file, sorted by path. Built without sending anything.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    items: Vec<Item>,
}

/// How a plan is executed.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Options {
    /// Archive (Roblox) or delete (others) the old asset of a [`Action::Replace`]d file.
    pub replace: bool,
    /// Archive or delete the assets of [`Action::Gone`] files (only ever assets the
    /// manifest records).
    pub prune: bool,
    /// Files sent at once.
    pub concurrency: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            replace: false,
            prune: false,
            concurrency: 4,
        }
    }
}

impl Options {
    /// With [`replace`](Self::replace) set.
    pub fn replace(mut self, on: bool) -> Self {
        self.replace = on;
        self
    }

    /// With [`prune`](Self::prune) set.
    pub fn prune(mut self, on: bool) -> Self {
        self.prune = on;
        self
    }

    /// With [`concurrency`](Self::concurrency) set.
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }
}

/// How one file ended.
#[derive(Debug)]
#[non_exhaustive]
pub struct Outcome {
    /// The file's path under the folder.
    pub path: String,
    /// What was done.
    pub action: Action,
    /// Its asset now (`None` for a pruned or untouched gone file), or why it failed.
    pub result: Result<Option<Entry>>,
    /// What the caller should know even when it worked: a create that an interrupted
    /// sync may already have sent (its answer was lost), which may have left a second
    /// asset behind.
    pub warnings: Vec<String>,
}

/// A create's place in the sync journal: what an earlier, interrupted attempt at the same
/// content recorded, and where this one records the vendor's ids as they appear. Without
/// a journal it records nothing.
#[derive(Debug)]
pub struct Resume<'a> {
    journal: Option<&'a Journal>,
    key: &'a str,
    sha256: &'a str,
    earlier: Option<Record>,
    warnings: Mutex<Vec<String>>,
}

impl<'a> Resume<'a> {
    /// No journal: nothing to resume, nothing recorded.
    pub fn none(key: &'a str, sha256: &'a str) -> Self {
        Self {
            journal: None,
            key,
            sha256,
            earlier: None,
            warnings: Mutex::default(),
        }
    }

    /// Whether an earlier attempt recorded its intent and nothing the vendor made: its
    /// first request may have gone out and been accepted, with the answer lost.
    pub fn maybe_sent_before(&self) -> bool {
        self.earlier.as_ref().is_some_and(|r| r.stage() == Stage::Intent)
    }

    /// Notes what the caller should know about this file (it ends in
    /// [`Outcome::warnings`]).
    pub fn warn(&self, text: impl Into<String>) {
        self.warnings
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(text.into());
    }

    /// What an earlier attempt at this content recorded, if it did not finish.
    pub fn earlier(&self) -> Option<&Record> {
        self.earlier.as_ref()
    }

    /// A text value the earlier attempt recorded.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.earlier.as_ref().and_then(|r| r.text(name))
    }

    /// Records, before the first request, what makes sending again safe.
    pub fn remember(&self, name: &str, value: &str) -> Result<()> {
        self.write(|journal| journal.intent(self.key, self.sha256, one(name, value)))
    }

    /// Records that the create starts over from its first request (what an earlier
    /// attempt made is gone).
    pub fn restart(&self) -> Result<()> {
        self.write(|journal| journal.restart(self.key, self.sha256))
    }

    /// Records what the vendor made, as soon as it exists.
    pub fn created(&self, name: &str, value: &str) -> Result<()> {
        self.write(|journal| journal.created(self.key, one(name, value)))
    }

    fn write(&self, change: impl FnOnce(&Journal) -> std::result::Result<(), JournalError>) -> Result<()> {
        match self.journal {
            Some(journal) => change(journal).map_err(Error::from),
            None => Ok(()),
        }
    }
}

fn one(name: &str, value: &str) -> serde_json::Map<String, serde_json::Value> {
    std::iter::once((name.to_owned(), serde_json::Value::from(value))).collect()
}

/// A platform a folder is synced to: how files become assets.
pub trait Target: Send + Sync {
    /// The vendor's name, as recorded in the manifest.
    fn vendor(&self) -> &'static str;

    /// Whether a changed `file` can become a new version of its asset.
    fn can_version(&self, file: &Path) -> bool;

    /// Uploads `file` as a new asset, recording in `resume` what the vendor makes as soon
    /// as it exists, and finishing from what an earlier, interrupted attempt recorded.
    fn create<'a>(
        &'a self,
        file: &'a Path,
        sha256: &'a str,
        resume: &'a Resume<'a>,
    ) -> BoxFuture<'a, Result<Entry>>;

    /// Uploads `file` as a new version of `entry`'s asset.
    fn new_version<'a>(
        &'a self,
        entry: &'a Entry,
        file: &'a Path,
        sha256: &'a str,
    ) -> BoxFuture<'a, Result<Entry>>;

    /// Archives or deletes `entry`'s asset.
    fn remove<'a>(&'a self, entry: &'a Entry) -> BoxFuture<'a, Result<()>>;
}

/// SHA-256 of a file, hex.
pub async fn sha256_of(path: &Path) -> Result<String> {
    let (_, hasher) = UploadSource::path(path)
        .read_chunks(Sha256::new(), |hasher, chunk| hasher.update(chunk))
        .await?;
    Ok(hex::encode(hasher.finalize()))
}

/// Every file under `root` (hidden entries skipped), by `/`-separated relative path.
fn walk(root: &Path) -> Result<BTreeMap<String, PathBuf>> {
    fn visit(root: &Path, dir: &Path, out: &mut BTreeMap<String, PathBuf>) -> Result<()> {
        for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
            let entry = entry.map_err(|e| Error::io(dir, e))?;
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let kind = entry.file_type().map_err(|e| Error::io(&path, e))?;
            if kind.is_dir() {
                visit(root, &path, out)?;
            } else if kind.is_file() {
                let relative = path.strip_prefix(root).unwrap_or(&path);
                let key = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(key, path);
            }
        }
        Ok(())
    }
    let mut out = BTreeMap::new();
    visit(root, root, &mut out)?;
    Ok(out)
}

impl Plan {
    /// Compares the files under `root` with `manifest`: reads and hashes every file, sends
    /// nothing.
    pub async fn build(root: &Path, manifest: &Manifest, target: &dyn Target) -> Result<Self> {
        let files = walk(root)?;
        let mut items = Vec::new();
        for (path, file) in &files {
            let sha256 = sha256_of(file).await?;
            let entry = manifest.get(path).cloned();
            let action = match &entry {
                None => Action::New,
                Some(e) if e.sha256 == sha256 => Action::Unchanged,
                Some(_) if target.can_version(file) => Action::NewVersion,
                Some(_) => Action::Replace,
            };
            items.push(Item {
                path: path.clone(),
                action,
                sha256,
                entry,
                file: file.clone(),
            });
        }
        for (path, entry) in manifest.assets() {
            if !files.contains_key(path) {
                items.push(Item {
                    path: path.clone(),
                    action: Action::Gone,
                    sha256: String::new(),
                    entry: Some(entry.clone()),
                    file: root.join(path),
                });
            }
        }
        items.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Self { items })
    }

    /// Every file, sorted by path.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// How many files get `action`.
    pub fn count(&self, action: Action) -> usize {
        self.items.iter().filter(|i| i.action == action).count()
    }

    /// One line: how many of each.
    pub fn summary(&self) -> String {
        format!(
            "{} new, {} new versions, {} replaced, {} unchanged, {} gone",
            self.count(Action::New),
            self.count(Action::NewVersion),
            self.count(Action::Replace),
            self.count(Action::Unchanged),
            self.count(Action::Gone)
        )
    }

    /// Carries the plan out against `target`, writing the manifest after every file. A
    /// file that fails leaves its manifest entry as it was; the next sync plans it again.
    ///
    /// With a `journal`, every create is recorded as it goes (`intent`, then the vendor's
    /// ids as they appear), so a sync killed at any moment and run again finishes the
    /// creates it had started instead of making second assets (see [`Resume`]).
    pub async fn execute(
        &self,
        target: &dyn Target,
        manifest: &mut Manifest,
        journal: Option<&Journal>,
        options: Options,
    ) -> Vec<Outcome> {
        let shared = Mutex::new(manifest);
        let shared = &shared;
        let record = |path: &str, entry: Option<Entry>| -> Result<()> {
            let mut manifest = shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            match entry {
                Some(entry) => manifest.insert(path, entry),
                None => manifest.remove(path),
            }
        };
        let record = &record;
        let mut outcomes: Vec<Outcome> = futures::stream::iter(self.items.iter().map(|item| async move {
            let mut warnings = Vec::new();
            let result = Self::one(target, item, journal, options, record, &mut warnings).await;
            Outcome {
                path: item.path.clone(),
                action: item.action,
                result,
                warnings,
            }
        }))
        .buffer_unordered(options.concurrency.max(1))
        .collect()
        .await;
        outcomes.sort_by(|a, b| a.path.cmp(&b.path));
        outcomes
    }

    /// Creates `item`'s asset through the journal: its intent first, then the target's
    /// records as the vendor's ids appear. The target's warnings go to `warnings`.
    async fn create(
        target: &dyn Target,
        item: &Item,
        journal: Option<&Journal>,
        warnings: &mut Vec<String>,
    ) -> Result<Entry> {
        let earlier = journal
            .and_then(|j| j.get(&item.path))
            .filter(|r| r.sha256() == item.sha256 && r.stage() != Stage::Done);
        if let Some(journal) = journal {
            journal
                .intent(&item.path, &item.sha256, serde_json::Map::new())
                .map_err(Error::from)?;
        }
        let resume = Resume {
            journal,
            key: &item.path,
            sha256: &item.sha256,
            earlier,
            warnings: Mutex::default(),
        };
        let created = target.create(&item.file, &item.sha256, &resume).await;
        warnings.append(
            &mut resume
                .warnings
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        created
    }

    async fn one(
        target: &dyn Target,
        item: &Item,
        journal: Option<&Journal>,
        options: Options,
        record: &(dyn Fn(&str, Option<Entry>) -> Result<()> + Sync),
        warnings: &mut Vec<String>,
    ) -> Result<Option<Entry>> {
        let done = |entry: &Entry| -> Result<()> {
            record(&item.path, Some(entry.clone()))?;
            match journal {
                Some(journal) => journal
                    .done(&item.path, &item.sha256, &entry.id, entry.url.as_deref())
                    .map_err(Error::from),
                None => Ok(()),
            }
        };
        match (item.action, &item.entry) {
            (Action::New, _) | (Action::Replace | Action::NewVersion, None) => {
                let entry = Self::create(target, item, journal, warnings).await?;
                done(&entry)?;
                Ok(Some(entry))
            }
            (Action::NewVersion, Some(old)) => {
                let entry = target.new_version(old, &item.file, &item.sha256).await?;
                record(&item.path, Some(entry.clone()))?;
                Ok(Some(entry))
            }
            (Action::Replace, Some(old)) => {
                let entry = Self::create(target, item, journal, warnings).await?;
                // The new asset is recorded before the old one goes: a failure removing
                // it loses nothing.
                done(&entry)?;
                if options.replace {
                    target.remove(old).await?;
                }
                Ok(Some(entry))
            }
            (Action::Gone, Some(old)) if options.prune => {
                target.remove(old).await?;
                record(&item.path, None)?;
                Ok(None)
            }
            (Action::Unchanged | Action::Gone, entry) => Ok(entry.clone()),
        }
    }
}

#[cfg(feature = "roblox")]
pub use roblox_target::RobloxTarget;

#[cfg(feature = "roblox")]
mod roblox_target {
    use std::path::Path;

    use assetkit_core::{Error, Result, UploadSource};
    use futures::future::BoxFuture;

    use super::{Entry, Resume, Target};
    use crate::roblox::{AssetType, Creator, RobloxClient};

    /// Syncs to Roblox as `creator`: Models (every format) get new versions, the only
    /// content updates Roblox allows; other types are uploaded anew and, with
    /// [`Options::replace`](super::Options::replace), the old asset archived. Pruning archives.
    #[derive(Debug, Clone)]
    pub struct RobloxTarget {
        client: RobloxClient,
        creator: Creator,
        asset_type: Option<AssetType>,
    }

    impl RobloxTarget {
        /// Uploads as `creator`, the type of each file guessed from its extension.
        pub fn new(client: RobloxClient, creator: Creator) -> Self {
            Self {
                client,
                creator,
                asset_type: None,
            }
        }

        /// Uploads every file as `asset_type`.
        pub fn asset_type(mut self, asset_type: AssetType) -> Self {
            self.asset_type = Some(asset_type);
            self
        }

        fn kind(&self, file: &Path) -> Result<AssetType> {
            let extension = UploadSource::path(file).extension();
            self.asset_type
                .clone()
                .or_else(|| AssetType::guess(extension.as_deref()))
                .ok_or_else(|| Error::invalid(format!("cannot tell the asset type of {}", file.display())))
        }

        fn entry(asset: crate::roblox::Asset, sha256: &str) -> Result<Entry> {
            let id = asset
                .asset_id
                .as_ref()
                .map(ToString::to_string)
                .ok_or_else(|| Error::decode("Asset", "the finished operation names no asset id", b""))?;
            Ok(Entry::new("roblox", id, sha256).with_version(asset.revision_id))
        }
    }

    impl Target for RobloxTarget {
        fn vendor(&self) -> &'static str {
            "roblox"
        }

        fn can_version(&self, file: &Path) -> bool {
            self.kind(file).is_ok_and(|k| k.content_updatable())
        }

        fn create<'a>(
            &'a self,
            file: &'a Path,
            sha256: &'a str,
            resume: &'a Resume<'a>,
        ) -> BoxFuture<'a, Result<Entry>> {
            Box::pin(async move {
                let operation = if let Some(id) = resume.text("operation") {
                    // An interrupted sync's create was accepted: follow its operation.
                    self.client.operations().get(id).send().await?
                } else {
                    if resume.maybe_sent_before() {
                        resume.warn(
                            "an interrupted sync sent this create and stopped before its answer; if Roblox had accepted it, this makes a second asset (Roblox has no idempotency key nor a search to find the first)",
                        );
                    }
                    let name = file
                        .file_stem()
                        .map_or_else(|| "asset".to_owned(), |s| s.to_string_lossy().into_owned());
                    let operation = self
                        .client
                        .assets()
                        .create(self.kind(file)?, name, UploadSource::path(file), self.creator)
                        .send()
                        .await?;
                    resume.created("operation", &operation.id)?;
                    operation
                };
                Self::entry(operation.wait().await?, sha256)
            })
        }

        fn new_version<'a>(
            &'a self,
            entry: &'a Entry,
            file: &'a Path,
            sha256: &'a str,
        ) -> BoxFuture<'a, Result<Entry>> {
            Box::pin(async move {
                let id: u64 = entry
                    .id
                    .parse()
                    .map_err(|_| Error::invalid(format!("Roblox asset id {:?} is not a number", entry.id)))?;
                self.client
                    .assets()
                    .update(self.kind(file)?, id)
                    .content(UploadSource::path(file))
                    .creator(self.creator)
                    .send()
                    .await?
                    .wait()
                    .await?;
                // The operation's answer may not carry the new revision: ask for it.
                let asset = self.client.assets().get(id).send().await?;
                let mut updated = Self::entry(asset, sha256)?;
                updated.id.clone_from(&entry.id);
                Ok(updated)
            })
        }

        fn remove<'a>(&'a self, entry: &'a Entry) -> BoxFuture<'a, Result<()>> {
            Box::pin(async move {
                let id: u64 = entry
                    .id
                    .parse()
                    .map_err(|_| Error::invalid(format!("Roblox asset id {:?} is not a number", entry.id)))?;
                self.client.assets().archive(id).send().await.map(|_| ())
            })
        }
    }
}

#[cfg(feature = "enklu")]
pub use enklu_target::EnkluTarget;

#[cfg(feature = "enklu")]
mod enklu_target {
    use std::path::Path;

    use assetkit_core::{Error, Result, UploadSource};
    use futures::future::BoxFuture;

    use super::{Entry, Resume, Target};
    use crate::enklu::EnkluClient;

    /// Syncs to an Enklu app: every changed file is a new version (the same `qquuid`).
    /// Enklu's API has no delete, so pruning and replacing fail for it.
    #[derive(Debug, Clone)]
    pub struct EnkluTarget {
        client: EnkluClient,
    }

    impl EnkluTarget {
        /// Uploads with `client`.
        pub fn new(client: EnkluClient) -> Self {
            Self { client }
        }
    }

    impl Target for EnkluTarget {
        fn vendor(&self) -> &'static str {
            "enklu"
        }

        fn can_version(&self, _file: &Path) -> bool {
            true
        }

        fn create<'a>(
            &'a self,
            file: &'a Path,
            sha256: &'a str,
            resume: &'a Resume<'a>,
        ) -> BoxFuture<'a, Result<Entry>> {
            Box::pin(async move {
                let source = UploadSource::path(file);
                let upload = if let Some(qquuid) = resume.text("qquuid") {
                    // The interrupted sync's qquuid: a version of what it may have made,
                    // never a second asset.
                    self.client.assets().update(qquuid.to_owned(), source)
                } else {
                    let upload = self.client.assets().upload(source);
                    resume.remember("qquuid", upload.qquuid())?;
                    upload
                };
                let id = upload.send().await?;
                Ok(Entry::new("enklu", id.to_string(), sha256))
            })
        }

        fn new_version<'a>(
            &'a self,
            entry: &'a Entry,
            file: &'a Path,
            sha256: &'a str,
        ) -> BoxFuture<'a, Result<Entry>> {
            Box::pin(async move {
                let id = self
                    .client
                    .assets()
                    .update(entry.id.clone(), UploadSource::path(file))
                    .send()
                    .await?;
                Ok(Entry::new("enklu", id.to_string(), sha256))
            })
        }

        fn remove<'a>(&'a self, entry: &'a Entry) -> BoxFuture<'a, Result<()>> {
            Box::pin(async move {
                Err(Error::invalid(format!(
                    "Enklu's API cannot delete asset {}; remove it in the Enklu web editor",
                    entry.id
                )))
            })
        }
    }
}

#[cfg(feature = "unicat")]
pub use unicat_target::UnicatTarget;

#[cfg(feature = "unicat")]
mod unicat_target {
    use std::path::Path;

    use assetkit_core::{Result, UploadSource};
    use futures::future::BoxFuture;

    use super::{Entry, Resume, Target};
    use crate::unicat::{AssetRef, UnicatClient};

    /// Syncs into a Unicat folder: changed files get `assets/upload_update` (same gid);
    /// pruning deletes.
    #[derive(Debug, Clone)]
    pub struct UnicatTarget {
        client: UnicatClient,
        folder: AssetRef,
    }

    impl UnicatTarget {
        /// Uploads into `folder`.
        pub fn new(client: UnicatClient, folder: AssetRef) -> Self {
            Self { client, folder }
        }
    }

    impl Target for UnicatTarget {
        fn vendor(&self) -> &'static str {
            "unicat"
        }

        fn can_version(&self, _file: &Path) -> bool {
            true
        }

        fn create<'a>(
            &'a self,
            file: &'a Path,
            sha256: &'a str,
            resume: &'a Resume<'a>,
        ) -> BoxFuture<'a, Result<Entry>> {
            Box::pin(async move {
                let source = UploadSource::path(file);
                // An interrupted sync may have stored the file: look for its name first.
                let existing = match resume.earlier() {
                    Some(_) => match source.file_name() {
                        Some(name) => self
                            .client
                            .assets()
                            .find_file(self.folder.clone(), &name)
                            .await?
                            .map(|asset| asset.gid),
                        None => None,
                    },
                    None => None,
                };
                let change = match existing {
                    Some(gid) => self.client.assets().upload_update(gid, source).send().await?,
                    None => {
                        self.client
                            .assets()
                            .upload(self.folder.clone(), source)
                            .send()
                            .await?
                    }
                };
                Ok(Entry::new("unicat", change.asset.gid, sha256).with_url(change.asset.pathname))
            })
        }

        fn new_version<'a>(
            &'a self,
            entry: &'a Entry,
            file: &'a Path,
            sha256: &'a str,
        ) -> BoxFuture<'a, Result<Entry>> {
            Box::pin(async move {
                let change = self
                    .client
                    .assets()
                    .upload_update(entry.id.clone(), UploadSource::path(file))
                    .send()
                    .await?;
                Ok(Entry::new("unicat", change.asset.gid, sha256).with_url(change.asset.pathname))
            })
        }

        fn remove<'a>(&'a self, entry: &'a Entry) -> BoxFuture<'a, Result<()>> {
            Box::pin(async move {
                self.client
                    .assets()
                    .delete(entry.id.clone())
                    .send()
                    .await
                    .map(|_| ())
            })
        }
    }
}

#[cfg(feature = "webflow")]
pub use webflow_target::WebflowTarget;

#[cfg(feature = "webflow")]
mod webflow_target {
    use std::path::Path;

    use assetkit_core::{Result, UploadSource};
    use futures::future::BoxFuture;

    use super::{Entry, Resume, Target};
    use crate::webflow::WebflowClient;

    /// Syncs to a Webflow site: Webflow keeps no versions, so a changed file is uploaded
    /// anew (the old asset deleted with [`Options::replace`](super::Options::replace)); pruning deletes.
    #[derive(Debug, Clone)]
    pub struct WebflowTarget {
        client: WebflowClient,
        site: String,
        folder: Option<String>,
    }

    impl WebflowTarget {
        /// Uploads to `site`.
        pub fn new(client: WebflowClient, site: impl Into<String>) -> Self {
            Self {
                client,
                site: site.into(),
                folder: None,
            }
        }

        /// Into this asset folder.
        pub fn folder(mut self, folder: impl Into<String>) -> Self {
            self.folder = Some(folder.into());
            self
        }
    }

    impl Target for WebflowTarget {
        fn vendor(&self) -> &'static str {
            "webflow"
        }

        fn can_version(&self, _file: &Path) -> bool {
            false
        }

        fn create<'a>(
            &'a self,
            file: &'a Path,
            sha256: &'a str,
            resume: &'a Resume<'a>,
        ) -> BoxFuture<'a, Result<Entry>> {
            Box::pin(async move {
                // An interrupted sync made a step-1 asset and stopped before its bytes
                // were posted: remove it, so the file ends as one asset.
                if let Some(stale) = resume.text("asset") {
                    match self.client.assets().delete(stale).send().await {
                        Err(error) if !error.is_not_found() => return Err(error),
                        _ => {}
                    }
                    resume.restart()?;
                }
                if resume.maybe_sent_before() {
                    resume.warn(
                        "an interrupted sync sent this file's step 1 and stopped before its answer; if Webflow had made an asset for it, that empty asset stays (delete it in the Assets panel)",
                    );
                }
                let mut upload = self
                    .client
                    .assets()
                    .upload(self.site.clone(), UploadSource::path(file));
                if let Some(folder) = &self.folder {
                    upload = upload.parent_folder(folder.clone());
                }
                let pending = upload.start().await?;
                resume.created("asset", &pending.created().id)?;
                let uploaded = pending.finish().await?;
                Ok(Entry::new("webflow", uploaded.asset.id, sha256).with_url(uploaded.asset.hosted_url))
            })
        }

        fn new_version<'a>(
            &'a self,
            _entry: &'a Entry,
            file: &'a Path,
            sha256: &'a str,
        ) -> BoxFuture<'a, Result<Entry>> {
            Box::pin(async move {
                let resume = Resume::none("", sha256);
                self.create(file, sha256, &resume).await
            })
        }

        fn remove<'a>(&'a self, entry: &'a Entry) -> BoxFuture<'a, Result<()>> {
            Box::pin(async move { self.client.assets().delete(entry.id.clone()).send().await })
        }
    }
}
