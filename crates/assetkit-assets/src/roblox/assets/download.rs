//! Download Asset: `GET /asset-delivery-api/v1/assetId/{assetId}` (and
//! `.../version/{versionNumber}`) on `https://apis.roblox.com`.

use assetkit_core::{Error, Method, ProgressReporter, Request, Result, Url};
use serde::Deserialize;

use crate::download::{download_ends, fetch};
use crate::roblox::{AssetId, RobloxClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Download Asset: `GET /asset-delivery-api/v1/assetId/{assetId}` (or
/// `.../version/{versionNumber}`), then the bytes.
///
/// Open Cloud's Assets feature answers with a short-lived `location`; the bytes come from
/// there, streamed to a file (a temporary file beside it, renamed once complete) or a
/// writer, with byte progress, the length checked against `Content-Length` and a broken
/// transfer resumed with `Range` (see [`assetkit_core::Download`]). The API key goes to
/// `apis.roblox.com` only, never to the storage host. The usage guide says a Mesh can only
/// be uploaded again from content downloaded this way.
///
/// The Asset Delivery endpoints live at the root of `apis.roblox.com`, beside the Assets
/// API: the client's base URL with its last `assets` segment dropped.
///
/// See also: [Assets](https://create.roblox.com/docs/cloud/reference/features/assets)
/// ("Retrieve asset content") in the Open Cloud reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty asset id.
/// - `NotFound` (404), `Forbidden` (403) without the `legacy-asset:manage` or asset read
///   permission, `Unauthorized` (401), `RateLimited` (429), `Server` (5xx).
/// - `Decode` when the answer names no `location`; `Transport` when the bytes stop short
///   after the retries; `Io` when the file cannot be written.
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::roblox::RobloxClient) -> assetkit::Result<()> {
/// let bytes = client.assets().download(2_205_400_862_u64).version(3).to_path("tree-v3.rbxm").await?;
/// println!("{bytes} bytes");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a download does nothing until `to_path` or `to_writer` is awaited"]
pub struct DownloadAsset {
    client: RobloxClient,
    asset_id: AssetId,
    version: Option<u64>,
    progress: Option<ProgressReporter>,
    options: CallOptions,
}

impl RequestOptions for DownloadAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

/// The Asset Delivery answer.
#[derive(Deserialize)]
struct Delivery {
    location: Option<String>,
}

impl DownloadAsset {
    pub(crate) fn new(client: RobloxClient, asset_id: AssetId) -> Self {
        Self {
            client,
            asset_id,
            version: None,
            progress: None,
            options: CallOptions::default(),
        }
    }

    /// Downloads this version (default: the current one).
    pub fn version(mut self, version_number: u64) -> Self {
        self.version = Some(version_number);
        self
    }

    /// Reports bytes received.
    pub fn progress(mut self, reporter: ProgressReporter) -> Self {
        self.progress = Some(reporter);
        self
    }

    /// Asks Asset Delivery where the bytes are: the short-lived `location`.
    pub async fn location(&self) -> Result<Url> {
        require_non_blank("the asset id", self.asset_id.as_str())?;
        let mut url = self.client.base_url().clone();
        {
            let mut segments = url
                .path_segments_mut()
                .map_err(|()| Error::invalid("the base URL cannot take a path"))?;
            segments.pop_if_empty();
        }
        // The Assets API is at `/assets`; Asset Delivery beside it.
        if url.path().ends_with("/assets")
            && let Ok(mut segments) = url.path_segments_mut()
        {
            segments.pop();
        }
        {
            let mut segments = url
                .path_segments_mut()
                .map_err(|()| Error::invalid("the base URL cannot take a path"))?;
            segments.extend(["asset-delivery-api", "v1", "assetId", self.asset_id.as_str()]);
            if let Some(version) = self.version {
                segments.extend(["version", &version.to_string()]);
            }
        }
        let request = Request::to_url(Method::GET, url).endpoint("roblox.asset_delivery");
        let response = self.client.http().execute(self.options.apply(request)).await?;
        let delivery: Delivery = response.json()?;
        let location = delivery
            .location
            .filter(|l| !l.trim().is_empty())
            .ok_or_else(|| {
                Error::decode("Asset Delivery answer", "it names no `location`", response.body())
            })?;
        Url::parse(&location).map_err(|e| {
            Error::decode(
                "Asset Delivery answer",
                format!("its `location` is not a URL: {e}"),
                response.body(),
            )
        })
    }

    /// The download of the bytes at the `location`.
    async fn located(self) -> Result<assetkit_core::Download> {
        let location = self.location().await?;
        Ok(fetch(self.client.http(), location, self.progress.as_ref()))
    }
}

download_ends!(DownloadAsset);
