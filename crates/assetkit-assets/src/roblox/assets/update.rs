//! Update Asset: `PATCH /v1/assets/{assetId}?updateMask=...`.

use assetkit_core::{Error, ProgressReporter, Request, Result, UploadSource};
use serde::Serialize;

use super::{CreationContextBody, file_part, form};
use crate::roblox::models::MAX_SOCIAL_LINKS;
use crate::roblox::models::check_description;
use crate::roblox::{
    AssetId, AssetType, Creator, Operation, Preview, RobloxClient, SocialLink, SocialLinkKind,
};
use crate::{CallOptions, RequestOptions, require_non_blank};
use std::collections::BTreeMap;

/// Update Asset: `PATCH /v1/assets/{assetId}?updateMask=...` (multipart).
///
/// Replaces an asset's content (a new version), its metadata, or both. The `request` part
/// carries `{assetType, assetId, ...}` with the metadata fields set here, plus
/// `creationContext` when new content goes in a `fileContent` part. `updateMask` lists
/// exactly the metadata fields set (`description,displayName,icon,previews`, in that
/// order); a content-only update sends no mask. Answers with an [`Operation`]. Metadata
/// updates have no type or size limits.
///
/// See also: [Update Asset](https://create.roblox.com/docs/cloud/reference/features/assets)
/// in the Open Cloud reference.
///
/// # Errors
///
/// - `InvalidRequest`, before any byte is sent: an empty asset id, nothing to update, an
///   empty display name, new content for a type "not available for updating" (Audio,
///   Decal, Image, Mesh, Video: only Models can be updated), content that is not a file of
///   the type's formats, a description over 1000 characters,
///   or a file over 20 MB. (A content update needs no [`creator`](Self::creator): the
///   spec's "Update Content Only" sample sends `{assetId}` alone.)
/// - `InvalidRequest`, before any byte is sent, from the preflight of new content (the
///   `preflight` feature, on by default; [`skip_preflight`](Self::skip_preflight) turns it
///   off): a model whose first bytes are not the format its extension names (a binary or
///   ASCII FBX, `glTF`, JSON for `.gltf`, `<roblox!` for `.rbxm`, `<roblox` for `.rbxmx`).
///   See [Preflight](crate::roblox#preflight).
/// - `BadRequest` (400) for a request Roblox refuses, `NotFound` (404) for an unknown
///   asset, `Forbidden` (403) without Write permission, `Unauthorized` (401),
///   `RateLimited` (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::roblox::RobloxClient) -> assetkit::Result<()> {
/// use assetkit::roblox::{AssetType, Creator};
/// use assetkit::UploadSource;
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
    social_links: BTreeMap<SocialLinkKind, SocialLink>,
    content_type: Option<String>,
    progress: Option<ProgressReporter>,
    preflight: bool,
    options: CallOptions,
}

impl RequestOptions for UpdateAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

