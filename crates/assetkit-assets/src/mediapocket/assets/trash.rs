//! POST /assets/{id}/trash_bin

use assetkit_core::{Request, Result};

use crate::mediapocket::MediaPocketClient;
use crate::mediapocket::models::{Asset, optional_asset_from};
use crate::require_non_blank;

/// Moves an asset to the trash bin: `POST /assets/{id}/trash_bin`.
///
/// [`AssetsHandler::restore`](super::AssetsHandler::restore) takes it back out. The answer's
/// body is not documented: the asset is returned when the body holds one (under `"asset"` or
/// bare), `None` otherwise. Errors: `NotFound` for an unknown id; an empty id is an
/// [`InvalidRequest`](assetkit_core::Error::InvalidRequest).
///
/// ```no_run
/// # use assetkit_assets::mediapocket::MediaPocketClient;
/// # async fn run(client: MediaPocketClient) -> assetkit_core::Result<()> {
/// if let Some(asset) = client.assets().trash("v_Fa1CZTS56Vkgdoyo4e").send().await? {
///     println!("trashed at {:?}", asset.deleted);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct TrashAsset {
    client: MediaPocketClient,
    asset_id: String,
}

impl TrashAsset {
    pub(super) fn new(client: MediaPocketClient, asset_id: String) -> Self {
        Self { client, asset_id }
    }

    /// Sends the request; returns the asset when the answer holds it.
    pub async fn send(self) -> Result<Option<Asset>> {
        require_non_blank("the asset id", &self.asset_id)?;
        // Moving to the trash twice leaves it in the trash: safe to retry.
        let request = Request::post(&["assets", &self.asset_id, "trash_bin"])
            .idempotent(true)
            .endpoint("mediapocket.trash_asset");
        Ok(optional_asset_from(&self.client.http.execute(request).await?))
    }
}
