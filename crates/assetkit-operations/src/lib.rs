//! Long-running work: a [`Poller`] that asks "done yet?" on a schedule until the answer is
//! yes, the work failed, or a deadline passed.
//!
//! Roblox's asset operations and Media Pocket's media processing both run on it.

// Library code never unwraps what the network or the user hands it; tests may.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use assetkit_core::time::{
    Clock, RandomSource, Sleeper, SystemClock, ThreadRandom, TokioSleeper, unit_sample,
};
use assetkit_core::{Client, Error, Result};
use futures::future::BoxFuture;
use futures::stream::{self, Stream};

/// What one poll found.
#[derive(Debug, Clone, PartialEq)]
pub enum PollState<T> {
    /// Not done yet.
    Pending(Pending),
    /// Done, with the result.
    Done(T),
}

impl<T> PollState<T> {
    /// Not done, with no hint.
    pub fn pending() -> Self {
        PollState::Pending(Pending::default())
    }

    /// Whether the work is done.
    pub fn is_done(&self) -> bool {
        matches!(self, PollState::Done(_))
    }
}

/// What a not-done answer said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Pending {
    /// How long the vendor asked to wait before polling again.
    pub retry_after: Option<Duration>,
    /// The vendor's own word on the state ("processing", ...), for display.
    pub status: Option<String>,
}

impl Pending {
    /// A pending state with a status word.
    pub fn with_status(status: impl Into<String>) -> Self {
        Self {
            retry_after: None,
            status: Some(status.into()),
        }
    }

    /// Sets the server's wait hint.
    pub fn retry_after(mut self, wait: Option<Duration>) -> Self {
        self.retry_after = wait;
        self
    }
}

/// When to poll, and for how long.
///
/// [`standard`](Self::standard) (the default): first poll after 1 s, then doubling, capped
/// at 30 s, each wait varied by ±20 %; a server's `Retry-After` is a floor; give up after
/// 10 minutes with [`Error::PollTimeout`]. Values are set with `with_*` (each kept in range
/// there) and read with getters.
///
/// ```
/// use std::time::Duration;
/// use assetkit_operations::PollPolicy;
/// let policy = PollPolicy::standard()
///     .with_initial_delay(Duration::from_millis(500))
///     .with_jitter(0.0)
///     .with_deadline(Some(Duration::from_secs(120)));
/// assert_eq!(policy.delay_for(3), Duration::from_secs(2));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PollPolicy {
    initial_delay: Duration,
    multiplier: f64,
    max_delay: Duration,
    jitter: f64,
    deadline: Option<Duration>,
}

impl Default for PollPolicy {
    fn default() -> Self {
        Self::standard()
    }
}

impl PollPolicy {
    /// 1 s, doubling, capped at 30 s, ±20 %, for at most 10 minutes.
    pub fn standard() -> Self {
        Self {
            initial_delay: Duration::from_secs(1),
            multiplier: 2.0,
            max_delay: Duration::from_secs(30),
            jitter: 0.2,
            deadline: Some(Duration::from_secs(600)),
        }
    }

    /// Sets the first wait.
    pub fn with_initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// Sets the factor between waits (at least 1; not a number counts as 1).
    pub fn with_multiplier(mut self, factor: f64) -> Self {
        self.multiplier = if factor.is_finite() { factor.max(1.0) } else { 1.0 };
        self
    }

