//! One module per vendor: its subcommands and how they map onto the library.

pub(crate) mod enklu;
pub(crate) mod mediapocket;
pub(crate) mod roblox;
pub(crate) mod unicat;
pub(crate) mod webflow;

use std::future::Future;
use std::path::PathBuf;

use assetkit::{Error, ProgressReporter, RateLimit, Settings};

use crate::Global;
use crate::batch::{Batch, Failure, Job, Uploaded, collect};
use crate::exit::Exit;
use crate::lockfile::Lockfile;
use crate::output::Output;

/// Transport settings for `base_url`: plain http only to loopback hosts (local servers and
/// fakes), or anywhere after `--danger-accept-plain-http`.
pub(crate) fn settings(global: &Global, base_url: &str) -> Settings {
    Settings::new()
        .allow_http(base_url.starts_with("http://"))
        .danger_accept_plain_http(global.danger_accept_plain_http)
}

/// Uploads every file under `paths` with `upload`, records them in the lockfile, prints
/// the report and returns the exit code.
pub(crate) async fn upload_batch<F, Fut, L>(
    global: &Global,
    out: Output,
    target: &str,
    paths: &[PathBuf],
    rate_limit: L,
    upload: F,
) -> Result<Exit, Error>
where
    F: Fn(Job, ProgressReporter) -> Fut,
    Fut: Future<Output = Result<Uploaded, Failure>>,
    L: Fn() -> RateLimit,
{
    let jobs = collect(paths)?;
    if jobs.is_empty() {
        return Err(Error::invalid("no files to upload under the given paths"));
    }
    let lockfile = match &global.lockfile {
        Some(path) => Some(Lockfile::open(path, target).map_err(|e| Error::io(path, e))?),
        None => None,
    };
    if let Some(lock) = &lockfile {
        out.note(&format!("lockfile: {} files already recorded", lock.len()));
    }
    out.note(&format!("uploading {} files to {target}", jobs.len()));
    let batch = Batch {
        concurrency: global.concurrency,
        lockfile,
        progress: !global.no_progress && !out.is_json(),
    };
    let report = batch.run(jobs, rate_limit, upload).await;
    Ok(out.report(&report))
}
