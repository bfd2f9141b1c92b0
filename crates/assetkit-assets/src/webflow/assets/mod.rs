//! The assets endpoints, one file per verb.

mod create;
mod delete;
mod download;
mod finish_upload;
mod get;
mod list;
mod update;
mod upload;

pub use create::CreateAsset;
pub use delete::DeleteAsset;
pub use download::DownloadAsset;
pub use finish_upload::FinishUpload;
pub use get::GetAsset;
pub use list::ListAssets;
pub use update::UpdateAsset;
pub use upload::{MAX_DOCUMENT_BYTES, MAX_IMAGE_BYTES, PendingUpload, UploadAsset, file_md5};

use assetkit_core::{Error, Result, UploadSource};

use super::{CreatedAsset, WebflowClient};

/// The assets endpoints of a site: `client.assets()`.
#[derive(Debug, Clone)]
pub struct AssetsHandler {
    client: WebflowClient,
}

impl AssetsHandler {
    pub(crate) fn new(client: WebflowClient) -> Self {
        Self { client }
    }

    /// List Assets: `GET /sites/{site_id}/assets`, one page or all of them as a stream. See
    /// [`ListAssets`].
    pub fn list(&self, site_id: impl Into<String>) -> ListAssets {
        ListAssets::new(self.client.clone(), site_id.into())
    }

    /// Upload Asset, step 1: `POST /sites/{site_id}/assets` with the file's name and MD5.
    /// Most callers want [`upload`](Self::upload), which does both steps. See
    /// [`CreateAsset`].
    pub fn create(
        &self,
        site_id: impl Into<String>,
        file_name: impl Into<String>,
        file_hash: impl Into<String>,
    ) -> CreateAsset {
        CreateAsset::new(
            self.client.clone(),
            site_id.into(),
            file_name.into(),
            file_hash.into(),
        )
    }

    /// Upload Asset, both steps: the file's MD5 while streaming it,
    /// `POST /sites/{site_id}/assets`, then the S3 form post. See [`UploadAsset`].
    pub fn upload(&self, site_id: impl Into<String>, source: UploadSource) -> UploadAsset {
        UploadAsset::new(self.client.clone(), site_id.into(), source)
    }

    /// Upload Asset, step 2 alone: `POST {uploadUrl}`, `source` to the S3 form of a step-1
    /// answer. Use it to try step 2 again after a failure, without creating another asset.
    /// See [`FinishUpload`].
    pub fn finish_upload(&self, created: CreatedAsset, source: UploadSource) -> FinishUpload {
        FinishUpload::new(self.client.clone(), created, source)
    }

    /// Get Asset: `GET /assets/{asset_id}`. See [`GetAsset`].
    pub fn get(&self, asset_id: impl Into<String>) -> GetAsset {
        GetAsset::new(self.client.clone(), asset_id.into())
    }

    /// Download Asset: Get Asset, then the file at its `hostedUrl`. See
    /// [`DownloadAsset`].
    pub fn download(&self, asset_id: impl Into<String>) -> DownloadAsset {
        DownloadAsset::new(self.client.clone(), asset_id.into())
    }

    /// Update Asset: `PATCH /assets/{asset_id}`. See [`UpdateAsset`].
    pub fn update(&self, asset_id: impl Into<String>) -> UpdateAsset {
        UpdateAsset::new(self.client.clone(), asset_id.into())
    }

    /// Delete Asset: `DELETE /assets/{asset_id}`. See [`DeleteAsset`].
    pub fn delete(&self, asset_id: impl Into<String>) -> DeleteAsset {
        DeleteAsset::new(self.client.clone(), asset_id.into())
    }
}

/// Webflow's rule for `fileName` (Upload Asset and its step 1): the name with its
/// extension, under 100 characters.
pub(crate) fn validate_file_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid("fileName must not be empty"));
    }
    let chars = name.chars().count();
    if chars >= 100 {
        return Err(Error::invalid(format!(
            "fileName must be under 100 characters; it has {chars}"
        )));
    }
    Ok(())
}
