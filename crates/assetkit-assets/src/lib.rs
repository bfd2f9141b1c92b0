//! The vendor clients of assetkit, one module per vendor, one file per endpoint:
//! `src/<vendor>/<resource>/<verb>.rs`.
//!
//! Each vendor sits behind a cargo feature of the same name.

// Library code never unwraps what the network or the user hands it; tests may.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod settings;

pub use settings::Settings;

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
