//! When to try a request again, and how long to wait first.

use std::time::Duration;

use crate::time::{RandomSource, unit_sample};

/// The retry policy of a client (or of one call).
///
/// [`standard`](Self::standard) (the default): 3 attempts in all; full-jitter exponential
/// backoff from 1 s, doubling, capped at 20 s; server hints (`Retry-After`, a spent
/// `X-RateLimit-Remaining` with its reset) honoured as a floor; a hint over 60 s fails at
/// once with `RateLimited` rather than blocking the caller. [`never`](Self::never) makes
/// one attempt. Values are set with `with_*` and read with getters; every value is kept in
/// range where it is set.
///
/// ```
/// use std::time::Duration;
/// use assetkit_core::RetryPolicy;
/// let policy = RetryPolicy::standard()
///     .with_max_attempts(5)
///     .with_backoff(Duration::from_millis(200), Duration::from_secs(5));
/// assert_eq!(policy.max_attempts(), 5);
/// assert_eq!(RetryPolicy::never().max_attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryPolicy {
    /// 3 attempts, full-jitter backoff from 1 s doubling to 20 s, hints up to 60 s.
    pub fn standard() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
        }
    }

    /// One attempt: never retries.
    pub fn never() -> Self {
        Self::standard().with_max_attempts(1)
    }

    /// Sets the number of attempts in all, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the first backoff ceiling and the largest one (at least the first).
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Sets the longest server hint worth waiting for; longer ones fail fast.
    pub fn with_max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// Turns full jitter on or off (off: every wait is its ceiling).
    pub fn with_jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// Attempts in all, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff ceiling before the first retry.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The largest backoff ceiling.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest server hint worth waiting for.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// Whether backoff is randomised between 0 and its ceiling.
    pub fn jitter(&self) -> bool {
        self.jitter
    }

    /// The wait before retry number `retry` (1 for the first retry).
    pub fn backoff_for(&self, retry: u32, random: &dyn RandomSource) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self.initial_backoff.saturating_mul(factor).min(self.max_backoff);
        if self.jitter {
            Duration::try_from_secs_f64(ceiling.as_secs_f64() * unit_sample(random)).unwrap_or(ceiling)
        } else {
            ceiling
        }
    }

    /// The wait before a retry the server gave a hint for: the hint plus a random part of
    /// up to `min(hint, 1 s)`, so that many clients told the same `Retry-After` do not all
    /// come back in the same millisecond; never less than the backoff.
    pub fn delay_with_hint(&self, retry: u32, hint: Option<Duration>, random: &dyn RandomSource) -> Duration {
        let backoff = self.backoff_for(retry, random);
        match hint {
            None => backoff,
            Some(hint) => {
                let spread = if self.jitter {
                    hint.min(Duration::from_secs(1)).mul_f64(unit_sample(random))
                } else {
                    Duration::ZERO
                };
                backoff.max(hint.saturating_add(spread))
            }
        }
    }

    /// Whether `status` is worth another attempt. Requests that are not idempotent (such
    /// as creating an asset) are retried on a status only when the server surely did not
    /// act on them: a 429. (The transport also retries them on a 503 that arrived before
    /// the server had taken the whole request body.)
    pub fn retries_status(status: u16, idempotent: bool) -> bool {
        if idempotent {
            matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
        } else {
            status == 429
        }
    }
}

/// A retry budget: a token bucket shared by a client and its clones, in the style of the
/// AWS SDKs' standard retry mode, so that a failing service is not hit by a retry storm.
///
/// Every retry takes tokens (a timeout more, since it held a connection for long); every
/// success puts a few back. Once the bucket is spent, failures are returned at once
/// instead of being retried, until successes refill it.
///
/// Defaults ([`standard`](Self::standard)): 500 tokens, 5 per retry, 10 per retry after a
/// timeout, 1 back per success and the retry's own cost back when a retried request
/// succeeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryBudget {
    capacity: u32,
    retry_cost: u32,
    timeout_cost: u32,
    success_refund: u32,
}

impl Default for RetryBudget {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryBudget {
    /// 500 tokens, 5 per retry, 10 per retry after a timeout, 1 back per success.
    pub fn standard() -> Self {
        Self {
            capacity: 500,
            retry_cost: 5,
            timeout_cost: 10,
            success_refund: 1,
        }
    }

    /// No limit: every retry the policy allows is made.
    pub fn unlimited() -> Self {
        Self {
            capacity: u32::MAX,
            retry_cost: 0,
            timeout_cost: 0,
            success_refund: 0,
        }
    }

    /// Sets the bucket's size (and starting fill).
    pub fn with_capacity(mut self, tokens: u32) -> Self {
        self.capacity = tokens;
        self
    }

    /// Sets the cost of a retry, and of a retry after a timeout.
    pub fn with_costs(mut self, retry: u32, timeout: u32) -> Self {
        self.retry_cost = retry;
        self.timeout_cost = timeout;
        self
    }

    /// Sets the tokens a success puts back.
    pub fn with_success_refund(mut self, tokens: u32) -> Self {
        self.success_refund = tokens;
        self
    }

