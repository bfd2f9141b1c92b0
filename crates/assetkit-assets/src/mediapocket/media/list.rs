//! GET /assets/{id}/media

use assetkit_core::{Request, Result};

use crate::mediapocket::MediaPocketClient;
use crate::mediapocket::models::{Media, media_from};
use crate::require_non_blank;

/// Lists an asset's media: `GET /assets/{id}/media`.
///
/// The answer's shape is not documented, so it is read leniently: a bare array, `{"media":
/// [...]}` (or one object there), an object with a single array field, or one media object.
/// Each item keeps every field as sent in [`Media::fields`]. Errors: `NotFound` for an
/// unknown id; an empty id is an [`InvalidRequest`](assetkit_core::Error::InvalidRequest).
///
/// ```no_run
/// # use assetkit_assets::mediapocket::MediaPocketClient;
/// # async fn run(client: MediaPocketClient) -> assetkit_core::Result<()> {
/// for media in client.media().list("v_Fa1CZTS56Vkgdoyo4e").send().await? {
///     println!("{:?} {:?}", media.filename, media.url);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ListMedia {
    client: MediaPocketClient,
    asset_id: String,
}

impl ListMedia {
    pub(super) fn new(client: MediaPocketClient, asset_id: String) -> Self {
        Self { client, asset_id }
    }

    /// Sends the request and returns the media items.
    pub async fn send(self) -> Result<Vec<Media>> {
        require_non_blank("the asset id", &self.asset_id)?;
        let request = Request::get(&["assets", &self.asset_id, "media"]).endpoint("mediapocket.list_media");
        media_from(&self.client.http.execute(request).await?)
    }
}
