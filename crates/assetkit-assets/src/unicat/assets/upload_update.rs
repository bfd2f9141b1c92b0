//! `POST /api/p/<project gid>/assets/upload_update`: a new file for an existing asset.

use assetkit_core::{MultipartForm, ProgressReporter, Request, Result, UploadSource};

use crate::require_non_blank;
use crate::unicat::assets::upload::FilePart;
use crate::unicat::{AssetChange, UnicatClient};

/// Replaces the file of an existing asset: `POST /api/p/<project gid>/assets/upload_update`.
///
/// The body is multipart form data: `asset` (the asset's gid), then `upload_file`, the
/// file streamed with its name. The answer names the asset in `result.asset`.
///
/// Refused before sending (`InvalidRequest`): an empty gid or file name. An asset that does
/// not exist, or a file Unicat cannot take, is `Unprocessable` (422).
///
/// ```no_run
/// # async fn demo(client: assetkit_assets::unicat::UnicatClient) -> assetkit_core::Result<()> {
/// use assetkit_core::UploadSource;
///
/// let changed = client
///     .assets()
///     .upload_update("96ec02b2-fb8d-4fb4-b952-fad0c4b88a74", UploadSource::path("image-v2.jpg"))
///     .send()
///     .await?;
/// println!("now version {:?}", changed.asset.version);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct UploadUpdate {
    client: UnicatClient,
    gid: String,
    file: FilePart,
}

impl UploadUpdate {
    pub(crate) fn new(client: UnicatClient, gid: String, source: UploadSource) -> Self {
        Self {
            client,
            gid,
            file: FilePart::new(source),
        }
    }

    /// The file name sent with the file (default: the file's own).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file.file_name = Some(name.into());
        self
    }

    /// The content type of the file part (none by default).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.file.content_type = Some(content_type.into());
        self
    }

    /// Reports upload progress, byte by byte.
    pub fn progress(mut self, reporter: ProgressReporter) -> Self {
        self.file.progress = Some(reporter);
        self
    }

    /// Sends the upload; returns the asset as it is now.
    pub async fn send(self) -> Result<AssetChange> {
        require_non_blank("the asset gid", &self.gid)?;
        let (form, progress) = self
            .file
            .add_to(MultipartForm::new().text("asset", self.gid.clone()))?;
        let request = Request::post(&self.client.path(&["assets", "upload_update"]))
            .multipart(form)
            .progress(progress)
            .endpoint("unicat.assets_upload_update");
        let answer = self.client.call(request).await?;
        answer.change(Some(&self.gid), "Unicat assets/upload_update answer")
    }
}
