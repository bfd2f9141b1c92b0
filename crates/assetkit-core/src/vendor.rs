//! Which service a client talks to, and how its answers are read.
//!
//! Core knows no vendor: each vendor module of `assetkit-assets` names itself with a
//! [`Vendor`] and hands the transport a [`Profile`] that reads its error bodies and says
//! whether a successful status can still carry a failure.

use std::fmt;

use reqwest::header::HeaderMap;

use crate::error::ApiError;
use crate::pace::RateBucket;

/// The name of a service, as used in logs, errors and [`Created`](crate::Created) records.
///
/// Each vendor module defines its own (`assetkit::roblox::VENDOR`, ...); [`Vendor::OTHER`]
/// stands for any other HTTP service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Vendor(&'static str);

impl Vendor {
    /// Any HTTP service without a profile of its own.
    pub const OTHER: Vendor = Vendor("http");

    /// A vendor called `name` (short, lowercase: "roblox").
    pub const fn new(name: &'static str) -> Self {
        Vendor(name)
    }

    /// The short lowercase name.
    pub const fn name(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// How a vendor's answers are read. The transport calls it for every answer; a vendor
/// module implements it where its error bodies or envelopes differ from the common shape.
pub trait Profile: Send + Sync + fmt::Debug {
    /// The vendor's name.
    fn vendor(&self) -> Vendor;

    /// Reads an error answer into `error` (which already holds the status, the raw body
    /// and the rate limit). The default reads the common shapes
    /// ([`ApiError::read_common`]): `{message, code, details}`, `{"error": "..."}`,
    /// `{"error": {message, code}}`, `{errors: [{message, code}]}`, and `x-request-id`.
    fn read_error(&self, error: &mut ApiError, headers: &HeaderMap, body: &[u8]) {
        error.read_common(headers, body);
    }

    /// Whether a 2xx answer is a failure all the same (a `success: false` envelope). Such
    /// an answer becomes [`Error::Rejected`](crate::Error::Rejected), never retried.
    fn rejects(&self, body: &[u8]) -> bool {
        let _ = body;
        false
    }

    /// The rate-limit window `endpoint` (a [`Request::endpoint`](crate::Request::endpoint)
    /// name) counts against, with the vendor's published budget. The default: one window
    /// for every endpoint, no published budget.
    fn rate_bucket(&self, endpoint: &'static str) -> RateBucket {
        let _ = endpoint;
        RateBucket::SHARED
    }
}

/// A bare [`Vendor`] reads answers the common way.
impl Profile for Vendor {
    fn vendor(&self) -> Vendor {
        *self
    }
}

/// Whether `body` is a JSON object saying `"success": false`: the envelope rule of the
/// vendors that wrap every answer in `{success, ...}`.
pub fn success_false(body: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Envelope {
        success: Option<bool>,
    }
    serde_json::from_slice::<Envelope>(body).is_ok_and(|e| e.success == Some(false))
}
