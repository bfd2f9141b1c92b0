//! The one error type shared by every assetkit crate.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::Value;
use url::Url;

use crate::ratelimit::RateLimit;
use crate::retry::RetryPolicy;
use crate::vendor::{Profile, Vendor};

/// How much of a response body an error keeps.
pub const MAX_ERROR_BODY: usize = 4096;

/// How much of an error answer's body is read (and parsed) at most; the rest is dropped.
pub const MAX_ERROR_READ: usize = 64 * 1024;

/// A URL as it may be shown in errors, logs and `Debug` output: scheme, host, port and
/// path only. User info is dropped and a query (presigned signatures, tokens) becomes
/// `?[redacted]`.
pub fn redact_url(url: &Url) -> String {
    let mut shown = format!("{}://", url.scheme());
    if let Some(host) = url.host_str() {
        shown.push_str(host);
    }
    if let Some(port) = url.port() {
        shown.push(':');
        shown.push_str(&port.to_string());
    }
    shown.push_str(url.path());
    if url.query().is_some() {
        shown.push_str("?[redacted]");
    }
    shown
}

/// What was attempted: carried by API, transport and timeout errors so that a report says
/// which request failed, how often it was tried and for how long.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestSummary {
    /// The HTTP method.
    pub method: Method,
    /// The endpoint's name ("roblox.create_asset"); empty when none was given.
    pub endpoint: &'static str,
    /// The URL, without user info or query (see [`redact_url`]).
    pub url: String,
    /// Attempts made, the first included.
    pub attempts: u32,
    /// Time from the first attempt to the failure, waits between attempts included.
    pub elapsed: Duration,
}

impl RequestSummary {
    /// Describes a request to `url` (shown redacted).
    pub fn new(method: Method, endpoint: &'static str, url: &Url, attempts: u32, elapsed: Duration) -> Self {
        Self {
            method,
            endpoint,
            url: redact_url(url),
            attempts,
            elapsed,
        }
    }
}

impl fmt::Display for RequestSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.url)?;
        if !self.endpoint.is_empty() {
            write!(f, " ({})", self.endpoint)?;
        }
        let plural = if self.attempts == 1 { "" } else { "s" };
        write!(
            f,
            ", {} attempt{plural} in {:.1} s",
            self.attempts,
            self.elapsed.as_secs_f64()
        )
    }
}

/// Writes ` [summary]` when there is one.
fn bracketed(summary: Option<&RequestSummary>) -> String {
    summary.map(|s| format!(" [{s}]")).unwrap_or_default()
}

/// Which time limit ended a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// No connection within the connect timeout.
    Connect,
    /// No byte moved, in either direction, for the stall timeout.
    Stall,
    /// The answer did not arrive in full within the response timeout after the request
    /// was sent.
    Response,
    /// The optional total timeout of the request ran out.
    Total,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Connect => "no connection within the connect timeout",
            TimeoutKind::Stall => "no byte moved within the stall timeout",
            TimeoutKind::Response => "the answer did not arrive in full within the response timeout",
            TimeoutKind::Total => "the request ran over its total timeout",
        })
    }
}

/// A shorthand for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a vendor said when it refused a request.
///
/// Read from the answer by the vendor's [`Profile`] (each vendor module owns the shape of
/// its error bodies). When the body is in no shape the profile knows (an HTML error page,
/// say) the status and the start of the raw body are still kept.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// Which service answered.
    pub vendor: Vendor,
    /// The HTTP status of the answer.
    pub status: u16,
    /// The vendor's machine-readable error code, when it gave one.
    pub code: Option<String>,
    /// The vendor's message, or the HTTP reason when it gave none.
    pub message: String,
    /// The vendor's reference for this request (Webflow `externalReference`, request-id headers).
    pub request_id: Option<String>,
    /// Structured details, as the vendor sent them.
    pub details: Vec<Value>,
    /// The start of the raw body (at most [`MAX_ERROR_BODY`] bytes).
    pub body: String,
    /// The rate-limit headers of the answer.
    pub rate_limit: RateLimit,
    /// The request that got this answer, once the transport has finished with it.
    pub request: Option<RequestSummary>,
    /// Whether the vendor said the resource does not exist: a 404, or the vendor's own way
    /// of saying it (Unicat answers 422 "asset doesn't exist"), set by its profile.
    pub not_found: bool,
    /// Whether the vendor refused the content itself (moderation), set by its profile.
    pub moderated: bool,
}

