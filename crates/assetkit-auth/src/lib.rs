//! Credentials for assetkit clients: API keys, bearer tokens (fixed or supplied by an
//! OAuth2 app), and JWT sessions that sign in, share one sign-in among concurrent
//! requests, sign in again once on a 401 and pick up tokens the vendor renews.
//!
//! Secrets are held in [`secrecy`] types: `Debug` shows `[REDACTED]`, and the header values
//! built from them are marked sensitive. The transport attaches a credential only to
//! requests for the client's own origin.

// Library code never unwraps what the network or the user hands it; tests may.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod api_key;
mod bearer;
mod session;

pub use api_key::ApiKey;
pub use bearer::{Bearer, TokenSupplier};
pub use secrecy::{ExposeSecret, SecretString};
pub use session::{JwtSession, SignIn};

use assetkit_core::Error;
use assetkit_core::header::HeaderValue;

/// Builds a header value from a secret, refusing characters a header cannot carry (without
/// repeating the secret in the error).
fn secret_header(prefix: &str, secret: &SecretString) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(&format!("{prefix}{}", secret.expose_secret()))
        .map_err(|_| Error::invalid("the credential contains characters that cannot go in an HTTP header"))?;
    value.set_sensitive(true);
    Ok(value)
}
