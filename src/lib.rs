//! # assetkit
//!
//! An async Rust SDK for asset-management web APIs: Roblox Open Cloud Assets, Webflow
//! Assets, Enklu Assets, Unicat assets and Media Pocket assets, through one transport,
//! one auth layer, one error type and one operation poller.
//!
//! Each vendor is a cargo feature of the same name (all on by default).

// Library code never unwraps what the network or the user hands it; tests may.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub use assetkit_assets::{CallOptions, ClientBuilder, RequestOptions, Settings, VendorConfig};
pub use assetkit_auth as auth;
pub use assetkit_core as core;
pub use assetkit_core::{
    ApiError, Created, Error, Progress, ProgressReporter, RateLimit, Result, RetryPolicy, UploadSource,
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
