//! Pacing: every request waits for room in the vendor's rate-limit window before it goes
//! out, so that a busy application stays under the limit instead of bouncing off it.
//!
//! A client keeps one window per [`RateBucket`] (its [`Profile`](crate::Profile) says which
//! bucket each endpoint counts against), shared by its clones. Each window learns from
//! every answer:
//!
//! - `X-RateLimit-Limit` gives the size of the window, `X-RateLimit-Remaining` what is left
//!   (less the requests still in flight, which the server may not have counted yet), and
//!   `X-RateLimit-Reset` when it ends;
//! - a 429's `Retry-After` (or reset) says when the window ends; where a vendor sends no
//!   reset (Webflow), the length of the window is learned from two such ends in a row;
//! - where nothing has been heard yet, the first request goes alone (its answer tells the
//!   rest how much room there is); where the server sends no header at all, the vendor's
//!   published budget ([`RateBucket::with_budget`]) stands in.
//!
//! When a window is spent and its end is unknown, one request goes out to learn it (at
//! most one 429 per window); the others wait for its answer. No wait is longer than the
//! retry policy's `max_retry_after`: past it, the request goes and the vendor's own 429
//! fails it fast.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use crate::ratelimit::RateLimit;
use crate::time::{Clock, Sleeper};

/// A published request budget: `requests` per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    requests: u64,
    window: Duration,
}

impl Budget {
    /// `requests` per `window`.
    pub const fn new(requests: u64, window: Duration) -> Self {
        Self { requests, window }
    }

    /// `requests` per minute.
    pub const fn per_minute(requests: u64) -> Self {
        Self::new(requests, Duration::from_secs(60))
    }

    /// Requests allowed per window.
    pub const fn requests(&self) -> u64 {
        self.requests
    }

    /// The length of the window.
    pub const fn window(&self) -> Duration {
        self.window
    }
}

/// The rate-limit window a request counts against: vendors limit some endpoints together
/// (all of Webflow's, per token) and some apart (Roblox's create/get/update at 120 a
/// minute, its operations at 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateBucket {
    name: &'static str,
    budget: Option<Budget>,
}

impl RateBucket {
    /// The bucket every endpoint of a vendor without separate limits shares.
    pub const SHARED: RateBucket = RateBucket::new("shared");

    /// A bucket called `name`, with no published budget.
    pub const fn new(name: &'static str) -> Self {
        Self { name, budget: None }
    }

    /// The vendor's published budget, used while the server has sent no rate-limit header.
    pub const fn with_budget(mut self, budget: Budget) -> Self {
        self.budget = Some(budget);
        self
    }

    /// The bucket's name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The published budget, if any.
    pub const fn budget(&self) -> Option<Budget> {
        self.budget
    }
}

/// The windows of one client and its clones.
#[derive(Debug, Default)]
pub(crate) struct Pacer {
    /// One window per bucket name. A vendor has a handful of buckets, so a list searched
    /// in order beats hashing the name on every request.
    windows: Mutex<Windows>,
    /// Woken on every answer, for requests waiting to learn about a window.
    answered: Notify,
    /// Requests that may be waiting on `answered`: while there are none, an answer wakes
    /// nobody and skips the `Notify`'s lock.
    waiting: AtomicUsize,
}

/// The windows by bucket name.
#[derive(Debug, Default)]
struct Windows(Vec<(&'static str, Window)>);

impl Windows {
    fn get_mut(&mut self, bucket: &str) -> Option<&mut Window> {
        self.0
            .iter_mut()
            .find(|(name, _)| *name == bucket)
            .map(|(_, window)| window)
    }

    fn get_or_insert(&mut self, bucket: RateBucket) -> &mut Window {
        let at = self
            .0
            .iter()
            .position(|(name, _)| *name == bucket.name)
            .unwrap_or_else(|| {
                self.0.push((bucket.name, Window::new(bucket.budget)));
                self.0.len() - 1
            });
        &mut self.0[at].1
    }
}

/// Counts a request among those waiting on `answered` while it lives.
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn new(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Self(count)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A request's place in a window: handed back with the answer, or dropped when the
/// exchange broke without one.
#[derive(Debug)]
pub(crate) struct Permit<'a> {
    pacer: &'a Pacer,
    bucket: &'static str,
    probe: bool,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.pacer
            .update(self.bucket, |window| window.release(self.probe));
    }
}

impl Permit<'_> {
    /// Feeds the window with an answer's status and rate-limit headers.
    /// `now` is read only when the answer says something that needs it.
    pub(crate) fn answered(self, status: u16, limit: &RateLimit, now: impl Fn() -> Instant) {
        // Released here rather than in `Drop`.
        let this = std::mem::ManuallyDrop::new(self);
        let probe = this.probe;
        this.pacer.update(this.bucket, |window| {
            window.release(probe);
            window.observe(status, limit, &now);
        });
    }
}

