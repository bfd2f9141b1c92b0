//! Unicat project API, assets part: get, root, children, upload, upload_update, update,
//! delete and undelete.
//!
//! Every endpoint is a `POST` under `/api/p/<project gid>/` of the base URL (default
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
//! # async fn demo() -> assetkit_core::Result<()> {
//! use assetkit_assets::unicat::{AssetSelector, UnicatClient};
//!
//! let client = UnicatClient::builder()
//!     .api_key("my-api-key")
//!     .project("84a1b5e4-fb5d-4ad6-a497-a3cf7eaf29b1")
//!     .build()?;
//! let assets = client.assets().get(AssetSelector::pathname("/products/image.jpg")).send().await?;
//! println!("{:?}", assets[0].name);
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use assetkit_auth::{JwtSession, SecretString};
use assetkit_core::{Client, Error, RateLimit, Request, Response, Result, UploadSource, Url, Vendor};
use bytes::Bytes;
use serde_json::{Map, Value};

use crate::builder::{ClientBuilder, VendorConfig, sealed};
use crate::settings::Settings;

/// Unicat, as named in errors and logs.
pub const VENDOR: Vendor = Vendor::new("unicat");

mod auth;
mod errors;
pub use errors::UnicatProfile;
mod assets {
    pub(crate) mod children;
    pub(crate) mod delete;
    pub(crate) mod get;
    pub(crate) mod root;
    pub(crate) mod undelete;
    pub(crate) mod update;
    pub(crate) mod upload;
    pub(crate) mod upload_update;
}

pub use assets::children::{ChildrenPage, ListChildren};
pub use assets::delete::DeleteAsset;
pub use assets::get::GetAssets;
pub use assets::root::GetRoot;
pub use assets::undelete::UndeleteAsset;
pub use assets::update::UpdateAsset;
pub use assets::upload::UploadAsset;
pub use assets::upload_update::UploadUpdate;

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
        AssetsHandler { client: self.clone() }
    }

    /// Signs in now (`POST /api/p/<project gid>/auth`), replacing any cached JWT.
    ///
    /// Requests sign in by themselves when they need to; call this to check the API key
    /// early. A key that is not a member of the project fails with `Forbidden`.
    ///
    /// ```no_run
    /// # async fn demo(client: assetkit_assets::unicat::UnicatClient) -> assetkit_core::Result<()> {
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

    /// A JSON `POST` to a project endpoint.
    pub(crate) fn post_json(&self, endpoint: &[&str], body: &Value, name: &'static str) -> Result<Request> {
        Ok(Request::post(&self.path(endpoint)).json(body)?.endpoint(name))
    }
}

/// Configures a [`UnicatClient`], plus the transport setters every vendor shares (see
/// [`ClientBuilder`]).
///
/// Required: [`api_key`](Self::api_key) and [`project`](Self::project).
///
/// ```no_run
/// # fn demo() -> assetkit_core::Result<()> {
/// use assetkit_assets::unicat::UnicatClient;
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

/// The asset endpoints; from [`UnicatClient::assets`].
#[derive(Debug, Clone)]
pub struct AssetsHandler {
    client: UnicatClient,
}

impl AssetsHandler {
    /// Gets one or more assets: `POST /api/p/<project gid>/assets/get`. See [`GetAssets`].
    pub fn get(&self, selector: AssetSelector) -> GetAssets {
        GetAssets::new(self.client.clone(), selector)
    }

    /// Gets the root folder: `POST /api/p/<project gid>/assets/root`. See [`GetRoot`].
    pub fn root(&self) -> GetRoot {
        GetRoot::new(self.client.clone())
    }

    /// Lists a folder's children page by page: `POST /api/p/<project gid>/assets/children`.
    /// See [`ListChildren`].
    pub fn children(&self, parent: AssetRef) -> ListChildren {
        ListChildren::new(self.client.clone(), parent)
    }

