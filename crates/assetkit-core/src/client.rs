//! The transport: one client per vendor, one retry loop for every request.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use crate::auth::{Authenticator, Authorization};
use crate::body::{AttemptProgress, Body, MultipartForm};
use crate::error::{ApiError, Error, Result};
use crate::progress::ProgressReporter;
use crate::ratelimit::RateLimit;
use crate::retry::RetryPolicy;
use crate::time::{Clock, RandomSource, Sleeper, SystemClock, ThreadRandom, TokioSleeper};
use crate::vendor::Vendor;

/// The `User-Agent` every request carries.
pub const USER_AGENT: &str = concat!("assetkit/", env!("CARGO_PKG_VERSION"));

/// Configures a [`Client`].
#[must_use]
pub struct ClientBuilder {
    vendor: Vendor,
    base_url: String,
    user_agent: String,
    connect_timeout: Duration,
    read_timeout: Duration,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    auth: Option<Arc<dyn Authenticator>>,
    allow_http: bool,
    sleeper: Arc<dyn Sleeper>,
    clock: Arc<dyn Clock>,
    random: Arc<dyn RandomSource>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("vendor", &self.vendor)
            .field("base_url", &self.base_url)
            .field("retry", &self.retry)
            .field("auth", &self.auth)
            .field("allow_http", &self.allow_http)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sets the credential attached to requests for the base URL's origin.
    pub fn auth(mut self, auth: Arc<dyn Authenticator>) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Allows a plain `http://` base URL (local mock servers, tests, proxies on loopback).
    /// HTTPS is required otherwise.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets the connect timeout (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets how long a connection may stall without a byte moving (default 60 s). There is
    /// no total timeout by default, so a large upload is never cut off while it progresses.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Sets a total timeout for every request, uploads included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Replaces the `User-Agent` (default `assetkit/<version>`).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// Replaces the sleeper used between retries (tests use `VirtualTime`).
    pub fn sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// Replaces the clock used for HTTP dates and deadlines.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Replaces the random source of jitter.
    pub fn random(mut self, random: Arc<dyn RandomSource>) -> Self {
        self.random = random;
        self
    }

    /// Builds the client. Fails with `InvalidRequest` when the base URL is not a usable
    /// https URL (or http, after [`allow_http`](Self::allow_http)).
    pub fn build(self) -> Result<Client> {
        let base = Url::parse(&self.base_url)
            .map_err(|e| Error::invalid(format!("base URL {:?} is not a URL: {e}", self.base_url)))?;
        match base.scheme() {
            "https" => {}
            "http" if self.allow_http => {}
            "http" => {
                return Err(Error::invalid(format!(
                    "base URL {base} is plain http; use https, or allow_http(true) for local servers"
                )));
            }
            other => {
                return Err(Error::invalid(format!(
                    "base URL scheme {other:?} is not http(s)"
                )));
            }
        }
        if base.cannot_be_a_base() || base.host().is_none() {
            return Err(Error::invalid(format!("base URL {base} has no host")));
        }
        let http = reqwest::Client::builder()
            .user_agent(self.user_agent)
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout)
            .https_only(!self.allow_http)
            .referer(false)
            .redirect(same_origin_redirects());
        let http = match self.timeout {
            Some(timeout) => http.timeout(timeout),
            None => http,
        };
        let http = http
            .build()
            .map_err(|e| Error::invalid(format!("cannot set up the HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                vendor: self.vendor,
                base,
                auth: self.auth,
                retry: self.retry,
                sleeper: self.sleeper,
                clock: self.clock,
                random: self.random,
                rate_limit: Mutex::default(),
            }),
        })
    }
}

