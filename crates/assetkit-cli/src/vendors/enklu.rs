//! `assetkit enklu ...`

use std::path::PathBuf;

use crate::mock::{self, Fake};
use assetkit::enklu::EnkluClient;
use assetkit::{Error, UploadSource};
use clap::Subcommand;

use super::{host_label, settings, upload_batch};
use crate::batch::{Failure, Landing, Uploaded, data};
use crate::exit::Exit;
use crate::output::Output;
use crate::{CliError, Global, env, env_opt, setting};

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Upload files (or every file in folders) as new assets, or as a new version of one.
    ///
    /// Enklu has no folders: each file becomes an asset named after its file name,
    /// wherever it sits. Two files that would share a name are refused before anything is
    /// sent. Hidden files are skipped.
    Upload {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Upload a new version of this asset instead (one file only).
        #[arg(long, value_name = "ASSET_ID")]
        asset_id: Option<String>,
        /// The sign-in host (default: ENKLU_AUTH_URL, then Enklu's).
        #[arg(long, value_name = "URL")]
        auth_url: Option<String>,
        /// The assets host (default: ENKLU_ASSETS_URL, then --base-url, then Enklu's).
        #[arg(long, value_name = "URL")]
        assets_url: Option<String>,
    },
}

pub(crate) async fn run(global: &Global, out: &Output, command: Command) -> Result<Exit, CliError> {
    let out = *out;
    let Command::Upload {
        paths,
        asset_id,
        auth_url,
        assets_url,
    } = command;
    let (client, app, assets_url, _fake) = connect(global, auth_url, assets_url).await?;
    if asset_id.is_some() && paths.len() != 1 {
        return Err(
            Error::invalid("--asset-id uploads a new version of one asset: give exactly one file").into(),
        );
    }
    let target = format!("enklu app {app} at {}", host_label(global, &assets_url));
    upload_batch(global, out, (&target, Landing::FileName), &paths, |job, step| {
        let (client, asset_id) = (client.clone(), asset_id.clone());
        async move {
            let source = UploadSource::path(&job.path);
            let earlier = step.resume().and_then(|r| r.text("qquuid")).map(str::to_owned);
            let upload = match (asset_id, earlier) {
                (Some(id), _) => client.assets().update(id, source),
                // The same qquuid as the earlier run: a new version of the asset it
                // may have made, never a second asset.
                (None, Some(qquuid)) => client.assets().update(qquuid, source),
                (None, None) => {
                    let upload = client.assets().upload(source);
                    step.remember(data([("qquuid", upload.qquuid())]))
                        .map_err(Failure::Fatal)?;
                    upload
                }
            };
            let result = upload.progress(step.progress()).send().await;
            Ok(Uploaded {
                id: result?.to_string(),
                detail: String::new(),
            })
        }
    })
    .await
    .map_err(CliError::from)
}

/// The client (with its app id and assets URL), and the fake it talks to under `--mock`.
pub(crate) async fn connect(
    global: &Global,
    auth_url: Option<String>,
    assets_url: Option<String>,
) -> Result<(EnkluClient, String, String, Option<mock::Mock>), CliError> {
    let fake = mock::start_if(global.mock, Fake::Enklu).await?;
    let (auth_url, assets_url, email, password, app) = match &fake {
        Some(fake) => (
            fake.auth_url.clone(),
            fake.base_url.clone(),
            fake.key.clone(),
            fake.password.clone(),
            fake.scope.clone(),
        ),
        None => (
            auth_url
                .or_else(|| env_opt("ENKLU_AUTH_URL"))
                .unwrap_or_else(|| EnkluClient::DEFAULT_AUTH_URL.to_owned()),
            assets_url
                .or_else(|| env_opt("ENKLU_ASSETS_URL"))
                .or_else(|| global.base_url.clone())
                .unwrap_or_else(|| EnkluClient::DEFAULT_ASSETS_URL.to_owned()),
            env("ENKLU_EMAIL", "your Enklu account email")?,
            env("ENKLU_PASSWORD", "your Enklu password")?,
            setting("ENKLU_APP_ID", "the experience (app) id", None)?,
        ),
    };
    let plain_http = auth_url.starts_with("http://") || assets_url.starts_with("http://");
    let client = EnkluClient::builder()
        .credentials(email, password)
        .app_id(app.clone())
        .auth_url(&auth_url)
        .assets_url(&assets_url)
        .allow_http(plain_http)
        .settings(settings(global, if plain_http { "http://" } else { "https://" }))
        .build()?;
    Ok((client, app, assets_url, fake))
}
