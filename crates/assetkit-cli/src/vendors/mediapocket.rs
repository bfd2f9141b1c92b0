//! `assetkit mediapocket ...`

use std::path::PathBuf;

use crate::mock::{self, Fake};
use assetkit::mediapocket::{Asset, AssetMedia, MediaPocketClient};
use clap::Subcommand;
use serde_json::{Value, json};

use super::{downloaded, settings};
use crate::exit::Exit;
use crate::output::Output;
use crate::{CliError, Global, env, env_opt, setting};

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create an asset in a project: a placeholder, or media fetched from a URL.
    Create {
        /// The title (required by Media Pocket).
        #[arg(long)]
        title: String,
        /// Media to fetch, as an http(s) URL.
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// The file name of the media (default: the URL's last segment).
        #[arg(long, requires = "url")]
        filename: Option<String>,
        /// Description.
        #[arg(long)]
        description: Option<String>,
        /// Tags (repeat the flag for more).
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// The project id (default: MEDIAPOCKET_PROJECT).
        #[arg(long)]
        project: Option<String>,
        /// Wait until the media is processed.
        #[arg(long)]
        wait: bool,
    },
    /// Show an asset.
    Get {
        /// The asset id.
        id: String,
    },
    /// Wait until an asset's media is processed, then show it.
    Wait {
        /// The asset id.
        id: String,
    },
    /// Move an asset to the trash bin.
    Trash {
        /// The asset id.
        id: String,
    },
    /// Restore an asset from the trash bin.
    Restore {
        /// The asset id.
        id: String,
    },
    /// Delete an asset for good.
    Delete {
        /// The asset id.
        id: String,
    },
    /// Download one of an asset's media (from its download URL) to a file.
    Download {
        /// The asset id.
        id: String,
        /// The media id (see `get`).
        media: String,
        /// Where to write it (renamed into place once complete).
        #[arg(long, short = 'o', value_name = "PATH")]
        output: PathBuf,
    },
}

pub(crate) async fn run(global: &Global, out: &Output, command: Command) -> Result<Exit, CliError> {
    let out = *out;
    let fake = mock::start_if(global.mock, Fake::MediaPocket).await?;
    let (base_url, key) = if let Some(fake) = &fake {
        (fake.base_url.clone(), fake.key.clone())
    } else {
        let base = match global
            .base_url
            .clone()
            .or_else(|| env_opt("MEDIAPOCKET_BASE_URL"))
        {
            Some(base) => base,
            None => setting(
                "MEDIAPOCKET_BASE_URL",
                "https://<tenant>.mediapocket.fi/api/v2",
                Some("--base-url"),
            )?,
        };
        (base, env("MEDIAPOCKET_API_KEY", "a Media Pocket API key")?)
    };
    let client = MediaPocketClient::builder()
        .api_key(key)
        .base_url(&base_url)
        .settings(settings(global, &base_url))
        .build()?;
    let asset = match command {
        Command::Create {
            title,
            url,
            filename,
            description,
            tags,
            project,
            wait,
        } => {
            let project = match (project, &fake) {
                (Some(project), _) => project,
                (None, Some(fake)) => fake.scope.clone(),
                (None, None) => setting("MEDIAPOCKET_PROJECT", "a project id", Some("--project"))?,
            };
            let mut create = client.assets().create(project, title).tags(tags);
            if let Some(description) = description {
                create = create.description(description);
            }
            if let Some(url) = url {
                let name = filename.unwrap_or_else(|| {
                    url.rsplit('/')
                        .next()
                        .filter(|n| !n.is_empty())
                        .unwrap_or("media")
                        .to_owned()
                });
                create = create.media(AssetMedia::url(url, name));
            }
            let created = create.send().await?;
            if wait && created.is_processing() {
                out.note(&format!(
                    "created {}; waiting for its media to be processed...",
                    created.id
                ));
                client.assets().wait_processed(&created.id).send().await?
            } else {
                created
            }
        }
        Command::Get { id } => client.assets().get(id).send().await?,
        Command::Wait { id } => client.assets().wait_processed(id).send().await?,
        Command::Trash { id } => {
            client.assets().trash(&id).send().await?;
            client.assets().get(id).send().await?
        }
        Command::Restore { id } => {
            client.assets().restore(&id).send().await?;
            client.assets().get(id).send().await?
        }
        Command::Delete { id } => {
            client.assets().delete(&id).send().await?;
            out.show(&format!("deleted {id}"), &json!({"deleted": id}));
            return Ok(Exit::Ok);
        }
        Command::Download { id, media, output } => {
            let bytes = client.media().download(&id, media).to_path(&output).await?;
            return Ok(downloaded(out, &id, &output, bytes));
        }
    };
    out.show(&asset_text(&asset), &asset_json(&asset));
    Ok(Exit::Ok)
}

fn asset_json(asset: &Asset) -> Value {
    json!({
        "id": asset.id,
        "project_id": asset.project_id,
        "title": asset.title,
        "description": asset.description,
        "tags": asset.tags,
        "status": asset.status,
        "media_type": asset.media_type.as_str(),
        "original_filename": asset.original_filename,
        "deleted": asset.is_deleted(),
    })
}

fn asset_text(asset: &Asset) -> String {
    format!(
        "asset {} \"{}\" in {}: {} ({}){}",
        asset.id,
        asset.title,
        asset.project_id,
        asset.media_type,
        asset.status,
        if asset.is_deleted() {
            ", in the trash bin"
        } else {
            ""
        }
    )
}
