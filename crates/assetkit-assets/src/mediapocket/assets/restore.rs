//! Restore Asset: `POST /assets/{id}/restore`.

use assetkit_core::{Request, Result};

use crate::mediapocket::MediaPocketClient;
use crate::mediapocket::models::{Asset, optional_asset_from};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Restore Asset: `POST /assets/{id}/restore`.
///
/// Takes an asset back out of the trash bin. The answer's body is not documented: the
/// asset is returned when the body holds one (under `"asset"` or bare), `None` otherwise.
///
/// See also: [the Media Pocket API v2 reference](https://tryme.mediapocket.fi/api/docs/V2.html)
/// (Restores asset from trash bin).
///
/// # Errors
///
/// - [`InvalidRequest`](assetkit_core::Error::InvalidRequest), before sending: an empty id.
/// - `NotFound` (404) for an unknown id, `Unauthorized` (401) for a bad key,
///   `RateLimited` (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # use assetkit::mediapocket::MediaPocketClient;
/// # async fn run(client: MediaPocketClient) -> assetkit::Result<()> {
/// client.assets().restore("v_Fa1CZTS56Vkgdoyo4e").send().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct RestoreAsset {
    client: MediaPocketClient,
    asset_id: String,
    options: CallOptions,
}

impl RequestOptions for RestoreAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl RestoreAsset {
    pub(super) fn new(client: MediaPocketClient, asset_id: String) -> Self {
        Self {
            client,
            asset_id,
            options: CallOptions::default(),
        }
    }

    /// Sends the request; returns the asset when the answer holds it.
    pub async fn send(self) -> Result<Option<Asset>> {
        require_non_blank("the asset id", &self.asset_id)?;
        // Restoring twice leaves it restored: safe to retry.
        let request = Request::post(&["assets", &self.asset_id, "restore"])
            .idempotent(true)
            .endpoint("mediapocket.restore_asset");
        Ok(optional_asset_from(
            &self.client.http.execute(self.options.apply(request)).await?,
        ))
    }
}
