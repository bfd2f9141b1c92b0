//! `assetkit unicat ...`

use std::path::PathBuf;

use crate::mock::{self, Fake};
use assetkit::unicat::{Asset, AssetRef, AssetSelector, UnicatClient};
use assetkit::{Error, UploadSource};
use clap::Subcommand;
use futures::StreamExt;
use serde_json::{Value, json};

use super::{Folders, downloaded, host_label, plan_batch, run_batch, settings};
use crate::batch::{Failure, Job, Landing, Step, Uploaded};
use crate::exit::Exit;
use crate::output::Output;
use crate::{CliError, Global, env, real_base_url, setting};
use futures::future::BoxFuture;

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Show assets by pathname (starting with /) or gid.
    Get {
        /// Pathnames or gids.
        #[arg(required = true)]
        assets: Vec<String>,
    },
    /// List a folder's children.
    List {
        /// The folder, by pathname or gid (default: the root).
        #[arg(default_value = "/")]
        folder: String,
    },
    /// Upload files (or every file in folders) into a folder.
    ///
    /// Structure is kept: a folder's files land at their paths below it (`imgs/a/logo.png`
    /// given as `imgs` goes to `<to>/a/logo.png`), and missing folders are created. A file
    /// whose name is already in its folder gets its content replaced. Two files that would
    /// land on one path are refused before anything is sent. Hidden files are skipped.
    Upload {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The folder to upload into, by pathname or gid.
        #[arg(long, default_value = "/")]
        to: String,
    },
    /// Download a file (published through the DAM) to a file.
    Download {
        /// The file, by pathname (starting with /) or gid.
        asset: String,
        /// Where to write it (renamed into place once complete).
        #[arg(long, short = 'o', value_name = "PATH")]
        output: PathBuf,
        /// This version (default: the current one). Not `--version`: that prints
        /// assetkit's own.
        #[arg(long = "asset-version", value_name = "N")]
        asset_version: Option<u64>,
    },
    /// Delete an asset (by gid).
    Delete {
        /// The gid.
        gid: String,
    },
}

pub(crate) fn reference(text: &str) -> AssetRef {
    if text.starts_with('/') {
        AssetRef::pathname(text)
    } else {
        AssetRef::gid(text)
    }
}

/// The client (with its project and base URL), and the fake it talks to under `--mock`.
pub(crate) async fn connect(
    global: &Global,
) -> Result<(UnicatClient, String, String, Option<mock::Mock>), CliError> {
    let fake = mock::start_if(global.mock, Fake::Unicat).await?;
    let (base_url, key, project) = match &fake {
        Some(fake) => (fake.base_url.clone(), fake.key.clone(), fake.scope.clone()),
        None => (
            real_base_url(global, "UNICAT_BASE_URL", UnicatClient::DEFAULT_BASE_URL),
            env("UNICAT_API_KEY", "a Unicat API key")?,
            setting("UNICAT_PROJECT", "the project gid", None)?,
        ),
    };
    let client = UnicatClient::builder()
        .api_key(key)
        .project(&project)
        .base_url(&base_url)
        .settings(settings(global, &base_url))
        .build()?;
    Ok((client, project, base_url, fake))
}

pub(crate) async fn run(global: &Global, out: &Output, command: Command) -> Result<Exit, CliError> {
    let out = *out;
    let (client, project, base_url, _fake) = connect(global).await?;
    match command {
        Command::Get { assets } => {
            let (paths, gids): (Vec<String>, Vec<String>) =
                assets.into_iter().partition(|a| a.starts_with('/'));
            let mut found = Vec::new();
            if !paths.is_empty() {
                found.extend(
                    client
                        .assets()
                        .get(AssetSelector::pathnames(paths))
                        .send()
                        .await?,
                );
            }
            if !gids.is_empty() {
                found.extend(client.assets().get(AssetSelector::gids(gids)).send().await?);
            }
            show_list(out, &found);
            Ok(Exit::Ok)
        }
        Command::List { folder } => {
            let mut children = client.assets().children(reference(&folder)).into_stream();
            let mut all = Vec::new();
            while let Some(child) = children.next().await {
                all.push(child?);
            }
            show_list(out, &all);
            Ok(Exit::Ok)
        }
        Command::Upload { paths, to } => {
            let target = format!(
                "unicat project {project} folder {to} at {}",
                host_label(global, &base_url)
            );
            let jobs = plan_batch(out, &paths, Landing::RelativePath)?;
            let folders = make_folders(out, &client, &to, &jobs).await?;
            run_batch(global, out, &target, jobs, uploader(&client, &to, folders))
                .await
                .map_err(CliError::from)
        }
        Command::Download {
            asset,
            output,
            asset_version,
        } => {
            let gid = gid_of(&client, &asset).await?;
            let mut download = client.assets().download(&gid);
            if let Some(version) = asset_version {
                download = download.version(version);
            }
            let bytes = download.to_path(&output).await?;
            Ok(downloaded(out, &gid, &output, bytes))
        }
        Command::Delete { gid } => {
            let change = client.assets().delete(gid).send().await?;
            out.show(
                &format!("deleted {}", asset_text(&change.asset)),
                &asset_json(&change.asset),
            );
            Ok(Exit::Ok)
        }
    }
}

