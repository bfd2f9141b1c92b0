//! The asset endpoints: one file per verb.

mod create;
mod delete;
mod get;
mod restore;
mod trash;
mod update;
mod wait_processed;

pub(crate) use create::check_url_media;
pub use create::{AssetMedia, CreateAsset};
pub use delete::DeleteAsset;
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

    /// Creates an asset titled `title` in project `project_id`:
    /// POST /projects/{project_id}/assets. See [`CreateAsset`].
    pub fn create(&self, project_id: impl Into<String>, title: impl Into<String>) -> CreateAsset {
        CreateAsset::new(self.client.clone(), project_id.into(), title.into())
    }

    /// Fetches an asset: GET /assets/{id}. See [`GetAsset`].
    pub fn get(&self, asset_id: impl Into<String>) -> GetAsset {
        GetAsset::new(self.client.clone(), asset_id.into())
    }

    /// Changes an asset's metadata: PUT /assets/{id}. See [`UpdateAsset`].
    pub fn update(&self, asset_id: impl Into<String>) -> UpdateAsset {
        UpdateAsset::new(self.client.clone(), asset_id.into())
    }

    /// Moves an asset to the trash bin: POST /assets/{id}/trash_bin. See [`TrashAsset`].
    pub fn trash(&self, asset_id: impl Into<String>) -> TrashAsset {
        TrashAsset::new(self.client.clone(), asset_id.into())
    }

    /// Takes an asset back out of the trash bin: POST /assets/{id}/restore.
    /// See [`RestoreAsset`].
    pub fn restore(&self, asset_id: impl Into<String>) -> RestoreAsset {
        RestoreAsset::new(self.client.clone(), asset_id.into())
    }

    /// Deletes an asset: DELETE /assets/{id}. See [`DeleteAsset`].
    pub fn delete(&self, asset_id: impl Into<String>) -> DeleteAsset {
        DeleteAsset::new(self.client.clone(), asset_id.into())
    }

    /// Waits until an asset's media is no longer `processing`, polling GET /assets/{id}.
    /// See [`WaitProcessed`].
    pub fn wait_processed(&self, asset_id: impl Into<String>) -> WaitProcessed {
        WaitProcessed::new(self.client.clone(), asset_id.into())
    }
}
