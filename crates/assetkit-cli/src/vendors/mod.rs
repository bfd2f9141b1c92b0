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
use futures::future::BoxFuture;

use crate::Global;
use crate::batch::{Batch, Failure, Job, Landing, Step, Uploaded, collect};
use crate::exit::Exit;
use crate::output::Output;

/// Transport settings for `base_url`: plain http only to loopback hosts (local servers and
/// fakes), or anywhere after `--danger-accept-plain-http`.
pub(crate) fn settings(global: &Global, base_url: &str) -> Settings {
    Settings::new()
        .allow_http(base_url.starts_with("http://"))
        .danger_accept_plain_http(global.danger_accept_plain_http)
}

/// The files under `paths`, refused before anything is sent when two would land on one
/// name at the vendor (`landing`); hidden entries left out are noted.
pub(crate) fn plan_batch(out: Output, paths: &[PathBuf], landing: Landing) -> Result<Vec<Job>, Error> {
    let collected = collect(paths)?;
    if let Some(first) = collected.hidden.first() {
        let more = match collected.hidden.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        out.note(&format!(
            "note: hidden entries are not uploaded: {}{more}",
            first.display()
        ));
    }
    if collected.jobs.is_empty() {
        return Err(Error::invalid("no files to upload under the given paths"));
    }
    landing.check(&collected.jobs)?;
    Ok(collected.jobs)
}

/// Uploads every file under `paths` with `upload` (see [`plan_batch`] and [`run_batch`]).
pub(crate) async fn upload_batch<F, Fut>(
    global: &Global,
    out: Output,
    (target, landing): (&str, Landing),
    paths: &[PathBuf],
    upload: F,
) -> Result<Exit, Error>
where
    F: Fn(Job, Step) -> Fut,
    Fut: Future<Output = Result<Uploaded, Failure>>,
{
    let jobs = plan_batch(out, paths, landing)?;
    run_batch(global, out, target, jobs, upload).await
}

/// Uploads `jobs` with `upload`, records each step in the journal, prints the report and
/// returns the exit code.
pub(crate) async fn run_batch<F, Fut>(
    global: &Global,
    out: Output,
    target: &str,
    jobs: Vec<Job>,
    upload: F,
) -> Result<Exit, Error>
where
    F: Fn(Job, Step) -> Fut,
    Fut: Future<Output = Result<Uploaded, Failure>>,
{
    let journal = match &global.journal {
        Some(path) => Some(Journal::open(path, target).map_err(Error::from)?),
        None => None,
    };
    if let Some(journal) = &journal {
        let (recorded, done) = journal.counts();
        out.note(&format!(
            "journal: {} done, {} to finish",
            crate::output::files(done),
            recorded - done
        ));
    }
    out.note(&format!(
        "uploading {} to {target}",
        crate::output::files(jobs.len())
    ));
    let batch = Batch {
        concurrency: global.concurrency,
        journal,
        progress: !global.no_progress && !out.is_json(),
        signals: true,
    };
    let report = batch.run(jobs, upload).await;
    Ok(out.report(&report))
}

/// Where a batch's files go at a vendor with folders: the folder each file's own
/// subfolder became, else the folder the batch was asked to upload into.
#[derive(Debug, Clone, Default)]
pub(crate) struct Folders {
    /// The folder the batch uploads into (`None`: the vendor's default).
    pub(crate) top: Option<String>,
    /// The folder id for each subfolder path found under the given folders.
    pub(crate) below: std::sync::Arc<std::collections::HashMap<PathBuf, String>>,
}

impl Folders {
    /// The folder `job` goes into.
    pub(crate) fn of(&self, job: &Job) -> Option<String> {
        self.below
            .get(job.folders())
            .cloned()
            .or_else(|| self.top.clone())
    }

    /// Makes, below `top`, the subfolders that `jobs` come from, one level at a time:
    /// `ensure(parent, name)` finds the folder `name` in `parent` (`None`: the top) or
    /// creates it, and answers its id.
    pub(crate) async fn make(
        out: Output,
        top: Option<String>,
        jobs: &[Job],
        mut ensure: impl FnMut(Option<String>, String) -> BoxFuture<'static, Result<(String, bool), Error>>,
    ) -> Result<Folders, Error> {
        let paths: std::collections::BTreeSet<&std::path::Path> = jobs
            .iter()
            .map(Job::folders)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        let mut below = std::collections::HashMap::new();
        for path in paths {
            let mut parent = top.clone();
            let mut sofar = PathBuf::new();
            for part in path {
                sofar.push(part);
                let id = if let Some(id) = below.get(&sofar) {
                    String::clone(id)
                } else {
                    let (id, created) = ensure(parent, part.to_string_lossy().into_owned()).await?;
                    if created {
                        out.note(&format!("created folder {}", sofar.display()));
                    }
                    below.insert(sofar.clone(), id.clone());
                    id
                };
                parent = Some(id);
            }
        }
        Ok(Folders {
            top,
            below: std::sync::Arc::new(below),
        })
    }
}

/// How a batch's target names the vendor's host in its journal: the URL, or `--mock`
/// for the in-process fakes (whose port changes with every run).
pub(crate) fn host_label(global: &Global, url: &str) -> String {
    if global.mock {
        "--mock".to_owned()
    } else {
        url.to_owned()
    }
}

/// Says that asset `id` was downloaded to `output`.
pub(crate) fn downloaded(out: Output, id: &str, output: &std::path::Path, bytes: u64) -> Exit {
    out.show(
        &format!("downloaded asset {id} to {} ({bytes} bytes)", output.display()),
        &serde_json::json!({"asset": id, "path": output, "bytes": bytes}),
    );
    Exit::Ok
}
