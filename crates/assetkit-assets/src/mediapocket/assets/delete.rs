//! Delete Asset: `DELETE /assets/{id}`.

use assetkit_core::{Request, Result};

use crate::mediapocket::MediaPocketClient;
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Delete Asset: `DELETE /assets/{id}`.
///
/// Deletes an asset for good. To keep it recoverable, move it to the trash bin with
/// [`AssetsHandler::trash`](super::AssetsHandler::trash) instead.
///
/// See also: [the Media Pocket API v2 reference](https://tryme.mediapocket.fi/api/docs/V2.html)
/// (the assets section).
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
/// client.assets().delete("v_Fa1CZTS56Vkgdoyo4e").send().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct DeleteAsset {
    client: MediaPocketClient,
    asset_id: String,
    options: CallOptions,
}

impl RequestOptions for DeleteAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl DeleteAsset {
    pub(super) fn new(client: MediaPocketClient, asset_id: String) -> Self {
        Self {
            client,
            asset_id,
            options: CallOptions::default(),
        }
    }

    /// Sends the request. Whatever body the answer carries is ignored.
    pub async fn send(self) -> Result<()> {
        require_non_blank("the asset id", &self.asset_id)?;
        let request = Request::delete(&["assets", &self.asset_id]).endpoint("mediapocket.delete_asset");
        self.client.http.execute(self.options.apply(request)).await?;
        Ok(())
    }
}
