//! The transport: one client per vendor, one retry loop for every request.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use futures::FutureExt;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use crate::auth::{Authenticator, Authorization};
use crate::body::{Applied, AttemptProgress, Body, MultipartForm};
use crate::error::{ApiError, Error, MAX_ERROR_READ, RequestSummary, Result, TimeoutKind, redact_url};
use crate::pace::{Pacer, Permit};
use crate::progress::ProgressReporter;
use crate::ratelimit::RateLimit;
use crate::retry::{RetryBudget, RetryPolicy, RetryTokens};
use crate::time::{Clock, RandomSource, Sleeper, SystemClock, ThreadRandom, TokioSleeper};
use crate::tls::Tls;
use crate::vendor::{Profile, Vendor};
use crate::watch::{Sending, Watch, after};

/// The default cap on a buffered answer: 32 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;

/// The `User-Agent` every request carries.
pub const USER_AGENT: &str = concat!("assetkit/", env!("CARGO_PKG_VERSION"));

/// Configures a [`Client`].
#[must_use]
pub struct ClientBuilder {
    profile: Arc<dyn Profile>,
    base_url: String,
    user_agent: String,
    connect_timeout: Duration,
    stall_timeout: Duration,
    response_timeout: Duration,
    timeout: Option<Duration>,
    max_response_bytes: u64,
    retry: RetryPolicy,
    retry_budget: RetryBudget,
    pacing: bool,
    auth: Option<Arc<dyn Authenticator>>,
    allow_http: bool,
    danger_plain_http: bool,
    tls: Tls,
    roots: Vec<Vec<u8>>,
    sleeper: Arc<dyn Sleeper>,
    clock: Arc<dyn Clock>,
    random: Arc<dyn RandomSource>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("vendor", &self.profile.vendor())
            .field("base_url", &redact_str(&self.base_url))
            .field("retry", &self.retry)
            .field("auth", &self.auth)
            .field("allow_http", &self.allow_http)
            .field("tls", &self.tls)
            .field("extra_roots", &self.roots.len())
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sets the credential attached to requests for the base URL's origin.
    pub fn auth(mut self, auth: Arc<dyn Authenticator>) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Allows plain `http://` to loopback hosts (`127.0.0.0/8`, `[::1]`, `localhost`): local
    /// mock servers, tests, proxies on the same machine. HTTPS is required for every other
    /// host; see [`danger_accept_plain_http`](Self::danger_accept_plain_http).
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Allows plain `http://` to **any** host. Credentials and content then cross the
    /// network unencrypted: only for a trusted network you control.
    pub fn danger_accept_plain_http(mut self, accept: bool) -> Self {
        self.danger_plain_http = accept;
        self
    }

    /// Picks the TLS library (see [`crate::tls`]; default [`Tls::Auto`]: rustls when it
    /// is built in).
    pub fn tls(mut self, tls: Tls) -> Self {
        self.tls = tls;
        self
    }

    /// Trusts the certificate authorities in `pem` (one or more PEM certificates) beside
    /// the platform's roots: a corporate CA, a private gateway's. A PEM with no
    /// certificate is an `InvalidRequest` from [`build`](Self::build).
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.roots.push(pem.into());
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets the retry budget shared by this client and its clones (default
    /// [`RetryBudget::standard`]).
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.retry_budget = budget;
        self
    }

    /// Paces requests to the vendor's rate limit (default on): each request waits for room
    /// in its rate-limit window, learned from the answers' `X-RateLimit-*` and
    /// `Retry-After` headers, before it goes out (see [`pace`](crate::pace)). Clones
    /// share the windows. Off, requests go at once and a 429 is retried as the policy
    /// allows.
    pub fn pacing(mut self, on: bool) -> Self {
        self.pacing = on;
        self
    }

    /// Sets the connect timeout (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets how long a request may go without a byte moving (default 60 s): while its body
    /// is being sent and while its answer is being read. Steady progress never trips it,
    /// however long the transfer; there is no total timeout by default, so a large upload
    /// on a slow link is never cut off while it moves.
    pub fn stall_timeout(mut self, timeout: Duration) -> Self {
        self.stall_timeout = timeout;
        self
    }

    /// Sets the longest wait from the end of the request to the last byte of the answer
    /// (default 120 s): the server's think time, the drain of kernel buffers on a slow link,
    /// and a trickling answer.
    pub fn response_timeout(mut self, timeout: Duration) -> Self {
        self.response_timeout = timeout;
        self
    }

