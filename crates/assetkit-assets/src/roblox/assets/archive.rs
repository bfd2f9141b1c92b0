//! Archive Asset: `POST /v1/assets/{assetId}:archive`.

use assetkit_core::{Request, Result};

use crate::roblox::{Asset, AssetId, RobloxClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Archive Asset: `POST /v1/assets/{assetId}:archive`.
///
/// Archives an asset: it disappears from the website and can no longer be used in
/// experiences until [restored](super::AssetsHandler::restore). Answers with the asset.
///
/// Doing it twice leaves the asset as doing it once, so the request is retried like a GET.
///
/// See also: [Archive Asset](https://create.roblox.com/docs/cloud/reference/features/assets) in
/// the Open Cloud reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty asset id.
/// - `NotFound` (404) for an unknown asset, `Forbidden` (403) without Write permission,
///   `Unauthorized` (401), `RateLimited` (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::roblox::RobloxClient) -> assetkit::Result<()> {
/// let asset = client.assets().archive(2_205_400_862_u64).send().await?;
/// println!("{:?}", asset.state);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct ArchiveAsset {
    client: RobloxClient,
    asset_id: AssetId,
    options: CallOptions,
}

impl RequestOptions for ArchiveAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl ArchiveAsset {
    pub(crate) fn new(client: RobloxClient, asset_id: AssetId) -> Self {
        Self {
            client,
            asset_id,
            options: CallOptions::default(),
        }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<Asset> {
        require_non_blank("the asset id", self.asset_id.as_str())?;
        let segment = format!("{}:archive", self.asset_id);
        let request = Request::post(&["v1", "assets", &segment])
            .idempotent(true)
            .endpoint("roblox.archive_asset");
        self.client.http().execute_json(self.options.apply(request)).await
    }
}
