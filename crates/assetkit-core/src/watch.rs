//! The watchdog of one attempt: when a byte last moved, when the request was fully handed
//! to the connection, and what went wrong on our side of a body stream.
//!
//! reqwest's read timeout is not a stall detector for request bodies (it fires while a
//! slow link is still taking bytes), so the transport keeps its own clock on the streams
//! it feeds and reads.

use std::future::Future;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures::StreamExt;
use tokio::time::Instant;

use crate::body::ChunkStream;
use crate::error::{Error, TimeoutKind};

/// `Instant + duration`, or far in the future when that would overflow.
pub(crate) fn after(at: Instant, duration: Duration) -> Instant {
    at.checked_add(duration)
        .unwrap_or_else(|| at + Duration::from_secs(100 * 365 * 24 * 3600))
}

/// Activity of one attempt, shared with the body streams it feeds.
#[derive(Debug)]
pub(crate) struct Watch {
    origin: Instant,
    /// Nanoseconds from `origin` to the last byte that moved.
    last: AtomicU64,
    /// Nanoseconds from `origin` to the end of the request, plus one; 0 while sending.
    sent: AtomicU64,
    /// Body streams not yet finished.
    open: AtomicUsize,
    /// A failure on our side of a body stream (a file that changed while being sent).
    failure: Mutex<Option<Error>>,
}

impl Watch {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self {
            origin: Instant::now(),
            last: AtomicU64::new(0),
            sent: AtomicU64::new(0),
            open: AtomicUsize::new(0),
            failure: Mutex::new(None),
        })
    }

    fn since_origin(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_nanos()).unwrap_or(u64::MAX - 1)
    }

    /// A byte moved.
    pub(crate) fn touch(&self) {
        self.last.store(self.since_origin(), Ordering::Relaxed);
    }

    /// When a byte last moved.
    pub(crate) fn last(&self) -> Instant {
        after(
            self.origin,
            Duration::from_nanos(self.last.load(Ordering::Relaxed)),
        )
    }

    /// The whole request has been handed to the connection (or the answer came first).
    pub(crate) fn mark_sent(&self) {
        let now = self.since_origin().saturating_add(1);
        let _ = self
            .sent
            .compare_exchange(0, now, Ordering::Relaxed, Ordering::Relaxed);
    }

    /// Marks the request sent when no body stream is still open (a form with no file part,
    /// an empty stream, and the moment the last one finishes).
    pub(crate) fn mark_sent_if_idle(&self) {
        if self.open.load(Ordering::Relaxed) == 0 {
            self.mark_sent();
        }
    }

    /// When the request was fully sent, if it was.
    pub(crate) fn sent_at(&self) -> Option<Instant> {
        match self.sent.load(Ordering::Relaxed) {
            0 => None,
            n => Some(after(self.origin, Duration::from_nanos(n - 1))),
        }
    }

    /// Records a failure on our side of a body stream; the first one wins.
    pub(crate) fn fail(&self, error: Error) {
        let mut slot = self.failure.lock().unwrap_or_else(PoisonError::into_inner);
        slot.get_or_insert(error);
    }

    /// The failure recorded by a body stream, if any.
    pub(crate) fn take_failure(&self) -> Option<Error> {
        self.failure.lock().unwrap_or_else(PoisonError::into_inner).take()
    }

    /// `stream`, watched: every chunk is activity, and the stream counts as finished when
    /// it ends, fails, or has yielded `len` bytes (a body of known length may never be
    /// polled for its end).
    pub(crate) fn track(self: &Arc<Self>, stream: ChunkStream, len: Option<u64>) -> ChunkStream {
        self.open.fetch_add(1, Ordering::Relaxed);
        let mut tracked = Tracked {
            inner: stream,
            watch: self.clone(),
            len,
            yielded: 0,
            finished: false,
        };
        if len == Some(0) {
            tracked.finish();
        }
        tracked.boxed()
    }
}

