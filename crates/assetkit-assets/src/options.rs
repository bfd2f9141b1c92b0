//! Per-call options: a timeout, a retry policy and extra headers for one call, through one
//! trait every endpoint builder implements.

use std::time::Duration;

use assetkit_core::header::{HeaderMap, HeaderName, HeaderValue};
use assetkit_core::{Request, RetryPolicy};

/// Options of one call, over the client's own.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    headers: HeaderMap,
}

impl CallOptions {
    /// The request with these options applied.
    pub(crate) fn apply(&self, mut request: Request) -> Request {
        if let Some(timeout) = self.timeout {
            request = request.timeout(timeout);
        }
        if let Some(retry) = &self.retry {
            request = request.retry_policy(retry.clone());
        }
        if !self.headers.is_empty() {
            request = request.headers(&self.headers);
        }
        request
    }
}

/// Per-call options of every endpoint builder (`with_timeout`, `with_retry`,
/// `with_header`), applied to each request the call makes.
///
/// ```no_run
/// # async fn run(client: assetkit::roblox::RobloxClient) -> assetkit::Result<()> {
/// use std::time::Duration;
/// use assetkit::RequestOptions;
/// use assetkit::RetryPolicy;
///
/// let asset = client
///     .assets()
///     .get(123)
///     .with_timeout(Duration::from_secs(10))
///     .with_retry(RetryPolicy::never())
///     .send()
///     .await?;
/// # let _ = asset; Ok(()) }
/// ```
pub trait RequestOptions: Sized {
    /// The options this builder carries.
    #[doc(hidden)]
    fn call_options(&mut self) -> &mut CallOptions;

    /// A total timeout for each request of this call (from the start of an attempt to the
    /// end of its answer), over the client's.
    fn with_timeout(mut self, timeout: Duration) -> Self {
        self.call_options().timeout = Some(timeout);
        self
    }

    /// The retry policy of this call, over the client's.
    fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.call_options().retry = Some(policy);
        self
    }

    /// An extra header on each request of this call. The client's credential header always
    /// wins over one of the same name.
    fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.call_options().headers.insert(name, value);
        self
    }
}
