//! `assetkit webflow ...`

use std::path::PathBuf;

use crate::mock::{self, Fake};
use assetkit::webflow::{Asset, AssetFolder, WebflowClient};
use assetkit::{Error, UploadSource};
use clap::Subcommand;
use futures::StreamExt;
use serde_json::{Value, json};

use super::{Folders, downloaded, host_label, plan_batch, run_batch, settings};
use crate::batch::{Failure, Job, Landing, Phase, Step, Uploaded, data};
use crate::exit::Exit;
use crate::output::Output;
use crate::{CliError, Global, base_url_and_credential, setting};
use futures::future::BoxFuture;

/// The site every mock command uses.
const MOCK_SITE: &str = "580e63e98c9a982ac9b8b741";

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Upload files (or every file in folders): MD5, Webflow step 1, then the S3 form post.
    ///
    /// Without `--folders`, structure is flattened: every file goes into `--folder` (or the
    /// site's root) under its file name, and two files that would share a name are refused
    /// before anything is sent. With `--folders`, a folder's subfolders become asset
    /// folders (found by name or created) below `--folder`. Hidden files are skipped.
    Upload {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Put the assets in this asset folder.
        #[arg(long, value_name = "FOLDER_ID")]
        folder: Option<String>,
        /// Keep the subfolders of the given folders as asset folders.
        #[arg(long)]
        folders: bool,
        /// The site (default: WEBFLOW_SITE_ID).
        #[arg(long)]
        site: Option<String>,
    },
    /// Show an asset.
    Get {
        /// The asset id.
        id: String,
    },
    /// Download an asset's file (from its hostedUrl) to a file.
    Download {
        /// The asset id.
        id: String,
        /// Where to write it (renamed into place once complete).
        #[arg(long, short = 'o', value_name = "PATH")]
        output: PathBuf,
    },
    /// List a site's assets.
    List {
        /// The site (default: WEBFLOW_SITE_ID).
        #[arg(long)]
        site: Option<String>,
    },
    /// List a site's asset folders.
    Folders {
        /// The site (default: WEBFLOW_SITE_ID).
        #[arg(long)]
        site: Option<String>,
    },
    /// Create an asset folder.
    CreateFolder {
        /// The folder's name.
        name: String,
        /// Create it inside this folder.
        #[arg(long, value_name = "FOLDER_ID")]
        parent: Option<String>,
        /// The site (default: WEBFLOW_SITE_ID).
        #[arg(long)]
        site: Option<String>,
    },
    /// Delete an asset.
    Delete {
        /// The asset id.
        id: String,
    },
}

/// The client, and the fake it talks to under `--mock` (which must outlive the command).
pub(crate) async fn connect(global: &Global) -> Result<(WebflowClient, Option<mock::Mock>), CliError> {
    let fake = mock::start_if(global.mock, Fake::Webflow).await?;
    let (base_url, token) = base_url_and_credential(
        global,
        fake.as_ref().map(|f| (f.base_url.clone(), f.key.clone())),
        ("WEBFLOW_BASE_URL", WebflowClient::DEFAULT_BASE_URL),
        ("WEBFLOW_TOKEN", "a Webflow API token"),
    )?;
    let client = WebflowClient::builder()
        .bearer(token)
        .base_url(&base_url)
        .settings(settings(global, &base_url))
        .build()?;
    Ok((client, fake))
}

/// The site to use: `given`, the fake's under `--mock`, else WEBFLOW_SITE_ID.
pub(crate) fn site_of(given: Option<String>, mock: bool) -> Result<String, CliError> {
    match given {
        Some(site) => Ok(site),
        None if mock => Ok(MOCK_SITE.to_owned()),
        None => setting("WEBFLOW_SITE_ID", "the site id", Some("--site")),
    }
}

