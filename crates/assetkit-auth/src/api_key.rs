use std::fmt;

use assetkit_core::header::HeaderName;
use assetkit_core::{Authenticator, Authorization, Result};
use futures::future::BoxFuture;
use secrecy::SecretString;

use crate::secret_header;

/// An API key sent in a header of its own.
///
/// ```
/// use assetkit_auth::ApiKey;
/// let key = ApiKey::x_api_key("my-key");
/// assert!(!format!("{key:?}").contains("my-key"));
/// ```
#[derive(Clone)]
pub struct ApiKey {
    header: HeaderName,
    key: SecretString,
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("header", &self.header)
            .field("key", &"[REDACTED]")
            .finish()
    }
}

impl ApiKey {
    /// A key sent as `header: <key>`.
    pub fn new(header: HeaderName, key: impl Into<SecretString>) -> Self {
        Self {
            header,
            key: key.into(),
        }
    }

    /// A key sent as `x-api-key: <key>`, the most common header for API keys (header
    /// names are case-insensitive, so this is also `X-API-KEY`).
    pub fn x_api_key(key: impl Into<SecretString>) -> Self {
        Self::new(HeaderName::from_static("x-api-key"), key)
    }

    /// The header the key goes in.
    pub fn header(&self) -> &HeaderName {
        &self.header
    }
}

impl Authenticator for ApiKey {
    fn authorize(&self) -> BoxFuture<'_, Result<Authorization>> {
        let header = secret_header("", &self.key);
        Box::pin(async move { Ok(Authorization::new(self.header.clone(), header?, 0)) })
    }
}
