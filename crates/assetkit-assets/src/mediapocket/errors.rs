//! How Media Pocket's answers are read: `{"error": "..."}` error bodies, with details in
//! `errorDetails` when there are any.

use assetkit_core::error::detail_list;
use assetkit_core::header::HeaderMap;
use assetkit_core::{ApiError, Profile, Vendor};

use super::VENDOR;

/// The answer-reading rules of the Media Pocket API.
#[derive(Debug, Clone, Copy, Default)]
pub struct MediaPocketProfile;

impl Profile for MediaPocketProfile {
    fn vendor(&self) -> Vendor {
        VENDOR
    }

    fn read_error(&self, error: &mut ApiError, headers: &HeaderMap, body: &[u8]) {
        error.read_common(headers, body);
        if error.details.is_empty()
            && let Ok(json) = serde_json::from_slice::<serde_json::Value>(body)
        {
            error.details = detail_list(json.get("errorDetails"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_string_and_details() {
        let body = r#"{"error":"project not found","errorDetails":{"project":"x"}}"#;
        let api = ApiError::from_response(
            &MediaPocketProfile,
            404,
            &HeaderMap::new(),
            body.as_bytes(),
            assetkit_core::RateLimit::default(),
        );
        assert_eq!(api.message, "project not found");
        assert_eq!(api.details.len(), 1);
        assert_eq!(api.vendor, VENDOR);
    }
}