    /// Uploads a file as a new asset in the folder `parent`:
    /// `POST /api/p/<project gid>/assets/upload`. See [`UploadAsset`].
    pub fn upload(&self, parent: AssetRef, source: UploadSource) -> UploadAsset {
        UploadAsset::new(self.client.clone(), parent, source)
    }

    /// Replaces the file of the asset `gid`: `POST /api/p/<project gid>/assets/upload_update`.
    /// See [`UploadUpdate`].
    pub fn upload_update(&self, gid: impl Into<String>, source: UploadSource) -> UploadUpdate {
        UploadUpdate::new(self.client.clone(), gid.into(), source)
    }

    /// Changes the name, title, description or transforms of the asset `gid`:
    /// `POST /api/p/<project gid>/assets/update`. See [`UpdateAsset`].
    pub fn update(&self, gid: impl Into<String>) -> UpdateAsset {
        UpdateAsset::new(self.client.clone(), gid.into())
    }

    /// Deletes the asset `gid` and its subtree (undeletable):
    /// `POST /api/p/<project gid>/assets/delete`. See [`DeleteAsset`].
    pub fn delete(&self, gid: impl Into<String>) -> DeleteAsset {
        DeleteAsset::new(self.client.clone(), gid.into())
    }

    /// Undeletes the asset `gid` and its subtree: `POST /api/p/<project gid>/assets/undelete`.
    /// See [`UndeleteAsset`].
    pub fn undelete(&self, gid: impl Into<String>) -> UndeleteAsset {
        UndeleteAsset::new(self.client.clone(), gid.into())
    }
}

/// Which assets `assets/get` fetches: exactly one of the four forms Unicat accepts, so an
/// ambiguous request (Unicat would guess among several parameters) cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetSelector {
    /// One asset by gid (`{"asset": gid}`).
    Gid(String),
    /// Several assets by gid (`{"assets": [gid, ...]}`).
    Gids(Vec<String>),
    /// One asset by its complete path, name included (`{"pathname": "/products/image.jpg"}`).
    Pathname(String),
    /// Several assets by complete path (`{"pathnames": [...]}`).
    Pathnames(Vec<String>),
}

impl AssetSelector {
    /// One asset by gid.
    pub fn gid(gid: impl Into<String>) -> Self {
        Self::Gid(gid.into())
    }

    /// Several assets by gid.
    pub fn gids<I, S>(gids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::Gids(gids.into_iter().map(Into::into).collect())
    }

    /// One asset by complete path.
    pub fn pathname(pathname: impl Into<String>) -> Self {
        Self::Pathname(pathname.into())
    }

    /// Several assets by complete path.
    pub fn pathnames<I, S>(pathnames: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::Pathnames(pathnames.into_iter().map(Into::into).collect())
    }
}

impl From<AssetRef> for AssetSelector {
    fn from(asset: AssetRef) -> Self {
        match asset {
            AssetRef::Gid(gid) => Self::Gid(gid),
            AssetRef::Pathname(pathname) => Self::Pathname(pathname),
        }
    }
}

/// One asset named by gid or by complete path: the parent of `assets/children` and
/// `assets/upload`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetRef {
    /// By gid.
    Gid(String),
    /// By complete path (`/products`).
    Pathname(String),
}

impl AssetRef {
    /// By gid.
    pub fn gid(gid: impl Into<String>) -> Self {
        Self::Gid(gid.into())
    }

    /// By complete path.
    pub fn pathname(pathname: impl Into<String>) -> Self {
        Self::Pathname(pathname.into())
    }

    /// Refuses an empty gid, or a pathname that is not absolute.
    pub(crate) fn validate(&self) -> Result<()> {
        match self {
            AssetRef::Gid(gid) => crate::require_non_blank("the asset gid", gid),
            AssetRef::Pathname(pathname) => validate_pathname(pathname),
        }
    }
}

