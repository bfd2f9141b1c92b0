//! `assetkit webflow ...`

use std::path::PathBuf;

use crate::mock::{self, Fake};
use assetkit::webflow::{Asset, AssetFolder, WebflowClient};
use assetkit::{Error, UploadSource};
use clap::Subcommand;
use futures::StreamExt;
use serde_json::{Value, json};

use super::{settings, upload_batch};
use crate::batch::Uploaded;
use crate::exit::Exit;
use crate::output::Output;
use crate::{CliError, Global, base_url_and_credential, env_opt};

/// The site every mock command uses.
const MOCK_SITE: &str = "580e63e98c9a982ac9b8b741";

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Upload files (or every file in folders): MD5, Webflow step 1, then the S3 form post.
    Upload {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Put the assets in this asset folder.
        #[arg(long, value_name = "FOLDER_ID")]
        folder: Option<String>,
        /// The site (default: WEBFLOW_SITE_ID).
        #[arg(long)]
        site: Option<String>,
    },
    /// Show an asset.
    Get {
        /// The asset id.
        id: String,
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

pub(crate) async fn run(global: &Global, out: &Output, command: Command) -> Result<Exit, CliError> {
    let out = *out;
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
    let site = |given: Option<String>| -> Result<String, CliError> {
        match (given, &fake) {
            (Some(site), _) => Ok(site),
            (None, Some(_)) => Ok(MOCK_SITE.to_owned()),
            (None, None) => env_opt("WEBFLOW_SITE_ID")
                .ok_or_else(|| Error::invalid("which site? pass --site or set WEBFLOW_SITE_ID").into()),
        }
    };
    match command {
        Command::Upload {
            paths,
            folder,
            site: given,
        } => upload(global, out, &client, &site(given)?, folder, &paths).await,
        Command::Get { id } => {
            let asset = client.assets().get(id).send().await?;
            out.show(&asset_text(&asset), &asset_json(&asset));
            Ok(Exit::Ok)
        }
        Command::List { site: given } => {
            let mut pages = client.assets().list(site(given)?).into_pages();
            let mut all = Vec::new();
            while let Some(page) = pages.next().await {
                all.extend(page?.assets);
            }
            let text = all.iter().map(asset_text).collect::<Vec<_>>().join("\n");
            out.show(
                &format!("{text}\n{} assets", all.len()),
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

/// Uploads every file with the one-call two-step upload.
async fn upload(
    global: &Global,
    out: Output,
    client: &WebflowClient,
    site: &str,
    folder: Option<String>,
    paths: &[PathBuf],
) -> Result<Exit, CliError> {
    let target = format!("webflow site {site} at {}", client.base_url());
    upload_batch(
        global,
        out,
        &target,
        paths,
        || client.rate_limit(),
        |job, progress| {
            let (client, site, folder) = (client.clone(), site.to_owned(), folder.clone());
            async move {
                let mut upload = client
                    .assets()
                    .upload(site, UploadSource::path(&job.path))
                    .progress(progress);
                if let Some(folder) = folder {
                    upload = upload.parent_folder(folder);
                }
                let result = upload.send().await;
                let uploaded = result?;
                Ok(Uploaded {
                    id: uploaded.asset.id.clone(),
                    detail: uploaded.asset.hosted_url.unwrap_or_default(),
                })
            }
        },
    )
    .await
    .map_err(CliError::from)
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
