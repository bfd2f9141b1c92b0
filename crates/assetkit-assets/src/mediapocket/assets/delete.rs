//! DELETE /assets/{id}

use assetkit_core::{Request, Result};

use crate::mediapocket::MediaPocketClient;
use crate::require_non_blank;

/// Deletes an asset for good: `DELETE /assets/{id}`.
///
/// To keep it recoverable, move it to the trash bin with
/// [`AssetsHandler::trash`](super::AssetsHandler::trash) instead. Errors: `NotFound` for an
/// unknown id; an empty id is an [`InvalidRequest`](assetkit_core::Error::InvalidRequest).
///
/// ```no_run
/// # use assetkit_assets::mediapocket::MediaPocketClient;
/// # async fn run(client: MediaPocketClient) -> assetkit_core::Result<()> {
/// client.assets().delete("v_Fa1CZTS56Vkgdoyo4e").send().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct DeleteAsset {
    client: MediaPocketClient,
    asset_id: String,
}

impl DeleteAsset {
    pub(super) fn new(client: MediaPocketClient, asset_id: String) -> Self {
        Self { client, asset_id }
    }

    /// Sends the request. Whatever body the answer carries is ignored.
    pub async fn send(self) -> Result<()> {
        require_non_blank("the asset id", &self.asset_id)?;
        let request = Request::delete(&["assets", &self.asset_id]).endpoint("mediapocket.delete_asset");
        self.client.http.execute(request).await?;
        Ok(())
    }
}