pub(crate) fn validate_pathname(pathname: &str) -> Result<()> {
    if !pathname.starts_with('/') {
        return Err(Error::invalid(format!(
            "Unicat pathnames are complete paths starting with '/', not {pathname:?}"
        )));
    }
    Ok(())
}

/// A Unicat asset: a folder or a file, as `data.assets` describes it.
///
/// Decoded leniently: every field but the gid is optional, a field of an unexpected type
/// reads as absent, and the whole record stays available in [`raw`](Self::raw). When an
/// answer names an asset without a record for it, the asset has only its gid.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Asset {
    /// The global id.
    pub gid: String,
    /// The complete path, name included (`/products/image.jpg`).
    pub pathname: Option<String>,
    /// The folder path (`/products`).
    pub path: Option<String>,
    /// The name (last path component).
    pub name: Option<String>,
    /// The file type (`svg`, `jpg`...); none for folders. Unicat calls it `type`.
    pub kind: Option<String>,
    /// `true` for files, `false` for folders.
    pub is_file: Option<bool>,
    /// The parent folder's gid.
    pub parent: Option<String>,
    /// How many children a folder has.
    pub childcount: Option<u64>,
    /// The status (`published`, `deleted`...).
    pub status: Option<String>,
    /// The file version, bumped by every `upload_update`.
    pub version: Option<u64>,
    /// The localized title, by language code.
    pub title: BTreeMap<String, String>,
    /// The localized description, by language code.
    pub description: BTreeMap<String, String>,
    /// File information (width, height, filesize, format...) or folder counts.
    pub info: Option<Value>,
    /// Default transforms.
    pub transforms: Option<Value>,
    /// When the asset last changed (Unix seconds).
    pub updated_on: Option<f64>,
    /// The record as Unicat sent it.
    pub raw: Value,
}

impl Asset {
    /// Reads a record of `data.assets`; `gid` is its key there, used when the record
    /// itself has none.
    pub(crate) fn from_record(gid: &str, record: Option<&Value>) -> Self {
        let Some(record) = record else {
            return Self {
                gid: gid.to_owned(),
                ..Self::default()
            };
        };
        let text = |key: &str| record.get(key).and_then(Value::as_str).map(str::to_owned);
        let localized = |key: &str| -> BTreeMap<String, String> {
            record
                .get(key)
                .and_then(Value::as_object)
                .map(|map| {
                    map.iter()
                        .filter_map(|(lang, v)| Some((lang.clone(), v.as_str()?.to_owned())))
                        .collect()
                })
                .unwrap_or_default()
        };
        let object = |key: &str| record.get(key).filter(|v| !v.is_null()).cloned();
        Self {
            gid: text("gid")
                .filter(|g| !g.is_empty())
                .unwrap_or_else(|| gid.to_owned()),
            pathname: text("pathname"),
            path: text("path"),
            name: text("name"),
            kind: text("type"),
            is_file: record.get("is_file").and_then(Value::as_bool),
            parent: text("parent"),
            childcount: record.get("childcount").and_then(Value::as_u64),
            status: text("status"),
            version: record.get("version").and_then(Value::as_u64),
            title: localized("title"),
            description: localized("description"),
            info: object("info"),
            transforms: object("transforms"),
            updated_on: record.get("updated_on").and_then(Value::as_f64),
            raw: record.clone(),
        }
    }

    /// Whether this is a folder (`is_file: false`).
    pub fn is_folder(&self) -> bool {
        self.is_file == Some(false)
    }

    /// The file size in bytes (`info.filesize`), for files.
    pub fn file_size(&self) -> Option<u64> {
        self.info.as_ref()?.get("filesize")?.as_u64()
    }
}

/// What a change (upload, update, delete, undelete) returned: the asset, and its parent
/// folder when the answer names it (`upload` does, with the updated `childcount`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AssetChange {
    /// The asset as it is now.
    pub asset: Asset,
    /// Its parent folder, when the answer names it.
    pub parent: Option<Asset>,
}

