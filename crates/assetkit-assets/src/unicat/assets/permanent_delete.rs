//! Permanently Delete Asset: `POST /api/p/<project gid>/assets/permanent_delete`.

use assetkit_core::Result;

use crate::unicat::{AssetChange, UnicatClient};
use crate::{CallOptions, RequestOptions};

/// Permanently Delete Asset: `POST /api/p/<project gid>/assets/permanent_delete`.
///
/// Removes a **deleted** asset and its subtree for good, sending `{"asset": gid}`: it can
/// no longer be undeleted. Returns the gid asked for and the parent the answer names
/// (`result.parent`).
///
/// See also: [assets/permanent_delete](https://docs.unicat.app/api/reference/p/assets/permanent_delete)
/// in the Unicat API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty gid.
/// - `Unprocessable` (422) when the permanent deletion fails (an asset that was not
///   deleted first, or is gone), `BadRequest` (400), `Unauthorized` (401), `Forbidden`
///   (403), `RateLimited` (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn demo(client: assetkit::unicat::UnicatClient) -> assetkit::Result<()> {
/// let gid = "96ec02b2-fb8d-4fb4-b952-fad0c4b88a74";
/// client.assets().delete(gid).send().await?;
/// client.assets().permanent_delete(gid).send().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct PermanentDeleteAsset {
    client: UnicatClient,
    gid: String,
    options: CallOptions,
}

impl RequestOptions for PermanentDeleteAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl PermanentDeleteAsset {
    pub(crate) fn new(client: UnicatClient, gid: String) -> Self {
        Self {
            client,
            gid,
            options: CallOptions::default(),
        }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<AssetChange> {
        super::change_by_gid(
            &self.client,
            &self.options,
            &self.gid,
            "permanent_delete",
            "unicat.assets_permanent_delete",
        )
        .await
    }
}
