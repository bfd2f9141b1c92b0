//! Rate-limit information read from every response.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, RETRY_AFTER};

/// The vendors' rate-limit headers, as header names made once (a lookup by `&str` parses
/// the name again on every answer).
const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

/// What a response said about the caller's rate limit.
///
/// Read from `Retry-After` (seconds or an HTTP date) and the vendors' `X-RateLimit-Limit`,
/// `X-RateLimit-Remaining` and `X-RateLimit-Reset` headers (header names are
/// case-insensitive, so Roblox's lowercase and Webflow's capitalised forms are the same).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed in the current window.
    pub limit: Option<u64>,
    /// Requests left in the current window.
    pub remaining: Option<u64>,
    /// Time until the window resets.
    pub reset: Option<Duration>,
    /// How long the server asked the caller to wait (`Retry-After`).
    pub retry_after: Option<Duration>,
}

/// `X-RateLimit-Reset` values from this up are read as a Unix timestamp in seconds rather
/// than a number of seconds to wait (2001-09-09 onwards)...
const EPOCH_THRESHOLD: u64 = 1_000_000_000;
/// ...and from this up as a Unix timestamp in milliseconds (2001-09-09 onwards, in ms).
const EPOCH_MS_THRESHOLD: u64 = 1_000_000_000_000;

impl RateLimit {
    /// Reads the rate-limit headers; `now` is the wall clock used for HTTP dates and
    /// timestamps.
    pub fn from_headers(headers: &HeaderMap, now: SystemTime) -> Self {
        Self::from_headers_at(headers, || now)
    }

    /// [`from_headers`](Self::from_headers), reading the wall clock only when a header
    /// needs it (an HTTP date, a timestamp): most answers carry neither.
    pub(crate) fn from_headers_at(headers: &HeaderMap, now: impl Fn() -> SystemTime) -> Self {
        let number = |name: &HeaderName| -> Option<u64> {
            let value = headers.get(name)?.to_str().ok()?.trim();
            // Some servers send fractional seconds; round up so we never wait too little.
            value.parse::<u64>().ok().or_else(|| {
                let seconds = value.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0)?;
                Some(Duration::try_from_secs_f64(seconds.ceil()).ok()?.as_secs())
            })
        };
        // Every server-given number goes through checked arithmetic: a reset at the end of
        // time must not overflow `SystemTime` (it is simply a very long wait, which the
        // retry cap then refuses to sit through).
        let reset = number(&RESET).map(|value| {
            let at = if value >= EPOCH_MS_THRESHOLD {
                SystemTime::UNIX_EPOCH.checked_add(Duration::from_millis(value))
            } else if value >= EPOCH_THRESHOLD {
                SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(value))
            } else {
                return Duration::from_secs(value);
            };
            match at {
                Some(at) => at.duration_since(now()).unwrap_or_default(),
                None => Duration::MAX,
            }
        });
        Self {
            limit: number(&LIMIT),
            remaining: number(&REMAINING),
            reset,
            retry_after: retry_after_at(headers, now),
        }
    }

    /// Whether any rate-limit header was present.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The wait the server asked for: `Retry-After`, or the window reset when no requests
    /// remain.
    pub fn wait_hint(&self) -> Option<Duration> {
        self.retry_after.or_else(|| {
            if self.remaining == Some(0) {
                self.reset
            } else {
                None
            }
        })
    }
}

/// Parses `Retry-After` as delta-seconds or as an HTTP date relative to `now`.
pub fn parse_retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    retry_after_at(headers, || now)
}

/// [`parse_retry_after`], reading the wall clock only for an HTTP date.
fn retry_after_at(headers: &HeaderMap, now: impl Fn() -> SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // Fractional seconds are not in the standard but are sent; round up.
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::try_from_secs_f64(seconds.ceil()).unwrap_or(Duration::MAX));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    #[test]
    fn reads_vendor_headers_in_any_case() {
        let now = SystemTime::now();
        let roblox = RateLimit::from_headers(
            &headers(&[
                ("x-ratelimit-limit", "120"),
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "17"),
            ]),
            now,
        );
        assert_eq!(roblox.limit, Some(120));
        assert_eq!(roblox.remaining, Some(0));
        assert_eq!(roblox.wait_hint(), Some(Duration::from_secs(17)));
        let webflow = RateLimit::from_headers(
            &headers(&[("X-RateLimit-Limit", "60"), ("X-RateLimit-Remaining", "59")]),
            now,
        );
        assert_eq!(
            (webflow.limit, webflow.remaining, webflow.wait_hint()),
            (Some(60), Some(59), None)
        );
    }

    #[test]
    fn retry_after_as_seconds_and_as_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let secs = parse_retry_after(&headers(&[("retry-after", "7")]), now);
        assert_eq!(secs, Some(Duration::from_secs(7)));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(42));
        assert_eq!(
            parse_retry_after(&headers(&[("retry-after", &date)]), now),
            Some(Duration::from_secs(42))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(42));
        assert_eq!(
            parse_retry_after(&headers(&[("retry-after", &past)]), now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after(&headers(&[("retry-after", "soon")]), now), None);
    }

    #[test]
    fn hostile_numbers_never_panic() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        for value in [
            "18446744073709551615",
            "99999999999999999999999",
            "1e19",
            "1e308",
            "-1",
            "NaN",
            "inf",
            "",
            "0x10",
        ] {
            let map = headers(&[
                ("x-ratelimit-reset", value),
                ("x-ratelimit-remaining", value),
                ("x-ratelimit-limit", value),
                ("retry-after", value),
            ]);
            let rl = RateLimit::from_headers(&map, now);
            let _ = rl.wait_hint();
            let _ = RateLimit::from_headers(&map, SystemTime::UNIX_EPOCH);
        }
        let far = RateLimit::from_headers(
            &headers(&[
                ("x-ratelimit-reset", "18446744073709551615"),
                ("x-ratelimit-remaining", "0"),
            ]),
            now,
        );
        assert!(far.wait_hint().unwrap() > Duration::from_secs(1_000_000_000));
        assert_eq!(
            parse_retry_after(&headers(&[("retry-after", "1.2")]), now),
            Some(Duration::from_secs(2))
        );
        assert_eq!(parse_retry_after(&headers(&[("retry-after", "-1")]), now), None);
    }

    #[test]
    fn reset_as_unix_timestamp_in_milliseconds() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let rl = RateLimit::from_headers(&headers(&[("x-ratelimit-reset", "1700000030000")]), now);
        assert_eq!(rl.reset, Some(Duration::from_secs(30)));
    }

    #[test]
    fn reset_as_unix_timestamp() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let rl = RateLimit::from_headers(
            &headers(&[
                ("x-ratelimit-reset", "1700000030"),
                ("x-ratelimit-remaining", "0"),
            ]),
            now,
        );
        assert_eq!(rl.reset, Some(Duration::from_secs(30)));
    }
}
