//! List Media: `GET /assets/{id}/media`.

use assetkit_core::{Request, Result};

use crate::mediapocket::MediaPocketClient;
use crate::mediapocket::models::{Media, media_from};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// List Media: `GET /assets/{id}/media`.
///
/// An asset's media and their preview URLs. The answer's shape is not documented, so it is
/// read leniently: a bare array, `{"media": [...]}` (or one object there), an object with a
/// single array field, or one media object. Each item keeps every field as sent in
/// [`Media::fields`]. The endpoint takes no paging parameters: one request answers all.
///
/// See also: [the Media Pocket API v2 reference](https://tryme.mediapocket.fi/api/docs/V2.html)
/// (Get asset media and preview URLs).
///
/// # Errors
///
/// - [`InvalidRequest`](assetkit_core::Error::InvalidRequest), before sending: an empty id.
/// - `NotFound` (404) for an unknown id, `Unauthorized` (401) for a bad key,
///   `RateLimited` (429), `Server` (5xx).; `Decode` for an
///   answer that holds no media list.
///
/// # Examples
///
/// ```no_run
/// # use assetkit::mediapocket::MediaPocketClient;
/// # async fn run(client: MediaPocketClient) -> assetkit::Result<()> {
/// for media in client.media().list("v_Fa1CZTS56Vkgdoyo4e").send().await? {
///     println!("{:?} {:?}", media.filename, media.url);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct ListMedia {
    client: MediaPocketClient,
    asset_id: String,
    options: CallOptions,
}

impl RequestOptions for ListMedia {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl ListMedia {
    pub(super) fn new(client: MediaPocketClient, asset_id: String) -> Self {
        Self {
            client,
            asset_id,
            options: CallOptions::default(),
        }
    }

    /// Sends the request and returns the media items.
    pub async fn send(self) -> Result<Vec<Media>> {
        require_non_blank("the asset id", &self.asset_id)?;
        let request = Request::get(&["assets", &self.asset_id, "media"]).endpoint("mediapocket.list_media");
        media_from(&self.client.http.execute(self.options.apply(request)).await?)
    }
}
