//! Byte-level upload progress.

use std::fmt;
use std::sync::Arc;

use tokio::sync::mpsc;

/// How far an upload has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Payload bytes handed to the connection so far in this attempt.
    pub sent: u64,
    /// Payload bytes in all (file contents and raw byte bodies; multipart framing excluded).
    pub total: u64,
    /// The attempt these bytes belong to (1 for the first). A retry starts again from 0.
    pub attempt: u32,
}

/// Where progress goes: a callback, or a channel.
///
/// Reports arrive per chunk (64 KiB for files), and the `sent` of the last report of a
/// successful attempt equals `total` exactly.
#[derive(Clone)]
pub struct ProgressReporter {
    sink: Arc<dyn Fn(Progress) + Send + Sync>,
}

impl fmt::Debug for ProgressReporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProgressReporter").finish_non_exhaustive()
    }
}

impl ProgressReporter {
    /// Calls `callback` on every chunk sent.
    pub fn callback(callback: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        Self {
            sink: Arc::new(callback),
        }
    }

    /// Sends every report into an unbounded channel and hands back its receiver.
    pub fn channel() -> (Self, mpsc::UnboundedReceiver<Progress>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let reporter = Self::callback(move |progress| {
            // A receiver that was dropped just means nobody is watching any more.
            let _ = tx.send(progress);
        });
        (reporter, rx)
    }

    pub(crate) fn report(&self, progress: Progress) {
        (self.sink)(progress);
    }
}