/// The gid `text` names: itself, or that of the asset at the pathname it is.
async fn gid_of(client: &UnicatClient, text: &str) -> Result<String, Error> {
    if !text.starts_with('/') {
        return Ok(text.to_owned());
    }
    let found = client
        .assets()
        .get(AssetSelector::pathnames(vec![text.to_owned()]))
        .send()
        .await?;
    found
        .into_iter()
        .next()
        .map(|asset| asset.gid)
        .ok_or_else(|| Error::invalid(format!("there is no asset at {text}")))
}

/// The folders the subfolders of `jobs` become below `to`: found by name, or created.
async fn make_folders(out: Output, client: &UnicatClient, to: &str, jobs: &[Job]) -> Result<Folders, Error> {
    if jobs.iter().all(|job| job.folders().as_os_str().is_empty()) {
        return Ok(Folders::default());
    }
    // Folders are made by gid: find the one `to` names.
    let top = gid_of(client, to).await?;
    let client = client.clone();
    let folders = Folders::make(out, Some(top), jobs, move |parent, name| {
        let client = client.clone();
        Box::pin(async move {
            let parent = parent.unwrap_or_default();
            let assets = client.assets();
            if let Some(found) = assets.find_folder(AssetRef::gid(&parent), &name).await? {
                return Ok((found.gid, false));
            }
            Ok((assets.create_folder(parent, name).send().await?.asset.gid, true))
        })
    })
    .await?;
    // Files at the top go to `to` as it was given.
    Ok(Folders { top: None, ..folders })
}

/// How one file of a batch is uploaded to folder `to` (or the folder its subfolder
/// became); an earlier run that may have stored it already is looked for by name, and
/// its content replaced.
fn uploader(
    client: &UnicatClient,
    to: &str,
    folders: Folders,
) -> impl Fn(Job, Step) -> BoxFuture<'static, Result<Uploaded, Failure>> {
    let (client, to) = (client.clone(), to.to_owned());
    move |job, step| {
        let client = client.clone();
        let folder = folders.of(&job).map_or_else(|| reference(&to), AssetRef::gid);
        Box::pin(async move {
            let source = UploadSource::path(&job.path);
            let existing = match step.resume() {
                Some(_) => client
                    .assets()
                    .find_file(folder.clone(), &job.name())
                    .await?
                    .map(|asset| asset.gid),
                None => None,
            };
            let change = match existing {
                Some(gid) => {
                    client
                        .assets()
                        .upload_update(gid, source)
                        .progress(step.progress())
                        .send()
                        .await?
                }
                None => {
                    client
                        .assets()
                        .upload(folder, source)
                        .progress(step.progress())
                        .send()
                        .await?
                }
            };
            Ok(Uploaded {
                id: change.asset.gid.clone(),
                detail: change.asset.pathname.unwrap_or_default(),
            })
        })
    }
}

fn show_list(out: Output, assets: &[Asset]) {
    let text = assets.iter().map(asset_text).collect::<Vec<_>>().join("\n");
    out.show(&text, &Value::Array(assets.iter().map(asset_json).collect()));
}

fn asset_json(asset: &Asset) -> Value {
    json!({
        "gid": asset.gid,
        "pathname": asset.pathname,
        "name": asset.name,
        "type": asset.kind,
        "is_file": asset.is_file,
        "size": asset.file_size(),
        "status": asset.status,
    })
}

fn asset_text(asset: &Asset) -> String {
    format!(
        "{} {} {}",
        if asset.is_folder() { "folder" } else { "file  " },
        asset.pathname.as_deref().unwrap_or("-"),
        asset.gid
    )
}
