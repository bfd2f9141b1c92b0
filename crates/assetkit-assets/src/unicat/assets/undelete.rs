//! Undelete Asset: `POST /api/p/<project gid>/assets/undelete`.

use assetkit_core::Result;

use crate::unicat::{AssetChange, UnicatClient};
use crate::{CallOptions, RequestOptions};

/// Undelete Asset: `POST /api/p/<project gid>/assets/undelete`.
///
/// Undeletes a deleted asset and its subtree, sending `{"asset": gid}`; the answer names
/// it in `result.asset`.
///
/// See also: [assets/undelete](https://docs.unicat.app/api/reference/p/assets/undelete) in
/// the Unicat API reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty gid.
/// - `Unprocessable` (422) when the asset was permanently deleted, or its parent is
///   deleted too (undelete the parent), `BadRequest` (400), `Unauthorized` (401) when
///   signing in fails, `Forbidden` (403) for a key that is not a member of the project,
///   `RateLimited` (429), `Server` (5xx).
///
/// # Examples
///
/// ```no_run
/// # async fn demo(client: assetkit::unicat::UnicatClient) -> assetkit::Result<()> {
/// let restored = client.assets().undelete("96ec02b2-fb8d-4fb4-b952-fad0c4b88a74").send().await?;
/// println!("{:?} is back", restored.asset.pathname);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct UndeleteAsset {
    client: UnicatClient,
    gid: String,
    options: CallOptions,
}

impl RequestOptions for UndeleteAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl UndeleteAsset {
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
            "undelete",
            "unicat.assets_undelete",
        )
        .await
    }
}
