//! Enklu Assets Web API: sign in with email and password, then upload new assets and new
//! versions of existing ones.
//!
//! Enklu answers on two hosts, both configurable (and both may carry a path prefix):
//!
//! | host | default | endpoints |
//! |---|---|---|
//! | auth | `https://cloud.enklu.com:10001` | `POST /v1/email/signin` |
//! | assets | `https://assets.enklu.com:9091` | `POST /v1/asset` |
//!
//! The client signs in on the first request and keeps the JWT in an
//! [`assetkit_auth::JwtSession`]: concurrent requests share one sign-in, and a 401 signs in
//! again once before the request is sent again. Every answer is wrapped in Enklu's
//! `{"success", "error", "body"}` envelope; `success: false` is an error carrying Enklu's
//! message whatever the HTTP status ([`Error::Rejected`] under a 2xx, the status's own
//! variant otherwise).
//!
//! ```no_run
//! # async fn demo() -> assetkit::Result<()> {
//! use assetkit::enklu::EnkluClient;
//! use assetkit::UploadSource;
//!
//! let client = EnkluClient::builder()
//!     .credentials("roland@druidia.com", "12345")
//!     .app_id("my-experience-id")
//!     .build()?;
//! let id = client.assets().upload(UploadSource::path("tree.fbx")).send().await?;
//! println!("uploaded as {id}");
//! # Ok(()) }
//! ```

mod asset;
mod email;
mod errors;
mod models;

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use assetkit_auth::{Bearer, JwtSession, SecretString};
use assetkit_core::header::HeaderValue;
use assetkit_core::{Authenticator, Client, Error, RateLimit, Result, Url, Vendor};

use crate::builder::{ClientBuilder, VendorConfig, sealed};
use crate::settings::Settings;

/// Enklu, as named in errors and logs.
pub const VENDOR: Vendor = Vendor::new("enklu");

pub use errors::EnkluProfile;

pub use asset::{AssetsHandler, UploadAsset};
pub use models::{AssetId, EnkluUser};

/// A client for Enklu's Assets Web API. Cloning is cheap; clones share the session.
///
/// Build one with [`EnkluClient::builder`].
#[derive(Clone)]
pub struct EnkluClient {
    http: Client,
    app: HeaderValue,
    session: Option<JwtSession>,
    user: Arc<Mutex<Option<EnkluUser>>>,
}

impl fmt::Debug for EnkluClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnkluClient")
            .field("http", &self.http)
            .field("app", &self.app)
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

impl EnkluClient {
    /// The default auth host (sign-in).
    pub const DEFAULT_AUTH_URL: &str = "https://cloud.enklu.com:10001";
    /// The default assets host (uploads).
    pub const DEFAULT_ASSETS_URL: &str = "https://assets.enklu.com:9091";

    /// Starts configuring a client.
    pub fn builder() -> EnkluClientBuilder {
        EnkluClientBuilder::default()
    }

    /// Asset uploads and updates (`POST /v1/asset`).
    pub fn assets(&self) -> AssetsHandler {
        AssetsHandler::new(self.clone())
    }

    /// Signs in now (`POST /v1/email/signin` on the auth host), replacing any cached token.
    ///
    /// Requests sign in by themselves when they need to; call this to check the
    /// credentials early, or to fill [`user`](Self::user). Fails with `InvalidRequest`
    /// for a client built with a fixed [`bearer`](EnkluClientBuilder::bearer) token.
    ///
    /// ```no_run
    /// # async fn demo(client: assetkit::enklu::EnkluClient) -> assetkit::Result<()> {
    /// client.sign_in().await?;
    /// println!("signed in as {:?}", client.user().and_then(|u| u.display_name));
    /// # Ok(()) }
    /// ```
    pub async fn sign_in(&self) -> Result<()> {
        match &self.session {
            Some(session) => session.sign_in().await,
            None => Err(Error::invalid(
                "this client was built with a fixed token; there are no credentials to sign in with",
            )),
        }
    }

    /// The account of the latest sign-in, once a request (or [`sign_in`](Self::sign_in))
    /// has signed in.
    pub fn user(&self) -> Option<EnkluUser> {
        self.user.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The experience (app) id sent in the `app` header of every upload.
    pub fn app_id(&self) -> &str {
        self.app.to_str().unwrap_or_default()
    }

    /// The rate-limit headers of the latest answer of the assets host that carried any.
    pub fn rate_limit(&self) -> RateLimit {
        self.http.rate_limit()
    }

    /// The base URL of the assets host, where uploads go.
    pub fn base_url(&self) -> &Url {
        self.http.base_url()
    }

    pub(crate) fn http(&self) -> &Client {
        &self.http
    }

    pub(crate) fn app_header(&self) -> &HeaderValue {
        &self.app
    }
}

/// Configures an [`EnkluClient`], plus the transport setters every vendor shares (see
/// [`ClientBuilder`]).
///
/// Required: [`credentials`](Self::credentials) (or a [`bearer`](Self::bearer) token) and
/// [`app_id`](Self::app_id).
///
/// ```no_run
/// # fn demo() -> assetkit::Result<()> {
/// use assetkit::enklu::EnkluClient;
/// use assetkit::RetryPolicy;
///
/// // Both hosts behind a local proxy, over plain http.
/// let client = EnkluClient::builder()
///     .credentials("roland@druidia.com", std::env::var("ENKLU_PASSWORD").unwrap_or_default())
///     .app_id("my-experience-id")
///     .auth_url("http://127.0.0.1:8080/enklu-auth")
///     .assets_url("http://127.0.0.1:8080/enklu-assets")
///     .allow_http(true)
///     .retry(RetryPolicy::default().with_max_attempts(5))
///     .build()?;
/// # Ok(()) }
/// ```
pub type EnkluClientBuilder = ClientBuilder<EnkluConfig>;

/// What an Enklu client needs beyond the transport: set through [`EnkluClientBuilder`].
#[derive(Debug, Default)]
pub struct EnkluConfig {
    email: Option<String>,
    password: Option<SecretString>,
    bearer: Option<SecretString>,
    app_id: Option<String>,
    auth_url: Option<String>,
    assets_url: Option<String>,
}

impl sealed::Sealed for EnkluConfig {}

impl VendorConfig for EnkluConfig {
    type Client = EnkluClient;

