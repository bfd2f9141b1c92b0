//! How Unicat's answers are read: every answer is a `{success, result, data}` envelope;
//! failures carry `result: {code, message, info}`, and `success: false` is a failure
//! whatever the HTTP status.

use assetkit_core::error::{detail_list, json_text};
use assetkit_core::header::HeaderMap;
use assetkit_core::vendor::success_false;
use assetkit_core::{ApiError, Profile, Vendor};

use super::VENDOR;

/// The answer-reading rules of the Unicat project API.
#[derive(Debug, Clone, Copy, Default)]
pub struct UnicatProfile;

impl Profile for UnicatProfile {
    fn vendor(&self) -> Vendor {
        VENDOR
    }

    fn read_error(&self, error: &mut ApiError, headers: &HeaderMap, body: &[u8]) {
        if let Ok(json) = serde_json::from_slice::<serde_json::Value>(body)
            && let Some(result) = json.get("result").filter(|r| r.is_object())
        {
            error.message = json_text(result.get("message")).unwrap_or_default();
            error.code = json_text(result.get("code"));
            error.details = detail_list(result.get("info"));
        }
        error.read_common(headers, body);
        // Unicat says "does not exist" with a 422.
        let message = error.message.to_ascii_lowercase();
        if error.status == 422
            && ["doesn't exist", "does not exist", "not found"]
                .iter()
                .any(|words| message.contains(words))
        {
            error.not_found = true;
        }
    }

    fn rejects(&self, body: &[u8]) -> bool {
        success_false(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(status: u16, body: &str) -> ApiError {
        ApiError::from_response(
            &UnicatProfile,
            status,
            &HeaderMap::new(),
            body.as_bytes(),
            assetkit_core::RateLimit::default(),
        )
    }

    #[test]
    fn envelope_details() {
        let api = read(
            400,
            r#"{"success":false,"result":{"code":1001,"message":"Validation error","info":{"field":"name"}},"data":{}}"#,
        );
        assert_eq!(
            (api.code.as_deref(), api.message.as_str()),
            (Some("1001"), "Validation error")
        );
        assert_eq!(api.details, vec![serde_json::json!({"field": "name"})]);
        let empty = read(
            422,
            r#"{"success":false,"result":{"code":1003,"message":"x","info":{}}}"#,
        );
        assert!(empty.details.is_empty());
        let not_found = read(
            422,
            r#"{"success":false,"result":{"error":422,"message":"Asset not found"},"data":{}}"#,
        );
        assert_eq!(not_found.message, "Asset not found");
        assert!(
            not_found.not_found,
            "Unicat's 422 for a missing asset is a not-found"
        );
        assert!(!empty.not_found);
        assert!(UnicatProfile.rejects(br#"{"success":false}"#));
    }
}
