use std::fmt;
use std::future::Future;
use std::sync::Arc;

use assetkit_core::header::AUTHORIZATION;
use assetkit_core::{Authenticator, Authorization, Result};
use futures::future::BoxFuture;
use secrecy::SecretString;

use crate::secret_header;

/// Supplies access tokens, for OAuth2 apps whose tokens expire and are refreshed.
///
/// Implemented for any `Fn() -> impl Future<Output = Result<SecretString>>`.
pub trait TokenSupplier: Send + Sync {
    /// The token to use now.
    fn token(&self) -> BoxFuture<'_, Result<SecretString>>;

    /// Called after the vendor refused the last token (401): the next `token()` should
    /// refresh rather than return it again.
    fn invalidate(&self) {}
}

impl<F, Fut> TokenSupplier for F
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<SecretString>> + Send + 'static,
{
    fn token(&self) -> BoxFuture<'_, Result<SecretString>> {
        Box::pin(self())
    }
}

/// `Authorization: Bearer <token>`, from a fixed token or a [`TokenSupplier`].
///
/// ```
/// use assetkit_auth::{Bearer, SecretString};
/// let fixed = Bearer::new("s3cr3t-access-token");
/// let supplied = Bearer::supplier(|| async { Ok(SecretString::from("fresh")) });
/// assert!(!format!("{fixed:?}{supplied:?}").contains("s3cr3t"));
/// ```
#[derive(Clone)]
pub struct Bearer {
    source: Source,
}

#[derive(Clone)]
enum Source {
    Fixed(SecretString),
    Supplier(Arc<dyn TokenSupplier>),
}

impl fmt::Debug for Bearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.source {
            Source::Fixed(_) => "fixed",
            Source::Supplier(_) => "supplier",
        };
        f.debug_struct("Bearer")
            .field("source", &kind)
            .field("token", &"[REDACTED]")
            .finish()
    }
}

impl Bearer {
    /// A fixed token.
    pub fn new(token: impl Into<SecretString>) -> Self {
        Self {
            source: Source::Fixed(token.into()),
        }
    }

    /// Tokens asked of `supplier` before every attempt.
    pub fn supplier(supplier: impl TokenSupplier + 'static) -> Self {
        Self {
            source: Source::Supplier(Arc::new(supplier)),
        }
    }
}

impl Authenticator for Bearer {
    fn authorize(&self) -> BoxFuture<'_, Result<Authorization>> {
        Box::pin(async move {
            let value = match &self.source {
                Source::Fixed(token) => secret_header("Bearer ", token)?,
                Source::Supplier(supplier) => secret_header("Bearer ", &supplier.token().await?)?,
            };
            Ok(Authorization::new(AUTHORIZATION, value, 0))
        })
    }

    fn reauthorize<'a>(&'a self, _rejected: &'a Authorization) -> BoxFuture<'a, Result<bool>> {
        Box::pin(async move {
            Ok(match &self.source {
                Source::Fixed(_) => false,
                Source::Supplier(supplier) => {
                    supplier.invalidate();
                    true
                }
            })
        })
    }
}
