//! The public data types of the Roblox client: asset types (the file formats each accepts
//! and their upload limits), assets, their versions, creators and moderation.
//!
//! Decoding is lenient: ids may come as strings or numbers, enum values this version does
//! not know land in an `Unknown(String)` variant, every field may be missing, and fields
//! not listed here are ignored.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde_json::Value;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::decode::null_as_default;

/// The largest file a Create or Update Asset call takes (20 MB, read as MiB).
pub const MAX_UPLOAD_BYTES: u64 = 20 * 1024 * 1024;

/// The largest video file (3.75 GB, read as GiB).
pub const MAX_VIDEO_UPLOAD_BYTES: u64 = 3 * 1024 * 1024 * 1024 + 768 * 1024 * 1024;

/// The widest and the tallest Decal or Image, in pixels. The usage guide says images
/// "must be smaller than 8000x8000 pixels", read literally: 7999 on each side at most, an
/// image 8000 pixels wide is refused. Checked before sending with the `preflight` feature.
pub const MAX_IMAGE_SIDE: u32 = 7999;

/// The longest Audio asset: "up to 7 minutes of duration". Checked before sending with the
/// `preflight` feature.
pub const MAX_AUDIO_DURATION: Duration = Duration::from_secs(7 * 60);

/// The longest Video asset: "up to 5 minutes of duration". Checked before sending with the
/// `preflight` feature.
pub const MAX_VIDEO_DURATION: Duration = Duration::from_secs(5 * 60);

/// The widest video frame: "up to 4096x2160 resolution" (width first, as stored in the file:
/// a portrait 2160×4096 video is refused). Checked before sending with the `preflight`
/// feature.
pub const MAX_VIDEO_WIDTH: u32 = 4096;

/// The tallest video frame (see [`MAX_VIDEO_WIDTH`]).
pub const MAX_VIDEO_HEIGHT: u32 = 2160;

/// One accepted file format: an extension (lowercase, no dot) and the content type sent
/// with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Format {
    /// The extension, lowercase, without the dot.
    pub extension: &'static str,
    /// The `Content-Type` of the `fileContent` part.
    pub content_type: &'static str,
}

const fn format(extension: &'static str, content_type: &'static str) -> Format {
    Format {
        extension,
        content_type,
    }
}

const ANIMATION: &[Format] = &[format("rbxm", "model/x-rbxm"), format("rbxmx", "model/x-rbxm")];
const AUDIO: &[Format] = &[
    format("mp3", "audio/mpeg"),
    format("ogg", "audio/ogg"),
    format("wav", "audio/wav"),
    format("flac", "audio/flac"),
];
// `.jpg` is not in the vendor's table, but it is the same format as `.jpeg`.
const IMAGE: &[Format] = &[
    format("png", "image/png"),
    format("jpeg", "image/jpeg"),
    format("jpg", "image/jpeg"),
    format("bmp", "image/bmp"),
    format("tga", "image/tga"),
];
const MODEL: &[Format] = &[
    format("fbx", "model/fbx"),
    format("gltf", "model/gltf+json"),
    format("glb", "model/gltf-binary"),
    format("rbxm", "model/x-rbxm"),
    format("rbxmx", "model/x-rbxm"),
];
const VIDEO: &[Format] = &[format("mp4", "video/mp4"), format("mov", "video/mov")];

/// The content type of meshes: only content downloaded from the Asset Delivery API is
/// accepted, whatever its file name.
pub const MESH_CONTENT_TYPE: &str = "model/x-file-mesh-data";

/// The kind of an asset.
///
/// Requests send the short names the usage guide shows (`"Model"`, `"Decal"`); responses
/// carry `ASSET_TYPE_MODEL`-style names. Both decode to the same variant, and any name not
/// listed here decodes to [`AssetType::Unknown`] with the vendor's text kept.
///
/// | type | formats | content types |
/// |---|---|---|
/// | Animation | `.rbxm`, `.rbxmx` | `model/x-rbxm` |
/// | Audio | `.mp3`, `.ogg`, `.wav`, `.flac` | `audio/mpeg`, `audio/ogg`, `audio/wav`, `audio/flac` |
/// | Decal, Image | `.png`, `.jpeg` (`.jpg`), `.bmp`, `.tga` | `image/png`, `image/jpeg`, `image/bmp`, `image/tga` |
/// | Mesh | Roblox-only content | `model/x-file-mesh-data` |
/// | Model | `.fbx`, `.gltf`, `.glb`, `.rbxm`, `.rbxmx` | `model/fbx`, `model/gltf+json`, `model/gltf-binary`, `model/x-rbxm` |
/// | Video | `.mp4`, `.mov` | `video/mp4`, `video/mov` |
///
/// Each upload is at most 20 MB (videos 3.75 GB). Audio, Decal, Image and Mesh content
/// cannot be updated; content updates take Model `.fbx` files only.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AssetType {
    /// An animation (`.rbxm`, `.rbxmx`).
    Animation,
    /// A sound (`.mp3`, `.ogg`, `.wav`, `.flac`).
    Audio,
    /// A decal (`.png`, `.jpeg`, `.bmp`, `.tga`).
    Decal,
    /// An image (`.png`, `.jpeg`, `.bmp`, `.tga`).
    Image,
    /// A mesh previously downloaded from the Asset Delivery API.
    Mesh,
    /// A 3D model (`.fbx`, `.gltf`, `.glb`, `.rbxm`, `.rbxmx`).
    Model,
    /// A video (`.mp4`, `.mov`).
    Video,
    /// A type this version of assetkit does not know, as the vendor named it.
    Unknown(String),
}