/// What a request may do now.
enum Admit {
    Go { probe: bool },
    Sleep(Duration),
    AwaitAnswer,
}

impl Pacer {
    /// A place in `bucket`'s window if there is room now: the common case, with no
    /// future to set up. `None` when the request has to wait ([`acquire`](Self::acquire)).
    pub(crate) fn try_acquire(
        &self,
        bucket: RateBucket,
        clock: &dyn Clock,
        max_wait: Duration,
    ) -> Option<Permit<'_>> {
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        let window = windows.get_or_insert(bucket);
        match window.admit(&|| clock.now(), max_wait) {
            Admit::Go { probe } => Some(Permit {
                pacer: self,
                bucket: bucket.name,
                probe,
            }),
            Admit::Sleep(_) | Admit::AwaitAnswer => None,
        }
    }

    /// Waits for room in `bucket`'s window. Never waits longer than `max_wait`, in one
    /// sleep or in all: past it the request goes (and the vendor's own 429 fails it fast).
    pub(crate) async fn acquire(
        &self,
        bucket: RateBucket,
        clock: &dyn Clock,
        sleeper: &dyn Sleeper,
        max_wait: Duration,
    ) -> Permit<'_> {
        let mut waited = Duration::ZERO;
        loop {
            // Counted, then created, before the state is read, so no answer between the
            // read and the wait is missed: an answer that changes the state after the
            // read sees the count (the lock orders the two) and wakes this `Notified`.
            let waiting = Waiting::new(&self.waiting);
            let answered = self.answered.notified();
            let admit = {
                let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
                let window = windows.get_or_insert(bucket);
                if waited >= max_wait {
                    // However the windows came and went, no request waits longer than
                    // the cap in all.
                    window.in_flight += 1;
                    Admit::Go { probe: false }
                } else {
                    window.admit(&|| clock.now(), max_wait)
                }
            };
            match admit {
                Admit::Go { probe } => {
                    return Permit {
                        pacer: self,
                        bucket: bucket.name,
                        probe,
                    };
                }
                Admit::Sleep(delay) => {
                    tracing::debug!(bucket = bucket.name, ?delay, "rate window spent; waiting");
                    waited = waited.saturating_add(delay);
                    sleeper.sleep(delay).await;
                }
                Admit::AwaitAnswer => {
                    answered.await;
                    drop(waiting);
                }
            }
        }
    }

    fn update(&self, bucket: &'static str, change: impl FnOnce(&mut Window)) {
        {
            let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(window) = windows.get_mut(bucket) {
                change(window);
            }
        }
        if self.waiting.load(Ordering::SeqCst) > 0 {
            self.answered.notify_waiters();
        }
    }
}

/// What is known of one rate-limit window.
#[derive(Debug)]
struct Window {
    budget: Option<Budget>,
    /// Requests per window (the header, else the budget).
    limit: Option<u64>,
    /// The window's length, learned or published.
    length: Option<Duration>,
    /// Requests left in this window; `None` when nothing limits them.
    remaining: Option<u64>,
    /// When this window ends, where known.
    reset_at: Option<Instant>,
    /// The end a previous 429 gave, to learn the length from the next one.
    last_end: Option<Instant>,
    /// Requests sent and not yet answered.
    in_flight: u64,
    /// One request is out to learn about the window.
    probing: bool,
    /// Some answer has been read.
    heard: bool,
}

impl Window {
    fn new(budget: Option<Budget>) -> Self {
        Self {
            budget,
            limit: None,
            length: None,
            remaining: None,
            reset_at: None,
            last_end: None,
            in_flight: 0,
            probing: false,
            heard: false,
        }
    }

    /// `now` is read only where the window has an end to compare it with: a window that
    /// has learned nothing costs no clock reading.
    fn admit(&mut self, now: &dyn Fn() -> Instant, max_wait: Duration) -> Admit {
        self.roll(now);
        let go = |window: &mut Self, probe: bool| {
            window.in_flight += 1;
            window.probing |= probe;
            Admit::Go { probe }
        };
        if !self.heard {
            // Nothing known yet: the first request goes alone and its answer tells.
            return if self.probing {
                Admit::AwaitAnswer
            } else {
                go(self, true)
            };
        }
        match self.remaining {
            None => go(self, false),
            Some(left) if left > 0 => {
                self.remaining = Some(left - 1);
                go(self, false)
            }
            Some(_) => match self.reset_at {
                // The answers still out say best how much is left and when it ends
                // (and a request in flight at the end of a window may count in the
                // next one): hear them before choosing how long to wait.
                Some(_) if self.in_flight > 0 => Admit::AwaitAnswer,
                Some(at) => {
                    let wait = at.saturating_duration_since(now());
                    if wait > max_wait {
                        // A window longer than the retry cap: not worth sitting through.
                        go(self, false)
                    } else {
                        Admit::Sleep(wait)
                    }
                }
                // Spent, and when it ends is unknown: one request finds out (the others
                // wait for an answer).
                None if self.probing || self.in_flight > 0 => Admit::AwaitAnswer,
                None => go(self, true),
            },
        }
    }

