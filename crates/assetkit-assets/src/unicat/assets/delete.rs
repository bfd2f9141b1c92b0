//! Delete Asset: `POST /api/p/<project gid>/assets/delete`.

use assetkit_core::Result;

use crate::unicat::{AssetChange, UnicatClient};
use crate::{CallOptions, RequestOptions};

/// Delete Asset: `POST /api/p/<project gid>/assets/delete`.
///
/// Deletes an asset and its whole subtree, sending `{"asset": gid}`. The assets can be
/// brought back with [`undelete`](crate::unicat::AssetsHandler::undelete) until they are
/// permanently deleted. Returns the asset as the answer describes it (`result.asset`; the
/// gid asked for when the answer names none) and the parent when the answer names one
/// (`result.parent`).
///
/// See also: [the Unicat API reference](https://docs.unicat.app/api/reference) (its
/// `assets/delete` page could not be read; the SDK's use of it is what this follows).
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty gid.
/// - `Unprocessable` (422) for an asset that does not exist, `BadRequest` (400),
///   `Unauthorized` (401) when signing in fails, `Forbidden` (403) for a key that is not
///   a member of the project, `RateLimited` (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn demo(client: assetkit::unicat::UnicatClient) -> assetkit::Result<()> {
/// let deleted = client.assets().delete("96ec02b2-fb8d-4fb4-b952-fad0c4b88a74").send().await?;
/// println!("status now {:?}", deleted.asset.status);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct DeleteAsset {
    client: UnicatClient,
    gid: String,
    options: CallOptions,
}

impl RequestOptions for DeleteAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl DeleteAsset {
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
            "delete",
            "unicat.assets_delete",
        )
        .await
    }
}
