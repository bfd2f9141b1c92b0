//! The asset endpoints: one file per verb.

mod create;
mod delete;
mod file_metadata;
mod get;
mod restore;
mod trash;
mod update;
mod wait_processed;

pub use create::CreateAsset;
pub use delete::DeleteAsset;
pub use file_metadata::GetFileMetadata;
pub use get::GetAsset;
pub use restore::RestoreAsset;
pub use trash::TrashAsset;
pub use update::UpdateAsset;
pub use wait_processed::WaitProcessed;

use super::MediaPocketClient;

/// The asset endpoints of Media Pocket; from [`MediaPocketClient::assets`].
#[derive(Clone, Debug)]
pub struct AssetsHandler {
    client: MediaPocketClient,
}

impl AssetsHandler {
    pub(super) fn new(client: MediaPocketClient) -> Self {
        Self { client }
    }

    /// Create Asset: `POST /projects/{project_id}/assets`, titled `title`. See
    /// [`CreateAsset`].
    pub fn create(&self, project_id: impl Into<String>, title: impl Into<String>) -> CreateAsset {
        CreateAsset::new(self.client.clone(), project_id.into(), title.into())
    }

    /// Get Asset: `GET /assets/{id}`. See [`GetAsset`].
    pub fn get(&self, asset_id: impl Into<String>) -> GetAsset {
        GetAsset::new(self.client.clone(), asset_id.into())
    }

    /// Get File Metadata: `GET /assets/{id}/file_metadata`, the original file's EXIF,
    /// IPTC, XMP and mediainfo. See [`GetFileMetadata`].
    pub fn file_metadata(&self, asset_id: impl Into<String>) -> GetFileMetadata {
        GetFileMetadata::new(self.client.clone(), asset_id.into())
    }

    /// Update Asset: `PUT /assets/{id}`, an asset's metadata. See [`UpdateAsset`].
    pub fn update(&self, asset_id: impl Into<String>) -> UpdateAsset {
        UpdateAsset::new(self.client.clone(), asset_id.into())
    }

    /// Trash Asset: `POST /assets/{id}/trash_bin`. See [`TrashAsset`].
    pub fn trash(&self, asset_id: impl Into<String>) -> TrashAsset {
        TrashAsset::new(self.client.clone(), asset_id.into())
    }

    /// Restore Asset: `POST /assets/{id}/restore`, out of the trash bin. See
    /// [`RestoreAsset`].
    pub fn restore(&self, asset_id: impl Into<String>) -> RestoreAsset {
        RestoreAsset::new(self.client.clone(), asset_id.into())
    }

    /// Delete Asset: `DELETE /assets/{id}`. See [`DeleteAsset`].
    pub fn delete(&self, asset_id: impl Into<String>) -> DeleteAsset {
        DeleteAsset::new(self.client.clone(), asset_id.into())
    }

    /// Waits until an asset's media is no longer `processing`, polling `GET /assets/{id}`.
    /// See [`WaitProcessed`].
    pub fn wait_processed(&self, asset_id: impl Into<String>) -> WaitProcessed {
        WaitProcessed::new(self.client.clone(), asset_id.into())
    }
}
