//! Stateful in-process fake servers for every assetkit vendor, for tests (ours and yours).
//!
//! Each fake listens on a free loopback port, keeps state so whole flows work (create, then
//! get returns it; operations that finish after N polls; versions and rollback), records
//! every request, and takes injected faults: 429 with Retry-After, bursts of 503, slow
//! answers, malformed JSON.
//!
//! ```
//! use assetkit_testkit::{Fault, FakeMediaPocket};
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let fake = FakeMediaPocket::start().await;
//! fake.inject(Fault::status(503).times(2));
//! // Point a client at fake.base_url(), run the code under test, then:
//! assert!(fake.requests().await.is_empty());
//! # }
//! ```
//!
//! **Tests that never wait.** Retries after a fake's `Retry-After` and the operation
//! poller's backoff sleep on the client's clock: give the client virtual time,
//! `Settings::new().time(VirtualTime::new())` (`assetkit::core::time::VirtualTime`, with
//! the `test-util` feature of `assetkit`), and they pass at once. The README's testkit
//! section has a whole test. To start from state rather than requests, seed it
//! ([`FakeRoblox::seed_asset`]), or let operations finish at once
//! ([`FakeRoblox::set_polls_until_done`] with 0). Every fake's
//! [`base_url`](FakeServer::base_url) is what a client builder takes.

// Library code never unwraps what the network or the user hands it; tests may.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]
// Handlers answer early with a ready response; boxing each would only add noise.
#![allow(clippy::result_large_err)]

#[cfg(feature = "conformance")]
pub mod conformance;
mod enklu;
mod mediapocket;
mod multipart;
mod roblox;
pub mod s3;
mod s3s;
mod server;
mod unicat;
mod webflow;

pub use enklu::{ENKLU_APP, ENKLU_EMAIL, ENKLU_PASSWORD, FakeEnklu};
pub use mediapocket::{DEMO_PROJECT, FakeMediaPocket};
pub use multipart::{Part, parse_multipart};
pub use roblox::FakeRoblox;
pub use s3s::{S3S_ACCESS_KEY, S3S_BUCKET, S3S_SECRET_KEY, S3sFs};
pub use server::{FakeServer, Fault, RateStats, RateWindow, RecordedRequest};
pub use unicat::{FakeUnicat, UNICAT_API_KEY, UNICAT_PROJECT};
pub use webflow::FakeWebflow;