    fn build_client(self, settings: Settings) -> Result<EnkluClient> {
        let app_id = self
            .app_id
            .filter(|a| !a.trim().is_empty())
            .ok_or_else(|| Error::invalid("Enklu needs an app id (the experience id): call .app_id(..)"))?;
        let app = HeaderValue::from_str(app_id.trim())
            .map_err(|_| Error::invalid("the Enklu app id contains characters that cannot go in a header"))?;
        let assets_url = self
            .assets_url
            .as_deref()
            .unwrap_or(EnkluClient::DEFAULT_ASSETS_URL);
        // Both hosts: the same settings; each host's URL is judged on its own.
        let user = Arc::new(Mutex::new(None));
        let (auth, session): (Arc<dyn Authenticator>, Option<JwtSession>) =
            match (self.email, self.password, self.bearer) {
                (Some(email), Some(password), _) => {
                    if email.trim().is_empty() {
                        return Err(Error::invalid("the Enklu sign-in e-mail is empty"));
                    }
                    let auth_url = self.auth_url.as_deref().unwrap_or(EnkluClient::DEFAULT_AUTH_URL);
                    // The sign-in host gets its own client, which carries no credential.
                    let sign_in_http = settings.client(EnkluProfile, auth_url, None)?;
                    let session =
                        JwtSession::new(email::sign_in_step(sign_in_http, email, password, user.clone()));
                    (Arc::new(session.clone()), Some(session))
                }
                (_, _, Some(jwt)) => (Arc::new(Bearer::new(jwt)), None),
                _ => {
                    return Err(Error::invalid(
                        "Enklu needs credentials: call .credentials(email, password) or .bearer(jwt)",
                    ));
                }
            };
        let http = settings.client(EnkluProfile, assets_url, Some(auth))?;
        Ok(EnkluClient {
            http,
            app,
            session,
            user,
        })
    }
}

impl ClientBuilder<EnkluConfig> {
    /// Signs in with this e-mail and password (`POST /v1/email/signin`). The password is
    /// held as a secret: it never shows in `Debug` output, logs or errors.
    pub fn credentials(mut self, email: impl Into<String>, password: impl Into<SecretString>) -> Self {
        self.vendor.email = Some(email.into());
        self.vendor.password = Some(password.into());
        self
    }

    /// Uses a JWT obtained elsewhere instead of signing in. A fixed token cannot be renewed:
    /// once it expires, requests fail with `Unauthorized`.
    pub fn bearer(mut self, jwt: impl Into<SecretString>) -> Self {
        self.vendor.bearer = Some(jwt.into());
        self
    }

    /// The experience id every upload belongs to (the `app` header), as shown on the
    /// "My Experiences" screen of Enklu's web editor.
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.vendor.app_id = Some(app_id.into());
        self
    }

    /// Replaces the auth host (default [`EnkluClient::DEFAULT_AUTH_URL`]); a path prefix
    /// is kept.
    pub fn auth_url(mut self, url: impl Into<String>) -> Self {
        self.vendor.auth_url = Some(url.into());
        self
    }

    /// Replaces the assets host (default [`EnkluClient::DEFAULT_ASSETS_URL`]); a path
    /// prefix is kept.
    pub fn assets_url(mut self, url: impl Into<String>) -> Self {
        self.vendor.assets_url = Some(url.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_requires_credentials_and_app() {
        let err = EnkluClient::builder().app_id("app").build().unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(m) if m.contains("credentials")));
        let err = EnkluClient::builder()
            .credentials("a@b.c", "pw")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(m) if m.contains("app id")));
        let err = EnkluClient::builder()
            .credentials(" ", "pw")
            .app_id("app")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(m) if m.contains("e-mail")));
    }

    #[test]
    fn https_is_required_unless_allowed() {
        let err = EnkluClient::builder()
            .credentials("a@b.c", "pw")
            .app_id("app")
            .assets_url("http://127.0.0.1:1")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(m) if m.contains("plain http")));
    }

    #[test]
    fn debug_never_shows_the_password() {
        let builder = EnkluClient::builder()
            .credentials("a@b.c", "hunter2-secret")
            .app_id("app");
        assert!(!format!("{builder:?}").contains("hunter2-secret"));
        let client = builder.build().unwrap();
        assert!(!format!("{client:?}").contains("hunter2-secret"));
        assert_eq!(client.app_id(), "app");
    }
}
