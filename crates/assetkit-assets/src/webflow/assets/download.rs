//! Download Asset: `GET /assets/{asset_id}`, then the file at its `hostedUrl`.

use assetkit_core::{Error, ProgressReporter, Result, Url};

use crate::download::{download_ends, fetch};
use crate::webflow::WebflowClient;
use crate::{CallOptions, RequestOptions};

/// Download Asset: [Get Asset](super::GetAsset) (`GET /assets/{asset_id}`), then the
/// file at its `hostedUrl`.
///
/// Webflow has no download endpoint of its own: an asset's file is public at its
/// `hostedUrl` on Webflow's CDN. The bytes are streamed to a file (a temporary file beside
/// it, renamed once complete) or a writer, with byte progress, the length checked against
/// `Content-Length` and a broken transfer resumed with `Range` (see
/// [`assetkit_core::Download`]). The token goes to the API only, never to the CDN.
///
/// See also: [Get Asset](https://developers.webflow.com/data/reference/assets/assets/get)
/// in the Webflow Data API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty asset id.
/// - What Get Asset answers: `NotFound` (404), `Unauthorized` (401), `Forbidden` (403)
///   without `assets:read`, `RateLimited` (429), `Server` (5xx).
/// - `Decode` when the asset has no `hostedUrl` (an upload whose second step never
///   finished); `Transport` when the bytes stop short after the retries; `Io` when the
///   file cannot be written.
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::webflow::WebflowClient) -> assetkit::Result<()> {
/// let bytes = client.assets().download("63e5889e7fe4eafa7384cea4").to_path("logo.png").await?;
/// println!("{bytes} bytes");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a download does nothing until `to_path` or `to_writer` is awaited"]
pub struct DownloadAsset {
    client: WebflowClient,
    asset_id: String,
    progress: Option<ProgressReporter>,
    options: CallOptions,
}

impl RequestOptions for DownloadAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl DownloadAsset {
    pub(crate) fn new(client: WebflowClient, asset_id: String) -> Self {
        Self {
            client,
            asset_id,
            progress: None,
            options: CallOptions::default(),
        }
    }

    /// Reports bytes received.
    pub fn progress(mut self, reporter: ProgressReporter) -> Self {
        self.progress = Some(reporter);
        self
    }

    /// Where the file is: the asset's `hostedUrl` (Get Asset).
    pub async fn location(&self) -> Result<Url> {
        let mut get = self.client.assets().get(&self.asset_id);
        *get.call_options() = self.options.clone();
        let asset = get.send().await?;
        let hosted = asset.hosted_url.filter(|u| !u.trim().is_empty()).ok_or_else(|| {
            Error::decode(
                "Webflow asset",
                "it has no hostedUrl (was its upload finished?)",
                b"",
            )
        })?;
        Url::parse(&hosted).map_err(|e| {
            Error::decode(
                "Webflow asset",
                format!("its hostedUrl is not a URL: {e}"),
                hosted.as_bytes(),
            )
        })
    }

    async fn located(self) -> Result<assetkit_core::Download> {
        let location = self.location().await?;
        Ok(fetch(self.client.http(), location, self.progress.as_ref()))
    }
}

download_ends!(DownloadAsset);
