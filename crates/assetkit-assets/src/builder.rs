//! The one client builder of every vendor: the transport setters exist here once, and each
//! vendor adds only its credential and hosts (in its own `mod.rs`, on
//! `ClientBuilder<ItsConfig>`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use assetkit_auth::{Bearer, SecretString, TokenSupplier};
use assetkit_core::time::{Clock, RandomSource, Sleeper};
use assetkit_core::{Authenticator, Result, RetryBudget, RetryPolicy};

use crate::Settings;

/// What a vendor adds to [`ClientBuilder`]: its credential, its hosts, and how they become
/// a client. Implemented by each vendor's `...Config` type; not implementable outside
/// this crate.
pub trait VendorConfig: Default + fmt::Debug + sealed::Sealed {
    /// The client this configuration builds.
    type Client;

    /// Builds the client with the transport `settings` gathered by the builder.
    #[doc(hidden)]
    fn build_client(self, settings: Settings) -> Result<Self::Client>;
}

/// Vendors whose client takes one credential, attached to every request to the vendor's
/// origin: an API key, a bearer token, or any [`Authenticator`] (Roblox, Webflow).
pub trait SingleCredential: VendorConfig {
    /// Stores the credential.
    #[doc(hidden)]
    fn set_credential(&mut self, credential: Arc<dyn Authenticator>);
}

pub(crate) mod sealed {
    /// Keeps [`VendorConfig`](super::VendorConfig) to this crate's vendors.
    pub trait Sealed {}
}

/// Configures a vendor client: `RobloxClient::builder()`, `WebflowClient::builder()`, ...
///
/// The transport setters below are the same for every vendor; the credential and host
/// setters are the vendor's own (see `RobloxClientBuilder`, `WebflowClientBuilder`, ...,
/// which are this type for each vendor's configuration). Later calls win: a setter given
/// after [`settings`](Self::settings) overrides it, and `settings` given later overrides
/// what it sets, leaving the rest.
///
/// ```no_run
/// # fn run() -> assetkit::Result<()> {
/// use std::time::Duration;
/// use assetkit::roblox::RobloxClient;
/// use assetkit::RetryPolicy;
///
/// let client = RobloxClient::builder()
///     .api_key("my-open-cloud-key")                 // the vendor's own setter
///     .retry(RetryPolicy::default().with_max_attempts(5)) // transport setters, shared by all
///     .stall_timeout(Duration::from_secs(30))
///     .build()?;
/// # Ok(()) }
/// ```
#[must_use]
pub struct ClientBuilder<V> {
    pub(crate) vendor: V,
    pub(crate) settings: Settings,
}

impl<V: Default> Default for ClientBuilder<V> {
    fn default() -> Self {
        Self {
            vendor: V::default(),
            settings: Settings::default(),
        }
    }
}

impl<V: fmt::Debug> fmt::Debug for ClientBuilder<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("vendor", &self.vendor)
            .field("settings", &self.settings)
            .finish()
    }
}

impl<V: VendorConfig> ClientBuilder<V> {
    /// Allows plain `http://` to loopback hosts (local mocks, tests, proxies on this
    /// machine); https is required otherwise.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.settings = self.settings.allow_http(allow);
        self
    }

    /// Allows plain `http://` to any host: credentials and files then cross the network
    /// unencrypted. Only for a trusted network you control.
    pub fn danger_accept_plain_http(mut self, accept: bool) -> Self {
        self.settings = self.settings.danger_accept_plain_http(accept);
        self
    }

    /// Picks the TLS library: [`Tls::Auto`](assetkit_core::Tls::Auto) (the default) uses
    /// rustls when the `rustls` feature is on, else the platform's (`native-tls`). See
    /// [`assetkit_core::tls`] for the trust roots each reads.
    pub fn tls(mut self, tls: assetkit_core::Tls) -> Self {
        self.settings = self.settings.tls(tls);
        self
    }

    /// Trusts the certificate authorities in `pem` (one or more PEM certificates) beside
    /// the platform's roots: a corporate CA, a TLS-inspecting proxy's, a private
    /// gateway's. A PEM with no certificate is an `InvalidRequest` from `build()`.
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.settings = self.settings.add_root_certificate_pem(pem);
        self
    }

    /// Sets the retry policy (default: 3 attempts, full-jitter backoff from 1 s to 20 s).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.settings = self.settings.retry(policy);
        self
    }

    /// Sets the retry budget shared by the client's clones (default
    /// [`RetryBudget::standard`]).
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.settings = self.settings.retry_budget(budget);
        self
    }

    /// Paces requests to the vendor's rate limit (default on): each waits for room in its
    /// rate-limit window, learned from the vendor's answers, so a batch stays under the
    /// limit instead of bouncing off it. `pacing(false)` sends at once.
    pub fn pacing(mut self, on: bool) -> Self {
        self.settings = self.settings.pacing(on);
        self
    }

    /// Sets the connect timeout (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings = self.settings.connect_timeout(timeout);
        self
    }

    /// Sets how long a request may go without a byte moving (default 60 s).
    pub fn stall_timeout(mut self, timeout: Duration) -> Self {
        self.settings = self.settings.stall_timeout(timeout);
        self
    }

    /// Sets the longest wait from the end of a request to the end of its answer (default
    /// 120 s).
    pub fn response_timeout(mut self, timeout: Duration) -> Self {
        self.settings = self.settings.response_timeout(timeout);
        self
    }

    /// Sets a total timeout per request (default none, so a large upload on a slow link
    /// is never cut off while it moves).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings = self.settings.timeout(timeout);
        self
    }

    /// Sets the largest answer read into memory (default 32 MiB).
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.settings = self.settings.max_response_bytes(limit);
        self
    }

    /// Replaces the `User-Agent` (default `assetkit/<version>`).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.settings = self.settings.user_agent(agent);
        self
    }

    /// Uses one clock-and-sleeper for retries and polling (tests pass a `VirtualTime`, so
    /// nothing waits for real).
    pub fn time<C: Clock + Sleeper + Clone + 'static>(mut self, time: C) -> Self {
        self.settings = self.settings.time(time);
        self
    }

    /// Replaces the random source of jitter.
    pub fn random(mut self, random: Arc<dyn RandomSource>) -> Self {
        self.settings = self.settings.random(random);
        self
    }

    /// Applies `settings`: what it sets replaces what was set before; what it leaves
    /// unset stays.
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = self.settings.merge(settings);
        self
    }

    /// Builds the client. Fails with `InvalidRequest` when the vendor's credential or a
    /// required value is missing, or a base URL is not usable (not https, nor http to a
    /// loopback host after `allow_http(true)`; user info in it).
    pub fn build(self) -> Result<V::Client> {
        self.vendor.build_client(self.settings)
    }
}

impl<V: SingleCredential> ClientBuilder<V> {
    /// Authenticates with a fixed bearer token, sent as `Authorization: Bearer <token>`
    /// (an OAuth 2.0 access token, or an API token where the vendor issues them).
    pub fn bearer(self, token: impl Into<SecretString>) -> Self {
        self.credential(Bearer::new(token))
    }

    /// Authenticates with tokens asked of `supplier` before every attempt (OAuth 2.0 apps
    /// that refresh their tokens); after a 401 the supplier is asked once more.
    pub fn bearer_supplier(self, supplier: impl TokenSupplier + 'static) -> Self {
        self.credential(Bearer::supplier(supplier))
    }

    /// Authenticates with any credential.
    pub fn credential(mut self, credential: impl Authenticator + 'static) -> Self {
        self.vendor.set_credential(Arc::new(credential));
        self
    }
}
