//! Asset endpoints: `/v1/assets/...`, versions included.

mod archive;
mod create;
mod download;
mod get;
mod restore;
mod update;

pub use archive::ArchiveAsset;
pub use create::CreateAsset;
pub use download::DownloadAsset;
pub use get::GetAsset;
pub use restore::RestoreAsset;
pub use update::UpdateAsset;

use assetkit_core::{Error, FormPart, MultipartForm, Result, UploadSource};
use serde::Serialize;

use super::models::content_type;
use super::{
    AssetId, AssetPrivacy, AssetType, Creator, GetAssetVersion, ListAssetVersions, RobloxClient,
    RollbackAssetVersion,
};

/// The asset endpoints, from [`RobloxClient::assets`].
#[derive(Debug, Clone)]
pub struct AssetsHandler {
    client: RobloxClient,
}

impl AssetsHandler {
    pub(crate) fn new(client: RobloxClient) -> Self {
        Self { client }
    }

    /// Create Asset: `POST /v1/assets`. See [`CreateAsset`].
    /// The owner is required, so it is an argument: a user or a group.
    pub fn create(
        &self,
        asset_type: AssetType,
        display_name: impl Into<String>,
        content: UploadSource,
        creator: impl Into<Creator>,
    ) -> CreateAsset {
        CreateAsset::new(
            self.client.clone(),
            asset_type,
            display_name.into(),
            content,
            creator.into(),
        )
    }

    /// Update Asset: `PATCH /v1/assets/{assetId}`. See [`UpdateAsset`].
    pub fn update(&self, asset_type: AssetType, asset_id: impl Into<AssetId>) -> UpdateAsset {
        UpdateAsset::new(self.client.clone(), asset_type, asset_id.into())
    }

    /// Download Asset: Asset Delivery's `location` for the asset, then its bytes. See
    /// [`DownloadAsset`].
    pub fn download(&self, asset_id: impl Into<AssetId>) -> DownloadAsset {
        DownloadAsset::new(self.client.clone(), asset_id.into())
    }

    /// Get Asset: `GET /v1/assets/{assetId}`. See [`GetAsset`].
    pub fn get(&self, asset_id: impl Into<AssetId>) -> GetAsset {
        GetAsset::new(self.client.clone(), asset_id.into())
    }

    /// Archive Asset: `POST /v1/assets/{assetId}:archive`. See [`ArchiveAsset`].
    pub fn archive(&self, asset_id: impl Into<AssetId>) -> ArchiveAsset {
        ArchiveAsset::new(self.client.clone(), asset_id.into())
    }

    /// Restore Asset: `POST /v1/assets/{assetId}:restore`. See [`RestoreAsset`].
    pub fn restore(&self, asset_id: impl Into<AssetId>) -> RestoreAsset {
        RestoreAsset::new(self.client.clone(), asset_id.into())
    }

    /// List Asset Versions: `GET /v1/assets/{assetId}/versions`. See [`ListAssetVersions`].
    pub fn versions(&self, asset_id: impl Into<AssetId>) -> ListAssetVersions {
        ListAssetVersions::new(self.client.clone(), asset_id.into())
    }

    /// Get Asset Version: `GET /v1/assets/{assetId}/versions/{versionNumber}`. See
    /// [`GetAssetVersion`].
    pub fn version(&self, asset_id: impl Into<AssetId>, version_number: u64) -> GetAssetVersion {
        GetAssetVersion::new(self.client.clone(), asset_id.into(), version_number)
    }

    /// Rollback Asset Version: `POST /v1/assets/{assetId}/versions:rollback`. See
    /// [`RollbackAssetVersion`].
    pub fn rollback(&self, asset_id: impl Into<AssetId>, version_number: u64) -> RollbackAssetVersion {
        RollbackAssetVersion::new(self.client.clone(), asset_id.into(), version_number)
    }
}

/// The `creationContext` of a create or content-update request.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreationContextBody {
    creator: Creator,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected_price: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    asset_privacy: Option<AssetPrivacy>,
}

/// The multipart body of Create and Update Asset: the `request` part (JSON), then the
/// `fileContent` part when there is one.
fn form(request: &impl Serialize, file: Option<FormPart>) -> Result<MultipartForm> {
    let json = serde_json::to_string(request)
        .map_err(|e| Error::invalid(format!("cannot encode the request: {e}")))?;
    let form = MultipartForm::new().text("request", json);
    Ok(match file {
        Some(file) => form.part(file),
        None => form,
    })
}

/// The `fileContent` part for uploading `source` as `asset_type`, after checking its
/// format and size against the documented limits, and, with `preflight` (and the
/// `preflight` feature), its content: image dimensions, audio and video duration, video
/// resolution, and that its first bytes are the format its extension names.
async fn file_part(
    asset_type: &AssetType,
    source: &UploadSource,
    override_type: Option<&str>,
    preflight: bool,
) -> Result<FormPart> {
    let extension = source.extension();
    let content_type =
        content_type(asset_type, extension.as_deref(), override_type).map_err(Error::invalid)?;
    let len = source.len().await?;
    let max = asset_type.max_upload_bytes();
    if len > max {
        return Err(Error::invalid(format!(
            "the file is {len} bytes; {asset_type} uploads are limited to {max} bytes"
        )));
    }
    #[cfg(feature = "preflight")]
    if preflight {
        super::preflight::check(asset_type, extension.as_deref(), source).await?;
    }
    #[cfg(not(feature = "preflight"))]
    let _ = preflight;
    Ok(FormPart::file("fileContent", source.clone()).content_type(content_type))
}
