//! Asset endpoints: `/v1/assets/...`, versions included.

pub(crate) mod archive;
pub(crate) mod create;
pub(crate) mod get;
pub(crate) mod restore;
pub(crate) mod update;

use assetkit_core::UploadSource;

use super::asset_versions::get::GetAssetVersion;
use super::asset_versions::list::ListAssetVersions;
use super::asset_versions::rollback::RollbackAssetVersion;
use super::{AssetId, AssetType, RobloxClient};
use archive::ArchiveAsset;
use create::CreateAsset;
use get::GetAsset;
use restore::RestoreAsset;
use update::UpdateAsset;

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
    pub fn create(
        &self,
        asset_type: AssetType,
        display_name: impl Into<String>,
        content: UploadSource,
    ) -> CreateAsset {
        CreateAsset::new(self.client.clone(), asset_type, display_name.into(), content)
    }

    /// Update Asset: `PATCH /v1/assets/{assetId}`. See [`UpdateAsset`].
    pub fn update(&self, asset_type: AssetType, asset_id: impl Into<AssetId>) -> UpdateAsset {
        UpdateAsset::new(self.client.clone(), asset_type, asset_id.into())
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
