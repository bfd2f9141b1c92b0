//! List Asset Folders: `GET /sites/{site_id}/asset_folders`.

use assetkit_core::{Request, Result};

use crate::webflow::{AssetFolderList, WebflowClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// List Asset Folders: `GET /sites/{site_id}/asset_folders`.
///
/// A site's asset folders. The endpoint takes no paging parameters (the answer carries a
/// `pagination` object all the same), so this is one request, not a paged listing.
///
/// See also: [List Asset Folders](https://developers.webflow.com/data/reference/assets/asset-folders/list-folders)
/// in the Webflow Data API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty site id.
/// - `NotFound` (404) for an unknown site, `Unauthorized` (401), `Forbidden` (403)
///   without the `assets:read` scope, `BadRequest` (400), `RateLimited` (429),
///   `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::webflow::WebflowClient) -> assetkit::Result<()> {
/// let list = client.asset_folders().list("580e63e98c9a982ac9b8b741").send().await?;
/// for folder in list.asset_folders {
///     println!("{} {:?} ({} assets)", folder.id, folder.display_name, folder.assets.len());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct ListAssetFolders {
    client: WebflowClient,
    site_id: String,
    options: CallOptions,
}

impl RequestOptions for ListAssetFolders {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl ListAssetFolders {
    pub(crate) fn new(client: WebflowClient, site_id: String) -> Self {
        Self {
            client,
            site_id,
            options: CallOptions::default(),
        }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<AssetFolderList> {
        require_non_blank("site_id", &self.site_id)?;
        let request =
            Request::get(&["sites", &self.site_id, "asset_folders"]).endpoint("webflow.list_asset_folders");
        self.client.http().execute_json(self.options.apply(request)).await
    }
}