    /// Sets a total timeout for every request, uploads included (default none).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the largest answer read into memory and decoded (default 32 MiB). Larger ones
    /// fail with [`Error::ResponseTooLarge`], judged by `Content-Length` before reading
    /// and enforced while reading. Error answers are read up to 64 KiB, whatever this says.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
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
    /// https URL (or http to a loopback host, after [`allow_http`](Self::allow_http)), or
    /// carries user info (`user:password@`: credentials go through the client's
    /// credential, never in a URL, where they would be sent as Basic auth and printed).
    pub fn build(self) -> Result<Client> {
        let base = Url::parse(&self.base_url).map_err(|e| {
            Error::invalid(format!(
                "base URL {} is not a URL: {e}",
                redact_str(&self.base_url)
            ))
        })?;
        let plain = PlainHttp {
            loopback: self.allow_http,
            anywhere: self.danger_plain_http,
        };
        plain.check(&base, "base URL")?;
        if base.cannot_be_a_base() {
            return Err(Error::invalid(format!(
                "base URL {} cannot take a path",
                redact_url(&base)
            )));
        }
        let http = reqwest::Client::builder()
            .user_agent(self.user_agent)
            .connect_timeout(self.connect_timeout)
            .https_only(!(plain.loopback || plain.anywhere))
            .referer(false)
            .redirect(same_origin_redirects())
            // HTTP/1.1 only, even where another crate turns on reqwest's `http2`.
            .http1_only()
            // The retry loop is ours. reqwest's own (for HTTP/2 and HTTP/3 refusals, which
            // this HTTP/1.1 client never sees) would copy every request's head, in case.
            .retry(reqwest::retry::never().max_retries_per_request(0));
        let http = match self.timeout {
            Some(timeout) => http.timeout(timeout),
            None => http,
        };
        let http = crate::tls::configure(http, self.tls, &self.roots)?;
        let http = http
            .build()
            .map_err(|e| Error::invalid(format!("cannot set up the HTTP client: {}", e.without_url())))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                profile: self.profile,
                base,
                auth: self.auth,
                retry: self.retry,
                tokens: Arc::new(RetryTokens::new(self.retry_budget)),
                pacer: self.pacing.then(Arc::default),
                limits: Limits {
                    stall: self.stall_timeout,
                    response: self.response_timeout,
                    max_response_bytes: self.max_response_bytes,
                    plain,
                },
                sleeper: self.sleeper,
                clock: self.clock,
                random: self.random,
                rate_limit: Mutex::default(),
            }),
        })
    }
}

/// Where plain http is allowed.
#[derive(Debug, Clone, Copy)]
struct PlainHttp {
    /// To loopback hosts (`allow_http`).
    loopback: bool,
    /// To any host (`danger_accept_plain_http`).
    anywhere: bool,
}

impl PlainHttp {
    /// Refuses a URL this client must not send to: user info, a scheme other than
    /// http(s), no host, or plain http where it is not allowed.
    fn check(self, url: &Url, what: &str) -> Result<()> {
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::invalid(format!(
                "{what} {} carries user info (user:password@); give credentials to the client's credential setter instead",
                redact_url(url)
            )));
        }
        let Some(host) = url.host() else {
            return Err(Error::invalid(format!("{what} {} has no host", redact_url(url))));
        };
        match url.scheme() {
            "https" => Ok(()),
            "http" if self.anywhere => Ok(()),
            "http" if self.loopback && is_loopback(&host) => Ok(()),
            "http" if self.loopback => Err(Error::invalid(format!(
                "{what} {} is plain http to a host that is not loopback; use https (allow_http covers only 127.0.0.1, [::1] and localhost; danger_accept_plain_http(true) allows any host)",
                redact_url(url)
            ))),
            "http" => Err(Error::invalid(format!(
                "{what} {} is plain http; use https, or allow_http(true) for local servers",
                redact_url(url)
            ))),
            other => Err(Error::invalid(format!("{what} scheme {other:?} is not http(s)"))),
        }
    }
}

/// Whether `host` is this machine: `127.0.0.0/8`, `::1`, `localhost` or `*.localhost`.
fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
        url::Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
    }
}

/// A URL string as it may be shown: parsed and redacted, or withheld when it is not a URL
/// (it may still hold a password).
fn redact_str(raw: &str) -> String {
    match Url::parse(raw) {
        Ok(url) => redact_url(&url),
        Err(_) if raw.contains('@') || raw.contains('?') => "(withheld: it may hold a credential)".to_owned(),
        Err(_) => format!("{raw:?}"),
    }
}

/// Whether `a` and `b` have the same origin (scheme, host and port, the default port
/// filled in), as `Url::origin` compares them for http(s), without building (and
/// allocating) two origins on every request. Any other scheme has an opaque origin, which
/// equals nothing.
fn same_origin(a: &Url, b: &Url) -> bool {
    matches!(a.scheme(), "http" | "https")
        && a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Follows redirects only within the origin they start from, so a credential can never be
/// carried to another host by a redirect.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same = attempt
            .previous()
            .first()
            .is_some_and(|first| same_origin(first, attempt.url()));
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
    /// How the vendor's answers are read.
    profile: Arc<dyn Profile>,
    base: Url,
    auth: Option<Arc<dyn Authenticator>>,
    retry: RetryPolicy,
    /// The retry budget, shared by clones and by [`Client::with_auth`] copies.
    tokens: Arc<RetryTokens>,
    /// The rate-limit windows, shared like the retry budget (`None`: pacing is off).
    pacer: Option<Arc<Pacer>>,
    limits: Limits,
    sleeper: Arc<dyn Sleeper>,
    clock: Arc<dyn Clock>,
    random: Arc<dyn RandomSource>,
    rate_limit: Mutex<RateLimit>,
}

