//! S3 browser-form (POST object) uploads: signing a SigV4 POST policy, and checking one.
//!
//! Webflow's upload step 1 answers with such a signed form; the fake Webflow signs its
//! forms with [`PostPolicy`], either for its own S3 endpoint or for a real S3-compatible
//! server such as `s3s-fs`.

use std::time::SystemTime;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use time::OffsetDateTime;
use time::macros::format_description;

type HmacSha256 = Hmac<Sha256>;

/// Where signed forms are posted, and the keys they are signed with.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct S3Target {
    /// The endpoint root, `http://127.0.0.1:<port>`.
    pub endpoint: String,
    /// The bucket.
    pub bucket: String,
    /// The access key id.
    pub access_key: String,
    /// The secret key.
    pub secret_key: String,
    /// The region named in the credential scope.
    pub region: String,
}

impl S3Target {
    /// A target at `endpoint` for `bucket`, signed with the given keys in `us-east-1`.
    pub fn new(
        endpoint: impl Into<String>,
        bucket: impl Into<String>,
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        Self {
            endpoint: endpoint.into(),
            bucket: bucket.into(),
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            region: "us-east-1".into(),
        }
    }

    /// The URL the form is posted to (path-style: `<endpoint>/<bucket>`).
    pub fn upload_url(&self) -> String {
        format!("{}/{}", self.endpoint.trim_end_matches('/'), self.bucket)
    }
}

/// A POST policy to sign: which key, which content type, how large, how long.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PostPolicy {
    /// The object key.
    pub key: String,
    /// The content type the upload declares (the policy requires its `type/` prefix).
    pub content_type: String,
    /// The largest accepted upload, in bytes.
    pub max_size: u64,
    /// Seconds from `now` until the policy expires (negative: already expired).
    pub expires_in: i64,
    /// The status S3 answers a success with (`201` with an XML body, or `204`).
    pub success_action_status: String,
    /// The `Cache-Control` the upload must carry.
    pub cache_control: String,
    /// The time the form is signed at.
    pub now: SystemTime,
}

impl PostPolicy {
    /// A policy for `key` of `content_type`, up to `max_size` bytes, valid for an hour.
    pub fn new(key: impl Into<String>, content_type: impl Into<String>, max_size: u64) -> Self {
        Self {
            key: key.into(),
            content_type: content_type.into(),
            max_size,
            expires_in: 3600,
            success_action_status: "201".into(),
            cache_control: "max-age=31536000, must-revalidate".into(),
            now: SystemTime::now(),
        }
    }

    /// Signs the policy for `target` and returns the form fields, in the order Webflow
    /// sends them (`acl`, `bucket`, `X-Amz-*`, `key`, `Policy`, `X-Amz-Signature`,
    /// `success_action_status`, `content-type`, `Cache-Control`). Every field is covered by
    /// a condition, as S3 (and s3s) require.
    pub fn sign(&self, target: &S3Target) -> Vec<(String, String)> {
        let now = OffsetDateTime::from(self.now);
        let stamp = now
            .format(format_description!("[year][month][day]T[hour][minute][second]Z"))
            .unwrap_or_default();
        let day = stamp.get(..8).unwrap_or_default().to_owned();
        let expiration = (now + time::Duration::seconds(self.expires_in))
            .format(format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].000Z"
            ))
            .unwrap_or_default();
        let credential = format!("{}/{day}/{}/s3/aws4_request", target.access_key, target.region);
        let type_prefix = match self.content_type.split_once('/') {
            Some((kind, _)) => format!("{kind}/"),
            None => self.content_type.clone(),
        };
        let policy = json!({
            "expiration": expiration,
            "conditions": [
                {"acl": "public-read"},
                {"bucket": target.bucket},
                ["eq", "$key", self.key],
                ["content-length-range", 0, self.max_size],
                {"success_action_status": self.success_action_status},
                ["starts-with", "$Content-Type", type_prefix],
                {"Cache-Control": self.cache_control},
                {"x-amz-algorithm": "AWS4-HMAC-SHA256"},
                {"x-amz-credential": credential},
                {"x-amz-date": stamp},
            ]
        });
        let encoded = base64::engine::general_purpose::STANDARD.encode(policy.to_string());
        let signature = sign(&target.secret_key, &day, &target.region, &encoded);
        vec![
            ("acl".into(), "public-read".into()),
            ("bucket".into(), target.bucket.clone()),
            ("X-Amz-Algorithm".into(), "AWS4-HMAC-SHA256".into()),
            ("X-Amz-Credential".into(), credential),
            ("X-Amz-Date".into(), stamp),
            ("key".into(), self.key.clone()),
            ("Policy".into(), encoded),
            ("X-Amz-Signature".into(), signature),
            ("success_action_status".into(), self.success_action_status.clone()),
            ("content-type".into(), self.content_type.clone()),
            ("Cache-Control".into(), self.cache_control.clone()),
        ]
    }
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length; this cannot fail.
    let mut mac = HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key"));
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The SigV4 signature of a base64 POST policy.
pub(crate) fn sign(secret: &str, day: &str, region: &str, policy: &str) -> String {
    let key = hmac(format!("AWS4{secret}").as_bytes(), day.as_bytes());
    let key = hmac(&key, region.as_bytes());
    let key = hmac(&key, b"s3");
    let key = hmac(&key, b"aws4_request");
    hex::encode(hmac(&key, policy.as_bytes()))
}

