//! The asset folder endpoints, one file per verb.

mod create;
mod get;
mod list;

pub use create::CreateAssetFolder;
pub use get::GetAssetFolder;
pub use list::ListAssetFolders;

use super::WebflowClient;

/// The asset folder endpoints: `client.asset_folders()`.
#[derive(Debug, Clone)]
pub struct AssetFoldersHandler {
    client: WebflowClient,
}

impl AssetFoldersHandler {
    pub(crate) fn new(client: WebflowClient) -> Self {
        Self { client }
    }

    /// List Asset Folders: `GET /sites/{site_id}/asset_folders`. See [`ListAssetFolders`].
    pub fn list(&self, site_id: impl Into<String>) -> ListAssetFolders {
        ListAssetFolders::new(self.client.clone(), site_id.into())
    }

    /// Create Asset Folder: `POST /sites/{site_id}/asset_folders`. See
    /// [`CreateAssetFolder`].
    pub fn create(&self, site_id: impl Into<String>, display_name: impl Into<String>) -> CreateAssetFolder {
        CreateAssetFolder::new(self.client.clone(), site_id.into(), display_name.into())
    }

    /// Get Asset Folder: `GET /asset_folders/{asset_folder_id}`. See [`GetAssetFolder`].
    pub fn get(&self, asset_folder_id: impl Into<String>) -> GetAssetFolder {
        GetAssetFolder::new(self.client.clone(), asset_folder_id.into())
    }
}
