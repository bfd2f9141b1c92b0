//! The asset endpoints (`POST /api/p/<project gid>/assets/...`), one file per verb, and
//! what they share: the answer envelope, the `{"asset": gid}` body and the file part.

mod bulk;
mod children;
mod create;
mod delete;
mod get;
mod move_asset;
mod permanent_delete;
mod publish;
mod root;
mod undelete;
mod update;
mod upload;
mod upload_update;
mod worksheet;

pub use bulk::{BulkChange, JobToken, Selection};
pub use children::{ChildrenPage, ListChildren};
pub use create::CreateFolder;
pub use delete::DeleteAsset;
pub use get::GetAssets;
pub use move_asset::MoveAsset;
pub use permanent_delete::PermanentDeleteAsset;
pub use publish::{DownloadAsset, PublishAsset};
pub use root::GetRoot;
pub use undelete::UndeleteAsset;
pub use update::UpdateAsset;
pub use upload::UploadAsset;
pub use upload_update::UploadUpdate;
pub use worksheet::{GetWorksheet, Worksheet};

use assetkit_core::{Error, FormPart, MultipartForm, ProgressReporter, Response, Result, UploadSource};
use bytes::Bytes;
use serde::Serialize;
use serde_json::{Map, Value};

use super::{Asset, AssetChange, AssetRef, AssetSelector, UnicatClient};

/// The asset endpoints; from [`UnicatClient::assets`].
#[derive(Debug, Clone)]
pub struct AssetsHandler {
    client: UnicatClient,
}

impl AssetsHandler {
    pub(crate) fn new(client: UnicatClient) -> Self {
        Self { client }
    }

    /// Get Assets: `POST /api/p/<project gid>/assets/get`, one or more assets. See
    /// [`GetAssets`].
    pub fn get(&self, selector: AssetSelector) -> GetAssets {
        GetAssets::new(self.client.clone(), selector)
    }

    /// Get Root: `POST /api/p/<project gid>/assets/root`, the root folder. See [`GetRoot`].
    pub fn root(&self) -> GetRoot {
        GetRoot::new(self.client.clone())
    }

    /// List Children: `POST /api/p/<project gid>/assets/children`, a folder's children page
    /// by page. See [`ListChildren`].
    pub fn children(&self, parent: AssetRef) -> ListChildren {
        ListChildren::new(self.client.clone(), parent)
    }

    /// Upload Asset: `POST /api/p/<project gid>/assets/upload`, a file as a new asset in
    /// the folder `parent`. See [`UploadAsset`].
    pub fn upload(&self, parent: AssetRef, source: UploadSource) -> UploadAsset {
        UploadAsset::new(self.client.clone(), parent, source)
    }

    /// Upload Update: `POST /api/p/<project gid>/assets/upload_update`, a new file for the
    /// asset `gid`. See [`UploadUpdate`].
    pub fn upload_update(&self, gid: impl Into<String>, source: UploadSource) -> UploadUpdate {
        UploadUpdate::new(self.client.clone(), gid.into(), source)
    }

    /// Update Asset: `POST /api/p/<project gid>/assets/update`, the name, title,
    /// description or transforms of the asset `gid`. See [`UpdateAsset`].
    pub fn update(&self, gid: impl Into<String>) -> UpdateAsset {
        UpdateAsset::new(self.client.clone(), gid.into())
    }

    /// Delete Asset: `POST /api/p/<project gid>/assets/delete`, the asset `gid` and its
    /// subtree (undeletable). See [`DeleteAsset`].
    pub fn delete(&self, gid: impl Into<String>) -> DeleteAsset {
        DeleteAsset::new(self.client.clone(), gid.into())
    }

    /// Undelete Asset: `POST /api/p/<project gid>/assets/undelete`, the asset `gid` and its
    /// subtree. See [`UndeleteAsset`].
    pub fn undelete(&self, gid: impl Into<String>) -> UndeleteAsset {
        UndeleteAsset::new(self.client.clone(), gid.into())
    }

