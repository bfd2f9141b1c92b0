//! Upload Asset: `POST /api/p/<project gid>/assets/upload`.

use assetkit_core::{MultipartForm, ProgressReporter, Request, Result, UploadSource};

use super::FilePart;
use crate::unicat::{AssetChange, AssetRef, UnicatClient};
use crate::{CallOptions, RequestOptions};

/// Upload Asset: `POST /api/p/<project gid>/assets/upload`.
///
/// Uploads a file as a new asset. The body is multipart form data (not JSON): the parent
/// folder as a `parent` field (its gid) or a `pathname` field (its complete path), then
/// `upload_file`, the file streamed with its name. The answer names the new asset in
/// `result.asset` and its parent (with the updated `childcount`) in `result.parent`.
///
/// See also: [assets/upload](https://docs.unicat.app/api/reference/p/assets/upload) in the
/// Unicat API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty parent gid, a parent pathname not
///   starting with `/`, an empty file name; `Io` when the file cannot be read.
/// - `Unprocessable` (422) for a parent that does not exist or is not a folder, or a file
///   Unicat cannot take, `BadRequest` (400), `Unauthorized` (401) when signing in fails,
///   `Forbidden` (403) for a key that is not a member of the project, `RateLimited`
///   (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn demo(client: assetkit::unicat::UnicatClient) -> assetkit::Result<()> {
/// use assetkit::unicat::AssetRef;
/// use assetkit::UploadSource;
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
#[must_use = "a request does nothing until `send` is awaited"]
pub struct UploadAsset {
    client: UnicatClient,
    parent: AssetRef,
    file: FilePart,
    options: CallOptions,
}

impl RequestOptions for UploadAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl UploadAsset {
    pub(crate) fn new(client: UnicatClient, parent: AssetRef, source: UploadSource) -> Self {
        Self {
            client,
            parent,
            file: FilePart::new(source),
            options: CallOptions::default(),
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
        let answer = self.client.call(self.options.apply(request)).await?;
        answer.change(None, "Unicat assets/upload answer")
    }
}
