//! The machinery every fake shares: one wiremock server, a router to the vendor's
//! handler, injected faults, and recorded requests.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A vendor's behaviour: answers one request.
pub(crate) trait Handler: Send + Sync + 'static {
    fn handle(&self, request: &Request) -> ResponseTemplate;
}

/// A failure to inject into a fake server's next answers.
///
/// ```
/// use assetkit_testkit::Fault;
/// use std::time::Duration;
/// // The next two requests whose path contains "/operations/" answer 503.
/// let fault = Fault::status(503).times(2).on_path("/operations/");
/// let slow = Fault::slow(Duration::from_millis(200));
/// # let _ = (fault, slow);
/// ```
#[derive(Debug, Clone)]
pub struct Fault {
    kind: FaultKind,
    path_contains: Option<String>,
    times: usize,
}

#[derive(Debug, Clone)]
enum FaultKind {
    /// The connection is closed after the request head is read, with no answer.
    Drop,
    Status {
        status: u16,
        body: String,
        headers: Vec<(String, String)>,
    },
    Slow(Duration),
    MalformedJson,
}

impl Fault {
    /// Answers with `status` and a small JSON error body.
    pub fn status(status: u16) -> Self {
        Self::with_body(
            status,
            format!(r#"{{"message":"injected fault: status {status}"}}"#),
        )
    }

    /// Answers with `status` and `body`.
    pub fn with_body(status: u16, body: impl Into<String>) -> Self {
        Self {
            kind: FaultKind::Status {
                status,
                body: body.into(),
                headers: Vec::new(),
            },
            path_contains: None,
            times: 1,
        }
    }

    /// A 429 carrying `Retry-After: <seconds>`.
    pub fn rate_limited(retry_after: Duration) -> Self {
        let mut fault = Self::with_body(429, r#"{"message":"Too many requests"}"#);
        if let FaultKind::Status { headers, .. } = &mut fault.kind {
            headers.push(("retry-after".into(), retry_after.as_secs().to_string()));
        }
        fault
    }

    /// A 503 carrying `Retry-After: <seconds>`: the service saying it is unavailable, which
    /// clients may retry even for a create (a bare [`status(503)`](Self::status) may come
    /// from a proxy whose backend failed mid-request, and is not retried for a create).
    pub fn unavailable(retry_after: Duration) -> Self {
        let mut fault = Self::with_body(503, r#"{"message":"Service unavailable"}"#);
        if let FaultKind::Status { headers, .. } = &mut fault.kind {
            headers.push(("retry-after".into(), retry_after.as_secs().to_string()));
        }
        fault
    }

    /// The normal answer, after a delay.
    pub fn slow(delay: Duration) -> Self {
        Self {
            kind: FaultKind::Slow(delay),
            path_contains: None,
            times: 1,
        }
    }

    /// A 200 whose body is not valid JSON.
    pub fn malformed_json() -> Self {
        Self {
            kind: FaultKind::MalformedJson,
            path_contains: None,
            times: 1,
        }
    }

    /// Closes the connection once the request's head has been read, without answering:
    /// the client sees a connection broken mid-request. The request never reaches the
    /// fake, so it is not in [`FakeServer::requests`].
    pub fn drop_connection() -> Self {
        Self {
            kind: FaultKind::Drop,
            path_contains: None,
            times: 1,
        }
    }

    /// Applies to the next `n` matching requests (default 1).
    pub fn times(mut self, n: usize) -> Self {
        self.times = n;
        self
    }

    /// Applies only to requests whose path contains `fragment`.
    pub fn on_path(mut self, fragment: impl Into<String>) -> Self {
        self.path_contains = Some(fragment.into());
        self
    }

    fn matches(&self, path: &str) -> bool {
        self.path_contains
            .as_ref()
            .is_none_or(|f| path.contains(f.as_str()))
    }
}

#[derive(Default)]
struct Faults {
    queue: Mutex<VecDeque<Fault>>,
}

impl Faults {
    /// The first queued fault matching `path`, consumed once, when `wanted` says it is
    /// for the caller (the connection front takes drops, the router the rest), so that
    /// faults apply in the order they were queued.
    fn take_if(&self, path: &str, wanted: impl Fn(&FaultKind) -> bool) -> Option<FaultKind> {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        let index = queue.iter().position(|f| f.matches(path))?;
        if !wanted(&queue.get(index)?.kind) {
            return None;
        }
        let fault = queue.get_mut(index)?;
        fault.times = fault.times.saturating_sub(1);
        let kind = fault.kind.clone();
        if fault.times == 0 {
            queue.remove(index);
        }
        Some(kind)
    }
}

/// A fixed-window rate limit for a fake server: `limit` requests per `window` (the first
/// window starts at the first request); past it, `429` with `Retry-After` (whole seconds,
/// rounded up) until the window ends. Every answer carries `X-RateLimit-Limit` and
/// `X-RateLimit-Remaining`, as Webflow's do; [`with_reset_header`](Self::with_reset_header)
/// adds `X-RateLimit-Reset`, as Roblox's do.
///
/// ```
/// use assetkit_testkit::RateWindow;
/// use std::time::Duration;
/// // Webflow's published limit.
/// let window = RateWindow::new(60, Duration::from_secs(60));
/// # let _ = window;
/// ```
#[derive(Clone)]
pub struct RateWindow {
    limit: u64,
    window: Duration,
    reset_header: bool,
    except: Vec<String>,
    now: Arc<dyn Fn() -> Instant + Send + Sync>,
}

impl fmt::Debug for RateWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateWindow")
            .field("limit", &self.limit)
            .field("window", &self.window)
            .field("reset_header", &self.reset_header)
            .finish_non_exhaustive()
    }
}

impl RateWindow {
    /// `limit` requests per `window`, on the machine's clock.
    pub fn new(limit: u64, window: Duration) -> Self {
        Self {
            limit,
            window,
            reset_header: false,
            except: Vec::new(),
            now: Arc::new(Instant::now),
        }
    }

