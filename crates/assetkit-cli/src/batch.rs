//! Uploading many files: bounded concurrency, one shared rate gate per vendor, progress
//! bars, a lockfile to resume, and a stop at the first fatal error.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use assetkit::{Error, ProgressReporter, RateLimit, RetryPolicy};
use futures::StreamExt;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::lockfile::{Entry, Lockfile, sha256_of};

/// One file to upload.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub(crate) path: PathBuf,
    pub(crate) size: u64,
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
}

impl Report {
    pub(crate) fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.results.iter().filter(|(_, o)| f(o)).count()
    }
}

/// Waits when the vendor said no requests remain in its window.
#[derive(Debug, Default)]
struct RateGate {
    until: Mutex<Option<tokio::time::Instant>>,
}

impl RateGate {
    /// Learns from the rate-limit headers of the latest answer.
    fn observe(&self, limit: RateLimit) {
        if limit.remaining == Some(0) {
            // A server-given reset is capped like every other server hint: a reset at the
            // end of time must neither overflow the clock nor stall the batch for years
            // (the next request then gets the vendor's own 429 and fails fast).
            let wait = limit
                .reset
                .unwrap_or(Duration::from_secs(1))
                .min(RetryPolicy::default().max_retry_after());
            let now = tokio::time::Instant::now();
            *self.until.lock().unwrap_or_else(PoisonError::into_inner) =
                Some(now.checked_add(wait).unwrap_or(now));
        }
    }

    async fn wait(&self) {
        let until = *self.until.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
    }
}

/// Files under `paths` (folders walked recursively, hidden entries skipped), sorted.
pub(crate) fn collect(paths: &[PathBuf]) -> Result<Vec<Job>, Error> {
    fn walk(path: &Path, out: &mut Vec<Job>) -> Result<(), Error> {
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.is_file() {
            out.push(Job {
                path: path.to_owned(),
                size: meta.len(),
            });
        } else if meta.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| Error::io(path, e))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    !p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect();
            entries.sort();
            for entry in entries {
                walk(&entry, out)?;
            }
        }
        Ok(())
    }
    let mut jobs = Vec::new();
    for path in paths {
        walk(path, &mut jobs)?;
    }
    Ok(jobs)
}

