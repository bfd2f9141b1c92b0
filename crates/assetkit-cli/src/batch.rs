//! Uploading many files: bounded concurrency, progress bars that say each file's phase, a
//! crash-safe journal to resume from, a stop at the first fatal error, and a clean stop
//! on Ctrl-C.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use assetkit::journal::{Journal, JournalError, Record, Stage};
use assetkit::{Error, ProgressReporter};
use futures::StreamExt;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// One file to upload.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub(crate) path: PathBuf,
    /// The path below the folder it was found in (a file given by itself: its name).
    pub(crate) relative: PathBuf,
    pub(crate) size: u64,
}

impl Job {
    /// The folders between the given folder and the file (empty for a file at its top).
    pub(crate) fn folders(&self) -> &Path {
        self.relative.parent().unwrap_or_else(|| Path::new(""))
    }

    /// The file's name.
    pub(crate) fn name(&self) -> String {
        self.relative
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// The files of a batch, and the hidden entries left out of it.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub(crate) jobs: Vec<Job>,
    /// Entries whose name starts with `.` under the given folders, not uploaded.
    pub(crate) hidden: Vec<PathBuf>,
}

/// Where a file of a batch lands at the vendor, for telling two that would land on one
/// name apart before anything is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Landing {
    /// The name without its extension (Roblox's display name): folders are flattened.
    Stem,
    /// The file name: folders are flattened.
    FileName,
    /// The path below the given folder: folders are kept.
    RelativePath,
}

impl Landing {
    fn name_of(self, job: &Job) -> String {
        match self {
            Landing::Stem => job
                .relative
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            Landing::FileName => job.name(),
            Landing::RelativePath => job.relative.to_string_lossy().into_owned(),
        }
    }

    /// Refuses, naming both, two files that would land on the same name.
    pub(crate) fn check(self, jobs: &[Job]) -> Result<(), Error> {
        let mut seen: std::collections::HashMap<String, &Path> = std::collections::HashMap::new();
        for job in jobs {
            if let Some(first) = seen.insert(self.name_of(job), &job.path) {
                let how = match self {
                    Landing::Stem | Landing::FileName => "this vendor has no folders here, so both",
                    Landing::RelativePath => "both",
                };
                return Err(Error::invalid(format!(
                    "{} and {} would land on the same name \"{}\" ({how} would become one asset name); rename one, or upload them separately",
                    first.display(),
                    job.path.display(),
                    self.name_of(job),
                )));
            }
        }
        Ok(())
    }
}

/// What a vendor said about one uploaded file.
#[derive(Debug, Clone)]
pub(crate) struct Uploaded {
    pub(crate) id: String,
    pub(crate) detail: String,
}

/// Why one file failed: `Fatal` stops the whole batch (bad credentials, moderation).
#[derive(Debug)]
pub(crate) enum Failure {
    Fatal(Error),
    File(Error),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        if matches!(error, Error::Unauthorized(_) | Error::Forbidden(_)) {
            Failure::Fatal(error)
        } else {
            Failure::File(error)
        }
    }
}

/// How one file ended.
#[derive(Debug)]
pub(crate) enum Outcome {
    Uploaded(Uploaded),
    Skipped(String),
    Failed(Error),
    NotStarted,
}

/// The report of a batch.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub(crate) results: Vec<(PathBuf, Outcome)>,
    pub(crate) fatal: Option<Error>,
    /// Stopped by Ctrl-C or SIGTERM.
    pub(crate) interrupted: bool,
}

impl Report {
    pub(crate) fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.results.iter().filter(|(_, o)| f(o)).count()
    }
}

