//! Get Asset: `GET /assets/{asset_id}`.

use assetkit_core::{Request, Result};

use crate::webflow::{Asset, WebflowClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Get Asset: `GET /assets/{asset_id}`.
///
/// An asset's metadata and its responsive variants; for a localized site, as seen in the
/// locale given with [`locale_id`](Self::locale_id) (`?localeId=`).
///
/// See also: [Get Asset](https://developers.webflow.com/data/reference/assets/assets/get)
/// in the Webflow Data API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty asset id.
/// - `NotFound` (404) for an unknown asset, `Unauthorized` (401), `Forbidden` (403)
///   without the `assets:read` scope, `BadRequest` (400), `RateLimited` (429),
///   `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::webflow::WebflowClient) -> assetkit::Result<()> {
/// let asset = client.assets().get("63e5889e7fe4eafa7384cea4").send().await?;
/// println!("{:?} ({} variants)", asset.hosted_url, asset.variants.len());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct GetAsset {
    client: WebflowClient,
    asset_id: String,
    locale_id: Option<String>,
    options: CallOptions,
}

impl RequestOptions for GetAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl GetAsset {
    pub(crate) fn new(client: WebflowClient, asset_id: String) -> Self {
        Self {
            client,
            asset_id,
            locale_id: None,
            options: CallOptions::default(),
        }
    }

    /// Reads the asset as seen in this locale.
    pub fn locale_id(mut self, locale_id: impl Into<String>) -> Self {
        self.locale_id = Some(locale_id.into());
        self
    }

    /// Sends the request.
    pub async fn send(self) -> Result<Asset> {
        require_non_blank("asset_id", &self.asset_id)?;
        let mut request = Request::get(&["assets", &self.asset_id]).endpoint("webflow.get_asset");
        if let Some(locale) = &self.locale_id {
            request = request.query("localeId", locale.clone());
        }
        self.client.http().execute_json(self.options.apply(request)).await
    }
}
