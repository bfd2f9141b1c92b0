//! POST /assets/{id}/media

use assetkit_core::{Request, Result};
use serde::Serialize;

use crate::mediapocket::MediaPocketClient;
use crate::mediapocket::assets::check_url_media;
use crate::mediapocket::models::{Asset, optional_asset_from};
use crate::require_non_blank;

/// Adds media from a URL to an existing asset: `POST /assets/{id}/media` with
/// `{"file_url": ..., "filename": ...}`.
///
/// Media Pocket downloads the file afterwards; the asset is `processing` meanwhile (see
/// [`AssetsHandler::wait_processed`](crate::mediapocket::AssetsHandler::wait_processed)).
/// The answer's body is not documented: the asset is returned when it holds one (under
/// `"asset"` or bare), `None` otherwise.
///
/// Checked before sending ([`InvalidRequest`](assetkit_core::Error::InvalidRequest)): the
/// asset id is not empty, `file_url` is an absolute http(s) URL, `filename` is not empty.
/// Not retried after the request may have reached the server (only 429 and 503), so media
/// is never added twice.
///
/// ```no_run
/// # use assetkit_assets::mediapocket::MediaPocketClient;
/// # async fn run(client: MediaPocketClient) -> assetkit_core::Result<()> {
/// client
///     .media()
///     .add_from_url("v_Fa1CZTS56Vkgdoyo4e", "https://www.example.com/jpgfile.jpg", "jpgfile.jpg")
///     .send()
///     .await?;
/// let asset = client.assets().wait_processed("v_Fa1CZTS56Vkgdoyo4e").send().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct AddMediaFromUrl {
    client: MediaPocketClient,
    asset_id: String,
    file_url: String,
    filename: String,
}

#[derive(Serialize)]
struct AddBody<'a> {
    file_url: &'a str,
    filename: &'a str,
}

impl AddMediaFromUrl {
    pub(super) fn new(
        client: MediaPocketClient,
        asset_id: String,
        file_url: String,
        filename: String,
    ) -> Self {
        Self {
            client,
            asset_id,
            file_url,
            filename,
        }
    }

    /// Sends the request; returns the asset when the answer holds it.
    pub async fn send(self) -> Result<Option<Asset>> {
        require_non_blank("the asset id", &self.asset_id)?;
        check_url_media(&self.file_url, &self.filename)?;
        let request = Request::post(&["assets", &self.asset_id, "media"])
            .endpoint("mediapocket.add_media")
            .json(&AddBody {
                file_url: &self.file_url,
                filename: &self.filename,
            })?;
        Ok(optional_asset_from(&self.client.http.execute(request).await?))
    }
}
