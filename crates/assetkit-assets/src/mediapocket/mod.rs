//! Media Pocket, DAM API v2: assets in projects, their media, trash bin and restore.
//!
//! Every tenant has its own host, `https://<tenant>.mediapocket.fi/api/v2`; requests carry
//! the key in `X-API-KEY`. Errors come back as `{"error": "..."}`, and the message reaches
//! the caller in [`ApiError::message`](assetkit_core::ApiError::message).
//!
//! | endpoint | builder |
//! |---|---|
//! | POST /projects/{project_id}/assets | [`AssetsHandler::create`] |
//! | GET /assets/{id} | [`AssetsHandler::get`] (and [`AssetsHandler::wait_processed`]) |
//! | PUT /assets/{id} | [`AssetsHandler::update`] |
//! | POST /assets/{id}/trash_bin | [`AssetsHandler::trash`] |
//! | POST /assets/{id}/restore | [`AssetsHandler::restore`] |
//! | DELETE /assets/{id} | [`AssetsHandler::delete`] |
//! | POST /assets/{id}/media | [`MediaHandler::add_from_url`] |
//! | GET /assets/{id}/media | [`MediaHandler::list`] |
//!
//! ```no_run
//! use assetkit::mediapocket::{AssetMedia, MediaPocketClient};
//! # async fn run() -> assetkit::Result<()> {
//! let client = MediaPocketClient::builder().api_key("key").tenant("acme").build()?;
//! let asset = client
//!     .assets()
//!     .create("DtialUGXI36apS40-0cE", "Sample Asset")
//!     .media(AssetMedia::url("https://www.example.com/jpgfile.jpg", "jpgfile.jpg"))
//!     .send()
//!     .await?;
//! let processed = client.assets().wait_processed(&asset.id).send().await?;
//! println!("{} is now {}", processed.id, processed.media_type);
//! # Ok(()) }
//! ```

mod assets;
mod errors;
mod media;
mod models;

use std::sync::Arc;

use assetkit_auth::{ApiKey, ExposeSecret, SecretString};
use assetkit_core::{Authenticator, Client, Error, RateLimit, Result, Url, Vendor};
use assetkit_operations::PollPolicy;

use crate::builder::{ClientBuilder, VendorConfig, sealed};
use crate::settings::Settings;

/// Media Pocket, as named in errors and logs.
pub const VENDOR: Vendor = Vendor::new("mediapocket");

pub use errors::MediaPocketProfile;

pub use assets::{
    AssetsHandler, CreateAsset, DeleteAsset, GetAsset, GetFileMetadata, RestoreAsset, TrashAsset,
    UpdateAsset, WaitProcessed,
};
pub use media::{AddMediaFromUrl, DownloadMedia, GetDownloadUrl, ListMedia, MediaHandler, RemoveMedia};
pub use models::{Asset, AssetMedia, Media, MediaType};

/// A client for one Media Pocket tenant's API v2.
///
/// Cloning is cheap; clones share the connection pool and settings.
///
/// ```no_run
/// use assetkit::mediapocket::MediaPocketClient;
/// # fn run() -> assetkit::Result<()> {
/// let client = MediaPocketClient::builder()
///     .api_key(std::env::var("MEDIAPOCKET_API_KEY").unwrap_or_default())
///     .tenant("acme") // https://acme.mediapocket.fi/api/v2
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct MediaPocketClient {
    http: Client,
    poll_policy: PollPolicy,
}

impl MediaPocketClient {
    /// The domain under which every tenant has its host: `<tenant>.mediapocket.fi`.
    pub const DOMAIN: &str = "mediapocket.fi";

    /// Starts configuring a client: an API key and either a tenant or a base URL are needed.
    pub fn builder() -> MediaPocketClientBuilder {
        MediaPocketClientBuilder::default()
    }

    /// Assets: create, get, update, trash, restore, delete, wait for media processing.
    pub fn assets(&self) -> AssetsHandler {
        AssetsHandler::new(self.clone())
    }

    /// The media of an asset: add from a URL, list.
    pub fn media(&self) -> MediaHandler {
        MediaHandler::new(self.clone())
    }

    /// The rate-limit headers of the latest answer that carried any.
    pub fn rate_limit(&self) -> RateLimit {
        self.http.rate_limit()
    }

    /// The base URL paths are joined to (`https://<tenant>.mediapocket.fi/api/v2`).
    pub fn base_url(&self) -> &Url {
        self.http.base_url()
    }
}

/// Where the API is: a tenant name or a full base URL. The last one set wins.
#[derive(Debug, Clone)]
enum Location {
    Tenant(String),
    BaseUrl(String),
}