/// A successful answer: `result` and `data.assets`, with the raw body for error snippets.
#[derive(Debug)]
pub(crate) struct Answer {
    result: Map<String, Value>,
    assets: Map<String, Value>,
    body: Bytes,
}

impl Answer {
    fn from_response(response: &Response) -> Result<Self> {
        let mut envelope: Value = response.json()?;
        let result = match envelope.get_mut("result").map(Value::take) {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        let assets = match envelope
            .get_mut("data")
            .and_then(|d| d.get_mut("assets"))
            .map(Value::take)
        {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        Ok(Self {
            result,
            assets,
            body: response.body().clone(),
        })
    }

    /// `result.<key>` as one gid.
    pub(crate) fn gid(&self, key: &str) -> Option<&str> {
        self.result
            .get(key)
            .and_then(Value::as_str)
            .filter(|g| !g.is_empty())
    }

    /// `result.<key>` as a list of gids.
    pub(crate) fn gids(&self, key: &str) -> Option<Vec<&str>> {
        Some(
            self.result
                .get(key)?
                .as_array()?
                .iter()
                .filter_map(Value::as_str)
                .collect(),
        )
    }

    /// `result.<key>` as a number.
    pub(crate) fn number(&self, key: &str) -> Option<u64> {
        self.result.get(key).and_then(Value::as_u64)
    }

    /// The record of `gid` joined from `data.assets`.
    pub(crate) fn asset(&self, gid: &str) -> Asset {
        Asset::from_record(gid, self.assets.get(gid))
    }

    /// The asset named by `result.<key>`; a decode error when the answer names none.
    pub(crate) fn required_asset(&self, key: &str, what: &str) -> Result<Asset> {
        self.gid(key)
            .map(|gid| self.asset(gid))
            .ok_or_else(|| self.missing(what, &format!("no gid in result.{key}")))
    }

    /// The asset of a change (`result.asset`, else `fallback`) and `result.parent`.
    pub(crate) fn change(&self, fallback: Option<&str>, what: &str) -> Result<AssetChange> {
        let asset = match (self.gid("asset"), fallback) {
            (Some(gid), _) | (None, Some(gid)) => self.asset(gid),
            (None, None) => return Err(self.missing(what, "no gid in result.asset")),
        };
        Ok(AssetChange {
            asset,
            parent: self.gid("parent").map(|gid| self.asset(gid)),
        })
    }

    pub(crate) fn missing(&self, what: &str, message: &str) -> Error {
        Error::decode(what, message, &self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_documented_file_record_leniently() {
        let record = json!({
            "gid": "218437b3-f3db-4f60-9d44-c96319aa3c57",
            "pathname": "/image.svg",
            "is_file": true,
            "type": "svg",
            "childcount": 0,
            "status": "published",
            "info": {"width": 333, "height": 333, "filesize": 1192},
            "transforms": null,
            "path": "/",
            "name": "image.svg",
            "title": {"nl": "", "en": "Logo", "de": null},
            "updated_on": 1_610_635_126.047_62,
            "version": "not a number"
        });
        let asset = Asset::from_record("ignored", Some(&record));
        assert_eq!(asset.gid, "218437b3-f3db-4f60-9d44-c96319aa3c57");
        assert_eq!(asset.kind.as_deref(), Some("svg"));
        assert_eq!(asset.file_size(), Some(1192));
        assert_eq!(asset.transforms, None);
        assert_eq!(asset.version, None);
        assert_eq!(asset.title.get("en").map(String::as_str), Some("Logo"));
        assert!(!asset.title.contains_key("de"));
        assert!(!asset.is_folder());
        assert_eq!(asset.raw, record);
    }

    #[test]
    fn an_asset_without_record_keeps_its_gid() {
        let asset = Asset::from_record("g1", None);
        assert_eq!(asset.gid, "g1");
        assert_eq!(asset.name, None);
        assert_eq!(asset.raw, Value::Null);
    }

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
