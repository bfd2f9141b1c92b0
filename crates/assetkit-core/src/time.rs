//! Injectable time and randomness, so retry and polling delays are testable without waiting.

use std::fmt;
#[cfg(any(test, feature = "test-util"))]
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use futures::future::BoxFuture;

/// Something that waits. The default is [`TokioSleeper`]; tests use [`VirtualTime`].
pub trait Sleeper: Send + Sync + fmt::Debug {
    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// Something that tells the time: a monotonic instant and the wall clock (for HTTP dates).
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current monotonic instant.
    fn now(&self) -> Instant;
    /// The current wall-clock time.
    fn system_now(&self) -> SystemTime;
}

/// A source of uniform random numbers in `[0, 1)`, for jitter.
pub trait RandomSource: Send + Sync + fmt::Debug {
    /// A uniform sample in `[0, 1)`.
    fn next_f64(&self) -> f64;
}

/// A sample of `random` that is always in `[0, 1]`, whatever a user-supplied source returns
/// (NaN and out-of-range values would otherwise panic `Duration` arithmetic).
pub fn unit_sample(random: &dyn RandomSource) -> f64 {
    let value = random.next_f64();
    if value.is_finite() {
        value.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Sleeps on the tokio timer.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// The machine's clocks.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
    fn system_now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// Random numbers from `fastrand`'s thread-local generator.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThreadRandom;

impl RandomSource for ThreadRandom {
    fn next_f64(&self) -> f64 {
        fastrand::f64()
    }
}

/// Always the same number: makes jittered delays exact in tests (the `test-util`
/// feature).
#[cfg(any(test, feature = "test-util"))]
#[derive(Debug, Clone, Copy)]
pub struct FixedRandom(pub f64);

#[cfg(any(test, feature = "test-util"))]
impl RandomSource for FixedRandom {
    fn next_f64(&self) -> f64 {
        self.0.clamp(0.0, 1.0)
    }
}

/// A clock and sleeper in one, where sleeping returns at once and moves the clock forward
/// (the `test-util` feature).
///
/// Every sleep is recorded, so a test can assert the exact delays a retry loop or a poller
/// chose without waiting for them.
///
/// ```
/// use assetkit_core::time::{Clock, Sleeper, VirtualTime};
/// use std::time::Duration;
/// # futures::executor::block_on(async {
/// let time = VirtualTime::new();
/// let start = time.now();
/// time.sleep(Duration::from_secs(3)).await;
/// assert_eq!(time.now() - start, Duration::from_secs(3));
/// assert_eq!(time.sleeps(), vec![Duration::from_secs(3)]);
/// # });
/// ```
#[cfg(any(test, feature = "test-util"))]
#[derive(Debug, Clone)]
pub struct VirtualTime {
    base_instant: Instant,
    base_system: SystemTime,
    state: Arc<Mutex<VirtualState>>,
}

#[cfg(any(test, feature = "test-util"))]
#[derive(Debug, Default)]
struct VirtualState {
    elapsed: Duration,
    sleeps: Vec<Duration>,
}

#[cfg(any(test, feature = "test-util"))]
impl Default for VirtualTime {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(any(test, feature = "test-util"))]
impl VirtualTime {
    /// Starts virtual time at the machine's current time.
    pub fn new() -> Self {
        Self::starting_at(SystemTime::now())
    }

    /// Starts virtual time with the wall clock at `system`.
    pub fn starting_at(system: SystemTime) -> Self {
        Self {
            base_instant: Instant::now(),
            base_system: system,
            state: Arc::default(),
        }
    }

    /// Every sleep requested so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.lock().sleeps.clone()
    }

    /// How far virtual time has moved.
    pub fn elapsed(&self) -> Duration {
        self.lock().elapsed
    }

    /// Moves the clock forward without recording a sleep.
    pub fn advance(&self, by: Duration) {
        let mut state = self.lock();
        state.elapsed = state.elapsed.saturating_add(by);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VirtualState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(any(test, feature = "test-util"))]
impl Sleeper for VirtualTime {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        {
            let mut state = self.lock();
            state.elapsed = state.elapsed.saturating_add(duration);
            state.sleeps.push(duration);
        }
        // Yield once so that a sleeping task still lets others run, as a real sleep would.
        Box::pin(tokio::task::yield_now())
    }
}

#[cfg(any(test, feature = "test-util"))]
impl Clock for VirtualTime {
    fn now(&self) -> Instant {
        let elapsed = self.elapsed();
        self.base_instant
            .checked_add(elapsed)
            .unwrap_or(self.base_instant)
    }
    fn system_now(&self) -> SystemTime {
        let elapsed = self.elapsed();
        self.base_system.checked_add(elapsed).unwrap_or(self.base_system)
    }
}
