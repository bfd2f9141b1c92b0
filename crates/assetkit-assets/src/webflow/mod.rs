//! Webflow Data API v2: Assets and Asset Folders.
//!
//! | endpoint | call |
//! |---|---|
//! | List Assets — `GET /sites/{site_id}/assets` | [`AssetsHandler::list`] |
//! | Upload Asset (step 1) — `POST /sites/{site_id}/assets` | [`AssetsHandler::create`] |
//! | Upload Asset (step 2) — `POST {uploadUrl}` (S3 form) | [`AssetsHandler::finish_upload`] |
//! | both steps, MD5 included | [`AssetsHandler::upload`] |
//! | Get Asset — `GET /assets/{asset_id}` | [`AssetsHandler::get`] |
//! | Update Asset — `PATCH /assets/{asset_id}` | [`AssetsHandler::update`] |
//! | Delete Asset — `DELETE /assets/{asset_id}` | [`AssetsHandler::delete`] |
//! | List Asset Folders — `GET /sites/{site_id}/asset_folders` | [`AssetFoldersHandler::list`] |
//! | Create Asset Folder — `POST /sites/{site_id}/asset_folders` | [`AssetFoldersHandler::create`] |
//! | Get Asset Folder — `GET /asset_folders/{asset_folder_id}` | [`AssetFoldersHandler::get`] |
//!
//! ```no_run
//! # async fn run() -> assetkit_core::Result<()> {
//! use assetkit_assets::webflow::WebflowClient;
//! use assetkit_core::UploadSource;
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
mod models;

use std::sync::Arc;

use assetkit_auth::{Bearer, SecretString, TokenSupplier};
use assetkit_core::{Authenticator, Client, Error, RateLimit, Result, RetryPolicy, Vendor};

use crate::Settings;
use crate::settings::transport::TransportOptions;

pub use asset_folders::{AssetFoldersHandler, CreateAssetFolder, GetAssetFolder, ListAssetFolders};
pub use assets::{
    AssetsHandler, CreateAsset, DeleteAsset, FinishUpload, GetAsset, ListAssets, PendingUpload, UpdateAsset,
    UploadAsset, file_md5,
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

    /// The core client for the API (for requests assetkit has no builder for).
    pub fn http(&self) -> &Client {
        &self.http
    }

    pub(crate) fn s3(&self) -> &Client {
        &self.s3
    }
}

/// Configures a [`WebflowClient`].
#[derive(Debug, Default)]
#[must_use]
pub struct WebflowClientBuilder {
    auth: Option<Arc<dyn Authenticator>>,
    transport: TransportOptions,
}

impl WebflowClientBuilder {
    /// Authenticates with a fixed API token or OAuth access token
    /// (`Authorization: Bearer <token>`).
    pub fn bearer(mut self, token: impl Into<SecretString>) -> Self {
        self.auth = Some(Arc::new(Bearer::new(token)));
        self
    }

    /// Authenticates with tokens asked of `supplier` before every request (OAuth apps that
    /// refresh their tokens); after a 401 the supplier is asked once more.
    pub fn bearer_supplier(mut self, supplier: impl TokenSupplier + 'static) -> Self {
        self.auth = Some(Arc::new(Bearer::supplier(supplier)));
        self
    }

    /// Authenticates with any credential.
    pub fn auth(mut self, auth: Arc<dyn Authenticator>) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Replaces the base URL (default [`WebflowClient::DEFAULT_BASE_URL`]); it may carry a
    /// path prefix, such as `http://127.0.0.1:8080/proxy/webflow/v2`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.transport.base_url(url);
        self
    }

    /// Allows plain `http://` URLs (local mocks), for the API and for upload forms.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.transport.allow_http(allow);
        self
    }

    /// Sets the retry policy (overrides the one in [`settings`](Self::settings)).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.transport.retry(policy);
        self
    }

    /// Sets timeouts, retries, user agent and time source. `allow_http` and `retry` set on
    /// this builder win over the same values in `settings`, whatever the order.
    pub fn settings(mut self, settings: Settings) -> Self {
        self.transport.settings(settings);
        self
    }

    /// Builds the client. Fails with [`Error::InvalidRequest`] without a credential or
    /// with an unusable base URL.
    pub fn build(self) -> Result<WebflowClient> {
        let auth = self
            .auth
            .ok_or_else(|| Error::invalid("a Webflow client needs a token: call .bearer(..)"))?;
        let http = self
            .transport
            .client(Vendor::Webflow, WebflowClient::DEFAULT_BASE_URL, Some(auth))?;
        // Upload URLs are absolute; this base only names the S3 service. The client holds
        // no credential at all, so nothing can leak into the presigned form post.
        let s3 = self
            .transport
            .resolved_settings()
            .client(Vendor::S3, "https://s3.amazonaws.com", None)?;
        Ok(WebflowClient { http, s3 })
    }
}

/// Webflow's rule for `fileName`: the name with its extension, under 100 characters.
pub(crate) fn validate_file_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid("fileName must not be empty"));
    }
    let chars = name.chars().count();
    if chars >= 100 {
        return Err(Error::invalid(format!(
            "fileName must be under 100 characters; it has {chars}"
        )));
    }
    Ok(())
}