    /// Also sends `X-RateLimit-Reset` (seconds to the window's end, rounded up).
    pub fn with_reset_header(mut self) -> Self {
        self.reset_header = true;
        self
    }

    /// Leaves requests whose path contains `fragment` out of the window (the Webflow fake's
    /// own S3 endpoint, `/s3/`, which stands for another host).
    pub fn except_path(mut self, fragment: impl Into<String>) -> Self {
        self.except.push(fragment.into());
        self
    }

    /// Reads time from `now` (a test's virtual clock, shared with the client under test).
    pub fn with_clock(mut self, now: impl Fn() -> Instant + Send + Sync + 'static) -> Self {
        self.now = Arc::new(now);
        self
    }
}

/// What a fake's [`RateWindow`] let through and refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateStats {
    /// Requests answered normally.
    pub accepted: u64,
    /// Requests refused with 429.
    pub refused: u64,
    /// Windows in which any request came.
    pub windows: u64,
    /// The most 429s any one window gave.
    pub most_refused_in_a_window: u64,
}

struct Limiter {
    rule: RateWindow,
    start: Option<Instant>,
    /// The current window's index from `start`, and its counts.
    index: u64,
    used: u64,
    refused_here: u64,
    stats: RateStats,
}

impl Limiter {
    /// Counts one request: `Ok(headers)` to answer it, `Err(template)` to refuse it.
    fn admit(&mut self) -> Result<Vec<(String, String)>, ResponseTemplate> {
        let now = (self.rule.now)();
        let start = *self.start.get_or_insert(now);
        let length = self.rule.window.max(Duration::from_millis(1));
        let elapsed = now.saturating_duration_since(start);
        let index = u64::try_from(elapsed.as_nanos() / length.as_nanos()).unwrap_or(u64::MAX);
        if index != self.index || self.stats.windows == 0 {
            self.index = index;
            self.used = 0;
            self.refused_here = 0;
            self.stats.windows += 1;
        }
        let end = length
            .checked_mul(u32::try_from(index.saturating_add(1)).unwrap_or(u32::MAX))
            .unwrap_or(Duration::MAX);
        let left = end.saturating_sub(elapsed);
        let seconds = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        let mut headers = vec![("x-ratelimit-limit".to_owned(), self.rule.limit.to_string())];
        if self.used >= self.rule.limit {
            self.refused_here += 1;
            self.stats.refused += 1;
            self.stats.most_refused_in_a_window = self.stats.most_refused_in_a_window.max(self.refused_here);
            headers.push(("x-ratelimit-remaining".to_owned(), "0".to_owned()));
            headers.push(("retry-after".to_owned(), seconds.to_string()));
            let mut template = ResponseTemplate::new(429)
                .insert_header("content-type", "application/json")
                .set_body_string(r#"{"code":"too_many_requests","message":"Too many requests"}"#);
            for (name, value) in headers {
                template = template.insert_header(name.as_str(), value.as_str());
            }
            return Err(template);
        }
        self.used += 1;
        self.stats.accepted += 1;
        headers.push((
            "x-ratelimit-remaining".to_owned(),
            (self.rule.limit - self.used).to_string(),
        ));
        if self.rule.reset_header {
            headers.push(("x-ratelimit-reset".to_owned(), seconds.to_string()));
        }
        Ok(headers)
    }
}

type SharedLimiter = Arc<Mutex<Option<Limiter>>>;

struct Router {
    handler: Arc<dyn Handler>,
    faults: Arc<Faults>,
    limiter: SharedLimiter,
}

impl Respond for Router {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let limited = self
            .limiter
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_mut()
            .filter(|l| {
                !l.rule
                    .except
                    .iter()
                    .any(|f| request.url.path().contains(f.as_str()))
            })
            .map(Limiter::admit);
        match limited {
            None => self.answer(request),
            Some(Err(refusal)) => refusal,
            Some(Ok(headers)) => {
                let mut template = self.answer(request);
                for (name, value) in headers {
                    template = template.insert_header(name.as_str(), value.as_str());
                }
                template
            }
        }
    }
}

