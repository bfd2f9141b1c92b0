use assetkit_core::{Request, Result};

use crate::require_non_blank;
use crate::webflow::{AssetFolderList, WebflowClient};

/// List Asset Folders: `GET /sites/{site_id}/asset_folders`.
///
/// ```no_run
/// # async fn run(client: assetkit_assets::webflow::WebflowClient) -> assetkit_core::Result<()> {
/// let list = client.asset_folders().list("580e63e98c9a982ac9b8b741").send().await?;
/// for folder in list.asset_folders {
///     println!("{} {:?} ({} assets)", folder.id, folder.display_name, folder.assets.len());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct ListAssetFolders {
    client: WebflowClient,
    site_id: String,
}

impl ListAssetFolders {
    pub(crate) fn new(client: WebflowClient, site_id: String) -> Self {
        Self { client, site_id }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<AssetFolderList> {
        require_non_blank("site_id", &self.site_id)?;
        let request =
            Request::get(&["sites", &self.site_id, "asset_folders"]).endpoint("webflow.list_asset_folders");
        self.client.http().execute_json(request).await
    }
}