/// Configures a [`MediaPocketClient`]; from [`MediaPocketClient::builder`]: an API key and
/// a tenant (or a base URL), plus the transport setters every vendor shares (see
/// [`ClientBuilder`]).
///
/// ```no_run
/// use assetkit::mediapocket::MediaPocketClient;
/// # fn run() -> assetkit::Result<()> {
/// // A local mock or proxy: the path prefix is kept, plain http must be allowed.
/// let client = MediaPocketClient::builder()
///     .api_key("key")
///     .base_url("http://127.0.0.1:8080/proxy/mediapocket/api/v2")
///     .allow_http(true)
///     .build()?;
/// # Ok(()) }
/// ```
pub type MediaPocketClientBuilder = ClientBuilder<MediaPocketConfig>;

/// What a Media Pocket client needs beyond the transport: set through
/// [`MediaPocketClientBuilder`].
#[derive(Debug, Default)]
pub struct MediaPocketConfig {
    api_key: Option<SecretString>,
    credential: Option<Arc<dyn Authenticator>>,
    location: Option<Location>,
    poll_policy: Option<PollPolicy>,
}

impl sealed::Sealed for MediaPocketConfig {}

impl VendorConfig for MediaPocketConfig {
    type Client = MediaPocketClient;

    fn build_client(self, settings: Settings) -> Result<MediaPocketClient> {
        let auth: Arc<dyn Authenticator> = match (self.credential, self.api_key) {
            (Some(credential), _) => credential,
            (None, Some(key)) if key.expose_secret().trim().is_empty() => {
                return Err(Error::invalid("the Media Pocket API key is empty"));
            }
            (None, Some(key)) => Arc::new(ApiKey::x_api_key(key)),
            (None, None) => {
                return Err(Error::invalid(
                    "Media Pocket needs an API key: call .api_key(...)",
                ));
            }
        };
        let base_url = match self.location {
            Some(Location::Tenant(tenant)) => tenant_base_url(&tenant)?,
            Some(Location::BaseUrl(url)) => url,
            None => {
                return Err(Error::invalid(
                    "Media Pocket needs a tenant (.tenant(\"acme\")) or a base URL (.base_url(...))",
                ));
            }
        };
        let http = settings.client(MediaPocketProfile, &base_url, Some(auth))?;
        Ok(MediaPocketClient {
            http,
            poll_policy: self.poll_policy.unwrap_or_default(),
        })
    }
}

impl ClientBuilder<MediaPocketConfig> {
    /// The API key, sent as `X-API-KEY` to the tenant's host only.
    pub fn api_key(mut self, key: impl Into<SecretString>) -> Self {
        self.vendor.api_key = Some(key.into());
        self
    }

    /// Authenticates with any credential instead of an API key.
    pub fn credential(mut self, credential: impl Authenticator + 'static) -> Self {
        self.vendor.credential = Some(Arc::new(credential));
        self
    }

    /// The tenant: the API is at `https://<tenant>.mediapocket.fi/api/v2`. Replaces a
    /// base URL set before.
    pub fn tenant(mut self, tenant: impl Into<String>) -> Self {
        self.vendor.location = Some(Location::Tenant(tenant.into()));
        self
    }

    /// A full base URL instead of a tenant (a proxy, a mock server); a path prefix is kept,
    /// so it should end in `/api/v2` for the real service. Replaces a tenant set before.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.vendor.location = Some(Location::BaseUrl(url.into()));
        self
    }

    /// Sets how media processing is polled by
    /// [`WaitProcessed`](crate::mediapocket::WaitProcessed) (default:
    /// [`PollPolicy::default`]); one call can still set its own.
    pub fn poll_policy(mut self, policy: PollPolicy) -> Self {
        self.vendor.poll_policy = Some(policy);
        self
    }
}

/// `https://<tenant>.mediapocket.fi/api/v2`, for a tenant that is one DNS label.
fn tenant_base_url(tenant: &str) -> Result<String> {
    let label_ok = !tenant.is_empty()
        && tenant.len() <= 63
        && tenant.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !tenant.starts_with('-')
        && !tenant.ends_with('-');
    if !label_ok {
        return Err(Error::invalid(format!(
            "Media Pocket tenant {tenant:?} is not a host name label (letters, digits and '-'); \
             use .base_url(...) for other hosts"
        )));
    }
    Ok(format!("https://{tenant}.{}/api/v2", MediaPocketClient::DOMAIN))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_becomes_host() {
        assert_eq!(
            tenant_base_url("acme-2").unwrap(),
            "https://acme-2.mediapocket.fi/api/v2"
        );
        for bad in ["", "-a", "a-", "evil.com/x", "a b", "a.b"] {
            assert!(
                matches!(tenant_base_url(bad), Err(Error::InvalidRequest(_))),
                "{bad:?}"
            );
        }
    }
}
