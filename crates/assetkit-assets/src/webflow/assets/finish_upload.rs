//! Upload Asset, step 2: `POST {uploadUrl}` (the S3 form of a step-1 answer).

use assetkit_core::{
    Created, Error, Fingerprint, FormPart, Method, MultipartForm, ProgressReporter, Request, Response,
    Result, UploadSource, Url,
};

use crate::webflow::{CreatedAsset, StoredObject, UploadedAsset, WebflowClient};
use crate::{CallOptions, RequestOptions};

/// Upload Asset, step 2: `POST {uploadUrl}`.
///
/// The S3 browser-form upload of a step-1 answer. The form carries every `uploadDetails`
/// field under its exact key, in the order Webflow sent them, and the file last (S3
/// ignores fields after the file). The request has a known `Content-Length` and never an
/// `Authorization` header: the policy and signature in the form are the credential. S3 answers 201 with an XML `PostResponse` or 204 with
/// nothing, depending on `success_action_status`; both are success. The per-call options
/// apply to the S3 request (an extra header goes to S3).
///
/// See also: [Upload Asset](https://developers.webflow.com/data/reference/assets/assets/create)
/// in the Webflow Data API reference, and S3's
/// [POST Object](https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html).
///
/// # Errors
///
/// Every failure is [`Error::PartialFailure`] carrying the asset id, because the asset
/// exists at Webflow whatever happens here. Inside it:
///
/// - `InvalidRequest`, before sending: the file changed since its MD5 went to Webflow;
///   `Decode` for a step-1 answer without a usable `uploadUrl`.
/// - S3's refusals by status (`BadRequest`, `Forbidden`, ...), with S3's XML error
///   (`EntityTooLarge`, `AccessDenied`, `InvalidPolicyDocument`,
///   `SignatureDoesNotMatch`...) parsed into the [`ApiError`](assetkit_core::ApiError)
///   `code` and `message`. An expired policy cannot be fixed by trying again: ask Webflow
///   for a new one (step 1).
/// - `Decode` when S3's ETag is not the MD5 sent to Webflow.
///
/// S3 may refuse a file far over the policy's `content-length-range` before reading it
/// all and close the connection; the client then sees a broken connection (a
/// [`Error::Transport`] inside the `PartialFailure`) rather than S3's `EntityTooLarge`.
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::webflow::WebflowClient, created: assetkit::webflow::CreatedAsset) -> assetkit::Result<()> {
/// use assetkit::UploadSource;
///
/// // `created` is a step-1 answer kept from an earlier run.
/// let uploaded = client
///     .assets()
///     .finish_upload(created, UploadSource::path("file.png"))
///     .send()
///     .await?;
/// println!("stored with ETag {:?}", uploaded.stored.etag);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct FinishUpload {
    client: WebflowClient,
    created: CreatedAsset,
    source: UploadSource,
    file_name: Option<String>,
    file_hash: Option<String>,
    /// The size the file had when its MD5 went to Webflow: a file that changed since is
    /// refused. Known when assetkit ran step 1 ([`PendingUpload`](super::PendingUpload)).
    hashed_size: Option<u64>,
    /// The file's fingerprint when it was hashed: the content posted must be that one.
    hashed: Option<Fingerprint>,
    progress: Option<ProgressReporter>,
    options: CallOptions,
}

impl RequestOptions for FinishUpload {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl FinishUpload {
    pub(crate) fn new(client: WebflowClient, created: CreatedAsset, source: UploadSource) -> Self {
        Self {
            client,
            created,
            source,
            file_name: None,
            file_hash: None,
            hashed_size: None,
            hashed: None,
            progress: None,
            options: CallOptions::default(),
        }
    }

    /// Refuses to post the file unless it is still the content that was hashed.
    pub(crate) fn hashed_fingerprint(mut self, fingerprint: Option<Fingerprint>) -> Self {
        self.hashed = fingerprint;
        self
    }

    /// Refuses the upload when the file's size is no longer `size`, the size it had when
    /// hashed for step 1.
    pub(crate) fn hashed_size(mut self, size: u64) -> Self {
        self.hashed_size = Some(size);
        self
    }

    /// The step-1 answer this posts to.
    pub(crate) fn created(&self) -> &CreatedAsset {
        &self.created
    }

    /// The file name sent with the file part (default: the source's own name).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The MD5 sent in step 1, echoed in the result.
    pub fn file_hash(mut self, hash: impl Into<String>) -> Self {
        self.file_hash = Some(hash.into());
        self
    }

    /// Reports the bytes as they are sent.
    pub fn progress(mut self, reporter: ProgressReporter) -> Self {
        self.progress = Some(reporter);
        self
    }