    /// The bucket's size.
    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    /// The cost of a retry.
    pub fn retry_cost(&self) -> u32 {
        self.retry_cost
    }

    /// The cost of a retry after a timeout.
    pub fn timeout_cost(&self) -> u32 {
        self.timeout_cost
    }
}

/// The live bucket of a [`RetryBudget`].
#[derive(Debug)]
pub(crate) struct RetryTokens {
    budget: RetryBudget,
    tokens: std::sync::Mutex<u32>,
}

impl RetryTokens {
    pub(crate) fn new(budget: RetryBudget) -> Self {
        Self {
            budget,
            tokens: std::sync::Mutex::new(budget.capacity),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, u32> {
        self.tokens
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Takes the cost of one retry; `None` when the budget is spent.
    pub(crate) fn take(&self, after_timeout: bool) -> Option<u32> {
        let cost = if after_timeout {
            self.budget.timeout_cost
        } else {
            self.budget.retry_cost
        };
        let mut tokens = self.lock();
        let left = tokens.checked_sub(cost)?;
        *tokens = left;
        Some(cost)
    }

    /// A request succeeded; `retried` is the cost of its last retry, if it had one.
    pub(crate) fn succeeded(&self, retried: Option<u32>) {
        let mut tokens = self.lock();
        let back = retried.unwrap_or(0).saturating_add(self.budget.success_refund);
        *tokens = tokens.saturating_add(back).min(self.budget.capacity);
    }

    /// Tokens left.
    pub(crate) fn left(&self) -> u32 {
        *self.lock()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::FixedRandom;

    #[test]
    fn doubles_to_the_cap() {
        let policy = RetryPolicy::default().with_jitter(false);
        let delays: Vec<_> = (1..=7)
            .map(|n| policy.backoff_for(n, &FixedRandom(0.0)).as_secs())
            .collect();
        assert_eq!(delays, vec![1, 2, 4, 8, 16, 20, 20]);
    }

    #[test]
    fn full_jitter_scales_the_ceiling() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.backoff_for(3, &FixedRandom(0.5)), Duration::from_secs(2));
        assert_eq!(policy.backoff_for(1, &FixedRandom(0.0)), Duration::ZERO);
    }

    #[test]
    fn hostile_random_sources_cannot_panic() {
        let policy = RetryPolicy::default().with_backoff(Duration::MAX, Duration::MAX);
        for value in [f64::NAN, f64::INFINITY, -1.0, 7.0, f64::MIN_POSITIVE] {
            let _ = policy.backoff_for(u32::MAX, &FixedRandom(value));
            let _ = policy.delay_with_hint(u32::MAX, Some(Duration::MAX), &FixedRandom(value));
            let _ = crate::time::unit_sample(&Wild(value));
        }
        assert!(crate::time::unit_sample(&Wild(f64::NAN)).abs() < f64::EPSILON);
        assert!((crate::time::unit_sample(&Wild(5.0)) - 1.0).abs() < f64::EPSILON);
    }

    #[derive(Debug)]
    struct Wild(f64);
    impl crate::time::RandomSource for Wild {
        fn next_f64(&self) -> f64 {
            self.0
        }
    }

    #[test]
    fn hints_get_jitter_on_top() {
        let policy = RetryPolicy::default();
        let hint = Some(Duration::from_secs(5));
        assert_eq!(
            policy.delay_with_hint(1, hint, &FixedRandom(0.0)),
            Duration::from_secs(5)
        );
        assert_eq!(
            policy.delay_with_hint(1, hint, &FixedRandom(0.5)),
            Duration::from_millis(5500)
        );
        // A short hint is spread by at most itself.
        assert_eq!(
            policy.delay_with_hint(1, Some(Duration::from_millis(200)), &FixedRandom(0.0)),
            Duration::from_millis(200)
        );
        assert!(
            policy
                .with_jitter(false)
                .delay_with_hint(1, hint, &FixedRandom(0.9))
                == Duration::from_secs(5)
        );
    }

    #[test]
    fn budget_spends_and_refills() {
        let tokens = RetryTokens::new(RetryBudget::standard().with_capacity(12));
        assert_eq!(tokens.take(false), Some(5));
        assert_eq!(tokens.take(true), None, "7 left, a timeout costs 10");
        assert_eq!(tokens.take(false), Some(5));
        assert_eq!(tokens.take(false), None);
        tokens.succeeded(Some(5));
        assert_eq!(tokens.left(), 8);
        tokens.succeeded(None);
        tokens.succeeded(Some(5));
        assert_eq!(tokens.left(), 12, "never above capacity");
        let unlimited = RetryTokens::new(RetryBudget::unlimited());
        for _ in 0..1000 {
            assert_eq!(unlimited.take(true), Some(0));
        }
    }

    #[test]
    fn non_idempotent_retries_only_where_nothing_happened() {
        assert!(!RetryPolicy::retries_status(503, false));
        assert!(RetryPolicy::retries_status(429, false));
        assert!(!RetryPolicy::retries_status(500, false));
        assert!(RetryPolicy::retries_status(500, true));
        assert!(!RetryPolicy::retries_status(404, true));
    }
}
