//! Create Folder: `POST /api/p/<project gid>/assets/create`.

use assetkit_core::Result;
use serde::Serialize;

use crate::unicat::{AssetChange, UnicatClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Create Folder: `POST /api/p/<project gid>/assets/create`.
///
/// Makes a new folder asset under an existing folder, sending `{"parent": gid, "name":
/// name}` (the reference's `assets/create`: "for a file asset use upload"). Returns the
/// new folder (`result.asset`, described in `data.assets`) and its parent
/// (`result.parent`).
///
/// See also: [assets/create](https://docs.unicat.app/api/reference/p/assets/create) in
/// the Unicat API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty parent gid or name.
/// - `Unprocessable` (422) when the parent does not exist or is not a folder,
///   `BadRequest` (400), `Unauthorized` (401) when signing in fails, `Forbidden` (403)
///   for a key that is not a member of the project, `RateLimited` (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn demo(client: assetkit::unicat::UnicatClient) -> assetkit::Result<()> {
/// let made = client
///     .assets()
///     .create_folder("96ec02b2-fb8d-4fb4-b952-fad0c4b88a74", "textures")
///     .send()
///     .await?;
/// println!("new folder {}", made.asset.gid);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct CreateFolder {
    client: UnicatClient,
    parent: String,
    name: String,
    options: CallOptions,
}

impl RequestOptions for CreateFolder {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

#[derive(Serialize)]
struct CreateBody<'a> {
    parent: &'a str,
    name: &'a str,
}

impl CreateFolder {
    pub(crate) fn new(client: UnicatClient, parent: String, name: String) -> Self {
        Self {
            client,
            parent,
            name,
            options: CallOptions::default(),
        }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<AssetChange> {
        require_non_blank("the parent gid", &self.parent)?;
        require_non_blank("the folder name", &self.name)?;
        let body = CreateBody {
            parent: &self.parent,
            name: &self.name,
        };
        let request = self
            .client
            .post_json(&["assets", "create"], &body, "unicat.assets_create")?;
        let answer = self.client.call(self.options.apply(request)).await?;
        answer.change(None, "Unicat assets/create answer")
    }
}
