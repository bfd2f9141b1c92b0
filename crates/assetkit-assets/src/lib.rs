//! The vendor clients of assetkit, one module per vendor, one file per endpoint:
//! `src/<vendor>/<resource>/<verb>.rs`.
//!
//! Each vendor sits behind a cargo feature of the same name.

// Library code never unwraps what the network or the user hands it; tests may.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]
#![deny(rustdoc::broken_intra_doc_links)]

mod builder;
mod decode;
#[cfg(any(
    feature = "mediapocket",
    feature = "roblox",
    feature = "unicat",
    feature = "webflow"
))]
mod download;
mod options;
mod paging;
mod settings;

pub use builder::{ClientBuilder, SingleCredential, VendorConfig};
pub use options::{CallOptions, RequestOptions};
pub use settings::Settings;

/// Refuses a blank value (an id, a file name) before anything is sent: an empty id in a
/// path would address another endpoint.
#[cfg_attr(
    not(any(
        feature = "mediapocket",
        feature = "roblox",
        feature = "unicat",
        feature = "webflow"
    )),
    allow(dead_code)
)]
pub(crate) fn require_non_blank(what: &str, value: &str) -> assetkit_core::Result<()> {
    if value.trim().is_empty() {
        return Err(assetkit_core::Error::invalid(format!("{what} is empty")));
    }
    Ok(())
}

#[cfg(feature = "enklu")]
pub mod enklu;
#[cfg(feature = "mediapocket")]
pub mod mediapocket;
#[cfg(feature = "roblox")]
pub mod roblox;
#[cfg(feature = "unicat")]
pub mod unicat;
#[cfg(feature = "webflow")]
pub mod webflow;