    /// Posts the file. Every error names the asset created in step 1.
    pub async fn send(self) -> Result<UploadedAsset> {
        let (size, stored) = send_form(&self).await.map_err(|error| {
            error.after_created(Created::new(
                crate::webflow::VENDOR,
                "asset",
                self.created.id.clone(),
            ))
        })?;
        Ok(UploadedAsset {
            asset: self.created,
            file_hash: self.file_hash,
            size,
            stored,
        })
    }
}

/// Step 2 proper: the size posted and S3's answer.
async fn send_form(step: &FinishUpload) -> Result<(u64, StoredObject)> {
    let FinishUpload {
        client,
        created,
        source,
        file_name,
        file_hash,
        hashed_size,
        hashed,
        progress,
        options,
        ..
    } = step;
    let upload_url = created
        .upload_url
        .as_deref()
        .filter(|url| !url.trim().is_empty())
        .ok_or_else(|| Error::decode("Upload Asset answer", "it has no uploadUrl", b""))?;
    let url = Url::parse(upload_url)
        .map_err(|e| Error::decode("Upload Asset answer", format!("uploadUrl is not a URL: {e}"), b""))?;
    let size = source.len().await?;
    if let Some(hashed) = hashed_size.filter(|hashed| *hashed != size) {
        return Err(Error::invalid(format!(
            "the file changed since its MD5 was sent to Webflow ({hashed} bytes then, {size} now)"
        )));
    }

    let mut form = MultipartForm::new();
    for (key, value) in created.upload_details.iter() {
        // S3 takes the first part named `file` as the content: a detail of that name
        // would replace the file, so only the real file goes under it.
        if key.eq_ignore_ascii_case("file") {
            tracing::warn!("uploadDetails has a field named `file`; it is not sent");
            continue;
        }
        form = form.text(key, value);
    }
    let mut file = FormPart::file("file", source.clone()).unchanged_since(*hashed);
    if let Some(name) = file_name {
        file = file.file_name(name);
    }
    let content_type = created
        .upload_details
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| value)
        .or(created.content_type.as_deref())
        .filter(|value| is_plain_mime(value));
    if let Some(content_type) = content_type {
        file = file.content_type(content_type);
    }
    let form = form.part(file);

    // Posting the same bytes under the same key twice stores the same object, so the
    // upload may be retried even after a connection broke mid-body. Not when the file is
    // over the policy's size range, though: S3 then answers early and closes the
    // connection, and sending the whole file again would only be refused again.
    let within_policy = policy_max_size(&created.upload_details).is_none_or(|max| size <= max);
    let request = Request::to_url(Method::POST, url)
        .multipart(form)
        .idempotent(within_policy)
        .endpoint("webflow.upload_to_s3")
        .progress(progress.clone());
    let response = client.s3().execute(options.apply(request)).await?;
    let stored = stored_object(&response);
    // S3's ETag of a single-part object is the MD5 of what it stored: when it answers one,
    // it must be the hash Webflow was given.
    if let (Some(etag), Some(hash)) = (&stored.etag, file_hash)
        && etag.len() == 32
        && etag.bytes().all(|b| b.is_ascii_hexdigit())
        && !etag.eq_ignore_ascii_case(hash)
    {
        return Err(Error::decode(
            "S3's upload answer",
            format!("S3 stored content with MD5 {etag}, not the {hash} sent to Webflow"),
            b"",
        ));
    }
    Ok((size, stored))
}

/// The largest upload the signed policy allows (its `content-length-range`), when the
/// `Policy` field can be read; S3 stays the judge either way.
fn policy_max_size(details: &crate::webflow::UploadDetails) -> Option<u64> {
    use base64::Engine as _;
    let encoded = details
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("policy"))?
        .1;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let policy: serde_json::Value = serde_json::from_slice(&decoded).ok()?;
    policy
        .get("conditions")?
        .as_array()?
        .iter()
        .find_map(|condition| match condition.as_array()?.as_slice() {
            [kind, _, max] if kind.as_str()?.eq_ignore_ascii_case("content-length-range") => max.as_u64(),
            _ => None,
        })
}

/// Reads S3's success answer: the XML `PostResponse` of a 201, or just the `ETag` header.
fn stored_object(response: &Response) -> StoredObject {
    let body = String::from_utf8_lossy(response.body());
    let header_etag = response
        .headers()
        .get(assetkit_core::header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(unquote);
    StoredObject {
        status: response.status(),
        location: xml_tag(&body, "Location"),
        bucket: xml_tag(&body, "Bucket"),
        key: xml_tag(&body, "Key"),
        etag: xml_tag(&body, "ETag").map(|e| unquote(&e)).or(header_etag),
    }
}

fn xml_tag(text: &str, name: &str) -> Option<String> {
    crate::webflow::errors::xml_tag(text, name).map(|value| unescape(&value))
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn unquote(text: &str) -> String {
    text.trim().trim_matches('"').to_owned()
}

/// `type/subtype` made of token characters: what a multipart part header can carry as is.
fn is_plain_mime(value: &str) -> bool {
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    value
        .split_once('/')
        .is_some_and(|(kind, sub)| token(kind) && token(sub))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_post_response_xml() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><PostResponse><Location>http://h/b/k%2Fa.png</Location>\
                   <Bucket>b</Bucket><Key>k/a.png</Key><ETag>&quot;900150983cd24fb0d6963f7d28e17f72&quot;</ETag></PostResponse>";
        assert_eq!(xml_tag(xml, "Bucket").as_deref(), Some("b"));
        assert_eq!(xml_tag(xml, "Key").as_deref(), Some("k/a.png"));
        assert_eq!(
            xml_tag(xml, "ETag").map(|e| unquote(&e)).as_deref(),
            Some("900150983cd24fb0d6963f7d28e17f72")
        );
        assert_eq!(xml_tag("", "Key"), None);
    }

    #[test]
    fn plain_mime_only() {
        assert!(is_plain_mime("image/png"));
        assert!(is_plain_mime("application/vnd.ms-excel"));
        assert!(!is_plain_mime("image/"));
        assert!(!is_plain_mime("text/plain; charset=utf-8"));
        assert!(!is_plain_mime("nonsense"));
    }
}
