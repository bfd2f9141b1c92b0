use assetkit_core::{Request, Result};
use serde::Serialize;

use crate::require_non_blank;
use crate::webflow::{Asset, WebflowClient};

/// Update Asset: `PATCH /assets/{asset_id}` with `{displayName?, localeId?}`.
///
/// ```no_run
/// # async fn run(client: assetkit_assets::webflow::WebflowClient) -> assetkit_core::Result<()> {
/// let asset = client
///     .assets()
///     .update("63e5889e7fe4eafa7384cea4")
///     .display_name("bannerImage.png")
///     .send()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[must_use]
pub struct UpdateAsset {
    #[serde(skip)]
    client: WebflowClient,
    #[serde(skip)]
    asset_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    locale_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
}

impl UpdateAsset {
    pub(crate) fn new(client: WebflowClient, asset_id: String) -> Self {
        Self {
            client,
            asset_id,
            locale_id: None,
            display_name: None,
        }
    }

    /// The new display name.
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// The locale the change applies to (localized sites).
    pub fn locale_id(mut self, locale_id: impl Into<String>) -> Self {
        self.locale_id = Some(locale_id.into());
        self
    }

    /// Sends the request; answers the updated asset.
    pub async fn send(self) -> Result<Asset> {
        require_non_blank("asset_id", &self.asset_id)?;
        let request = Request::patch(&["assets", &self.asset_id])
            .endpoint("webflow.update_asset")
            .json(&self)?;
        self.client.http().execute_json(request).await
    }
}
