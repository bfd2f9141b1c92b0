//! How Enklu's answers are read: every answer is a `{success, error, body}` envelope, and
//! `success: false` is a failure whatever the HTTP status, with the message in `error`.

use assetkit_core::vendor::success_false;
use assetkit_core::{Profile, Vendor};

use super::VENDOR;

/// The answer-reading rules of Enklu's web API (both hosts).
#[derive(Debug, Clone, Copy, Default)]
pub struct EnkluProfile;

impl Profile for EnkluProfile {
    fn vendor(&self) -> Vendor {
        VENDOR
    }

    fn rejects(&self, body: &[u8]) -> bool {
        success_false(body)
    }
}

#[cfg(test)]
mod tests {
    use assetkit_core::ApiError;
    use assetkit_core::header::HeaderMap;

    use super::*;

    #[test]
    fn envelope_failures_are_rejections_with_the_message() {
        let body = br#"{"success":false,"error":"Invalid token.","body":null}"#;
        assert!(EnkluProfile.rejects(body));
        assert!(!EnkluProfile.rejects(br#"{"success":true,"body":{"id":"a"}}"#));
        let api = ApiError::from_response(
            &EnkluProfile,
            200,
            &HeaderMap::new(),
            body,
            assetkit_core::RateLimit::default(),
        );
        assert_eq!(api.message, "Invalid token.");
    }
}
