//! Create Asset Folder: `POST /sites/{site_id}/asset_folders`.

use assetkit_core::{Error, Request, Result};
use serde::Serialize;

use crate::webflow::{AssetFolder, WebflowClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Create Asset Folder: `POST /sites/{site_id}/asset_folders`.
///
/// Creates a folder in a site's assets, sending `{displayName, parentFolder?}`; answers
/// the new folder.
///
/// See also: [Create Asset Folder](https://developers.webflow.com/data/reference/assets/asset-folders/create-folder)
/// in the Webflow Data API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty site id or display name.
/// - `BadRequest` (400) for a request Webflow refuses, `NotFound` (404) for an unknown
///   site, `Unauthorized` (401), `Forbidden` (403) without the `assets:write` scope,
///   `RateLimited` (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::webflow::WebflowClient) -> assetkit::Result<()> {
/// let folder = client
///     .asset_folders()
///     .create("580e63e98c9a982ac9b8b741", "emojis")
///     .parent_folder("6390c49774a71f99f21a08eb")
///     .send()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct CreateAssetFolder {
    client: WebflowClient,
    site_id: String,
    display_name: String,
    parent_folder: Option<String>,
    options: CallOptions,
}

impl RequestOptions for CreateAssetFolder {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

/// The JSON body of Create Asset Folder.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateAssetFolderBody<'a> {
    display_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_folder: Option<&'a str>,
}

impl CreateAssetFolder {
    pub(crate) fn new(client: WebflowClient, site_id: String, display_name: String) -> Self {
        Self {
            client,
            site_id,
            display_name,
            parent_folder: None,
            options: CallOptions::default(),
        }
    }

    /// Nests the folder in this one (default: the site root).
    pub fn parent_folder(mut self, folder_id: impl Into<String>) -> Self {
        self.parent_folder = Some(folder_id.into());
        self
    }

    fn body(&self) -> CreateAssetFolderBody<'_> {
        CreateAssetFolderBody {
            display_name: &self.display_name,
            parent_folder: self.parent_folder.as_deref(),
        }
    }

    /// Sends the request; answers the new folder.
    pub async fn send(self) -> Result<AssetFolder> {
        require_non_blank("site_id", &self.site_id)?;
        if self.display_name.trim().is_empty() {
            return Err(Error::invalid("an asset folder needs a displayName"));
        }
        let request = Request::post(&["sites", &self.site_id, "asset_folders"])
            .endpoint("webflow.create_asset_folder")
            .json(&self.body())?;
        self.client.http().execute_json(self.options.apply(request)).await
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_body_is_the_documented_request() {
        let body = CreateAssetFolderBody {
            display_name: "my asset folder",
            parent_folder: None,
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"displayName": "my asset folder"})
        );
        let nested = CreateAssetFolderBody {
            display_name: "emojis",
            parent_folder: Some("6390c49774a71f99f21a08eb"),
        };
        assert_eq!(
            serde_json::to_value(&nested).unwrap(),
            json!({"displayName": "emojis", "parentFolder": "6390c49774a71f99f21a08eb"})
        );
    }
}
