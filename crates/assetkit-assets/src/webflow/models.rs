//! What the Webflow Assets endpoints answer, decoded leniently: every documented field is an
//! `Option` (Webflow marks them all optional), unknown fields are ignored, and a missing
//! list is an empty one.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::decode::null_as_default;

/// An asset of a site (`GET /assets/{asset_id}`, and each item of List Assets).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Asset {
    /// Unique identifier of the asset.
    pub id: String,
    /// The file's MIME type, e.g. `image/png`.
    pub content_type: Option<String>,
    /// Size in bytes.
    pub size: Option<u64>,
    /// The site that hosts the asset.
    pub site_id: Option<String>,
    /// Link to the asset.
    pub hosted_url: Option<String>,
    /// The file name at the time of upload.
    pub original_file_name: Option<String>,
    /// Display name of the asset.
    pub display_name: Option<String>,
    /// When the asset metadata was last updated (ISO 8601).
    pub last_updated: Option<String>,
    /// When the asset metadata was created (ISO 8601).
    pub created_on: Option<String>,
    /// Responsive variants Webflow created to serve the asset.
    #[serde(deserialize_with = "null_as_default")]
    pub variants: Vec<AssetVariant>,
    /// The visual description of the asset (may be `null`).
    pub alt_text: Option<String>,
    /// The folder the asset is in (`null` at the site root). Only List Assets sends it.
    pub folder_id: Option<String>,
}

/// One responsive variant of an asset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct AssetVariant {
    /// Link to the variant.
    pub hosted_url: Option<String>,
    /// The original file name of the variant.
    pub original_file_name: Option<String>,
    /// Display name of the variant.
    pub display_name: Option<String>,
    /// The variant's format (a MIME type such as `image/png`).
    pub format: Option<String>,
    /// Width in pixels.
    pub width: Option<u32>,
    /// Height in pixels.
    pub height: Option<u32>,
    /// Compression quality (0–100).
    pub quality: Option<u32>,
    /// Why the variant could not be made (empty when it could).
    pub error: Option<String>,
}

/// Paging of a list answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Pagination {
    /// The page size used.
    pub limit: Option<u64>,
    /// The offset of this page's first item.
    pub offset: Option<u64>,
    /// Items in all.
    pub total: Option<u64>,
}

/// One page of List Assets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct AssetPage {
    /// The assets of this page.
    #[serde(deserialize_with = "null_as_default")]
    pub assets: Vec<Asset>,
    /// Where this page sits in the whole list.
    #[serde(deserialize_with = "null_as_default")]
    pub pagination: Pagination,
}

/// The answer of Upload Asset step 1 (`POST /sites/{site_id}/assets`): the asset's
/// metadata, plus the S3 form (`uploadUrl` + `uploadDetails`) the file goes to in step 2.
///
/// It serialises back to Webflow's JSON, so a caller can keep it (a lockfile, say) and
/// finish the upload later with
/// [`AssetsHandler::finish_upload`](crate::webflow::AssetsHandler::finish_upload).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct CreatedAsset {
    /// Unique identifier of the new asset: it exists from now on, even before step 2.
    pub id: String,
    /// The form fields to post to `upload_url`, in the order Webflow sent them.
    #[serde(deserialize_with = "null_as_default")]
    pub upload_details: UploadDetails,
    /// The file's MIME type.
    pub content_type: Option<String>,
    /// The folder the asset was put in.
    pub parent_folder: Option<String>,
    /// Where step 2 posts the file (an S3 bucket URL).
    pub upload_url: Option<String>,
    /// S3 link to the asset.
    pub asset_url: Option<String>,
    /// Link to the asset.
    pub hosted_url: Option<String>,
    /// The file name given at upload.
    pub original_file_name: Option<String>,
    /// When the asset metadata was created (ISO 8601).
    pub created_on: Option<String>,
    /// When the asset metadata was last updated (ISO 8601).
    pub last_updated: Option<String>,
}

/// The S3 form fields of an upload, kept exactly as Webflow sent them: every key with its
/// exact spelling (`X-Amz-Signature`, `Policy`, `Cache-Control`...), in the order received,
/// including keys assetkit does not know, so they all reach S3.
///
/// Numbers and booleans are kept as their JSON text; `null` values are dropped.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct UploadDetails {
    fields: Vec<(String, String)>,
}

impl fmt::Debug for UploadDetails {
    // The policy and signature are credentials for one upload: show the keys only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadDetails")
            .field("keys", &self.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl UploadDetails {
    /// No fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a field (kept after those already present).
    pub fn push(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.fields.push((key.into(), value.into()));
    }

    /// The value of the first field named exactly `key` (case-sensitive, as S3 form fields
    /// are sent).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Replaces the value of every field named exactly `key`, or appends it when absent.
    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        let mut found = false;
        for (k, v) in &mut self.fields {
            if k == key {
                v.clone_from(&value);
                found = true;
            }
        }
        if !found {
            self.fields.push((key.to_owned(), value));
        }
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The field names in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|(k, _)| k.as_str())
    }

