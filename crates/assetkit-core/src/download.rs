//! Downloads: a GET streamed to a file (or any writer) with bounded memory, byte progress,
//! the size checked against `Content-Length`, and a broken transfer resumed with `Range`
//! where the host allows it.
//!
//! To a path, the bytes go to a temporary file beside it (`<name>.<pid>.part`), flushed to
//! disk and renamed into place only when complete: a failed download never leaves a
//! partial file under the final name. The client's credential goes only to its own
//! origin, so a storage host (a CDN `location`, a presigned URL) never sees it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT_RANGES, CONTENT_RANGE, ETAG, HeaderValue, IF_RANGE, RANGE};
use tokio::io::{AsyncWrite, AsyncWriteExt};
use url::Url;

use crate::client::Client;
use crate::error::{Error, MAX_ERROR_READ, Result, TimeoutKind, redact_url};
use crate::progress::{Progress, ProgressReporter};

/// A download of one URL; from [`Client::download`].
#[derive(Debug)]
#[must_use = "a download does nothing until `to_path` or `to_writer` is awaited"]
pub struct Download {
    client: Client,
    url: Url,
    progress: Option<ProgressReporter>,
    attempts: u32,
}

impl Client {
    /// Downloads `url` (the client's credential is attached only when it is on the base
    /// URL's origin). See [`Download`].
    pub fn download(&self, url: Url) -> Download {
        Download {
            client: self.clone(),
            url,
            progress: None,
            attempts: self.retry_policy().max_attempts().max(1),
        }
    }
}

/// Where the bytes go, and whether it can start over or continue.
trait Sink: Send {
    async fn write(&mut self, bytes: &[u8]) -> std::io::Result<()>;
    /// Drops what was written (a host that ignored `Range` sends everything again).
    async fn restart(&mut self) -> std::io::Result<bool>;
}

/// How many received bytes are gathered before they go to the file in one write.
const GATHER: usize = 1 << 20;

/// What a write on the blocking pool gives back: the file, the buffer, how it went.
type Written = (std::fs::File, Vec<u8>, std::io::Result<()>);

/// A file written on the blocking pool in large gulps. The connection hands over chunks
/// of a few KiB; written one by one (as `tokio::fs::File` does) each would be its own
/// trip to the blocking pool. Here they are gathered into one of two 1 MiB buffers, and a
/// full buffer is written while the other fills: one trip per MiB, at most about 2 MiB
/// in memory, and the socket is read while the disk is written.
struct FileSink {
    /// The file, while no write is in flight.
    file: Option<std::fs::File>,
    /// The write in flight; it gives back the file and the emptied buffer.
    in_flight: Option<tokio::task::JoinHandle<Written>>,
    /// What has been received and not yet handed to a write.
    gathered: Vec<u8>,
    /// The other buffer, once a write has given it back.
    spare: Vec<u8>,
}

impl FileSink {
    fn new(file: std::fs::File) -> Self {
        Self {
            file: Some(file),
            in_flight: None,
            gathered: Vec::with_capacity(GATHER),
            spare: Vec::new(),
        }
    }

    /// Waits for the write in flight, if any, and takes its buffer back.
    async fn land(&mut self) -> std::io::Result<()> {
        if let Some(task) = self.in_flight.take() {
            let (file, mut emptied, written) = task.await.map_err(std::io::Error::other)?;
            self.file = Some(file);
            emptied.clear();
            self.spare = emptied;
            written?;
        }
        Ok(())
    }

    /// The file, once no write is in flight.
    async fn file(&mut self) -> std::io::Result<std::fs::File> {
        self.land().await?;
        self.file
            .take()
            .ok_or_else(|| std::io::Error::other("the download's file was lost to a failed write"))
    }

    /// Hands what was gathered to a write on the blocking pool.
    async fn write_out(&mut self) -> std::io::Result<()> {
        let mut file = self.file().await?;
        let mut next = std::mem::take(&mut self.spare);
        next.reserve(GATHER);
        let full = std::mem::replace(&mut self.gathered, next);
        self.in_flight = Some(tokio::task::spawn_blocking(move || {
            let written = std::io::Write::write_all(&mut file, &full);
            (file, full, written)
        }));
        Ok(())
    }

    /// Writes the rest and flushes the file to disk.
    async fn finish(&mut self) -> std::io::Result<()> {
        if !self.gathered.is_empty() {
            self.write_out().await?;
        }
        let file = self.file().await?;
        tokio::task::spawn_blocking(move || file.sync_all())
            .await
            .map_err(std::io::Error::other)?
    }
}

