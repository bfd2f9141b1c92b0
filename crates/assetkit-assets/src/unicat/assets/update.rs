//! `POST /api/p/<project gid>/assets/update`: an asset's name, title, description or
//! transforms.

use std::collections::BTreeMap;

use assetkit_core::{Error, Result};
use serde_json::{Map, Value};

use crate::require_non_blank;
use crate::unicat::{AssetChange, UnicatClient};

/// Changes an asset's fields: `POST /api/p/<project gid>/assets/update`.
///
/// The JSON body is `{"asset": gid}` plus the fields set here: `name` (renaming updates the
/// paths of the whole subtree), `title` and `description` (localized: only the languages
/// given change), `transforms` (a specialised field). At least one must be set: an update
/// without any is refused before sending (`InvalidRequest`), as is an empty gid. An asset
/// that does not exist, or the root, is `Unprocessable` (422).
///
/// ```no_run
/// # async fn demo(client: assetkit_assets::unicat::UnicatClient) -> assetkit_core::Result<()> {
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
#[must_use]
pub struct UpdateAsset {
    client: UnicatClient,
    gid: String,
    name: Option<String>,
    title: BTreeMap<String, String>,
    description: BTreeMap<String, String>,
    transforms: Option<Value>,
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

    /// Sends the update; returns the asset as it is now.
    pub async fn send(self) -> Result<AssetChange> {
        require_non_blank("the asset gid", &self.gid)?;
        let mut body = Map::new();
        body.insert("asset".into(), Value::from(self.gid.clone()));
        if let Some(name) = self.name {
            body.insert("name".into(), Value::from(name));
        }
        let localized = |map: BTreeMap<String, String>| -> Value {
            Value::Object(map.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
        };
        if !self.title.is_empty() {
            body.insert("title".into(), localized(self.title));
        }
        if !self.description.is_empty() {
            body.insert("description".into(), localized(self.description));
        }
        if let Some(transforms) = self.transforms {
            body.insert("transforms".into(), transforms);
        }
        if body.len() == 1 {
            return Err(Error::invalid(
                "assets/update needs at least one of name, title, description or transforms",
            ));
        }
        let request = self.client.post_json(
            &["assets", "update"],
            &Value::Object(body),
            "unicat.assets_update",
        )?;
        let answer = self.client.call(request).await?;
        answer.change(Some(&self.gid), "Unicat assets/update answer")
    }
}