/// The time and size limits of every request.
#[derive(Debug, Clone, Copy)]
struct Limits {
    stall: Duration,
    response: Duration,
    max_response_bytes: u64,
    plain: PlainHttp,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("vendor", &self.inner.profile.vendor())
            .field("base_url", &redact_url(&self.inner.base))
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// Why one attempt failed, and so whether another may help.
enum Failure {
    /// Never worth another attempt.
    Final(Error),
    /// The server answered with an error status; `early` when it answered before it had
    /// taken the whole request body (so it cannot have acted on it).
    Status { error: Error, early: bool },
    /// The exchange broke; `before_send` when no byte of the request left.
    Broken { error: Error, before_send: bool },
}

impl Client {
    /// Starts configuring a client at `base_url` (which may carry a path prefix, kept when
    /// paths are joined to it) whose answers `profile` reads: a vendor module's profile, or
    /// a bare [`Vendor`] for the common error shapes.
    pub fn builder(profile: impl Profile + 'static, base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            profile: Arc::new(profile),
            base_url: base_url.into(),
            user_agent: USER_AGENT.to_owned(),
            connect_timeout: Duration::from_secs(5),
            stall_timeout: Duration::from_secs(60),
            response_timeout: Duration::from_secs(120),
            timeout: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry: RetryPolicy::default(),
            retry_budget: RetryBudget::default(),
            pacing: true,
            auth: None,
            allow_http: false,
            danger_plain_http: false,
            tls: Tls::Auto,
            roots: Vec::new(),
            sleeper: Arc::new(TokioSleeper),
            clock: Arc::new(SystemClock),
            random: Arc::new(ThreadRandom),
        }
    }

