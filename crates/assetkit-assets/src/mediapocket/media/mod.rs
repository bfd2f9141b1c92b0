//! The media endpoints of an asset: one file per verb.

mod add;
mod list;

pub use add::AddMediaFromUrl;
pub use list::ListMedia;

use super::MediaPocketClient;

/// The media endpoints of Media Pocket; from [`MediaPocketClient::media`].
#[derive(Clone, Debug)]
pub struct MediaHandler {
    client: MediaPocketClient,
}

impl MediaHandler {
    pub(super) fn new(client: MediaPocketClient) -> Self {
        Self { client }
    }

    /// Add Media: `POST /assets/{id}/media`, downloaded from `file_url` and stored as
    /// `filename`. See [`AddMediaFromUrl`].
    pub fn add_from_url(
        &self,
        asset_id: impl Into<String>,
        file_url: impl Into<String>,
        filename: impl Into<String>,
    ) -> AddMediaFromUrl {
        AddMediaFromUrl::new(
            self.client.clone(),
            asset_id.into(),
            file_url.into(),
            filename.into(),
        )
    }

    /// List Media: `GET /assets/{id}/media`. See [`ListMedia`].
    pub fn list(&self, asset_id: impl Into<String>) -> ListMedia {
        ListMedia::new(self.client.clone(), asset_id.into())
    }
}
