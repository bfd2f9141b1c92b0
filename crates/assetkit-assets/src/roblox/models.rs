//! What the Assets API answers with: assets, their versions, creators and moderation.
//!
//! Decoding is lenient: ids may come as strings or numbers, enum values this version does
//! not know land in an `Unknown(String)` variant, every field may be missing, and fields
//! not listed here are ignored.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::asset_type::AssetType;
use crate::decode::null_as_default;

/// An asset id. Built from a number or a string; the API sends it as either.
///
/// ```
/// use assetkit_assets::roblox::AssetId;
/// assert_eq!(AssetId::from(2205400862_u64), AssetId::from("2205400862"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AssetId(String);

impl AssetId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AssetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<u64> for AssetId {
    fn from(id: u64) -> Self {
        AssetId(id.to_string())
    }
}

impl From<&str> for AssetId {
    fn from(id: &str) -> Self {
        AssetId(id.to_owned())
    }
}

impl From<String> for AssetId {
    fn from(id: String) -> Self {
        AssetId(id)
    }
}

impl From<&String> for AssetId {
    fn from(id: &String) -> Self {
        AssetId(id.clone())
    }
}

impl From<&AssetId> for AssetId {
    fn from(id: &AssetId) -> Self {
        id.clone()
    }
}

impl Serialize for AssetId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for AssetId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IdText).map(AssetId)
    }
}

/// Reads an id sent as a string or as a number, as text.
struct IdText;

impl Visitor<'_> for IdText {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an id as a string or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// Deserializes an optional id sent as a string or a number.
pub(crate) fn id_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    struct Wrapper(String);
    impl<'de> Deserialize<'de> for Wrapper {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(IdText).map(Wrapper)
        }
    }
    Ok(Option::<Wrapper>::deserialize(deserializer)?.map(|w| w.0))
}

/// Deserializes an optional number sent as a string or a number.
fn number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    match id_text(deserializer)? {
        None => Ok(None),
        Some(text) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| de::Error::custom(format!("{text:?} is not a whole number"))),
    }
}

/// Who owns an asset: a user or a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Creator {
    /// A user, by user id (the number in `roblox.com/users/<id>/profile`).
    User(u64),
    /// A group, by group id (the number in `roblox.com/groups/<id>/...`).
    Group(u64),
}

impl Serialize for Creator {
    /// `{"userId": "123"}` or `{"groupId": "456"}`: ids go as strings, as the guide's
    /// create example shows (the API takes numbers too).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        match self {
            Creator::User(id) => map.serialize_entry("userId", &id.to_string())?,
            Creator::Group(id) => map.serialize_entry("groupId", &id.to_string())?,
        }
        map.end()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCreator {
    #[serde(default, deserialize_with = "number")]
    user_id: Option<u64>,
    #[serde(default, deserialize_with = "number")]
    group_id: Option<u64>,
}

/// Who created an asset or a version, and at what price.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreationContext {
    /// The owner; `None` when the answer named neither a user nor a group.
    pub creator: Option<Creator>,
    /// The price the creator expected to pay for the upload, in Robux.
    pub expected_price: Option<u64>,
}

impl<'de> Deserialize<'de> for CreationContext {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Raw {
            creator: Option<RawCreator>,
            #[serde(default, deserialize_with = "number")]
            expected_price: Option<u64>,
        }
        let raw = Raw::deserialize(deserializer)?;
        let creator = raw.creator.and_then(|c| match (c.user_id, c.group_id) {
            (Some(id), _) => Some(Creator::User(id)),
            (None, Some(id)) => Some(Creator::Group(id)),
            (None, None) => None,
        });
        Ok(CreationContext {
            creator,
            expected_price: raw.expected_price,
        })
    }
}

