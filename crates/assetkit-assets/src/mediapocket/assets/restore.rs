//! POST /assets/{id}/restore

use assetkit_core::{Request, Result};

use crate::mediapocket::MediaPocketClient;
use crate::mediapocket::models::{Asset, optional_asset_from};
use crate::require_non_blank;

/// Takes an asset back out of the trash bin: `POST /assets/{id}/restore`.
///
/// The answer's body is not documented: the asset is returned when the body holds one
/// (under `"asset"` or bare), `None` otherwise. Errors: `NotFound` for an unknown id; an
/// empty id is an [`InvalidRequest`](assetkit_core::Error::InvalidRequest).
///
/// ```no_run
/// # use assetkit_assets::mediapocket::MediaPocketClient;
/// # async fn run(client: MediaPocketClient) -> assetkit_core::Result<()> {
/// client.assets().restore("v_Fa1CZTS56Vkgdoyo4e").send().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct RestoreAsset {
    client: MediaPocketClient,
    asset_id: String,
}

impl RestoreAsset {
    pub(super) fn new(client: MediaPocketClient, asset_id: String) -> Self {
        Self { client, asset_id }
    }

    /// Sends the request; returns the asset when the answer holds it.
    pub async fn send(self) -> Result<Option<Asset>> {
        require_non_blank("the asset id", &self.asset_id)?;
        // Restoring twice leaves it restored: safe to retry.
        let request = Request::post(&["assets", &self.asset_id, "restore"])
            .idempotent(true)
            .endpoint("mediapocket.restore_asset");
        Ok(optional_asset_from(&self.client.http.execute(request).await?))
    }
}
