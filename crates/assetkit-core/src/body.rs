//! Request bodies that can be sent again on every attempt.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::SystemTime;

use bytes::Bytes;
use futures::stream::{self, BoxStream, StreamExt};
use tokio::sync::mpsc;

use crate::error::{Error, Result};
use crate::progress::{Progress, ProgressReporter};
use crate::watch::Watch;

/// Content is handed on in chunks of at most this size, both for streaming and for
/// hashing (and progress is reported per chunk).
pub const CHUNK_SIZE: usize = 64 * 1024;

/// A file being sent is read with reads of this size, on a blocking thread, each then
/// handed on as [`CHUNK_SIZE`] slices of the same buffer (no copy).
const READ_SIZE: usize = 256 * 1024;

/// How many reads of one file being sent may be in memory at once (read ahead, queued,
/// or waiting in the connection's buffers): `READ_AHEAD * READ_SIZE` bytes at most per
/// file, whatever its size. The buffers are recycled, never zeroed again.
const READ_AHEAD: usize = 4;

/// How often a reader waiting for a buffer checks that its stream is still wanted.
const READER_CHECK: std::time::Duration = std::time::Duration::from_millis(250);

/// Where the bytes of an upload come from.
///
/// A path is reopened and streamed for every attempt, so even a multi-gigabyte video never
/// sits in memory; bytes are shared (cloning is cheap).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UploadSource {
    /// A file on disk.
    Path(PathBuf),
    /// Bytes in memory, with the file name to send them under.
    Bytes {
        /// The name the vendor sees.
        file_name: String,
        /// The content.
        data: Bytes,
    },
}

impl fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UploadSource::Path(path) => f.debug_tuple("Path").field(path).finish(),
            UploadSource::Bytes { file_name, data } => f
                .debug_struct("Bytes")
                .field("file_name", file_name)
                .field("len", &data.len())
                .finish(),
        }
    }
}

