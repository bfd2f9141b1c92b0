use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use assetkit_core::header::{AUTHORIZATION, HeaderMap, HeaderName};
use assetkit_core::time::{Clock, SystemClock};
use assetkit_core::{Authenticator, Authorization, Error, Result};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures::channel::oneshot;
use futures::future::{BoxFuture, FutureExt as _, Shared};
use secrecy::{ExposeSecret, SecretString};

use crate::secret_header;

/// The vendor's sign-in step: trades stored credentials for a JWT.
///
/// Implemented for any `Fn() -> impl Future<Output = Result<SecretString>>`. The session
/// calls it without holding any lock, but it must not wait on the session it signs in
/// for (that would wait for itself).
pub trait SignIn: Send + Sync {
    /// Signs in and returns the token. An error here is what every caller waiting for
    /// this sign-in gets.
    fn sign_in(&self) -> BoxFuture<'_, Result<SecretString>>;
}

impl<F, Fut> SignIn for F
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<SecretString>> + Send + 'static,
{
    fn sign_in(&self) -> BoxFuture<'_, Result<SecretString>> {
        Box::pin(self())
    }
}

/// A JWT obtained by signing in, cached and shared by every request of a client (and by
/// every clone of the session).
///
/// - The first request signs in; concurrent requests wait for that one sign-in.
/// - Only one sign-in runs at a time, and everyone waiting for it gets its outcome: when
///   it fails, each waiter gets an equivalent error and none of them tries again (no
///   storm of password attempts). A call made after the failure may try again.
/// - A 401 signs in again once (unless another request already did, or is doing so) and
///   the request is sent again; a second 401 is the caller's `Unauthorized`.
/// - When the token is a JWT whose `exp` claim says it expires within the
///   [refresh margin](Self::DEFAULT_REFRESH_MARGIN) of the session's clock, the next
///   request signs in again before it is sent. If that early sign-in fails while the token
///   has not expired yet, the token is still used (the vendor's 401 decides). A token that
///   is not a JWT, or has no usable `exp`, is used until the vendor refuses it. A sign-in
///   ahead of expiry that brings a token which is itself due is not repeated for that token
///   (a wrong clock cannot cause a sign-in per request).
/// - With [`renewed_in`](Self::renewed_in), a token the vendor sends back in a response
///   header (Unicat renews its JWT in `Authorization` on any answer) replaces the cached
///   one, but only when the answer is to the cached token: a late answer to an older token
///   never replaces a newer one.
///
/// The token goes out as `Authorization: Bearer <jwt>`. Its signature is never checked
/// here; only the vendor can judge it.
#[derive(Clone)]
pub struct JwtSession {
    inner: Arc<Inner>,
}

struct Inner {
    sign_in: Box<dyn SignIn>,
    state: Mutex<State>,
    renewed_in: Option<HeaderName>,
}

/// Everything that changes, under one lock that is never held across an `await`.
struct State {
    current: Option<Token>,
    /// The sign-in in progress, numbered so that only its own leader withdraws it.
    flight: Option<(u64, Flight)>,
    flights: u64,
    clock: Arc<dyn Clock>,
    refresh_margin: Duration,
}

#[derive(Clone)]
struct Token {
    secret: SecretString,
    generation: u64,
    /// When the token's `exp` claim says it expires, if the session acts on it.
    expires_at: Option<SystemTime>,
}

/// How a sign-in ended, as every caller that waited for it sees it.
type Outcome = std::result::Result<Token, Arc<Error>>;

/// A sign-in in progress, as the callers that wait for it (its followers) await it.
type Flight = Shared<oneshot::Receiver<Outcome>>;

impl fmt::Debug for JwtSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.inner.lock();
        f.debug_struct("JwtSession")
            .field("signed_in", &state.current.is_some())
            .field("signing_in", &state.flight.is_some())
            .field("token", &"[REDACTED]")
            .field("renewed_in", &self.inner.renewed_in)
            .field("refresh_margin", &state.refresh_margin)
            .field("clock", &state.clock)
            .finish()
    }
}

impl Token {
    /// Whether the token should be replaced before it is used at `now`.
    fn is_due(&self, now: SystemTime, margin: Duration) -> bool {
        self.expires_at.is_some_and(|exp| match exp.duration_since(now) {
            Ok(left) => left <= margin,
            Err(_) => true,
        })
    }

    /// Whether the token's `exp` has passed at `now`.
    fn has_expired(&self, now: SystemTime) -> bool {
        self.expires_at.is_some_and(|exp| exp <= now)
    }
}

impl State {
    /// Caches `secret` as the newest token. `early` says it comes from a sign-in ahead of
    /// expiry: if it is due already, its `exp` is ignored rather than acted on again.
    fn store(&mut self, secret: SecretString, early: bool) -> Token {
        let mut token = Token {
            expires_at: expiry(secret.expose_secret()),
            secret,
            generation: self
                .current
                .as_ref()
                .map_or(1, |t| t.generation.saturating_add(1)),
        };
        if early && token.is_due(self.clock.system_now(), self.refresh_margin) {
            tracing::debug!("the new session token is due for renewal already; using it until it is refused");
            token.expires_at = None;
        }
        self.current = Some(token.clone());
        token
    }

