//! Create Asset: `POST /projects/{project_id}/assets`.

use assetkit_core::{Created, Error, Request, Result};
use serde::Serialize;

use crate::decode::keep_created_id;
use crate::mediapocket::MediaPocketClient;
use crate::mediapocket::models::{Asset, AssetMedia, asset_from};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Create Asset: `POST /projects/{project_id}/assets`.
///
/// Creates an asset in a project. Without media the asset is a `placeholder`; [`AssetMedia::Article`] makes an article;
/// [`AssetMedia::Url`] and [`AssetMedia::S3`] attach a file, and the asset stays
/// `processing` until Media Pocket has it (see
/// [`AssetsHandler::wait_processed`](super::AssetsHandler::wait_processed)).
///
/// Not retried after the request may have reached the server (only 429 and 503), so an
/// asset is never created twice.
///
/// See also: [the Media Pocket API v2 reference](https://tryme.mediapocket.fi/api/docs/V2.html)
/// (Create asset).
///
/// # Errors
///
/// - [`Error::InvalidRequest`], before sending: a blank project id or title, a media URL
///   that is not an absolute http(s) URL, an empty file name or S3 key.
/// - `NotFound` (404, "project not found"), `Unprocessable` (422, "Missing parameter
///   title"), `Unauthorized` (401) for a bad key, `RateLimited` (429), `Server` (5xx).
/// - When Media Pocket created the asset but could not attach its media (a 400 saying
///   `"Asset <id> created, adding media to asset failed: ..."`), [`Error::PartialFailure`]
///   whose [`created`](Error::created) holds the new asset's id and whose source is the 400.
///
/// # Examples
///
/// ```no_run
/// use assetkit::mediapocket::{AssetMedia, MediaPocketClient};
/// # async fn run(client: MediaPocketClient) -> assetkit::Result<()> {
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
#[must_use = "a request does nothing until `send` is awaited"]
pub struct CreateAsset {
    client: MediaPocketClient,
    project_id: String,
    title: String,
    description: Option<String>,
    category: Option<String>,
    tags: Option<Vec<String>>,
    external_id: Option<String>,
    media: AssetMedia,
    options: CallOptions,
}

impl RequestOptions for CreateAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

/// The JSON body of Create Asset.
#[derive(Serialize)]
struct CreateAssetBody<'a> {
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
    url: Option<UrlMediaBody<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    s3: Option<S3MediaBody<'a>>,
}

/// `url`: media Media Pocket downloads.
#[derive(Serialize)]
struct UrlMediaBody<'a> {
    file_url: &'a str,
    filename: &'a str,
}

/// `s3`: media Media Pocket takes from S3.
#[derive(Serialize)]
struct S3MediaBody<'a> {
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
            options: CallOptions::default(),
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

    fn body(&self) -> CreateAssetBody<'_> {
        let (media_type, url, s3) = match &self.media {
            AssetMedia::None => (None, None, None),
            AssetMedia::Article => (Some("article"), None, None),
            AssetMedia::Url { file_url, filename } => (None, Some(UrlMediaBody { file_url, filename }), None),
            AssetMedia::S3 { s3_key, filename } => (None, None, Some(S3MediaBody { s3_key, filename })),
        };
        CreateAssetBody {
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
        match self.client.http.execute(self.options.apply(request)).await {
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
    use assetkit_core::ApiError;
    use serde_json::json;

    use super::*;

    fn bad_request(message: &str) -> Error {
        Error::from_api(ApiError::with_message(crate::mediapocket::VENDOR, 400, message))
    }

    fn body_of(media: AssetMedia) -> serde_json::Value {
        let client = MediaPocketClient::builder()
            .api_key("k")
            .tenant("acme")
            .build()
            .unwrap();
        let create = CreateAsset::new(client, "DtialUGXI36apS40-0cE".into(), "Sample Asset".into())
            .description("Sample asset from API V2")
            .category("Sample")
            .tags(["sample", "test"])
            .media(media);
        serde_json::to_value(create.body()).unwrap()
    }

    #[test]
    fn the_body_is_the_seeds_create_examples() {
        // "Successful request without media".
        assert_eq!(
            body_of(AssetMedia::None),
            json!({
                "title": "Sample Asset",
                "description": "Sample asset from API V2",
                "category": "Sample",
                "tags": ["sample", "test"]
            })
        );
        // "Successful request with HTTP file URL".
        assert_eq!(
            body_of(AssetMedia::url(
                "http://www.example.com/jpgfile.jpg",
                "jpgfile.jpg"
            )),
            json!({
                "title": "Sample Asset",
                "description": "Sample asset from API V2",
                "category": "Sample",
                "tags": ["sample", "test"],
                "url": {"file_url": "http://www.example.com/jpgfile.jpg", "filename": "jpgfile.jpg"}
            })
        );
        assert_eq!(body_of(AssetMedia::Article)["media_type"], json!("article"));
        assert_eq!(
            body_of(AssetMedia::s3("uploads/a.jpg", "a.jpg"))["s3"],
            json!({"s3_key": "uploads/a.jpg", "filename": "a.jpg"})
        );
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
}
