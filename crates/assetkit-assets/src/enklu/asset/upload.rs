//! Upload Asset: `POST /v1/asset` (assets host).

use assetkit_core::header::{ACCEPT, HeaderName, HeaderValue};
use assetkit_core::{
    Created, Error, FormPart, MultipartForm, ProgressReporter, Request, Result, UploadSource,
};
use serde_json::Value;
use uuid::Uuid;

use crate::enklu::{AssetId, EnkluClient};
use crate::{CallOptions, RequestOptions};

/// Upload Asset: `POST /v1/asset` (assets host).
///
/// Uploads a file to Enklu, as a new asset or a new version of one. The request is a multipart form with, in this order, `qqfilename` (the display name),
/// `qquuid` (the asset's id) and `qqfile` (the file, streamed from disk with its file
/// name), and the headers `Authorization: Bearer <jwt>`, `app: <app id>` and
/// `Accept: application/json`. The answer's `body.id` is returned.
///
/// - [`AssetsHandler::upload`](crate::enklu::AssetsHandler::upload) sends a fresh UUID v4,
///   which creates a new asset. The UUID is chosen when the builder is made
///   ([`qquuid`](Self::qquuid)), so every retry of this upload sends the same one: a
///   retried upload can at worst add a version, never a duplicate asset.
/// - [`AssetsHandler::update`](crate::enklu::AssetsHandler::update) sends the asset's own
///   id, which uploads a new version of it. The id must be a UUID; it is sent in its
///   lowercase hyphenated form.
///
/// A 401 signs in again once and sends the upload again. The per-call options apply to the
/// upload (not to the sign-in); a [`with_header`](RequestOptions::with_header) named `app`
/// or `accept` replaces the client's for this call.
///
/// See also: [Assets Web API](https://enklu.github.io/docs/API/AssetsApi.html) in Enklu's
/// documentation.
///
/// # Errors
///
/// - `InvalidRequest`, before sending: an empty display name, an update whose asset id is
///   not a UUID; `Io` when the file cannot be read.
/// - Enklu's `success: false` answers carry its message: `Rejected` under a 2xx, the
///   status's own variant otherwise (`BadRequest` 400, `Unauthorized` 401 after the
///   second sign-in, `Forbidden` 403, `NotFound` 404, `RateLimited` 429, `Server` 5xx).
/// - `Decode` for an answer without `body.id`; a `PartialFailure` naming the asset when
///   the answer says `success: true` but cannot be read.
///
/// # Examples
///
/// ```no_run
/// # async fn demo(client: assetkit::enklu::EnkluClient) -> assetkit::Result<()> {
/// use assetkit::core::{ProgressReporter, UploadSource};
///
/// let id = client
///     .assets()
///     .upload(UploadSource::path("models/tree.fbx"))
///     .file_name("Oak tree")
///     .progress(ProgressReporter::callback(|p| println!("{}/{} bytes", p.sent, p.total)))
///     .send()
///     .await?;
/// // Later: a new version of the same asset.
/// client.assets().update(&id, UploadSource::path("models/tree-v2.fbx")).send().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct UploadAsset {
    client: EnkluClient,
    source: UploadSource,
    target: Target,
    file_name: Option<String>,
    progress: Option<ProgressReporter>,
    options: CallOptions,
}

impl RequestOptions for UploadAsset {
    fn call_options(&mut self) -> &mut CallOptions {
        &mut self.options
    }
}

#[derive(Debug, Clone)]
enum Target {
    /// A new asset, under a UUID chosen here.
    New(String),
    /// A new version of an existing asset.
    Version(AssetId),
}

impl UploadAsset {
    pub(crate) fn new_asset(client: EnkluClient, source: UploadSource) -> Self {
        Self::with_target(
            client,
            source,
            Target::New(Uuid::new_v4().hyphenated().to_string()),
        )
    }

    pub(crate) fn new_version(client: EnkluClient, asset_id: AssetId, source: UploadSource) -> Self {
        Self::with_target(client, source, Target::Version(asset_id))
    }

    fn with_target(client: EnkluClient, source: UploadSource, target: Target) -> Self {
        Self {
            client,
            source,
            target,
            file_name: None,
            progress: None,
            options: CallOptions::default(),
        }
    }

    /// The display name Enklu shows (`qqfilename`). Defaults to the file's own name; the
    /// `qqfile` part always carries the file's own name.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Reports upload progress, byte by byte.
    pub fn progress(mut self, reporter: ProgressReporter) -> Self {
        self.progress = Some(reporter);
        self
    }

    /// The `qquuid` this upload sends, as given for an update: for a new asset, the UUID
    /// chosen for it (worth recording before sending, to update the asset later even if
    /// the answer is lost).
    pub fn qquuid(&self) -> &str {
        match &self.target {
            Target::New(uuid) => uuid,
            Target::Version(id) => id.as_str(),
        }
    }

    /// Sends the upload and returns the asset's id.
    pub async fn send(self) -> Result<AssetId> {
        let qquuid = match &self.target {
            Target::New(uuid) => uuid.clone(),
            Target::Version(id) => Uuid::parse_str(id.as_str().trim())
                .map_err(|_| Error::invalid(format!("Enklu asset id {:?} is not a UUID", id.as_str())))?
                .hyphenated()
                .to_string(),
        };
        let own_name = self.source.file_name().filter(|n| !n.trim().is_empty());
        let display_name = self
            .file_name
            .clone()
            .or_else(|| own_name.clone())
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| Error::invalid("the file name (qqfilename) is empty"))?;
        let part_name = own_name.unwrap_or_else(|| display_name.clone());
        let form = MultipartForm::new()
            .text("qqfilename", display_name)
            .text("qquuid", qquuid.clone())
            .part(
                FormPart::file("qqfile", self.source)
                    .file_name(part_name)
                    .content_type("application/octet-stream"),
            );
        let request = Request::post(&["v1", "asset"])
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(HeaderName::from_static("app"), self.client.app_header().clone())
            .multipart(form)
            .progress(self.progress)
            .endpoint("enklu.upload_asset");
        let response = self.client.http().execute(self.options.apply(request)).await?;
        let answer: Value = response.json()?;
        if let Some(id) = answer
            .pointer("/body/id")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty())
        {
            return Ok(AssetId::new(id));
        }
        let error = Error::decode("Enklu upload answer", "no asset id in body.id", response.body());
        // `success: true` means Enklu took the upload: the asset exists under the id sent.
        Err(if answer.get("success").and_then(Value::as_bool) == Some(true) {
            error.after_created(Created::new(crate::enklu::VENDOR, "asset", qquuid))
        } else {
            error
        })
    }
}