    /// Ends flight `id`, if it is the one in progress.
    fn land(&mut self, id: u64) {
        if self.flight.as_ref().is_some_and(|(flying, _)| *flying == id) {
            self.flight = None;
        }
    }
}

/// What a caller does about its token, decided under the lock.
enum Need {
    /// Use this token now.
    Ready(Token),
    /// Wait for a sign-in (joining the one in progress, if any). `early` when the cached
    /// token is merely close to its expiry.
    SignIn { early: bool },
}

/// How a caller takes part in a sign-in.
enum Step<'a> {
    Follow(u64, Flight),
    Lead(Leader<'a>),
}

/// The caller that runs a sign-in for everyone waiting on it. Dropped before it finishes
/// (its caller was cancelled), it withdraws the flight, and its followers see the channel
/// close and start again, one of them leading a new sign-in.
struct Leader<'a> {
    inner: &'a Inner,
    id: u64,
    early: bool,
    done: Option<oneshot::Sender<Outcome>>,
}

impl Leader<'_> {
    async fn run(mut self) -> Result<Token> {
        tracing::debug!("signing in");
        let result = self.inner.sign_in.sign_in().await;
        let (own, shared) = {
            let mut state = self.inner.lock();
            state.land(self.id);
            match result {
                Ok(secret) => {
                    let token = state.store(secret, self.early);
                    (Ok(token.clone()), Ok(token))
                }
                Err(error) => {
                    tracing::debug!(error = %error, "sign-in failed");
                    let copy = Arc::new(error.duplicate());
                    (Err(error), Err(copy))
                }
            }
        };
        if let Some(done) = self.done.take() {
            // Nobody may be waiting any more; that is fine.
            let _ = done.send(shared);
        }
        own
    }
}

impl Drop for Leader<'_> {
    fn drop(&mut self) {
        if self.done.is_some() {
            self.inner.lock().land(self.id);
        }
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Returns the token `need` (asked under the lock, again after every interruption)
    /// says is ready, or the token of a sign-in: the one in progress, or a new one.
    async fn obtain(&self, need: impl Fn(&State) -> Need) -> Result<Token> {
        loop {
            let step = {
                let mut state = self.lock();
                let early = match need(&state) {
                    Need::Ready(token) => return Ok(token),
                    Need::SignIn { early } => early,
                };
                self.follow_or_lead(&mut state, early)
            };
            match step {
                Step::Lead(leader) => return leader.run().await,
                Step::Follow(id, flight) => match flight.await {
                    Ok(Ok(token)) => return Ok(token),
                    Ok(Err(error)) => return Err(error.duplicate()),
                    // The leader was cancelled before it finished (and withdrew the flight;
                    // withdrawn again here, so that no caller can wait on it twice): look again.
                    Err(oneshot::Canceled) => self.lock().land(id),
                },
            }
        }
    }

    fn follow_or_lead(&self, state: &mut State, early: bool) -> Step<'_> {
        if let Some((id, flight)) = &state.flight {
            return Step::Follow(*id, flight.clone());
        }
        let (done, outcome) = oneshot::channel();
        state.flights = state.flights.wrapping_add(1);
        let id = state.flights;
        state.flight = Some((id, outcome.shared()));
        Step::Lead(Leader {
            inner: self,
            id,
            early,
            done: Some(done),
        })
    }
}

impl JwtSession {
    /// How long before its `exp` a token is replaced by default: 60 s, so that a request
    /// (and its retries) do not set out with a token that dies on the way.
    pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

    /// A session that signs in with `sign_in` when it first needs a token.
    pub fn new(sign_in: impl SignIn + 'static) -> Self {
        Self::with(Box::new(sign_in), None)
    }

    /// A session whose vendor renews the token in the response header `header` (a value
    /// `Bearer <jwt>` or just `<jwt>`; an empty or non-text value is ignored).
    pub fn renewed_in(sign_in: impl SignIn + 'static, header: HeaderName) -> Self {
        Self::with(Box::new(sign_in), Some(header))
    }

    fn with(sign_in: Box<dyn SignIn>, renewed_in: Option<HeaderName>) -> Self {
        Self {
            inner: Arc::new(Inner {
                sign_in,
                state: Mutex::new(State {
                    current: None,
                    flight: None,
                    flights: 0,
                    clock: Arc::new(SystemClock),
                    refresh_margin: Self::DEFAULT_REFRESH_MARGIN,
                }),
                renewed_in,
            }),
        }
    }

    /// A session renewed through the response `Authorization` header.
    pub fn renewed_in_authorization(sign_in: impl SignIn + 'static) -> Self {
        Self::renewed_in(sign_in, AUTHORIZATION)
    }

