//! The public data types of the Unicat client: which assets a call names
//! ([`AssetSelector`], [`AssetRef`]) and what it answers ([`Asset`], [`AssetChange`]).

use std::collections::BTreeMap;

use assetkit_core::{Error, Result};
use serde_json::Value;

/// Which assets `assets/get` fetches: exactly one of the four forms Unicat accepts, so an
/// ambiguous request (Unicat would guess among several parameters) cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetSelector {
    /// One asset by gid (`{"asset": gid}`).
    Gid(String),
    /// Several assets by gid (`{"assets": [gid, ...]}`).
    Gids(Vec<String>),
    /// One asset by its complete path, name included (`{"pathname": "/products/image.jpg"}`).
    Pathname(String),
    /// Several assets by complete path (`{"pathnames": [...]}`).
    Pathnames(Vec<String>),
}

impl AssetSelector {
    /// One asset by gid.
    pub fn gid(gid: impl Into<String>) -> Self {
        Self::Gid(gid.into())
    }

    /// Several assets by gid.
    pub fn gids<I, S>(gids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::Gids(gids.into_iter().map(Into::into).collect())
    }

    /// One asset by complete path.
    pub fn pathname(pathname: impl Into<String>) -> Self {
        Self::Pathname(pathname.into())
    }

    /// Several assets by complete path.
    pub fn pathnames<I, S>(pathnames: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::Pathnames(pathnames.into_iter().map(Into::into).collect())
    }
}

impl From<AssetRef> for AssetSelector {
    fn from(asset: AssetRef) -> Self {
        match asset {
            AssetRef::Gid(gid) => Self::Gid(gid),
            AssetRef::Pathname(pathname) => Self::Pathname(pathname),
        }
    }
}

/// One asset named by gid or by complete path: the parent of `assets/children` and
/// `assets/upload`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetRef {
    /// By gid.
    Gid(String),
    /// By complete path (`/products`).
    Pathname(String),
}

impl AssetRef {
    /// By gid.
    pub fn gid(gid: impl Into<String>) -> Self {
        Self::Gid(gid.into())
    }

    /// By complete path.
    pub fn pathname(pathname: impl Into<String>) -> Self {
        Self::Pathname(pathname.into())
    }

    /// Refuses an empty gid, or a pathname that is not absolute.
    pub(crate) fn validate(&self) -> Result<()> {
        match self {
            AssetRef::Gid(gid) => crate::require_non_blank("the asset gid", gid),
            AssetRef::Pathname(pathname) => validate_pathname(pathname),
        }
    }
}

pub(crate) fn validate_pathname(pathname: &str) -> Result<()> {
    if !pathname.starts_with('/') {
        return Err(Error::invalid(format!(
            "Unicat pathnames are complete paths starting with '/', not {pathname:?}"
        )));
    }
    Ok(())
}

/// A Unicat asset: a folder or a file, as `data.assets` describes it.
///
/// Decoded leniently: every field but the gid is optional, a field of an unexpected type
/// reads as absent, and the whole record stays available in [`raw`](Self::raw). When an
/// answer names an asset without a record for it, the asset has only its gid.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Asset {
    /// The global id.
    pub gid: String,
    /// The complete path, name included (`/products/image.jpg`).
    pub pathname: Option<String>,
    /// The folder path (`/products`).
    pub path: Option<String>,
    /// The name (last path component).
    pub name: Option<String>,
    /// The file type (`svg`, `jpg`...); none for folders. Unicat calls it `type`.
    pub kind: Option<String>,
    /// `true` for files, `false` for folders.
    pub is_file: Option<bool>,
    /// The parent folder's gid.
    pub parent: Option<String>,
    /// How many children a folder has.
    pub childcount: Option<u64>,
    /// The status (`published`, `deleted`...).
    pub status: Option<String>,
    /// The file version, bumped by every `upload_update`.
    pub version: Option<u64>,
    /// The localized title, by language code.
    pub title: BTreeMap<String, String>,
    /// The localized description, by language code.
    pub description: BTreeMap<String, String>,
    /// File information (width, height, filesize, format...) or folder counts.
    pub info: Option<Value>,
    /// Default transforms.
    pub transforms: Option<Value>,
    /// When the asset last changed (Unix seconds).
    pub updated_on: Option<f64>,
    /// The record as Unicat sent it.
    pub raw: Value,
}

