//! Rollback Asset Version: `POST /v1/assets/{assetId}/versions:rollback`.

use assetkit_core::{Request, Result};
use serde::Serialize;

use crate::require_non_blank;
use crate::roblox::{AssetId, AssetVersion, RobloxClient};

/// Rollback Asset Version: `POST /v1/assets/{assetId}/versions:rollback`.
///
/// Makes an earlier version current again. Sends
/// `{"assetVersion": "assets/{assetId}/versions/{versionNumber}"}` and answers with the
/// resulting version. Fails with `NotFound` when the asset or version does not exist.
/// Not retried after the server may have acted on it (each rollback can add a version).
///
/// ```no_run
/// # async fn run(client: assetkit_assets::roblox::RobloxClient) -> assetkit_core::Result<()> {
/// let current = client.assets().rollback(2_205_400_862_u64, 2).send().await?;
/// println!("now at {:?}", current.version_number());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct RollbackAssetVersion {
    client: RobloxClient,
    asset_id: AssetId,
    version_number: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RollbackRequest {
    asset_version: String,
}

impl RollbackAssetVersion {
    pub(crate) fn new(client: RobloxClient, asset_id: AssetId, version_number: u64) -> Self {
        Self {
            client,
            asset_id,
            version_number,
        }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<AssetVersion> {
        require_non_blank("the asset id", self.asset_id.as_str())?;
        let body = RollbackRequest {
            asset_version: format!("assets/{}/versions/{}", self.asset_id, self.version_number),
        };
        let segment = "versions:rollback";
        let request = Request::post(&["v1", "assets", self.asset_id.as_str(), segment])
            .json(&body)?
            .endpoint("roblox.rollback_asset_version");
        self.client.http().execute_json(request).await
    }
}
