//! Transport settings shared by every vendor client builder.

use std::sync::Arc;
use std::time::Duration;

use assetkit_core::time::{Clock, RandomSource, Sleeper};
use assetkit_core::{Authenticator, Client, ClientBuilder, Result, RetryPolicy, Vendor};

/// How a vendor client reaches its API: plain-http opt-in, retries, timeouts and the
/// injectable time used by retries and pollers.
///
/// Every vendor builder takes one through `.settings(...)`, and offers `allow_http` and
/// `retry` directly.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct Settings {
    allow_http: bool,
    retry: Option<RetryPolicy>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    timeout: Option<Duration>,
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

    /// Allows plain `http://` base URLs (local servers and mocks).
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
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

    /// Sets the stall timeout (no byte moved for this long).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
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
        let mut builder: ClientBuilder = Client::builder(vendor, base_url).allow_http(self.allow_http);
        if let Some(auth) = auth {
            builder = builder.auth(auth);
        }
        if let Some(retry) = &self.retry {
            builder = builder.retry(retry.clone());
        }
        if let Some(t) = self.connect_timeout {
            builder = builder.connect_timeout(t);
        }
        if let Some(t) = self.read_timeout {
            builder = builder.read_timeout(t);
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