impl Sink for FileSink {
    async fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        // Out before it would outgrow the buffer (a chunk larger than the buffer is
        // taken whole).
        if !self.gathered.is_empty() && self.gathered.len() + bytes.len() > GATHER {
            self.write_out().await?;
        }
        self.gathered.extend_from_slice(bytes);
        Ok(())
    }
    async fn restart(&mut self) -> std::io::Result<bool> {
        let mut file = self.file().await?;
        self.gathered.clear();
        let file = tokio::task::spawn_blocking(move || {
            use std::io::Seek;
            file.set_len(0)?;
            file.rewind()?;
            Ok::<_, std::io::Error>(file)
        })
        .await
        .map_err(std::io::Error::other)??;
        self.file = Some(file);
        Ok(true)
    }
}

struct WriterSink<'a, W> {
    writer: &'a mut W,
}

impl<W: AsyncWrite + Unpin + Send> Sink for WriterSink<'_, W> {
    async fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.writer.write_all(bytes).await
    }
    async fn restart(&mut self) -> std::io::Result<bool> {
        // What went to a writer cannot be taken back.
        Ok(false)
    }
}

/// How one attempt ended.
enum Attempt {
    Done,
    /// Broken after `written` bytes in all; the host takes `Range` when `resumable`.
    Broken {
        error: Error,
        resumable: bool,
    },
}

impl Download {
    /// Reports bytes received (`Progress::sent` counts them; `total` is the length once
    /// known).
    pub fn progress(mut self, reporter: ProgressReporter) -> Self {
        self.progress = Some(reporter);
        self
    }

