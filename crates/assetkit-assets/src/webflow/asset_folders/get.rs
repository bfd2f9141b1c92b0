use assetkit_core::{Request, Result};

use crate::require_non_blank;
use crate::webflow::{AssetFolder, WebflowClient};

/// Get Asset Folder: `GET /asset_folders/{asset_folder_id}`.
///
/// ```no_run
/// # async fn run(client: assetkit_assets::webflow::WebflowClient) -> assetkit_core::Result<()> {
/// let folder = client.asset_folders().get("6390c49774a71f99f21a08eb").send().await?;
/// println!("{:?} holds {:?}", folder.display_name, folder.assets);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct GetAssetFolder {
    client: WebflowClient,
    asset_folder_id: String,
}

impl GetAssetFolder {
    pub(crate) fn new(client: WebflowClient, asset_folder_id: String) -> Self {
        Self {
            client,
            asset_folder_id,
        }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<AssetFolder> {
        require_non_blank("asset_folder_id", &self.asset_folder_id)?;
        let request =
            Request::get(&["asset_folders", &self.asset_folder_id]).endpoint("webflow.get_asset_folder");
        self.client.http().execute_json(request).await
    }
}
