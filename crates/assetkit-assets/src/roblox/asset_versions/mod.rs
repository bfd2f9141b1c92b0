//! Asset version endpoints: `/v1/assets/{assetId}/versions...` (reached through
//! [`AssetsHandler`](super::AssetsHandler)).

mod get;
mod list;
mod rollback;

pub use get::GetAssetVersion;
pub use list::ListAssetVersions;
pub use rollback::RollbackAssetVersion;