impl ApiError {
    /// Builds an `ApiError` from a response's status, headers and body, read by the
    /// vendor's `profile`.
    pub fn from_response(
        profile: &dyn Profile,
        status: u16,
        headers: &HeaderMap,
        body: &[u8],
        rate_limit: RateLimit,
    ) -> Self {
        let mut error = Self::with_message(profile.vendor(), status, "");
        error.body = truncate(body);
        error.rate_limit = rate_limit;
        profile.read_error(&mut error, headers, body);
        if error.message.is_empty() {
            reqwest::StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("unexpected status")
                .clone_into(&mut error.message);
        }
        error
    }

    /// An error the vendor reported inside a successful HTTP answer (a `success: false`
    /// envelope) or a local one with no body.
    pub fn with_message(vendor: Vendor, status: u16, message: impl Into<String>) -> Self {
        Self {
            vendor,
            status,
            code: None,
            message: message.into(),
            request_id: None,
            details: Vec::new(),
            body: String::new(),
            rate_limit: RateLimit::default(),
            request: None,
            not_found: status == 404,
            moderated: false,
        }
    }

    /// Reads the shapes most APIs share: `message` (or `error` as a string, `error.message`,
    /// `errors[0].message`, `error_description`), `code` (or `error.code`,
    /// `errors[0].code`), `details`, and an `x-request-id` or `request-id` header. Fields
    /// already set are kept, so a vendor's profile can read its own shape first.
    pub fn read_common(&mut self, headers: &HeaderMap, body: &[u8]) {
        if let Ok(json) = serde_json::from_slice::<Value>(body) {
            let nested = json.get("error").filter(|e| e.is_object());
            let first = json.get("errors").and_then(|e| e.get(0));
            if self.message.is_empty() {
                self.message = json_text(json.get("message"))
                    .or_else(|| json_text(nested.and_then(|e| e.get("message"))))
                    .or_else(|| json_text(first.and_then(|e| e.get("message"))))
                    .or_else(|| json_text(json.get("error")))
                    .or_else(|| json_text(json.get("error_description")))
                    .unwrap_or_default();
            }
            if self.code.is_none() {
                self.code = json_text(json.get("code"))
                    .or_else(|| json_text(nested.and_then(|e| e.get("code"))))
                    .or_else(|| json_text(first.and_then(|e| e.get("code"))));
            }
            if self.details.is_empty() {
                self.details = detail_list(json.get("details"));
            }
        }
        if self.request_id.is_none() {
            self.request_id = header_text(headers, &["x-request-id", "request-id"]);
        }
    }
}

/// A JSON value as text: a non-empty string, or a number.
pub fn json_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A `details` value as a list: an array as it is, nothing for null or `{}`, anything else
/// as one item.
pub fn detail_list(value: Option<&Value>) -> Vec<Value> {
    match value {
        Some(Value::Array(items)) => items.clone(),
        Some(Value::Null) | None => Vec::new(),
        Some(Value::Object(map)) if map.is_empty() => Vec::new(),
        Some(other) => vec![other.clone()],
    }
}

/// The first of `names` present as a readable header.
pub fn header_text(headers: &HeaderMap, names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok().map(str::to_owned))
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} answered {}", self.vendor, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        f.write_str(&bracketed(self.request.as_ref()))
    }
}

impl std::error::Error for ApiError {}

fn truncate(body: &[u8]) -> String {
    let cut = body.len().min(MAX_ERROR_BODY);
    let mut text = String::from_utf8_lossy(&body[..cut]).into_owned();
    if body.len() > MAX_ERROR_BODY {
        text.push('…');
    }
    text
}

/// What was created before a later step failed, so the caller can finish or clean up.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Created {
    /// The vendor that holds the resource.
    pub vendor: Vendor,
    /// What kind of resource it is ("asset", "operation", ...).
    pub kind: &'static str,
    /// The vendor's id for it.
    pub id: String,
}

impl Created {
    /// Describes a created resource.
    pub fn new(vendor: Vendor, kind: &'static str, id: impl Into<String>) -> Self {
        Self {
            vendor,
            kind,
            id: id.into(),
        }
    }
}

