//! Get Asset: `GET /assets/{id}`.

use assetkit_core::{Request, Result};

use crate::mediapocket::MediaPocketClient;
use crate::mediapocket::models::{Asset, asset_from};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Get Asset: `GET /assets/{id}`.
///
/// Fetches one asset. The answer may hold the asset under `"asset"` or bare; both are read.
///
/// See also: [the Media Pocket API v2 reference](https://tryme.mediapocket.fi/api/docs/V2.html)
/// (Get asset).
///
/// # Errors
///
/// - [`InvalidRequest`](assetkit_core::Error::InvalidRequest), before sending: an empty id.
/// - `NotFound` (404, "asset not found") for an unknown id, `Unauthorized` (401) for a bad key,
///   `RateLimited` (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # use assetkit::mediapocket::MediaPocketClient;
/// # async fn run(client: MediaPocketClient) -> assetkit::Result<()> {
/// let asset = client.assets().get("v_Fa1CZTS56Vkgdoyo4e").send().await?;
/// println!("{}: {} ({})", asset.id, asset.title, asset.media_type);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct GetAsset {
    client: MediaPocketClient,
    asset_id: String,
    options: CallOptions,
}

impl RequestOptions for GetAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl GetAsset {
    pub(super) fn new(client: MediaPocketClient, asset_id: String) -> Self {
        Self {
            client,
            asset_id,
            options: CallOptions::default(),
        }
    }

    /// Sends the request and returns the asset.
    pub async fn send(self) -> Result<Asset> {
        require_non_blank("the asset id", &self.asset_id)?;
        let request = Request::get(&["assets", &self.asset_id]).endpoint("mediapocket.get_asset");
        asset_from(&self.client.http.execute(self.options.apply(request)).await?)
    }
}
