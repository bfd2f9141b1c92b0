//! Named conformance properties that every vendor client and its fake satisfy alike (the
//! `conformance` feature). Each property takes a [`Subject`]: a fake, the client's virtual
//! time, and "upload one asset" through the vendor's own client. assetkit runs every
//! property for every vendor (`tests/conformance.rs`); a client of your own over one of
//! these fakes can run them too.
//!
//! The subject's client must use the subject's [`VirtualTime`] and a random source that
//! always answers 1.0 (`FixedRandom(1.0)`), so backoff waits are their ceilings, exactly.

// These are assertions: a property that does not hold stops the test loudly.
#![allow(clippy::expect_used)]

use std::time::Duration;

use assetkit_core::Error;
use assetkit_core::time::VirtualTime;

use crate::{FakeServer, Fault};

/// A vendor under test: its fake, its client's time, and uploads through its client.
#[allow(async_fn_in_trait)] // used by generic test code, never across threads
pub trait Subject {
    /// The fake the client talks to.
    fn server(&self) -> &FakeServer;
    /// The client's virtual time.
    fn time(&self) -> &VirtualTime;
    /// Uploads (or creates) one asset named `name` and returns its id.
    async fn upload(&self, name: &str) -> Result<String, Error>;
    /// The same, with a credential the fake refuses.
    async fn upload_with_a_bad_credential(&self) -> Result<String, Error>;
    /// Gets the asset `id`; `None` when the vendor has no such endpoint.
    async fn get(&self, id: &str) -> Option<Result<(), Error>>;
    /// An id the fake does not know, in the vendor's form.
    fn missing_id(&self) -> String {
        "does-not-exist".to_owned()
    }
    /// The waits an upload makes after its requests succeed (polling for processing).
    fn processing_waits(&self) -> Vec<Duration> {
        Vec::new()
    }
}

/// The sleeps recorded since `before`.
fn sleeps_since(subject: &impl Subject, before: usize) -> Vec<Duration> {
    subject.time().sleeps().get(before..).unwrap_or_default().to_vec()
}

/// An upload succeeds and names what it created. (The first upload also signs in, so the
/// properties below that inject faults start with one, and the fault hits the upload.)
pub async fn uploads(subject: &impl Subject) {
    let id = subject
        .upload("first.png")
        .await
        .unwrap_or_else(|e| panic!("upload: {}", e.report()));
    assert!(!id.is_empty(), "an upload names what it created");
}

/// Two 503s carrying `Retry-After: 0` (the service saying it is unavailable), then
/// success: retried after exactly the backoff ceilings, 1 s then 2 s.
pub async fn retries_503_exactly(subject: &impl Subject) {
    uploads(subject).await;
    let before = subject.time().sleeps().len();
    subject
        .server()
        .inject(Fault::unavailable(Duration::ZERO).times(2));
    subject
        .upload("after-503.png")
        .await
        .unwrap_or_else(|e| panic!("after two 503s: {}", e.report()));
    let expected = [
        [1, 2].map(Duration::from_secs).to_vec(),
        subject.processing_waits(),
    ]
    .concat();
    assert_eq!(
        sleeps_since(subject, before),
        expected,
        "two 503s, then exact backoff"
    );
}

/// A bare 503 after the request was read may follow work already done: a create is not
/// sent again, and the caller gets the 503 after one attempt.
pub async fn a_bare_503_on_a_create_is_not_retried(subject: &impl Subject) {
    uploads(subject).await;
    let before = subject.time().sleeps().len();
    subject.server().inject(Fault::status(503));
    let err = subject
        .upload("bare-503.png")
        .await
        .expect_err("a bare 503 fails the create");
    assert!(matches!(err, Error::Server(_)), "a bare 503 on a create: {err:?}");
    assert_eq!(err.request().map(|r| r.attempts), Some(1), "{err}");
    assert!(sleeps_since(subject, before).is_empty(), "no retry wait");
}

/// A 429 with `Retry-After: 9` is waited out: 9 s plus up to a second of jitter (the
/// fixed random source gives all of it).
pub async fn honours_retry_after(subject: &impl Subject) {
    uploads(subject).await;
    let before = subject.time().sleeps().len();
    subject
        .server()
        .inject(Fault::rate_limited(Duration::from_secs(9)));
    subject
        .upload("after-429.png")
        .await
        .unwrap_or_else(|e| panic!("after a 429: {}", e.report()));
    let expected = [vec![Duration::from_secs(10)], subject.processing_waits()].concat();
    assert_eq!(sleeps_since(subject, before), expected, "Retry-After honoured");
}

/// A success status whose body is not JSON is a `Decode` error.
pub async fn malformed_is_decode(subject: &impl Subject) {
    uploads(subject).await;
    subject.server().inject(Fault::malformed_json());
    let err = subject
        .upload("malformed.png")
        .await
        .expect_err("a malformed answer fails");
    let decode = match &err {
        Error::PartialFailure { source, .. } => &**source,
        other => other,
    };
    assert!(
        matches!(decode, Error::Decode { .. }),
        "a malformed answer is a Decode error: {err:?}"
    );
}

/// A refused credential is `Unauthorized` (or `Rejected`, for a sign-in envelope).
pub async fn bad_credential(subject: &impl Subject) {
    let err = subject
        .upload_with_a_bad_credential()
        .await
        .expect_err("a refused credential fails");
    assert!(
        matches!(
            err,
            Error::Unauthorized(_) | Error::Rejected(_) | Error::Forbidden(_)
        ),
        "a refused credential is Unauthorized, Forbidden or Rejected: {err:?}"
    );
}

/// Getting an asset that does not exist is `NotFound` (Unicat answers 422 with "asset
/// doesn't exist": `Unprocessable`). Vendors with no get endpoint pass trivially.
pub async fn get_missing_is_not_found(subject: &impl Subject) {
    let Some(outcome) = subject.get(&subject.missing_id()).await else {
        return;
    };
    let err = outcome.expect_err("a missing asset fails");
    assert!(
        matches!(err, Error::NotFound(_) | Error::Unprocessable(_)),
        "a missing asset: {err:?}"
    );
    assert!(err.is_not_found(), "is_not_found() for every vendor: {err:?}");
    assert!(!err.is_retryable());
}
