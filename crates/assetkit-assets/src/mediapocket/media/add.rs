//! Add Media: `POST /assets/{id}/media`.

use assetkit_core::{Request, Result};
use serde::Serialize;

use crate::mediapocket::MediaPocketClient;
use crate::mediapocket::models::{Asset, check_url_media, optional_asset_from};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Add Media: `POST /assets/{id}/media`.
///
/// Adds media from a URL to an existing asset, sending `{"file_url": ..., "filename": ...}`.
/// Media Pocket downloads the file afterwards; the asset is `processing` meanwhile (see
/// [`AssetsHandler::wait_processed`](crate::mediapocket::AssetsHandler::wait_processed)).
/// The documented answer is `{"ok": "ok"}`: the asset is returned when the body holds one
/// (under `"asset"` or bare), `None` otherwise. Not retried after the request may have
/// reached the server (only 429 and 503), so media is never added twice.
///
/// See also: [Add media to asset](https://tryme.mediapocket.fi/api/docs/V2/assets/add_media.html)
/// in the Media Pocket API v2 reference.
///
/// # Errors
///
/// - [`InvalidRequest`](assetkit_core::Error::InvalidRequest), before sending: an empty
///   asset id, a `file_url` that is not an absolute http(s) URL, an empty `filename`.
/// - `BadRequest` (400, "not a valid HTTP URL"), `NotFound` (404) for an unknown asset,
///   `Unprocessable` (422, missing parameters), `Unauthorized` (401) for a bad key,
///   `RateLimited` (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # use assetkit::mediapocket::MediaPocketClient;
/// # async fn run(client: MediaPocketClient) -> assetkit::Result<()> {
/// client
///     .media()
///     .add_from_url("v_Fa1CZTS56Vkgdoyo4e", "https://www.example.com/jpgfile.jpg", "jpgfile.jpg")
///     .send()
///     .await?;
/// let asset = client.assets().wait_processed("v_Fa1CZTS56Vkgdoyo4e").send().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct AddMediaFromUrl {
    client: MediaPocketClient,
    asset_id: String,
    file_url: String,
    filename: String,
    options: CallOptions,
}

impl RequestOptions for AddMediaFromUrl {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

/// The JSON body of Add Media.
#[derive(Serialize)]
struct AddMediaBody<'a> {
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
            options: CallOptions::default(),
        }
    }

    /// Sends the request; returns the asset when the answer holds it.
    pub async fn send(self) -> Result<Option<Asset>> {
        require_non_blank("the asset id", &self.asset_id)?;
        check_url_media(&self.file_url, &self.filename)?;
        let request = Request::post(&["assets", &self.asset_id, "media"])
            .endpoint("mediapocket.add_media")
            .json(&AddMediaBody {
                file_url: &self.file_url,
                filename: &self.filename,
            })?;
        Ok(optional_asset_from(
            &self.client.http.execute(self.options.apply(request)).await?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_body_is_the_documented_add_media_request() {
        let body = AddMediaBody {
            file_url: "http://www.example.com/jpgfile.jpg",
            filename: "jpgfile.jpg",
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"file_url": "http://www.example.com/jpgfile.jpg", "filename": "jpgfile.jpg"})
        );
    }
}