impl UploadSource {
    /// A file on disk.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        UploadSource::Path(path.into())
    }

    /// Bytes in memory, sent under `file_name`.
    pub fn bytes(file_name: impl Into<String>, data: impl Into<Bytes>) -> Self {
        UploadSource::Bytes {
            file_name: file_name.into(),
            data: data.into(),
        }
    }

    /// The file name the vendor will see (the last component of a path).
    pub fn file_name(&self) -> Option<String> {
        match self {
            UploadSource::Path(path) => path.file_name().map(|n| n.to_string_lossy().into_owned()),
            UploadSource::Bytes { file_name, .. } => Some(file_name.clone()),
        }
    }

    /// The lowercase extension of the file name, without the dot.
    pub fn extension(&self) -> Option<String> {
        let name = self.file_name()?;
        Path::new(&name)
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
    }

    /// The size in bytes (a `stat` for a path).
    pub async fn len(&self) -> Result<u64> {
        match self {
            UploadSource::Path(path) => {
                let meta = tokio::fs::metadata(path).await.map_err(|e| Error::io(path, e))?;
                regular_file_len(path, &meta)
            }
            UploadSource::Bytes { data, .. } => Ok(data.len() as u64),
        }
    }

    /// What identifies this file's content on disk now (size, modification time, and on
    /// Unix the inode); `None` for bytes in memory. A file whose fingerprint changed is
    /// never sent as if it were the same content.
    pub async fn fingerprint(&self) -> Result<Option<Fingerprint>> {
        match self {
            UploadSource::Path(path) => {
                let meta = tokio::fs::metadata(path).await.map_err(|e| Error::io(path, e))?;
                regular_file_len(path, &meta)?;
                Ok(Some(Fingerprint::of(&meta)))
            }
            UploadSource::Bytes { .. } => Ok(None),
        }
    }

    /// Feeds the whole content to `consume` in chunks of at most [`CHUNK_SIZE`] bytes and
    /// hands `consume` back with the number of bytes read: the fast way to hash a file.
    ///
    /// A file is read on a blocking thread into one reused buffer and `consume` runs on
    /// that thread too, so each chunk is hashed while it is still in the CPU's cache and
    /// no chunk crosses a thread (larger reads were measured and gave nothing more).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// use assetkit_core::UploadSource;
    /// let source = UploadSource::bytes("a.txt", "hello");
    /// let (len, seen) = source.read_chunks(Vec::new(), |seen, chunk| seen.extend_from_slice(chunk)).await?;
    /// assert_eq!((len, seen.as_slice()), (5, &b"hello"[..]));
    /// # Ok::<(), assetkit_core::Error>(()) });
    /// ```
    pub async fn read_chunks<S, F>(&self, state: S, consume: F) -> Result<(u64, S)>
    where
        S: Send + 'static,
        F: FnMut(&mut S, &[u8]) + Send + 'static,
    {
        let mut state = state;
        let mut consume = consume;
        match self {
            UploadSource::Bytes { data, .. } => {
                for chunk in data.chunks(CHUNK_SIZE) {
                    consume(&mut state, chunk);
                }
                Ok((data.len() as u64, state))
            }
            UploadSource::Path(path) => {
                let path = path.clone();
                let task = tokio::task::spawn_blocking(move || {
                    use std::io::Read;
                    let mut file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
                    let mut buffer = vec![0u8; CHUNK_SIZE];
                    let mut total = 0u64;
                    loop {
                        let read = match file.read(&mut buffer) {
                            Ok(0) => return Ok((total, state)),
                            Ok(read) => read,
                            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                            Err(e) => return Err(Error::io(&path, e)),
                        };
                        consume(&mut state, &buffer[..read]);
                        total += read as u64;
                    }
                });
                task.await.map_err(|e| Error::Io {
                    path: None,
                    source: std::io::Error::other(e),
                })?
            }
        }
    }

    /// Opens the content as a stream of chunks of at most [`CHUNK_SIZE`] bytes, with its
    /// length at opening time. A file is read ahead on a blocking thread, with a bounded
    /// number of reads in memory whatever its size.
    pub async fn open(&self) -> Result<(u64, BoxStream<'static, std::io::Result<Bytes>>)> {
        match self {
            UploadSource::Path(path) => {
                let (file, meta) = open_file(path).await?;
                let len = regular_file_len(path, &meta)?;
                Ok((len, file_chunks(file)))
            }
            UploadSource::Bytes { data, .. } => Ok((data.len() as u64, byte_chunks(data.clone()))),
        }
    }
}

/// What identifies a file's content on disk: its size, modification time and (on Unix)
/// device and inode. Taken when a file is first read for a request and checked on every
/// later read, so a file rewritten between attempts (or between a hash and the upload)
/// fails with [`Error::Io`] instead of being sent with other content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    inode: (u64, u64),
}

impl Fingerprint {
    fn of(meta: &std::fs::Metadata) -> Self {
        Self {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode: {
                use std::os::unix::fs::MetadataExt;
                (meta.dev(), meta.ino())
            },
        }
    }

    /// The file's size in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the file was empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How `now` differs from `self`, in words, or `None` when it does not.
    fn change(&self, now: &Fingerprint) -> Option<String> {
        if self.len != now.len {
            return Some(format!("its size went from {} to {} bytes", self.len, now.len));
        }
        (self != now).then(|| "it was rewritten or replaced".to_owned())
    }
}

/// The error for a file that is no longer what the request started with.
fn changed(path: &Path, what: &str) -> Error {
    Error::io(
        path,
        std::io::Error::other(format!(
            "the file changed while being uploaded ({what}); nothing more is sent from it"
        )),
    )
}

