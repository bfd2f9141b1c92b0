//! The one error type shared by every assetkit crate.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::ratelimit::RateLimit;
use crate::retry::RetryPolicy;
use crate::vendor::Vendor;

/// How much of a response body an error keeps.
pub const MAX_ERROR_BODY: usize = 4096;

/// A shorthand for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a vendor said when it refused a request.
///
/// Parsed from each vendor's error body: Roblox `{code, message, details}` (and its older
/// `{errors: [{message}]}`), Webflow `{code, message, externalReference, details}`, Enklu
/// and Unicat `{success: false, error | result.message}`, Media Pocket `{"error": "..."}`
/// and S3's XML `<Error><Code/><Message/></Error>`. When the body is not in any of these
/// shapes (an HTML error page, say) the status and the start of the raw body are still kept.
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
}

impl ApiError {
    /// Builds an `ApiError` from a response's status, headers and body.
    pub fn from_response(
        vendor: Vendor,
        status: u16,
        headers: &HeaderMap,
        body: &[u8],
        rate_limit: RateLimit,
    ) -> Self {
        let mut error = Self {
            vendor,
            status,
            code: None,
            message: String::new(),
            request_id: None,
            details: Vec::new(),
            body: truncate(body),
            rate_limit,
        };
        if let Ok(json) = serde_json::from_slice::<Value>(body) {
            error.read_json(&json);
        } else if let Ok(text) = std::str::from_utf8(body) {
            error.read_xml(text);
        }
        if error.request_id.is_none() {
            error.request_id = ["x-request-id", "x-amz-request-id", "x-roblox-request-id"]
                .iter()
                .find_map(|name| headers.get(*name)?.to_str().ok().map(str::to_owned));
        }
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
        }
    }

    fn read_json(&mut self, json: &Value) {
        let text = |v: Option<&Value>| -> Option<String> {
            match v? {
                Value::String(s) if !s.is_empty() => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            }
        };
        // Envelopes (Enklu, Unicat) put the failure under `error` or `result`.
        let result = json.get("result").filter(|r| r.is_object());
        let nested_error = json.get("error").filter(|e| e.is_object());
        let first_of_list = json.get("errors").and_then(|e| e.get(0));
        self.message = text(json.get("message"))
            .or_else(|| text(nested_error.and_then(|e| e.get("message"))))
            .or_else(|| text(result.and_then(|r| r.get("message"))))
            .or_else(|| text(first_of_list.and_then(|e| e.get("message"))))
            .or_else(|| text(json.get("error")))
            .or_else(|| text(json.get("error_description")))
            .unwrap_or_default();
        self.code = text(json.get("code"))
            .or_else(|| text(nested_error.and_then(|e| e.get("code"))))
            .or_else(|| text(result.and_then(|r| r.get("code"))))
            .or_else(|| text(first_of_list.and_then(|e| e.get("code"))))
            // Roblox's legacy shape is {"error": "CODE", "message": "..."}.
            .or_else(|| {
                if json.get("message").is_some() {
                    text(json.get("error"))
                } else {
                    None
                }
            });
        self.request_id = text(json.get("externalReference")).or_else(|| text(json.get("requestId")));
        // Unicat's envelope carries its details in `result.info`.
        let details = json
            .get("details")
            .or_else(|| json.get("errorDetails"))
            .or_else(|| result.and_then(|r| r.get("info")));
        self.details = match details {
            Some(Value::Array(items)) => items.clone(),
            Some(Value::Null) | None => Vec::new(),
            Some(Value::Object(map)) if map.is_empty() => Vec::new(),
            Some(other) => vec![other.clone()],
        };
    }

    fn read_xml(&mut self, text: &str) {
        if !text.contains("<Error>") {
            return;
        }
        let tag = |name: &str| -> Option<String> {
            let open = format!("<{name}>");
            let start = text.find(&open)? + open.len();
            let end = text[start..].find(&format!("</{name}>"))? + start;
            Some(text[start..end].trim().to_owned())
        };
        self.code = tag("Code");
        self.message = tag("Message").unwrap_or_default();
        self.request_id = tag("RequestId");
    }
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
        Ok(())
    }
}

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
    /// The connection failed (DNS, TLS, refused, reset).
    #[error("transport error: {message}")]
    Transport {
        /// What failed.
        message: String,
        /// Whether the failure happened before any byte of the request was sent.
        before_send: bool,
        /// The underlying error.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// The connection stalled or took too long.
    #[error("timed out: {0}")]
    Timeout(String),
    /// The vendor's answer could not be decoded.
    #[error("could not decode {what}: {message} (body starts: {snippet})")]
    Decode {
        /// What was being decoded.
        what: String,
        /// Why it failed.
        message: String,
        /// The start of the body.
        snippet: String,
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
    /// Something was created, then a later step failed: `created` says what exists now.
    #[error("{} {} {} was created, but a later step failed: {source}", .created.vendor, .created.kind, .created.id)]
    PartialFailure {
        /// What exists at the vendor now.
        created: Created,
        /// The failure of the later step.
        #[source]
        source: Box<Error>,
    },
}

impl Error {
    /// Maps a non-success answer to its variant.
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
            Error::RateLimited { .. } | Error::Timeout(_) | Error::Transport { .. } => true,
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

    /// What was created before the failure, for [`Error::PartialFailure`].
    pub fn created(&self) -> Option<&Created> {
        match self {
            Error::PartialFailure { created, .. } => Some(created),
            _ => None,
        }
    }

    /// A decoding failure with the start of the body that failed.
    pub fn decode(what: impl Into<String>, message: impl fmt::Display, body: &[u8]) -> Self {
        let cut = body.len().min(200);
        Error::Decode {
            what: what.into(),
            message: message.to_string(),
            snippet: String::from_utf8_lossy(&body[..cut]).into_owned(),
        }
    }

    /// A file error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: Some(path.into()),
            source,
        }
    }

    /// A request refused before sending.
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidRequest(message.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(vendor: Vendor, status: u16, body: &str) -> Error {
        Error::from_api(ApiError::from_response(
            vendor,
            status,
            &HeaderMap::new(),
            body.as_bytes(),
            RateLimit::default(),
        ))
    }

    #[test]
    fn webflow_shape() {
        let err = parse(
            Vendor::Webflow,
            400,
            r#"{"code":"validation_error","message":"Validation Error","externalReference":"ref-1","details":[{"param":"fileName","description":"too long"}]}"#,
        );
        let api = err.api_error().unwrap();
        assert!(matches!(err, Error::BadRequest(_)));
        assert_eq!(api.code.as_deref(), Some("validation_error"));
        assert_eq!(api.message, "Validation Error");
        assert_eq!(api.request_id.as_deref(), Some("ref-1"));
        assert_eq!(api.details.len(), 1);
    }

    #[test]
    fn unicat_envelope_details() {
        let err = parse(
            Vendor::Unicat,
            400,
            r#"{"success":false,"result":{"code":1001,"message":"Validation error","info":{"field":"name"}},"data":{}}"#,
        );
        let api = err.api_error().unwrap();
        assert_eq!(
            (api.code.as_deref(), api.message.as_str()),
            (Some("1001"), "Validation error")
        );
        assert_eq!(api.details, vec![serde_json::json!({"field": "name"})]);
        let empty = parse(
            Vendor::Unicat,
            422,
            r#"{"success":false,"result":{"code":1003,"message":"x","info":{}}}"#,
        );
        assert!(empty.api_error().unwrap().details.is_empty());
    }

    #[test]
    fn html_body_keeps_status_and_raw_text() {
        let err = parse(
            Vendor::Roblox,
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
        let err = parse(Vendor::Other, 500, &big);
        assert!(err.api_error().unwrap().body.len() <= MAX_ERROR_BODY + '…'.len_utf8());
    }

    #[test]
    fn s3_xml() {
        let err = parse(
            Vendor::S3,
            400,
            "<?xml version=\"1.0\"?><Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message><RequestId>R1</RequestId></Error>",
        );
        let api = err.api_error().unwrap();
        assert_eq!(api.code.as_deref(), Some("EntityTooLarge"));
        assert!(api.message.starts_with("Your proposed upload"));
        assert_eq!(api.request_id.as_deref(), Some("R1"));
    }

    #[test]
    fn partial_failure_keeps_created_id() {
        let err = parse(
            Vendor::S3,
            403,
            "<Error><Code>AccessDenied</Code><Message>denied</Message></Error>",
        )
        .after_created(Created::new(Vendor::Webflow, "asset", "abc"));
        assert_eq!(err.created().unwrap().id, "abc");
        assert_eq!(err.status(), Some(403));
        assert!(err.to_string().contains("webflow asset abc was created"));
    }
}
