//! The ground every assetkit vendor client stands on: one HTTP transport with retries and
//! rate-limit handling, replayable request bodies with upload progress, injectable time,
//! and the one [`Error`] type every crate returns.
//!
//! Most users reach these types through the `assetkit` facade crate.

// Library code never unwraps what the network or the user hands it; tests may.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub mod auth;
pub mod body;
pub mod client;
pub mod download;
pub mod error;
pub mod pace;
pub mod progress;
pub mod ratelimit;
pub mod retry;
pub mod time;
pub mod tls;
pub mod vendor;
mod watch;

pub use auth::{Authenticator, Authorization};
pub use body::{Body, Fingerprint, FormPart, MultipartForm, OneShot, UploadSource};
pub use client::{Client, ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES, Request, Response, USER_AGENT};
pub use download::Download;
pub use error::{ApiError, Created, Error, RequestSummary, Result, TimeoutKind, redact_url};
pub use pace::{Budget, RateBucket};
pub use progress::{Progress, ProgressReporter};
pub use ratelimit::RateLimit;
pub use retry::{RetryBudget, RetryPolicy};
pub use tls::Tls;
pub use vendor::{Profile, Vendor};

/// Re-exported so that users name HTTP types without depending on reqwest themselves.
pub use reqwest::{Method, header};
pub use url::Url;
