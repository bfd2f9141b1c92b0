//! Unicat project API, assets part: get, root, children, worksheet, create (a folder),
//! upload, upload_update, update, move, delete, undelete, permanent_delete, bulk delete
//! and undelete; and the DAM's publish, through which an asset's file downloads.
//!
//! Every assets endpoint is a `POST` under `/api/p/<project gid>/` of the base URL (DAM
//! publish: a `GET` under `/dam/p/<project gid>/`) (default
//! `https://unicat.app`, configurable, a path prefix is kept). The client trades its API
//! key for a JWT at `POST /api/p/<project gid>/auth` (the JWT comes back in the answer's
//! `Authorization` header), shares that one sign-in among concurrent requests, picks up
//! the renewed JWT Unicat may send in the `Authorization` header of any later answer, and
//! signs in again once after a 401.
//!
//! Answers are `{"success", "result", "data"}` envelopes: `result` names assets by gid and
//! `data.assets` holds their records; the client joins the two and hands back [`Asset`]s.
//! Failures are `{"success": false, "result": {"code", "message", "info"}}`: 400 is
//! `BadRequest`, 401 `Unauthorized`, 403 `Forbidden` (not a member of the project), 422
//! `Unprocessable` (for instance an asset that does not exist), each with Unicat's message
//! in [`ApiError::message`](assetkit_core::ApiError::message).
//!
//! ```no_run
//! # async fn demo() -> assetkit::Result<()> {
//! use assetkit::unicat::{AssetSelector, UnicatClient};
//!
//! let client = UnicatClient::builder()
//!     .api_key("my-api-key")
//!     .project("84a1b5e4-fb5d-4ad6-a497-a3cf7eaf29b1")
//!     .build()?;
//! let assets = client.assets().get(AssetSelector::pathname("/products/image.jpg")).send().await?;
//! println!("{:?}", assets[0].name);
//! # Ok(()) }
//! ```

mod assets;
mod auth;
mod errors;
mod models;

use std::fmt;
use std::sync::Arc;

use assetkit_auth::{JwtSession, SecretString};
use assetkit_core::{Client, Error, RateLimit, Request, Result, Url, Vendor};
use serde::Serialize;

use crate::builder::{ClientBuilder, VendorConfig, sealed};
use crate::settings::Settings;
use assets::Answer;

/// Unicat, as named in errors and logs.
pub const VENDOR: Vendor = Vendor::new("unicat");

pub use errors::UnicatProfile;

pub use assets::{
    AssetsHandler, BulkChange, ChildrenPage, CreateFolder, DeleteAsset, DownloadAsset, GetAssets, GetRoot,
    GetWorksheet, JobToken, ListChildren, MoveAsset, PermanentDeleteAsset, PublishAsset, Selection,
    UndeleteAsset, UpdateAsset, UploadAsset, UploadUpdate, Worksheet,
};
pub use models::{Asset, AssetChange, AssetRef, AssetSelector};

/// A client for one Unicat project. Cloning is cheap; clones share the session.
///
/// Build one with [`UnicatClient::builder`].
#[derive(Clone)]
pub struct UnicatClient {
    http: Client,
    project: Arc<str>,
    session: JwtSession,
}

impl fmt::Debug for UnicatClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnicatClient")
            .field("http", &self.http)
            .field("project", &self.project)
            .finish_non_exhaustive()
    }
}

impl UnicatClient {
    /// The default base URL.
    pub const DEFAULT_BASE_URL: &str = "https://unicat.app";

    /// Starts configuring a client.
    pub fn builder() -> UnicatClientBuilder {
        UnicatClientBuilder::default()
    }

    /// The asset endpoints (`/api/p/<project gid>/assets/...`).
    pub fn assets(&self) -> AssetsHandler {
        AssetsHandler::new(self.clone())
    }