    /// Reads the wall clock from `clock` when comparing a token's `exp` with now (the
    /// default is [`SystemClock`]; tests pass a `VirtualTime`). The session and its clones
    /// share one clock, so this changes it for every clone.
    pub fn with_clock(self, clock: Arc<dyn Clock>) -> Self {
        self.inner.lock().clock = clock;
        self
    }

    /// Replaces a token this long before its `exp` (default
    /// [`DEFAULT_REFRESH_MARGIN`](Self::DEFAULT_REFRESH_MARGIN)). `Duration::ZERO` waits
    /// until `exp` has passed. Applies to every clone, and to tokens cached already.
    pub fn with_refresh_margin(self, margin: Duration) -> Self {
        self.inner.lock().refresh_margin = margin;
        self
    }

    /// Whether a token is cached.
    pub fn is_signed_in(&self) -> bool {
        self.inner.lock().current.is_some()
    }

    /// Signs in now (again, if a token is cached). If a sign-in is in progress already,
    /// waits for that one and returns its outcome instead of starting another.
    pub async fn sign_in(&self) -> Result<()> {
        self.inner
            .obtain(|_| Need::SignIn { early: false })
            .await
            .map(|_| ())
    }

    fn authorization(token: &Token) -> Result<Authorization> {
        Ok(Authorization::new(
            AUTHORIZATION,
            secret_header("Bearer ", &token.secret)?,
            token.generation,
        ))
    }
}

impl Authenticator for JwtSession {
    /// The cached token; signs in first (or waits for the sign-in in progress) when there
    /// is none, or when it expires within the refresh margin. Fails with the sign-in's
    /// error, except when an early sign-in fails while the cached token has not expired
    /// yet: that token is returned and the failure is logged. Fails with `InvalidRequest`
    /// when the token cannot go in a header.
    fn authorize(&self) -> BoxFuture<'_, Result<Authorization>> {
        Box::pin(async move {
            let token = self.inner.obtain(|state| match &state.current {
                Some(token) if !token.is_due(state.clock.system_now(), state.refresh_margin) => {
                    Need::Ready(token.clone())
                }
                Some(_) => Need::SignIn { early: true },
                None => Need::SignIn { early: false },
            });
            let token = match token.await {
                Ok(token) => token,
                Err(error) => {
                    let state = self.inner.lock();
                    match &state.current {
                        // An early sign-in failed, but the token still works for now.
                        Some(token) if !token.has_expired(state.clock.system_now()) => {
                            tracing::warn!(error = %error, "could not renew the session token ahead of its expiry; using it meanwhile");
                            token.clone()
                        }
                        _ => return Err(error),
                    }
                }
            };
            Self::authorization(&token)
        })
    }

    /// Caches a token renewed in the configured response header, when the answer is to
    /// the cached token (`used` has its generation) and the token is new. Anything else
    /// (no header configured or sent, a value that is not text, an answer to an older
    /// token, nothing cached) is ignored.
    fn observe(&self, used: &Authorization, headers: &HeaderMap) {
        let Some(name) = &self.inner.renewed_in else {
            return;
        };
        let Some(value) = headers.get(name).and_then(|v| v.to_str().ok()) else {
            return;
        };
        let value = value.trim();
        let renewed = value.strip_prefix("Bearer ").unwrap_or(value).trim();
        if renewed.is_empty() {
            return;
        }
        let mut state = self.inner.lock();
        let (generation, same) = match &state.current {
            Some(current) => (current.generation, current.secret.expose_secret() == renewed),
            None => return,
        };
        if generation != used.generation() {
            tracing::debug!(
                used = used.generation(),
                current = generation,
                "ignoring a renewed token that answers an older one"
            );
            return;
        }
        // The same renewal seen twice bumps the generation once (a second bump would make
        // a 401 to it look renewed already).
        if !same {
            state.store(SecretString::from(renewed), false);
            tracing::debug!("vendor renewed the session token");
        }
    }

    /// Signs in again after the vendor refused `rejected`, unless the cached token is a
    /// newer one already; joins a sign-in in progress. Fails with the sign-in's error.
    fn reauthorize<'a>(&'a self, rejected: &'a Authorization) -> BoxFuture<'a, Result<bool>> {
        Box::pin(async move {
            self.inner
                .obtain(|state| match &state.current {
                    // Another request already replaced the rejected token: use the new one.
                    Some(token) if token.generation != rejected.generation() => Need::Ready(token.clone()),
                    _ => Need::SignIn { early: false },
                })
                .await
                .map(|_| true)
        })
    }
}

/// When a JWT's `exp` claim says it expires: the middle, base64url part of `token` read as
/// JSON, signature unchecked. `None` for anything else: not three parts, not base64url, not
/// JSON, no `exp`, or an `exp` that is not a positive number of seconds the clock can hold.
fn expiry(token: &str) -> Option<SystemTime> {
    let mut parts = token.split('.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let claims = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&claims).ok()?;
    let exp = claims.get("exp")?.as_f64()?;
    if !(exp.is_finite() && exp > 0.0) {
        return None;
    }
    UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(exp).ok()?)
}
