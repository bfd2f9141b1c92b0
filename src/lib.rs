//! # assetkit
//!
//! An async Rust SDK for asset-management web APIs: Roblox Open Cloud Assets, Webflow
//! Assets, Enklu Assets, Unicat assets and Media Pocket assets, through one transport,
//! one auth layer, one error type and one operation poller.
//!
//! ## Quickstart
//!
//! ```no_run
//! use assetkit::prelude::*;
//! use assetkit::roblox::{AssetType, Creator, RobloxClient};
//!
//! # async fn run() -> assetkit::Result<()> {
//! let client = RobloxClient::builder().api_key("my-open-cloud-key").build()?;
//! let asset = client
//!     .assets()
//!     .create(AssetType::Decal, "Logo", UploadSource::path("logo.png"), Creator::User(1_234_567))
//!     .send() // checked before any byte goes out, then streamed from the file
//!     .await?
//!     .wait() // polls the operation with backoff
//!     .await?;
//! println!("uploaded {}", asset.id()?);
//!
//! // Listings are streams of items (or of pages).
//! let versions: Vec<_> = client.assets().versions(asset.id()?).into_stream().try_collect().await?;
//! # Ok(()) }
//! ```
//!
//! Every vendor client is built the same way (`XClient::builder()`, the vendor's
//! credential, then `.build()`), every request is a builder ended by `.send().await`, and
//! every failure is one [`Error`], matched once across vendors
//! ([`Error::is_not_found`], [`Error::is_retryable`], [`Error::created`] for what exists
//! after a later step failed).
//!
//! ## Modules
//!
//! - [`roblox`], [`webflow`], [`enklu`], [`unicat`], [`mediapocket`]: one per vendor.
//! - [`sync`]: keep a folder in step with a vendor through a committed manifest.
//! - [`journal`]: the crash-safe record that lets a batch resume.
//! - [`core`], [`auth`], [`operations`]: the transport, credentials and poller beneath.
//! - [`prelude`]: what examples need in scope, `TryStreamExt` included.
//!
//! ## Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `roblox`, `webflow`, `enklu`, `unicat`, `mediapocket` | on | each vendor's module |
//! | `rustls` | on | TLS by rustls, trusting the platform's roots |
//! | `native-tls` | off | TLS by the platform's library (OpenSSL, Security.framework, SChannel); with both on, pick it with `.tls(Tls::Native)` |
//! | `preflight` | on | Roblox uploads checked from the file's header before sending (image size, audio and video length, format magic) |
//! | `openssl-md5` | off | Webflow's MD5 pass by OpenSSL's assembly, at `md5sum`'s speed (the default md-5 is about 0.89x of it) |
//! | `test-util` | off | [`core::time::VirtualTime`] and `FixedRandom`, for tests that never wait |
//!
//! [`core::tls`] says which roots each backend trusts and how to add a corporate CA
//! (`.add_root_certificate_pem(pem)` on any client builder).
//!
//! ## Testing your code
//!
//! The `assetkit-testkit` crate has a stateful fake of every vendor on loopback, with
//! fault injection and request recording; with `test-util`'s virtual time, a test of
//! retries and polling finishes at once. The README's testkit section has a whole test.

// Library code never unwraps what the network or the user hands it; tests may.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub use assetkit_assets::{CallOptions, ClientBuilder, RequestOptions, Settings, VendorConfig};
pub use assetkit_auth as auth;
pub use assetkit_core as core;
pub use assetkit_core::{
    ApiError, Created, Error, Progress, ProgressReporter, RateLimit, Result, RetryPolicy, Tls, UploadSource,
    Vendor,
};
pub mod journal;
pub mod sync;
pub use assetkit_operations as operations;
pub use assetkit_operations::{PollPolicy, PollState, Poller};

#[cfg(feature = "enklu")]
pub use assetkit_assets::enklu;
#[cfg(feature = "mediapocket")]
pub use assetkit_assets::mediapocket;
#[cfg(feature = "roblox")]
pub use assetkit_assets::roblox;
#[cfg(feature = "unicat")]
pub use assetkit_assets::unicat;
#[cfg(feature = "webflow")]
pub use assetkit_assets::webflow;

/// What most programs need in scope: `use assetkit::prelude::*;`.
pub mod prelude {
    pub use crate::{Error, RequestOptions, Result, UploadSource};
    /// Stream combinators for the `into_stream()` of listing endpoints.
    pub use futures::{StreamExt, TryStreamExt};
}

/// The README's code blocks, compiled as doctests so they stay true.
#[cfg(all(doctest, feature = "roblox"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