impl Asset {
    /// Reads a record of `data.assets`; `gid` is its key there, used when the record
    /// itself has none.
    pub(crate) fn from_record(gid: &str, record: Option<&Value>) -> Self {
        let Some(record) = record else {
            return Self {
                gid: gid.to_owned(),
                ..Self::default()
            };
        };
        let text = |key: &str| record.get(key).and_then(Value::as_str).map(str::to_owned);
        let localized = |key: &str| -> BTreeMap<String, String> {
            record
                .get(key)
                .and_then(Value::as_object)
                .map(|map| {
                    map.iter()
                        .filter_map(|(lang, v)| Some((lang.clone(), v.as_str()?.to_owned())))
                        .collect()
                })
                .unwrap_or_default()
        };
        let object = |key: &str| record.get(key).filter(|v| !v.is_null()).cloned();
        Self {
            gid: text("gid")
                .filter(|g| !g.is_empty())
                .unwrap_or_else(|| gid.to_owned()),
            pathname: text("pathname"),
            path: text("path"),
            name: text("name"),
            kind: text("type"),
            is_file: record.get("is_file").and_then(Value::as_bool),
            parent: text("parent"),
            childcount: record.get("childcount").and_then(Value::as_u64),
            status: text("status"),
            version: record.get("version").and_then(Value::as_u64),
            title: localized("title"),
            description: localized("description"),
            info: object("info"),
            transforms: object("transforms"),
            updated_on: record.get("updated_on").and_then(Value::as_f64),
            raw: record.clone(),
        }
    }

    /// Whether this is a folder (`is_file: false`).
    pub fn is_folder(&self) -> bool {
        self.is_file == Some(false)
    }

    /// The file size in bytes (`info.filesize`), for files.
    pub fn file_size(&self) -> Option<u64> {
        self.info.as_ref()?.get("filesize")?.as_u64()
    }
}

/// What a change (upload, update, delete, undelete) returned: the asset, and its parent
/// folder when the answer names it (`upload` does, with the updated `childcount`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AssetChange {
    /// The asset as it is now.
    pub asset: Asset,
    /// Its parent folder, when the answer names it.
    pub parent: Option<Asset>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_the_documented_file_record_leniently() {
        let record = json!({
            "gid": "218437b3-f3db-4f60-9d44-c96319aa3c57",
            "pathname": "/image.svg",
            "is_file": true,
            "type": "svg",
            "childcount": 0,
            "status": "published",
            "info": {"width": 333, "height": 333, "filesize": 1192},
            "transforms": null,
            "path": "/",
            "name": "image.svg",
            "title": {"nl": "", "en": "Logo", "de": null},
            "updated_on": 1_610_635_126.047_62,
            "version": "not a number"
        });
        let asset = Asset::from_record("ignored", Some(&record));
        assert_eq!(asset.gid, "218437b3-f3db-4f60-9d44-c96319aa3c57");
        assert_eq!(asset.kind.as_deref(), Some("svg"));
        assert_eq!(asset.file_size(), Some(1192));
        assert_eq!(asset.transforms, None);
        assert_eq!(asset.version, None);
        assert_eq!(asset.title.get("en").map(String::as_str), Some("Logo"));
        assert!(!asset.title.contains_key("de"));
        assert!(!asset.is_folder());
        assert_eq!(asset.raw, record);
    }

    #[test]
    fn an_asset_without_record_keeps_its_gid() {
        let asset = Asset::from_record("g1", None);
        assert_eq!(asset.gid, "g1");
        assert_eq!(asset.name, None);
        assert_eq!(asset.raw, Value::Null);
    }
}