pub(crate) async fn run(global: &Global, out: &Output, command: Command) -> Result<Exit, CliError> {
    let out = *out;
    let (client, fake) = connect(global).await?;
    let site = |given: Option<String>| site_of(given, fake.is_some());
    match command {
        Command::Upload {
            paths,
            folder,
            folders,
            site: given,
        } => upload(global, out, &client, (&site(given)?, folder, folders), &paths).await,
        Command::Get { id } => {
            let asset = client.assets().get(id).send().await?;
            out.show(&asset_text(&asset), &asset_json(&asset));
            Ok(Exit::Ok)
        }
        Command::Download { id, output } => {
            let bytes = client.assets().download(&id).to_path(&output).await?;
            Ok(downloaded(out, &id, &output, bytes))
        }
        Command::List { site: given } => {
            let mut pages = client.assets().list(site(given)?).into_pages();
            let mut all = Vec::new();
            while let Some(page) = pages.next().await {
                all.extend(page?.assets);
            }
            let mut lines: Vec<String> = all.iter().map(asset_text).collect();
            lines.push(match all.len() {
                1 => "1 asset".to_owned(),
                n => format!("{n} assets"),
            });
            out.show(
                &lines.join("\n"),
                &Value::Array(all.iter().map(asset_json).collect()),
            );
            Ok(Exit::Ok)
        }
        Command::Folders { site: given } => {
            let folders = client
                .asset_folders()
                .list(site(given)?)
                .send()
                .await?
                .asset_folders;
            let text = folders.iter().map(folder_text).collect::<Vec<_>>().join("\n");
            out.show(&text, &Value::Array(folders.iter().map(folder_json).collect()));
            Ok(Exit::Ok)
        }
        Command::CreateFolder {
            name,
            parent,
            site: given,
        } => {
            let mut create = client.asset_folders().create(site(given)?, name);
            if let Some(parent) = parent {
                create = create.parent_folder(parent);
            }
            let folder = create.send().await?;
            out.show(&folder_text(&folder), &folder_json(&folder));
            Ok(Exit::Ok)
        }
        Command::Delete { id } => {
            client.assets().delete(&id).send().await?;
            out.show(&format!("deleted {id}"), &json!({"deleted": id}));
            Ok(Exit::Ok)
        }
    }
}

/// Uploads every file: step 1 (recorded in the journal as soon as Webflow answers),
/// then the S3 post.
async fn upload(
    global: &Global,
    out: Output,
    client: &WebflowClient,
    (site, folder, keep_folders): (&str, Option<String>, bool),
    paths: &[PathBuf],
) -> Result<Exit, CliError> {
    let target = format!(
        "webflow site {site} at {}",
        host_label(global, client.base_url().as_str())
    );
    let landing = if keep_folders {
        Landing::RelativePath
    } else {
        Landing::FileName
    };
    let jobs = plan_batch(out, paths, landing)?;
    let folders = if keep_folders {
        make_folders(out, client, site, folder, &jobs).await?
    } else {
        Folders {
            top: folder,
            ..Folders::default()
        }
    };
    run_batch(global, out, &target, jobs, uploader(client, site, folders))
        .await
        .map_err(CliError::from)
}

/// The asset folders the subfolders of `jobs` become below `top`: found by name among
/// the site's folders, or created.
async fn make_folders(
    out: Output,
    client: &WebflowClient,
    site: &str,
    top: Option<String>,
    jobs: &[Job],
) -> Result<Folders, Error> {
    let existing = client.asset_folders().list(site).send().await?.asset_folders;
    let (client, site) = (client.clone(), site.to_owned());
    Folders::make(out, top, jobs, move |parent, name| {
        let found = existing
            .iter()
            .find(|f| f.parent_folder == parent && f.display_name.as_deref() == Some(name.as_str()))
            .map(|f| f.id.clone());
        let (client, site) = (client.clone(), site.clone());
        Box::pin(async move {
            if let Some(id) = found {
                return Ok((id, false));
            }
            let mut create = client.asset_folders().create(site, name);
            if let Some(parent) = parent {
                create = create.parent_folder(parent);
            }
            Ok((create.send().await?.id, true))
        })
    })
    .await
}

/// How one file of a batch is uploaded, resumed from what an earlier run recorded.
pub(crate) fn uploader(
    client: &WebflowClient,
    site: &str,
    folders: Folders,
) -> impl Fn(Job, Step) -> BoxFuture<'static, Result<Uploaded, Failure>> {
    let (client, site) = (client.clone(), site.to_owned());
    move |job, step| {
        let (client, site, folder) = (client.clone(), site.clone(), folders.of(&job));
        Box::pin(async move {
            // An earlier run made a step-1 asset and stopped before its bytes were
            // posted: remove it, so the file ends as one asset.
            if let Some(stale) = step.resume().and_then(|r| r.text("asset")) {
                match client.assets().delete(stale).send().await {
                    Err(error) if !error.is_not_found() => return Err(error.into()),
                    _ => {}
                }
                step.restart().map_err(Failure::Fatal)?;
            }
            if step.maybe_sent_before() {
                step.warn(
                    "an earlier run sent this file's step 1 and stopped before its answer; if Webflow had made an asset for it, that empty asset stays (delete it in the Assets panel)",
                );
            }
            let mut upload = client
                .assets()
                .upload(site, UploadSource::path(&job.path))
                .progress(step.progress());
            if let Some(folder) = folder {
                upload = upload.parent_folder(folder);
            }
            step.phase(Phase::Hashing);
            let pending = upload.start().await?;
            step.created(data([("asset", pending.created().id.as_str())]))
                .map_err(Failure::Fatal)?;
            step.phase(Phase::Uploading);
            let uploaded = pending.finish().await?;
            Ok(Uploaded {
                id: uploaded.asset.id.clone(),
                detail: uploaded.asset.hosted_url.unwrap_or_default(),
            })
        })
    }
}

