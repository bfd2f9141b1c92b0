//! Update Asset: `PUT /assets/{id}`.

use assetkit_core::{Error, Request, Result};
use serde::Serialize;

use crate::mediapocket::MediaPocketClient;
use crate::mediapocket::models::{Asset, asset_from};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Update Asset: `PUT /assets/{id}`.
///
/// Changes an asset's metadata. Only the fields set here are sent (`title`, `description`,
/// `category`, `tags`, `external_id`, as Create Asset names them); the others keep their
/// values. Tags replace the asset's tag list.
///
/// See also: [the Media Pocket API v2 reference](https://tryme.mediapocket.fi/api/docs/V2.html)
/// (Update asset).
///
/// # Errors
///
/// - [`Error::InvalidRequest`], before sending: an empty id, no field set, a blank title.
/// - `NotFound` (404) for an unknown id, `Unprocessable` (422) for a value Media Pocket
///   refuses, `Unauthorized` (401) for a bad key, `RateLimited` (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # use assetkit::mediapocket::MediaPocketClient;
/// # async fn run(client: MediaPocketClient) -> assetkit::Result<()> {
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
#[must_use = "a request does nothing until `send` is awaited"]
pub struct UpdateAsset {
    client: MediaPocketClient,
    asset_id: String,
    title: Option<String>,
    description: Option<String>,
    category: Option<String>,
    tags: Option<Vec<String>>,
    external_id: Option<String>,
    options: CallOptions,
}

impl RequestOptions for UpdateAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

/// The JSON body of Update Asset: the fields set, nothing else.
#[derive(Serialize)]
struct UpdateAssetBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<&'a str>,
}

impl UpdateAssetBody<'_> {
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
            title: None,
            description: None,
            category: None,
            tags: None,
            external_id: None,
            options: CallOptions::default(),
        }
    }

    /// A new title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// A new description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// A new category.
    pub fn category(mut self, category: impl Into<String>) -> Self {
        self.category = Some(category.into());
        self
    }

    /// New tags, replacing the asset's tags (an empty list clears them).
    pub fn tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.tags = Some(tags.into_iter().map(Into::into).collect());
        self
    }

    /// A new external id.
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }

    fn body(&self) -> UpdateAssetBody<'_> {
        UpdateAssetBody {
            title: self.title.as_deref(),
            description: self.description.as_deref(),
            category: self.category.as_deref(),
            tags: self.tags.as_deref(),
            external_id: self.external_id.as_deref(),
        }
    }

    /// Sends the request and returns the updated asset.
    pub async fn send(self) -> Result<Asset> {
        require_non_blank("the asset id", &self.asset_id)?;
        let body = self.body();
        if body.is_empty() {
            return Err(Error::invalid("nothing to update: set at least one field"));
        }
        if body.title.is_some_and(|t| t.trim().is_empty()) {
            return Err(Error::invalid("a Media Pocket asset's title cannot be blank"));
        }
        let request = Request::put(&["assets", &self.asset_id])
            .endpoint("mediapocket.update_asset")
            .json(&body)?;
        asset_from(&self.client.http.execute(self.options.apply(request)).await?)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_body_holds_only_the_fields_set() {
        let tags = vec!["sample".to_owned(), "renamed".to_owned()];
        let body = UpdateAssetBody {
            title: Some("Renamed"),
            description: None,
            category: None,
            tags: Some(&tags),
            external_id: Some("ext-1"),
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"title": "Renamed", "tags": ["sample", "renamed"], "external_id": "ext-1"})
        );
        let empty = UpdateAssetBody {
            title: None,
            description: None,
            category: None,
            tags: Some(&[]),
            external_id: None,
        };
        assert!(!empty.is_empty(), "an empty tag list clears the tags");
        assert_eq!(serde_json::to_value(&empty).unwrap(), json!({"tags": []}));
    }
}