/// Why a form upload was refused, as S3 says it: `(status, code, message)`.
pub(crate) type S3Refusal = (u16, &'static str, String);

/// Checks a posted form against the policy it carries, as S3 does.
pub(crate) fn verify_form(
    fields: &[(String, String)],
    file_len: u64,
    secret: &str,
    now: SystemTime,
) -> Result<(), S3Refusal> {
    let field = |name: &str| field_of(fields, name);
    let missing = |name: &str| {
        (
            400,
            "InvalidArgument",
            format!("Bucket POST must contain a field named '{name}'."),
        )
    };
    let policy_b64 = field("Policy").ok_or_else(|| missing("Policy"))?;
    let credential = field("X-Amz-Credential").ok_or_else(|| missing("X-Amz-Credential"))?;
    let signature = field("X-Amz-Signature").ok_or_else(|| missing("X-Amz-Signature"))?;
    let mut scope = credential.split('/');
    let (_, day, region) = (
        scope.next(),
        scope.next().unwrap_or_default(),
        scope.next().unwrap_or_default(),
    );
    if sign(secret, day, region, policy_b64) != signature {
        return Err((
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.".into(),
        ));
    }
    let policy: Value = base64::engine::general_purpose::STANDARD
        .decode(policy_b64)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or((
            400,
            "InvalidPolicyDocument",
            "Invalid Policy: Invalid JSON.".to_owned(),
        ))?;
    let expiration = policy
        .get("expiration")
        .and_then(Value::as_str)
        .and_then(|e| OffsetDateTime::parse(e, &time::format_description::well_known::Rfc3339).ok())
        .ok_or((
            400,
            "InvalidPolicyDocument",
            "Invalid Policy: Invalid 'expiration' value.".to_owned(),
        ))?;
    if OffsetDateTime::from(now) > expiration {
        return Err((
            403,
            "AccessDenied",
            "Invalid according to Policy: Policy expired.".into(),
        ));
    }
    for condition in policy
        .get("conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        check_condition(condition, fields, file_len)?;
    }
    Ok(())
}

/// The value of the form field `name` (field names are case-insensitive).
fn field_of<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Checks one policy condition against the form fields and the file's length.
fn check_condition(condition: &Value, fields: &[(String, String)], file_len: u64) -> Result<(), S3Refusal> {
    let field = |name: &str| field_of(fields, name);
    if let Some(map) = condition.as_object() {
        for (name, expected) in map {
            if field(name) != expected.as_str() {
                return Err((
                    403,
                    "AccessDenied",
                    format!(
                        "Invalid according to Policy: Policy Condition failed: [\"eq\", \"${name}\", {expected}]"
                    ),
                ));
            }
        }
    } else if let Some([kind, name, expected]) = condition.as_array().map(Vec::as_slice)
        && (kind == "eq" || kind == "starts-with")
    {
        let name = name.as_str().unwrap_or_default().trim_start_matches('$');
        let expected = expected.as_str().unwrap_or_default();
        let value = field(name).unwrap_or_default();
        let holds = if kind == "eq" {
            value == expected
        } else {
            value.starts_with(expected)
        };
        if !holds {
            return Err((
                403,
                "AccessDenied",
                format!(
                    "Invalid according to Policy: Policy Condition failed: [{kind}, \"${name}\", \"{expected}\"]"
                ),
            ));
        }
    } else if let Some([kind, min, max]) = condition.as_array().map(Vec::as_slice)
        && kind == "content-length-range"
    {
        let (min, max) = (min.as_u64().unwrap_or(0), max.as_u64().unwrap_or(u64::MAX));
        if file_len > max {
            return Err((
                400,
                "EntityTooLarge",
                "Your proposed upload exceeds the maximum allowed size".into(),
            ));
        }
        if file_len < min {
            return Err((
                400,
                "EntityTooSmall",
                "Your proposed upload is smaller than the minimum allowed size".into(),
            ));
        }
    }
    Ok(())
}

/// S3's XML error document.
pub(crate) fn error_xml(code: &str, message: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>fake-s3</RequestId></Error>"
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn signed(max: u64) -> (S3Target, Vec<(String, String)>) {
        let target = S3Target::new("http://127.0.0.1:1", "bucket", "AK", "SK");
        let fields = PostPolicy::new("site/a.png", "image/png", max).sign(&target);
        (target, fields)
    }

    #[test]
    fn a_signed_form_verifies() {
        let (_, fields) = signed(100);
        assert_eq!(verify_form(&fields, 100, "SK", SystemTime::now()), Ok(()));
        let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names[..3], ["acl", "bucket", "X-Amz-Algorithm"]);
    }

    #[test]
    fn size_signature_fields_and_expiry_are_enforced() {
        let (_, fields) = signed(100);
        assert_eq!(
            verify_form(&fields, 101, "SK", SystemTime::now()).unwrap_err().1,
            "EntityTooLarge"
        );
        assert_eq!(
            verify_form(&fields, 1, "other", SystemTime::now()).unwrap_err().1,
            "SignatureDoesNotMatch"
        );
        let mut tampered = fields.clone();
        tampered.iter_mut().find(|(k, _)| k == "key").unwrap().1 = "site/evil.png".into();
        assert_eq!(
            verify_form(&tampered, 1, "SK", SystemTime::now()).unwrap_err().1,
            "AccessDenied"
        );
        let later = SystemTime::now() + Duration::from_secs(7200);
        assert_eq!(
            verify_form(&fields, 1, "SK", later).unwrap_err().1,
            "AccessDenied"
        );
    }

    #[test]
    fn signature_matches_the_aws_documented_key_derivation() {
        // The signing-key example of the AWS SigV4 documentation ("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        // 20120215, us-east-1, iam): kSigning = f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d.
        let k = hmac(b"AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", b"20120215");
        let k = hmac(&k, b"us-east-1");
        let k = hmac(&k, b"iam");
        let k = hmac(&k, b"aws4_request");
        assert_eq!(
            hex::encode(k),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
    }
}