/// Opens a file for one attempt of a request: checks it against the fingerprint of the
/// first attempt (taking it on the first), and streams exactly its announced length,
/// failing rather than sending other bytes if it grows, shrinks, vanishes or is rewritten
/// before its last chunk is handed over.
async fn open_pinned(
    path: &Path,
    pin: &OnceLock<Fingerprint>,
    watch: &Arc<Watch>,
) -> Result<(u64, ChunkStream)> {
    let (file, meta) = open_file(path).await?;
    let len = regular_file_len(path, &meta)?;
    let now = Fingerprint::of(&meta);
    let first = *pin.get_or_init(|| now);
    if let Some(what) = first.change(&now) {
        return Err(changed(path, &what));
    }
    let state = Checked {
        inner: file_chunks(file),
        path: path.to_owned(),
        fingerprint: first,
        sent: 0,
        watch: watch.clone(),
        done: false,
    };
    let stream = stream::unfold(state, |mut state| async move {
        if state.done {
            return None;
        }
        let item = state.next().await;
        if item.as_ref().is_none_or(Result::is_err) {
            state.done = true;
        }
        item.map(|item| (item, state))
    });
    Ok((len, stream.boxed()))
}

/// Opens `path` and reads its metadata, in one trip to a blocking thread.
async fn open_file(path: &Path) -> Result<(std::fs::File, std::fs::Metadata)> {
    let owned = path.to_owned();
    let opened = tokio::task::spawn_blocking(move || {
        let file = std::fs::File::open(&owned)?;
        let meta = file.metadata()?;
        Ok((file, meta))
    })
    .await
    .map_err(std::io::Error::other)
    .and_then(|opened| opened);
    opened.map_err(|e| Error::io(path, e))
}

/// The content of `file`, read ahead on a blocking thread with reads of [`READ_SIZE`]
/// and handed on as chunks of at most [`CHUNK_SIZE`] bytes.
///
/// Reading on a thread of its own keeps the async runtime free and costs one wake-up per
/// read, not one trip to the blocking pool per chunk; the bounded set of recycled buffers
/// keeps memory flat and is the back-pressure: the reader waits while
/// [`READ_AHEAD`] reads are still in flight. Dropping the stream stops the reader.
fn file_chunks(file: std::fs::File) -> ChunkStream {
    let (sender, receiver) = mpsc::channel(READ_AHEAD);
    // The reader ends by itself when the file ends, fails, or nobody wants it any more.
    drop(tokio::task::spawn_blocking(move || read_ahead(file, &sender)));
    stream::unfold(
        (receiver, Bytes::new()),
        |(mut receiver, mut pending)| async move {
            if pending.is_empty() {
                match receiver.recv().await? {
                    Ok(read) => pending = read,
                    Err(e) => return Some((Err(e), (receiver, pending))),
                }
            }
            let chunk = pending.split_to(pending.len().min(CHUNK_SIZE));
            Some((Ok(chunk), (receiver, pending)))
        },
    )
    .boxed()
}

/// The reader of [`file_chunks`]: reads `file` to its end into recycled buffers and sends
/// each read to `sender`.
fn read_ahead(mut file: std::fs::File, sender: &mpsc::Sender<std::io::Result<Bytes>>) {
    use std::io::Read;
    use std::sync::mpsc::{RecvTimeoutError, channel};
    let (home, returned) = channel::<Vec<u8>>();
    let mut made = 0;
    loop {
        let mut buffer = match returned.try_recv() {
            Ok(buffer) => buffer,
            Err(_) if made < READ_AHEAD => {
                made += 1;
                vec![0u8; READ_SIZE]
            }
            // Every buffer is in flight: wait for one to come back.
            Err(_) => loop {
                match returned.recv_timeout(READER_CHECK) {
                    Ok(buffer) => break buffer,
                    Err(RecvTimeoutError::Timeout) if !sender.is_closed() => {}
                    Err(_) => return,
                }
            },
        };
        let read = loop {
            match file.read(&mut buffer) {
                Ok(read) => break read,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = sender.blocking_send(Err(e));
                    return;
                }
            }
        };
        if read == 0 {
            return;
        }
        let chunk = Bytes::from_owner(Recycled {
            buffer,
            len: read,
            home: home.clone(),
        });
        if sender.blocking_send(Ok(chunk)).is_err() {
            return;
        }
    }
}