/// What an attempt knows of its request's sending. A request with no stream of ours (no
/// body, or one chunk nobody counts) is handed to the connection whole, with its head:
/// there is nothing to watch, and no [`Watch`] is allocated for it. Any other is watched
/// stream by stream.
pub(crate) enum Sending {
    /// Handed over whole at this instant.
    Whole(Instant),
    /// Sent through the streams this watch follows.
    Watched(Arc<Watch>),
}

impl Sending {
    /// The watch an attempt's body made, if it needed one.
    pub(crate) fn new(watch: Option<Arc<Watch>>) -> Self {
        match watch {
            Some(watch) => Self::Watched(watch),
            None => Self::Whole(Instant::now()),
        }
    }

    /// Resolves when the attempt has been idle too long: while sending, `stall` without a
    /// byte moving; once sent, `response` after the end of the request.
    ///
    /// An `async` block rather than an `async fn`, which would keep its arguments twice in
    /// its future, a part of every request's.
    #[allow(clippy::manual_async_fn)] // on purpose: see above
    pub(crate) fn expired(
        &self,
        stall: Duration,
        response: Duration,
    ) -> impl Future<Output = TimeoutKind> + Send + '_ {
        async move {
            let (mut at, _) = self.deadline(stall, response);
            loop {
                // A timer fires at its deadline or after it: no clock to read. Only
                // activity since (a byte moved, the request sent) can have moved it on.
                tokio::time::sleep_until(at).await;
                let (next, kind) = self.deadline(stall, response);
                if next <= at {
                    return kind;
                }
                at = next;
            }
        }
    }

    /// When the attempt times out if nothing moves before, and why.
    fn deadline(&self, stall: Duration, response: Duration) -> (Instant, TimeoutKind) {
        match self {
            Self::Whole(at) => (after(*at, response), TimeoutKind::Response),
            Self::Watched(watch) => match watch.sent_at() {
                Some(sent) => (after(sent, response), TimeoutKind::Response),
                None => (after(watch.last(), stall), TimeoutKind::Stall),
            },
        }
    }

    /// The failure recorded by a body stream, if any.
    pub(crate) fn take_failure(&self) -> Option<Error> {
        match self {
            Self::Whole(_) => None,
            Self::Watched(watch) => watch.take_failure(),
        }
    }

    /// The answer has come: whether it came before the whole request was taken (the
    /// server refused it unread), and when the request counts as sent (now, if it had
    /// not been).
    pub(crate) fn answered(&self) -> (bool, Instant) {
        match self {
            Self::Whole(at) => (false, *at),
            Self::Watched(watch) => {
                let early = watch.sent_at().is_none();
                watch.mark_sent();
                (early, watch.sent_at().unwrap_or_else(Instant::now))
            }
        }
    }
}

/// A body stream that reports its activity to a [`Watch`].
struct Tracked {
    inner: ChunkStream,
    watch: Arc<Watch>,
    len: Option<u64>,
    yielded: u64,
    finished: bool,
}

impl Tracked {
    fn finish(&mut self) {
        if !self.finished {
            self.finished = true;
            if self.watch.open.fetch_sub(1, Ordering::Relaxed) == 1 {
                self.watch.mark_sent();
            }
        }
    }
}

impl futures::Stream for Tracked {
    type Item = std::io::Result<bytes::Bytes>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let polled = self.inner.poll_next_unpin(cx);
        match &polled {
            std::task::Poll::Ready(Some(Ok(chunk))) => {
                self.watch.touch();
                self.yielded = self.yielded.saturating_add(chunk.len() as u64);
                if self.len.is_some_and(|len| self.yielded >= len) {
                    self.finish();
                }
            }
            std::task::Poll::Ready(Some(Err(_)) | None) => {
                self.watch.touch();
                self.finish();
            }
            std::task::Poll::Pending => {}
        }
        polled
    }
}
