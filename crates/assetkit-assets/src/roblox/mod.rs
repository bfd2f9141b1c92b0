//! Roblox Open Cloud Assets v1: upload and update assets, manage their versions, and wait
//! for the operations that uploads start.
//!
//! | endpoint | method + path | builder |
//! |---|---|---|
//! | Create Asset | `POST /v1/assets` (multipart) | [`CreateAsset`] |
//! | Update Asset | `PATCH /v1/assets/{assetId}?updateMask=...` (multipart) | [`UpdateAsset`] |
//! | Get Asset | `GET /v1/assets/{assetId}?readMask=...` | [`GetAsset`] |
//! | Archive Asset | `POST /v1/assets/{assetId}:archive` | [`ArchiveAsset`] |
//! | Restore Asset | `POST /v1/assets/{assetId}:restore` | [`RestoreAsset`] |
//! | List Asset Versions | `GET /v1/assets/{assetId}/versions` | [`ListAssetVersions`] |
//! | Get Asset Version | `GET /v1/assets/{assetId}/versions/{n}` | [`GetAssetVersion`] |
//! | Rollback Asset Version | `POST /v1/assets/{assetId}/versions:rollback` | [`RollbackAssetVersion`] |
//! | Get Operation | `GET /v1/operations/{operationId}` | [`GetOperation`] |
//!
//! Create and Update answer with an [`Operation`]; [`Operation::wait`] polls it until the
//! asset is ready.
//!
//! # Preflight
//!
//! Roblox counts a refused upload against the quota all the same (10 or 100 audio uploads
//! a month, 20 videos a day), so with the `preflight` feature (on by default) Create and
//! Update read the file's own header and refuse, as `InvalidRequest` and before any byte
//! is sent, what the usage guide's limits exclude:
//!
//! | type | format | checked |
//! |---|---|---|
//! | Decal, Image | `.png`, `.jpeg`/`.jpg`, `.bmp`, `.tga` | signature (`\x89PNG`, `FF D8 FF`, `BM`; a sane TGA header); width and height at most [`MAX_IMAGE_SIDE`] |
//! | Audio | `.mp3`, `.ogg`, `.flac`, `.wav` | signature; duration at most [`MAX_AUDIO_DURATION`] (7 minutes) |
//! | Video | `.mp4`, `.mov` | an `ftyp` box; duration at most [`MAX_VIDEO_DURATION`] (5 minutes); every video track at most [`MAX_VIDEO_WIDTH`]×[`MAX_VIDEO_HEIGHT`] |
//! | Model, Animation | `.fbx`, `.glb`, `.gltf`, `.rbxm`, `.rbxmx` | the first bytes: `Kaydara FBX Binary` or an ASCII FBX, `glTF`, JSON, `<roblox!`, `<roblox` |
//!
//! Only headers are read: a few KiB of an image, the container headers of audio and video
//! (their demuxers seek over the media and decode nothing), on a blocking thread for a
//! file on disk. Bytes in memory are checked the same way. An audio or video file these
//! parsers cannot read (a codec they do not know, a fragmented MP4 that states no length)
//! is refused too, with a message that says so; `skip_preflight()` on
//! [`CreateAsset::skip_preflight`] or [`UpdateAsset::skip_preflight`] sends it unchecked
//! (the extension and size checks still run).
//!
//! Where the guide differs from a plain "at most": images "must be smaller than 8000x8000
//! pixels", read literally as at most 7999 on each side. Video frame sizes are those
//! coded in the file, width first (a phone's portrait video is usually stored landscape
//! with a rotation, and passes).
//!
//! ```no_run
//! # async fn run() -> assetkit::Result<()> {
//! use assetkit::roblox::{AssetType, Creator, RobloxClient};
//! use assetkit::UploadSource;
//!
//! let client = RobloxClient::builder().api_key("my-key").build()?;
//! let asset = client
//!     .assets()
//!     .create(AssetType::Model, "Tree", UploadSource::path("tree.fbx"), Creator::User(1_234_567))
//!     .description("A tree")
//!     .send()
//!     .await?
//!     .wait()
//!     .await?;
//! println!("{:?}", asset.asset_id);
//! # Ok(()) }
//! ```

mod asset_versions;
mod assets;
mod errors;
mod models;
mod operations;
#[cfg(feature = "preflight")]
mod preflight;

use std::sync::Arc;

use assetkit_auth::{ApiKey, SecretString};
use assetkit_core::{Authenticator, Client, Error, RateLimit, Result, Url, Vendor};
use assetkit_operations::PollPolicy;

use crate::builder::{ClientBuilder, SingleCredential, VendorConfig, sealed};
use crate::settings::Settings;

/// Roblox, as named in errors and logs.
pub const VENDOR: Vendor = Vendor::new("roblox");

pub use errors::RobloxProfile;

