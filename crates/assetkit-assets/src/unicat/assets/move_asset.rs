//! Move Asset: `POST /api/p/<project gid>/assets/move`.

use assetkit_core::Result;
use serde::Serialize;

use crate::unicat::{AssetChange, UnicatClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// Move Asset: `POST /api/p/<project gid>/assets/move`.
///
/// Moves the asset `gid` (a file, or a folder with its subtree) into the folder `parent`.
/// Sends `{"asset": gid, "parent": parent}` and answers the moved asset with its new
/// parent.
///
/// See also: [assets/move](https://docs.unicat.app/api/reference/p/assets/move) in the
/// Unicat API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty gid or parent.
/// - `Unprocessable` (422) when the asset or the parent does not exist
///   ([`Error::is_not_found`](assetkit_core::Error::is_not_found)), `BadRequest` (400),
///   `Unauthorized` (401), `Forbidden` (403) outside the project.
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::unicat::UnicatClient) -> assetkit::Result<()> {
/// let moved = client.assets().move_to("218437b3-f3db-4f60-9d44-c96319aa3c57", "5e78c224-a308-4ea7-b283-9b39ffb09aa2").send().await?;
/// println!("now at {:?}", moved.asset.pathname);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct MoveAsset {
    client: UnicatClient,
    gid: String,
    parent: String,
    options: CallOptions,
}

impl RequestOptions for MoveAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

#[derive(Serialize)]
struct MoveBody<'a> {
    asset: &'a str,
    parent: &'a str,
}

impl MoveAsset {
    pub(crate) fn new(client: UnicatClient, gid: String, parent: String) -> Self {
        Self {
            client,
            gid,
            parent,
            options: CallOptions::default(),
        }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<AssetChange> {
        require_non_blank("the asset gid", &self.gid)?;
        require_non_blank("the new parent gid", &self.parent)?;
        let body = MoveBody {
            asset: &self.gid,
            parent: &self.parent,
        };
        let request = self
            .client
            .post_json(&["assets", "move"], &body, "unicat.assets_move")?;
        let answer = self.client.call(self.options.apply(request)).await?;
        answer.change(Some(&self.gid), "Unicat assets/move answer")
    }
}