    /// How many fields there are.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether there are no fields.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for UploadDetails {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self {
            fields: iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect(),
        }
    }
}

impl Serialize for UploadDetails {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.fields.len()))?;
        for (k, v) in &self.fields {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for UploadDetails {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;

        impl<'de> Visitor<'de> for Fields {
            type Value = UploadDetails;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of upload form fields")
            }

            // A map is walked in document order, so the fields keep Webflow's order.
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut details = UploadDetails::new();
                while let Some((key, value)) = map.next_entry::<String, serde_json::Value>()? {
                    let value = match value {
                        serde_json::Value::Null => continue,
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    details.fields.push((key, value));
                }
                Ok(details)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(UploadDetails::new())
            }
        }

        deserializer.deserialize_any(Fields)
    }
}

/// An asset folder (`GET /asset_folders/{asset_folder_id}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct AssetFolder {
    /// Unique identifier of the folder.
    pub id: String,
    /// The folder's visible name.
    pub display_name: Option<String>,
    /// The parent folder (`None` at the root).
    pub parent_folder: Option<String>,
    /// Ids of the assets in the folder.
    #[serde(deserialize_with = "null_as_default")]
    pub assets: Vec<String>,
    /// The site the folder belongs to.
    pub site_id: Option<String>,
    /// When the folder was created (ISO 8601).
    pub created_on: Option<String>,
    /// When the folder was last updated (ISO 8601).
    pub last_updated: Option<String>,
}

/// The answer of List Asset Folders.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct AssetFolderList {
    /// The folders.
    #[serde(deserialize_with = "null_as_default")]
    pub asset_folders: Vec<AssetFolder>,
    /// Paging of the list.
    #[serde(deserialize_with = "null_as_default")]
    pub pagination: Pagination,
}

/// What S3 said when it accepted the file of step 2.
///
/// With `success_action_status` 201 S3 answers an XML `PostResponse` (location, bucket,
/// key, ETag); with 204 (the default) or 200 it answers nothing, and only the `ETag`
/// header may be there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StoredObject {
    /// The HTTP status S3 answered (201, 204 or 200).
    pub status: u16,
    /// The object's URL, from the XML answer.
    pub location: Option<String>,
    /// The bucket, from the XML answer.
    pub bucket: Option<String>,
    /// The object key, from the XML answer.
    pub key: Option<String>,
    /// The object's ETag, quotes removed (from the XML answer or the `ETag` header).
    pub etag: Option<String>,
}

/// The result of a complete upload: the asset Webflow created, and what S3 stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UploadedAsset {
    /// The step-1 answer (id, urls, file name...).
    pub asset: CreatedAsset,
    /// The MD5 of the file, lowercase hex, as sent to Webflow in `fileHash` (known when
    /// assetkit ran step 1 or was told it).
    pub file_hash: Option<String>,
    /// Bytes uploaded.
    pub size: u64,
    /// S3's answer to step 2.
    pub stored: StoredObject,
}

impl UploadedAsset {
    /// The id of the new asset.
    pub fn id(&self) -> &str {
        &self.asset.id
    }

    /// Where the asset is served, when Webflow said.
    pub fn hosted_url(&self) -> Option<&str> {
        self.asset.hosted_url.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_details_keep_order_and_unknown_keys() {
        let json = r#"{"uploadDetails":{"acl":"public-read","bucket":"b","X-Amz-Algorithm":"AWS4-HMAC-SHA256",
            "key":"k","Policy":"cG9s","x-amz-meta-extra":"yes","success_action_status":201,"drop":null},
            "id":"a1"}"#;
        let created: CreatedAsset = serde_json::from_str(json).unwrap();
        let keys: Vec<_> = created.upload_details.keys().collect();
        assert_eq!(
            keys,
            [
                "acl",
                "bucket",
                "X-Amz-Algorithm",
                "key",
                "Policy",
                "x-amz-meta-extra",
                "success_action_status"
            ]
        );
        assert_eq!(created.upload_details.get("success_action_status"), Some("201"));
        let round = serde_json::to_string(&created.upload_details).unwrap();
        assert!(round.starts_with(r#"{"acl":"public-read","bucket":"b","X-Amz-Algorithm""#));
        assert!(!format!("{:?}", created.upload_details).contains("cG9s"));
    }

    #[test]
    fn lenient_asset() {
        let asset: Asset =
            serde_json::from_str(r#"{"id":"x","variants":null,"altText":null,"surprise":[1]}"#).unwrap();
        assert_eq!(asset.id, "x");
        assert!(asset.variants.is_empty());
        assert_eq!(asset.alt_text, None);
    }
}
