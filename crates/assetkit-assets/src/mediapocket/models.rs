//! The public data types of the Media Pocket client: what it answers (assets and their
//! media, decoded leniently) and the media a new asset starts with.

use std::fmt;

use assetkit_core::{Error, Response, Result, Url};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::decode::null_as_default;
use crate::require_non_blank;

/// An asset, as Media Pocket returns it (under `"asset"` or bare: both are accepted).
///
/// Fields the API documents as nullable are `Option`s; unknown fields are ignored. Dates are
/// RFC 3339 on the wire (`"2023-11-27T09:43:34.166Z"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Asset {
    /// The asset's id (`"v_Fa1CZTS56Vkgdoyo4e"`).
    pub id: String,
    /// The caller's own id for it, when one was given.
    #[serde(default)]
    pub external_id: Option<String>,
    /// The parent asset, for versions and derived assets.
    #[serde(default)]
    pub parent_id: Option<String>,
    /// The project it belongs to.
    #[serde(default, deserialize_with = "null_as_default")]
    pub project_id: String,
    /// Who owns it (an e-mail address).
    #[serde(default, deserialize_with = "null_as_default")]
    pub owner: String,
    /// Its title.
    #[serde(default, deserialize_with = "null_as_default")]
    pub title: String,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// Its category (Media Pocket stores it in lowercase).
    #[serde(default)]
    pub category: Option<String>,
    /// Its tags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
    /// Tags Media Pocket's AI suggested, as sent: the documentation shows only `[]`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub ai_tags: Vec<Value>,
    /// Its workflow status (`"open"`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: String,
    /// What kind of media it holds; [`MediaType::Processing`] while uploaded media is being
    /// processed. Absent or `null` reads as [`MediaType::Placeholder`] (the documented
    /// default for a new asset).
    #[serde(default, deserialize_with = "null_as_default")]
    pub media_type: MediaType,
    /// The file name of its media, when it has a file.
    #[serde(default)]
    pub original_filename: Option<String>,
    /// The drop folder it came in through, if any.
    #[serde(default)]
    pub drop_folder_id: Option<String>,
    /// The MD5 of its media, once known.
    #[serde(default)]
    pub md5_sum: Option<String>,
    /// When it was created; `None` when the answer leaves it out, sends `null` or a value
    /// that is not an RFC 3339 date (one odd field never fails the whole asset).
    #[serde(
        default,
        serialize_with = "time::serde::rfc3339::option::serialize",
        deserialize_with = "lenient_date"
    )]
    pub created_date: Option<OffsetDateTime>,
    /// When it was last changed; read like [`created_date`](Self::created_date).
    #[serde(
        default,
        serialize_with = "time::serde::rfc3339::option::serialize",
        deserialize_with = "lenient_date"
    )]
    pub modification_date: Option<OffsetDateTime>,
    /// When it was moved to the trash bin; `None` while it is not there. The documentation
    /// only shows `null`: a value that is not an RFC 3339 date also reads as `None`.
    #[serde(
        default,
        serialize_with = "time::serde::rfc3339::option::serialize",
        deserialize_with = "lenient_date"
    )]
    pub deleted: Option<OffsetDateTime>,
}

impl Asset {
    /// Whether its media is still being processed.
    pub fn is_processing(&self) -> bool {
        self.media_type == MediaType::Processing
    }

    /// Whether it is in the trash bin.
    pub fn is_deleted(&self) -> bool {
        self.deleted.is_some()
    }
}

/// What kind of media an asset holds.
///
/// Values Media Pocket may add later arrive as [`MediaType::Unknown`] with the word as sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum MediaType {
    /// No media yet (`"placeholder"`): the default for a new asset.
    #[default]
    Placeholder,
    /// A text article (`"article"`).
    Article,
    /// Media was added and is being processed (`"processing"`).
    Processing,
    /// An image (`"image"`).
    Image,
    /// A video (`"video"`).
    Video,
    /// Audio (`"audio"`).
    Audio,
    /// A document (`"document"`).
    Document,
    /// Any other value, as sent.
    Unknown(String),
}

impl MediaType {
    /// The word on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            MediaType::Placeholder => "placeholder",
            MediaType::Article => "article",
            MediaType::Processing => "processing",
            MediaType::Image => "image",
            MediaType::Video => "video",
            MediaType::Audio => "audio",
            MediaType::Document => "document",
            MediaType::Unknown(other) => other,
        }
    }
}

impl From<&str> for MediaType {
    fn from(word: &str) -> Self {
        match word {
            "placeholder" => MediaType::Placeholder,
            "article" => MediaType::Article,
            "processing" => MediaType::Processing,
            "image" => MediaType::Image,
            "video" => MediaType::Video,
            "audio" => MediaType::Audio,
            "document" => MediaType::Document,
            other => MediaType::Unknown(other.to_owned()),
        }
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for MediaType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for MediaType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let word = String::deserialize(deserializer)?;
        Ok(MediaType::from(word.as_str()))
    }
}