/// The progress bar of one file's upload.
fn file_bar(bars: &MultiProgress, job: &Job) -> ProgressBar {
    let bar = bars.add(ProgressBar::new(job.size));
    bar.set_style(
        ProgressStyle::with_template("  {msg:18!} [{bar:30}] {bytes}/{total_bytes}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(
        job.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    bar
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

/// Settings of one batch.
#[derive(Debug)]
pub(crate) struct Batch {
    pub(crate) concurrency: usize,
    pub(crate) lockfile: Option<Lockfile>,
    pub(crate) progress: bool,
}

impl Batch {
    /// Uploads every job with `upload`, at most `concurrency` at a time.
    /// After each upload the vendor's latest rate-limit headers (`rate_limit`) are read, so
    /// that every upload waits when the vendor says the window is spent.
    pub(crate) async fn run<F, Fut, L>(self, jobs: Vec<Job>, rate_limit: L, upload: F) -> Report
    where
        F: Fn(Job, ProgressReporter) -> Fut,
        Fut: Future<Output = Result<Uploaded, Failure>>,
        L: Fn() -> RateLimit,
    {
        let gate = RateGate::default();
        let bars = MultiProgress::with_draw_target(if self.progress {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        });
        let total_bytes: u64 = jobs.iter().map(|j| j.size).sum();
        let overall = bars.add(ProgressBar::new(total_bytes));
        overall.set_style(
            ProgressStyle::with_template(
                "{msg:20} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        overall.set_message(format!("{} files", jobs.len()));
        let has_lockfile = self.lockfile.is_some();
        let lockfile = Arc::new(Mutex::new(self.lockfile));
        let stop = AtomicBool::new(false);
        let fatal: Mutex<Option<Error>> = Mutex::new(None);
        let upload = &upload;
        let (bars, overall, stop, fatal, gate, rate_limit) =
            (&bars, &overall, &stop, &fatal, &gate, &rate_limit);
        let results = futures::stream::iter(jobs.into_iter().map(|job| {
            let lockfile = lockfile.clone();
            async move {
                let path = job.path.clone();
                if stop.load(Ordering::SeqCst) {
                    return (path, Outcome::NotStarted);
                }
                let key = path.to_string_lossy().into_owned();
                // The hash is only for the lockfile: without one, don't read every file an
                // extra time before uploading it.
                let sha = if has_lockfile {
                    match sha256_of(&path).await {
                        Ok(sha) => Some(sha),
                        Err(error) => return (path, Outcome::Failed(error)),
                    }
                } else {
                    None
                };
                let done = sha.as_deref().and_then(|sha| {
                    lockfile
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .as_ref()
                        .and_then(|l| l.uploaded(&key, sha).map(|e| e.id.clone()))
                });
                if let Some(id) = done {
                    overall.inc(job.size);
                    return (path, Outcome::Skipped(id));
                }
                gate.wait().await;
                let bar = file_bar(bars, &job);
                let (reporter, counted) = byte_reporter(&bar, overall);
                let result = upload(job.clone(), reporter).await;
                gate.observe(rate_limit());
                bar.finish_and_clear();
                let outcome = match result {
                    Ok(uploaded) => {
                        overall.inc(job.size.saturating_sub(counted.load(Ordering::SeqCst)));
                        let mut lock = lockfile.lock().unwrap_or_else(PoisonError::into_inner);
                        if let (Some(lock), Some(sha256)) = (lock.as_mut(), sha) {
                            let entry = Entry {
                                sha256,
                                id: uploaded.id.clone(),
                            };
                            if let Err(e) = lock.record(key, entry) {
                                bars.suspend(|| eprintln!("warning: could not write the lockfile: {e}"));
                            }
                        }
                        Outcome::Uploaded(uploaded)
                    }
                    Err(Failure::File(error)) => Outcome::Failed(error),
                    Err(Failure::Fatal(error)) => {
                        stop.store(true, Ordering::SeqCst);
                        let message = error.to_string();
                        fatal
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .get_or_insert(error);
                        Outcome::Failed(Error::invalid(format!("batch stopped: {message}")))
                    }
                };
                (path, outcome)
            }
        }))
        .buffered(self.concurrency.max(1))
        .collect::<Vec<_>>()
        .await;
        overall.finish_and_clear();
        let fatal = fatal.lock().unwrap_or_else(PoisonError::into_inner).take();
        Report { results, fatal }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jobs(dir: &Path, count: usize) -> Vec<Job> {
        (0..count)
            .map(|i| {
                let path = dir.join(format!("f{i}.bin"));
                std::fs::write(&path, [1u8; 10]).unwrap();
                Job { path, size: 10 }
            })
            .collect()
    }

    fn spent_window(reset: u64) -> RateLimit {
        let mut limit = RateLimit::default();
        limit.remaining = Some(0);
        limit.reset = Some(Duration::from_secs(reset));
        limit
    }

    #[tokio::test(start_paused = true)]
    async fn a_reset_at_the_end_of_time_is_capped_and_never_panics() {
        let gate = RateGate::default();
        let mut limit = RateLimit::default();
        limit.remaining = Some(0);
        limit.reset = Some(Duration::MAX);
        gate.observe(limit);
        let started = tokio::time::Instant::now();
        gate.wait().await;
        assert_eq!(started.elapsed(), RetryPolicy::default().max_retry_after());
    }

    // Paused tokio time: the gate's wait is real timer code, and the runtime jumps the clock.
    #[tokio::test(start_paused = true)]
    async fn a_spent_window_holds_the_next_upload_until_the_reset() {
        let dir = tempfile::tempdir().unwrap();
        let batch = Batch {
            concurrency: 1,
            lockfile: None,
            progress: false,
        };
        let started = tokio::time::Instant::now();
        let starts = Mutex::new(Vec::new());
        let report = batch
            .run(
                jobs(dir.path(), 3),
                || spent_window(30),
                |job, _| {
                    starts.lock().unwrap().push(started.elapsed());
                    async move {
                        Ok(Uploaded {
                            id: job.path.display().to_string(),
                            detail: String::new(),
                        })
                    }
                },
            )
            .await;
        assert_eq!(report.count(|o| matches!(o, Outcome::Uploaded(_))), 3);
        let starts = starts.into_inner().unwrap();
        assert_eq!(
            starts.iter().map(Duration::as_secs).collect::<Vec<_>>(),
            vec![0, 30, 60]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_window_with_requests_left_does_not_wait() {
        let dir = tempfile::tempdir().unwrap();
        let batch = Batch {
            concurrency: 2,
            lockfile: None,
            progress: false,
        };
        let started = tokio::time::Instant::now();
        let report = batch
            .run(jobs(dir.path(), 4), RateLimit::default, |job, _| async move {
                Ok(Uploaded {
                    id: job.path.display().to_string(),
                    detail: String::new(),
                })
            })
            .await;
        assert_eq!(report.count(|o| matches!(o, Outcome::Uploaded(_))), 4);
        assert_eq!(started.elapsed(), Duration::ZERO);
    }

    #[tokio::test]
    async fn a_fatal_error_stops_the_files_not_yet_started() {
        let dir = tempfile::tempdir().unwrap();
        let batch = Batch {
            concurrency: 1,
            lockfile: None,
            progress: false,
        };
        let report = batch
            .run(jobs(dir.path(), 3), RateLimit::default, |_, _| async {
                Err(Failure::Fatal(Error::invalid("stop")))
            })
            .await;
        assert!(report.fatal.is_some());
        assert_eq!(report.count(|o| matches!(o, Outcome::NotStarted)), 2);
    }
}
