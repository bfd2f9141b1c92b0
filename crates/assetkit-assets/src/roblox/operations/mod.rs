//! Operation endpoints: `/v1/operations/...`.

mod get;
mod operation;

pub use get::GetOperation;
pub use operation::{Operation, OperationError};

use super::RobloxClient;

/// The operation endpoints, from [`RobloxClient::operations`].
#[derive(Debug, Clone)]
pub struct OperationsHandler {
    client: RobloxClient,
}

impl OperationsHandler {
    pub(crate) fn new(client: RobloxClient) -> Self {
        Self { client }
    }

    /// Get Operation: `GET /v1/operations/{operationId}`. See [`GetOperation`].
    pub fn get(&self, operation_id: impl Into<String>) -> GetOperation {
        GetOperation::new(self.client.clone(), operation_id.into())
    }
}
