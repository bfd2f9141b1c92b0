//! Restore Asset: `POST /v1/assets/{assetId}:restore`.

use assetkit_core::{Request, Result};

use crate::roblox::{Asset, AssetId, RobloxClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Restore Asset: `POST /v1/assets/{assetId}:restore`.
///
/// Restores an archived asset. Answers with the asset.
///
/// Doing it twice leaves the asset as doing it once, so the request is retried like a GET.
///
/// See also: [Restore Asset](https://create.roblox.com/docs/cloud/reference/features/assets) in
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
/// let asset = client.assets().restore(2_205_400_862_u64).send().await?;
/// println!("{:?}", asset.state);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct RestoreAsset {
    client: RobloxClient,
    asset_id: AssetId,
    options: CallOptions,
}

impl RequestOptions for RestoreAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl RestoreAsset {
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
        let segment = format!("{}:restore", self.asset_id);
        let request = Request::post(&["v1", "assets", &segment])
            .idempotent(true)
            .endpoint("roblox.restore_asset");
        self.client.http().execute_json(self.options.apply(request)).await
    }
}