    /// Starts the next window once this one's end has passed.
    fn roll(&mut self, now: &dyn Fn() -> Instant) {
        let Some(at) = self.reset_at else {
            return;
        };
        let now = now();
        if now < at {
            return;
        }
        self.remaining = self.limit;
        if self.limit.is_none() {
            // A 429 from a server that never said its limit: after the wait, one request
            // goes first again rather than all of them at once.
            self.heard = false;
        }
        self.reset_at = self.length.filter(|l| !l.is_zero()).and_then(|length| {
            // The first window end after `now`, on the same grid.
            let behind = now.saturating_duration_since(at).as_nanos() / length.as_nanos();
            let steps = u32::try_from(behind + 1).ok()?;
            at.checked_add(length.checked_mul(steps)?)
        });
    }

    fn release(&mut self, probe: bool) {
        self.in_flight = self.in_flight.saturating_sub(1);
        if probe {
            self.probing = false;
        }
    }

    fn observe(&mut self, status: u16, limit: &RateLimit, now: &dyn Fn() -> Instant) {
        let first = !self.heard;
        self.heard = true;
        // A window of no request at all is no window: ignored.
        if let Some(size) = limit.limit.filter(|size| *size > 0) {
            self.limit = Some(size);
        }
        if status == 429 {
            let wait = limit
                .retry_after
                .or(limit.reset)
                .or(self.length)
                .unwrap_or(Duration::from_secs(1));
            if let Some(end) = now().checked_add(wait) {
                self.learn_length(end);
                self.reset_at = Some(end);
            }
            self.remaining = Some(0);
            return;
        }
        if let Some(reset) = limit.reset {
            self.reset_at = now().checked_add(reset);
        }
        if let Some(left) = limit.remaining {
            // The server counted what it had received; what is still in flight may not
            // be in its count yet.
            self.remaining = Some(left.saturating_sub(self.in_flight));
        } else if first && limit.limit.is_none() && limit.reset.is_none() {
            // A server that says nothing: the published budget, from this answer on.
            if let Some(budget) = self.budget {
                self.limit = Some(budget.requests);
                self.length = Some(budget.window);
                self.remaining = Some(budget.requests.saturating_sub(1 + self.in_flight));
                self.reset_at = now().checked_add(budget.window);
            }
        }
    }

