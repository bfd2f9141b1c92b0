//! `POST /api/p/<project gid>/assets/delete`: an asset and its subtree, undeletable.

use assetkit_core::Result;
use serde_json::json;

use crate::require_non_blank;
use crate::unicat::{AssetChange, UnicatClient};

/// Deletes an asset and its whole subtree: `POST /api/p/<project gid>/assets/delete` with
/// `{"asset": gid}`. The assets can be brought back with
/// [`undelete`](crate::unicat::AssetsHandler::undelete) until they are permanently deleted.
///
/// Returns the asset as the answer describes it (`result.asset`; the gid asked for when
/// the answer names none) and the parent when the answer names one (`result.parent`).
/// An empty gid is refused before sending; an asset that does not exist is
/// `Unprocessable` (422).
///
/// ```no_run
/// # async fn demo(client: assetkit_assets::unicat::UnicatClient) -> assetkit_core::Result<()> {
/// let deleted = client.assets().delete("96ec02b2-fb8d-4fb4-b952-fad0c4b88a74").send().await?;
/// println!("status now {:?}", deleted.asset.status);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct DeleteAsset {
    client: UnicatClient,
    gid: String,
}

impl DeleteAsset {
    pub(crate) fn new(client: UnicatClient, gid: String) -> Self {
        Self { client, gid }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<AssetChange> {
        require_non_blank("the asset gid", &self.gid)?;
        let request = self.client.post_json(
            &["assets", "delete"],
            &json!({ "asset": self.gid }),
            "unicat.assets_delete",
        )?;
        let answer = self.client.call(request).await?;
        answer.change(Some(&self.gid), "Unicat assets/delete answer")
    }
}
