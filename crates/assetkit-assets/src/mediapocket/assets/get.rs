//! GET /assets/{id}

use assetkit_core::{Request, Result};

use crate::mediapocket::MediaPocketClient;
use crate::mediapocket::models::{Asset, asset_from};
use crate::require_non_blank;

/// Fetches one asset: `GET /assets/{id}`.
///
/// The answer may hold the asset under `"asset"` or bare; both are read. Errors: `NotFound`
/// for an unknown id; an empty id is an [`InvalidRequest`](assetkit_core::Error::InvalidRequest).
///
/// ```no_run
/// # use assetkit_assets::mediapocket::MediaPocketClient;
/// # async fn run(client: MediaPocketClient) -> assetkit_core::Result<()> {
/// let asset = client.assets().get("v_Fa1CZTS56Vkgdoyo4e").send().await?;
/// println!("{}: {} ({})", asset.id, asset.title, asset.media_type);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct GetAsset {
    client: MediaPocketClient,
    asset_id: String,
}

impl GetAsset {
    pub(super) fn new(client: MediaPocketClient, asset_id: String) -> Self {
        Self { client, asset_id }
    }

    /// Sends the request and returns the asset.
    pub async fn send(self) -> Result<Asset> {
        require_non_blank("the asset id", &self.asset_id)?;
        let request = Request::get(&["assets", &self.asset_id]).endpoint("mediapocket.get_asset");
        asset_from(&self.client.http.execute(request).await?)
    }
}
