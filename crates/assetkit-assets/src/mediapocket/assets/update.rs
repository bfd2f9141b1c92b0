//! PUT /assets/{id}

use assetkit_core::{Error, Request, Result};
use serde::Serialize;

use crate::mediapocket::MediaPocketClient;
use crate::mediapocket::models::{Asset, asset_from};
use crate::require_non_blank;

/// Changes an asset's metadata: `PUT /assets/{id}`.
///
/// Only the fields set here are sent; the others keep their values. Tags replace the
/// asset's tag list. Checked before sending ([`Error::InvalidRequest`]): the id is not
/// empty, at least one field is set, and a title, when set, is not blank. Errors:
/// `NotFound` for an unknown id, `Unprocessable` for a value Media Pocket refuses.
///
/// ```no_run
/// # use assetkit_assets::mediapocket::MediaPocketClient;
/// # async fn run(client: MediaPocketClient) -> assetkit_core::Result<()> {
/// let asset = client
///     .assets()
///     .update("v_Fa1CZTS56Vkgdoyo4e")
///     .title("Renamed")
///     .tags(["sample", "renamed"])
///     .send()
///     .await?;
/// assert_eq!(asset.title, "Renamed");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct UpdateAsset {
    client: MediaPocketClient,
    asset_id: String,
    fields: UpdateFields,
}

#[derive(Debug, Clone, Default, Serialize)]
struct UpdateFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
}

impl UpdateFields {
    fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.description.is_none()
            && self.category.is_none()
            && self.tags.is_none()
            && self.external_id.is_none()
    }
}

impl UpdateAsset {
    pub(super) fn new(client: MediaPocketClient, asset_id: String) -> Self {
        Self {
            client,
            asset_id,
            fields: UpdateFields::default(),
        }
    }

    /// A new title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.fields.title = Some(title.into());
        self
    }

    /// A new description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.fields.description = Some(description.into());
        self
    }

    /// A new category.
    pub fn category(mut self, category: impl Into<String>) -> Self {
        self.fields.category = Some(category.into());
        self
    }

    /// New tags, replacing the asset's tags (an empty list clears them).
    pub fn tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.fields.tags = Some(tags.into_iter().map(Into::into).collect());
        self
    }

    /// A new external id.
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.fields.external_id = Some(external_id.into());
        self
    }

    /// Sends the request and returns the updated asset.
    pub async fn send(self) -> Result<Asset> {
        require_non_blank("the asset id", &self.asset_id)?;
        if self.fields.is_empty() {
            return Err(Error::invalid("nothing to update: set at least one field"));
        }
        if self.fields.title.as_deref().is_some_and(|t| t.trim().is_empty()) {
            return Err(Error::invalid("a Media Pocket asset's title cannot be blank"));
        }
        let request = Request::put(&["assets", &self.asset_id])
            .endpoint("mediapocket.update_asset")
            .json(&self.fields)?;
        asset_from(&self.client.http.execute(request).await?)
    }
}