/// Files under `paths` (folders walked recursively, each file with its path below the
/// folder given; hidden entries left out), sorted per folder. A file reached twice (the
/// same folder given as `imgs` and `./imgs`) is taken once.
pub(crate) fn collect(paths: &[PathBuf]) -> Result<Collected, Error> {
    fn walk(path: &Path, relative: PathBuf, out: &mut Collected) -> Result<(), Error> {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.is_file() {
            out.jobs.push(Job {
                path: path.to_owned(),
                relative,
                size: meta.len(),
            });
        } else if meta.is_dir() {
            let mut entries: Vec<(PathBuf, std::ffi::OsString)> = std::fs::read_dir(path)
                .map_err(|e| Error::io(path, e))?
                .filter_map(Result::ok)
                .map(|e| (e.path(), e.file_name()))
                .collect();
            entries.sort();
            for (entry, name) in entries {
                if name.to_string_lossy().starts_with('.') {
                    out.hidden.push(entry);
                } else {
                    walk(&entry, relative.join(name), out)?;
                }
            }
        }
        Ok(())
    }
    let mut collected = Collected::default();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        let relative = match path.file_name() {
            Some(name) if meta.is_file() => PathBuf::from(name),
            _ => PathBuf::new(),
        };
        walk(path, relative, &mut collected)?;
    }
    let mut seen = std::collections::HashSet::new();
    collected.jobs.retain(|job| seen.insert(key_of(&job.path)));
    Ok(collected)
}

/// The progress bar of one file: its name and phase, then its bytes.
fn file_bar(bars: &MultiProgress, name: &str, size: u64) -> ProgressBar {
    let bar = bars.add(ProgressBar::new(size));
    bar.set_style(bytes_style());
    bar.set_prefix(name.to_owned());
    bar
}

fn bytes_style() -> ProgressStyle {
    ProgressStyle::with_template("  {prefix:24!} {msg:12} [{bar:30}] {bytes}/{total_bytes}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("  {prefix:24!} {spinner} {msg} ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

/// A reporter moving `bar` and `overall` with the bytes sent, and the count of bytes
/// already added to `overall`.
fn byte_reporter(bar: &ProgressBar, overall: &ProgressBar) -> (ProgressReporter, Arc<AtomicU64>) {
    let counted = Arc::new(AtomicU64::new(0));
    let (bar, overall, seen) = (bar.clone(), overall.clone(), counted.clone());
    let reporter = ProgressReporter::callback(move |p| {
        bar.set_position(p.sent);
        // A retry starts again from zero: only count bytes past the best so far.
        let before = seen.fetch_max(p.sent, Ordering::SeqCst);
        overall.inc(p.sent.saturating_sub(before));
    });
    (reporter, counted)
}

/// What a file's phase is, for its progress bar.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Phase {
    /// Reading the file to hash it.
    Hashing,
    /// Sending bytes.
    Uploading,
    /// Waiting for the vendor to process it (a spinner).
    Waiting(&'static str),
}

/// One file's part in a batch: its progress, what an earlier run left of it, and the
/// journal records it writes as its steps go.
pub(crate) struct Step {
    key: String,
    sha256: Option<String>,
    journal: Option<Arc<Journal>>,
    bar: ProgressBar,
    bars: MultiProgress,
    progress: ProgressReporter,
    resume: Option<Record>,
}

impl Step {
    /// Upload progress, for the request that sends the bytes.
    pub(crate) fn progress(&self) -> ProgressReporter {
        self.progress.clone()
    }

    /// What an earlier, unfinished run recorded for this same content.
    pub(crate) fn resume(&self) -> Option<&Record> {
        self.resume.as_ref()
    }

    /// Records, before the first request, what makes sending it again safe.
    pub(crate) fn remember(&self, data: Map<String, Value>) -> Result<(), Error> {
        self.write(|journal, key, sha| journal.intent(key, sha, data))
    }

    /// Records that the file starts over from its first request (what was created of it
    /// is gone), so a stop before the next answer is told apart on the next run.
    pub(crate) fn restart(&self) -> Result<(), Error> {
        self.write(Journal::restart)
    }

    /// Records what the vendor made, as soon as it exists.
    pub(crate) fn created(&self, data: Map<String, Value>) -> Result<(), Error> {
        self.write(|journal, key, _| journal.created(key, data))
    }

    fn write(
        &self,
        change: impl FnOnce(&Journal, &str, &str) -> Result<(), JournalError>,
    ) -> Result<(), Error> {
        let (Some(journal), Some(sha)) = (&self.journal, &self.sha256) else {
            return Ok(());
        };
        change(journal, &self.key, sha).map_err(Error::from)
    }

    /// Whether an earlier run may have sent this file's first request and stopped before
    /// its answer was recorded.
    pub(crate) fn maybe_sent_before(&self) -> bool {
        self.resume.as_ref().is_some_and(|r| r.stage() == Stage::Intent)
    }

    /// Prints a warning about this file above the progress bars.
    pub(crate) fn warn(&self, text: &str) {
        let name = self.bar.prefix();
        self.bars.suspend(|| eprintln!("warning: {name}: {text}"));
    }

    /// Shows the file's phase.
    pub(crate) fn phase(&self, phase: Phase) {
        match phase {
            Phase::Hashing => self.bar.set_message("hashing"),
            Phase::Uploading => {
                self.bar.disable_steady_tick();
                self.bar.set_style(bytes_style());
                self.bar.set_message("uploading");
            }
            Phase::Waiting(what) => {
                self.bar.set_style(spinner_style());
                self.bar.set_message(format!("waiting for {what}"));
                self.bar.enable_steady_tick(Duration::from_millis(120));
            }
        }
    }
}

/// Journal data from name/value pairs.
pub(crate) fn data<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Map<String, Value> {
    pairs
        .into_iter()
        .map(|(name, value)| (name.to_owned(), Value::from(value)))
        .collect()
}

/// Settings of one batch.
#[derive(Debug)]
pub(crate) struct Batch {
    pub(crate) concurrency: usize,
    pub(crate) journal: Option<Journal>,
    pub(crate) progress: bool,
    /// Stop on Ctrl-C and SIGTERM (off in unit tests).
    pub(crate) signals: bool,
}

/// The journal key of a file: its canonical path, so that `./a.png`, `a.png` and
/// `/abs/a.png` are the same file.
fn key_of(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_owned())
        .to_string_lossy()
        .into_owned()
}

/// Waits for Ctrl-C or (on Unix) SIGTERM.
async fn interrupt() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    if tokio::signal::ctrl_c().await.is_err() {
        futures::future::pending::<()>().await;
    }
}