/// Where moderation of an asset or version stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ModerationState {
    /// Still being reviewed (`MODERATION_STATE_REVIEWING`).
    Reviewing,
    /// Rejected (`MODERATION_STATE_REJECTED`).
    Rejected,
    /// Approved (`MODERATION_STATE_APPROVED`).
    Approved,
    /// A state this version does not know, as the vendor named it.
    Unknown(String),
}

impl<'de> Deserialize<'de> for ModerationState {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        let short = name.strip_prefix("MODERATION_STATE_").unwrap_or(&name);
        Ok(match short.to_ascii_uppercase().as_str() {
            "REVIEWING" => ModerationState::Reviewing,
            "REJECTED" => ModerationState::Rejected,
            "APPROVED" => ModerationState::Approved,
            _ => ModerationState::Unknown(name),
        })
    }
}

/// The result of moderating an asset or version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ModerationResult {
    /// The state.
    pub moderation_state: Option<ModerationState>,
}

/// Whether an asset is live or archived.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AssetState {
    /// Usable and visible.
    Active,
    /// Archived: hidden and unusable until restored.
    Archived,
    /// A state this version does not know (including `Unspecified`), as the vendor named it.
    Unknown(String),
}

impl<'de> Deserialize<'de> for AssetState {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        let short = name.strip_prefix("STATE_").unwrap_or(&name);
        Ok(if short.eq_ignore_ascii_case("active") {
            AssetState::Active
        } else if short.eq_ignore_ascii_case("archived") {
            AssetState::Archived
        } else {
            AssetState::Unknown(name)
        })
    }
}

/// A preview shown on an asset's page: another (image) asset and its alt text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Preview {
    /// The image asset's path, `assets/{assetId}`.
    pub asset: String,
    /// The alt text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt_text: Option<String>,
}

impl Preview {
    /// A preview of the image asset `image_asset_id`.
    pub fn new(image_asset_id: impl Into<AssetId>) -> Self {
        Self {
            asset: format!("assets/{}", image_asset_id.into()),
            alt_text: None,
        }
    }

    /// Sets the alt text.
    pub fn alt_text(mut self, text: impl Into<String>) -> Self {
        self.alt_text = Some(text.into());
        self
    }
}

/// An asset, as Get Asset, Archive, Restore and finished operations return it.
///
/// Fields outside a read mask are absent (`None`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Asset {
    /// The type (`ASSET_TYPE_DECAL` in answers decodes to [`AssetType::Decal`]).
    pub asset_type: Option<AssetType>,
    /// The id.
    pub asset_id: Option<AssetId>,
    /// Who owns it.
    pub creation_context: Option<CreationContext>,
    /// The name.
    pub display_name: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// The resource path, `assets/{assetId}`.
    pub path: Option<String>,
    /// The current revision.
    #[serde(default, deserialize_with = "id_text")]
    pub revision_id: Option<String>,
    /// When the current revision was made (RFC 3339, as sent).
    pub revision_create_time: Option<String>,
    /// Moderation of the current revision.
    pub moderation_result: Option<ModerationResult>,
    /// The icon's asset path, `assets/{assetId}`.
    pub icon: Option<String>,
    /// The previews.
    #[serde(default, deserialize_with = "null_as_default")]
    pub previews: Vec<Preview>,
    /// Active or archived.
    pub state: Option<AssetState>,
}

/// One version of an asset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AssetVersion {
    /// The resource path, `assets/{assetId}/versions/{versionNumber}`.
    pub path: Option<String>,
    /// Who made this version.
    pub creation_context: Option<CreationContext>,
    /// Moderation of this version.
    pub moderation_result: Option<ModerationResult>,
    /// Whether this version is published, when the API says.
    pub published: Option<bool>,
}

impl AssetVersion {
    /// The version number, read from the end of [`path`](Self::path).
    pub fn version_number(&self) -> Option<u64> {
        self.path.as_deref()?.rsplit('/').next()?.parse().ok()
    }
}