    /// The vendor this client talks to.
    pub fn vendor(&self) -> Vendor {
        self.inner.profile.vendor()
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

    /// The retry policy (pollers built on this client cap server hints at its
    /// `max_retry_after` too).
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Tokens left in the retry budget shared by this client's clones.
    pub fn retry_tokens_left(&self) -> u32 {
        self.inner.tokens.left()
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
                profile: self.inner.profile.clone(),
                base: self.inner.base.clone(),
                auth,
                retry: self.inner.retry.clone(),
                tokens: self.inner.tokens.clone(),
                pacer: self.inner.pacer.clone(),
                limits: self.inner.limits,
                sleeper: self.inner.sleeper.clone(),
                clock: self.inner.clock.clone(),
                random: self.inner.random.clone(),
                rate_limit: Mutex::default(),
            }),
        }
    }

    /// The reqwest client every request goes through (downloads stream through it too).
    pub(crate) fn reqwest(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// Refuses a URL this client must not send to (user info, plain http where it is not
    /// allowed).
    pub(crate) fn check_url(&self, url: &Url) -> Result<()> {
        self.inner.limits.plain.check(url, "URL")
    }

    /// The credential for `url`: only ever for the base URL's origin.
    pub(crate) fn auth_for(&self, url: &Url) -> Option<&Arc<dyn Authenticator>> {
        self.inner
            .auth
            .as_ref()
            .filter(|_| same_origin(url, &self.inner.base))
    }

    /// How long a transfer may go without a byte moving.
    pub(crate) fn stall_timeout(&self) -> Duration {
        self.inner.limits.stall
    }

    /// An error answer read by this client's profile.
    pub(crate) fn error_answer(&self, status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
        let rate_limit = RateLimit::from_headers(headers, self.inner.clock.system_now());
        Error::from_api(ApiError::from_response(
            self.inner.profile.as_ref(),
            status,
            headers,
            body,
            rate_limit,
        ))
    }

    /// A reqwest failure as this client's error (`host` names where it went).
    pub(crate) fn transport_error(error: reqwest::Error, host: &str) -> (Error, bool) {
        match classify(error, host) {
            Failure::Final(error) | Failure::Status { error, .. } => (error, false),
            Failure::Broken { error, .. } => (error, true),
        }
    }

    /// The base URL with `segments` appended, each percent-encoded as one path segment.
    pub fn url(&self, segments: &[&str]) -> Result<Url> {
        self.joined(segments)
    }

    /// The base URL with `segments` appended, from any sequence of strings.
    fn joined<I>(&self, segments: I) -> Result<Url>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut url = self.inner.base.clone();
        url.path_segments_mut()
            .map_err(|()| Error::invalid(format!("base URL {} cannot take a path", self.inner.base)))?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    /// Sends `request`, retrying as the policy allows, and returns the successful answer.
    /// Any non-success status (and a `success: false` envelope) is an [`Error`].
    ///
    /// The future is a pointer: the request and the whole exchange's state live in one
    /// allocation, small enough for the allocator's per-thread cache, so every future
    /// that awaits a request, each vendor builder's `send`, stays small.
    pub fn execute(&self, request: Request) -> impl Future<Output = Result<Response>> + Send + '_ {
        // Written straight into its allocation: `Box::pin(future)` would build the whole
        // state on the stack first and copy it over.
        Box::into_pin(Box::write(Box::new_uninit(), self.exchange(request)))
    }

    /// [`execute`](Self::execute)'s state: an `async` block, not an `async fn`, because an
    /// `async fn` keeps its arguments twice in its future (the argument and the local it
    /// is moved into) where the block keeps them once. [`run`](Self::run) and
    /// [`attempt`](Self::attempt) are written the same way, for the same reason.
    #[allow(clippy::manual_async_fn)] // on purpose: see above
    fn exchange(&self, request: Request) -> impl Future<Output = Result<Response>> + Send + '_ {
        async move {
            let mut url = match &request.target {
                Target::Path(segments) => self.joined(segments)?,
                Target::Url(url) => Url::clone(url),
            };
            if !request.query.is_empty() {
                url.query_pairs_mut().extend_pairs(&request.query);
            }
            self.inner.limits.plain.check(&url, "URL")?;
            let span = tracing::info_span!(
                "assetkit.request",
                vendor = %self.inner.profile.vendor(),
                endpoint = request.endpoint,
                method = %request.method,
                host = url.host_str().unwrap_or_default(),
                path = url.path(),
            );
            // Every error leaves with a summary of the request: what was sent, how often,
            // for how long.
            let started = self.inner.clock.now();
            let answer =
                instrumented(self.run(&request, &url), span)
                    .await
                    .map_err(|Stopped { error, sends }| {
                        let elapsed = self.inner.clock.now().saturating_duration_since(started);
                        error.with_request(RequestSummary::new(
                            request.method.clone(),
                            request.endpoint,
                            &url,
                            sends,
                            elapsed,
                        ))
                    })?;
            Ok(Response {
                status: answer.status,
                headers: answer.headers,
                body: answer.body,
                rate_limit: answer.rate_limit,
                url,
            })
        }
    }

    /// Sends `request` and decodes its JSON answer.
    pub async fn execute_json<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        self.execute(request).await?.json()
    }

    /// The one retry loop. Every reason to stop or go on is here, in order. An error
    /// leaves with the number of sends it took.
    #[allow(clippy::manual_async_fn)] // an `async fn` would keep its arguments twice
    fn run<'a>(
        &'a self,
        request: &'a Request,
        url: &'a Url,
    ) -> impl Future<Output = std::result::Result<Answer, Stopped>> + Send + 'a {
        async move {
            let inner = &self.inner;
            let mut sends = 0;
            let stopped = |error: Error, sends: u32| Stopped { error, sends };
            // Credentials only ever go to the configured origin: never to presigned upload URLs
            // or any other host. Only that origin is paced, too.
            let own_origin = same_origin(url, &inner.base);
            let auth = inner.auth.as_ref().filter(|_| own_origin);
            let replayable = request.body.is_replayable();
            let total = match &request.progress {
                Some(_) => Box::pin(request.body.payload_len())
                    .await
                    .map_err(|e| stopped(e, sends))?,
                None => 0,
            };
            let policy = request.retry.as_deref().unwrap_or(&inner.retry);
            let mut attempt = 1;
            let mut reauthorized = false;
            let mut last_cost = None;
            loop {
                sends += 1;
                let authorization = match auth {
                    Some(auth) => Some(auth.authorize().await.map_err(|e| stopped(e, sends))?),
                    None => None,
                };
                // The attempt's own values live in this block, and nothing is awaited after
                // its answer is read: what an `async fn` holds across a wait takes room in its
                // future, and the whole answer would otherwise stay there through the
                // renewal and the back-off below.
                let failed = {
                    // The credential first: a sign-in may itself be a request through this
                    // client's windows, and must not wait behind a permit its caller holds.
                    let permit = match (&inner.pacer, own_origin) {
                        (Some(pacer), true) => Some(self.pace(pacer, request, policy).await),
                        _ => None,
                    };
                    // Boxed when there is one: every request's future keeps a pointer's room.
                    let progress = request
                        .progress
                        .clone()
                        .map(|reporter| Box::new(AttemptProgress::new(reporter, total, sends)));
                    let exchange = self.attempt(request, url, authorization.as_ref(), progress.as_deref());
                    let outcome = instrumented(exchange, tracing::debug_span!("attempt", n = sends)).await;
                    if let Some(permit) = permit {
                        self.learn(permit, &outcome);
                    }
                    match outcome {
                        Ok(response) => {
                            inner.tokens.succeeded(last_cost);
                            return Ok(response);
                        }
                        Err(Failure::Final(error)) => return Err(stopped(error, sends)),
                        Err(Failure::Status { error, early }) => Failed {
                            retry: retries_answer(&error, early, request.idempotent),
                            refused_credential: error.status() == Some(401),
                            error,
                        },
                        Err(Failure::Broken { error, before_send }) => Failed {
                            retry: before_send || request.idempotent,
                            refused_credential: false,
                            error,
                        },
                    }
                };
                // What comes after a failure (a renewal, a back-off) is boxed: only failures
                // pay for its room.
                let renewal = match (
                    failed.refused_credential,
                    auth,
                    authorization,
                    reauthorized,
                    replayable,
                ) {
                    (true, Some(auth), Some(used), false, true) => Some((auth, used)),
                    _ => None,
                };
                let retry = Retry {
                    attempt,
                    replayable,
                    policy,
                };
                match Box::pin(self.after_failure(failed, renewal, retry)).await {
                    Ok(Next::Renewed) => reauthorized = true,
                    Ok(Next::Retry(cost)) => {
                        last_cost = Some(cost);
                        attempt += 1;
                    }
                    Err(error) => return Err(stopped(error, sends)),
                }
            }
        }
    }

    /// Decides what follows a failed attempt, and waits for it: a 401 may only mean the
    /// token expired (renewed once, then the request goes again); otherwise a retry, if
    /// the request, the policy, the server's hint and the retry budget all allow one,
    /// after its back-off. The error to return, if not.
    async fn after_failure(
        &self,
        failed: Failed,
        renewal: Option<(&Arc<dyn Authenticator>, Authorization)>,
        retry: Retry<'_>,
    ) -> Result<Next> {
        let inner = &self.inner;
        let Failed {
            error,
            retry: allowed,
            ..
        } = failed;
        if let Some((auth, used)) = renewal
            && auth.reauthorize(&used).await?
        {
            tracing::debug!("credential renewed after 401");
            return Ok(Next::Renewed);
        }
        let Retry {
            attempt,
            replayable,
            policy,
        } = retry;
        if !allowed || !replayable || attempt >= policy.max_attempts() {
            return Err(error);
        }
        let hint = error.api_error().and_then(|e| e.rate_limit.wait_hint());
        if hint.is_some_and(|hint| hint > policy.max_retry_after()) {
            tracing::debug!(?hint, "server asks for a wait over the cap; failing fast");
            return Err(error);
        }
        let Some(cost) = inner.tokens.take(matches!(error, Error::Timeout { .. })) else {
            tracing::debug!(error = %error, "retry budget spent; failing at once");
            return Err(error);
        };
        let delay = policy.delay_with_hint(attempt, hint, inner.random.as_ref());
        tracing::debug!(?delay, error = %error, "retrying");
        inner.sleeper.sleep(delay).await;
        Ok(Next::Retry(cost))
    }

    /// Waits for room in the request's rate-limit window. Only the vendor's own origin is
    /// paced: presigned upload URLs have limits of their own.
    ///
    /// A window with room (the common case) is taken at once; only a wait sets up (and
    /// boxes, to keep every request's future small) the waiting future.
    async fn pace<'a>(&self, pacer: &'a Pacer, request: &Request, policy: &RetryPolicy) -> Permit<'a> {
        let inner = &self.inner;
        let bucket = inner.profile.rate_bucket(request.endpoint);
        let clock = inner.clock.as_ref();
        if let Some(permit) = pacer.try_acquire(bucket, clock, policy.max_retry_after()) {
            return permit;
        }
        Box::pin(pacer.acquire(bucket, clock, inner.sleeper.as_ref(), policy.max_retry_after())).await
    }

    /// Feeds an attempt's answer to its rate-limit window. A broken exchange drops its
    /// permit: nothing was learned.
    fn learn(&self, permit: Permit<'_>, outcome: &std::result::Result<Answer, Failure>) {
        let answer = match outcome {
            Ok(response) => Some((response.status, response.rate_limit)),
            Err(Failure::Status { error, .. }) => error.api_error().map(|e| (e.status, e.rate_limit)),
            Err(_) => None,
        };
        if let Some((status, limit)) = answer {
            permit.answered(status, &limit, || self.inner.clock.now());
        }
    }

    /// The request of one attempt, ready to send: headers, credential, body; and the
    /// watch of its body streams, if it has any. Only a multipart form has to wait to
    /// attach its body ([`Applied::Wait`]).
    fn prepare(
        &self,
        request: &Request,
        url: &Url,
        authorization: Option<&Authorization>,
        progress: Option<&AttemptProgress>,
    ) -> (Applied, Option<Arc<Watch>>) {
        let mut headers = request.headers.clone();
        if let Some(auth) = authorization {
            // The credential's header is the credential's alone.
            headers.remove(auth.name());
            headers.insert(auth.name().clone(), auth.value().clone());
        }
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url.clone())
            .headers(headers);
        if let Some(timeout) = request.timeout {
            builder = builder.timeout(timeout);
        }
        let mut watch = None;
        let applied = request.body.apply_now(builder, progress, &mut watch);
        (applied, watch)
    }

    /// Takes an answer's status and headers, and learns from them: the rate limit, and
    /// what the credential wants to see (a renewed token).
    fn take_head(&self, response: &mut reqwest::Response, authorization: Option<&Authorization>) -> Head {
        let inner = &self.inner;
        let status = response.status().as_u16();
        // The body is all that is read from the response after this: take the headers.
        let mut headers = std::mem::take(response.headers_mut());
        mark_sensitive(&mut headers);
        let rate_limit = RateLimit::from_headers_at(&headers, || inner.clock.system_now());
        if !rate_limit.is_empty() {
            *inner.rate_limit.lock().unwrap_or_else(PoisonError::into_inner) = rate_limit;
        }
        if let (Some(used), Some(auth)) = (authorization, &inner.auth) {
            auth.observe(used, &headers);
        }
        Head {
            status,
            headers,
            rate_limit,
        }
    }

    /// One exchange. Its future is part of every request's, so the work that does not
    /// wait is done in plain functions ([`prepare`](Self::prepare),
    /// [`take_head`](Self::take_head)), whose locals take no room in it.
    #[allow(clippy::manual_async_fn)] // an `async fn` would keep its arguments twice
    fn attempt<'a>(
        &'a self,
        request: &'a Request,
        url: &'a Url,
        authorization: Option<&'a Authorization>,
        progress: Option<&'a AttemptProgress>,
    ) -> impl Future<Output = std::result::Result<Answer, Failure>> + Send + 'a {
        async move {
            let inner = &self.inner;
            // The prepared request never crosses a wait: only the form's future (a pointer)
            // does, so the request is not copied into this future's state on its way out.
            let (builder, watch) = 'ready: {
                let form = match self.prepare(request, url, authorization, progress) {
                    (Applied::Ready(applied), watch) => break 'ready (applied, watch),
                    // A multipart form opens its files: boxed, so that this (rarer, larger)
                    // future is not part of every request's.
                    (Applied::Wait(builder), _) => Box::pin(request.body.apply(builder, progress)),
                };
                let (applied, watch) = form.await;
                (applied, Some(watch))
            };
            let builder = builder.map_err(Failure::Final)?;
            let sending = Sending::new(watch);
            let host = url.host_str().unwrap_or_default();
            let limits = &inner.limits;
            // The answer's values live in this block, which ends before the only later wait:
            // what an `async fn` holds across a wait takes room in its future.
            let rest = {
                let mut response = match tokio::select! {
                    // The answer first, should both be ready: no need to pick at random.
                    biased;
                    sent = builder.send() => sent,
                    kind = sending.expired(limits.stall, limits.response) => {
                        return Err(Failure::Broken { error: Error::timeout(kind, false), before_send: false });
                    }
                } {
                    Ok(response) => response,
                    // A body stream of ours that failed (a file that changed) says why itself.
                    Err(error) => {
                        return Err(sending
                            .take_failure()
                            .map_or_else(|| classify(error, host), Failure::Final));
                    }
                };
                // An answer that comes before the whole body was taken means the server refused it
                // without acting on it.
                let (early, sent) = sending.answered();
                let head = self.take_head(&mut response, authorization);
                let success = (200..300).contains(&head.status);
                let limit = if success {
                    limits.max_response_bytes
                } else {
                    MAX_ERROR_READ as u64
                };
                let length = response.content_length();
                if success && length.is_some_and(|length| length > limit) {
                    return Err(Failure::Final(Error::too_large(limit, length)));
                }
                let mut body = BodyRead::new(length, limit, success);
                body.take_arrived(&mut response, host)?;
                if body.complete() {
                    return self.conclude(head, body, early);
                }
                // The rest has to be waited for: boxed, together with the answer it belongs to,
                // so that this future (part of every request's) does not hold the answer.
                Box::pin(self.read_rest(response, head, body, sent, early, host))
            };
            rest.await
        }
    }

    /// Reads the rest of an answer that did not come whole with its head.
    async fn read_rest(
        &self,
        mut response: reqwest::Response,
        head: Head,
        mut body: BodyRead,
        sent: tokio::time::Instant,
        early: bool,
        host: &str,
    ) -> std::result::Result<Answer, Failure> {
        body.take_rest(&mut response, sent, &self.inner.limits, host)
            .await?;
        self.conclude(head, body, early)
    }

    /// An answer read whole: a success, or the error it says.
    fn conclude(&self, head: Head, body: BodyRead, early: bool) -> std::result::Result<Answer, Failure> {
        let inner = &self.inner;
        // Whether it is a success was decided once, when the read's limit was chosen.
        let success = body.success;
        let body = body.finish();
        let Head {
            status,
            headers,
            rate_limit,
        } = head;
        tracing::debug!(status, "answered");
        if !success {
            let api = ApiError::from_response(inner.profile.as_ref(), status, &headers, &body, rate_limit);
            return Err(Failure::Status {
                error: Error::from_api(api),
                early,
            });
        }
        if inner.profile.rejects(&body) {
            let api = ApiError::from_response(inner.profile.as_ref(), status, &headers, &body, rate_limit);
            return Err(Failure::Final(Error::Rejected(Box::new(api))));
        }
        Ok(Answer {
            status,
            headers,
            body,
            rate_limit,
        })
    }
}