/// Every failure assetkit reports.
///
/// API failures carry the vendor's [`ApiError`]; the rest say what went wrong locally.
/// No variant ever holds a credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 400: the vendor rejected the request as malformed.
    #[error("bad request: {0}")]
    BadRequest(Box<ApiError>),
    /// 401: the credentials are missing, wrong or expired.
    #[error("unauthorized (check the API key or token): {0}")]
    Unauthorized(Box<ApiError>),
    /// 403: the credentials are valid but lack a permission or scope.
    #[error("forbidden (check the key's permissions and scopes): {0}")]
    Forbidden(Box<ApiError>),
    /// 404: the resource does not exist.
    #[error("not found: {0}")]
    NotFound(Box<ApiError>),
    /// 422: the request was well-formed but refused.
    #[error("unprocessable: {0}")]
    Unprocessable(Box<ApiError>),
    /// 429: too many requests; `retry_after` is how long the vendor asked to wait.
    #[error("rate limited{}: {error}", .retry_after.map(|d| format!(" (retry after {}s)", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// What the vendor said.
        error: Box<ApiError>,
        /// How long to wait before trying again, when known.
        retry_after: Option<Duration>,
    },
    /// 5xx: the vendor failed.
    #[error("server error: {0}")]
    Server(Box<ApiError>),
    /// Any other status that is not a success (including a redirect that was not followed).
    #[error("unexpected status: {0}")]
    UnexpectedStatus(Box<ApiError>),
    /// The vendor answered with a success status but said `success: false` in its envelope.
    #[error("request rejected: {0}")]
    Rejected(Box<ApiError>),
    /// The request was refused before anything was sent.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The connection failed (DNS, refused, reset); the cause is the `source()`.
    #[error("transport error: {message}{}", bracketed(.request.as_deref()))]
    Transport {
        /// What failed.
        message: String,
        /// Whether the failure happened before any byte of the request was sent.
        before_send: bool,
        /// The request, once the transport has finished with it.
        request: Option<Box<RequestSummary>>,
        /// The underlying error (with no URL in it).
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// The server's TLS certificate was refused (untrusted, expired, wrong name). Never
    /// retried: trying again cannot help. The cause is the `source()`.
    #[error("TLS certificate rejected for {host}: the server is not trusted (add its CA to the trust roots, or fix its certificate){}", bracketed(.request.as_deref()))]
    Tls {
        /// The host whose certificate was refused.
        host: String,
        /// The request, once the transport has finished with it.
        request: Option<Box<RequestSummary>>,
        /// The TLS error.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// A time limit ran out; `kind` says which one.
    #[error("timed out: {kind}{}", bracketed(.request.as_deref()))]
    Timeout {
        /// Which limit ran out.
        kind: TimeoutKind,
        /// Whether the request had not left yet (a connect timeout).
        before_send: bool,
        /// The request, once the transport has finished with it.
        request: Option<Box<RequestSummary>>,
    },
    /// An answer was larger than the client reads into memory
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)).
    #[error("the answer is larger than the {limit}-byte limit{}{}", .length.map(|l| format!(" ({l} bytes announced)")).unwrap_or_default(), bracketed(.request.as_deref()))]
    ResponseTooLarge {
        /// The limit in bytes.
        limit: u64,
        /// The size the server announced in `Content-Length`, when it did.
        length: Option<u64>,
        /// The request, once the transport has finished with it.
        request: Option<Box<RequestSummary>>,
    },
    /// The vendor's answer could not be decoded; a JSON failure is the `source()`.
    #[error("could not decode {what}{} (body starts: {snippet})", if .source.is_some() { String::new() } else { format!(": {message}") })]
    Decode {
        /// What was being decoded.
        what: String,
        /// Why it failed.
        message: String,
        /// The start of the body.
        snippet: String,
        /// The JSON error, when the body was JSON that did not fit.
        #[source]
        source: Option<serde_json::Error>,
    },
    /// A local file could not be read.
    #[error("i/o error{}: {source}", .path.as_ref().map(|p| format!(" on {}", p.display())).unwrap_or_default())]
    Io {
        /// The file involved, when there is one.
        path: Option<PathBuf>,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A long-running operation finished with an error.
    #[error("operation {operation} failed: {}{message}", .code.as_ref().map(|c| format!("{c}: ")).unwrap_or_default())]
    OperationFailed {
        /// The operation's name or path.
        operation: String,
        /// The vendor's error code.
        code: Option<String>,
        /// The vendor's message.
        message: String,
        /// Structured details.
        details: Vec<Value>,
    },
    /// A long-running operation was still not done at the deadline.
    #[error("operation {operation} not done after {}s; poll it again later", .waited.as_secs())]
    PollTimeout {
        /// The operation's name or path.
        operation: String,
        /// How long it was polled.
        waited: Duration,
    },
    /// Something was created, then a later step failed: `created` says what exists now,
    /// and the failure of the later step is the `source()`.
    #[error("{} {} {} was created, but a later step failed", .created.vendor, .created.kind, .created.id)]
    PartialFailure {
        /// What exists at the vendor now.
        created: Created,
        /// The failure of the later step.
        #[source]
        source: Box<Error>,
    },
}

