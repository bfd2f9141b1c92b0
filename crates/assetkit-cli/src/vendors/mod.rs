//! One module per vendor: its subcommands and how they map onto the library.

pub(crate) mod enklu;
pub(crate) mod mediapocket;
pub(crate) mod roblox;
pub(crate) mod unicat;
pub(crate) mod webflow;

use std::future::Future;
use std::path::PathBuf;

use assetkit::journal::Journal;
use assetkit::{Error, Settings};

use crate::Global;
use crate::batch::{Batch, Failure, Job, Step, Uploaded, collect};
use crate::exit::Exit;
use crate::output::Output;

/// Transport settings for `base_url`: plain http only to loopback hosts (local servers and
/// fakes), or anywhere after `--danger-accept-plain-http`.
pub(crate) fn settings(global: &Global, base_url: &str) -> Settings {
    Settings::new()
        .allow_http(base_url.starts_with("http://"))
        .danger_accept_plain_http(global.danger_accept_plain_http)
}

/// Uploads every file under `paths` with `upload`, records each step in the journal,
/// prints the report and returns the exit code.
pub(crate) async fn upload_batch<F, Fut>(
    global: &Global,
    out: Output,
    target: &str,
    paths: &[PathBuf],
    upload: F,
) -> Result<Exit, Error>
where
    F: Fn(Job, Step) -> Fut,
    Fut: Future<Output = Result<Uploaded, Failure>>,
{
    let jobs = collect(paths)?;
    if jobs.is_empty() {
        return Err(Error::invalid("no files to upload under the given paths"));
    }
    let journal = match &global.journal {
        Some(path) => Some(Journal::open(path, target).map_err(Error::from)?),
        None => None,
    };
    if let Some(journal) = &journal {
        let (recorded, done) = journal.counts();
        out.note(&format!(
            "journal: {done} files done, {} to finish",
            recorded - done
        ));
    }
    out.note(&format!("uploading {} files to {target}", jobs.len()));
    let batch = Batch {
        concurrency: global.concurrency,
        journal,
        progress: !global.no_progress && !out.is_json(),
        signals: true,
    };
    let report = batch.run(jobs, upload).await;
    Ok(out.report(&report))
}