/// A successful answer, before it is handed over with the URL that gave it.
struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
    rate_limit: RateLimit,
}

/// Why the retry loop stopped, and after how many sends.
struct Stopped {
    error: Error,
    sends: u32,
}

/// A failed attempt, and what it allows.
struct Failed {
    error: Error,
    /// The request may be sent again (it is safe to, and the failure is worth it).
    retry: bool,
    /// The server refused the credential (401).
    refused_credential: bool,
}

/// Where the retry loop stands, for [`Client::after_failure`].
struct Retry<'a> {
    attempt: u32,
    replayable: bool,
    policy: &'a RetryPolicy,
}

/// What follows a failed attempt.
enum Next {
    /// The credential was renewed: the same attempt goes again.
    Renewed,
    /// A retry, after its back-off, taking this much of the retry budget.
    Retry(u32),
}

/// `future`, inside `span` when someone listens to it. The wrapper is boxed: it would
/// otherwise cost every request's future room for the span, listened to or not.
fn instrumented<F: Future>(
    future: F,
    span: tracing::Span,
) -> futures::future::Either<F, Pin<Box<tracing::instrument::Instrumented<F>>>> {
    if span.is_disabled() {
        futures::future::Either::Left(future)
    } else {
        futures::future::Either::Right(Box::pin(future.instrument(span)))
    }
}

