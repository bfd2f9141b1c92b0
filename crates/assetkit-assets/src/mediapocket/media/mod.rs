//! The media endpoints of an asset: one file per verb.

mod add;
mod download;
mod list;
mod remove;

pub use add::AddMediaFromUrl;
pub use download::{DownloadMedia, GetDownloadUrl};
pub use list::ListMedia;
pub use remove::RemoveMedia;

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

    /// Get Media Download URL: `GET /assets/{id}/media/{media_id}/download_url`. See
    /// [`GetDownloadUrl`].
    pub fn download_url(&self, asset_id: impl Into<String>, media_id: impl Into<String>) -> GetDownloadUrl {
        GetDownloadUrl::new(self.client.clone(), asset_id.into(), media_id.into())
    }

    /// Download Media: the download URL, then the file there. See [`DownloadMedia`].
    pub fn download(&self, asset_id: impl Into<String>, media_id: impl Into<String>) -> DownloadMedia {
        DownloadMedia::new(self.client.clone(), asset_id.into(), media_id.into())
    }

    /// Remove Media: `DELETE /assets/{id}/media`, the asset kept. See [`RemoveMedia`].
    pub fn remove(&self, asset_id: impl Into<String>) -> RemoveMedia {
        RemoveMedia::new(self.client.clone(), asset_id.into())
    }
}