/// A read buffer that goes back to its reader when the last chunk of it is dropped.
struct Recycled {
    buffer: Vec<u8>,
    len: usize,
    home: std::sync::mpsc::Sender<Vec<u8>>,
}

impl AsRef<[u8]> for Recycled {
    fn as_ref(&self) -> &[u8] {
        &self.buffer[..self.len]
    }
}

impl Drop for Recycled {
    fn drop(&mut self) {
        // A reader that is gone no longer needs it.
        let _ = self.home.send(std::mem::take(&mut self.buffer));
    }
}

/// How the file at `path` now differs from `fingerprint`, if it does.
async fn still_same(path: PathBuf, fingerprint: Fingerprint) -> Option<String> {
    match tokio::fs::metadata(&path).await {
        Ok(meta) => fingerprint.change(&Fingerprint::of(&meta)),
        Err(e) => Some(format!("it can no longer be read: {e}")),
    }
}

/// The state of a file stream that must deliver exactly one fingerprinted content.
struct Checked {
    inner: ChunkStream,
    path: PathBuf,
    fingerprint: Fingerprint,
    sent: u64,
    watch: Arc<Watch>,
    done: bool,
}

impl Checked {
    async fn next(&mut self) -> Option<std::io::Result<Bytes>> {
        let expected = self.fingerprint.len;
        match self.inner.next().await {
            Some(Ok(chunk)) => {
                let sent = self.sent.saturating_add(chunk.len() as u64);
                if sent > expected {
                    return Some(Err(self.fail("it grew".to_owned())));
                }
                self.sent = sent;
                // Before the last chunk goes out, make sure the file is still the one the
                // length was announced for: after it, the server has a complete body.
                if sent == expected
                    && let Some(what) = still_same(self.path.clone(), self.fingerprint).await
                {
                    return Some(Err(self.fail(what)));
                }
                Some(Ok(chunk))
            }
            Some(Err(e)) => {
                let what = format!("reading it failed: {e}");
                Some(Err(self.fail(what)))
            }
            None if self.sent < expected => Some(Err(
                self.fail(format!("it ended after {} of {expected} bytes", self.sent))
            )),
            None => None,
        }
    }

    /// Records the typed error for the transport and hands the connection an I/O error.
    fn fail(&self, what: String) -> std::io::Error {
        let error = changed(&self.path, &what);
        self.watch.fail(error);
        std::io::Error::other(what)
    }
}

/// The length of a file, refusing anything that is not a regular file (a directory opens
/// fine on Unix and only fails once read, mid-request).
fn regular_file_len(path: &Path, meta: &std::fs::Metadata) -> Result<u64> {
    if meta.is_file() {
        Ok(meta.len())
    } else {
        Err(Error::invalid(format!(
            "{} is not a regular file",
            path.display()
        )))
    }
}

/// `data` as a stream of slices of at most [`CHUNK_SIZE`] bytes (no copy).
fn byte_chunks(data: Bytes) -> ChunkStream {
    let len = data.len();
    stream::iter(
        (0..len)
            .step_by(CHUNK_SIZE)
            .map(move |start| Ok(data.slice(start..(start + CHUNK_SIZE).min(len)))),
    )
    .boxed()
}

/// `stream`, counted by `progress` when there is one.
fn counted(stream: ChunkStream, progress: Option<&AttemptProgress>) -> ChunkStream {
    match progress {
        Some(progress) => progress.count(stream),
        None => stream,
    }
}

/// One part of a multipart form.
#[derive(Debug, Clone)]
pub struct FormPart {
    name: String,
    kind: PartKind,
}

