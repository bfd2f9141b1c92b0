//! Upload Asset, step 1: `POST /sites/{site_id}/assets`.

use assetkit_core::{Created, Error, Request, Result};
use serde::Serialize;

use super::validate_file_name;
use crate::decode::keep_created_id;
use crate::webflow::{CreatedAsset, WebflowClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Upload Asset, step 1: `POST /sites/{site_id}/assets`.
///
/// Sends `{fileName, fileHash, parentFolder?}` and creates the asset's metadata; the
/// answer holds the S3 form (`uploadUrl`, `uploadDetails`) the file must be posted to —
/// with [`AssetsHandler::finish_upload`](crate::webflow::AssetsHandler::finish_upload).
/// [`AssetsHandler::upload`](crate::webflow::AssetsHandler::upload) does both steps and
/// computes the MD5 itself.
///
/// See also: [Upload Asset](https://developers.webflow.com/data/reference/assets/assets/create)
/// in the Webflow Data API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty site id, a file name that is empty or
///   100 characters or more, an empty file hash.
/// - `BadRequest` (400) for a request Webflow refuses, `Unauthorized` (401) for a bad
///   token, `Forbidden` (403) without the `assets:write` scope, `NotFound` (404) for an
///   unknown site, `RateLimited` (429), `Server` (5xx). An answer that cannot be read but
///   names the new asset is a `PartialFailure` carrying its id.
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::webflow::WebflowClient) -> assetkit::Result<()> {
/// use assetkit::webflow::file_md5;
/// use assetkit::UploadSource;
///
/// let source = UploadSource::path("file.png");
/// let (_, hash) = file_md5(&source).await?;
/// let created = client
///     .assets()
///     .create("580e63e98c9a982ac9b8b741", "file.png", hash)
///     .parent_folder("6390c49774a71f99f21a08eb")
///     .send()
///     .await?;
/// let uploaded = client.assets().finish_upload(created, source).send().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct CreateAsset {
    client: WebflowClient,
    site_id: String,
    file_name: String,
    file_hash: String,
    parent_folder: Option<String>,
    options: CallOptions,
}

impl RequestOptions for CreateAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

/// The JSON body of Upload Asset, step 1.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateAssetBody<'a> {
    file_name: &'a str,
    file_hash: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_folder: Option<&'a str>,
}

impl CreateAsset {
    pub(crate) fn new(client: WebflowClient, site_id: String, file_name: String, file_hash: String) -> Self {
        Self {
            client,
            site_id,
            file_name,
            file_hash,
            parent_folder: None,
            options: CallOptions::default(),
        }
    }

    /// Puts the asset in this asset folder.
    pub fn parent_folder(mut self, folder_id: impl Into<String>) -> Self {
        self.parent_folder = Some(folder_id.into());
        self
    }

    fn body(&self) -> CreateAssetBody<'_> {
        CreateAssetBody {
            file_name: &self.file_name,
            file_hash: &self.file_hash,
            parent_folder: self.parent_folder.as_deref(),
        }
    }

    /// Sends step 1.
    pub async fn send(self) -> Result<CreatedAsset> {
        require_non_blank("site_id", &self.site_id)?;
        validate_file_name(&self.file_name)?;
        if self.file_hash.trim().is_empty() {
            return Err(Error::invalid("fileHash (the file's MD5) must not be empty"));
        }
        let request = Request::post(&["sites", &self.site_id, "assets"])
            .endpoint("webflow.create_asset")
            .json(&self.body())?;
        let response = self.client.http().execute(self.options.apply(request)).await?;
        // The asset exists from here on: an answer that cannot be read still names it.
        keep_created_id(response.json(), response.body(), &["/id"], |id| {
            Created::new(crate::webflow::VENDOR, "asset", id)
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_body_is_the_documented_step_one_request() {
        let body = CreateAssetBody {
            file_name: "file.png",
            file_hash: "3c7d87c9575702bc3b1e991f4d3c638e",
            parent_folder: None,
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"fileName": "file.png", "fileHash": "3c7d87c9575702bc3b1e991f4d3c638e"})
        );
        let in_folder = CreateAssetBody {
            parent_folder: Some("6390c49774a71f99f21a08eb"),
            ..body
        };
        assert_eq!(
            serde_json::to_value(&in_folder).unwrap(),
            json!({
                "fileName": "file.png",
                "fileHash": "3c7d87c9575702bc3b1e991f4d3c638e",
                "parentFolder": "6390c49774a71f99f21a08eb"
            })
        );
    }
}
