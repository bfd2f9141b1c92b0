//! Get Asset Version: `GET /v1/assets/{assetId}/versions/{versionNumber}`.

use assetkit_core::{Request, Result};

use crate::roblox::{AssetId, AssetVersion, RobloxClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Get Asset Version: `GET /v1/assets/{assetId}/versions/{versionNumber}`.
///
/// One version of an asset: its number, creation context and moderation result.
///
/// See also: [Get Asset Version](https://create.roblox.com/docs/cloud/reference/features/assets)
/// in the Open Cloud reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty asset id.
/// - `NotFound` (404) when the asset or the version does not exist, `Forbidden` (403)
///   without Read permission, `Unauthorized` (401), `RateLimited` (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::roblox::RobloxClient) -> assetkit::Result<()> {
/// let version = client.assets().version(2_205_400_862_u64, 3).send().await?;
/// println!("{:?}", version.moderation_result);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct GetAssetVersion {
    client: RobloxClient,
    asset_id: AssetId,
    version_number: u64,
    options: CallOptions,
}

impl RequestOptions for GetAssetVersion {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl GetAssetVersion {
    pub(crate) fn new(client: RobloxClient, asset_id: AssetId, version_number: u64) -> Self {
        Self {
            client,
            asset_id,
            version_number,
            options: CallOptions::default(),
        }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<AssetVersion> {
        require_non_blank("the asset id", self.asset_id.as_str())?;
        let version = self.version_number.to_string();
        let request = Request::get(&["v1", "assets", self.asset_id.as_str(), "versions", &version])
            .endpoint("roblox.get_asset_version");
        self.client.http().execute_json(self.options.apply(request)).await
    }
}
