//! Update Asset: `PATCH /assets/{asset_id}`.

use assetkit_core::{Request, Result};
use serde::Serialize;

use crate::webflow::{Asset, WebflowClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Update Asset: `PATCH /assets/{asset_id}`.
///
/// Changes an asset's display name and alt text, sending `{displayName?, altText?}` with
/// the fields set here, and the locale as the `localeId` query parameter; answers the
/// updated asset. This follows Webflow's OpenAPI spec (v2, 2026) and the official JS
/// SDK's wire tests; an older Fern definition put `localeId` in the body, where the
/// newer sources do not.
///
/// See also: [Update Asset](https://developers.webflow.com/data/reference/assets/assets/update)
/// in the Webflow Data API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty asset id.
/// - `NotFound` (404) for an unknown asset, `BadRequest` (400) for a value Webflow
///   refuses, `Unauthorized` (401), `Forbidden` (403) without the `assets:write` scope,
///   `RateLimited` (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::webflow::WebflowClient) -> assetkit::Result<()> {
/// let asset = client
///     .assets()
///     .update("63e5889e7fe4eafa7384cea4")
///     .display_name("bannerImage.png")
///     .send()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct UpdateAsset {
    client: WebflowClient,
    asset_id: String,
    locale_id: Option<String>,
    display_name: Option<String>,
    alt_text: Option<String>,
    options: CallOptions,
}

impl RequestOptions for UpdateAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

/// The JSON body of Update Asset.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UpdateAssetBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alt_text: Option<&'a str>,
}

impl UpdateAsset {
    pub(crate) fn new(client: WebflowClient, asset_id: String) -> Self {
        Self {
            client,
            asset_id,
            locale_id: None,
            display_name: None,
            alt_text: None,
            options: CallOptions::default(),
        }
    }

    /// The new display name.
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// The new alt text (what screen readers say for the image).
    pub fn alt_text(mut self, text: impl Into<String>) -> Self {
        self.alt_text = Some(text.into());
        self
    }

    /// The locale the change applies to (localized sites), sent as the `localeId` query
    /// parameter.
    pub fn locale_id(mut self, locale_id: impl Into<String>) -> Self {
        self.locale_id = Some(locale_id.into());
        self
    }

    fn body(&self) -> UpdateAssetBody<'_> {
        UpdateAssetBody {
            display_name: self.display_name.as_deref(),
            alt_text: self.alt_text.as_deref(),
        }
    }

    /// Sends the request; answers the updated asset.
    pub async fn send(self) -> Result<Asset> {
        require_non_blank("asset_id", &self.asset_id)?;
        let mut request = Request::patch(&["assets", &self.asset_id])
            .endpoint("webflow.update_asset")
            .json(&self.body())?;
        if let Some(locale) = &self.locale_id {
            request = request.query("localeId", locale.clone());
        }
        self.client.http().execute_json(self.options.apply(request)).await
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_body_holds_only_the_fields_set() {
        // The spec's request body: {displayName, altText}.
        let body = UpdateAssetBody {
            display_name: Some("bannerImage.png"),
            alt_text: Some("A banner"),
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"displayName": "bannerImage.png", "altText": "A banner"})
        );
        let empty = UpdateAssetBody {
            display_name: None,
            alt_text: None,
        };
        assert_eq!(serde_json::to_value(&empty).unwrap(), json!({}));
    }
}
