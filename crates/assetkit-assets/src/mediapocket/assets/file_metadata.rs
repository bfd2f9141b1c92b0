//! Get File Metadata: `GET /assets/{id}/file_metadata`.

use assetkit_core::{Error, Request, Result};
use serde_json::Value;

use crate::mediapocket::MediaPocketClient;
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Get File Metadata: `GET /assets/{id}/file_metadata`.
///
/// The metadata of the asset's original file: EXIF, IPTC and XMP, and mediainfo's
/// reading of it. Media Pocket's index names the endpoint without its answer's shape, and
/// what a file carries varies with the file, so it comes back as the JSON sent.
///
/// See also: [the Media Pocket API v2 reference](https://tryme.mediapocket.fi/api/docs/V2.html)
/// ("Get file metadata for assets original file").
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty id.
/// - `NotFound` (404), `Unauthorized` (401), `RateLimited` (429), `Server` (5xx);
///   `Decode` for an answer that is not JSON.
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::mediapocket::MediaPocketClient) -> assetkit::Result<()> {
/// let metadata = client.assets().file_metadata("faNNZ8yt0dUA8dWA0-WW").send().await?;
/// println!("{}", metadata["exif"]["Model"]);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct GetFileMetadata {
    client: MediaPocketClient,
    asset_id: String,
    options: CallOptions,
}

impl RequestOptions for GetFileMetadata {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl GetFileMetadata {
    pub(super) fn new(client: MediaPocketClient, asset_id: String) -> Self {
        Self {
            client,
            asset_id,
            options: CallOptions::default(),
        }
    }

    /// Sends the request; answers the metadata as sent.
    pub async fn send(self) -> Result<Value> {
        require_non_blank("the asset id", &self.asset_id)?;
        let request =
            Request::get(&["assets", &self.asset_id, "file_metadata"]).endpoint("mediapocket.file_metadata");
        let response = self.client.http.execute(self.options.apply(request)).await?;
        let body = response.body();
        serde_json::from_slice(body).map_err(|e| Error::decode_json("Media Pocket file metadata", e, body))
    }
}
