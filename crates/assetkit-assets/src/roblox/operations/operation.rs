//! The long-running operation that Create Asset and Update Asset start (what Get
//! Operation answers), and the handle that waits for it.

use assetkit_core::{Created, Error, Response, Result};
use assetkit_operations::{PollPolicy, PollState, Poller, operation_failed};
use serde::Deserialize;
use serde_json::Value;

use crate::roblox::RobloxClient;
use crate::roblox::models::{Asset, id_text};

/// Why a finished operation failed (a `google.rpc.Status`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationError {
    /// The status code, as text (the API sends a number such as `3`, or a name).
    pub code: Option<String>,
    /// What went wrong.
    pub message: String,
    /// Structured details, as sent.
    pub details: Vec<Value>,
}

/// An upload the API is working on: the answer of Create Asset, Update Asset and Get
/// Operation, and a handle to wait for its asset.
///
/// The API answers `{"path": "operations/{id}", "operationId": "{id}", "done": ...}`;
/// either of `path` and `operationId` is enough. A missing `done` means not done.
///
/// ```no_run
/// # async fn run(client: assetkit::roblox::RobloxClient) -> assetkit::Result<()> {
/// let operation = client.operations().get("6f3d...").send().await?;
/// if !operation.done {
///     let asset = operation.wait().await?;
///     println!("{:?}", asset.asset_id);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Operation {
    /// The operation id (what Get Operation takes).
    pub id: String,
    /// The resource path, `operations/{id}`.
    pub path: String,
    /// Whether the work finished (successfully or not).
    pub done: bool,
    /// The asset, once done successfully.
    pub response: Option<Asset>,
    /// Why it failed, once done unsuccessfully.
    pub error: Option<OperationError>,
    /// The vendor's metadata, as sent.
    pub metadata: Option<Value>,
    client: RobloxClient,
    policy: PollPolicy,
    /// Whether this handle came from the request that started the operation, so that a
    /// failure while waiting must say the operation exists.
    started_here: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireOperation {
    path: Option<String>,
    #[serde(default, deserialize_with = "id_text")]
    operation_id: Option<String>,
    done: Option<bool>,
    error: Option<WireStatus>,
    response: Option<Asset>,
    metadata: Option<Value>,
}

#[derive(Deserialize)]
struct WireStatus {
    #[serde(default, deserialize_with = "id_text")]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    details: Option<Vec<Value>>,
}

impl Operation {
    /// Decodes an operation from an answer of the API.
    pub(crate) fn from_response(
        client: &RobloxClient,
        response: &Response,
        started_here: bool,
    ) -> Result<Self> {
        let wire: WireOperation = response.json()?;
        let id = wire
            .operation_id
            .filter(|id| !id.is_empty())
            .or_else(|| {
                let path = wire.path.as_deref()?;
                let id = path.strip_prefix("operations/").unwrap_or(path);
                Some(id.rsplit('/').next().unwrap_or(id).to_owned()).filter(|id| !id.is_empty())
            })
            .ok_or_else(|| {
                Error::decode(
                    "Operation",
                    "the answer has neither `operationId` nor `path`",
                    response.body(),
                )
            })?;
        let path = wire.path.unwrap_or_else(|| format!("operations/{id}"));
        let error = wire.error.map(|status| OperationError {
            code: status.code,
            message: status.message.unwrap_or_default(),
            details: status.details.unwrap_or_default(),
        });
        Ok(Self {
            id,
            path,
            done: wire.done.unwrap_or(false),
            response: wire.response,
            error,
            metadata: wire.metadata,
            client: client.clone(),
            policy: client.poll_policy().clone(),
            started_here,
        })
    }

    /// The outcome of a finished operation: its asset, or [`Error::OperationFailed`] with
    /// the vendor's code, message and details. `None` while not done.
    pub fn result(&self) -> Option<Result<Asset>> {
        if !self.done {
            return None;
        }
        Some(match (&self.error, &self.response) {
            (Some(error), _) => Err(operation_failed(
                self.id.clone(),
                error.code.clone(),
                error.message.clone(),
                error.details.clone(),
            )),
            (None, Some(asset)) => Ok(asset.clone()),
            (None, None) => Err(Error::decode(
                "Operation",
                format!(
                    "operation {} is done but has neither a response nor an error",
                    self.id
                ),
                b"",
            )),
        })
    }

    /// Replaces the polling policy used by [`wait`](Self::wait) and
    /// [`poller`](Self::poller) for this operation.
    pub fn poll_policy(mut self, policy: PollPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// A poller that asks Get Operation (`GET /v1/operations/{operationId}`) until the
    /// operation is done, on the client's clock and this operation's policy.
    ///
    /// 429s, 5xx answers worth retrying and broken connections do not stop it; a done
    /// operation with an `error` ends it with [`Error::OperationFailed`].
    pub fn poller(&self) -> Poller<Asset> {
        let client = self.client.clone();
        let id = self.id.clone();
        Poller::new(self.id.clone(), move || {
            let client = client.clone();
            let id = id.clone();
            Box::pin(async move {
                let operation = client.operations().get(id).send().await?;
                Ok(match operation.result() {
                    None => PollState::pending(),
                    Some(result) => PollState::Done(result?),
                })
            })
        })
        .time_of(self.client.http())
        .policy(self.policy.clone())
    }

    /// Waits for the operation to finish and returns its asset.
    ///
    /// Returns at once if the operation is already done. Fails with
    /// [`Error::OperationFailed`] when the upload failed and [`Error::PollTimeout`] at the
    /// policy's deadline; both carry the operation id. For an operation this handle's
    /// request started (Create or Update Asset), any other failure while polling comes as
    /// [`Error::PartialFailure`] whose [`created`](Error::created) is the operation
    /// (`kind` `"operation"`), so it can be polled again with
    /// [`client.operations().get(id)`](super::OperationsHandler::get).
    pub async fn wait(self) -> Result<Asset> {
        let outcome = match self.result() {
            Some(result) => result,
            None => self.poller().until_done().await,
        };
        outcome.map_err(|error| match error {
            Error::OperationFailed { .. } | Error::PollTimeout { .. } => error,
            other if self.started_here => {
                other.after_created(Created::new(crate::roblox::VENDOR, "operation", self.id.clone()))
            }
            other => other,
        })
    }
}