    /// Signs in now (`POST /api/p/<project gid>/auth`), replacing any cached JWT.
    ///
    /// Requests sign in by themselves when they need to; call this to check the API key
    /// early. A key that is not a member of the project fails with `Forbidden`.
    ///
    /// ```no_run
    /// # async fn demo(client: assetkit::unicat::UnicatClient) -> assetkit::Result<()> {
    /// client.sign_in().await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_in(&self) -> Result<()> {
        self.session.sign_in().await
    }

    /// The project gid every path starts from.
    pub fn project(&self) -> &str {
        &self.project
    }

    /// The rate-limit headers of the latest answer that carried any.
    pub fn rate_limit(&self) -> RateLimit {
        self.http.rate_limit()
    }

    /// The base URL every project path is joined to.
    pub fn base_url(&self) -> &Url {
        self.http.base_url()
    }

    /// The transport, for downloads.
    pub(crate) fn http(&self) -> &assetkit_core::Client {
        &self.http
    }

    /// Sends `request` (built for `/api/p/<project gid>/<endpoint...>`) and reads the
    /// envelope of its answer.
    pub(crate) async fn call(&self, request: Request) -> Result<Answer> {
        let response = self.http.execute(request).await?;
        Answer::from_response(&response)
    }

    /// The path segments of a project endpoint.
    pub(crate) fn path<'a>(&'a self, endpoint: &[&'a str]) -> Vec<&'a str> {
        let mut segments = vec!["api", "p", &*self.project];
        segments.extend_from_slice(endpoint);
        segments
    }

    /// A JSON `POST` of `body` (a wire struct) to a project endpoint.
    pub(crate) fn post_json(
        &self,
        endpoint: &[&str],
        body: &impl Serialize,
        name: &'static str,
    ) -> Result<Request> {
        Ok(Request::post(&self.path(endpoint)).json(body)?.endpoint(name))
    }
}

/// Configures a [`UnicatClient`], plus the transport setters every vendor shares (see
/// [`ClientBuilder`]).
///
/// Required: [`api_key`](Self::api_key) and [`project`](Self::project).
///
/// ```no_run
/// # fn demo() -> assetkit::Result<()> {
/// use assetkit::unicat::UnicatClient;
///
/// let client = UnicatClient::builder()
///     .api_key(std::env::var("UNICAT_API_KEY").unwrap_or_default())
///     .project("84a1b5e4-fb5d-4ad6-a497-a3cf7eaf29b1")
///     .base_url("http://127.0.0.1:8080/unicat")
///     .allow_http(true)
///     .build()?;
/// # Ok(()) }
/// ```
pub type UnicatClientBuilder = ClientBuilder<UnicatConfig>;

/// What a Unicat client needs beyond the transport: set through [`UnicatClientBuilder`].
#[derive(Debug, Default)]
pub struct UnicatConfig {
    api_key: Option<SecretString>,
    project: Option<String>,
    base_url: Option<String>,
}

impl sealed::Sealed for UnicatConfig {}

impl VendorConfig for UnicatConfig {
    type Client = UnicatClient;

    fn build_client(self, settings: Settings) -> Result<UnicatClient> {
        let api_key = self
            .api_key
            .ok_or_else(|| Error::invalid("Unicat needs an API key: call .api_key(..)"))?;
        let project: Arc<str> = self
            .project
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .ok_or_else(|| Error::invalid("Unicat needs a project gid: call .project(..)"))?
            .into();
        let base_url = self.base_url.as_deref().unwrap_or(UnicatClient::DEFAULT_BASE_URL);
        // The sign-in goes through a clone of the client without credentials (same pool).
        let sign_in_http = settings.client(UnicatProfile, base_url, None)?;
        let session = JwtSession::renewed_in_authorization(auth::sign_in_step(
            sign_in_http.clone(),
            project.clone(),
            api_key,
        ));
        let http = sign_in_http.with_auth(Some(Arc::new(session.clone())));
        Ok(UnicatClient {
            http,
            project,
            session,
        })
    }
}

impl ClientBuilder<UnicatConfig> {
    /// The project's API key (from the API user in the project settings). Held as a
    /// secret: it never shows in `Debug` output, logs or errors.
    pub fn api_key(mut self, key: impl Into<SecretString>) -> Self {
        self.vendor.api_key = Some(key.into());
        self
    }

    /// The project gid.
    pub fn project(mut self, gid: impl Into<String>) -> Self {
        self.vendor.project = Some(gid.into());
        self
    }

    /// Replaces the base URL (default [`UnicatClient::DEFAULT_BASE_URL`]); a path prefix
    /// is kept.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.vendor.base_url = Some(url.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_requires_key_and_project() {
        let err = UnicatClient::builder().project("p").build().unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(m) if m.contains("API key")));
        let err = UnicatClient::builder()
            .api_key("k")
            .project(" ")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(m) if m.contains("project")));
        let client = UnicatClient::builder()
            .api_key("very-secret-key")
            .project("p1")
            .build()
            .unwrap();
        assert!(!format!("{client:?}").contains("very-secret-key"));
        assert_eq!(client.project(), "p1");
    }
}