/// One page of List Asset Versions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AssetVersionPage {
    /// The versions on this page, newest first.
    #[serde(default, rename = "assetVersions", deserialize_with = "null_as_default")]
    pub versions: Vec<AssetVersion>,
    /// The token for the next page; `None` on the last page.
    #[serde(default)]
    pub next_page_token: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_operation_response_decodes() {
        let asset: Asset = serde_json::from_str(
            r#"{
              "@type": "type.googleapis.com/roblox.open_cloud.assets.v1.Asset",
              "path": "assets/2205400862",
              "revisionId": "1",
              "revisionCreateTime": "2023-03-02T22:27:04.062164400Z",
              "assetId": "2205400862",
              "displayName": "Name",
              "description": "This is a description",
              "assetType": "ASSET_TYPE_DECAL",
              "creationContext": {"creator": {"userId": "11112938575"}},
              "moderationResult": {"moderationState": "MODERATION_STATE_APPROVED"}
            }"#,
        )
        .unwrap();
        assert_eq!(asset.asset_id, Some(AssetId::from(2_205_400_862)));
        assert_eq!(asset.asset_type, Some(AssetType::Decal));
        assert_eq!(
            asset.creation_context.unwrap().creator,
            Some(Creator::User(11_112_938_575))
        );
        assert_eq!(
            asset.moderation_result.unwrap().moderation_state,
            Some(ModerationState::Approved)
        );
        assert_eq!(asset.revision_id.as_deref(), Some("1"));
        assert!(asset.previews.is_empty());
        assert_eq!(asset.state, None);
    }

    #[test]
    fn lenient_values() {
        let asset: Asset = serde_json::from_str(
            r#"{"assetId": 42, "revisionId": 7, "assetType": "ASSET_TYPE_FONT_FAMILY",
                "creationContext": {"creator": {"groupId": 7654321}, "expectedPrice": "10"},
                "moderationResult": {"moderationState": "MODERATION_STATE_SOMETHING_NEW"},
                "state": "Archived", "previews": [{"asset": "assets/1", "altText": "alt"}],
                "brandNewField": {"x": 1}}"#,
        )
        .unwrap();
        assert_eq!(asset.asset_id.unwrap().as_str(), "42");
        assert_eq!(asset.revision_id.as_deref(), Some("7"));
        assert_eq!(
            asset.asset_type,
            Some(AssetType::Unknown("ASSET_TYPE_FONT_FAMILY".into()))
        );
        let context = asset.creation_context.unwrap();
        assert_eq!(context.creator, Some(Creator::Group(7_654_321)));
        assert_eq!(context.expected_price, Some(10));
        assert_eq!(
            asset.moderation_result.unwrap().moderation_state,
            Some(ModerationState::Unknown("MODERATION_STATE_SOMETHING_NEW".into()))
        );
        assert_eq!(asset.state, Some(AssetState::Archived));
        assert_eq!(asset.previews, vec![Preview::new(1_u64).alt_text("alt")]);
    }

    #[test]
    fn null_lists_read_as_empty() {
        let asset: Asset = serde_json::from_str(r#"{"assetId": "1", "previews": null}"#).unwrap();
        assert!(asset.previews.is_empty());
        let page: AssetVersionPage = serde_json::from_str(r#"{"assetVersions": null}"#).unwrap();
        assert!(page.versions.is_empty());
    }

    #[test]
    fn creators_serialize_as_the_guide_shows() {
        assert_eq!(
            serde_json::to_value(Creator::User(1_234_567)).unwrap(),
            serde_json::json!({"userId": "1234567"})
        );
        assert_eq!(
            serde_json::to_value(Creator::Group(7_654_321)).unwrap(),
            serde_json::json!({"groupId": "7654321"})
        );
    }

    #[test]
    fn version_number_from_path() {
        let v: AssetVersion =
            serde_json::from_str(r#"{"path": "assets/123/versions/4", "published": true}"#).unwrap();
        assert_eq!(v.version_number(), Some(4));
        assert_eq!(v.published, Some(true));
    }
}
