//! Remove Media: `DELETE /assets/{id}/media`.

use assetkit_core::{ApiError, Error, Request, Result};
use serde_json::Value;

use crate::mediapocket::models::asset_from;
use crate::mediapocket::{Asset, MediaPocketClient, VENDOR};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Remove Media: `DELETE /assets/{id}/media`.
///
/// Removes an asset's media (its files), keeping the asset, and answers the asset as it
/// is afterwards.
///
/// The page documents a 200 whose body carries an `errors` object beside the asset
/// (`{"asset": {...}, "errors": {"error": "No media found on this asset.", "status":
/// 400}}`): such an answer is read as the error it states, here `BadRequest` with that
/// message, since nothing was removed.
///
/// See also: [Remove media](https://tryme.mediapocket.fi/api/docs/V2/assets/remove_media.html)
/// in the Media Pocket API v2 reference.
///
/// # Errors
///
/// - [`InvalidRequest`](assetkit_core::Error::InvalidRequest), before sending: an empty id.
/// - `NotFound` (404, `{"error": "asset not found"}`), `BadRequest` for an asset with no
///   media (see above), `Unauthorized` (401), `RateLimited` (429), `Server` (5xx);
///   `Decode` for an answer that holds no asset.
///
/// # Examples
///
/// ```no_run
/// # use assetkit::mediapocket::MediaPocketClient;
/// # async fn run(client: MediaPocketClient) -> assetkit::Result<()> {
/// let asset = client.media().remove("faNNZ8yt0dUA8dWA0-WW").send().await?;
/// println!("{} has no media now", asset.id);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct RemoveMedia {
    client: MediaPocketClient,
    asset_id: String,
    options: CallOptions,
}

impl RequestOptions for RemoveMedia {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl RemoveMedia {
    pub(super) fn new(client: MediaPocketClient, asset_id: String) -> Self {
        Self {
            client,
            asset_id,
            options: CallOptions::default(),
        }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<Asset> {
        require_non_blank("the asset id", &self.asset_id)?;
        let request =
            Request::delete(&["assets", &self.asset_id, "media"]).endpoint("mediapocket.remove_media");
        let response = self.client.http.execute(self.options.apply(request)).await?;
        if let Some(refusal) = stated_error(response.body()) {
            return Err(refusal);
        }
        asset_from(&response)
    }
}

/// The error a successful answer states in its `errors` object, if it states one.
fn stated_error(body: &[u8]) -> Option<Error> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let errors = value.get("errors")?;
    let status = errors
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| *s >= 400)?;
    let message = errors
        .get("error")
        .and_then(Value::as_str)
        .unwrap_or("the answer states an error");
    Some(Error::from_api(ApiError::with_message(VENDOR, status, message)))
}
