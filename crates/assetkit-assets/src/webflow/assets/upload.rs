use assetkit_core::{Error, ProgressReporter, Result, UploadSource};

use crate::require_non_blank;
use crate::webflow::{CreatedAsset, UploadedAsset, WebflowClient, validate_file_name};
use crate::{CallOptions, RequestOptions};

use super::FinishUpload;

/// Uploads a file to a site's assets in one call: Webflow's two steps, done right.
///
/// 1. Checks the file name (non-empty, under 100 characters) before anything is sent.
/// 2. Computes the file's MD5 while streaming it from disk in 64 KiB chunks (the file is
///    never held in memory).
/// 3. Step 1: `POST /sites/{site_id}/assets` with `{fileName, fileHash, parentFolder?}`.
/// 4. Step 2: `POST {uploadUrl}` as a multipart form: every `uploadDetails` field under its
///    exact key in the order received, then the file last, with a known `Content-Length`,
///    byte-level progress, and no `Authorization` header.
///
/// When step 2 fails the asset already exists at Webflow: the error is
/// [`Error::PartialFailure`] carrying the asset id, with S3's answer inside (the S3 error
/// code, such as `EntityTooLarge` or `AccessDenied`, is in
/// [`ApiError::code`](assetkit_core::ApiError::code)). To be able to try step 2 again, use
/// [`start`](Self::start) and [`PendingUpload::finish`], or keep the step-1 answer and call
/// [`AssetsHandler::finish_upload`](crate::webflow::AssetsHandler::finish_upload).
///
/// ```no_run
/// # async fn run(client: assetkit::webflow::WebflowClient) -> assetkit::Result<()> {
/// use assetkit::core::{ProgressReporter, UploadSource};
///
/// let uploaded = client
///     .assets()
///     .upload("580e63e98c9a982ac9b8b741", UploadSource::path("hero.jpg"))
///     .parent_folder("6390c49774a71f99f21a08eb")
///     .progress(ProgressReporter::callback(|p| eprintln!("{}/{} bytes", p.sent, p.total)))
///     .send()
///     .await?;
/// println!("asset {} at {:?}", uploaded.id(), uploaded.hosted_url());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct UploadAsset {
    client: WebflowClient,
    site_id: String,
    source: UploadSource,
    file_name: Option<String>,
    parent_folder: Option<String>,
    progress: Option<ProgressReporter>,
    preflight: bool,
    options: CallOptions,
}

/// The per-call options apply to each request: step 1 and the S3 form post.
impl RequestOptions for UploadAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl UploadAsset {
    pub(crate) fn new(client: WebflowClient, site_id: String, source: UploadSource) -> Self {
        Self {
            client,
            site_id,
            source,
            file_name: None,
            parent_folder: None,
            progress: None,
            preflight: true,
            options: CallOptions::default(),
        }
    }

    /// Skips the checks made before step 1 ([`MAX_IMAGE_BYTES`], [`MAX_DOCUMENT_BYTES`]),
    /// for a plan with other limits or a server that is not Webflow. S3's policy still
    /// bounds the size.
    pub fn skip_preflight(mut self) -> Self {
        self.preflight = false;
        self
    }

    /// Puts the asset in this asset folder.
    pub fn parent_folder(mut self, folder_id: impl Into<String>) -> Self {
        self.parent_folder = Some(folder_id.into());
        self
    }

    /// The file name Webflow records (default: the source's own file name).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Reports the bytes of step 2 as they are sent.
    pub fn progress(mut self, reporter: ProgressReporter) -> Self {
        self.progress = Some(reporter);
        self
    }

    /// Checks the name, hashes the file and runs step 1. The returned [`PendingUpload`]
    /// runs step 2, as often as needed.
    pub async fn start(self) -> Result<PendingUpload> {
        require_non_blank("site_id", &self.site_id)?;
        let file_name = match self.file_name {
            Some(name) => name,
            None => self
                .source
                .file_name()
                .ok_or_else(|| Error::invalid("the upload source has no file name; set .file_name(..)"))?,
        };
        validate_file_name(&file_name)?;
        // Before step 1: an oversized file would leave an empty asset behind when S3
        // refuses it.
        if self.preflight {
            check_size(&file_name, self.source.len().await?)?;
        }
        // The content posted in step 2 must be the content hashed here: fingerprint the file
        // before and after hashing, and pin step 2 to it.
        let before = self.source.fingerprint().await?;
        let (size, file_hash) = file_md5(&self.source).await?;
        if let (Some(before), UploadSource::Path(path)) = (before, &self.source)
            && self.source.fingerprint().await? != Some(before)
        {
            return Err(Error::io(
                path,
                std::io::Error::other("the file changed while its MD5 was being computed; nothing was sent"),
            ));
        }
        let mut create = self
            .client
            .assets()
            .create(self.site_id, file_name.clone(), file_hash.clone());
        if let Some(folder) = self.parent_folder {
            create = create.parent_folder(folder);
        }
        *create.call_options() = self.options.clone();
        let created = create.send().await?;
        let mut step2 = self
            .client
            .assets()
            .finish_upload(created, self.source)
            .file_name(file_name)
            .file_hash(file_hash.clone())
            .hashed_size(size)
            .hashed_fingerprint(before);
        if let Some(progress) = self.progress {
            step2 = step2.progress(progress);
        }
        *step2.call_options() = self.options;
        Ok(PendingUpload {
            step2,
            file_hash,
            size,
        })
    }

