//! When to try a request again, and how long to wait first.

use std::time::Duration;

use crate::time::RandomSource;

/// The retry policy of a client.
///
/// Defaults: 3 attempts in all; full-jitter exponential backoff from 1 s, doubling, capped
/// at 20 s; server hints (`Retry-After`, a spent `X-RateLimit-Remaining` with its reset)
/// honoured as a floor; a hint over 60 s fails at once with `RateLimited` rather than
/// blocking the caller.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included. 1 disables retries.
    pub max_attempts: u32,
    /// The backoff ceiling before the first retry.
    pub initial_backoff: Duration,
    /// The largest backoff ceiling.
    pub max_backoff: Duration,
    /// The longest server hint worth waiting for; longer ones fail fast.
    pub max_retry_after: Duration,
    /// Whether backoff is randomised between 0 and its ceiling ("full jitter").
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the number of attempts in all.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the first backoff and the cap.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Sets the longest server hint worth waiting for.
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// Turns jitter on or off.
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// The wait before retry number `retry` (1 for the first retry).
    pub fn backoff_for(&self, retry: u32, random: &dyn RandomSource) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self.initial_backoff.saturating_mul(factor).min(self.max_backoff);
        if self.jitter {
            ceiling.mul_f64(random.next_f64())
        } else {
            ceiling
        }
    }

    /// Whether `status` is worth another attempt. Requests that are not idempotent (such
    /// as creating an asset) are retried only when the server surely did not act on them:
    /// 429 and 503.
    pub fn retries_status(status: u16, idempotent: bool) -> bool {
        if idempotent {
            matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
        } else {
            matches!(status, 429 | 503)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::FixedRandom;

    #[test]
    fn doubles_to_the_cap() {
        let policy = RetryPolicy::default().jitter(false);
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
    fn non_idempotent_retries_only_where_nothing_happened() {
        assert!(RetryPolicy::retries_status(503, false));
        assert!(RetryPolicy::retries_status(429, false));
        assert!(!RetryPolicy::retries_status(500, false));
        assert!(RetryPolicy::retries_status(500, true));
        assert!(!RetryPolicy::retries_status(404, true));
    }
}
