//! Get Operation: `GET /v1/operations/{operationId}`.

use assetkit_core::{Request, Result};

use crate::roblox::{Operation, RobloxClient};
use crate::{CallOptions, RequestOptions};

/// Get Operation: `GET /v1/operations/{operationId}`.
///
/// The status of an upload started by Create or Update Asset: not done yet, done with the
/// asset in `response`, or done with an `error`. Takes the bare id or the path
/// `operations/{id}`. Requires Read permission (OAuth2 scope `asset:read`).
///
/// See also: [Get Operation](https://create.roblox.com/docs/cloud/reference/features/assets)
/// in the Open Cloud reference.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty operation id.
/// - `NotFound` (404) for an unknown operation, `Forbidden` (403) without Read
///   permission, `Unauthorized` (401), `RateLimited` (429), `Server` (5xx); `Decode`
///   for an answer that names no operation.
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::roblox::RobloxClient) -> assetkit::Result<()> {
/// let operation = client.operations().get("operations/6f3d").send().await?;
/// match operation.result() {
///     None => println!("still working"),
///     Some(Ok(asset)) => println!("ready: {:?}", asset.asset_id),
///     Some(Err(error)) => println!("failed: {error}"),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct GetOperation {
    client: RobloxClient,
    operation_id: String,
    options: CallOptions,
}

impl RequestOptions for GetOperation {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl GetOperation {
    pub(crate) fn new(client: RobloxClient, operation_id: String) -> Self {
        Self {
            client,
            operation_id,
            options: CallOptions::default(),
        }
    }

    /// Sends the request. An empty id fails with `InvalidRequest` before sending.
    pub async fn send(self) -> Result<Operation> {
        let id = self
            .operation_id
            .strip_prefix("operations/")
            .unwrap_or(&self.operation_id);
        crate::require_non_blank("the operation id", id)?;
        let request = Request::get(&["v1", "operations", id]).endpoint("roblox.get_operation");
        let response = self.client.http().execute(self.options.apply(request)).await?;
        Operation::from_response(&self.client, &response, false)
    }
}
