//! `assetkit roblox ...`

use std::path::PathBuf;

use crate::mock::{self, Fake};
use assetkit::Error;
use assetkit::roblox::{Asset, AssetType, AssetVersion, Creator, ModerationState, RobloxClient};
use assetkit::{UploadSource, operations::operation_failed};
use clap::Subcommand;
use futures::StreamExt;
use serde_json::{Value, json};

use super::{downloaded, host_label, settings, upload_batch};
use crate::batch::{Failure, Landing, Phase, Uploaded, data};
use crate::exit::Exit;
use crate::output::Output;
use crate::{CliError, Global, base_url_and_credential, env_opt};

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Upload files (or every file in folders) as new assets and wait until each is processed.
    ///
    /// Roblox has no folders: each file becomes an asset named after its file name without
    /// the extension, wherever it sits. Two files that would share a name (`a/tree.fbx` and
    /// `b/tree.fbx`) are refused before anything is sent. Hidden files are skipped.
    Upload {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Asset type (Model, Decal, Image, Audio, Video, Animation, Mesh); guessed from the
        /// extension when left out (images become Decals).
        #[arg(long = "type", value_name = "TYPE")]
        asset_type: Option<String>,
        /// Description for every uploaded asset.
        #[arg(long)]
        description: Option<String>,
        /// Upload as this user (default: ROBLOX_CREATOR_USER_ID).
        #[arg(long, value_name = "ID")]
        user: Option<u64>,
        /// Upload as this group (default: ROBLOX_CREATOR_GROUP_ID).
        #[arg(long, value_name = "ID", conflicts_with = "user")]
        group: Option<u64>,
        /// Send files whose headers the local checks cannot read or would refuse (image
        /// size, audio and video length, first bytes); Roblox still judges them, and a
        /// refused upload still counts against the quota.
        #[arg(long)]
        skip_preflight: bool,
    },
    /// Show an asset.
    Get {
        /// The asset id.
        id: String,
    },
    /// List an asset's versions, newest first.
    Versions {
        /// The asset id.
        id: String,
    },
    /// Roll an asset back to one of its versions (a new version copies it).
    Rollback {
        /// The asset id.
        id: String,
        /// The version number to restore.
        #[arg(value_name = "VERSION")]
        version_number: u64,
    },
    /// Download an asset's content (Asset Delivery) to a file.
    Download {
        /// The asset id.
        id: String,
        /// Where to write it (renamed into place once complete).
        #[arg(long, short = 'o', value_name = "PATH")]
        output: PathBuf,
        /// This version (default: the current one). Not `--version`: that prints
        /// assetkit's own.
        #[arg(long = "asset-version", value_name = "N")]
        asset_version: Option<u64>,
    },
    /// Wait for an operation (from an upload) and show the asset it made.
    Wait {
        /// The operation id.
        operation: String,
    },
    /// Archive an asset.
    Archive {
        /// The asset id.
        id: String,
    },
    /// Restore an archived asset.
    Restore {
        /// The asset id.
        id: String,
    },
}

/// The client, and the fake it talks to under `--mock` (which must outlive the command).
pub(crate) async fn connect(global: &Global) -> Result<(RobloxClient, Option<mock::Mock>), CliError> {
    let fake = mock::start_if(global.mock, Fake::Roblox).await?;
    let (base_url, key) = base_url_and_credential(
        global,
        fake.as_ref().map(|f| (f.base_url.clone(), f.key.clone())),
        ("ROBLOX_BASE_URL", RobloxClient::DEFAULT_BASE_URL),
        ("ROBLOX_API_KEY", "an Open Cloud API key"),
    )?;
    let client = RobloxClient::builder()
        .api_key(key)
        .base_url(&base_url)
        .settings(settings(global, &base_url))
        .build()?;
    Ok((client, fake))
}