    /// How many times a broken transfer is tried in all (default: the client's retry
    /// policy's attempts).
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// Downloads to `path`: a temporary file beside it, renamed into place once complete.
    /// Returns the number of bytes.
    pub async fn to_path(self, path: impl AsRef<Path>) -> Result<u64> {
        let path = path.as_ref();
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".{}.part", std::process::id()));
        let temporary = PathBuf::from(name);
        let file = tokio::fs::File::create(&temporary)
            .await
            .map_err(|e| Error::io(&temporary, e))?
            .into_std()
            .await;
        let mut sink = FileSink::new(file);
        let result = self.run(&mut sink).await;
        let finished = match result {
            Ok(bytes) => {
                let synced = sink.finish().await;
                drop(sink);
                synced
                    .and_then(|()| std::fs::rename(&temporary, path))
                    .map(|()| bytes)
                    .map_err(|e| Error::io(path, e))
            }
            Err(error) => {
                // No write may still be going when the file is removed.
                let _ = sink.land().await;
                Err(error)
            }
        };
        if finished.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        finished
    }

    /// Downloads into `writer`. A broken transfer resumes with `Range` (bytes already
    /// written are never written twice); when the host cannot resume, it fails.
    pub async fn to_writer<W: AsyncWrite + Unpin + Send>(self, writer: &mut W) -> Result<u64> {
        let mut sink = WriterSink { writer };
        let bytes = self.run(&mut sink).await?;
        sink.writer
            .flush()
            .await
            .map_err(|e| Error::io("the download's writer", e))?;
        Ok(bytes)
    }

    async fn run(&self, sink: &mut impl Sink) -> Result<u64> {
        self.client.check_url(&self.url)?;
        let mut state = State::default();
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.attempt(sink, &mut state, attempt).await? {
                Attempt::Done => return Ok(state.written),
                Attempt::Broken { error, resumable } => {
                    if attempt >= self.attempts {
                        return Err(error);
                    }
                    if !resumable && state.written > 0 {
                        if !sink.restart().await.map_err(|e| Error::io("the download", e))? {
                            return Err(error);
                        }
                        state.written = 0;
                    }
                    tracing::debug!(written = state.written, error = %error, "download broke; trying again");
                    let delay = self
                        .client
                        .retry_policy()
                        .delay_with_hint(attempt, None, self.client.random().as_ref())
                        .min(Duration::from_secs(5));
                    self.client.sleeper().sleep(delay).await;
                }
            }
        }
    }

    /// Sends the GET (from `state.written` on, with `Range`); `Err(Attempt)` when it broke
    /// before an answer.
    async fn send(&self, state: &State) -> Result<std::result::Result<reqwest::Response, Attempt>> {
        let host = self.url.host_str().unwrap_or_default();
        let mut request = self.client.reqwest().get(self.url.clone());
        if let Some(auth) = self.client.auth_for(&self.url) {
            let authorization = auth.authorize().await?;
            request = request.header(authorization.name().clone(), authorization.value().clone());
        }
        if state.written > 0 {
            request = request.header(RANGE, format!("bytes={}-", state.written));
            if let Some(tag) = state.etag.as_ref() {
                request = request.header(IF_RANGE, tag.clone());
            }
        }
        match tokio::time::timeout(self.client.stall_timeout(), request.send()).await {
            Err(_) => Ok(Err(Attempt::Broken {
                error: Error::timeout(TimeoutKind::Stall, false),
                resumable: true,
            })),
            Ok(Err(error)) => match Client::transport_error(error, host) {
                (error, true) => Ok(Err(Attempt::Broken {
                    error,
                    resumable: true,
                })),
                (error, false) => Err(error),
            },
            Ok(Ok(response)) => Ok(Ok(response)),
        }
    }

    /// An error answer: retried when the error is worth it, else returned.
    async fn refused(&self, mut response: reqwest::Response) -> Result<Attempt> {
        let status = response.status();
        let headers = response.headers().clone();
        let mut body = Vec::new();
        while let Ok(Some(chunk)) = response.chunk().await {
            body.extend_from_slice(&chunk);
            if body.len() >= MAX_ERROR_READ {
                body.truncate(MAX_ERROR_READ);
                break;
            }
        }
        let error = self.client.error_answer(status.as_u16(), &headers, &body);
        if error.is_retryable() {
            Ok(Attempt::Broken {
                error,
                resumable: true,
            })
        } else {
            Err(error)
        }
    }

    /// Checks a successful answer against what was already written: a resume must start
    /// where the transfer broke, a full answer starts over, the length must not change.
    /// Returns whether the host takes `Range`.
    async fn accept(
        &self,
        sink: &mut impl Sink,
        state: &mut State,
        response: &reqwest::Response,
    ) -> Result<bool> {
        let resumed = response.status() == StatusCode::PARTIAL_CONTENT && state.written > 0;
        if !resumed && state.written > 0 {
            // The host sent everything again (it ignored `Range`, or the file changed).
            if !sink.restart().await.map_err(|e| Error::io("the download", e))? {
                return Err(Error::decode(
                    "the download",
                    "the host sent the whole file again after a break, and the writer cannot start over",
                    b"",
                ));
            }
            state.written = 0;
        }
        if resumed {
            let starts_at = response
                .headers()
                .get(CONTENT_RANGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("bytes "))
                .and_then(|v| v.split('-').next())
                .and_then(|v| v.trim().parse::<u64>().ok());
            if starts_at != Some(state.written) {
                return Err(Error::decode(
                    "the download",
                    format!(
                        "the host resumed at byte {starts_at:?}, not at byte {} where the transfer broke",
                        state.written
                    ),
                    b"",
                ));
            }
        }
        let expected = response.content_length().map(|l| l + state.written);
        if let (Some(known), Some(now)) = (state.total, expected)
            && known != now
        {
            return Err(Error::decode(
                "the download",
                format!("the length changed from {known} to {now} bytes between attempts"),
                b"",
            ));
        }
        state.total = state.total.or(expected);
        if let Some(tag) = response.headers().get(ETAG) {
            state.etag = Some(tag.clone());
        }
        Ok(resumed
            || response
                .headers()
                .get(ACCEPT_RANGES)
                .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"bytes")))
    }

    async fn attempt(&self, sink: &mut impl Sink, state: &mut State, attempt: u32) -> Result<Attempt> {
        let mut response = match self.send(state).await? {
            Ok(response) => response,
            Err(broken) => return Ok(broken),
        };
        if !response.status().is_success() {
            return self.refused(response).await;
        }
        let resumable = self.accept(sink, state, &response).await?;
        let host = self.url.host_str().unwrap_or_default().to_owned();
        let stall = self.client.stall_timeout();
        loop {
            let chunk = match tokio::time::timeout(stall, response.chunk()).await {
                Err(_) => {
                    return Ok(Attempt::Broken {
                        error: Error::timeout(TimeoutKind::Stall, false),
                        resumable,
                    });
                }
                Ok(Err(error)) => {
                    let (error, _) = Client::transport_error(error, &host);
                    return Ok(Attempt::Broken { error, resumable });
                }
                Ok(Ok(None)) => break,
                Ok(Ok(Some(chunk))) => chunk,
            };
            let after = state.written + chunk.len() as u64;
            if let Some(total) = state.total
                && after > total
            {
                return Err(Error::decode(
                    "the download",
                    format!("the host sent more than the {total} bytes it announced"),
                    b"",
                ));
            }
            sink.write(&chunk)
                .await
                .map_err(|e| Error::io("the download", e))?;
            state.written = after;
            if let Some(progress) = &self.progress {
                progress.report(Progress {
                    sent: state.written,
                    total: state.total.unwrap_or(0),
                    attempt,
                });
            }
        }
        match state.total {
            Some(total) if state.written < total => Ok(Attempt::Broken {
                error: Error::Transport {
                    message: format!(
                        "the download from {} ended after {} of {total} bytes",
                        redact_url(&self.url),
                        state.written
                    ),
                    before_send: false,
                    request: None,
                    source: None,
                },
                resumable,
            }),
            _ => Ok(Attempt::Done),
        }
    }
}

/// What a download has so far, across its attempts.
#[derive(Debug, Default)]
struct State {
    written: u64,
    total: Option<u64>,
    etag: Option<HeaderValue>,
}
