//! Webflow Data API v2: Assets and Asset Folders.
//!
//! | endpoint | call |
//! |---|---|
//! | List Assets — `GET /sites/{site_id}/assets` | [`AssetsHandler::list`] |
//! | Upload Asset (step 1) — `POST /sites/{site_id}/assets` | [`AssetsHandler::create`] |
//! | Upload Asset (step 2) — `POST {uploadUrl}` (S3 form) | [`AssetsHandler::finish_upload`] |
//! | both steps, MD5 included | [`AssetsHandler::upload`] |
//! | Get Asset — `GET /assets/{asset_id}` | [`AssetsHandler::get`] |
//! | Download — Get Asset, then the file at its `hostedUrl` | [`AssetsHandler::download`] |
//! | Update Asset — `PATCH /assets/{asset_id}` | [`AssetsHandler::update`] |
//! | Delete Asset — `DELETE /assets/{asset_id}` | [`AssetsHandler::delete`] |
//! | List Asset Folders — `GET /sites/{site_id}/asset_folders` | [`AssetFoldersHandler::list`] |
//! | Create Asset Folder — `POST /sites/{site_id}/asset_folders` | [`AssetFoldersHandler::create`] |
//! | Get Asset Folder — `GET /asset_folders/{asset_folder_id}` | [`AssetFoldersHandler::get`] |
//!
//! ```no_run
//! # async fn run() -> assetkit::Result<()> {
//! use assetkit::webflow::WebflowClient;
//! use assetkit::UploadSource;
//!
//! let client = WebflowClient::builder().bearer("token").build()?;
//! let uploaded = client
//!     .assets()
//!     .upload("580e63e98c9a982ac9b8b741", UploadSource::path("logo.png"))
//!     .send()
//!     .await?;
//! println!("{} at {:?}", uploaded.id(), uploaded.hosted_url());
//! # Ok(()) }
//! ```

mod asset_folders;
mod assets;
mod errors;
mod models;

use std::sync::Arc;

use assetkit_core::{Authenticator, Client, Error, RateLimit, Result, Url, Vendor};

use crate::builder::{ClientBuilder, SingleCredential, VendorConfig, sealed};
use crate::settings::Settings;

/// Webflow, as named in errors and logs.
pub const VENDOR: Vendor = Vendor::new("webflow");

/// The S3 endpoint of Webflow's upload forms, as named in errors and logs.
pub const S3_VENDOR: Vendor = Vendor::new("s3");

pub use errors::{S3Profile, WebflowProfile};

pub(crate) use assets::validate_file_name;

pub use asset_folders::{AssetFoldersHandler, CreateAssetFolder, GetAssetFolder, ListAssetFolders};
pub use assets::{
    AssetsHandler, CreateAsset, DeleteAsset, DownloadAsset, FinishUpload, GetAsset, ListAssets,
    MAX_DOCUMENT_BYTES, MAX_IMAGE_BYTES, PendingUpload, UpdateAsset, UploadAsset, file_md5,
};
pub use models::{
    Asset, AssetFolder, AssetFolderList, AssetPage, AssetVariant, CreatedAsset, Pagination, StoredObject,
    UploadDetails, UploadedAsset,
};

/// The largest page List Assets serves.
pub const MAX_PAGE_SIZE: u32 = 100;

/// A client for the Webflow Data API v2 assets endpoints.
///
/// Cloning is cheap; clones share the connection pool and the rate-limit state.
#[derive(Clone, Debug)]
pub struct WebflowClient {
    /// The API client, credential attached.
    http: Client,
    /// The client for S3 upload forms: same settings, never a credential.
    s3: Client,
}

impl WebflowClient {
    /// Webflow's API base URL.
    pub const DEFAULT_BASE_URL: &str = "https://api.webflow.com/v2";

    /// Starts configuring a client.
    pub fn builder() -> WebflowClientBuilder {
        WebflowClientBuilder::default()
    }

    /// The assets endpoints.
    pub fn assets(&self) -> AssetsHandler {
        AssetsHandler::new(self.clone())
    }

    /// The asset folder endpoints.
    pub fn asset_folders(&self) -> AssetFoldersHandler {
        AssetFoldersHandler::new(self.clone())
    }

    /// `X-RateLimit-Remaining` / `X-RateLimit-Limit` (and `Retry-After`) of the latest
    /// Webflow answer that carried them.
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

    pub(crate) fn s3(&self) -> &Client {
        &self.s3
    }
}

/// Configures a [`WebflowClient`]: a token (required) and optionally the base URL, plus
/// the transport setters every vendor shares (see [`ClientBuilder`]).
pub type WebflowClientBuilder = ClientBuilder<WebflowConfig>;

/// What a Webflow client needs beyond the transport: set through [`WebflowClientBuilder`].
#[derive(Debug, Default)]
pub struct WebflowConfig {
    auth: Option<Arc<dyn Authenticator>>,
    base_url: Option<String>,
}

impl sealed::Sealed for WebflowConfig {}

impl SingleCredential for WebflowConfig {
    fn set_credential(&mut self, credential: Arc<dyn Authenticator>) {
        self.auth = Some(credential);
    }
}

impl VendorConfig for WebflowConfig {
    type Client = WebflowClient;

    fn build_client(self, settings: Settings) -> Result<WebflowClient> {
        let auth = self
            .auth
            .ok_or_else(|| Error::invalid("a Webflow client needs a token: call .bearer(..)"))?;
        let base_url = self
            .base_url
            .as_deref()
            .unwrap_or(WebflowClient::DEFAULT_BASE_URL);
        let http = settings.client(WebflowProfile, base_url, Some(auth))?;
        // Upload URLs are absolute; this base only names the S3 service. The client holds
        // no credential at all, so nothing can leak into the presigned form post.
        let s3 = settings.client(S3Profile, "https://s3.amazonaws.com", None)?;
        Ok(WebflowClient { http, s3 })
    }
}

impl ClientBuilder<WebflowConfig> {
    /// Replaces the base URL (default [`WebflowClient::DEFAULT_BASE_URL`]); it may carry a
    /// path prefix, such as `http://127.0.0.1:8080/proxy/webflow/v2`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.vendor.base_url = Some(url.into());
        self
    }
}
