//! `POST /api/p/<project gid>/assets/undelete`: a deleted asset and its subtree restored.

use assetkit_core::Result;
use serde_json::json;

use crate::require_non_blank;
use crate::unicat::{AssetChange, UnicatClient};

/// Undeletes a deleted asset and its subtree: `POST /api/p/<project gid>/assets/undelete`
/// with `{"asset": gid}`; the answer names it in `result.asset`.
///
/// An empty gid is refused before sending. Unicat refuses (422, `Unprocessable`) when the
/// asset was permanently deleted, or its parent is deleted too (undelete the parent).
///
/// ```no_run
/// # async fn demo(client: assetkit_assets::unicat::UnicatClient) -> assetkit_core::Result<()> {
/// let restored = client.assets().undelete("96ec02b2-fb8d-4fb4-b952-fad0c4b88a74").send().await?;
/// println!("{:?} is back", restored.asset.pathname);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct UndeleteAsset {
    client: UnicatClient,
    gid: String,
}

impl UndeleteAsset {
    pub(crate) fn new(client: UnicatClient, gid: String) -> Self {
        Self { client, gid }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<AssetChange> {
        require_non_blank("the asset gid", &self.gid)?;
        let request = self.client.post_json(
            &["assets", "undelete"],
            &json!({ "asset": self.gid }),
            "unicat.assets_undelete",
        )?;
        let answer = self.client.call(request).await?;
        answer.change(Some(&self.gid), "Unicat assets/undelete answer")
    }
}