impl Error {
    /// Maps a non-success answer to its variant (the transport's work; public for the
    /// vendor crates and for fakes).
    #[doc(hidden)]
    pub fn from_api(error: ApiError) -> Self {
        let boxed = Box::new(error);
        match boxed.status {
            400 => Error::BadRequest(boxed),
            401 => Error::Unauthorized(boxed),
            403 => Error::Forbidden(boxed),
            404 => Error::NotFound(boxed),
            422 => Error::Unprocessable(boxed),
            429 => {
                let retry_after = boxed.rate_limit.wait_hint();
                Error::RateLimited {
                    error: boxed,
                    retry_after,
                }
            }
            500..=599 => Error::Server(boxed),
            _ => Error::UnexpectedStatus(boxed),
        }
    }

    /// Wraps `self` as the failure of a step after `created` was made.
    pub fn after_created(self, created: Created) -> Self {
        Error::PartialFailure {
            created,
            source: Box::new(self),
        }
    }

    /// The vendor's answer, for API failures.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::BadRequest(e)
            | Error::Unauthorized(e)
            | Error::Forbidden(e)
            | Error::NotFound(e)
            | Error::Unprocessable(e)
            | Error::Server(e)
            | Error::UnexpectedStatus(e)
            | Error::Rejected(e)
            | Error::RateLimited { error: e, .. } => Some(e),
            Error::PartialFailure { source, .. } => source.api_error(),
            _ => None,
        }
    }

    /// The HTTP status of the vendor's answer, for API failures.
    pub fn status(&self) -> Option<u16> {
        self.api_error().map(|e| e.status)
    }

    /// Whether trying the same request again later may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Timeout { .. } | Error::Transport { .. } => true,
            Error::Server(e) | Error::UnexpectedStatus(e) => RetryPolicy::retries_status(e.status, true),
            Error::PartialFailure { source, .. } => source.is_retryable(),
            _ => false,
        }
    }

    /// How long the vendor asked to wait before trying again.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            Error::PartialFailure { source, .. } => source.retry_after(),
            other => other.api_error().and_then(|e| e.rate_limit.retry_after),
        }
    }

    /// Whether the resource does not exist, whatever the vendor's way of saying so (a 404,
    /// or Unicat's 422 "asset doesn't exist"): match this once instead of per vendor.
    pub fn is_not_found(&self) -> bool {
        self.api_error().is_some_and(|e| e.not_found)
    }

    /// Whether the vendor refused the content itself (Roblox's moderation refusals, such
    /// as "AssetName is moderated."): sending it again will not help.
    pub fn is_moderation(&self) -> bool {
        self.api_error().is_some_and(|e| e.moderated)
    }

    /// What was created before the failure, for [`Error::PartialFailure`].
    pub fn created(&self) -> Option<&Created> {
        match self {
            Error::PartialFailure { created, .. } => Some(created),
            _ => None,
        }
    }

    /// A decoding failure with the start of the body that failed.
    pub fn decode(what: impl Into<String>, message: impl fmt::Display, body: &[u8]) -> Self {
        Error::Decode {
            what: what.into(),
            message: message.to_string(),
            snippet: snippet(body),
            source: None,
        }
    }

    /// A JSON decoding failure, keeping serde's error as the `source()`.
    pub fn decode_json(what: impl Into<String>, error: serde_json::Error, body: &[u8]) -> Self {
        Error::Decode {
            what: what.into(),
            message: error.to_string(),
            snippet: snippet(body),
            source: Some(error),
        }
    }

    /// The message and every cause below it, one per line (`caused by: ...`), as a report
    /// to a person shows them. `Display` shows only this error's own level.
    pub fn report(&self) -> String {
        let mut text = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(current) = cause {
            text.push_str("\ncaused by: ");
            text.push_str(&current.to_string());
            cause = current.source();
        }
        text
    }

    /// What was attempted, for API, transport, timeout and size failures.
    pub fn request(&self) -> Option<&RequestSummary> {
        match self {
            Error::Transport { request, .. }
            | Error::Tls { request, .. }
            | Error::Timeout { request, .. }
            | Error::ResponseTooLarge { request, .. } => request.as_deref(),
            Error::PartialFailure { source, .. } => source.request(),
            other => other.api_error().and_then(|e| e.request.as_ref()),
        }
    }

    /// Records what was attempted, where the variant has room for it and none is set yet.
    pub fn with_request(mut self, summary: RequestSummary) -> Self {
        match &mut self {
            Error::Transport { request, .. }
            | Error::Tls { request, .. }
            | Error::Timeout { request, .. }
            | Error::ResponseTooLarge { request, .. } => {
                request.get_or_insert_with(|| Box::new(summary));
            }
            Error::BadRequest(e)
            | Error::Unauthorized(e)
            | Error::Forbidden(e)
            | Error::NotFound(e)
            | Error::Unprocessable(e)
            | Error::Server(e)
            | Error::UnexpectedStatus(e)
            | Error::Rejected(e)
            | Error::RateLimited { error: e, .. } => {
                e.request.get_or_insert(summary);
            }
            _ => {}
        }
        self
    }

    /// A file error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: Some(path.into()),
            source,
        }
    }

    /// A time limit that ran out.
    pub fn timeout(kind: TimeoutKind, before_send: bool) -> Self {
        Error::Timeout {
            kind,
            before_send,
            request: None,
        }
    }

    /// An answer over the size limit.
    pub fn too_large(limit: u64, length: Option<u64>) -> Self {
        Error::ResponseTooLarge {
            limit,
            length,
            request: None,
        }
    }

    /// A request refused before sending.
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidRequest(message.into())
    }
}