pub use asset_versions::{GetAssetVersion, ListAssetVersions, RollbackAssetVersion};
pub use assets::{
    ArchiveAsset, AssetsHandler, CreateAsset, DownloadAsset, GetAsset, RestoreAsset, UpdateAsset,
};
pub use models::{
    Asset, AssetId, AssetPrivacy, AssetState, AssetType, AssetVersion, AssetVersionPage, CreationContext,
    Creator, Format, MAX_AUDIO_DURATION, MAX_DESCRIPTION_CHARS, MAX_IMAGE_SIDE, MAX_SOCIAL_LINKS,
    MAX_UPLOAD_BYTES, MAX_VIDEO_DURATION, MAX_VIDEO_HEIGHT, MAX_VIDEO_UPLOAD_BYTES, MAX_VIDEO_WIDTH,
    MESH_CONTENT_TYPE, ModerationResult, ModerationState, Preview, SocialLink, SocialLinkKind,
};
pub use operations::{GetOperation, OperationsHandler};
pub use operations::{Operation, OperationError};

/// A client for Roblox Open Cloud Assets v1.
///
/// Cloning is cheap; clones share the connection pool, credential and rate-limit state.
///
/// ```no_run
/// # fn run() -> assetkit::Result<()> {
/// use assetkit::roblox::RobloxClient;
/// let client = RobloxClient::builder().api_key("my-key").build()?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct RobloxClient {
    http: Client,
    poll_policy: PollPolicy,
}

impl RobloxClient {
    /// The production base URL; paths such as `v1/assets` are joined to it.
    pub const DEFAULT_BASE_URL: &str = "https://apis.roblox.com/assets";

    /// Starts configuring a client.
    pub fn builder() -> RobloxClientBuilder {
        RobloxClientBuilder::default()
    }

    /// Asset endpoints: create, update, get, archive, restore and versions.
    pub fn assets(&self) -> AssetsHandler {
        AssetsHandler::new(self.clone())
    }

    /// Operation endpoints: the status of uploads.
    pub fn operations(&self) -> OperationsHandler {
        OperationsHandler::new(self.clone())
    }

    /// The rate-limit headers (`x-ratelimit-*`) of the latest answer that carried any.
    pub fn rate_limit(&self) -> RateLimit {
        self.http.rate_limit()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        self.http.base_url()
    }

    pub(crate) fn http(&self) -> &Client {
        &self.http
    }

    pub(crate) fn poll_policy(&self) -> &PollPolicy {
        &self.poll_policy
    }
}

/// Configures a [`RobloxClient`]: a credential (required), and optionally the base URL
/// and the polling policy of operations, plus the transport setters every vendor shares
/// (see [`ClientBuilder`]).
pub type RobloxClientBuilder = ClientBuilder<RobloxConfig>;

/// What a Roblox client needs beyond the transport: set through [`RobloxClientBuilder`].
#[derive(Debug, Default)]
pub struct RobloxConfig {
    auth: Option<Arc<dyn Authenticator>>,
    base_url: Option<String>,
    poll_policy: Option<PollPolicy>,
}

impl sealed::Sealed for RobloxConfig {}

impl SingleCredential for RobloxConfig {
    fn set_credential(&mut self, credential: Arc<dyn Authenticator>) {
        self.auth = Some(credential);
    }
}

impl VendorConfig for RobloxConfig {
    type Client = RobloxClient;

    fn build_client(self, settings: Settings) -> Result<RobloxClient> {
        let auth = self
            .auth
            .ok_or_else(|| Error::invalid("a Roblox client needs an API key or an OAuth2 bearer token"))?;
        let base_url = self.base_url.as_deref().unwrap_or(RobloxClient::DEFAULT_BASE_URL);
        let http = settings.client(RobloxProfile, base_url, Some(auth))?;
        Ok(RobloxClient {
            http,
            poll_policy: self.poll_policy.unwrap_or_default(),
        })
    }
}

impl ClientBuilder<RobloxConfig> {
    /// Authenticates with an Open Cloud API key, sent as `x-api-key`. The key needs the
    /// **assets** permission with Read and/or Write.
    pub fn api_key(self, key: impl Into<SecretString>) -> Self {
        self.credential(ApiKey::x_api_key(key))
    }

    /// Replaces [`RobloxClient::DEFAULT_BASE_URL`]. A path prefix is kept:
    /// `http://127.0.0.1:8080/proxy/roblox/assets` sends Get Asset to
    /// `/proxy/roblox/assets/v1/assets/{id}`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.vendor.base_url = Some(url.into());
        self
    }

    /// Sets how operations are polled by [`Operation::wait`] and [`Operation::poller`]
    /// (default: [`PollPolicy::default`]).
    pub fn poll_policy(mut self, policy: PollPolicy) -> Self {
        self.vendor.poll_policy = Some(policy);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_a_credential() {
        let err = RobloxClient::builder().build().unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)));
    }

    #[test]
    fn https_by_default_and_no_secret_in_debug() {
        let err = RobloxClient::builder()
            .api_key("secret-key")
            .base_url("http://127.0.0.1:1/assets")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)));
        let builder = RobloxClient::builder().api_key("secret-key");
        assert!(!format!("{builder:?}").contains("secret-key"));
        let client = builder.build().unwrap();
        assert_eq!(client.base_url().as_str(), "https://apis.roblox.com/assets");
        assert!(!format!("{client:?}").contains("secret-key"));
    }

    #[test]
    fn allow_http_wins_over_settings() {
        let client = RobloxClient::builder()
            .api_key("k")
            .allow_http(true)
            .settings(Settings::new())
            .base_url("http://127.0.0.1:1/proxy/assets")
            .build()
            .unwrap();
        assert_eq!(client.base_url().as_str(), "http://127.0.0.1:1/proxy/assets");
    }
}