    /// The file called `name` directly in `folder`, if there is one: `assets/children`
    /// page by page until it is found (folders and deleted assets are not matched).
    pub async fn find_file(&self, folder: AssetRef, name: &str) -> Result<Option<Asset>> {
        self.find_child(folder, name, true).await
    }

    /// The folder called `name` directly in `folder`, if there is one: `assets/children`
    /// page by page until it is found (files and deleted folders are not matched).
    pub async fn find_folder(&self, folder: AssetRef, name: &str) -> Result<Option<Asset>> {
        self.find_child(folder, name, false).await
    }

    async fn find_child(&self, folder: AssetRef, name: &str, is_file: bool) -> Result<Option<Asset>> {
        use futures::StreamExt;
        let mut children = self.children(folder).into_stream();
        while let Some(child) = children.next().await {
            let child = child?;
            if child.is_file == Some(is_file) && child.name.as_deref() == Some(name) {
                return Ok(Some(child));
            }
        }
        Ok(None)
    }

    /// Create Folder: `POST /api/p/<project gid>/assets/create`, a folder called `name`
    /// under the folder `parent`. See [`CreateFolder`].
    pub fn create_folder(&self, parent: impl Into<String>, name: impl Into<String>) -> CreateFolder {
        CreateFolder::new(self.client.clone(), parent.into(), name.into())
    }

    /// Move Asset: `POST /api/p/<project gid>/assets/move`, the asset `gid` into the
    /// folder `parent`. See [`MoveAsset`].
    pub fn move_to(&self, gid: impl Into<String>, parent: impl Into<String>) -> MoveAsset {
        MoveAsset::new(self.client.clone(), gid.into(), parent.into())
    }

    /// Worksheet: `POST /api/p/<project gid>/assets/worksheet`, an asset with its path
    /// and a page of its children. See [`GetWorksheet`].
    pub fn worksheet(&self, gid: impl Into<String>) -> GetWorksheet {
        GetWorksheet::new(self.client.clone(), gid.into())
    }

    /// Bulk Delete: `POST /api/p/<project gid>/assets/bulk/delete`, a background job.
    /// See [`BulkChange`].
    pub fn bulk_delete(&self, selection: Selection) -> BulkChange {
        BulkChange::new(self.client.clone(), selection, false)
    }

    /// Bulk Undelete: `POST /api/p/<project gid>/assets/bulk/undelete`, a background job.
    /// See [`BulkChange`].
    pub fn bulk_undelete(&self, selection: Selection) -> BulkChange {
        BulkChange::new(self.client.clone(), selection, true)
    }

    /// DAM Publish: `GET /dam/p/<project gid>/publish/<gid>~<version>.<ext>`, the public
    /// URL of the asset's file. See [`PublishAsset`].
    pub fn publish(&self, gid: impl Into<String>) -> PublishAsset {
        PublishAsset::new(self.client.clone(), gid.into())
    }

    /// Download Asset: DAM Publish, then the file at its public URL. See
    /// [`DownloadAsset`].
    pub fn download(&self, gid: impl Into<String>) -> DownloadAsset {
        DownloadAsset::new(self.client.clone(), gid.into())
    }

    /// Permanently Delete Asset: `POST /api/p/<project gid>/assets/permanent_delete`, a
    /// deleted asset `gid` and its subtree, for good. See [`PermanentDeleteAsset`].
    pub fn permanent_delete(&self, gid: impl Into<String>) -> PermanentDeleteAsset {
        PermanentDeleteAsset::new(self.client.clone(), gid.into())
    }
}

/// The JSON body `{"asset": gid}` of `assets/delete`, `assets/undelete` and
/// `assets/permanent_delete`.
#[derive(Serialize)]
struct GidBody<'a> {
    asset: &'a str,
}

/// Sends `{"asset": gid}` to `assets/<verb>` and reads the asset change it answers: what
/// delete, undelete and permanent_delete share.
async fn change_by_gid(
    client: &UnicatClient,
    options: &crate::CallOptions,
    gid: &str,
    verb: &'static str,
    endpoint: &'static str,
) -> Result<AssetChange> {
    crate::require_non_blank("the asset gid", gid)?;
    let request = client.post_json(&["assets", verb], &GidBody { asset: gid }, endpoint)?;
    let answer = client.call(options.apply(request)).await?;
    answer.change(Some(gid), &format!("Unicat assets/{verb} answer"))
}

