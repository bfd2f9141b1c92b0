use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use assetkit_core::header::{AUTHORIZATION, HeaderMap, HeaderName};
use assetkit_core::{Authenticator, Authorization, Result};
use futures::future::BoxFuture;
use secrecy::{ExposeSecret, SecretString};

use crate::secret_header;

/// The vendor's sign-in step: trades stored credentials for a JWT.
///
/// Implemented for any `Fn() -> impl Future<Output = Result<SecretString>>`.
pub trait SignIn: Send + Sync {
    /// Signs in and returns the token.
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

/// A JWT obtained by signing in, cached and shared by every request of a client.
///
/// - The first request signs in; concurrent requests wait for that one sign-in.
/// - A 401 signs in again once (unless another request already did) and the request is
///   sent again; a second 401 is the caller's `Unauthorized`.
/// - With [`renewed_in`](Self::renewed_in), a token the vendor sends back in a response
///   header (Unicat renews its JWT in `Authorization` on any answer) replaces the cached one.
///
/// The token goes out as `Authorization: Bearer <jwt>`.
#[derive(Clone)]
pub struct JwtSession {
    inner: Arc<Inner>,
}

struct Inner {
    sign_in: Box<dyn SignIn>,
    /// Serialises sign-ins so that many requests share one.
    gate: tokio::sync::Mutex<()>,
    current: Mutex<Option<Token>>,
    renewed_in: Option<HeaderName>,
}

#[derive(Clone)]
struct Token {
    secret: SecretString,
    generation: u64,
}

impl fmt::Debug for JwtSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtSession")
            .field("signed_in", &self.inner.token().is_some())
            .field("token", &"[REDACTED]")
            .field("renewed_in", &self.inner.renewed_in)
            .finish()
    }
}

impl Inner {
    fn token(&self) -> Option<Token> {
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn store(&self, secret: SecretString) -> Token {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        let generation = current.as_ref().map_or(1, |t| t.generation + 1);
        let token = Token { secret, generation };
        *current = Some(token.clone());
        token
    }

    /// Stores a token the vendor renewed, unless it is the cached one already. Checked and
    /// stored under one lock, so that two answers carrying the same renewal bump the
    /// generation once (a second bump would make a 401 to it look already renewed).
    fn store_renewed(&self, renewed: &str) -> bool {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if current
            .as_ref()
            .is_some_and(|t| t.secret.expose_secret() == renewed)
        {
            return false;
        }
        let generation = current.as_ref().map_or(1, |t| t.generation + 1);
        *current = Some(Token {
            secret: SecretString::from(renewed),
            generation,
        });
        true
    }

    async fn sign_in(&self) -> Result<Token> {
        tracing::debug!("signing in");
        let secret = self.sign_in.sign_in().await?;
        Ok(self.store(secret))
    }
}

impl JwtSession {
    /// A session that signs in with `sign_in` when it first needs a token.
    pub fn new(sign_in: impl SignIn + 'static) -> Self {
        Self::with(Box::new(sign_in), None)
    }

    /// A session whose vendor renews the token in the response header `header`.
    pub fn renewed_in(sign_in: impl SignIn + 'static, header: HeaderName) -> Self {
        Self::with(Box::new(sign_in), Some(header))
    }

    fn with(sign_in: Box<dyn SignIn>, renewed_in: Option<HeaderName>) -> Self {
        Self {
            inner: Arc::new(Inner {
                sign_in,
                gate: tokio::sync::Mutex::new(()),
                current: Mutex::new(None),
                renewed_in,
            }),
        }
    }

    /// A session renewed through the response `Authorization` header.
    pub fn renewed_in_authorization(sign_in: impl SignIn + 'static) -> Self {
        Self::renewed_in(sign_in, AUTHORIZATION)
    }

    /// Whether a token is cached.
    pub fn is_signed_in(&self) -> bool {
        self.inner.token().is_some()
    }

    /// Signs in now (again, if a token is cached).
    pub async fn sign_in(&self) -> Result<()> {
        let _gate = self.inner.gate.lock().await;
        self.inner.sign_in().await.map(|_| ())
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
    fn authorize(&self) -> BoxFuture<'_, Result<Authorization>> {
        Box::pin(async move {
            if let Some(token) = self.inner.token() {
                return Self::authorization(&token);
            }
            let _gate = self.inner.gate.lock().await;
            // Another request may have signed in while this one waited.
            let token = match self.inner.token() {
                Some(token) => token,
                None => self.inner.sign_in().await?,
            };
            Self::authorization(&token)
        })
    }

    fn observe(&self, _used: &Authorization, headers: &HeaderMap) {
        let Some(name) = &self.inner.renewed_in else {
            return;
        };
        let Some(value) = headers.get(name).and_then(|v| v.to_str().ok()) else {
            return;
        };
        let value = value.trim();
        let token = value.strip_prefix("Bearer ").unwrap_or(value).trim();
        if token.is_empty() {
            return;
        }
        if self.inner.store_renewed(token) {
            tracing::debug!("vendor renewed the session token");
        }
    }

    fn reauthorize<'a>(&'a self, rejected: &'a Authorization) -> BoxFuture<'a, Result<bool>> {
        Box::pin(async move {
            let _gate = self.inner.gate.lock().await;
            // If another request already replaced the rejected token, use the new one.
            let renewed = self
                .inner
                .token()
                .is_some_and(|t| t.generation != rejected.generation());
            if !renewed {
                self.inner.sign_in().await?;
            }
            Ok(true)
        })
    }
}
