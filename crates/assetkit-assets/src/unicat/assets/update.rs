//! Update Asset: `POST /api/p/<project gid>/assets/update`.

use std::collections::BTreeMap;

use assetkit_core::{Error, Result};
use serde::Serialize;
use serde_json::Value;

use crate::unicat::{AssetChange, UnicatClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Update Asset: `POST /api/p/<project gid>/assets/update`.
///
/// Changes an asset's name, title, description or transforms. The JSON body is
/// `{"asset": gid}` plus the fields set here: `name` (renaming updates the paths of the
/// whole subtree), `title` and `description` (localized: only the languages given change),
/// `transforms` (a specialised field).
///
/// See also: [assets/update](https://docs.unicat.app/api/reference/p/assets/update) in the
/// Unicat API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty gid, no field set.
/// - `Unprocessable` (422) for an asset that does not exist, or the root, `BadRequest`
///   (400), `Unauthorized` (401) when signing in fails, `Forbidden` (403) for a key that
///   is not a member of the project, `RateLimited` (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn demo(client: assetkit::unicat::UnicatClient) -> assetkit::Result<()> {
/// let changed = client
///     .assets()
///     .update("96ec02b2-fb8d-4fb4-b952-fad0c4b88a74")
///     .name("modified name")
///     .title("en", "Modified Title")
///     .description("en", "Modified Description")
///     .send()
///     .await?;
/// assert_eq!(changed.asset.name.as_deref(), Some("modified name"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct UpdateAsset {
    client: UnicatClient,
    gid: String,
    name: Option<String>,
    title: BTreeMap<String, String>,
    description: BTreeMap<String, String>,
    transforms: Option<Value>,
    options: CallOptions,
}

impl RequestOptions for UpdateAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

/// The JSON body of `assets/update`: the gid and the fields set.
#[derive(Serialize)]
struct UpdateAssetBody<'a> {
    asset: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    title: &'a BTreeMap<String, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    description: &'a BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transforms: Option<&'a Value>,
}

impl UpdateAssetBody<'_> {
    /// Whether no field is set beside the gid.
    fn changes_nothing(&self) -> bool {
        self.name.is_none()
            && self.title.is_empty()
            && self.description.is_empty()
            && self.transforms.is_none()
    }
}

impl UpdateAsset {
    pub(crate) fn new(client: UnicatClient, gid: String) -> Self {
        Self {
            client,
            gid,
            name: None,
            title: BTreeMap::new(),
            description: BTreeMap::new(),
            transforms: None,
            options: CallOptions::default(),
        }
    }

    /// Renames the asset.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the title in one language (call once per language).
    pub fn title(mut self, language: impl Into<String>, title: impl Into<String>) -> Self {
        self.title.insert(language.into(), title.into());
        self
    }

    /// Sets the description in one language (call once per language).
    pub fn description(mut self, language: impl Into<String>, description: impl Into<String>) -> Self {
        self.description.insert(language.into(), description.into());
        self
    }

    /// Replaces the default transforms (Unicat: "don't update this unless you know exactly
    /// what you're doing").
    pub fn transforms(mut self, transforms: impl Into<Value>) -> Self {
        self.transforms = Some(transforms.into());
        self
    }

    fn body(&self) -> UpdateAssetBody<'_> {
        UpdateAssetBody {
            asset: &self.gid,
            name: self.name.as_deref(),
            title: &self.title,
            description: &self.description,
            transforms: self.transforms.as_ref(),
        }
    }

    /// Sends the update; returns the asset as it is now.
    pub async fn send(self) -> Result<AssetChange> {
        require_non_blank("the asset gid", &self.gid)?;
        let body = self.body();
        if body.changes_nothing() {
            return Err(Error::invalid(
                "assets/update needs at least one of name, title, description or transforms",
            ));
        }
        let request = self
            .client
            .post_json(&["assets", "update"], &body, "unicat.assets_update")?;
        let answer = self.client.call(self.options.apply(request)).await?;
        answer.change(Some(&self.gid), "Unicat assets/update answer")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_body_is_the_documented_update_request() {
        let title = BTreeMap::from([("en".to_owned(), "Modified Title".to_owned())]);
        let description = BTreeMap::from([("en".to_owned(), "Modified Description".to_owned())]);
        let transforms = json!({});
        let body = UpdateAssetBody {
            asset: "96ec02b2-fb8d-4fb4-b952-fad0c4b88a74",
            name: Some("modified name"),
            title: &title,
            description: &description,
            transforms: Some(&transforms),
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({
                "asset": "96ec02b2-fb8d-4fb4-b952-fad0c4b88a74",
                "name": "modified name",
                "title": {"en": "Modified Title"},
                "description": {"en": "Modified Description"},
                "transforms": {}
            })
        );
        let empty = BTreeMap::new();
        let nothing = UpdateAssetBody {
            asset: "g",
            name: None,
            title: &empty,
            description: &empty,
            transforms: None,
        };
        assert!(nothing.changes_nothing());
        assert_eq!(serde_json::to_value(&nothing).unwrap(), json!({"asset": "g"}));
    }
}
