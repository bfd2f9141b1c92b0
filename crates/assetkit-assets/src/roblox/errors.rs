//! How Roblox's answers are read: `{code, message, details}` error bodies (and the older
//! `{errors: [{code, message}]}` and `{error: "CODE", message}` shapes), request ids in
//! `x-roblox-request-id`.

use assetkit_core::header::HeaderMap;
use assetkit_core::{ApiError, Budget, Profile, RateBucket, Vendor};

use super::VENDOR;

/// The answer-reading rules of Roblox Open Cloud.
#[derive(Debug, Clone, Copy, Default)]
pub struct RobloxProfile;

impl Profile for RobloxProfile {
    fn vendor(&self) -> Vendor {
        VENDOR
    }

    /// Each endpoint has its own window (the spec's `x-roblox-rate-limits`, per API key
    /// owner): create, get and update 120 a minute; archive, restore, versions and
    /// rollback 100; Get Operation 100.
    fn rate_bucket(&self, endpoint: &'static str) -> RateBucket {
        let budget = match endpoint {
            "roblox.create_asset" | "roblox.get_asset" | "roblox.update_asset" => Budget::per_minute(120),
            _ => Budget::per_minute(100),
        };
        RateBucket::new(endpoint).with_budget(budget)
    }

    fn read_error(&self, error: &mut ApiError, headers: &HeaderMap, body: &[u8]) {
        error.read_common(headers, body);
        if let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) {
            // The legacy shape is {"error": "CODE", "message": "..."}.
            if error.code.is_none() && json.get("message").is_some() {
                error.code = assetkit_core::error::json_text(json.get("error"));
            }
        }
        if error.request_id.is_none() {
            error.request_id = assetkit_core::error::header_text(headers, &["x-roblox-request-id"]);
        }
        // The usage guide's moderation refusals: "AssetName is moderated.",
        // "AssetDescription is moderated.", and "InvalidImage" for a refused image.
        error.moderated = error.status == 400
            && (error.message.contains(" is moderated")
                || error.message.contains("InvalidImage")
                || error.code.as_deref() == Some("InvalidImage"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> ApiError {
        ApiError::from_response(
            &RobloxProfile,
            400,
            &HeaderMap::new(),
            body.as_bytes(),
            assetkit_core::RateLimit::default(),
        )
    }

    #[test]
    fn current_and_legacy_shapes() {
        let current =
            read(r#"{"code":"INVALID_ARGUMENT","message":"Display name is required.","details":[{"a":1}]}"#);
        assert_eq!(current.code.as_deref(), Some("INVALID_ARGUMENT"));
        assert_eq!(current.message, "Display name is required.");
        assert_eq!(current.details.len(), 1);
        let list = read(r#"{"errors":[{"code":0,"message":"Asset is not available"}]}"#);
        assert_eq!(
            (list.code.as_deref(), list.message.as_str()),
            (Some("0"), "Asset is not available")
        );
        let legacy = read(r#"{"error":"NOT_FOUND","message":"Asset not found."}"#);
        assert_eq!(
            (legacy.code.as_deref(), legacy.message.as_str()),
            (Some("NOT_FOUND"), "Asset not found.")
        );
        assert_eq!(legacy.vendor, VENDOR);
        assert!(!legacy.moderated);
    }

    #[test]
    fn moderation_refusals_are_told_apart() {
        for body in [
            r#"{"code":"INVALID_ARGUMENT","message":"AssetName is moderated."}"#,
            r#"{"code":"INVALID_ARGUMENT","message":"AssetDescription is moderated."}"#,
            r#"{"code":"INVALID_ARGUMENT","message":"InvalidImage"}"#,
        ] {
            assert!(read(body).moderated, "{body}");
        }
        assert!(!read(r#"{"code":"INVALID_ARGUMENT","message":"Display name is required."}"#).moderated);
    }
}
