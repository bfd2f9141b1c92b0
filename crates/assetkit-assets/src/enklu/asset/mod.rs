//! The asset endpoint of the assets host (`POST /v1/asset`), reached through
//! [`EnkluClient::assets`].

mod upload;

pub use upload::UploadAsset;

use assetkit_core::UploadSource;

use super::{AssetId, EnkluClient};

/// Asset endpoints of the assets host; from [`EnkluClient::assets`].
#[derive(Debug, Clone)]
pub struct AssetsHandler {
    client: EnkluClient,
}

impl AssetsHandler {
    pub(crate) fn new(client: EnkluClient) -> Self {
        Self { client }
    }

    /// Upload Asset: `POST /v1/asset`, `source` as a new asset (a fresh UUID v4 as
    /// `qquuid`). See [`UploadAsset`].
    pub fn upload(&self, source: UploadSource) -> UploadAsset {
        UploadAsset::new_asset(self.client.clone(), source)
    }

    /// Upload Asset: `POST /v1/asset`, `source` as a new version of the asset `asset_id`
    /// (the asset's id as `qquuid`). See [`UploadAsset`].
    pub fn update(&self, asset_id: impl Into<AssetId>, source: UploadSource) -> UploadAsset {
        UploadAsset::new_version(self.client.clone(), asset_id.into(), source)
    }
}