    /// Runs both steps and answers the created asset.
    pub async fn send(self) -> Result<UploadedAsset> {
        self.start().await?.finish().await
    }
}

/// An upload whose step 1 is done: the asset exists at Webflow, the file is not stored yet.
#[derive(Debug, Clone)]
pub struct PendingUpload {
    step2: FinishUpload,
    file_hash: String,
    size: u64,
}

impl PendingUpload {
    /// Webflow's step-1 answer.
    pub fn created(&self) -> &CreatedAsset {
        self.step2.created()
    }

    /// The MD5 sent as `fileHash`, lowercase hex.
    pub fn file_hash(&self) -> &str {
        &self.file_hash
    }

    /// The size of the file when it was hashed.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Runs step 2: posts the file to the S3 form. May be called again after a failure;
    /// its errors are [`Error::PartialFailure`] carrying the asset id.
    pub async fn finish(&self) -> Result<UploadedAsset> {
        self.step2.clone().send().await
    }
}

/// The size and MD5 (lowercase hex, as Webflow's `fileHash` wants it) of an upload source,
/// read in 64 KiB chunks so the file never sits in memory.
///
/// ```no_run
/// # async fn run() -> assetkit::Result<()> {
/// let (size, md5) = assetkit::webflow::file_md5(&assetkit::UploadSource::path("a.png")).await?;
/// # Ok(()) }
/// ```
///
/// The digest is the md-5 crate's (portable Rust, the same on every target), or, with
/// the `openssl-md5` feature, OpenSSL's (its assembly core: about 10% faster on x86_64,
/// at `md5sum`'s speed; see docs/BENCHMARKS.md). Where OpenSSL refuses MD5 (a FIPS-only
/// configuration) the md-5 crate is used instead, so the feature never makes a hash fail.
pub async fn file_md5(source: &UploadSource) -> Result<(u64, String)> {
    use md5::{Digest, Md5};
    #[cfg(feature = "openssl-md5")]
    if let Some(found) = openssl_md5(source).await? {
        return Ok(found);
    }
    let (size, hasher) = source
        .read_chunks(Md5::new(), |hasher, chunk| hasher.update(chunk))
        .await?;
    Ok((size, hex(&hasher.finalize())))
}

/// MD5 by OpenSSL, or `None` when OpenSSL will not do MD5 here.
#[cfg(feature = "openssl-md5")]
async fn openssl_md5(source: &UploadSource) -> Result<Option<(u64, String)>> {
    use openssl::hash::{Hasher, MessageDigest};
    let Ok(hasher) = Hasher::new(MessageDigest::md5()) else {
        return Ok(None);
    };
    // An update can only fail inside OpenSSL (never for MD5 in practice); the first
    // failure is kept and the portable hash is used instead.
    let (size, (mut hasher, failed)) = source
        .read_chunks((hasher, false), |(hasher, failed), chunk| {
            if !*failed {
                *failed = hasher.update(chunk).is_err();
            }
        })
        .await?;
    if failed {
        return Ok(None);
    }
    Ok(hasher.finish().ok().map(|digest| (size, hex(&digest))))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// The largest image Webflow stores: 4 MB (Webflow's asset limits: "Images must not
/// exceed 4MB", as its Designer API reference states them; the Data API pages give none).
pub const MAX_IMAGE_BYTES: u64 = 4 * 1024 * 1024;
/// The largest other file (a document) Webflow stores: 10 MB.
pub const MAX_DOCUMENT_BYTES: u64 = 10 * 1024 * 1024;

/// The image extensions Webflow's asset manager takes.
const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "ico"];

/// Refuses a file over Webflow's size limit for its kind, before step 1.
fn check_size(file_name: &str, size: u64) -> Result<()> {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let (kind, limit) = if IMAGE_EXTENSIONS.contains(&extension.as_str()) {
        ("an image", MAX_IMAGE_BYTES)
    } else {
        ("a document", MAX_DOCUMENT_BYTES)
    };
    if size > limit {
        return Err(Error::invalid(format!(
            "{file_name} is {size} bytes; Webflow stores {kind} of at most {limit} bytes ({} MB); nothing was sent",
            limit / (1024 * 1024)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn md5_of_known_inputs() {
        let (size, hash) = file_md5(&UploadSource::bytes("e", Vec::new())).await.unwrap();
        assert_eq!((size, hash.as_str()), (0, "d41d8cd98f00b204e9800998ecf8427e"));
        // Spans several 64 KiB chunks.
        let data = vec![b'a'; 200_000];
        let (size, hash) = file_md5(&UploadSource::bytes("a", data)).await.unwrap();
        assert_eq!(size, 200_000);
        assert_eq!(hash.len(), 32);
        let (_, once) = file_md5(&UploadSource::bytes("abc", &b"abc"[..])).await.unwrap();
        assert_eq!(once, "900150983cd24fb0d6963f7d28e17f72");
    }
}
