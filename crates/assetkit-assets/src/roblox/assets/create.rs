//! Create Asset: `POST /v1/assets`.

use assetkit_core::{Error, FormPart, MultipartForm, ProgressReporter, Request, Result, UploadSource};
use serde::Serialize;

use crate::roblox::asset_type::content_type;
use crate::roblox::{AssetType, Creator, Operation, RobloxClient};

/// Create Asset: `POST /v1/assets` (multipart).
///
/// Uploads a new asset: a `request` part with the JSON `{assetType, displayName,
/// description, creationContext: {creator: {userId | groupId}, expectedPrice?}}` and a
/// `fileContent` part streamed from the file, with its file name and the content type of
/// its format. Answers with an [`Operation`]; [`Operation::wait`] returns the asset.
///
/// Refused with `InvalidRequest` before any byte is sent: an empty display name, no
/// [`creator`](Self::creator), a file extension the type does not accept (see
/// [`AssetType`]), or a file over 20 MB (videos: 3.75 GB). Being a POST, it is retried
/// only after 429 and 503 answers and failures before sending; the file is reopened and
/// sent whole on each attempt.
///
/// ```no_run
/// # async fn run(client: assetkit_assets::roblox::RobloxClient) -> assetkit_core::Result<()> {
/// use assetkit_assets::roblox::{AssetType, Creator};
/// use assetkit_core::UploadSource;
///
/// let operation = client
///     .assets()
///     .create(AssetType::Decal, "Logo", UploadSource::path("logo.png"))
///     .description("Our logo")
///     .creator(Creator::Group(7_654_321))
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
    creator: Option<Creator>,
    expected_price: Option<u64>,
    content_type: Option<String>,
    progress: Option<ProgressReporter>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateRequest<'a> {
    asset_type: &'a AssetType,
    display_name: &'a str,
    description: &'a str,
    creation_context: CreationContextOut,
}

/// The `creationContext` of a create or content-update request.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreationContextOut {
    pub(crate) creator: Creator,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) expected_price: Option<u64>,
}

impl CreateAsset {
    pub(crate) fn new(
        client: RobloxClient,
        asset_type: AssetType,
        display_name: String,
        content: UploadSource,
    ) -> Self {
        Self {
            client,
            asset_type,
            display_name,
            content,
            description: None,
            creator: None,
            expected_price: None,
            content_type: None,
            progress: None,
        }
    }

    /// Sets the description (sent as `""` when not set).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the owner: a user or a group (required).
    pub fn creator(mut self, creator: impl Into<Creator>) -> Self {
        self.creator = Some(creator.into());
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

    /// Validates, uploads, and returns the operation that processes the upload.
    pub async fn send(self) -> Result<Operation> {
        if self.display_name.trim().is_empty() {
            return Err(Error::invalid("the display name of a new asset is empty"));
        }
        let creator = self.creator.ok_or_else(|| {
            Error::invalid("a new asset needs a creator: creator(Creator::User(id)) or Creator::Group(id)")
        })?;
        let file = file_part(&self.asset_type, &self.content, self.content_type.as_deref()).await?;
        let request = CreateRequest {
            asset_type: &self.asset_type,
            display_name: &self.display_name,
            description: self.description.as_deref().unwrap_or_default(),
            creation_context: CreationContextOut {
                creator,
                expected_price: self.expected_price,
            },
        };
        let request = Request::post(&["v1", "assets"])
            .multipart(form(&request, Some(file))?)
            .endpoint("roblox.create_asset")
            .progress(self.progress);
        let response = self.client.http().execute(request).await?;
        Operation::from_response(&self.client, &response, true)
    }
}

/// The multipart body of Create and Update Asset: the `request` part (JSON), then the
/// `fileContent` part when there is one.
pub(crate) fn form(request: &impl Serialize, file: Option<FormPart>) -> Result<MultipartForm> {
    let json = serde_json::to_string(request)
        .map_err(|e| Error::invalid(format!("cannot encode the request: {e}")))?;
    let form = MultipartForm::new().text("request", json);
    Ok(match file {
        Some(file) => form.part(file),
        None => form,
    })
}

/// The `fileContent` part for uploading `source` as `asset_type`, after checking its
/// format and size against the documented limits.
pub(crate) async fn file_part(
    asset_type: &AssetType,
    source: &UploadSource,
    override_type: Option<&str>,
) -> Result<FormPart> {
    let extension = source.extension();
    let content_type =
        content_type(asset_type, extension.as_deref(), override_type).map_err(Error::invalid)?;
    let len = source.len().await?;
    let max = asset_type.max_upload_bytes();
    if len > max {
        return Err(Error::invalid(format!(
            "the file is {len} bytes; {asset_type} uploads are limited to {max} bytes"
        )));
    }
    Ok(FormPart::file("fileContent", source.clone()).content_type(content_type))
}