impl AssetType {
    /// The name sent in requests (`"Model"`), or the vendor's own text for `Unknown`.
    pub fn as_str(&self) -> &str {
        match self {
            AssetType::Animation => "Animation",
            AssetType::Audio => "Audio",
            AssetType::Decal => "Decal",
            AssetType::Image => "Image",
            AssetType::Mesh => "Mesh",
            AssetType::Model => "Model",
            AssetType::Video => "Video",
            AssetType::Unknown(name) => name,
        }
    }

    /// The type a file most likely is, from its extension (lowercase, no dot): models,
    /// images (as Decals), audio and video. `None` for anything else.
    pub fn guess(extension: Option<&str>) -> Option<AssetType> {
        Some(match extension? {
            "fbx" | "gltf" | "glb" | "rbxm" | "rbxmx" => AssetType::Model,
            "png" | "jpg" | "jpeg" | "bmp" | "tga" => AssetType::Decal,
            "mp3" | "ogg" | "wav" | "flac" => AssetType::Audio,
            "mp4" | "mov" => AssetType::Video,
            _ => return None,
        })
    }

    /// Reads a name as requests (`"Decal"`) or responses (`"ASSET_TYPE_DECAL"`) spell it.
    pub fn from_name(name: &str) -> Self {
        let short = name.strip_prefix("ASSET_TYPE_").unwrap_or(name);
        let known = [
            AssetType::Animation,
            AssetType::Audio,
            AssetType::Decal,
            AssetType::Image,
            AssetType::Mesh,
            AssetType::Model,
            AssetType::Video,
        ];
        known
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(short))
            .unwrap_or_else(|| AssetType::Unknown(name.to_owned()))
    }

    /// The documented formats of this type (empty for `Mesh`, which takes Roblox-only
    /// content, and for `Unknown`).
    pub fn formats(&self) -> &'static [Format] {
        match self {
            AssetType::Animation => ANIMATION,
            AssetType::Audio => AUDIO,
            AssetType::Decal | AssetType::Image => IMAGE,
            AssetType::Model => MODEL,
            AssetType::Video => VIDEO,
            AssetType::Mesh | AssetType::Unknown(_) => &[],
        }
    }

    /// The content type to upload a file with `extension` (lowercase, no dot) as this
    /// type, or `None` when the vendor does not accept that extension for it.
    ///
    /// Meshes always go as `model/x-file-mesh-data`; `Unknown` types have no table.
    pub fn content_type_for(&self, extension: Option<&str>) -> Option<&'static str> {
        if *self == AssetType::Mesh {
            return Some(MESH_CONTENT_TYPE);
        }
        let extension = extension?;
        self.formats()
            .iter()
            .find(|f| f.extension.eq_ignore_ascii_case(extension))
            .map(|f| f.content_type)
    }

    /// The largest file one call may upload for this type.
    pub fn max_upload_bytes(&self) -> u64 {
        match self {
            AssetType::Video => MAX_VIDEO_UPLOAD_BYTES,
            _ => MAX_UPLOAD_BYTES,
        }
    }

    /// Whether the content of an existing asset of this type can be replaced (Update Asset
    /// with a file). The guide marks Audio, Decal, Image and Mesh "not available for
    /// updating" and allows Model `.fbx` files only.
    pub fn content_updatable(&self) -> bool {
        *self == AssetType::Model
    }
}

impl fmt::Display for AssetType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for AssetType {
    fn from(name: &str) -> Self {
        AssetType::from_name(name)
    }
}

impl Serialize for AssetType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AssetType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Ok(AssetType::from_name(&name))
    }
}