/// Whether an error answer may be retried. A request that is not idempotent (a create) is
/// sent again only when the server surely did not act on it: a 429 (rate limiters refuse
/// before any work); a 503 that came before the server had taken the whole body (`early`);
/// or a 503 with `Retry-After`, the server saying it is unavailable (RFC 9110 15.6.4,
/// 10.2.3). A bare 503 after the body was read may come from a proxy whose backend died
/// mid-request, after the work was done, so it is returned rather than risking a second
/// asset.
fn retries_answer(error: &Error, early: bool, idempotent: bool) -> bool {
    let status = error.status().unwrap_or_default();
    let unavailable = status == 503
        && (early
            || error
                .api_error()
                .is_some_and(|e| e.rate_limit.retry_after.is_some()));
    RetryPolicy::retries_status(status, idempotent) || unavailable
}

/// An answer's status and headers, taken before its body is read.
struct Head {
    status: u16,
    headers: HeaderMap,
    rate_limit: RateLimit,
}

/// An answer's body as it is read, up to a limit: a success over the limit is an error; an
/// error answer is simply cut there (its start is all an error message needs).
///
/// Most answers come as one chunk, kept as it is (no copy); a second chunk starts a
/// buffer. Reading stops at the announced length, without asking the body for its end:
/// that last poll would wake the connection's task to close the body and wait for it (a
/// wake-up across threads per request, which bare reqwest's `bytes()` does not make
/// either).
struct BodyRead {
    length: Option<u64>,
    limit: usize,
    success: bool,
    read: usize,
    first: Option<Bytes>,
    gathered: Option<Vec<u8>>,
    ended: bool,
}