/// What every file of a running batch shares.
struct Running {
    bars: MultiProgress,
    overall: ProgressBar,
    total_files: usize,
    finished: AtomicUsize,
    journal: Option<Arc<Journal>>,
    stop: Arc<AtomicBool>,
    fatal: Mutex<Option<Error>>,
}

impl Running {
    fn count_file(&self) {
        let done = self.finished.fetch_add(1, Ordering::SeqCst) + 1;
        self.overall
            .set_message(format!("{done}/{} files", self.total_files));
    }

    /// Stops the batch for `error` and says so for the file that met it.
    fn fail_fatal(&self, error: Error) -> Outcome {
        self.stop.store(true, Ordering::SeqCst);
        let message = error.to_string();
        self.fatal
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_or_insert(error);
        Outcome::Failed(Error::invalid(format!("batch stopped: {message}")))
    }

    /// One file: skipped when the journal has it done, else uploaded (or finished from
    /// where an earlier run stopped) and recorded.
    async fn file<F, Fut>(&self, job: Job, upload: &F) -> Outcome
    where
        F: Fn(Job, Step) -> Fut,
        Fut: Future<Output = Result<Uploaded, Failure>>,
    {
        if self.stop.load(Ordering::SeqCst) {
            return Outcome::NotStarted;
        }
        let key = key_of(&job.path);
        let name = job.relative.to_string_lossy().into_owned();
        let bar = file_bar(&self.bars, &name, job.size);
        let journal = self.journal.clone();
        // The hash is only for the journal: without one, don't read every file an extra
        // time before uploading it.
        let sha = match &journal {
            Some(_) => {
                bar.set_message("hashing");
                match sha256_of(&job.path).await {
                    Ok(sha) => Some(sha),
                    Err(error) => {
                        bar.finish_and_clear();
                        self.count_file();
                        return Outcome::Failed(error);
                    }
                }
            }
            None => None,
        };
        let earlier = match (&journal, &sha) {
            (Some(journal), Some(sha)) => journal.get(&key).filter(|r| r.sha256() == sha),
            _ => None,
        };
        if let Some(done) = earlier.as_ref().filter(|r| r.stage() == Stage::Done) {
            bar.finish_and_clear();
            self.overall.inc(job.size);
            self.count_file();
            return Outcome::Skipped(done.id().unwrap_or_default().to_owned());
        }
        if let (Some(journal), Some(sha)) = (&journal, &sha)
            && let Err(error) = journal.intent(&key, sha, Map::new())
        {
            bar.finish_and_clear();
            return self.fail_fatal(Error::from(error));
        }
        let (reporter, counted) = byte_reporter(&bar, &self.overall);
        let step = Step {
            key: key.clone(),
            sha256: sha.clone(),
            journal: journal.clone(),
            bar: bar.clone(),
            bars: self.bars.clone(),
            progress: reporter,
            resume: earlier,
        };
        step.phase(Phase::Uploading);
        let size = job.size;
        let result = upload(job, step).await;
        bar.finish_and_clear();
        self.count_file();
        let record =
            |write: &dyn Fn(&Journal) -> Result<(), JournalError>| journal.as_deref().map_or(Ok(()), write);
        match result {
            Ok(uploaded) => {
                self.overall
                    .inc(size.saturating_sub(counted.load(Ordering::SeqCst)));
                let sha = sha.as_deref().unwrap_or_default();
                let detail = Some(uploaded.detail.as_str()).filter(|d| !d.is_empty());
                match record(&|j| j.done(&key, sha, &uploaded.id, detail)) {
                    Ok(()) => Outcome::Uploaded(uploaded),
                    Err(error) => self.fail_fatal(Error::from(error)),
                }
            }
            Err(failure) => {
                let error = match &failure {
                    Failure::Fatal(e) | Failure::File(e) => e,
                };
                if let Err(journal) = record(&|j| j.failed(&key, &error.to_string())) {
                    self.bars
                        .suspend(|| eprintln!("warning: could not write the journal: {journal}"));
                }
                match failure {
                    Failure::File(error) => Outcome::Failed(error),
                    Failure::Fatal(error) => self.fail_fatal(error),
                }
            }
        }
    }
}

