//! Get Root: `POST /api/p/<project gid>/assets/root`.

use assetkit_core::Result;
use serde::Serialize;

use crate::unicat::{Asset, UnicatClient};
use crate::{CallOptions, RequestOptions};

/// Get Root: `POST /api/p/<project gid>/assets/root`.
///
/// The root folder of the project's asset tree. Sends an empty JSON object; the answer
/// names the root in `result.root`, joined to its record in `data.assets`.
///
/// See also: [the Unicat API reference](https://docs.unicat.app/api/reference) (its
/// `assets/root` page could not be read; the SDK's use of it is what this follows).
///
/// # Errors
///
/// - `BadRequest` (400), `Unauthorized` (401) when signing in fails, `Forbidden` (403)
///   for a key that is not a member of the project, `RateLimited` (429), `Server` (5xx).
/// - `Decode` for an answer without `result.root`.
///
/// # Examples
///
/// ```no_run
/// # async fn demo(client: assetkit::unicat::UnicatClient) -> assetkit::Result<()> {
/// let root = client.assets().root().send().await?;
/// println!("root {} has {:?} children", root.gid, root.childcount);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct GetRoot {
    client: UnicatClient,
    options: CallOptions,
}

impl RequestOptions for GetRoot {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

/// The JSON body of `assets/root`: `{}`.
#[derive(Serialize)]
struct RootBody {}

impl GetRoot {
    pub(crate) fn new(client: UnicatClient) -> Self {
        Self {
            client,
            options: CallOptions::default(),
        }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<Asset> {
        let request = self
            .client
            .post_json(&["assets", "root"], &RootBody {}, "unicat.assets_root")?
            .idempotent(true);
        let answer = self.client.call(self.options.apply(request)).await?;
        answer.required_asset("root", "Unicat assets/root answer")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_body_is_an_empty_object() {
        assert_eq!(serde_json::to_value(RootBody {}).unwrap(), json!({}));
    }
}
