//! Rollback Asset Version: `POST /v1/assets/{assetId}/versions:rollback`.

use assetkit_core::{Request, Result};
use serde::Serialize;

use crate::roblox::{AssetId, AssetVersion, RobloxClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Rollback Asset Version: `POST /v1/assets/{assetId}/versions:rollback`.
///
/// Makes an earlier version current again. Sends
/// `{"assetVersion": "assets/{assetId}/versions/{versionNumber}"}` and answers with the
/// resulting version. Not retried after the server may have acted on it (each rollback
/// can add a version).
///
/// See also: [Rollback Asset Version](https://create.roblox.com/docs/cloud/reference/features/assets)
/// in the Open Cloud reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty asset id.
/// - `NotFound` (404) when the asset or the version does not exist, `Forbidden` (403)
///   without Write permission, `BadRequest` (400) for a version Roblox refuses,
///   `Unauthorized` (401), `RateLimited` (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::roblox::RobloxClient) -> assetkit::Result<()> {
/// let current = client.assets().rollback(2_205_400_862_u64, 2).send().await?;
/// println!("now at {}", current.version_number()?);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct RollbackAssetVersion {
    client: RobloxClient,
    asset_id: AssetId,
    version_number: u64,
    options: CallOptions,
}

impl RequestOptions for RollbackAssetVersion {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

/// The JSON body of Rollback Asset Version.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RollbackBody {
    asset_version: String,
}

impl RollbackAssetVersion {
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
        let body = RollbackBody {
            asset_version: format!("assets/{}/versions/{}", self.asset_id, self.version_number),
        };
        let segment = "versions:rollback";
        let request = Request::post(&["v1", "assets", self.asset_id.as_str(), segment])
            .json(&body)?
            .endpoint("roblox.rollback_asset_version");
        self.client.http().execute_json(self.options.apply(request)).await
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_body_names_the_version_path() {
        let body = RollbackBody {
            asset_version: "assets/2205400862/versions/2".to_owned(),
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"assetVersion": "assets/2205400862/versions/2"})
        );
    }
}
