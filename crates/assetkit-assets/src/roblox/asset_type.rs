//! Asset types, the file formats each accepts, and their upload limits.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The largest file a Create or Update Asset call takes (20 MB, read as MiB).
pub const MAX_UPLOAD_BYTES: u64 = 20 * 1024 * 1024;

/// The largest video file (3.75 GB, read as GiB).
pub const MAX_VIDEO_UPLOAD_BYTES: u64 = 3 * 1024 * 1024 * 1024 + 768 * 1024 * 1024;

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

#[cfg(test)]
mod tests {
    use super::*;

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