    /// Two window ends in a row (from 429s) give the window's length, where no header
    /// says it. A gap of more than twice the known length is an idle spell, not a window.
    fn learn_length(&mut self, end: Instant) {
        if let Some(last) = self.last_end {
            let gap = end.saturating_duration_since(last);
            let plausible = self.length.is_none_or(|known| gap <= known.saturating_mul(2));
            if gap >= Duration::from_millis(500) && plausible {
                self.length = Some(gap);
            }
        }
        self.last_end = Some(end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(limit: Option<u64>, remaining: Option<u64>, reset: Option<u64>) -> RateLimit {
        RateLimit {
            limit,
            remaining,
            reset: reset.map(Duration::from_secs),
            ..RateLimit::default()
        }
    }

    fn go(window: &mut Window, now: Instant) -> bool {
        matches!(window.admit(&|| now, Duration::from_secs(600)), Admit::Go { .. })
    }

    #[test]
    fn the_first_request_goes_alone_and_its_answer_opens_the_window() {
        let now = Instant::now();
        let mut w = Window::new(None);
        assert!(go(&mut w, now));
        assert!(matches!(w.admit(&|| now, Duration::MAX), Admit::AwaitAnswer));
        w.release(true);
        w.observe(200, &headers(Some(3), Some(2), Some(10)), &|| now);
        assert!(go(&mut w, now));
        assert!(go(&mut w, now));
        assert!(
            matches!(w.admit(&|| now, Duration::MAX), Admit::AwaitAnswer),
            "spent: the answers still out are heard first"
        );
        for left in [1, 0] {
            w.release(false);
            w.observe(200, &headers(Some(3), Some(left), Some(10)), &|| now);
        }
        match w.admit(&|| now, Duration::from_secs(600)) {
            Admit::Sleep(wait) => assert_eq!(wait, Duration::from_secs(10)),
            _ => panic!("a spent window waits for its reset"),
        }
        assert!(go(&mut w, now + Duration::from_secs(10)), "the window rolled");
    }

    #[test]
    fn without_a_reset_header_a_429_says_when_the_window_ends_and_two_give_its_length() {
        let t0 = Instant::now();
        let mut w = Window::new(None);
        assert!(go(&mut w, t0));
        w.release(true);
        w.observe(200, &headers(Some(2), Some(1), None), &|| t0);
        assert!(go(&mut w, t0));
        w.release(false);
        w.observe(200, &headers(Some(2), Some(0), None), &|| t0);
        // Spent, end unknown: one probe.
        assert!(go(&mut w, t0));
        assert!(matches!(w.admit(&|| t0, Duration::MAX), Admit::AwaitAnswer));
        let mut r429 = headers(Some(2), Some(0), None);
        r429.retry_after = Some(Duration::from_secs(5));
        w.release(true);
        w.observe(429, &r429, &|| t0);
        let t1 = t0 + Duration::from_secs(5);
        assert!(go(&mut w, t1) && go(&mut w, t1));
        for left in [1, 0] {
            w.release(false);
            w.observe(200, &headers(Some(2), Some(left), None), &|| t1);
        }
        assert!(go(&mut w, t1), "a second probe, the length still unknown");
        w.release(true);
        w.observe(429, &r429, &|| t1);
        assert_eq!(w.length, Some(Duration::from_secs(5)));
        let t2 = t1 + Duration::from_secs(5);
        assert!(go(&mut w, t2) && go(&mut w, t2));
        for left in [1, 0] {
            w.release(false);
            w.observe(200, &headers(Some(2), Some(left), None), &|| t2);
        }
        match w.admit(&|| t2, Duration::from_secs(600)) {
            Admit::Sleep(wait) => assert_eq!(wait, Duration::from_secs(5), "no third 429"),
            _ => panic!("the learned length predicts the next end"),
        }
    }

    #[test]
    fn a_silent_server_gets_the_published_budget() {
        let now = Instant::now();
        let mut w = Window::new(Some(Budget::new(2, Duration::from_secs(60))));
        assert!(go(&mut w, now));
        w.release(true);
        w.observe(200, &RateLimit::default(), &|| now);
        assert!(go(&mut w, now));
        w.release(false);
        w.observe(200, &RateLimit::default(), &|| now);
        assert!(matches!(
            w.admit(&|| now, Duration::from_secs(600)),
            Admit::Sleep(_)
        ));
        let mut free = Window::new(None);
        assert!(go(&mut free, now));
        free.release(true);
        free.observe(200, &RateLimit::default(), &|| now);
        assert!((0..100).all(|_| go(&mut free, now)), "no budget, no limit");
    }

    #[test]
    fn in_flight_requests_count_against_what_the_server_says_is_left() {
        let now = Instant::now();
        let mut w = Window::new(None);
        assert!(go(&mut w, now));
        w.release(true);
        w.observe(200, &headers(Some(10), Some(9), Some(60)), &|| now);
        for _ in 0..5 {
            assert!(go(&mut w, now));
        }
        // One of the five answers: the server had seen only it.
        w.release(false);
        w.observe(200, &headers(Some(10), Some(8), Some(60)), &|| now);
        assert_eq!(w.remaining, Some(4));
    }

    #[tokio::test]
    async fn a_window_that_never_opens_holds_no_request_for_ever() {
        use crate::time::{Clock, VirtualTime};
        let time = VirtualTime::new();
        let pacer = Pacer::default();
        let bucket = RateBucket::new("b");
        let cap = Duration::from_secs(60);
        let permit = pacer.acquire(bucket, &time, &time, cap).await;
        // A hostile answer: a window of no request at all, ending now (it used to make
        // the window roll every 500 ms forever without ever opening).
        let mut hostile = headers(Some(0), Some(0), Some(0));
        hostile.retry_after = Some(Duration::ZERO);
        permit.answered(429, &hostile, || time.now());
        for _ in 0..3 {
            let started = time.elapsed();
            let permit = pacer.acquire(bucket, &time, &time, cap).await;
            assert!(time.elapsed().checked_sub(started).unwrap() <= cap + Duration::from_secs(1));
            permit.answered(429, &hostile, || time.now());
        }
    }

    #[test]
    fn a_wait_over_the_cap_is_not_sat_through() {
        let now = Instant::now();
        let mut w = Window::new(None);
        assert!(go(&mut w, now));
        w.release(true);
        w.observe(200, &headers(Some(1), Some(0), Some(u64::MAX / 4)), &|| now);
        assert!(matches!(
            w.admit(&|| now, Duration::from_secs(60)),
            Admit::Go { .. }
        ));
    }
}