impl BodyRead {
    fn new(length: Option<u64>, limit: u64, success: bool) -> Self {
        Self {
            length,
            limit: usize::try_from(limit).unwrap_or(usize::MAX),
            success,
            read: 0,
            first: None,
            gathered: None,
            ended: false,
        }
    }

    /// Whether the whole answer (or all of it that is wanted) is in.
    fn complete(&self) -> bool {
        self.ended || self.length.is_some_and(|length| self.read as u64 >= length)
    }

    /// Takes the next chunk of the answer (`None`: its end).
    fn take(&mut self, chunk: Option<Bytes>) -> std::result::Result<(), Failure> {
        let Some(mut chunk) = chunk else {
            self.ended = true;
            return Ok(());
        };
        let room = self.limit.saturating_sub(self.read);
        if chunk.len() > room {
            if self.success {
                return Err(Failure::Final(Error::too_large(self.limit as u64, self.length)));
            }
            chunk.truncate(room);
            self.ended = true;
        }
        self.read += chunk.len();
        match (&mut self.first, &mut self.gathered) {
            (None, None) => self.first = Some(chunk),
            (Some(_), None) => {
                let wanted = usize::try_from(self.length.unwrap_or(0)).unwrap_or(0);
                let mut buffer = Vec::with_capacity(wanted.clamp(self.read, self.limit.max(self.read)));
                buffer.extend_from_slice(self.first.take().as_deref().unwrap_or_default());
                buffer.extend_from_slice(&chunk);
                self.gathered = Some(buffer);
            }
            (_, Some(buffer)) => buffer.extend_from_slice(&chunk),
        }
        Ok(())
    }

    /// Takes what has already arrived, without waiting: a small answer is usually all
    /// there with its head, and then no deadline (no timer) is set up at all.
    fn take_arrived(
        &mut self,
        response: &mut reqwest::Response,
        host: &str,
    ) -> std::result::Result<(), Failure> {
        while !self.complete() {
            match response.chunk().now_or_never() {
                Some(Ok(chunk)) => self.take(chunk)?,
                Some(Err(error)) => return Err(classify(error, host)),
                None => break,
            }
        }
        Ok(())
    }

    /// Reads the rest under the stall and response timeouts.
    async fn take_rest(
        &mut self,
        response: &mut reqwest::Response,
        sent: tokio::time::Instant,
        limits: &Limits,
        host: &str,
    ) -> std::result::Result<(), Failure> {
        let response_deadline = after(sent, limits.response);
        while !self.complete() {
            let stall_deadline = after(tokio::time::Instant::now(), limits.stall);
            let deadline = stall_deadline.min(response_deadline);
            match tokio::time::timeout_at(deadline, response.chunk()).await {
                Err(_) => {
                    let kind = if deadline == response_deadline {
                        TimeoutKind::Response
                    } else {
                        TimeoutKind::Stall
                    };
                    return Err(Failure::Broken {
                        error: Error::timeout(kind, false),
                        before_send: false,
                    });
                }
                Ok(Err(error)) => return Err(classify(error, host)),
                Ok(Ok(chunk)) => self.take(chunk)?,
            }
        }
        Ok(())
    }

