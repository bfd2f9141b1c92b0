//! Upload Update: `POST /api/p/<project gid>/assets/upload_update`.

use assetkit_core::{MultipartForm, ProgressReporter, Request, Result, UploadSource};

use super::FilePart;
use crate::unicat::{AssetChange, UnicatClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Upload Update: `POST /api/p/<project gid>/assets/upload_update`.
///
/// Replaces the file of an existing asset. The body is multipart form data: `asset` (the
/// asset's gid), then `upload_file`, the file streamed with its name. The answer names the
/// asset in `result.asset`.
///
/// See also: [assets/upload_update](https://docs.unicat.app/api/reference/p/assets/upload_update)
/// in the Unicat API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty gid or file name; `Io` when the file
///   cannot be read.
/// - `Unprocessable` (422) for an asset that does not exist, or a file Unicat cannot
///   take, `BadRequest` (400), `Unauthorized` (401) when signing in fails, `Forbidden`
///   (403) for a key that is not a member of the project, `RateLimited` (429), `Server`
///   (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn demo(client: assetkit::unicat::UnicatClient) -> assetkit::Result<()> {
/// use assetkit::UploadSource;
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
#[must_use = "a request does nothing until `send` is awaited"]
pub struct UploadUpdate {
    client: UnicatClient,
    gid: String,
    file: FilePart,
    options: CallOptions,
}

impl RequestOptions for UploadUpdate {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl UploadUpdate {
    pub(crate) fn new(client: UnicatClient, gid: String, source: UploadSource) -> Self {
        Self {
            client,
            gid,
            file: FilePart::new(source),
            options: CallOptions::default(),
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
        let answer = self.client.call(self.options.apply(request)).await?;
        answer.change(Some(&self.gid), "Unicat assets/upload_update answer")
    }
}
