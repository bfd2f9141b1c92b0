//! Get Operation: `GET /v1/operations/{operationId}`.

use assetkit_core::{Request, Result};

use crate::roblox::{Operation, RobloxClient};

/// Get Operation: `GET /v1/operations/{operationId}`.
///
/// The status of an upload started by Create or Update Asset: not done yet, done with the
/// asset in `response`, or done with an `error`. Takes the bare id or the path
/// `operations/{id}`. Requires Read permission (OAuth2 scope `asset:read`).
///
/// ```no_run
/// # async fn run(client: assetkit_assets::roblox::RobloxClient) -> assetkit_core::Result<()> {
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
}

impl GetOperation {
    pub(crate) fn new(client: RobloxClient, operation_id: String) -> Self {
        Self { client, operation_id }
    }

    /// Sends the request. An empty id fails with `InvalidRequest` before sending.
    pub async fn send(self) -> Result<Operation> {
        let id = self
            .operation_id
            .strip_prefix("operations/")
            .unwrap_or(&self.operation_id);
        crate::require_non_blank("the operation id", id)?;
        let request = Request::get(&["v1", "operations", id]).endpoint("roblox.get_operation");
        let response = self.client.http().execute(request).await?;
        Operation::from_response(&self.client, &response, false)
    }
}
