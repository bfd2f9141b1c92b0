//! Transport settings shared by every vendor client builder, and the transport options
//! every builder holds.

use std::sync::Arc;
use std::time::Duration;

use assetkit_core::time::{Clock, RandomSource, Sleeper};
use assetkit_core::{Authenticator, Client, ClientBuilder, Result, RetryBudget, RetryPolicy, Vendor};

/// How a vendor client reaches its API: plain-http opt-in, retries, timeouts and the
/// injectable time used by retries and pollers.
///
/// Every vendor builder takes one through `.settings(...)`, and offers `allow_http` and
/// `retry` directly.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct Settings {
    allow_http: bool,
    danger_plain_http: bool,
    retry: Option<RetryPolicy>,
    retry_budget: Option<RetryBudget>,
    connect_timeout: Option<Duration>,
    stall_timeout: Option<Duration>,
    response_timeout: Option<Duration>,
    timeout: Option<Duration>,
    max_response_bytes: Option<u64>,
    user_agent: Option<String>,
    sleeper: Option<Arc<dyn Sleeper>>,
    clock: Option<Arc<dyn Clock>>,
    random: Option<Arc<dyn RandomSource>>,
}

impl Settings {
    /// Default settings: https only, the default retry policy, real time.
    pub fn new() -> Self {
        Self::default()
    }

    /// Allows plain `http://` to loopback hosts (local servers and mocks); see
    /// [`ClientBuilder::allow_http`].
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Allows plain `http://` to any host; see [`ClientBuilder::danger_accept_plain_http`].
    pub fn danger_accept_plain_http(mut self, accept: bool) -> Self {
        self.danger_plain_http = accept;
        self
    }

    /// Sets the retry budget; see [`ClientBuilder::retry_budget`].
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.retry_budget = Some(budget);
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sets the connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Sets the stall timeout (no byte moved for this long); see
    /// [`ClientBuilder::stall_timeout`].
    pub fn stall_timeout(mut self, timeout: Duration) -> Self {
        self.stall_timeout = Some(timeout);
        self
    }

    /// Sets the response timeout; see [`ClientBuilder::response_timeout`].
    pub fn response_timeout(mut self, timeout: Duration) -> Self {
        self.response_timeout = Some(timeout);
        self
    }

    /// Sets the largest answer read into memory; see [`ClientBuilder::max_response_bytes`].
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Sets a total timeout per request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Replaces the `User-Agent`.
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// Uses one clock-and-sleeper for retries and polling (tests pass a `VirtualTime`).
    pub fn time<C: Clock + Sleeper + Clone + 'static>(mut self, time: C) -> Self {
        self.clock = Some(Arc::new(time.clone()));
        self.sleeper = Some(Arc::new(time));
        self
    }

    /// Replaces the random source of jitter.
    pub fn random(mut self, random: Arc<dyn RandomSource>) -> Self {
        self.random = Some(random);
        self
    }

    /// Whether plain http is allowed.
    pub fn allows_http(&self) -> bool {
        self.allow_http
    }

    /// Builds a core client for `vendor` at `base_url` with these settings.
    pub fn client(
        &self,
        vendor: Vendor,
        base_url: &str,
        auth: Option<Arc<dyn Authenticator>>,
    ) -> Result<Client> {
        let mut builder: ClientBuilder = Client::builder(vendor, base_url)
            .allow_http(self.allow_http)
            .danger_accept_plain_http(self.danger_plain_http);
        if let Some(auth) = auth {
            builder = builder.auth(auth);
        }
        if let Some(retry) = &self.retry {
            builder = builder.retry(retry.clone());
        }
        if let Some(t) = self.connect_timeout {
            builder = builder.connect_timeout(t);
        }
        if let Some(budget) = self.retry_budget {
            builder = builder.retry_budget(budget);
        }
        if let Some(t) = self.stall_timeout {
            builder = builder.stall_timeout(t);
        }
        if let Some(t) = self.response_timeout {
            builder = builder.response_timeout(t);
        }
        if let Some(limit) = self.max_response_bytes {
            builder = builder.max_response_bytes(limit);
        }
        if let Some(t) = self.timeout {
            builder = builder.timeout(t);
        }
        if let Some(agent) = &self.user_agent {
            builder = builder.user_agent(agent.clone());
        }
        if let Some(sleeper) = &self.sleeper {
            builder = builder.sleeper(sleeper.clone());
        }
        if let Some(clock) = &self.clock {
            builder = builder.clock(clock.clone());
        }
        if let Some(random) = &self.random {
            builder = builder.random(random.clone());
        }
        builder.build()
    }
}