/// The `request` part of Update Asset.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UpdateAssetBody<'a> {
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
    creation_context: Option<CreationContextBody>,
    /// `twitchSocialLink: {title, uri}`, ... (the spec's "Update Social Links" sample).
    #[serde(flatten)]
    social_links: BTreeMap<&'static str, &'a SocialLink>,
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
            social_links: BTreeMap::new(),
            content_type: None,
            progress: None,
            preflight: true,
            options: CallOptions::default(),
        }
    }

    /// Uploads new content, creating a new version. Models only, in any of their formats
    /// (`.fbx`, `.gltf`, `.glb`, `.rbxm`, `.rbxmx`): the usage guide's table marks every
    /// other type "not available for updating" and the spec says only Models' content can
    /// be updated. (The older usage guide this client was first written from allowed
    /// `.fbx` only; the newer reference is followed.)
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

    /// Sets a social link (`twitchSocialLink`, ...): sent in the body and named in the
    /// update mask (the spec's "Update Social Links" sample). At most three per asset.
    pub fn social_link(mut self, kind: SocialLinkKind, link: SocialLink) -> Self {
        self.social_links.insert(kind, link);
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

    /// Skips the checks of new content made before sending (see
    /// [Preflight](crate::roblox#preflight)): that the first bytes are the format the
    /// extension names. The extension, size and "not available for updating" checks still
    /// run. Without the `preflight` feature there is nothing to skip.
    pub fn skip_preflight(mut self) -> Self {
        self.preflight = false;
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
        .chain(self.social_links.keys().map(|kind| kind.field()))
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
        check_description(self.description.as_deref())?;
        if self.social_links.len() > MAX_SOCIAL_LINKS {
            return Err(Error::invalid(format!(
                "{} social links given; an asset has at most {MAX_SOCIAL_LINKS}",
                self.social_links.len()
            )));
        }
        if let Some((kind, _)) = self.social_links.iter().find(|(_, l)| l.uri.trim().is_empty()) {
            return Err(Error::invalid(format!("the {} has an empty uri", kind.field())));
        }
        let mut file = None;
        let mut creation_context = None;
        if let Some(content) = &self.content {
            if !self.asset_type.content_updatable() {
                return Err(Error::invalid(format!(
                    "{} content is not available for updating; only Model content can be updated",
                    self.asset_type
                )));
            }
            file = Some(
                file_part(
                    &self.asset_type,
                    content,
                    self.content_type.as_deref(),
                    self.preflight,
                )
                .await?,
            );
            // The spec's "Update Content Only" sample sends no creationContext: the
            // creator is optional (sent when given).
            creation_context = self.creator.map(|creator| CreationContextBody {
                creator,
                expected_price: self.expected_price,
                asset_privacy: None,
            });
        }
        let body = UpdateAssetBody {
            asset_type: &self.asset_type,
            asset_id: &self.asset_id,
            display_name: self.display_name.as_deref(),
            description: self.description.as_deref(),
            icon: self.icon.as_deref(),
            previews: self.previews.as_deref(),
            creation_context,
            social_links: self
                .social_links
                .iter()
                .map(|(kind, link)| (kind.field(), link))
                .collect(),
        };
        let mut request = Request::patch(&["v1", "assets", self.asset_id.as_str()])
            .multipart(form(&body, file)?)
            .endpoint("roblox.update_asset")
            .progress(self.progress);
        if let Some(mask) = mask {
            request = request.query("updateMask", mask);
        }
        let response = self.client.http().execute(self.options.apply(request)).await?;
        Operation::from_response(&self.client, &response, true)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_request_part_is_the_guides_update_examples() {
        let id = AssetId::from(2_205_400_862_u64);
        // "Example Request for Updating Asset Metadata".
        let metadata = UpdateAssetBody {
            asset_type: &AssetType::Model,
            asset_id: &id,
            display_name: Some("new display name"),
            description: Some("new description"),
            icon: None,
            previews: None,
            creation_context: None,
            social_links: BTreeMap::new(),
        };
        assert_eq!(
            serde_json::to_value(&metadata).unwrap(),
            json!({
                "assetType": "Model",
                "assetId": "2205400862",
                "displayName": "new display name",
                "description": "new description"
            })
        );
        // "Example Request for Updating Asset Content".
        let content = UpdateAssetBody {
            asset_type: &AssetType::Model,
            asset_id: &id,
            display_name: None,
            description: None,
            icon: None,
            previews: None,
            creation_context: Some(CreationContextBody {
                creator: Creator::User(1_234_567),
                expected_price: Some(0),
                asset_privacy: None,
            }),
            social_links: BTreeMap::new(),
        };
        assert_eq!(
            serde_json::to_value(&content).unwrap(),
            json!({
                "assetType": "Model",
                "assetId": "2205400862",
                "creationContext": {"creator": {"userId": "1234567"}, "expectedPrice": 0}
            })
        );
    }
}
