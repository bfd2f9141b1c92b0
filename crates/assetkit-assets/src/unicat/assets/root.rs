//! `POST /api/p/<project gid>/assets/root`: the root folder of the asset tree.

use assetkit_core::Result;
use serde_json::json;

use crate::unicat::{Asset, UnicatClient};

/// Gets the root folder of the project's asset tree: `POST /api/p/<project gid>/assets/root`
/// with an empty JSON body; the answer names the root in `result.root`, joined to its
/// record in `data.assets`.
///
/// ```no_run
/// # async fn demo(client: assetkit_assets::unicat::UnicatClient) -> assetkit_core::Result<()> {
/// let root = client.assets().root().send().await?;
/// println!("root {} has {:?} children", root.gid, root.childcount);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct GetRoot {
    client: UnicatClient,
}

impl GetRoot {
    pub(crate) fn new(client: UnicatClient) -> Self {
        Self { client }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<Asset> {
        let request = self
            .client
            .post_json(&["assets", "root"], &json!({}), "unicat.assets_root")?
            .idempotent(true);
        let answer = self.client.call(request).await?;
        answer.required_asset("root", "Unicat assets/root answer")
    }
}
