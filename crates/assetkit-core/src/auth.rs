//! The hook through which credentials reach requests. The credentials themselves live in
//! `assetkit-auth`.

use std::fmt;

use futures::future::BoxFuture;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::Result;

/// One header to put on a request, with a marker saying which credential produced it.
#[derive(Clone)]
pub struct Authorization {
    name: HeaderName,
    value: HeaderValue,
    generation: u64,
}

impl fmt::Debug for Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authorization")
            .field("name", &self.name)
            .field("value", &"[REDACTED]")
            .field("generation", &self.generation)
            .finish()
    }
}

impl Authorization {
    /// A header `name: value`; the value is marked sensitive so HTTP layers never log it.
    /// `generation` tells apart successive tokens of a refreshing credential.
    pub fn new(name: HeaderName, mut value: HeaderValue, generation: u64) -> Self {
        value.set_sensitive(true);
        Self {
            name,
            value,
            generation,
        }
    }

    /// The header's name.
    pub fn name(&self) -> &HeaderName {
        &self.name
    }

    /// The header's value (sensitive).
    pub fn value(&self) -> &HeaderValue {
        &self.value
    }

    /// Which token this is, for credentials that renew.
    pub fn generation(&self) -> u64 {
        self.generation
    }
}

/// A credential that can authorize requests.
///
/// The client calls [`authorize`](Authenticator::authorize) before every attempt of a
/// request to its own origin (never for other hosts), shows it every response through
/// [`observe`](Authenticator::observe) (to pick up renewed tokens), and on a 401 asks
/// [`reauthorize`](Authenticator::reauthorize) whether one more attempt with a fresh
/// credential is worth it.
pub trait Authenticator: Send + Sync + fmt::Debug {
    /// The header to attach to the next attempt.
    fn authorize(&self) -> BoxFuture<'_, Result<Authorization>>;

    /// Sees the headers of every response from the vendor's origin; `used` is the
    /// credential the request carried, so a renewal that answers an old token can be told
    /// from one that answers the newest.
    fn observe(&self, used: &Authorization, headers: &HeaderMap) {
        let _ = (used, headers);
    }

    /// Called once after a 401 to the credential `rejected`. Returns `true` when a fresh
    /// credential is ready and the request should be sent again.
    fn reauthorize<'a>(&'a self, rejected: &'a Authorization) -> BoxFuture<'a, Result<bool>> {
        let _ = rejected;
        Box::pin(async { Ok(false) })
    }
}
