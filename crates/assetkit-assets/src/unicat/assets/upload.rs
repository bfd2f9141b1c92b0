//! `POST /api/p/<project gid>/assets/upload`: a file uploaded as a new asset.

use assetkit_core::{Error, FormPart, MultipartForm, ProgressReporter, Request, Result, UploadSource};

use crate::unicat::{AssetChange, AssetRef, UnicatClient};

/// Uploads a file as a new asset: `POST /api/p/<project gid>/assets/upload`.
///
/// The body is multipart form data (not JSON): the parent folder as a `parent` field (its
/// gid) or a `pathname` field (its complete path), then `upload_file`, the file streamed
/// with its name. The answer names the new asset in `result.asset` and its parent (with
/// the updated `childcount`) in `result.parent`.
///
/// Refused before sending (`InvalidRequest`): an empty parent gid, a parent pathname not
/// starting with `/`, an empty file name. A parent that does not exist or is not a folder,
/// or a file Unicat cannot take, is `Unprocessable` (422).
///
/// ```no_run
/// # async fn demo(client: assetkit_assets::unicat::UnicatClient) -> assetkit_core::Result<()> {
/// use assetkit_assets::unicat::AssetRef;
/// use assetkit_core::UploadSource;
///
/// let created = client
///     .assets()
///     .upload(AssetRef::pathname("/products"), UploadSource::path("image.jpg"))
///     .content_type("image/jpeg")
///     .send()
///     .await?;
/// println!("new asset {}", created.asset.gid);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct UploadAsset {
    client: UnicatClient,
    parent: AssetRef,
    file: FilePart,
}

impl UploadAsset {
    pub(crate) fn new(client: UnicatClient, parent: AssetRef, source: UploadSource) -> Self {
        Self {
            client,
            parent,
            file: FilePart::new(source),
        }
    }

    /// The file name Unicat sees, which becomes the asset's name (default: the file's own).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file.file_name = Some(name.into());
        self
    }

    /// The content type of the file part (none by default; Unicat looks at the content).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.file.content_type = Some(content_type.into());
        self
    }

    /// Reports upload progress, byte by byte.
    pub fn progress(mut self, reporter: ProgressReporter) -> Self {
        self.file.progress = Some(reporter);
        self
    }

    /// Sends the upload; returns the new asset and its parent folder.
    pub async fn send(self) -> Result<AssetChange> {
        self.parent.validate()?;
        let form = match &self.parent {
            AssetRef::Gid(gid) => MultipartForm::new().text("parent", gid.clone()),
            AssetRef::Pathname(pathname) => MultipartForm::new().text("pathname", pathname.clone()),
        };
        let (form, progress) = self.file.add_to(form)?;
        let request = Request::post(&self.client.path(&["assets", "upload"]))
            .multipart(form)
            .progress(progress)
            .endpoint("unicat.assets_upload");
        let answer = self.client.call(request).await?;
        answer.change(None, "Unicat assets/upload answer")
    }
}

/// The `upload_file` part shared by `assets/upload` and `assets/upload_update`.
#[derive(Debug, Clone)]
pub(crate) struct FilePart {
    source: UploadSource,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) progress: Option<ProgressReporter>,
}

impl FilePart {
    pub(crate) fn new(source: UploadSource) -> Self {
        Self {
            source,
            file_name: None,
            content_type: None,
            progress: None,
        }
    }

    /// Appends `upload_file` to `form`; refuses an empty file name.
    pub(crate) fn add_to(self, form: MultipartForm) -> Result<(MultipartForm, Option<ProgressReporter>)> {
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