/// Follows redirects only within the origin they start from, so a credential can never be
/// carried to another host by a redirect.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if same && attempt.previous().len() < 10 {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// A client for one vendor's API: a base URL, a credential, a retry policy and one pooled
/// HTTP client. Cloning is cheap and clones share everything.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    vendor: Vendor,
    base: Url,
    auth: Option<Arc<dyn Authenticator>>,
    retry: RetryPolicy,
    sleeper: Arc<dyn Sleeper>,
    clock: Arc<dyn Clock>,
    random: Arc<dyn RandomSource>,
    rate_limit: Mutex<RateLimit>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("vendor", &self.inner.vendor)
            .field("base_url", &self.inner.base.as_str())
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// Why one attempt failed, and so whether another may help.
enum Failure {
    /// Never worth another attempt.
    Final(Error),
    /// The server answered with an error status.
    Status(Error),
    /// The exchange broke; `before_send` when no byte of the request left.
    Broken { error: Error, before_send: bool },
}

impl Client {
    /// Starts configuring a client for `vendor` at `base_url` (which may carry a path
    /// prefix, kept when paths are joined to it).
    pub fn builder(vendor: Vendor, base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            vendor,
            base_url: base_url.into(),
            user_agent: USER_AGENT.to_owned(),
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(60),
            timeout: None,
            retry: RetryPolicy::default(),
            auth: None,
            allow_http: false,
            sleeper: Arc::new(TokioSleeper),
            clock: Arc::new(SystemClock),
            random: Arc::new(ThreadRandom),
        }
    }

    /// The vendor this client talks to.
    pub fn vendor(&self) -> Vendor {
        self.inner.vendor
    }

    /// The base URL every path is joined to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// The rate-limit headers of the latest response that carried any.
    pub fn rate_limit(&self) -> RateLimit {
        *self
            .inner
            .rate_limit
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The sleeper this client waits with (shared with pollers built on it).
    pub fn sleeper(&self) -> Arc<dyn Sleeper> {
        self.inner.sleeper.clone()
    }

    /// The clock this client reads.
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.inner.clock.clone()
    }

    /// The random source of this client's jitter.
    pub fn random(&self) -> Arc<dyn RandomSource> {
        self.inner.random.clone()
    }

    /// The same client with another credential (or none); the connection pool is shared.
    pub fn with_auth(&self, auth: Option<Arc<dyn Authenticator>>) -> Client {
        Client {
            inner: Arc::new(Inner {
                http: self.inner.http.clone(),
                vendor: self.inner.vendor,
                base: self.inner.base.clone(),
                auth,
                retry: self.inner.retry.clone(),
                sleeper: self.inner.sleeper.clone(),
                clock: self.inner.clock.clone(),
                random: self.inner.random.clone(),
                rate_limit: Mutex::default(),
            }),
        }
    }

    /// The base URL with `segments` appended, each percent-encoded as one path segment.
    pub fn url(&self, segments: &[&str]) -> Result<Url> {
        let mut url = self.inner.base.clone();
        url.path_segments_mut()
            .map_err(|()| Error::invalid(format!("base URL {} cannot take a path", self.inner.base)))?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    /// Sends `request`, retrying as the policy allows, and returns the successful answer.
    /// Any non-success status (and a `success: false` envelope) is an [`Error`].
    pub async fn execute(&self, request: Request) -> Result<Response> {
        let mut url = match &request.target {
            Target::Path(segments) => {
                let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
                self.url(&segments)?
            }
            Target::Url(url) => url.clone(),
        };
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        let span = tracing::info_span!(
            "assetkit.request",
            vendor = %self.inner.vendor,
            endpoint = request.endpoint,
            method = %request.method,
            host = url.host_str().unwrap_or_default(),
            path = url.path(),
        );
        self.run(&request, &url).instrument(span).await
    }

    /// Sends `request` and decodes its JSON answer.
    pub async fn execute_json<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        self.execute(request).await?.json()
    }

    async fn run(&self, request: &Request, url: &Url) -> Result<Response> {
        let inner = &self.inner;
        // Credentials only ever go to the configured origin: never to presigned upload URLs
        // or any other host.
        let auth = inner
            .auth
            .as_ref()
            .filter(|_| url.origin() == inner.base.origin());
        let replayable = request.body.is_replayable();
        let total = match &request.progress {
            Some(_) => request.body.payload_len().await?,
            None => 0,
        };
        let mut attempt = 1;
        let mut sends = 0;
        let mut reauthorized = false;
        loop {
            sends += 1;
            let authorization = match auth {
                Some(auth) => Some(auth.authorize().await?),
                None => None,
            };
            let progress = request
                .progress
                .clone()
                .map(|reporter| AttemptProgress::new(reporter, total, sends));
            let outcome = self
                .attempt(request, url, authorization.as_ref(), progress.as_ref())
                .instrument(tracing::debug_span!("attempt", n = sends))
                .await;
            let (error, retry_allowed) = match outcome {
                Ok(response) => return Ok(response),
                Err(Failure::Final(error)) => return Err(error),
                Err(Failure::Status(error)) => {
                    let status = error.status().unwrap_or_default();
                    // A 401 may only mean the token expired: renew it once and try again.
                    if let (401, Some(auth), Some(used), false, true) =
                        (status, auth, &authorization, reauthorized, replayable)
                        && auth.reauthorize(used).await?
                    {
                        tracing::debug!("credential renewed after 401");
                        reauthorized = true;
                        continue;
                    }
                    (error, RetryPolicy::retries_status(status, request.idempotent))
                }
                Err(Failure::Broken { error, before_send }) => (error, before_send || request.idempotent),
            };
            if !retry_allowed || !replayable || attempt >= inner.retry.max_attempts {
                return Err(error);
            }
            let hint = error.api_error().and_then(|e| e.rate_limit.wait_hint());
            if hint.is_some_and(|hint| hint > inner.retry.max_retry_after) {
                tracing::debug!(?hint, "server asks for a wait over the cap; failing fast");
                return Err(error);
            }
            let delay = inner
                .retry
                .backoff_for(attempt, inner.random.as_ref())
                .max(hint.unwrap_or_default());
            tracing::debug!(?delay, error = %error, "retrying");
            inner.sleeper.sleep(delay).await;
            attempt += 1;
        }
    }

    async fn attempt(
        &self,
        request: &Request,
        url: &Url,
        authorization: Option<&Authorization>,
        progress: Option<&AttemptProgress>,
    ) -> std::result::Result<Response, Failure> {
        let inner = &self.inner;
        let mut builder = inner
            .http
            .request(request.method.clone(), url.clone())
            .headers(request.headers.clone());
        if let Some(auth) = authorization {
            builder = builder.header(auth.name().clone(), auth.value().clone());
        }
        let builder = request
            .body
            .apply(builder, progress)
            .await
            .map_err(Failure::Final)?;
        let mut response = builder.send().await.map_err(classify)?;
        let status = response.status().as_u16();
        // The body is all that is read from the response after this: take the headers.
        let mut headers = std::mem::take(response.headers_mut());
        mark_sensitive(&mut headers);
        let rate_limit = RateLimit::from_headers(&headers, inner.clock.system_now());
        if !rate_limit.is_empty() {
            *inner.rate_limit.lock().unwrap_or_else(PoisonError::into_inner) = rate_limit;
        }
        if let (Some(used), Some(auth)) = (authorization, &inner.auth) {
            auth.observe(used, &headers);
        }
        let body = response.bytes().await.map_err(classify)?;
        tracing::debug!(status, "answered");
        if !(200..300).contains(&status) {
            let api = ApiError::from_response(inner.vendor, status, &headers, &body, rate_limit);
            return Err(Failure::Status(Error::from_api(api)));
        }
        if inner.vendor.has_success_envelope() && envelope_failed(&body) {
            let api = ApiError::from_response(inner.vendor, status, &headers, &body, rate_limit);
            return Err(Failure::Final(Error::Rejected(Box::new(api))));
        }
        Ok(Response {
            status,
            headers,
            body,
            rate_limit,
            url: url.clone(),
        })
    }
}