impl Router {
    fn answer(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path();
        match self.faults.take_if(path, |kind| !matches!(kind, FaultKind::Drop)) {
            None | Some(FaultKind::Drop) => self.handler.handle(request),
            Some(FaultKind::Slow(delay)) => self.handler.handle(request).set_delay(delay),
            Some(FaultKind::MalformedJson) => ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string(r#"{"this is": not json"#),
            Some(FaultKind::Status {
                status,
                body,
                headers,
            }) => {
                let mut template = ResponseTemplate::new(status)
                    .insert_header("content-type", "application/json")
                    .set_body_string(body);
                for (name, value) in headers {
                    template = template.insert_header(name.as_str(), value.as_str());
                }
                template
            }
        }
    }
}

/// A request a fake server received.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: String,
    /// The URL path.
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// The headers, names lowercased. `connection` is always `close`: the connection front
    /// replaces the client's own.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One running fake server: what every vendor's fake has in common.
///
/// Clients talk to a small connection front on its own loopback port, which asks for
/// `Connection: close` (one request per connection, so a dropped connection can be
/// injected for any request) and passes bytes to the wiremock server behind it.
pub struct FakeServer {
    mock: MockServer,
    faults: Arc<Faults>,
    limiter: SharedLimiter,
    front: std::net::SocketAddr,
    accept: tokio::task::JoinHandle<()>,
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeServer")
            .field("uri", &self.uri())
            .finish_non_exhaustive()
    }
}

impl FakeServer {
    pub(crate) async fn start_at(handler: Arc<dyn Handler>, port: u16) -> Self {
        let mock = MockServer::start().await;
        let faults = Arc::new(Faults::default());
        let limiter = SharedLimiter::default();
        Mock::given(any())
            .respond_with(Router {
                handler,
                faults: faults.clone(),
                limiter: limiter.clone(),
            })
            .mount(&mock)
            .await;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap_or_else(|e| panic!("the fake server cannot listen on 127.0.0.1:{port}: {e}"));
        let front = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("the fake server has no local address: {e}"));
        let accept = tokio::spawn(front::accept(listener, *mock.address(), faults.clone()));
        Self {
            mock,
            faults,
            limiter,
            front,
            accept,
        }
    }

    /// The server's root, `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.front)
    }

    /// The base URL a client builder takes as it is (for most fakes, the root; Media Pocket
    /// and Enklu have their own).
    pub fn base_url(&self) -> String {
        self.uri()
    }

    /// Limits the server to a fixed window of requests from now on (replacing any earlier
    /// window and its counts).
    pub fn rate_limit(&self, window: RateWindow) {
        *self.limiter.lock().unwrap_or_else(PoisonError::into_inner) = Some(Limiter {
            rule: window,
            start: None,
            index: 0,
            used: 0,
            refused_here: 0,
            stats: RateStats::default(),
        });
    }

    /// What the rate window let through and refused so far.
    pub fn rate_stats(&self) -> RateStats {
        self.limiter
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map(|l| l.stats)
            .unwrap_or_default()
    }

    /// Queues a fault for the next matching requests.
    pub fn inject(&self, fault: Fault) {
        self.faults
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_back(fault);
    }

    /// Every request received so far, in order.
    pub async fn requests(&self) -> Vec<RecordedRequest> {
        let received = self.mock.received_requests().await.unwrap_or_default();
        received
            .into_iter()
            .map(|r| RecordedRequest {
                method: r.method.to_string(),
                path: r.url.path().to_owned(),
                query: r.url.query().map(str::to_owned),
                headers: r
                    .headers
                    .iter()
                    .map(|(n, v)| {
                        (
                            n.as_str().to_owned(),
                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                        )
                    })
                    .collect(),
                body: r.body,
            })
            .collect()
    }
}

