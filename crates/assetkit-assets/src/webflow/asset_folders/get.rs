//! Get Asset Folder: `GET /asset_folders/{asset_folder_id}`.

use assetkit_core::{Request, Result};

use crate::webflow::{AssetFolder, WebflowClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Get Asset Folder: `GET /asset_folders/{asset_folder_id}`.
///
/// One asset folder: its name, parent and the ids of the assets in it.
///
/// See also: [Get Asset Folder](https://developers.webflow.com/data/reference/assets/asset-folders/get-folder)
/// in the Webflow Data API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty folder id.
/// - `NotFound` (404) for an unknown folder, `Unauthorized` (401), `Forbidden` (403)
///   without the `assets:read` scope, `BadRequest` (400), `RateLimited` (429),
///   `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::webflow::WebflowClient) -> assetkit::Result<()> {
/// let folder = client.asset_folders().get("6390c49774a71f99f21a08eb").send().await?;
/// println!("{:?} holds {:?}", folder.display_name, folder.assets);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct GetAssetFolder {
    client: WebflowClient,
    asset_folder_id: String,
    options: CallOptions,
}

impl RequestOptions for GetAssetFolder {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl GetAssetFolder {
    pub(crate) fn new(client: WebflowClient, asset_folder_id: String) -> Self {
        Self {
            client,
            asset_folder_id,
            options: CallOptions::default(),
        }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<AssetFolder> {
        require_non_blank("asset_folder_id", &self.asset_folder_id)?;
        let request =
            Request::get(&["asset_folders", &self.asset_folder_id]).endpoint("webflow.get_asset_folder");
        self.client.http().execute_json(self.options.apply(request)).await
    }
}