/// Marks credential-bearing response headers (a renewed JWT, cookies) as sensitive so that
/// a `Debug` print of a response never shows them.
fn mark_sensitive(headers: &mut HeaderMap) {
    for name in [reqwest::header::AUTHORIZATION, reqwest::header::SET_COOKIE] {
        if let reqwest::header::Entry::Occupied(mut entry) = headers.entry(name) {
            for value in entry.iter_mut() {
                value.set_sensitive(true);
            }
        }
    }
}

fn envelope_failed(body: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Envelope {
        success: Option<bool>,
    }
    serde_json::from_slice::<Envelope>(body).is_ok_and(|e| e.success == Some(false))
}

fn classify(error: reqwest::Error) -> Failure {
    let message = error.to_string();
    if error.is_builder() {
        return Failure::Final(Error::invalid(message));
    }
    // A connect timeout is both: no byte of the request left, so any request may retry it.
    let before_send = error.is_connect();
    if error.is_timeout() {
        return Failure::Broken {
            error: Error::Timeout(message),
            before_send,
        };
    }
    Failure::Broken {
        error: Error::Transport {
            message,
            before_send,
            source: Some(Box::new(error)),
        },
        before_send,
    }
}

/// Where a request goes.
#[derive(Debug, Clone)]
enum Target {
    /// Path segments joined to the client's base URL.
    Path(Vec<String>),
    /// An absolute URL (presigned upload forms); no credential is attached to another origin.
    Url(Url),
}

