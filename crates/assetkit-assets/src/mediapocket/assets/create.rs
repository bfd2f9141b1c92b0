//! POST /projects/{project_id}/assets

use assetkit_core::{Created, Error, Request, Result, Url};
use serde::Serialize;

use crate::decode::keep_created_id;
use crate::mediapocket::MediaPocketClient;
use crate::mediapocket::models::{Asset, asset_from};
use crate::require_non_blank;

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

    fn validate(&self) -> Result<()> {
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

/// Creates an asset in a project: `POST /projects/{project_id}/assets`.
///
/// Without media the asset is a `placeholder`; [`AssetMedia::Article`] makes an article;
/// [`AssetMedia::Url`] and [`AssetMedia::S3`] attach a file, and the asset stays
/// `processing` until Media Pocket has it (see
/// [`AssetsHandler::wait_processed`](super::AssetsHandler::wait_processed)).
///
/// Checked before sending ([`Error::InvalidRequest`]): the project id and the title are not
/// blank, a media URL is an absolute http(s) URL, file names and S3 keys are not empty.
///
/// Errors: `NotFound` ("project not found"), `Unprocessable` ("Missing parameter title"),
/// and, when Media Pocket created the asset but could not attach its media (a 400 saying
/// `"Asset <id> created, adding media to asset failed: ..."`), [`Error::PartialFailure`]
/// whose [`created`](Error::created) holds the new asset's id and whose source is the 400.
///
/// Not retried after the request may have reached the server (only 429 and 503), so an
/// asset is never created twice.
///
/// ```no_run
/// use assetkit_assets::mediapocket::{AssetMedia, MediaPocketClient};
/// # async fn run(client: MediaPocketClient) -> assetkit_core::Result<()> {
/// let asset = client
///     .assets()
///     .create("DtialUGXI36apS40-0cE", "Sample Asset")
///     .description("Sample asset from API V2")
///     .category("Sample")
///     .tags(["sample", "test"])
///     .media(AssetMedia::url("https://www.example.com/jpgfile.jpg", "jpgfile.jpg"))
///     .send()
///     .await?;
/// println!("{} ({})", asset.id, asset.media_type);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct CreateAsset {
    client: MediaPocketClient,
    project_id: String,
    title: String,
    description: Option<String>,
    category: Option<String>,
    tags: Option<Vec<String>>,
    external_id: Option<String>,
    media: AssetMedia,
}

#[derive(Serialize)]
struct CreateBody<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    media_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<UrlBody<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    s3: Option<S3Body<'a>>,
}

#[derive(Serialize)]
struct UrlBody<'a> {
    file_url: &'a str,
    filename: &'a str,
}

#[derive(Serialize)]
struct S3Body<'a> {
    s3_key: &'a str,
    filename: &'a str,
}

impl CreateAsset {
    pub(super) fn new(client: MediaPocketClient, project_id: String, title: String) -> Self {
        Self {
            client,
            project_id,
            title,
            description: None,
            category: None,
            tags: None,
            external_id: None,
            media: AssetMedia::None,
        }
    }

    /// The description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The category.
    pub fn category(mut self, category: impl Into<String>) -> Self {
        self.category = Some(category.into());
        self
    }

    /// The tags (replacing any set before).
    pub fn tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.tags = Some(tags.into_iter().map(Into::into).collect());
        self
    }

    /// Your own id for the asset.
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }

    /// The media the asset starts with (default: none, a placeholder).
    pub fn media(mut self, media: AssetMedia) -> Self {
        self.media = media;
        self
    }

    fn body(&self) -> CreateBody<'_> {
        let (media_type, url, s3) = match &self.media {
            AssetMedia::None => (None, None, None),
            AssetMedia::Article => (Some("article"), None, None),
            AssetMedia::Url { file_url, filename } => (None, Some(UrlBody { file_url, filename }), None),
            AssetMedia::S3 { s3_key, filename } => (None, None, Some(S3Body { s3_key, filename })),
        };
        CreateBody {
            title: &self.title,
            description: self.description.as_deref(),
            category: self.category.as_deref(),
            tags: self.tags.as_deref(),
            external_id: self.external_id.as_deref(),
            media_type,
            url,
            s3,
        }
    }

    /// Sends the request and returns the new asset.
    pub async fn send(self) -> Result<Asset> {
        require_non_blank("the project id", &self.project_id)?;
        if self.title.trim().is_empty() {
            return Err(Error::invalid("a Media Pocket asset needs a title"));
        }
        self.media.validate()?;
        let request = Request::post(&["projects", &self.project_id, "assets"])
            .endpoint("mediapocket.create_asset")
            .json(&self.body())?;
        match self.client.http.execute(request).await {
            // An answer that cannot be read still names the asset it created.
            Ok(response) => keep_created_id(
                asset_from(&response),
                response.body(),
                &["/asset/id", "/id"],
                |id| Created::new(crate::mediapocket::VENDOR, "asset", id),
            ),
            Err(error) => Err(match created_before_failure(&error) {
                Some(id) => error.after_created(Created::new(crate::mediapocket::VENDOR, "asset", id)),
                None => error,
            }),
        }
    }
}

/// The id in `Asset <id> created, adding media to asset failed: ...`: the asset exists
/// although the request failed.
fn created_before_failure(error: &Error) -> Option<String> {
    let message = &error.api_error()?.message;
    let rest = message.trim_start().strip_prefix("Asset ")?;
    let (id, tail) = rest.split_once(char::is_whitespace)?;
    (!id.is_empty() && tail.trim_start().starts_with("created")).then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use assetkit_core::ApiError;

    fn bad_request(message: &str) -> Error {
        Error::from_api(ApiError::with_message(crate::mediapocket::VENDOR, 400, message))
    }

    #[test]
    fn reads_the_created_id() {
        let err = bad_request(
            "Asset t5_jeMYGzfkYEdDNzbI9 created, adding media to asset failed: not a valid HTTP URL",
        );
        assert_eq!(
            created_before_failure(&err).as_deref(),
            Some("t5_jeMYGzfkYEdDNzbI9")
        );
        assert_eq!(created_before_failure(&bad_request("Asset title missing")), None);
        assert_eq!(created_before_failure(&bad_request("project not found")), None);
        assert_eq!(created_before_failure(&Error::invalid("Asset x created")), None);
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
