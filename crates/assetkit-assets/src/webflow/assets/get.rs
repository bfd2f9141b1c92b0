use assetkit_core::{Request, Result};

use crate::require_non_blank;
use crate::webflow::{Asset, WebflowClient};

/// Get Asset: `GET /assets/{asset_id}`, optionally `?localeId=` for a localized site.
///
/// ```no_run
/// # async fn run(client: assetkit_assets::webflow::WebflowClient) -> assetkit_core::Result<()> {
/// let asset = client.assets().get("63e5889e7fe4eafa7384cea4").send().await?;
/// println!("{:?} ({} variants)", asset.hosted_url, asset.variants.len());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct GetAsset {
    client: WebflowClient,
    asset_id: String,
    locale_id: Option<String>,
}

impl GetAsset {
    pub(crate) fn new(client: WebflowClient, asset_id: String) -> Self {
        Self {
            client,
            asset_id,
            locale_id: None,
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
        self.client.http().execute_json(request).await
    }
}