/// A successful answer: `result` and `data.assets`, with the raw body for error snippets.
#[derive(Debug)]
pub(crate) struct Answer {
    result: Map<String, Value>,
    assets: Map<String, Value>,
    body: Bytes,
}

impl Answer {
    pub(crate) fn from_response(response: &Response) -> Result<Self> {
        let mut envelope: Value = response.json()?;
        let result = match envelope.get_mut("result").map(Value::take) {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        let assets = match envelope
            .get_mut("data")
            .and_then(|d| d.get_mut("assets"))
            .map(Value::take)
        {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        Ok(Self {
            result,
            assets,
            body: response.body().clone(),
        })
    }

    /// `result.<key>` as one gid.
    pub(crate) fn gid(&self, key: &str) -> Option<&str> {
        self.result
            .get(key)
            .and_then(Value::as_str)
            .filter(|g| !g.is_empty())
    }

    /// `result.<key>` as a list of gids.
    pub(crate) fn gids(&self, key: &str) -> Option<Vec<&str>> {
        Some(
            self.result
                .get(key)?
                .as_array()?
                .iter()
                .filter_map(Value::as_str)
                .collect(),
        )
    }

    /// `result.<key>` as text.
    pub(crate) fn text(&self, key: &str) -> Option<&str> {
        self.result
            .get(key)
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty())
    }

    /// `result.<key>` as a number.
    pub(crate) fn number(&self, key: &str) -> Option<u64> {
        self.result.get(key).and_then(Value::as_u64)
    }

    /// The record of `gid` joined from `data.assets`.
    pub(crate) fn asset(&self, gid: &str) -> Asset {
        Asset::from_record(gid, self.assets.get(gid))
    }

    /// The asset named by `result.<key>`; a decode error when the answer names none.
    pub(crate) fn required_asset(&self, key: &str, what: &str) -> Result<Asset> {
        self.gid(key)
            .map(|gid| self.asset(gid))
            .ok_or_else(|| self.missing(what, &format!("no gid in result.{key}")))
    }

    /// The asset of a change (`result.asset`, else `fallback`) and `result.parent`.
    pub(crate) fn change(&self, fallback: Option<&str>, what: &str) -> Result<AssetChange> {
        let asset = match (self.gid("asset"), fallback) {
            (Some(gid), _) | (None, Some(gid)) => self.asset(gid),
            (None, None) => return Err(self.missing(what, "no gid in result.asset")),
        };
        Ok(AssetChange {
            asset,
            parent: self.gid("parent").map(|gid| self.asset(gid)),
        })
    }

    pub(crate) fn missing(&self, what: &str, message: &str) -> Error {
        Error::decode(what, message, &self.body)
    }
}

/// The `upload_file` part shared by `assets/upload` and `assets/upload_update`.
#[derive(Debug, Clone)]
struct FilePart {
    source: UploadSource,
    file_name: Option<String>,
    content_type: Option<String>,
    progress: Option<ProgressReporter>,
}

impl FilePart {
    fn new(source: UploadSource) -> Self {
        Self {
            source,
            file_name: None,
            content_type: None,
            progress: None,
        }
    }

    /// Appends `upload_file` to `form`; refuses an empty file name.
    fn add_to(self, form: MultipartForm) -> Result<(MultipartForm, Option<ProgressReporter>)> {
        let name = self
            .file_name
            .or_else(|| self.source.file_name())
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| Error::invalid("the file name of upload_file is empty"))?;
        let mut part = FormPart::file("upload_file", self.source).file_name(name);
        if let Some(content_type) = self.content_type {
            part = part.content_type(content_type);
        }
        Ok((form.part(part), self.progress))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_gid_body_is_the_documented_delete_and_undelete_request() {
        let body = GidBody {
            asset: "96ec02b2-fb8d-4fb4-b952-fad0c4b88a74",
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"asset": "96ec02b2-fb8d-4fb4-b952-fad0c4b88a74"})
        );
    }
}