/// Stops taking new files at the first Ctrl-C (or SIGTERM), exits at once at the second.
fn watch_signals(
    stop: Arc<AtomicBool>,
    interrupted: Arc<AtomicBool>,
    bars: MultiProgress,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        interrupt().await;
        interrupted.store(true, Ordering::SeqCst);
        stop.store(true, Ordering::SeqCst);
        bars.suspend(|| {
            eprintln!("stopping: no new files; the ones in flight finish (Ctrl-C again to abort at once)");
        });
        interrupt().await;
        // Every journal record written so far is whole: the next run resumes from them.
        bars.suspend(|| eprintln!("aborted"));
        std::process::exit(130);
    })
}

impl Batch {
    /// Uploads every job with `upload`, at most `concurrency` at a time, recording each
    /// file's steps in the journal. The client's own pacing keeps the requests under the
    /// vendor's rate limit.
    pub(crate) async fn run<F, Fut>(self, jobs: Vec<Job>, upload: F) -> Report
    where
        F: Fn(Job, Step) -> Fut,
        Fut: Future<Output = Result<Uploaded, Failure>>,
    {
        let bars = MultiProgress::with_draw_target(if self.progress {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        });
        let total_bytes: u64 = jobs.iter().map(|j| j.size).sum();
        let overall = bars.add(ProgressBar::new(total_bytes));
        overall.set_style(
            ProgressStyle::with_template(
                "{msg:24} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        overall.set_message(format!("0/{} files", jobs.len()));
        let running = Running {
            bars: bars.clone(),
            overall: overall.clone(),
            total_files: jobs.len(),
            finished: AtomicUsize::new(0),
            journal: self.journal.map(Arc::new),
            stop: Arc::new(AtomicBool::new(false)),
            fatal: Mutex::new(None),
        };
        let interrupted = Arc::new(AtomicBool::new(false));
        let watcher = self
            .signals
            .then(|| watch_signals(running.stop.clone(), interrupted.clone(), bars.clone()));
        let (running, upload) = (&running, &upload);
        let results = futures::stream::iter(jobs.into_iter().map(|job| async move {
            let path = job.path.clone();
            (path, running.file(job, upload).await)
        }))
        .buffered(self.concurrency.max(1))
        .collect::<Vec<_>>()
        .await;
        if let Some(watcher) = watcher {
            watcher.abort();
        }
        overall.finish_and_clear();
        let fatal = running
            .fatal
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        Report {
            results,
            fatal,
            interrupted: interrupted.load(Ordering::SeqCst),
        }
    }
}

/// SHA-256 of a file, read in 64 KiB chunks.
pub(crate) async fn sha256_of(path: &Path) -> Result<String, Error> {
    let source = assetkit::UploadSource::path(path);
    let (_, hasher) = source
        .read_chunks(Sha256::new(), |hasher, chunk| hasher.update(chunk))
        .await?;
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jobs(dir: &Path, count: usize) -> Vec<Job> {
        (0..count)
            .map(|i| {
                let path = dir.join(format!("f{i}.bin"));
                std::fs::write(&path, [1u8, u8::try_from(i).unwrap()]).unwrap();
                Job {
                    relative: PathBuf::from(path.file_name().unwrap()),
                    path,
                    size: 2,
                }
            })
            .collect()
    }

    fn batch(concurrency: usize, journal: Option<Journal>) -> Batch {
        Batch {
            concurrency,
            journal,
            progress: false,
            signals: false,
        }
    }

    fn uploaded(job: &Job) -> Uploaded {
        Uploaded {
            id: job.path.display().to_string(),
            detail: String::new(),
        }
    }

    #[tokio::test]
    async fn a_fatal_error_stops_the_files_not_yet_started() {
        let dir = tempfile::tempdir().unwrap();
        let report = batch(1, None)
            .run(jobs(dir.path(), 3), |_, _| async {
                Err(Failure::Fatal(Error::invalid("stop")))
            })
            .await;
        assert!(report.fatal.is_some());
        assert_eq!(report.count(|o| matches!(o, Outcome::NotStarted)), 2);
    }

    #[tokio::test]
    async fn a_file_created_before_a_failure_resumes_from_what_it_created() {
        let dir = tempfile::tempdir().unwrap();
        let files = jobs(dir.path(), 2);
        let path = dir.path().join("journal");
        let report = batch(2, Some(Journal::open(&path, "t").unwrap()))
            .run(files.clone(), |job, step| async move {
                assert!(step.resume().is_none());
                step.remember([("token".to_owned(), Value::from("t1"))].into_iter().collect())
                    .unwrap();
                if job.path.ends_with("f1.bin") {
                    step.created([("asset".to_owned(), Value::from("a1"))].into_iter().collect())
                        .unwrap();
                    return Err(Failure::File(Error::invalid("the second step failed")));
                }
                Ok(uploaded(&job))
            })
            .await;
        assert_eq!(report.count(|o| matches!(o, Outcome::Failed(_))), 1);
        let resumed = Mutex::new(Vec::new());
        let report = batch(2, Some(Journal::open(&path, "t").unwrap()))
            .run(files, |job, step| {
                let record = step.resume().cloned();
                resumed.lock().unwrap().push(record.clone());
                async move {
                    let record = record.unwrap();
                    assert_eq!(record.stage(), Stage::Created);
                    assert_eq!(
                        (record.text("asset"), record.text("token")),
                        (Some("a1"), Some("t1"))
                    );
                    Ok(uploaded(&job))
                }
            })
            .await;
        assert_eq!(report.count(|o| matches!(o, Outcome::Skipped(_))), 1);
        assert_eq!(report.count(|o| matches!(o, Outcome::Uploaded(_))), 1);
        assert_eq!(
            resumed.into_inner().unwrap().len(),
            1,
            "only the unfinished file ran"
        );
        let journal = Journal::open(&path, "t").unwrap();
        assert_eq!(journal.counts(), (2, 2));
    }

    #[tokio::test]
    async fn changed_content_is_uploaded_again() {
        let dir = tempfile::tempdir().unwrap();
        let files = jobs(dir.path(), 1);
        let path = dir.path().join("journal");
        let run = |journal| {
            let files = files.clone();
            async move {
                batch(1, Some(journal))
                    .run(files, |job, _| async move { Ok(uploaded(&job)) })
                    .await
            }
        };
        run(Journal::open(&path, "t").unwrap()).await;
        std::fs::write(&files[0].path, b"changed").unwrap();
        let report = run(Journal::open(&path, "t").unwrap()).await;
        assert_eq!(report.count(|o| matches!(o, Outcome::Uploaded(_))), 1);
    }
}