pub(crate) async fn run(global: &Global, out: &Output, command: Command) -> Result<Exit, CliError> {
    let out = *out;
    let (client, fake) = connect(global).await?;
    match command {
        Command::Upload {
            paths,
            asset_type,
            description,
            user,
            group,
            skip_preflight,
        } => {
            let spec = Spec {
                asset_type: asset_type.map(|t| AssetType::from_name(&t)),
                description,
                creator: creator(user, group, fake.is_some())?,
                skip_preflight,
            };
            upload(global, out, &client, &paths, spec).await
        }
        Command::Get { id } => {
            let asset = client.assets().get(id).send().await?;
            out.show(&asset_text(&asset), &asset_json(&asset));
            Ok(Exit::Ok)
        }
        Command::Versions { id } => {
            let mut versions = client.assets().versions(id).into_stream();
            let mut all = Vec::new();
            while let Some(version) = versions.next().await {
                all.push(version?);
            }
            let text = all.iter().map(version_text).collect::<Vec<_>>().join("\n");
            out.show(&text, &Value::Array(all.iter().map(version_json).collect()));
            Ok(Exit::Ok)
        }
        Command::Rollback { id, version_number } => {
            let made = client.assets().rollback(id, version_number).send().await?;
            out.show(
                &format!("rolled back: {}", version_text(&made)),
                &version_json(&made),
            );
            Ok(Exit::Ok)
        }
        Command::Download {
            id,
            output,
            asset_version,
        } => {
            let mut download = client.assets().download(id.clone());
            if let Some(version) = asset_version {
                download = download.version(version);
            }
            let bytes = download.to_path(&output).await?;
            Ok(downloaded(out, &id, &output, bytes))
        }
        Command::Wait { operation } => {
            let asset = client.operations().get(operation).send().await?.wait().await?;
            out.show(&asset_text(&asset), &asset_json(&asset));
            Ok(Exit::Ok)
        }
        Command::Archive { id } => {
            let asset = client.assets().archive(id).send().await?;
            out.show(&asset_text(&asset), &asset_json(&asset));
            Ok(Exit::Ok)
        }
        Command::Restore { id } => {
            let asset = client.assets().restore(id).send().await?;
            out.show(&asset_text(&asset), &asset_json(&asset));
            Ok(Exit::Ok)
        }
    }
}

/// The warning for a create whose answer a crash lost.
const LOST_ANSWER: &str = "an earlier run sent this create and stopped before its answer; if Roblox had accepted it, this makes a second asset (Roblox has no idempotency key nor a search to find the first)";

/// What every file of an upload batch is created with.
#[derive(Debug, Clone)]
struct Spec {
    /// `--type`, else guessed per file.
    asset_type: Option<AssetType>,
    description: Option<String>,
    creator: Creator,
    skip_preflight: bool,
}

/// Uploads every file as a new asset, waiting for each operation; a rejection by
/// moderation stops the batch.
async fn upload(
    global: &Global,
    out: Output,
    client: &RobloxClient,
    paths: &[PathBuf],
    spec: Spec,
) -> Result<Exit, CliError> {
    let host = host_label(global, client.base_url().as_str());
    let target = match spec.creator {
        Creator::User(id) => format!("roblox user {id} at {host}"),
        Creator::Group(id) => format!("roblox group {id} at {host}"),
    };
    if let Some(AssetType::Unknown(name)) = &spec.asset_type {
        return Err(CliError::Usage(format!(
            "--type {name:?} is not a type the CLI can upload; use one of Model, Decal, Image, Audio, Video, Animation, Mesh"
        )));
    }
    upload_batch(global, out, (&target, Landing::Stem), paths, |job, step| {
        let (client, spec) = (client.clone(), spec.clone());
        async move {
            let source = UploadSource::path(&job.path);
            let kind = spec
                .asset_type
                .or_else(|| AssetType::guess(source.extension().as_deref()))
                .ok_or_else(|| {
                    Failure::File(Error::invalid(format!(
                        "cannot tell the asset type of {}; pass --type",
                        job.path.display()
                    )))
                })?;
            let name = job
                .path
                .file_stem()
                .map_or_else(|| "asset".into(), |s| s.to_string_lossy().into_owned());
            let recorded = step.resume().and_then(|r| r.text("operation"));
            let operation = if let Some(id) = recorded {
                // An earlier run's create was accepted: follow its operation.
                client.operations().get(id).send().await?
            } else {
                if step.maybe_sent_before() {
                    step.warn(LOST_ANSWER);
                }
                let mut create = client
                    .assets()
                    .create(kind, name, source, spec.creator)
                    .progress(step.progress());
                if let Some(description) = spec.description {
                    create = create.description(description);
                }
                if spec.skip_preflight {
                    create = create.skip_preflight();
                }
                let operation = create.send().await?;
                step.created(data([("operation", operation.id.as_str())]))
                    .map_err(Failure::Fatal)?;
                operation
            };
            step.phase(Phase::Waiting("Roblox to process it"));
            let asset = operation.wait().await?;
            let id = asset
                .asset_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            let moderation = asset
                .moderation_result
                .as_ref()
                .and_then(|m| m.moderation_state.clone());
            if moderation == Some(ModerationState::Rejected) {
                // Moderation is about the account's content: stop rather than upload more.
                return Err(Failure::Fatal(operation_failed(
                    format!("asset {id}"),
                    Some("MODERATION_STATE_REJECTED".into()),
                    "the asset was rejected by moderation",
                    Vec::new(),
                )));
            }
            let state = moderation.map_or_else(String::new, |m| format!("{m:?}").to_lowercase());
            Ok(Uploaded { id, detail: state })
        }
    })
    .await
    .map_err(CliError::from)
}