/// Picks the content type for uploading `extension` as `asset_type`, or says why not.
pub(crate) fn content_type(
    asset_type: &AssetType,
    extension: Option<&str>,
    override_type: Option<&str>,
) -> Result<String, String> {
    if let AssetType::Unknown(name) = asset_type {
        return override_type.map(str::to_owned).ok_or_else(|| {
            format!("asset type {name:?} has no documented formats; set content_type(...) to upload it")
        });
    }
    if let Some(found) = asset_type.content_type_for(extension) {
        return Ok(override_type.unwrap_or(found).to_owned());
    }
    let accepted: Vec<String> = asset_type
        .formats()
        .iter()
        .map(|f| format!(".{}", f.extension))
        .collect();
    Err(format!(
        "{} files are not accepted as {asset_type} assets (accepted: {})",
        extension.map_or_else(|| "extension-less".to_owned(), |e| format!(".{e}")),
        accepted.join(", ")
    ))
}

/// An asset id. Built from a number or a string; the API sends it as either.
///
/// ```
/// use assetkit::roblox::AssetId;
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

/// The privacy an asset is created with (`creationContext.assetPrivacy`), for the asset
/// types that allow a privacy override (the spec's `AssetPrivacy`; see Roblox's "Asset
/// privacy" page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AssetPrivacy {
    /// The type's default.
    Default,
    /// Only the creator (and those it grants) may use it.
    Restricted,
    /// Anyone may use it.
    OpenUse,
}

/// The longest description Roblox takes, in characters (the spec's `Asset.description`).
pub const MAX_DESCRIPTION_CHARS: usize = 1000;

/// Refuses a description over [`MAX_DESCRIPTION_CHARS`], before any byte is sent.
pub(crate) fn check_description(description: Option<&str>) -> assetkit_core::Result<()> {
    let count = description.map_or(0, |d| d.chars().count());
    if count > MAX_DESCRIPTION_CHARS {
        return Err(assetkit_core::Error::invalid(format!(
            "the description has {count} characters; Roblox takes at most {MAX_DESCRIPTION_CHARS}"
        )));
    }
    Ok(())
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

/// A social media link of an asset (the spec's `SocialLink`): at most three per asset.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
#[non_exhaustive]
pub struct SocialLink {
    /// An optional title (not shown on the Creator Hub).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The link; it must match the kind's format (`https://twitch.tv/your-channel`).
    pub uri: String,
}

impl SocialLink {
    /// A link to `uri`, with no title.
    pub fn new(uri: impl Into<String>) -> Self {
        Self {
            title: None,
            uri: uri.into(),
        }
    }

    /// With a title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }
}

/// Where a [`SocialLink`] points: each kind is its own field (`twitchSocialLink`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SocialLinkKind {
    /// `facebookSocialLink`.
    Facebook,
    /// `twitterSocialLink`.
    Twitter,
    /// `youtubeSocialLink`.
    Youtube,
    /// `twitchSocialLink`.
    Twitch,
    /// `discordSocialLink`.
    Discord,
    /// `githubSocialLink`.
    Github,
    /// `robloxSocialLink`.
    Roblox,
    /// `guildedSocialLink`.
    Guilded,
    /// `devForumSocialLink`.
    DevForum,
}

impl SocialLinkKind {
    /// Every kind, in the spec's order.
    pub const ALL: [SocialLinkKind; 9] = [
        SocialLinkKind::Facebook,
        SocialLinkKind::Twitter,
        SocialLinkKind::Youtube,
        SocialLinkKind::Twitch,
        SocialLinkKind::Discord,
        SocialLinkKind::Github,
        SocialLinkKind::Roblox,
        SocialLinkKind::Guilded,
        SocialLinkKind::DevForum,
    ];

    /// The field name, as in bodies and update masks (`twitchSocialLink`).
    pub const fn field(self) -> &'static str {
        match self {
            SocialLinkKind::Facebook => "facebookSocialLink",
            SocialLinkKind::Twitter => "twitterSocialLink",
            SocialLinkKind::Youtube => "youtubeSocialLink",
            SocialLinkKind::Twitch => "twitchSocialLink",
            SocialLinkKind::Discord => "discordSocialLink",
            SocialLinkKind::Github => "githubSocialLink",
            SocialLinkKind::Roblox => "robloxSocialLink",
            SocialLinkKind::Guilded => "guildedSocialLink",
            SocialLinkKind::DevForum => "devForumSocialLink",
        }
    }
}

/// The most social links an asset has.
pub const MAX_SOCIAL_LINKS: usize = 3;

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
    /// Fields this version of assetkit does not name, as sent (the social links among
    /// them; see [`social_links`](Self::social_links)).
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

