use assetkit_core::{Error, Request, Result};
use serde::Serialize;

use crate::require_non_blank;
use crate::webflow::{AssetFolder, WebflowClient};

/// Create Asset Folder: `POST /sites/{site_id}/asset_folders` with `{displayName,
/// parentFolder?}`. The display name must not be empty (checked before sending).
///
/// ```no_run
/// # async fn run(client: assetkit_assets::webflow::WebflowClient) -> assetkit_core::Result<()> {
/// let folder = client
///     .asset_folders()
///     .create("580e63e98c9a982ac9b8b741", "emojis")
///     .parent_folder("6390c49774a71f99f21a08eb")
///     .send()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[must_use]
pub struct CreateAssetFolder {
    #[serde(skip)]
    client: WebflowClient,
    #[serde(skip)]
    site_id: String,
    display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_folder: Option<String>,
}

impl CreateAssetFolder {
    pub(crate) fn new(client: WebflowClient, site_id: String, display_name: String) -> Self {
        Self {
            client,
            site_id,
            display_name,
            parent_folder: None,
        }
    }

    /// Nests the folder in this one (default: the site root).
    pub fn parent_folder(mut self, folder_id: impl Into<String>) -> Self {
        self.parent_folder = Some(folder_id.into());
        self
    }

    /// Sends the request; answers the new folder.
    pub async fn send(self) -> Result<AssetFolder> {
        require_non_blank("site_id", &self.site_id)?;
        if self.display_name.trim().is_empty() {
            return Err(Error::invalid("an asset folder needs a displayName"));
        }
        let request = Request::post(&["sites", &self.site_id, "asset_folders"])
            .endpoint("webflow.create_asset_folder")
            .json(&self)?;
        self.client.http().execute_json(request).await
    }
}