pub(crate) fn creator(user: Option<u64>, group: Option<u64>, mock: bool) -> Result<Creator, CliError> {
    let from_env = |name: &str| env_opt(name).map(|v| v.trim().parse::<u64>());
    match (user, group) {
        (Some(user), _) => Ok(Creator::User(user)),
        (_, Some(group)) => Ok(Creator::Group(group)),
        _ => match (
            from_env("ROBLOX_CREATOR_USER_ID"),
            from_env("ROBLOX_CREATOR_GROUP_ID"),
        ) {
            (Some(Ok(user)), _) => Ok(Creator::User(user)),
            (_, Some(Ok(group))) => Ok(Creator::Group(group)),
            (Some(Err(_)), _) | (_, Some(Err(_))) => Err(CliError::Usage(
                "the creator id in ROBLOX_CREATOR_USER_ID / ROBLOX_CREATOR_GROUP_ID is not a number".into(),
            )),
            (None, None) if mock => Ok(Creator::User(1)),
            (None, None) => Err(CliError::Usage(
                "who owns the uploads? pass --user or --group, or set ROBLOX_CREATOR_USER_ID / ROBLOX_CREATOR_GROUP_ID".into(),
            )),
        },
    }
}

fn asset_json(asset: &Asset) -> Value {
    json!({
        "assetId": asset.asset_id.as_ref().map(ToString::to_string),
        "assetType": asset.asset_type.as_ref().map(|t| t.as_str().to_owned()),
        "displayName": asset.display_name,
        "description": asset.description,
        "revisionId": asset.revision_id,
        "moderationState": asset.moderation_result.as_ref().and_then(|m| m.moderation_state.as_ref()).map(|m| format!("{m:?}")),
        "state": asset.state.as_ref().map(|s| format!("{s:?}")),
    })
}

fn asset_text(asset: &Asset) -> String {
    let value = asset_json(asset);
    let field = |k: &str| value.get(k).and_then(Value::as_str).unwrap_or("-").to_owned();
    format!(
        "asset {} ({}) \"{}\" revision {} moderation {} state {}",
        field("assetId"),
        field("assetType"),
        field("displayName"),
        field("revisionId"),
        field("moderationState"),
        field("state")
    )
}

fn version_json(version: &AssetVersion) -> Value {
    json!({
        "version": version.version_number().ok(),
        "path": version.path,
        "published": version.published,
        "moderationState": version.moderation_result.as_ref().and_then(|m| m.moderation_state.as_ref()).map(|m| format!("{m:?}")),
    })
}

fn version_text(version: &AssetVersion) -> String {
    let value = version_json(version);
    format!(
        "version {} {}",
        value["version"],
        value["moderationState"].as_str().unwrap_or("-")
    )
}