    fn finish(self) -> Bytes {
        match self.gathered {
            Some(buffer) => Bytes::from(buffer),
            None => self.first.unwrap_or_default(),
        }
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

/// Sorts a reqwest failure: TLS refusals are final, connect failures happened before any
/// byte left, the rest broke an exchange under way. The URL is dropped from the error (a
/// presigned query must never reach a message); the request summary names it redacted.
fn classify(error: reqwest::Error, host: &str) -> Failure {
    let error = error.without_url();
    if error.is_builder() {
        return Failure::Final(Error::invalid(error.to_string()));
    }
    if is_tls_refusal(&error) {
        return Failure::Final(Error::Tls {
            host: host.to_owned(),
            request: None,
            source: Some(Box::new(error)),
        });
    }
    // A connect timeout is both: no byte of the request left, so any request may retry it.
    let before_send = error.is_connect();
    if error.is_timeout() {
        let kind = if before_send {
            TimeoutKind::Connect
        } else {
            TimeoutKind::Total
        };
        return Failure::Broken {
            error: Error::timeout(kind, before_send),
            before_send,
        };
    }
    let message = if before_send {
        format!("could not connect to {host}")
    } else if error.is_body() {
        "the connection broke while the request was being sent".to_owned()
    } else if error.is_decode() {
        "the answer's body could not be read".to_owned()
    } else {
        "the connection broke".to_owned()
    };
    Failure::Broken {
        error: Error::Transport {
            message,
            before_send,
            request: None,
            source: Some(Box::new(error)),
        },
        before_send,
    }
}

/// Whether a certificate (or another TLS check) was refused somewhere in `error`'s causes.
fn is_tls_refusal(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(current) = cause {
        if crate::tls::is_refusal(current) {
            return true;
        }
        // io::Error hides its inner error from `source()`: look inside it (and inside the
        // io::Errors nested there) too.
        let mut io = current.downcast_ref::<std::io::Error>();
        while let Some(inner) = io.and_then(std::io::Error::get_ref) {
            if crate::tls::is_refusal(inner) {
                return true;
            }
            io = inner.downcast_ref::<std::io::Error>();
        }
        cause = current.source();
    }
    false
}

/// Where a request goes.
#[derive(Debug, Clone)]
enum Target {
    /// Path segments joined to the client's base URL.
    Path(Vec<String>),
    /// An absolute URL (presigned upload forms); no credential is attached to another origin.
    /// Boxed: most requests have a path, and every request carries its target.
    Url(Box<Url>),
}

/// One HTTP request, described so that it can be sent again on every attempt.
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
    /// This request's own retry policy, over the client's (boxed: rarely set).
    retry: Option<Box<RetryPolicy>>,
    /// This request's total timeout, over the client's.
    timeout: Option<Duration>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let target = match &self.target {
            Target::Path(segments) => segments.join("/"),
            Target::Url(url) => redact_url(url),
        };
        let query: Vec<&str> = self.query.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("endpoint", &self.endpoint)
            .field("target", &target)
            .field("query_names", &query)
            .field("body", &self.body)
            .field("idempotent", &self.idempotent)
            .finish_non_exhaustive()
    }
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
        Self::with_target(method, Target::Url(Box::new(url)))
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
            retry: None,
            timeout: None,
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

    /// Uses `policy` for this request instead of the client's retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(Box::new(policy));
        self
    }

    /// Gives this request a total timeout (from the start of each attempt to the end of its
    /// answer), over the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Adds the headers of `headers` (replacing any of the same name).
    pub fn headers(mut self, headers: &HeaderMap) -> Self {
        for (name, value) in headers {
            self.headers.insert(name.clone(), value.clone());
        }
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }
}

/// A successful answer, read in full.
#[derive(Clone)]
pub struct Response {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
    rate_limit: RateLimit,
    url: Url,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .field("rate_limit", &self.rate_limit)
            .field("url", &redact_url(&self.url))
            .finish()
    }
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
            Error::decode_json(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        let (a, b) = (Url::parse(a).unwrap(), Url::parse(b).unwrap());
        let answer = same_origin(&a, &b);
        // The same answer as comparing the two origins.
        assert_eq!(answer, a.origin() == b.origin(), "{a} {b}");
        answer
    }

    #[test]
    fn same_origin_agrees_with_url_origin() {
        assert!(same(
            "https://api.example.com/v1/a",
            "https://api.example.com/v2/b?x=1"
        ));
        assert!(same("https://api.example.com/", "https://api.example.com:443/"));
        assert!(same("http://127.0.0.1:8080/a", "http://127.0.0.1:8080/b"));
        assert!(!same("https://api.example.com/", "http://api.example.com/"));
        assert!(!same("https://api.example.com/", "https://api.example.com:8443/"));
        assert!(!same("https://api.example.com/", "https://uploads.example.com/"));
        assert!(!same(
            "https://api.example.com/",
            "https://api.example.com.evil.test/"
        ));
        assert!(!same("http://[::1]:80/", "http://127.0.0.1:80/"));
        // Opaque origins equal nothing, not even themselves.
        assert!(!same("data:text/plain,hi", "data:text/plain,hi"));
    }
}

#[cfg(test)]
mod sizes {
    use super::*;

    /// The sizes docs/ARCHITECTURE.md keeps ("The request path is kept lean"): every
    /// future that awaits a request holds a pointer, and the whole exchange's state is
    /// one allocation that fits glibc's per-thread allocation cache (1,032 bytes), where
    /// it is cheap.
    #[test]
    fn the_request_future_is_a_pointer_and_the_exchange_fits_the_thread_cache() {
        let client = Client::builder(Vendor::OTHER, "http://127.0.0.1:9/v2")
            .allow_http(true)
            .build()
            .unwrap();
        let request = Request::post(&["small"])
            .json(&serde_json::json!({"a": 1}))
            .unwrap();
        let url = client.url(&["small"]).unwrap();
        let execute = client.execute(Request::get(&["x"]));
        assert!(size_of_val(&execute) <= 16, "execute: {}", size_of_val(&execute));
        // What follows a failure (renewal, back-off) and the spans' wrappers are boxed
        // when they happen, so that the loop stays small.
        let run = client.run(&request, &url);
        assert!(size_of_val(&run) <= 520, "run: {}", size_of_val(&run));
        // The request's one allocation: the request, its URL and the loop (920 bytes with
        // Rust 1.95; the thread cache takes up to 1,032).
        let exchange = client.exchange(Request::get(&["x"]));
        let whole = size_of_val(&exchange);
        assert!(whole <= 960, "the request's state: {whole}");
        assert!(size_of::<Request>() <= 320, "Request: {}", size_of::<Request>());
    }
}