impl Error {
    /// An equivalent error: the same variant, fields and text, with causes that cannot be
    /// copied (an `io::Error`, serde's error) kept as their text. For handing one failure
    /// to several waiters (a shared sign-in, say): `Error` is not `Clone`.
    pub fn duplicate(&self) -> Error {
        match self {
            Error::BadRequest(e) => Error::BadRequest(e.clone()),
            Error::Unauthorized(e) => Error::Unauthorized(e.clone()),
            Error::Forbidden(e) => Error::Forbidden(e.clone()),
            Error::NotFound(e) => Error::NotFound(e.clone()),
            Error::Unprocessable(e) => Error::Unprocessable(e.clone()),
            Error::Server(e) => Error::Server(e.clone()),
            Error::UnexpectedStatus(e) => Error::UnexpectedStatus(e.clone()),
            Error::Rejected(e) => Error::Rejected(e.clone()),
            Error::RateLimited { error, retry_after } => Error::RateLimited {
                error: error.clone(),
                retry_after: *retry_after,
            },
            Error::InvalidRequest(message) => Error::InvalidRequest(message.clone()),
            Error::Transport {
                message,
                before_send,
                request,
                source,
            } => Error::Transport {
                message: message.clone(),
                before_send: *before_send,
                request: request.clone(),
                source: source.as_deref().map(|s| Cause::boxed(s)),
            },
            Error::Tls {
                host,
                request,
                source,
            } => Error::Tls {
                host: host.clone(),
                request: request.clone(),
                source: source.as_deref().map(|s| Cause::boxed(s)),
            },
            Error::Timeout {
                kind,
                before_send,
                request,
            } => Error::Timeout {
                kind: *kind,
                before_send: *before_send,
                request: request.clone(),
            },
            Error::ResponseTooLarge {
                limit,
                length,
                request,
            } => Error::ResponseTooLarge {
                limit: *limit,
                length: *length,
                request: request.clone(),
            },
            // serde's error cannot be copied; its text is the message.
            Error::Decode {
                what,
                message,
                snippet,
                ..
            } => Error::Decode {
                what: what.clone(),
                message: message.clone(),
                snippet: snippet.clone(),
                source: None,
            },
            Error::Io { path, source } => Error::Io {
                path: path.clone(),
                source: std::io::Error::new(source.kind(), Cause::new(source)),
            },
            Error::OperationFailed {
                operation,
                code,
                message,
                details,
            } => Error::OperationFailed {
                operation: operation.clone(),
                code: code.clone(),
                message: message.clone(),
                details: details.clone(),
            },
            Error::PollTimeout { operation, waited } => Error::PollTimeout {
                operation: operation.clone(),
                waited: *waited,
            },
            Error::PartialFailure { created, source } => Error::PartialFailure {
                created: created.clone(),
                source: Box::new(source.duplicate()),
            },
        }
    }
}

