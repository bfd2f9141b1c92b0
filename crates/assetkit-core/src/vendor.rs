//! Which service a client talks to: decides how error bodies are read.

use std::fmt;

/// The services assetkit speaks to. The vendor decides how error bodies are parsed and
/// whether a `success: false` envelope under HTTP 200 is a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Vendor {
    /// Roblox Open Cloud Assets v1.
    Roblox,
    /// Webflow Data API v2.
    Webflow,
    /// Enklu Assets Web API (and its sign-in host).
    Enklu,
    /// Unicat project API.
    Unicat,
    /// Media Pocket API v2.
    MediaPocket,
    /// An S3-compatible storage endpoint (Webflow's presigned upload form).
    S3,
    /// Any other HTTP service.
    Other,
}

impl Vendor {
    /// A short lowercase name, as used in logs and error messages.
    pub fn name(self) -> &'static str {
        match self {
            Vendor::Roblox => "roblox",
            Vendor::Webflow => "webflow",
            Vendor::Enklu => "enklu",
            Vendor::Unicat => "unicat",
            Vendor::MediaPocket => "mediapocket",
            Vendor::S3 => "s3",
            Vendor::Other => "http",
        }
    }

    /// Whether this vendor wraps answers in `{"success": bool, ...}`, where `false` is a
    /// failure whatever the HTTP status.
    pub fn has_success_envelope(self) -> bool {
        matches!(self, Vendor::Enklu | Vendor::Unicat)
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