/// One HTTP request, described so that it can be sent again on every attempt.
#[derive(Debug)]
#[must_use]
pub struct Request {
    method: Method,
    target: Target,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Body,
    idempotent: bool,
    endpoint: &'static str,
    progress: Option<ProgressReporter>,
}

impl Request {
    /// A request for the base URL plus `segments` (each percent-encoded as one segment).
    /// GET, HEAD, PUT, DELETE and OPTIONS are idempotent; POST and PATCH are not.
    pub fn new(method: Method, segments: &[&str]) -> Self {
        Self::with_target(
            method,
            Target::Path(segments.iter().map(|s| (*s).to_owned()).collect()),
        )
    }

    /// A request for an absolute URL, such as a presigned upload form. The client's
    /// credential is not attached unless the URL has the client's own origin.
    pub fn to_url(method: Method, url: Url) -> Self {
        Self::with_target(method, Target::Url(url))
    }

    fn with_target(method: Method, target: Target) -> Self {
        let idempotent = matches!(
            method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        );
        Self {
            method,
            target,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Body::Empty,
            idempotent,
            endpoint: "",
            progress: None,
        }
    }

    /// A GET request.
    pub fn get(segments: &[&str]) -> Self {
        Self::new(Method::GET, segments)
    }

    /// A POST request.
    pub fn post(segments: &[&str]) -> Self {
        Self::new(Method::POST, segments)
    }

    /// A PATCH request.
    pub fn patch(segments: &[&str]) -> Self {
        Self::new(Method::PATCH, segments)
    }

    /// A PUT request.
    pub fn put(segments: &[&str]) -> Self {
        Self::new(Method::PUT, segments)
    }

    /// A DELETE request.
    pub fn delete(segments: &[&str]) -> Self {
        Self::new(Method::DELETE, segments)
    }

    /// Appends a query parameter.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Sets a header.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// Sets a JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(self, value: &T) -> Result<Self> {
        Ok(self.body(Body::json(value)?))
    }

    /// Sets a multipart body.
    pub fn multipart(self, form: MultipartForm) -> Self {
        self.body(Body::Multipart(form))
    }

    /// Marks the request as safe (or not) to send twice, overriding the method's default.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// Names the endpoint in logs and traces ("roblox.create_asset").
    pub fn endpoint(mut self, name: &'static str) -> Self {
        self.endpoint = name;
        self
    }

    /// Reports upload progress.
    pub fn progress(mut self, reporter: Option<ProgressReporter>) -> Self {
        self.progress = reporter;
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }
}

/// A successful answer, read in full.
#[derive(Debug, Clone)]
pub struct Response {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
    rate_limit: RateLimit,
    url: Url,
}

impl Response {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The headers (credential-bearing ones are marked sensitive).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The rate-limit headers of this answer.
    pub fn rate_limit(&self) -> RateLimit {
        self.rate_limit
    }

    /// The URL that answered.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Decodes the body as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::decode(
                std::any::type_name::<T>()
                    .rsplit("::")
                    .next()
                    .unwrap_or("response"),
                e,
                &self.body,
            )
        })
    }
}