    /// Sets the longest wait.
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets the relative spread of each wait, between 0 and 1 (0.2 = ±20 %; 0 for exact
    /// waits; not a number counts as 0).
    pub fn with_jitter(mut self, spread: f64) -> Self {
        self.jitter = if spread.is_finite() {
            spread.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self
    }

    /// Sets how long to keep polling (`None`: until done).
    pub fn with_deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// The wait before the first poll.
    pub fn initial_delay(&self) -> Duration {
        self.initial_delay
    }

    /// The factor between waits.
    pub fn multiplier(&self) -> f64 {
        self.multiplier
    }

    /// The longest wait.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The relative spread of each wait.
    pub fn jitter(&self) -> f64 {
        self.jitter
    }

    /// How long to keep polling; `None` polls until done.
    pub fn deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// The wait before poll number `poll` (1 for the first), before jitter.
    pub fn delay_for(&self, poll: u32) -> Duration {
        let exponent = i32::try_from(poll.saturating_sub(1)).unwrap_or(i32::MAX);
        let factor = self.multiplier.powi(exponent);
        let capped = self.initial_delay.as_secs_f64() * factor;
        Duration::try_from_secs_f64(capped)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }
}

/// The longest server hint a poller waits for unless told otherwise (the transport's
/// default `max_retry_after`).
const DEFAULT_MAX_HINT: Duration = Duration::from_secs(60);

type PollFn<T> = Box<dyn FnMut() -> BoxFuture<'static, Result<PollState<T>>> + Send>;

/// Polls one long-running piece of work.
///
/// `poll()` asks once (and, once the work is done, answers the result without asking
/// again); `until_done()` waits and asks until the work is done; `into_stream()` yields
/// every state seen and every transient failure. Transient failures of a poll (429, 5xx
/// worth retrying, a broken connection, a timeout) do not stop it; any other error does.
/// Dropping the future or the stream stops polling.
pub struct Poller<T> {
    operation: String,
    poll_fn: PollFn<T>,
    policy: PollPolicy,
    sleeper: Arc<dyn Sleeper>,
    clock: Arc<dyn Clock>,
    random: Arc<dyn RandomSource>,
    started: Option<Instant>,
    polls: u32,
    /// Polling ended with an error: nothing more to ask.
    finished: bool,
    /// The result, once the work is done: later polls answer it without asking the vendor.
    done: Option<T>,
    /// The longest server hint worth waiting for (the client's `max_retry_after`).
    max_hint: Duration,
    /// The wait the last answer asked for, a floor for the next wait.
    hint: Option<Duration>,
}

impl<T> fmt::Debug for Poller<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Poller")
            .field("operation", &self.operation)
            .field("policy", &self.policy)
            .field("polls", &self.polls)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

/// What one wait-and-poll found.
enum Step<T> {
    /// Pending, or done.
    State(PollState<T>),
    /// A poll failed in a way worth polling again after (429, a retryable 5xx, a broken
    /// connection, a timeout).
    Transient(Error),
    /// Polling is over: a permanent error, or the deadline.
    Final(Error),
}

impl<T: Clone + Send + 'static> Poller<T> {
    /// A poller for `operation` (its name, for errors and logs) that calls `poll_fn` to
    /// learn the state.
    pub fn new<F>(operation: impl Into<String>, poll_fn: F) -> Self
    where
        F: FnMut() -> BoxFuture<'static, Result<PollState<T>>> + Send + 'static,
    {
        Self {
            operation: operation.into(),
            poll_fn: Box::new(poll_fn),
            policy: PollPolicy::default(),
            sleeper: Arc::new(TokioSleeper),
            clock: Arc::new(SystemClock),
            random: Arc::new(ThreadRandom),
            started: None,
            polls: 0,
            finished: false,
            done: None,
            max_hint: DEFAULT_MAX_HINT,
            hint: None,
        }
    }

    /// Uses the sleeper, clock and random source of `client`, and caps server hints at
    /// its retry policy's `max_retry_after`.
    pub fn time_of(mut self, client: &Client) -> Self {
        self.sleeper = client.sleeper();
        self.clock = client.clock();
        self.random = client.random();
        self.max_hint = client.retry_policy().max_retry_after();
        self
    }

    /// Sets the longest server hint (`Retry-After`) worth waiting for (default 60 s). A
    /// longer one ends polling at once with [`Error::PollTimeout`] (for a pending answer)
    /// or the answer's own error (for a 429 or 503), never with a sleep of that length.
    pub fn max_hint(mut self, cap: Duration) -> Self {
        self.max_hint = cap;
        self
    }

    /// Sets the policy.
    pub fn policy(mut self, policy: PollPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Replaces the sleeper.
    pub fn sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// Replaces the clock.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Replaces the random source of jitter.
    pub fn random(mut self, random: Arc<dyn RandomSource>) -> Self {
        self.random = random;
        self
    }

    /// The operation's name.
    pub fn operation(&self) -> &str {
        &self.operation
    }

    /// How many polls were made.
    pub fn polls(&self) -> u32 {
        self.polls
    }

    /// Asks once, now, without waiting. Once the work is done, answers its result again
    /// without asking the vendor.
    pub async fn poll(&mut self) -> Result<PollState<T>> {
        if let Some(done) = &self.done {
            return Ok(PollState::Done(done.clone()));
        }
        self.started.get_or_insert_with(|| self.clock.now());
        self.polls += 1;
        let state = (self.poll_fn)().await;
        if let Ok(PollState::Done(value)) = &state {
            self.done = Some(value.clone());
        }
        state
    }

    /// Waits and polls until the work is done, and returns its result. Transient failures
    /// of a poll are waited out; any other error, and the deadline, end it.
    pub async fn until_done(mut self) -> Result<T> {
        if let Some(done) = self.done.take() {
            return Ok(done);
        }
        if self.finished {
            return Err(Error::invalid(format!(
                "polling operation {} already ended with an error",
                self.operation
            )));
        }
        loop {
            match self.step().await {
                Step::State(PollState::Done(value)) => return Ok(value),
                Step::State(PollState::Pending(_)) | Step::Transient(_) => {}
                Step::Final(error) => return Err(error),
            }
        }
    }

    /// Every state seen, in order, and every transient failure of a poll as an `Err` item
    /// after which polling goes on (its [`Error::is_retryable`] is true). The stream ends
    /// after `Done`, or after an error that ends polling (a permanent one, or
    /// [`Error::PollTimeout`]).
    pub fn into_stream(self) -> impl Stream<Item = Result<PollState<T>>> + Send {
        stream::unfold(self, |mut poller| async move {
            if poller.finished || poller.done.is_some() {
                return None;
            }
            let item = match poller.step().await {
                Step::State(state) => Ok(state),
                Step::Transient(error) => Err(error),
                Step::Final(error) => {
                    poller.finished = true;
                    Err(error)
                }
            };
            Some((item, poller))
        })
    }

    /// Waits as the policy says (a server hint is a floor, and one over the cap ends
    /// polling), then polls once.
    async fn step(&mut self) -> Step<T> {
        let started = *self.started.get_or_insert_with(|| self.clock.now());
        let hint = self.hint.take();
        if hint.is_some_and(|hint| hint > self.max_hint) {
            tracing::debug!(operation = %self.operation, ?hint, "the vendor asks for a wait over the cap");
            return Step::Final(Error::PollTimeout {
                operation: self.operation.clone(),
                waited: self.clock.now().saturating_duration_since(started),
            });
        }
        let mut wait = self
            .jittered(self.policy.delay_for(self.polls + 1))
            .max(hint.unwrap_or_default());
        if let Some(deadline) = self.policy.deadline {
            let elapsed = match self.polled_for(started) {
                Ok(elapsed) => elapsed,
                Err(error) => return Step::Final(error),
            };
            // The last poll happens at the deadline, not after it.
            wait = wait.min(deadline.saturating_sub(elapsed));
        }
        self.sleeper.sleep(wait).await;
        match self.poll().await {
            Ok(PollState::Pending(pending)) => {
                tracing::debug!(operation = %self.operation, status = ?pending.status, "not done yet");
                if let Err(error) = self.polled_for(started) {
                    return Step::Final(error);
                }
                self.hint = pending.retry_after;
                Step::State(PollState::Pending(pending))
            }
            Ok(done) => Step::State(done),
            Err(error) if error.is_retryable() => {
                if error.retry_after().is_some_and(|hint| hint > self.max_hint) {
                    return Step::Final(error);
                }
                tracing::debug!(operation = %self.operation, %error, "transient failure while polling");
                if let Err(timeout) = self.polled_for(started) {
                    return Step::Final(timeout);
                }
                self.hint = error.retry_after();
                Step::Transient(error)
            }
            Err(error) => Step::Final(error),
        }
    }

    /// How long polling has gone on, or [`Error::PollTimeout`] once the deadline passed.
    fn polled_for(&self, started: Instant) -> Result<Duration> {
        let waited = self.clock.now().saturating_duration_since(started);
        if self.policy.deadline.is_some_and(|deadline| waited >= deadline) {
            return Err(Error::PollTimeout {
                operation: self.operation.clone(),
                waited,
            });
        }
        Ok(waited)
    }

    fn jittered(&self, delay: Duration) -> Duration {
        // Kept in [0, 1] by `with_jitter`, the one place it is set.
        let spread = self.policy.jitter;
        if spread == 0.0 {
            return delay;
        }
        // A uniform factor in [1 - spread, 1 + spread).
        let factor = 1.0 - spread + 2.0 * spread * unit_sample(self.random.as_ref());
        Duration::try_from_secs_f64(delay.as_secs_f64() * factor).unwrap_or(delay)
    }
}

/// The error of an operation that finished unsuccessfully (for the vendor crates).
#[doc(hidden)]
pub fn operation_failed(
    operation: impl Into<String>,
    code: Option<String>,
    message: impl Into<String>,
    details: Vec<serde_json::Value>,
) -> Error {
    Error::OperationFailed {
        operation: operation.into(),
        code,
        message: message.into(),
        details,
    }
}
