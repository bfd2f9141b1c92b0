//! Create Asset: `POST /v1/assets`.

use assetkit_core::{Error, ProgressReporter, Request, Result, UploadSource};
use serde::Serialize;

use super::{CreationContextBody, file_part, form};
use crate::roblox::models::check_description;
use crate::roblox::{AssetPrivacy, AssetType, Creator, Operation, RobloxClient};
use crate::{CallOptions, RequestOptions};

/// Create Asset: `POST /v1/assets` (multipart).
///
/// Uploads a new asset: a `request` part with the JSON `{assetType, displayName,
/// description, creationContext: {creator: {userId | groupId}, expectedPrice?}}` and a
/// `fileContent` part streamed from the file, with its file name and the content type of
/// its format. Answers with an [`Operation`]; [`Operation::wait`] returns the asset.
/// Being a POST, it is retried only after 429 and 503 answers and failures before
/// sending; the file is reopened and sent whole on each attempt.
///
/// See also: [Create Asset](https://create.roblox.com/docs/cloud/reference/features/assets)
/// in the Open Cloud reference.
///
/// # Errors
///
/// - `InvalidRequest`, before any byte is sent: an empty display name, a description
///   over 1000 characters, a file extension the type does not accept (see
///   [`AssetType`]), or a file over 20 MB (videos: 3.75 GB); `Io` when the file cannot
///   be read.
/// - `InvalidRequest`, before any byte is sent, from the preflight of the file's content
///   (the `preflight` feature, on by default; [`skip_preflight`](Self::skip_preflight)
///   turns it off): an image [`MAX_IMAGE_SIDE`](crate::roblox::MAX_IMAGE_SIDE)+1 pixels or
///   more on a side, audio over 7 minutes, video over 5 minutes or over 4096×2160, a file
///   whose first bytes are not the format its extension names, and an audio or video file
///   the preflight cannot read (a codec it does not know, a corrupt header). See
///   [Preflight](crate::roblox#preflight).
/// - `BadRequest` (400) for a request Roblox refuses, `Unauthorized` (401) for a bad key,
///   `Forbidden` (403) without Write permission, `RateLimited` (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::roblox::RobloxClient) -> assetkit::Result<()> {
/// use assetkit::roblox::{AssetType, Creator};
/// use assetkit::UploadSource;
///
/// let operation = client
///     .assets()
///     .create(AssetType::Decal, "Logo", UploadSource::path("logo.png"), Creator::Group(7_654_321))
///     .description("Our logo")
///     .send()
///     .await?;
/// let asset = operation.wait().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct CreateAsset {
    client: RobloxClient,
    asset_type: AssetType,
    display_name: String,
    content: UploadSource,
    description: Option<String>,
    creator: Creator,
    expected_price: Option<u64>,
    asset_privacy: Option<AssetPrivacy>,
    content_type: Option<String>,
    progress: Option<ProgressReporter>,
    preflight: bool,
    options: CallOptions,
}

impl RequestOptions for CreateAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

/// The `request` part of Create Asset.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateAssetBody<'a> {
    asset_type: &'a AssetType,
    display_name: &'a str,
    description: &'a str,
    creation_context: CreationContextBody,
}

impl CreateAsset {
    pub(crate) fn new(
        client: RobloxClient,
        asset_type: AssetType,
        display_name: String,
        content: UploadSource,
        creator: Creator,
    ) -> Self {
        Self {
            client,
            asset_type,
            display_name,
            content,
            description: None,
            creator,
            expected_price: None,
            asset_privacy: None,
            content_type: None,
            progress: None,
            preflight: true,
            options: CallOptions::default(),
        }
    }

    /// Sets the description (sent as `""` when not set).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the privacy the asset is created with (`creationContext.assetPrivacy`; only
    /// for the types that allow a privacy override).
    pub fn asset_privacy(mut self, privacy: AssetPrivacy) -> Self {
        self.asset_privacy = Some(privacy);
        self
    }

    /// Sets the most Robux the creator agrees to pay for the upload.
    pub fn expected_price(mut self, robux: u64) -> Self {
        self.expected_price = Some(robux);
        self
    }

    /// Overrides the content type of the file part. Needed for
    /// [`AssetType::Unknown`] types, which have no format table; for known types the
    /// extension must still be one the type accepts.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Reports upload progress per chunk sent.
    pub fn progress(mut self, reporter: ProgressReporter) -> Self {
        self.progress = Some(reporter);
        self
    }

    /// Skips the checks of the file's content made before sending (see
    /// [Preflight](crate::roblox#preflight)): image dimensions, audio and video duration,
    /// video resolution, and the format of the first bytes. For a file they misjudge (a
    /// codec they cannot read, say) or limits Roblox has since raised. The extension and
    /// size checks still run. Without the `preflight` feature there is nothing to skip.
    pub fn skip_preflight(mut self) -> Self {
        self.preflight = false;
        self
    }

    /// Validates, uploads, and returns the operation that processes the upload.
    pub async fn send(self) -> Result<Operation> {
        if self.display_name.trim().is_empty() {
            return Err(Error::invalid("the display name of a new asset is empty"));
        }
        check_description(self.description.as_deref())?;
        let file = file_part(
            &self.asset_type,
            &self.content,
            self.content_type.as_deref(),
            self.preflight,
        )
        .await?;
        let body = CreateAssetBody {
            asset_type: &self.asset_type,
            display_name: &self.display_name,
            description: self.description.as_deref().unwrap_or_default(),
            creation_context: CreationContextBody {
                creator: self.creator,
                expected_price: self.expected_price,
                asset_privacy: self.asset_privacy,
            },
        };
        let request = Request::post(&["v1", "assets"])
            .multipart(form(&body, Some(file))?)
            .endpoint("roblox.create_asset")
            .progress(self.progress);
        let response = self.client.http().execute(self.options.apply(request)).await?;
        Operation::from_response(&self.client, &response, true)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_request_part_is_the_guides_create_example() {
        // The usage guide's "Example Request for Create Asset".
        let body = CreateAssetBody {
            asset_type: &AssetType::Model,
            display_name: "Name",
            description: "This is a description",
            creation_context: CreationContextBody {
                creator: Creator::User(1_234_567),
                expected_price: None,
                asset_privacy: None,
            },
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({
                "assetType": "Model",
                "displayName": "Name",
                "description": "This is a description",
                "creationContext": {"creator": {"userId": "1234567"}}
            })
        );
        let group = CreateAssetBody {
            asset_type: &AssetType::Decal,
            display_name: "Logo",
            description: "",
            creation_context: CreationContextBody {
                creator: Creator::Group(7_654_321),
                expected_price: Some(10),
                asset_privacy: Some(AssetPrivacy::OpenUse),
            },
        };
        assert_eq!(
            serde_json::to_value(&group).unwrap(),
            json!({
                "assetType": "Decal",
                "displayName": "Logo",
                "description": "",
                "creationContext": {"creator": {"groupId": "7654321"}, "expectedPrice": 10, "assetPrivacy": "openUse"}
            })
        );
    }
}
