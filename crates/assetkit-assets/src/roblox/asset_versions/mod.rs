//! Asset version endpoints: `/v1/assets/{assetId}/versions...` (reached through
//! [`AssetsHandler`](super::AssetsHandler)).

pub(crate) mod get;
pub(crate) mod list;
pub(crate) mod rollback;