impl Asset {
    /// The asset's id, which every answer about an existing asset carries (Get Asset,
    /// Update Asset, a finished operation): use this rather than matching on
    /// [`asset_id`](Self::asset_id).
    ///
    /// # Errors
    ///
    /// [`Error::Decode`](assetkit_core::Error::Decode) when the answer had no `assetId`.
    pub fn id(&self) -> assetkit_core::Result<AssetId> {
        self.asset_id
            .clone()
            .ok_or_else(|| assetkit_core::Error::decode("Roblox asset", "the answer has no assetId", b""))
    }

    /// The social links the answer carries (`twitchSocialLink`, ...), by kind.
    pub fn social_links(&self) -> BTreeMap<SocialLinkKind, SocialLink> {
        SocialLinkKind::ALL
            .into_iter()
            .filter_map(|kind| {
                let link = serde_json::from_value(self.other.get(kind.field())?.clone()).ok()?;
                Some((kind, link))
            })
            .collect()
    }
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
    /// The version number, read from the end of [`path`](Self::path)
    /// (`assets/{assetId}/versions/{versionNumber}`), which every version carries.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`](assetkit_core::Error::Decode) when the path is missing or does not
    /// end in a number.
    pub fn version_number(&self) -> assetkit_core::Result<u64> {
        self.path
            .as_deref()
            .and_then(|path| path.rsplit('/').next()?.parse().ok())
            .ok_or_else(|| {
                let path = self.path.as_deref().unwrap_or_default();
                assetkit_core::Error::decode(
                    "Roblox asset version",
                    "the path does not end in a version number",
                    path.as_bytes(),
                )
            })
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
        assert_eq!(v.version_number().ok(), Some(4));
        let bad: AssetVersion = serde_json::from_str(r#"{"path": "assets/123/versions/x"}"#).unwrap();
        assert!(matches!(
            bad.version_number(),
            Err(assetkit_core::Error::Decode { .. })
        ));
        let asset: Asset = serde_json::from_str(r#"{"displayName": "x"}"#).unwrap();
        assert!(matches!(asset.id(), Err(assetkit_core::Error::Decode { .. })));
        assert_eq!(v.published, Some(true));
    }

    #[test]
    fn names_from_requests_and_responses() {
        assert_eq!(AssetType::from_name("Model"), AssetType::Model);
        assert_eq!(AssetType::from_name("ASSET_TYPE_DECAL"), AssetType::Decal);
        assert_eq!(AssetType::from_name("ASSET_TYPE_VIDEO"), AssetType::Video);
        assert_eq!(
            AssetType::from_name("ASSET_TYPE_PLUGIN"),
            AssetType::Unknown("ASSET_TYPE_PLUGIN".into())
        );
        assert_eq!(AssetType::Unknown("Plugin".into()).as_str(), "Plugin");
    }

    #[test]
    fn table_of_formats() {
        let ct = |t: AssetType, e: &str| t.content_type_for(Some(e));
        assert_eq!(ct(AssetType::Animation, "rbxmx"), Some("model/x-rbxm"));
        assert_eq!(ct(AssetType::Audio, "mp3"), Some("audio/mpeg"));
        assert_eq!(ct(AssetType::Audio, "flac"), Some("audio/flac"));
        assert_eq!(ct(AssetType::Decal, "jpg"), Some("image/jpeg"));
        assert_eq!(ct(AssetType::Image, "tga"), Some("image/tga"));
        assert_eq!(ct(AssetType::Model, "glb"), Some("model/gltf-binary"));
        assert_eq!(ct(AssetType::Model, "gltf"), Some("model/gltf+json"));
        assert_eq!(ct(AssetType::Video, "mov"), Some("video/mov"));
        assert_eq!(ct(AssetType::Mesh, "anything"), Some(MESH_CONTENT_TYPE));
        assert_eq!(ct(AssetType::Model, "png"), None);
        assert_eq!(ct(AssetType::Audio, "fbx"), None);
        assert_eq!(MAX_VIDEO_UPLOAD_BYTES, 4_026_531_840);
    }

    #[test]
    fn unknown_types_need_an_explicit_content_type() {
        let plugin = AssetType::Unknown("Plugin".into());
        assert!(content_type(&plugin, Some("rbxm"), None).is_err());
        assert_eq!(
            content_type(&plugin, Some("rbxm"), Some("model/x-rbxm")).as_deref(),
            Ok("model/x-rbxm")
        );
        let err = content_type(&AssetType::Model, Some("png"), None).unwrap_err();
        assert!(err.contains(".png files are not accepted as Model"), "{err}");
    }
}