#[derive(Debug, Clone)]
enum PartKind {
    Text(String),
    File {
        source: UploadSource,
        file_name: Option<String>,
        content_type: Option<String>,
        /// The content every attempt must send: taken on the first, or given up front.
        pin: OnceLock<Fingerprint>,
    },
}

impl FormPart {
    /// A text field.
    pub fn text(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            kind: PartKind::Text(value.into()),
        }
    }

    /// A file field, streamed from `source`, sent under the source's own file name.
    pub fn file(name: impl Into<String>, source: UploadSource) -> Self {
        let file_name = source.file_name();
        Self {
            name: name.into(),
            kind: PartKind::File {
                source,
                file_name,
                content_type: None,
                pin: OnceLock::new(),
            },
        }
    }

    /// Requires the file to still have `fingerprint` (taken with
    /// [`UploadSource::fingerprint`] when its content was hashed, say): if it changed,
    /// sending fails with [`Error::Io`] instead of uploading other content.
    pub fn unchanged_since(mut self, fingerprint: Option<Fingerprint>) -> Self {
        if let (PartKind::File { pin, .. }, Some(fingerprint)) = (&mut self.kind, fingerprint) {
            *pin = OnceLock::from(fingerprint);
        }
        self
    }

    /// Sets the file name sent for a file field.
    pub fn file_name(mut self, value: impl Into<String>) -> Self {
        if let PartKind::File { file_name, .. } = &mut self.kind {
            *file_name = Some(value.into());
        }
        self
    }

    /// Sets the content type of a file field.
    pub fn content_type(mut self, value: impl Into<String>) -> Self {
        if let PartKind::File { content_type, .. } = &mut self.kind {
            *content_type = Some(value.into());
        }
        self
    }

    /// The field's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A multipart form described, not built: it is turned into bytes afresh for every attempt,
/// reopening each file, so a retried upload sends the whole file again.
#[derive(Debug, Clone, Default)]
pub struct MultipartForm {
    parts: Vec<FormPart>,
}

impl MultipartForm {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a part; parts go on the wire in the order they were added.
    pub fn part(mut self, part: FormPart) -> Self {
        self.parts.push(part);
        self
    }

    /// Adds a text field.
    pub fn text(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.part(FormPart::text(name, value))
    }

    /// The parts, in order.
    pub fn parts(&self) -> &[FormPart] {
        &self.parts
    }
}

/// The body of a request.
#[non_exhaustive]
pub enum Body {
    /// No body.
    Empty,
    /// Bytes sent as they are (JSON, for instance), with their content type.
    Bytes {
        /// The content.
        data: Bytes,
        /// The `Content-Type` header (a `&'static str` or a `String`, with `.into()`).
        content_type: Cow<'static, str>,
    },
    /// A multipart form, rebuilt on every attempt.
    Multipart(MultipartForm),
    /// A stream that can be read once: a request with it gets a single attempt.
    Stream(OneShot),
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Bytes { data, content_type } => f
                .debug_struct("Bytes")
                .field("len", &data.len())
                .field("content_type", content_type)
                .finish(),
            Body::Multipart(form) => f.debug_tuple("Multipart").field(form).finish(),
            Body::Stream(_) => f.write_str("Stream"),
        }
    }
}

/// A body stream that can be taken once.
pub struct OneShot {
    stream: Mutex<Option<(Option<u64>, ChunkStream)>>,
}

/// A stream of body chunks.
pub type ChunkStream = BoxStream<'static, std::io::Result<Bytes>>;

impl fmt::Debug for OneShot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OneShot").finish_non_exhaustive()
    }
}

impl OneShot {
    /// Wraps a stream, with its length when known.
    pub fn new(len: Option<u64>, stream: BoxStream<'static, std::io::Result<Bytes>>) -> Self {
        Self {
            stream: Mutex::new(Some((len, stream))),
        }
    }

    fn take(&self) -> Option<(Option<u64>, ChunkStream)> {
        self.stream.lock().unwrap_or_else(PoisonError::into_inner).take()
    }

