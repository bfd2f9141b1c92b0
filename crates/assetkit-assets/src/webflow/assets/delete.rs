use assetkit_core::{Request, Result};

use crate::require_non_blank;
use crate::webflow::WebflowClient;

/// Delete Asset: `DELETE /assets/{asset_id}`.
///
/// ```no_run
/// # async fn run(client: assetkit_assets::webflow::WebflowClient) -> assetkit_core::Result<()> {
/// client.assets().delete("63e5889e7fe4eafa7384cea4").send().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct DeleteAsset {
    client: WebflowClient,
    asset_id: String,
}

impl DeleteAsset {
    pub(crate) fn new(client: WebflowClient, asset_id: String) -> Self {
        Self { client, asset_id }
    }

    /// Sends the request. Webflow answers 204 with no body.
    pub async fn send(self) -> Result<()> {
        require_non_blank("asset_id", &self.asset_id)?;
        let request = Request::delete(&["assets", &self.asset_id]).endpoint("webflow.delete_asset");
        self.client.http().execute(request).await?;
        Ok(())
    }
}