/// A JSON answer.
pub(crate) fn json(status: u16, value: &serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "application/json")
        .set_body_string(value.to_string())
}

/// The request's header `name`, as text.
pub(crate) fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The request body as JSON, or `Null`.
pub(crate) fn body_json(request: &Request) -> serde_json::Value {
    serde_json::from_slice(&request.body).unwrap_or(serde_json::Value::Null)
}

/// The path's segments, percent-decoded.
pub(crate) fn segments(request: &Request) -> Vec<String> {
    request
        .url
        .path_segments()
        .map(|s| s.filter(|s| !s.is_empty()).map(percent_decode).collect())
        .unwrap_or_default()
}

/// A query parameter.
pub(crate) fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn percent_decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

/// The connection front: reads each request's head, drops the connection when a drop
/// fault is due, and otherwise forwards the request (with `Connection: close`) to wiremock.
mod front {
    use std::net::SocketAddr;
    use std::sync::Arc;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    use super::{FaultKind, Faults};

    /// The longest request head the front reads.
    const MAX_HEAD: usize = 64 * 1024;

    pub(super) async fn accept(listener: TcpListener, backend: SocketAddr, faults: Arc<Faults>) {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(serve(client, backend, faults.clone()));
        }
    }

    async fn serve(mut client: TcpStream, backend: SocketAddr, faults: Arc<Faults>) {
        let Some((head, rest)) = read_head(&mut client).await else {
            return;
        };
        let text = String::from_utf8_lossy(&head);
        let path = text
            .split_whitespace()
            .nth(1)
            .map_or("/", |target| target.split('?').next().unwrap_or(target));
        if faults
            .take_if(path, |kind| matches!(kind, FaultKind::Drop))
            .is_some()
        {
            return; // Dropping `client` closes the connection without an answer.
        }
        let Ok(mut server) = TcpStream::connect(backend).await else {
            return;
        };
        if server.write_all(&close_after(&text)).await.is_err() || server.write_all(&rest).await.is_err() {
            return;
        }
        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
    }

    /// The request head (through the blank line) and whatever body bytes came with it.
    async fn read_head(client: &mut TcpStream) -> Option<(Vec<u8>, Vec<u8>)> {
        let mut buffer = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let read = client.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
            // Only the new bytes (and the 3 before them) can complete the blank line.
            let from = buffer.len().saturating_sub(3);
            buffer.extend_from_slice(&chunk[..read]);
            if let Some(end) = buffer[from..].windows(4).position(|w| w == b"\r\n\r\n") {
                let rest = buffer.split_off(from + end + 4);
                return Some((buffer, rest));
            }
            if buffer.len() > MAX_HEAD {
                return None;
            }
        }
    }

    /// The head with any `Connection` header replaced by `Connection: close`, so that each
    /// connection carries one request.
    fn close_after(head: &str) -> Vec<u8> {
        let mut out = String::with_capacity(head.len() + 20);
        for line in head.trim_end_matches("\r\n").split("\r\n") {
            if !line.to_ascii_lowercase().starts_with("connection:") {
                out.push_str(line);
                out.push_str("\r\n");
            }
        }
        out.push_str("connection: close\r\n\r\n");
        out.into_bytes()
    }
}