    /// The stream's length, when it is known and the stream was not taken yet.
    fn len(&self) -> Option<u64> {
        self.stream
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .and_then(|(len, _)| *len)
    }
}

impl Body {
    /// Serialises `value` as a JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Self> {
        let data =
            serde_json::to_vec(value).map_err(|e| Error::invalid(format!("cannot encode JSON body: {e}")))?;
        Ok(Body::Bytes {
            data: data.into(),
            content_type: Cow::Borrowed("application/json"),
        })
    }

    /// Whether the body can be sent again after a failed attempt.
    pub fn is_replayable(&self) -> bool {
        !matches!(self, Body::Stream(_))
    }

    /// The payload bytes the body carries (files, raw bytes and a stream of known length;
    /// multipart framing excluded).
    pub(crate) async fn payload_len(&self) -> Result<u64> {
        let mut total = 0;
        match self {
            Body::Empty => {}
            Body::Stream(once) => total = once.len().unwrap_or(0),
            Body::Bytes { data, .. } => total = data.len() as u64,
            Body::Multipart(form) => {
                for part in &form.parts {
                    if let PartKind::File { source, .. } = &part.kind {
                        total += source.len().await?;
                    }
                }
            }
        }
        Ok(total)
    }

    /// Attaches this body to `builder` for one attempt. Every stream goes through a
    /// [`Watch`], made here for the first one (left `None` when there is no stream: the
    /// body goes whole with the head), so the transport knows when a byte last moved and
    /// when the request was sent.
    ///
    /// Only a multipart form has to wait (to open and pin its files): every other body is
    /// attached at once, and [`Applied::Wait`] hands the builder back for
    /// [`apply`](Self::apply). So the common request never sets up (nor carries the size
    /// of) the waiting future.
    pub(crate) fn apply_now(
        &self,
        builder: reqwest::RequestBuilder,
        progress: Option<&AttemptProgress>,
        watch: &mut Option<Arc<Watch>>,
    ) -> Applied {
        let mut watched = |stream: ChunkStream, len: Option<u64>| {
            watched(stream, len, progress, watch.get_or_insert_with(Watch::new))
        };
        let builder = match self {
            Body::Multipart(_) => return Applied::Wait(builder),
            Body::Empty => builder,
            // A body of one chunk with nobody counting it goes as it is: the connection
            // takes it whole, as soon as it takes the head, so there is nothing to watch.
            Body::Bytes { data, content_type } if data.len() <= CHUNK_SIZE && progress.is_none() => {
                with_content_type(builder, content_type).body(data.clone())
            }
            Body::Bytes { data, content_type } => with_content_type(builder, content_type)
                .header(reqwest::header::CONTENT_LENGTH, data.len())
                .body(watched(byte_chunks(data.clone()), Some(data.len() as u64))),
            Body::Stream(once) => {
                let Some((len, stream)) = once.take() else {
                    return Applied::Ready(Err(Error::invalid("a streamed body can be sent only once")));
                };
                let builder = match len {
                    Some(len) => builder.header(reqwest::header::CONTENT_LENGTH, len),
                    None => builder,
                };
                builder.body(watched(stream, len))
            }
        };
        if let Some(watch) = watch {
            watch.mark_sent_if_idle();
        }
        Applied::Ready(Ok(builder))
    }

    /// Attaches the multipart form that [`apply_now`](Self::apply_now) handed back to
    /// wait, opening (and pinning) its files; any other body is attached as it is. With
    /// the watch of its streams.
    pub(crate) async fn apply(
        &self,
        builder: reqwest::RequestBuilder,
        progress: Option<&AttemptProgress>,
    ) -> (Result<reqwest::RequestBuilder>, Arc<Watch>) {
        let watch = Watch::new();
        let applied = self.apply_form(builder, progress, &watch).await;
        (applied, watch)
    }

    /// [`apply`](Self::apply)'s work, every stream it opens going through `watch`.
    async fn apply_form(
        &self,
        builder: reqwest::RequestBuilder,
        progress: Option<&AttemptProgress>,
        watch: &Arc<Watch>,
    ) -> Result<reqwest::RequestBuilder> {
        let Body::Multipart(form) = self else {
            let mut made = Some(watch.clone());
            return match self.apply_now(builder, progress, &mut made) {
                Applied::Ready(applied) => applied,
                Applied::Wait(builder) => Ok(builder),
            };
        };
        let mut multipart = reqwest::multipart::Form::new();
        for part in &form.parts {
            multipart = match &part.kind {
                PartKind::Text(value) => multipart.text(part.name.clone(), value.clone()),
                PartKind::File {
                    source,
                    file_name,
                    content_type,
                    pin,
                } => {
                    let (len, stream) = match source {
                        UploadSource::Path(path) => open_pinned(path, pin, watch).await?,
                        UploadSource::Bytes { .. } => source.open().await?,
                    };
                    let mut file = reqwest::multipart::Part::stream_with_length(
                        watched(stream, Some(len), progress, watch),
                        len,
                    );
                    if let Some(name) = file_name {
                        file = file.file_name(name.clone());
                    }
                    if let Some(mime) = content_type {
                        file = file
                            .mime_str(mime)
                            .map_err(|_| Error::invalid(format!("{mime:?} is not a valid content type")))?;
                    }
                    multipart.part(part.name.clone(), file)
                }
            };
        }
        // reqwest sets Content-Length itself when every part's length is known.
        let builder = builder.multipart(multipart);
        watch.mark_sent_if_idle();
        Ok(builder)
    }
}