fn asset_json(asset: &Asset) -> Value {
    json!({
        "id": asset.id,
        "displayName": asset.display_name,
        "originalFileName": asset.original_file_name,
        "contentType": asset.content_type,
        "size": asset.size,
        "hostedUrl": asset.hosted_url,
    })
}

fn asset_text(asset: &Asset) -> String {
    format!(
        "asset {} \"{}\" {} bytes {}",
        asset.id,
        asset
            .display_name
            .as_deref()
            .or(asset.original_file_name.as_deref())
            .unwrap_or("-"),
        asset.size.map_or_else(|| "?".to_owned(), |s| s.to_string()),
        asset.hosted_url.as_deref().unwrap_or("")
    )
}

fn folder_json(folder: &AssetFolder) -> Value {
    json!({"id": folder.id, "displayName": folder.display_name, "parentFolder": folder.parent_folder, "assets": folder.assets})
}

fn folder_text(folder: &AssetFolder) -> String {
    format!(
        "folder {} \"{}\" ({} assets)",
        folder.id,
        folder.display_name.as_deref().unwrap_or("-"),
        folder.assets.len()
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use assetkit::Settings;
    use assetkit::core::time::{Clock, FixedRandom, VirtualTime};
    use assetkit::journal::Journal;
    use assetkit_testkit::{FakeWebflow, RateWindow};

    use super::*;
    use crate::batch::{Batch, Outcome, collect};

    // The batch engine and this uploader, on virtual time shared with the fake's window
    // (real 5 s windows, no real waiting): at every concurrency, no file fails, at most
    // one 429 a window, and the wall time is within 10 % of the window floor.
    #[tokio::test]
    async fn batches_at_every_concurrency_stay_in_a_fixed_window() {
        let dir = tempfile::tempdir().unwrap();
        let files = dir.path().join("files");
        std::fs::create_dir(&files).unwrap();
        for i in 0..200 {
            std::fs::write(files.join(format!("f{i:03}.txt")), format!("file {i}")).unwrap();
        }
        let window = Duration::from_secs(5);
        // 200 requests at 10 a window: 20 windows, the last one only started.
        let floor = window * 19;
        for concurrency in [1, 8, 32, 64] {
            let fake = FakeWebflow::start().await;
            let time = VirtualTime::new();
            let clock = time.clone();
            fake.rate_limit(
                RateWindow::new(10, window)
                    .except_path("/s3/")
                    .with_clock(move || clock.now()),
            );
            let client = WebflowClient::builder()
                .bearer("token")
                .base_url(fake.base_url())
                .settings(
                    Settings::new()
                        .allow_http(true)
                        .time(time.clone())
                        .random(std::sync::Arc::new(FixedRandom(0.0))),
                )
                .build()
                .unwrap();
            let journal = Journal::open(&dir.path().join(format!("j{concurrency}")), "t").unwrap();
            let batch = Batch {
                concurrency,
                journal: Some(journal),
                progress: false,
                signals: false,
            };
            let started = time.now();
            let report = batch
                .run(
                    collect(std::slice::from_ref(&files)).unwrap().jobs,
                    uploader(&client, "site", Folders::default()),
                )
                .await;
            let elapsed = time.now() - started;
            let stats = fake.rate_stats();
            let failed = report.count(|o| matches!(o, Outcome::Failed(_)));
            assert_eq!(failed, 0, "concurrency {concurrency}");
            assert_eq!(fake.asset_count(), 200);
            assert!(
                stats.most_refused_in_a_window <= 1,
                "concurrency {concurrency}: {stats:?}"
            );
            assert!(
                elapsed >= floor && elapsed.as_secs_f64() <= floor.as_secs_f64() * 1.1,
                "concurrency {concurrency}: {elapsed:?} against a floor of {floor:?}"
            );
        }
    }
}