/// One media item of an asset, from GET /assets/{id}/media.
///
/// The shape of this answer is not documented, so every field is read leniently: the ones
/// below are filled when a field of a likely name holds a value of the right type, and
/// [`fields`](Self::fields) keeps the whole object as sent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Media {
    /// `id` (a number is kept as its decimal text).
    pub id: Option<String>,
    /// `media_type`, or `type`.
    pub media_type: Option<MediaType>,
    /// `filename`, or `original_filename`.
    pub filename: Option<String>,
    /// `url`, or `file_url`.
    pub url: Option<String>,
    /// `size`, or `file_size`, in bytes.
    pub size: Option<u64>,
    /// `md5_sum`.
    pub md5_sum: Option<String>,
    /// `created_date`, when an RFC 3339 date.
    pub created_date: Option<OffsetDateTime>,
    /// Every field as sent.
    pub fields: Map<String, Value>,
}

impl Media {
    /// A media item from one JSON object, taking what fits.
    fn from_fields(fields: Map<String, Value>) -> Self {
        let text = |names: &[&str]| {
            names.iter().find_map(|name| match fields.get(*name)? {
                Value::String(s) if !s.is_empty() => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
        };
        let size = ["size", "file_size"]
            .iter()
            .find_map(|name| match fields.get(*name)? {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.parse().ok(),
                _ => None,
            });
        Self {
            id: text(&["id"]),
            media_type: text(&["media_type", "type"]).map(|t| MediaType::from(t.as_str())),
            filename: text(&["filename", "original_filename"]),
            url: text(&["url", "file_url"]),
            size,
            md5_sum: text(&["md5_sum"]),
            created_date: text(&["created_date"]).and_then(|d| OffsetDateTime::parse(&d, &Rfc3339).ok()),
            fields,
        }
    }
}

impl<'de> Deserialize<'de> for Media {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::deserialize(deserializer).map(Media::from_fields)
    }
}

/// An RFC 3339 date, or `None` for `null` and anything else.
#[allow(clippy::unnecessary_wraps)] // serde's `deserialize_with` needs a `Result`.
fn lenient_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<OffsetDateTime>, D::Error> {
    Ok(match Value::deserialize(deserializer) {
        Ok(Value::String(s)) => OffsetDateTime::parse(&s, &Rfc3339).ok(),
        _ => None,
    })
}

/// The asset in an answer that holds one, under `"asset"` or bare.
pub(crate) fn asset_from(response: &Response) -> Result<Asset> {
    let body = response.body();
    let value: Value =
        serde_json::from_slice(body).map_err(|e| Error::decode_json("Media Pocket asset", e, body))?;
    serde_json::from_value(unwrap_asset(value)).map_err(|e| Error::decode_json("Media Pocket asset", e, body))
}

/// The asset in the answer of an action whose answer is not documented (trash, restore,
/// add media): `None` when the body holds none, since the action itself succeeded.
pub(crate) fn optional_asset_from(response: &Response) -> Option<Asset> {
    let value: Value = serde_json::from_slice(response.body()).ok()?;
    match serde_json::from_value(unwrap_asset(value)) {
        Ok(asset) => Some(asset),
        Err(error) => {
            tracing::debug!(%error, "Media Pocket answer holds no asset");
            None
        }
    }
}

fn unwrap_asset(value: Value) -> Value {
    match value {
        Value::Object(mut map)
            if !map.contains_key("id") && map.get("asset").is_some_and(Value::is_object) =>
        {
            map.remove("asset").unwrap_or_default()
        }
        other => other,
    }
}

/// The media items of an answer: a bare array, `{"media": [...]}` (or one object there),
/// an object with a single array field, or one media object.
pub(crate) fn media_from(response: &Response) -> Result<Vec<Media>> {
    let body = response.body();
    let decode = |e: serde_json::Error| Error::decode_json("Media Pocket media list", e, body);
    let value: Value = serde_json::from_slice(body).map_err(decode)?;
    let items = match value {
        Value::Array(items) => items,
        Value::Object(mut map) => match map.remove("media") {
            Some(Value::Array(items)) => items,
            Some(one @ Value::Object(_)) => vec![one],
            Some(Value::Null) => Vec::new(),
            Some(other) => {
                map.insert("media".to_owned(), other);
                single_array_or_item(map)
            }
            None => single_array_or_item(map),
        },
        Value::Null => Vec::new(),
        other => {
            return Err(Error::decode(
                "Media Pocket media list",
                format!("expected a list of media, found {other}"),
                body,
            ));
        }
    };
    Ok(items
        .into_iter()
        .filter_map(|item| match item {
            Value::Object(fields) => Some(Media::from_fields(fields)),
            _ => None,
        })
        .collect())
}

fn single_array_or_item(map: Map<String, Value>) -> Vec<Value> {
    let mut arrays = map.values().filter(|v| v.is_array());
    match (arrays.next(), arrays.next()) {
        (Some(Value::Array(items)), None) => items.clone(),
        _ if map.is_empty() => Vec::new(),
        _ => vec![Value::Object(map)],
    }
}

/// The media a new asset starts with. Media Pocket takes at most one of these, so they are
/// one enum: a mix the API would refuse cannot be built.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum AssetMedia {
    /// No media: the asset is a `placeholder`.
    #[default]
    None,
    /// A text article (`"media_type": "article"`).
    Article,
    /// A file Media Pocket downloads from an http(s) URL (`"url": {file_url, filename}`);
    /// the asset is `processing` until it is done.
    Url {
        /// The http or https URL of the file.
        file_url: String,
        /// The file name to store it under.
        filename: String,
    },
    /// A file Media Pocket takes from S3 (`"s3": {s3_key, filename}`); the asset is
    /// `processing` until it is done.
    S3 {
        /// The object key in S3.
        s3_key: String,
        /// The file name to store it under.
        filename: String,
    },
}