/// A body stream of one attempt, counted for progress and watched for activity.
fn watched(
    stream: ChunkStream,
    len: Option<u64>,
    progress: Option<&AttemptProgress>,
    watch: &Arc<Watch>,
) -> reqwest::Body {
    reqwest::Body::wrap_stream(watch.track(counted(stream, progress), len))
}

/// A body attached at once, or the builder handed back to wait for one.
pub(crate) enum Applied {
    /// The request, ready to send (or why it cannot be).
    Ready(Result<reqwest::RequestBuilder>),
    /// The body has to wait: [`Body::apply`] attaches it.
    Wait(reqwest::RequestBuilder),
}

/// Sets a body's `Content-Type`: JSON's header value is made once; any other is checked
/// here, and an invalid one fails the request as a builder error.
fn with_content_type(builder: reqwest::RequestBuilder, content_type: &str) -> reqwest::RequestBuilder {
    const JSON: reqwest::header::HeaderValue = reqwest::header::HeaderValue::from_static("application/json");
    if content_type == "application/json" {
        builder.header(reqwest::header::CONTENT_TYPE, JSON)
    } else {
        builder.header(reqwest::header::CONTENT_TYPE, content_type)
    }
}

/// Counts the bytes of one attempt and reports them.
#[derive(Debug, Clone)]
pub(crate) struct AttemptProgress {
    reporter: ProgressReporter,
    total: u64,
    attempt: u32,
    sent: Arc<AtomicU64>,
}

impl AttemptProgress {
    pub(crate) fn new(reporter: ProgressReporter, total: u64, attempt: u32) -> Self {
        Self {
            reporter,
            total,
            attempt,
            sent: Arc::default(),
        }
    }

    fn count(&self, stream: ChunkStream) -> ChunkStream {
        let this = self.clone();
        stream
            .inspect(move |chunk| {
                if let Ok(chunk) = chunk {
                    let sent =
                        this.sent.fetch_add(chunk.len() as u64, Ordering::Relaxed) + chunk.len() as u64;
                    this.reporter.report(Progress {
                        sent,
                        total: this.total,
                        attempt: this.attempt,
                    });
                }
            })
            .boxed()
    }
}
