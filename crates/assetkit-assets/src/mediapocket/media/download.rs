//! Get Media Download URL: `GET /assets/{id}/media/{media_id}/download_url`, and the
//! download of the media through it.

use assetkit_core::{Error, ProgressReporter, Request, Result, Url};
use serde_json::Value;

use crate::download::{download_ends, fetch};
use crate::mediapocket::MediaPocketClient;
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Get Media Download URL: `GET /assets/{id}/media/{media_id}/download_url`.
///
/// Where one media file of an asset can be downloaded. Media Pocket's index lists the
/// endpoint ("Get media download URL") without its answer, so the answer is read
/// leniently: a JSON string, or an object whose `download_url` or `url` field (at the
/// top or under `media`) is an absolute URL.
///
/// See also: [the Media Pocket API v2 reference](https://tryme.mediapocket.fi/api/docs/V2.html)
/// (the assets section's index).
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty asset or media id.
/// - `NotFound` (404), `Unauthorized` (401), `RateLimited` (429), `Server` (5xx).
/// - `Decode` when the answer holds no absolute URL in those places.
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::mediapocket::MediaPocketClient) -> assetkit::Result<()> {
/// let url = client.media().download_url("faNNZ8yt0dUA8dWA0-WW", "original").send().await?;
/// println!("{url}");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct GetDownloadUrl {
    client: MediaPocketClient,
    asset_id: String,
    media_id: String,
    options: CallOptions,
}

impl RequestOptions for GetDownloadUrl {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl GetDownloadUrl {
    pub(super) fn new(client: MediaPocketClient, asset_id: String, media_id: String) -> Self {
        Self {
            client,
            asset_id,
            media_id,
            options: CallOptions::default(),
        }
    }

    /// Sends the request; answers the download URL.
    pub async fn send(self) -> Result<Url> {
        require_non_blank("the asset id", &self.asset_id)?;
        require_non_blank("the media id", &self.media_id)?;
        let request = Request::get(&["assets", &self.asset_id, "media", &self.media_id, "download_url"])
            .endpoint("mediapocket.media_download_url");
        let response = self.client.http.execute(self.options.apply(request)).await?;
        let body = response.body();
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| Error::decode_json("Media Pocket download URL", e, body))?;
        url_in(&value).ok_or_else(|| {
            Error::decode(
                "Media Pocket download URL",
                "the answer holds no absolute URL (as a string, or in download_url / url)",
                body,
            )
        })
    }
}

/// The absolute URL in a download-URL answer.
fn url_in(value: &Value) -> Option<Url> {
    let absolute = |v: &Value| v.as_str().and_then(|s| Url::parse(s.trim()).ok());
    if let Some(url) = absolute(value) {
        return Some(url);
    }
    [value, value.get("media").unwrap_or(&Value::Null)]
        .into_iter()
        .flat_map(|v| ["download_url", "url"].map(|key| v.get(key)))
        .flatten()
        .find_map(absolute)
}

/// Download Media: [Get Media Download URL](GetDownloadUrl), then the file there.
///
/// The bytes are streamed to a file (a temporary file beside it, renamed once complete)
/// or a writer, with byte progress, the length checked against `Content-Length` and a
/// broken transfer resumed with `Range` (see [`assetkit_core::Download`]). The API key
/// goes to the tenant's host only, never to a storage host elsewhere.
///
/// # Errors
///
/// What [`GetDownloadUrl`] answers; `Transport` when the bytes stop short after the
/// retries; `Io` when the file cannot be written.
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::mediapocket::MediaPocketClient) -> assetkit::Result<()> {
/// let bytes = client.media().download("faNNZ8yt0dUA8dWA0-WW", "original").to_path("photo.jpg").await?;
/// println!("{bytes} bytes");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a download does nothing until `to_path` or `to_writer` is awaited"]
pub struct DownloadMedia {
    url: GetDownloadUrl,
    progress: Option<ProgressReporter>,
}

impl RequestOptions for DownloadMedia {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.url.options
    }
}

impl DownloadMedia {
    pub(super) fn new(client: MediaPocketClient, asset_id: String, media_id: String) -> Self {
        Self {
            url: GetDownloadUrl::new(client, asset_id, media_id),
            progress: None,
        }
    }

    /// Reports bytes received.
    pub fn progress(mut self, reporter: ProgressReporter) -> Self {
        self.progress = Some(reporter);
        self
    }

    async fn located(self) -> Result<assetkit_core::Download> {
        let client = self.url.client.clone();
        let url = self.url.send().await?;
        Ok(fetch(&client.http, url, self.progress.as_ref()))
    }
}

download_ends!(DownloadMedia);

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::url_in;

    #[test]
    fn the_url_is_found_where_an_answer_may_hold_it() {
        let url = "https://s3.example.com/bucket/file.jpg?X-Amz-Signature=abc";
        for answer in [
            json!(url),
            json!({"download_url": url}),
            json!({"url": url}),
            json!({"media": {"download_url": url}}),
        ] {
            assert_eq!(
                url_in(&answer).map(String::from).as_deref(),
                Some(url),
                "{answer}"
            );
        }
        for answer in [
            json!({"download_url": "/relative"}),
            json!({}),
            json!(null),
            json!(7),
        ] {
            assert!(url_in(&answer).is_none(), "{answer}");
        }
    }
}