impl AssetMedia {
    /// Media downloaded from `file_url` and stored as `filename`.
    pub fn url(file_url: impl Into<String>, filename: impl Into<String>) -> Self {
        AssetMedia::Url {
            file_url: file_url.into(),
            filename: filename.into(),
        }
    }

    /// Media taken from the S3 object `s3_key` and stored as `filename`.
    pub fn s3(s3_key: impl Into<String>, filename: impl Into<String>) -> Self {
        AssetMedia::S3 {
            s3_key: s3_key.into(),
            filename: filename.into(),
        }
    }

    /// Refuses a media URL that is not an absolute http(s) URL, and empty names or keys.
    pub(crate) fn validate(&self) -> Result<()> {
        match self {
            AssetMedia::None | AssetMedia::Article => Ok(()),
            AssetMedia::Url { file_url, filename } => check_url_media(file_url, filename),
            AssetMedia::S3 { s3_key, filename } => {
                require_non_blank("the media s3_key", s3_key)?;
                require_non_blank("the media filename", filename)
            }
        }
    }
}

/// Refuses a media URL that is not an absolute http(s) URL, and an empty file name.
pub(crate) fn check_url_media(file_url: &str, filename: &str) -> Result<()> {
    let url = Url::parse(file_url)
        .map_err(|e| Error::invalid(format!("media file_url {file_url:?} is not an absolute URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || !url.has_host() {
        return Err(Error::invalid(format!(
            "media file_url {file_url:?} is not an http(s) URL"
        )));
    }
    require_non_blank("the media filename", filename)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_type_words_round_trip() {
        for word in [
            "placeholder",
            "article",
            "processing",
            "image",
            "video",
            "audio",
            "document",
            "hologram",
        ] {
            assert_eq!(MediaType::from(word).as_str(), word);
        }
        assert_eq!(MediaType::from("hologram"), MediaType::Unknown("hologram".into()));
    }

    #[test]
    fn media_reads_what_fits() {
        let media: Media = serde_json::from_str(
            r#"{"id": 7, "type": "image", "original_filename": "a.jpg", "size": "12",
                "created_date": "not a date", "extra": true}"#,
        )
        .unwrap();
        assert_eq!(media.id.as_deref(), Some("7"));
        assert_eq!(media.media_type, Some(MediaType::Image));
        assert_eq!(media.filename.as_deref(), Some("a.jpg"));
        assert_eq!(media.size, Some(12));
        assert_eq!(media.created_date, None);
        assert_eq!(media.fields.get("extra"), Some(&Value::Bool(true)));
    }

    #[test]
    fn asset_unwraps_only_a_wrapper() {
        let wrapped = serde_json::json!({"asset": {"id": "a"}});
        assert_eq!(unwrap_asset(wrapped), serde_json::json!({"id": "a"}));
        let bare = serde_json::json!({"id": "a", "asset": {"id": "b"}});
        assert_eq!(unwrap_asset(bare.clone()), bare);
    }

    #[test]
    fn url_media_must_be_http() {
        for bad in [
            "/local/downloads/myfile.jpg",
            "ftp://h/x.jpg",
            "file:///x.jpg",
            "http://",
            "",
        ] {
            assert!(
                matches!(
                    AssetMedia::url(bad, "x.jpg").validate(),
                    Err(Error::InvalidRequest(_))
                ),
                "{bad:?}"
            );
        }
        assert!(
            AssetMedia::url("http://www.example.com/jpgfile.jpg", "jpgfile.jpg")
                .validate()
                .is_ok()
        );
        assert!(
            AssetMedia::url("https://www.example.com/a.jpg", " ")
                .validate()
                .is_err()
        );
        assert!(AssetMedia::s3("", "a.jpg").validate().is_err());
    }
}