/// The text of an error and of its causes, standing in for an error that cannot be copied.
#[derive(Debug)]
struct Cause {
    text: String,
    next: Option<Box<Cause>>,
}

impl Cause {
    /// How many causes are copied at most (a chain that loops must not hang this).
    const MAX_DEPTH: usize = 32;

    fn new(error: &(dyn std::error::Error + 'static)) -> Self {
        let mut texts = Vec::new();
        let mut next = Some(error);
        while let Some(error) = next.filter(|_| texts.len() < Self::MAX_DEPTH) {
            texts.push(error.to_string());
            next = error.source();
        }
        let mut cause = Cause {
            text: texts.pop().unwrap_or_default(),
            next: None,
        };
        while let Some(text) = texts.pop() {
            cause = Cause {
                text,
                next: Some(Box::new(cause)),
            };
        }
        cause
    }

    fn boxed(error: &(dyn std::error::Error + 'static)) -> Box<dyn std::error::Error + Send + Sync> {
        Box::new(Self::new(error))
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for Cause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.next
            .as_deref()
            .map(|c| c as &(dyn std::error::Error + 'static))
    }
}

/// The start of a body, for error messages (at most 200 bytes, cut on a character boundary).
fn snippet(body: &[u8]) -> String {
    let cut = body.len().min(200);
    String::from_utf8_lossy(&body[..cut]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(vendor: Vendor, status: u16, body: &str) -> Error {
        Error::from_api(ApiError::from_response(
            &vendor,
            status,
            &HeaderMap::new(),
            body.as_bytes(),
            RateLimit::default(),
        ))
    }

    #[test]
    fn html_body_keeps_status_and_raw_text() {
        let err = parse(
            Vendor::new("roblox"),
            503,
            "<html><body>Service Unavailable</body></html>",
        );
        assert!(matches!(err, Error::Server(_)));
        assert!(err.is_retryable());
        let api = err.api_error().unwrap();
        assert_eq!(api.message, "Service Unavailable");
        assert!(api.body.contains("<html>"));
    }

    #[test]
    fn body_is_bounded() {
        let big = "x".repeat(MAX_ERROR_BODY * 3);
        let err = parse(Vendor::OTHER, 500, &big);
        assert!(err.api_error().unwrap().body.len() <= MAX_ERROR_BODY + '…'.len_utf8());
    }

    #[test]
    fn a_duplicate_keeps_variant_fields_and_the_text_of_every_cause() {
        let io = Error::io(
            "/tmp/x.fbx",
            std::io::Error::new(std::io::ErrorKind::NotFound, "gone"),
        )
        .after_created(Created::new(Vendor::new("roblox"), "operation", "op-1"));
        let copy = io.duplicate();
        assert_eq!(copy.report(), io.report());
        assert_eq!(copy.created(), io.created());
        assert!(matches!(
            copy,
            Error::PartialFailure { ref source, .. }
                if matches!(**source, Error::Io { ref source, .. } if source.kind() == std::io::ErrorKind::NotFound)
        ));
        let api = parse(Vendor::new("webflow"), 429, r#"{"message":"slow down"}"#);
        assert!(matches!(api.duplicate(), Error::RateLimited { .. }));
        assert_eq!(api.duplicate().to_string(), api.to_string());
    }

    #[test]
    fn partial_failure_keeps_created_id() {
        let err = parse(
            Vendor::new("s3"),
            403,
            "<Error><Code>AccessDenied</Code><Message>denied</Message></Error>",
        )
        .after_created(Created::new(Vendor::new("webflow"), "asset", "abc"));
        assert_eq!(err.created().unwrap().id, "abc");
        assert_eq!(err.status(), Some(403));
        assert!(err.to_string().contains("webflow asset abc was created"));
    }
}
