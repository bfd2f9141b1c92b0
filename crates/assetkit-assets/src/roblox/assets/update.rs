//! Update Asset: `PATCH /v1/assets/{assetId}?updateMask=...`.

use assetkit_core::{Error, ProgressReporter, Request, Result, UploadSource};
use serde::Serialize;

use super::create::{CreationContextOut, file_part, form};
use crate::require_non_blank;
use crate::roblox::{AssetId, AssetType, Creator, Operation, Preview, RobloxClient};

/// Update Asset: `PATCH /v1/assets/{assetId}?updateMask=...` (multipart).
///
/// Replaces an asset's content (a new version), its metadata, or both. The `request` part
/// carries `{assetType, assetId, ...}` with the metadata fields set here, plus
/// `creationContext` when new content goes in a `fileContent` part. `updateMask` lists
/// exactly the metadata fields set (`description,displayName,icon,previews`, in that
/// order); a content-only update sends no mask. Answers with an [`Operation`].
///
/// Refused with `InvalidRequest` before any byte is sent: nothing to update, an empty
/// display name, new content for a type "not available for updating" (Audio, Decal,
/// Image, Mesh — the guide allows content updates for Model `.fbx` files only), content
/// without a [`creator`](Self::creator), or a file over 20 MB. Metadata updates have no
/// type or size limits.
///
/// ```no_run
/// # async fn run(client: assetkit_assets::roblox::RobloxClient) -> assetkit_core::Result<()> {
/// use assetkit_assets::roblox::{AssetType, Creator};
/// use assetkit_core::UploadSource;
///
/// let asset = client
///     .assets()
///     .update(AssetType::Model, 2_205_400_862_u64)
///     .content(UploadSource::path("tree-v2.fbx"))
///     .creator(Creator::User(1_234_567))
///     .description("Now with leaves")
///     .send()
///     .await?
///     .wait()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct UpdateAsset {
    client: RobloxClient,
    asset_type: AssetType,
    asset_id: AssetId,
    content: Option<UploadSource>,
    display_name: Option<String>,
    description: Option<String>,
    icon: Option<String>,
    previews: Option<Vec<Preview>>,
    creator: Option<Creator>,
    expected_price: Option<u64>,
    content_type: Option<String>,
    progress: Option<ProgressReporter>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UpdateRequest<'a> {
    asset_type: &'a AssetType,
    asset_id: &'a AssetId,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    previews: Option<&'a [Preview]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    creation_context: Option<CreationContextOut>,
}

impl UpdateAsset {
    pub(crate) fn new(client: RobloxClient, asset_type: AssetType, asset_id: AssetId) -> Self {
        Self {
            client,
            asset_type,
            asset_id,
            content: None,
            display_name: None,
            description: None,
            icon: None,
            previews: None,
            creator: None,
            expected_price: None,
            content_type: None,
            progress: None,
        }
    }

    /// Uploads new content, creating a new version (Model `.fbx` files only).
    pub fn content(mut self, content: UploadSource) -> Self {
        self.content = Some(content);
        self
    }

    /// Sets a new display name (adds `displayName` to the mask).
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Sets a new description (adds `description` to the mask).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the icon to the image asset `image_asset_id`, sent as `assets/{id}` (adds
    /// `icon` to the mask). Icons must be square images.
    pub fn icon(mut self, image_asset_id: impl Into<AssetId>) -> Self {
        self.icon = Some(format!("assets/{}", image_asset_id.into()));
        self
    }

    /// Replaces the previews (adds `previews` to the mask).
    pub fn previews(mut self, previews: impl Into<Vec<Preview>>) -> Self {
        self.previews = Some(previews.into());
        self
    }

    /// Sets the owner sent in `creationContext` with new content (required with
    /// [`content`](Self::content), unused without).
    pub fn creator(mut self, creator: impl Into<Creator>) -> Self {
        self.creator = Some(creator.into());
        self
    }

    /// Sets the most Robux the creator agrees to pay, sent with new content.
    pub fn expected_price(mut self, robux: u64) -> Self {
        self.expected_price = Some(robux);
        self
    }

    /// Overrides the content type of the file part.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Reports upload progress per chunk sent.
    pub fn progress(mut self, reporter: ProgressReporter) -> Self {
        self.progress = Some(reporter);
        self
    }

    /// The `updateMask`: the metadata fields set, comma-separated, or `None`.
    fn update_mask(&self) -> Option<String> {
        let fields: Vec<&str> = [
            ("description", self.description.is_some()),
            ("displayName", self.display_name.is_some()),
            ("icon", self.icon.is_some()),
            ("previews", self.previews.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect();
        (!fields.is_empty()).then(|| fields.join(","))
    }

    /// Validates, sends, and returns the operation that applies the update.
    pub async fn send(self) -> Result<Operation> {
        require_non_blank("the asset id", self.asset_id.as_str())?;
        let mask = self.update_mask();
        if mask.is_none() && self.content.is_none() {
            return Err(Error::invalid(
                "nothing to update: set content(...) or a metadata field such as description(...)",
            ));
        }
        if self.display_name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            return Err(Error::invalid("the new display name is empty"));
        }
        let mut file = None;
        let mut creation_context = None;
        if let Some(content) = &self.content {
            if !self.asset_type.content_updatable() {
                return Err(Error::invalid(format!(
                    "{} content is not available for updating; only Model .fbx content can be updated",
                    self.asset_type
                )));
            }
            if content.extension().as_deref() != Some("fbx") {
                return Err(Error::invalid(
                    "content updates take .fbx files only (Model assets)",
                ));
            }
            let creator = self.creator.ok_or_else(|| {
                Error::invalid(
                    "a content update needs a creator: creator(Creator::User(id)) or Creator::Group(id)",
                )
            })?;
            file = Some(file_part(&self.asset_type, content, self.content_type.as_deref()).await?);
            creation_context = Some(CreationContextOut {
                creator,
                expected_price: self.expected_price,
            });
        }
        let request = UpdateRequest {
            asset_type: &self.asset_type,
            asset_id: &self.asset_id,
            display_name: self.display_name.as_deref(),
            description: self.description.as_deref(),
            icon: self.icon.as_deref(),
            previews: self.previews.as_deref(),
            creation_context,
        };
        let mut request = Request::patch(&["v1", "assets", self.asset_id.as_str()])
            .multipart(form(&request, file)?)
            .endpoint("roblox.update_asset")
            .progress(self.progress);
        if let Some(mask) = mask {
            request = request.query("updateMask", mask);
        }
        let response = self.client.http().execute(request).await?;
        Operation::from_response(&self.client, &response, true)
    }
}
