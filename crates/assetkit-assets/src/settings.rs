//! Transport settings shared by every vendor client builder, and the transport options
//! every builder holds.

use std::sync::Arc;
use std::time::Duration;

use assetkit_core::time::{Clock, RandomSource, Sleeper};
use assetkit_core::{Authenticator, Client, ClientBuilder, Profile, Result, RetryBudget, RetryPolicy, Tls};

/// How a vendor client reaches its API: plain-http opt-in, retries, timeouts and the
/// injectable time used by retries and pollers.
///
/// Every setting is optional; one not set keeps the transport's default. The one client
/// builder ([`ClientBuilder`](crate::ClientBuilder)) has a setter for each, and takes a
/// whole `Settings` through `.settings(...)`: what it sets replaces what was set before,
/// what it leaves unset stays as it was. Later calls win, whatever their form.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct Settings {
    allow_http: Option<bool>,
    danger_plain_http: Option<bool>,
    retry: Option<RetryPolicy>,
    retry_budget: Option<RetryBudget>,
    pacing: Option<bool>,
    connect_timeout: Option<Duration>,
    stall_timeout: Option<Duration>,
    response_timeout: Option<Duration>,
    timeout: Option<Duration>,
    max_response_bytes: Option<u64>,
    user_agent: Option<String>,
    sleeper: Option<Arc<dyn Sleeper>>,
    clock: Option<Arc<dyn Clock>>,
    random: Option<Arc<dyn RandomSource>>,
    tls: Option<Tls>,
    roots: Vec<Vec<u8>>,
}

impl Settings {
    /// Default settings: https only, the default retry policy, real time.
    pub fn new() -> Self {
        Self::default()
    }

    /// Allows plain `http://` to loopback hosts (local servers and mocks); see
    /// [`ClientBuilder::allow_http`].
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = Some(allow);
        self
    }

    /// Allows plain `http://` to any host; see [`ClientBuilder::danger_accept_plain_http`].
    pub fn danger_accept_plain_http(mut self, accept: bool) -> Self {
        self.danger_plain_http = Some(accept);
        self
    }

    /// Picks the TLS library; see [`ClientBuilder::tls`](crate::ClientBuilder::tls).
    pub fn tls(mut self, tls: Tls) -> Self {
        self.tls = Some(tls);
        self
    }

    /// Trusts the certificate authorities in `pem` beside the platform's; see
    /// [`ClientBuilder::add_root_certificate_pem`](crate::ClientBuilder::add_root_certificate_pem).
    /// Roots add up: merging settings keeps the roots of both.
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.roots.push(pem.into());
        self
    }

    /// Sets the retry budget; see [`ClientBuilder::retry_budget`].
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.retry_budget = Some(budget);
        self
    }

    /// Paces requests to the vendor's rate limit (default on); see
    /// [`ClientBuilder::pacing`].
    pub fn pacing(mut self, on: bool) -> Self {
        self.pacing = Some(on);
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

    /// Whether plain http (to loopback hosts) is allowed.
    pub fn allows_http(&self) -> bool {
        self.allow_http.unwrap_or(false)
    }

    /// `self` with every setting that `later` sets replaced by `later`'s.
    pub(crate) fn merge(self, later: Settings) -> Settings {
        Settings {
            allow_http: later.allow_http.or(self.allow_http),
            danger_plain_http: later.danger_plain_http.or(self.danger_plain_http),
            retry: later.retry.or(self.retry),
            retry_budget: later.retry_budget.or(self.retry_budget),
            pacing: later.pacing.or(self.pacing),
            connect_timeout: later.connect_timeout.or(self.connect_timeout),
            stall_timeout: later.stall_timeout.or(self.stall_timeout),
            response_timeout: later.response_timeout.or(self.response_timeout),
            timeout: later.timeout.or(self.timeout),
            max_response_bytes: later.max_response_bytes.or(self.max_response_bytes),
            user_agent: later.user_agent.or(self.user_agent),
            sleeper: later.sleeper.or(self.sleeper),
            clock: later.clock.or(self.clock),
            random: later.random.or(self.random),
            tls: later.tls.or(self.tls),
            roots: self.roots.into_iter().chain(later.roots).collect(),
        }
    }

    /// Builds a core client at `base_url`, its answers read by `profile`, with these
    /// settings.
    pub(crate) fn client(
        &self,
        profile: impl Profile + 'static,
        base_url: &str,
        auth: Option<Arc<dyn Authenticator>>,
    ) -> Result<Client> {
        let mut builder: ClientBuilder = Client::builder(profile, base_url)
            .allow_http(self.allows_http())
            .danger_accept_plain_http(self.danger_plain_http.unwrap_or(false));
        if let Some(auth) = auth {
            builder = builder.auth(auth);
        }
        if let Some(tls) = self.tls {
            builder = builder.tls(tls);
        }
        for pem in &self.roots {
            builder = builder.add_root_certificate_pem(pem.clone());
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
        if let Some(on) = self.pacing {
            builder = builder.pacing(on);
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::Settings;

    #[test]
    fn later_settings_replace_only_what_they_set() {
        let first = Settings::new()
            .allow_http(true)
            .stall_timeout(Duration::from_secs(5));
        let merged = first.merge(Settings::new().stall_timeout(Duration::from_secs(9)));
        assert!(merged.allows_http(), "left unset, kept");
        assert_eq!(merged.stall_timeout, Some(Duration::from_secs(9)));
        let turned_off = merged.merge(Settings::new().allow_http(false));
        assert!(!turned_off.allows_http(), "set later, wins");
    }
}
