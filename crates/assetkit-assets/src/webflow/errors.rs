//! How Webflow's answers are read (`{code, message, externalReference, details}`), and how
//! the S3 endpoint of its upload forms answers (`<Error><Code/><Message/></Error>`).

use assetkit_core::error::{header_text, json_text};
use assetkit_core::header::HeaderMap;
use assetkit_core::{ApiError, Budget, Profile, RateBucket, Vendor};

use super::{S3_VENDOR, VENDOR};

/// The answer-reading rules of the Webflow Data API.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebflowProfile;

impl Profile for WebflowProfile {
    fn vendor(&self) -> Vendor {
        VENDOR
    }

    /// One window per token for every endpoint: 60 requests a minute on the smallest
    /// plans (120 on CMS and Business, told by `X-RateLimit-Limit`). Webflow sends no
    /// reset header; the window's end is learned from a 429's `Retry-After`.
    fn rate_bucket(&self, _endpoint: &'static str) -> RateBucket {
        RateBucket::SHARED.with_budget(Budget::per_minute(60))
    }

    fn read_error(&self, error: &mut ApiError, headers: &HeaderMap, body: &[u8]) {
        if let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) {
            error.request_id = json_text(json.get("externalReference"));
        }
        error.read_common(headers, body);
    }
}

/// The answer-reading rules of S3, where Webflow's upload forms are posted.
#[derive(Debug, Clone, Copy, Default)]
pub struct S3Profile;

impl Profile for S3Profile {
    fn vendor(&self) -> Vendor {
        S3_VENDOR
    }

    fn read_error(&self, error: &mut ApiError, headers: &HeaderMap, body: &[u8]) {
        if let Ok(text) = std::str::from_utf8(body)
            && text.contains("<Error>")
        {
            error.code = xml_tag(text, "Code");
            error.message = xml_tag(text, "Message").unwrap_or_default();
            error.request_id = xml_tag(text, "RequestId");
        }
        if error.request_id.is_none() {
            error.request_id = header_text(headers, &["x-amz-request-id"]);
        }
        error.read_common(headers, body);
    }
}

/// The trimmed text of the first `<name>...</name>` in `text`.
pub(crate) fn xml_tag(text: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = text.find(&open)? + open.len();
    let rest = text.get(start..)?;
    let end = rest.find(&format!("</{name}>"))?;
    Some(rest.get(..end)?.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webflow_shape() {
        let body = r#"{"code":"validation_error","message":"Validation Error","externalReference":"ref-1","details":[{"param":"fileName","description":"too long"}]}"#;
        let api = ApiError::from_response(
            &WebflowProfile,
            400,
            &HeaderMap::new(),
            body.as_bytes(),
            assetkit_core::RateLimit::default(),
        );
        assert_eq!(api.code.as_deref(), Some("validation_error"));
        assert_eq!(api.message, "Validation Error");
        assert_eq!(api.request_id.as_deref(), Some("ref-1"));
        assert_eq!(api.details.len(), 1);
        assert_eq!(api.vendor, VENDOR);
    }

    #[test]
    fn s3_xml() {
        let body = "<?xml version=\"1.0\"?><Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size</Message><RequestId>R1</RequestId></Error>";
        let api = ApiError::from_response(
            &S3Profile,
            400,
            &HeaderMap::new(),
            body.as_bytes(),
            assetkit_core::RateLimit::default(),
        );
        assert_eq!(api.code.as_deref(), Some("EntityTooLarge"));
        assert!(api.message.starts_with("Your proposed upload"));
        assert_eq!(api.request_id.as_deref(), Some("R1"));
        assert_eq!(api.vendor, S3_VENDOR);
        // Odd tags never panic.
        for odd in ["<Error><Code>", "<Error></Code><Code>", "<Error><Message>x</Mess"] {
            let _ = ApiError::from_response(
                &S3Profile,
                400,
                &HeaderMap::new(),
                odd.as_bytes(),
                assetkit_core::RateLimit::default(),
            );
        }
    }
}
