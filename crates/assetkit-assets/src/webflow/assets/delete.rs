//! Delete Asset: `DELETE /assets/{asset_id}`.

use assetkit_core::{Request, Result};

use crate::webflow::WebflowClient;
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Delete Asset: `DELETE /assets/{asset_id}`.
///
/// Deletes an asset; Webflow answers 204 with no body.
///
/// See also: [Delete Asset](https://developers.webflow.com/data/reference/assets/assets/delete)
/// in the Webflow Data API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty asset id.
/// - `NotFound` (404) for an unknown asset, `Unauthorized` (401), `Forbidden` (403)
///   without the `assets:write` scope, `BadRequest` (400), `RateLimited` (429),
///   `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::webflow::WebflowClient) -> assetkit::Result<()> {
/// client.assets().delete("63e5889e7fe4eafa7384cea4").send().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct DeleteAsset {
    client: WebflowClient,
    asset_id: String,
    options: CallOptions,
}

impl RequestOptions for DeleteAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl DeleteAsset {
    pub(crate) fn new(client: WebflowClient, asset_id: String) -> Self {
        Self {
            client,
            asset_id,
            options: CallOptions::default(),
        }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<()> {
        require_non_blank("asset_id", &self.asset_id)?;
        let request = Request::delete(&["assets", &self.asset_id]).endpoint("webflow.delete_asset");
        self.client.http().execute(self.options.apply(request)).await?;
        Ok(())
    }
}
