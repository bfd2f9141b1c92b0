use assetkit_core::{Created, Request, Result};
use serde::Serialize;

use crate::decode::keep_created_id;
use crate::require_non_blank;
use crate::webflow::{CreatedAsset, WebflowClient, validate_file_name};

/// Upload Asset, step 1: `POST /sites/{site_id}/assets` with `{fileName, fileHash,
/// parentFolder?}`.
///
/// Creates the asset's metadata and answers the S3 form (`uploadUrl`, `uploadDetails`)
/// the file must be posted to — with
/// [`AssetsHandler::finish_upload`](crate::webflow::AssetsHandler::finish_upload). The
/// file name must be non-empty and under 100 characters (checked before sending).
/// [`AssetsHandler::upload`](crate::webflow::AssetsHandler::upload) does both steps and
/// computes the MD5 itself.
///
/// ```no_run
/// # async fn run(client: assetkit_assets::webflow::WebflowClient) -> assetkit_core::Result<()> {
/// use assetkit_assets::webflow::file_md5;
/// use assetkit_core::UploadSource;
///
/// let source = UploadSource::path("file.png");
/// let (_, hash) = file_md5(&source).await?;
/// let created = client
///     .assets()
///     .create("580e63e98c9a982ac9b8b741", "file.png", hash)
///     .parent_folder("6390c49774a71f99f21a08eb")
///     .send()
///     .await?;
/// let uploaded = client.assets().finish_upload(created, source).send().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[must_use]
pub struct CreateAsset {
    #[serde(skip)]
    client: WebflowClient,
    #[serde(skip)]
    site_id: String,
    file_name: String,
    file_hash: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_folder: Option<String>,
}

impl CreateAsset {
    pub(crate) fn new(client: WebflowClient, site_id: String, file_name: String, file_hash: String) -> Self {
        Self {
            client,
            site_id,
            file_name,
            file_hash,
            parent_folder: None,
        }
    }

    /// Puts the asset in this asset folder.
    pub fn parent_folder(mut self, folder_id: impl Into<String>) -> Self {
        self.parent_folder = Some(folder_id.into());
        self
    }

    /// Sends step 1.
    pub async fn send(self) -> Result<CreatedAsset> {
        require_non_blank("site_id", &self.site_id)?;
        validate_file_name(&self.file_name)?;
        if self.file_hash.trim().is_empty() {
            return Err(assetkit_core::Error::invalid(
                "fileHash (the file's MD5) must not be empty",
            ));
        }
        let request = Request::post(&["sites", &self.site_id, "assets"])
            .endpoint("webflow.create_asset")
            .json(&self)?;
        let response = self.client.http().execute(request).await?;
        // The asset exists from here on: an answer that cannot be read still names it.
        keep_created_id(response.json(), response.body(), &["/id"], |id| {
            Created::new(crate::webflow::VENDOR, "asset", id)
        })
    }
}