/// What every vendor builder holds for its transport.
// Each vendor feature uses a part of it; with all of them on, everything is used.
#[cfg_attr(
    not(all(
        feature = "enklu",
        feature = "mediapocket",
        feature = "roblox",
        feature = "unicat",
        feature = "webflow"
    )),
    allow(dead_code)
)]
pub(crate) mod transport {
    use std::sync::Arc;

    use assetkit_core::{Authenticator, Client, Result, RetryPolicy, Vendor};

    use super::Settings;

    /// The transport part of every vendor client builder: base URL, [`Settings`], and the
    /// `allow_http` and `retry` given directly to the builder.
    ///
    /// `allow_http` and `retry` given directly win over the same values inside the settings,
    /// whatever the order: the one rule of every vendor builder.
    #[derive(Debug, Default)]
    pub(crate) struct TransportOptions {
        base_url: Option<String>,
        settings: Settings,
        allow_http: Option<bool>,
        retry: Option<RetryPolicy>,
    }

    impl TransportOptions {
        /// Replaces the vendor's default base URL.
        pub(crate) fn base_url(&mut self, url: impl Into<String>) {
            self.base_url = Some(url.into());
        }

        /// Allows or refuses plain http, over what the settings say.
        pub(crate) fn allow_http(&mut self, allow: bool) {
            self.allow_http = Some(allow);
        }

        /// Sets the retry policy, over the one in the settings.
        pub(crate) fn retry(&mut self, policy: RetryPolicy) {
            self.retry = Some(policy);
        }

        /// Sets the settings; `allow_http` and `retry` given directly, before or after, still win.
        pub(crate) fn settings(&mut self, settings: Settings) {
            self.settings = settings;
        }

        /// The settings with `allow_http` and `retry` given directly applied over them, for
        /// a client at a URL of the vendor's own (a second host, a URL built from a tenant).
        pub(crate) fn resolved_settings(&self) -> Settings {
            let mut settings = self.settings.clone();
            if let Some(allow) = self.allow_http {
                settings = settings.allow_http(allow);
            }
            if let Some(retry) = &self.retry {
                settings = settings.retry(retry.clone());
            }
            settings
        }

        /// A core client for `vendor` at the base URL set, or `default_base_url`.
        pub(crate) fn client(
            &self,
            vendor: Vendor,
            default_base_url: &str,
            auth: Option<Arc<dyn Authenticator>>,
        ) -> Result<Client> {
            let base_url = self.base_url.as_deref().unwrap_or(default_base_url);
            self.resolved_settings().client(vendor, base_url, auth)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Settings;
    use super::transport::TransportOptions;

    #[test]
    fn allow_http_given_directly_wins_in_either_order() {
        let mut before = TransportOptions::default();
        before.allow_http(false);
        before.settings(Settings::new().allow_http(true));
        assert!(!before.resolved_settings().allows_http());

        let mut after = TransportOptions::default();
        after.settings(Settings::new().allow_http(false));
        after.allow_http(true);
        assert!(after.resolved_settings().allows_http());

        let mut only_settings = TransportOptions::default();
        only_settings.settings(Settings::new().allow_http(true));
        assert!(only_settings.resolved_settings().allows_http());
    }

    #[test]
    fn the_base_url_set_replaces_the_default() {
        let mut options = TransportOptions::default();
        options.allow_http(true);
        let default = options
            .client(assetkit_core::Vendor::Other, "http://127.0.0.1:1/a", None)
            .unwrap();
        assert_eq!(default.base_url().as_str(), "http://127.0.0.1:1/a");
        options.base_url("http://127.0.0.1:2/b");
        let set = options
            .client(assetkit_core::Vendor::Other, "http://127.0.0.1:1/a", None)
            .unwrap();
        assert_eq!(set.base_url().as_str(), "http://127.0.0.1:2/b");
    }
}
