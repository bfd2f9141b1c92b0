//! DAM Publish: `GET /dam/p/<project gid>/publish/<gid>~<version>.<ext>`, and the
//! download of an asset's file through it.

use assetkit_core::{Error, ProgressReporter, Request, Result, Url};

use crate::download::{download_ends, fetch};
use crate::unicat::{AssetSelector, UnicatClient};
use crate::{CallOptions, RequestOptions, require_non_blank};

/// DAM Publish: `GET /dam/p/<project gid>/publish/<storage pathname>`.
///
/// Makes the original file of an asset available for download and answers its public URL
/// (`result.public_url`). The storage pathname is `<gid>~<version>.<ext>` (e.g.
/// `eddbe3b0-eb6a-4301-9700-c770df127456~31.svg`): give the version and extension, or
/// they are read from the asset first (`assets/get`). A `/dam` call never renews the JWT.
///
/// See also: [DAM publish](https://docs.unicat.app/api/reference/dam/publish) in the
/// Unicat API reference. The page's example JSON has one closing brace too many; the
/// client reads `result.public_url`, as the page says.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty gid or extension.
/// - `Unprocessable` (422) when the asset or its parent does not exist
///   ([`Error::is_not_found`]), `Unauthorized` (401), `Forbidden` (403) outside the
///   project, `BadRequest` (400).
/// - `Decode` when the answer has no `public_url`, or the asset read first is a folder or
///   has no version.
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::unicat::UnicatClient) -> assetkit::Result<()> {
/// let url = client.assets().publish("eddbe3b0-eb6a-4301-9700-c770df127456").send().await?;
/// println!("public at {url}");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct PublishAsset {
    client: UnicatClient,
    gid: String,
    version: Option<u64>,
    extension: Option<String>,
    options: CallOptions,
}

impl RequestOptions for PublishAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

impl PublishAsset {
    pub(crate) fn new(client: UnicatClient, gid: String) -> Self {
        Self {
            client,
            gid,
            version: None,
            extension: None,
            options: CallOptions::default(),
        }
    }

    /// Publishes this version of the file (default: the asset's current one).
    pub fn version(mut self, version: u64) -> Self {
        self.version = Some(version);
        self
    }

    /// The file's extension, with or without its dot (default: the asset's type).
    pub fn extension(mut self, extension: impl Into<String>) -> Self {
        self.extension = Some(extension.into());
        self
    }

    /// `<gid>~<version>.<ext>`, reading what was not given from the asset.
    async fn storage_pathname(&self) -> Result<String> {
        require_non_blank("the asset gid", &self.gid)?;
        let (version, extension) =
            match (self.version, &self.extension) {
                (Some(version), Some(extension)) => (version, extension.clone()),
                (version, extension) => {
                    let mut get = self
                        .client
                        .assets()
                        .get(AssetSelector::gids(vec![self.gid.clone()]));
                    *get.call_options() = self.options.clone();
                    let asset =
                        get.send().await?.into_iter().next().ok_or_else(|| {
                            Error::decode("Unicat asset", "assets/get answered no record", b"")
                        })?;
                    if asset.is_folder() {
                        return Err(Error::invalid(format!(
                            "{} is a folder: only files publish",
                            self.gid
                        )));
                    }
                    let from_name = || {
                        let name = asset.name.as_deref()?;
                        Some(name.rsplit_once('.')?.1.to_owned())
                    };
                    let extension = extension
                        .clone()
                        .or_else(|| asset.kind.clone().filter(|k| !k.is_empty()))
                        .or_else(from_name);
                    let (Some(version), Some(extension)) = (version.or(asset.version), extension) else {
                        return Err(Error::decode(
                            "Unicat asset",
                            "it has no version or file type to publish",
                            b"",
                        ));
                    };
                    (version, extension)
                }
            };
        let extension = extension.trim_start_matches('.');
        require_non_blank("the file extension", extension)?;
        Ok(format!("{}~{version}.{extension}", self.gid))
    }

    /// Sends the request; answers the file's public URL.
    pub async fn send(self) -> Result<Url> {
        let storage = self.storage_pathname().await?;
        let project = self.client.project().to_owned();
        let request =
            Request::get(&["dam", "p", &project, "publish", &storage]).endpoint("unicat.dam_publish");
        let answer = self.client.call(self.options.apply(request)).await?;
        let public = answer
            .text("public_url")
            .ok_or_else(|| answer.missing("DAM publish answer", "no result.public_url"))?;
        Url::parse(public)
            .map_err(|e| answer.missing("DAM publish answer", &format!("public_url is not a URL: {e}")))
    }
}

/// Download Asset: [DAM Publish](PublishAsset), then the file at its public URL.
///
/// The bytes are streamed to a file (a temporary file beside it, renamed once complete)
/// or a writer, with byte progress, the length checked against `Content-Length` and a
/// broken transfer resumed with `Range` (see [`assetkit_core::Download`]). The JWT goes to
/// the API's host only, never to a media host elsewhere.
///
/// # Errors
///
/// What [`PublishAsset`] answers; `Transport` when the bytes stop short after the
/// retries; `Io` when the file cannot be written.
///
/// # Examples
///
/// ```no_run
/// # async fn run(client: assetkit::unicat::UnicatClient) -> assetkit::Result<()> {
/// let bytes = client
///     .assets()
///     .download("eddbe3b0-eb6a-4301-9700-c770df127456")
///     .to_path("logo.svg")
///     .await?;
/// println!("{bytes} bytes");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a download does nothing until `to_path` or `to_writer` is awaited"]
pub struct DownloadAsset {
    publish: PublishAsset,
    progress: Option<ProgressReporter>,
}

impl RequestOptions for DownloadAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.publish.options
    }
}

impl DownloadAsset {
    pub(crate) fn new(client: UnicatClient, gid: String) -> Self {
        Self {
            publish: PublishAsset::new(client, gid),
            progress: None,
        }
    }

    /// Downloads this version (default: the asset's current one).
    pub fn version(mut self, version: u64) -> Self {
        self.publish = self.publish.version(version);
        self
    }

    /// Reports bytes received.
    pub fn progress(mut self, reporter: ProgressReporter) -> Self {
        self.progress = Some(reporter);
        self
    }

    async fn located(self) -> Result<assetkit_core::Download> {
        let client = self.publish.client.clone();
        let url = self.publish.send().await?;
        Ok(fetch(client.http(), url, self.progress.as_ref()))
    }
}

download_ends!(DownloadAsset);
