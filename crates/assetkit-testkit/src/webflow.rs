//! A fake Webflow Data API v2 (assets and asset folders) with the two-step upload: step 1
//! answers with a signed S3 form, for the fake's own S3 endpoint or for a real
//! S3-compatible server.

use std::collections::BTreeMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use md5::{Digest, Md5};
use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

use crate::multipart::parts_of;
use crate::s3::{PostPolicy, S3Target, error_xml, verify_form};
use crate::server::{FakeServer, Handler, body_json, header, json, query, segments};

/// The bucket, keys and size limit of the fake's own S3 endpoint.
const OWN_BUCKET: &str = "webflow-fake-assets";
const OWN_ACCESS_KEY: &str = "FAKEACCESSKEY";
const OWN_SECRET_KEY: &str = "fake-secret-key";

/// A stateful fake of `https://api.webflow.com/v2`.
///
/// Point a Webflow client at [`uri`](FakeServer::uri). Upload step 1 answers with a form
/// signed for the fake's own S3 endpoint (served at `/s3/...` on the same port, which
/// checks the signature, the policy and the size) or, after [`use_s3`](Self::use_s3), for a
/// real S3-compatible server. Any non-empty bearer token is accepted unless
/// [`require_token`](Self::require_token) names one.
#[derive(Debug)]
pub struct FakeWebflow {
    server: FakeServer,
    state: Arc<Mutex<State>>,
}

impl Deref for FakeWebflow {
    type Target = FakeServer;
    fn deref(&self) -> &FakeServer {
        &self.server
    }
}

#[derive(Debug, Default)]
struct State {
    uri: String,
    next_id: u64,
    assets: BTreeMap<String, Asset>,
    folders: BTreeMap<String, Folder>,
    s3: Option<S3Target>,
    max_size: u64,
    token: Option<String>,
    uploaded: BTreeMap<String, Vec<u8>>,
}

#[derive(Debug, Clone)]
struct Asset {
    id: String,
    site_id: String,
    file_name: String,
    display_name: String,
    file_hash: String,
    content_type: String,
    parent_folder: Option<String>,
    key: String,
    size: Option<usize>,
    alt_text: Option<String>,
}

#[derive(Debug, Clone)]
struct Folder {
    id: String,
    site_id: String,
    display_name: String,
    parent_folder: Option<String>,
}

impl FakeWebflow {
    /// Starts the fake on a free loopback port.
    pub async fn start() -> Self {
        Self::start_on(0).await
    }

    /// Starts the fake on loopback port `port` (0: any free port). Panics when the port
    /// is taken.
    pub async fn start_on(port: u16) -> Self {
        let state = Arc::new(Mutex::new(State {
            max_size: 4 * 1024 * 1024 * 1024,
            ..State::default()
        }));
        let server = FakeServer::start_at(Arc::new(WebflowHandler { state: state.clone() }), port).await;
        state.lock().unwrap_or_else(PoisonError::into_inner).uri = server.uri();
        Self { server, state }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Signs upload forms for a real S3-compatible server instead of the fake's own endpoint.
    pub fn use_s3(&self, target: S3Target) {
        self.lock().s3 = Some(target);
    }

    /// The largest upload the signed policies allow (default 4 GiB).
    pub fn set_max_upload_size(&self, bytes: u64) {
        self.lock().max_size = bytes;
    }

    /// Only this bearer token is accepted; others get 401.
    pub fn require_token(&self, token: impl Into<String>) {
        self.lock().token = Some(token.into());
    }

    /// The bytes the fake's own S3 endpoint received for asset `id`.
    pub fn uploaded(&self, id: &str) -> Option<Vec<u8>> {
        let state = self.lock();
        let key = &state.assets.get(id)?.key;
        state.uploaded.get(key).cloned()
    }

    /// How many assets exist.
    pub fn asset_count(&self) -> usize {
        self.lock().assets.len()
    }

    /// Every asset's file name, sorted (a name twice means two assets of that name), and
    /// whether its bytes reached the fake's own S3 endpoint.
    pub fn asset_names(&self) -> Vec<(String, bool)> {
        let state = self.lock();
        let mut names: Vec<(String, bool)> = state
            .assets
            .values()
            .map(|a| (a.file_name.clone(), state.uploaded.contains_key(&a.key)))
            .collect();
        names.sort();
        names
    }
}

struct WebflowHandler {
    state: Arc<Mutex<State>>,
}

fn error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    json(
        status,
        &json!({"code": code, "message": message, "externalReference": format!("fake-{status}"), "details": []}),
    )
}

impl Handler for WebflowHandler {
    fn handle(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let segments = segments(request);
        let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
        if let ("POST", ["s3", bucket]) = (request.method.as_str(), parts.as_slice()) {
            return s3_upload(&mut state, request, bucket);
        }
        // The CDN: an asset's `hostedUrl`, public, with the bytes its S3 step received.
        if let ("GET", ["hosted", key @ ..]) = (request.method.as_str(), parts.as_slice()) {
            return match state.uploaded.get(&key.join("/")) {
                Some(bytes) => ResponseTemplate::new(200)
                    .insert_header("content-type", "application/octet-stream")
                    .set_body_bytes(bytes.clone()),
                None => ResponseTemplate::new(404),
            };
        }
        let token = header(request, "authorization")
            .and_then(|a| a.strip_prefix("Bearer "))
            .unwrap_or_default();
        if token.is_empty() || state.token.as_ref().is_some_and(|t| t != token) {
            return error(401, "not_authorized", "Request not authorized");
        }
        let answer = match (request.method.as_str(), parts.as_slice()) {
            ("GET", ["sites", site, "assets"]) => list_assets(&state, request, site),
            ("POST", ["sites", site, "assets"]) => create_asset(&mut state, request, site),
            ("GET", ["assets", id]) => match state.assets.get(*id) {
                Some(asset) => json(200, &asset.to_json(&state)),
                None => error(404, "resource_not_found", "Requested resource not found"),
            },
            ("PATCH", ["assets", id]) => update_asset(&mut state, request, id),
            ("DELETE", ["assets", id]) => match state.assets.remove(*id) {
                Some(_) => ResponseTemplate::new(204),
                None => error(404, "resource_not_found", "Requested resource not found"),
            },
            ("GET", ["sites", site, "asset_folders"]) => {
                let folders: Vec<Value> = state
                    .folders
                    .values()
                    .filter(|f| f.site_id == *site)
                    .map(|f| f.to_json(&state))
                    .collect();
                let total = folders.len();
                json(
                    200,
                    &json!({"assetFolders": folders, "pagination": {"limit": 100, "offset": 0, "total": total}}),
                )
            }
            ("POST", ["sites", site, "asset_folders"]) => create_folder(&mut state, request, site),
            ("GET", ["asset_folders", id]) => match state.folders.get(*id) {
                Some(folder) => json(200, &folder.to_json(&state)),
                None => error(404, "resource_not_found", "Requested resource not found"),
            },
            _ => error(404, "route_not_found", "Requested route not found"),
        };
        answer
            .insert_header("x-ratelimit-limit", "60")
            .insert_header("x-ratelimit-remaining", "59")
    }
}

impl Asset {
    fn to_json(&self, state: &State) -> Value {
        let hosted = format!("{}/hosted/{}", state.uri, self.key);
        json!({
            "id": self.id,
            "contentType": self.content_type,
            "size": self.size,
            "siteId": self.site_id,
            "hostedUrl": hosted,
            "originalFileName": self.file_name,
            "displayName": self.display_name,
            "lastUpdated": "2024-01-01T00:00:00.000Z",
            "createdOn": "2024-01-01T00:00:00.000Z",
            "variants": [],
            "altText": self.alt_text,
            "parentFolder": self.parent_folder,
        })
    }
}

impl Folder {
    fn to_json(&self, state: &State) -> Value {
        let assets: Vec<&String> = state
            .assets
            .values()
            .filter(|a| a.parent_folder.as_deref() == Some(self.id.as_str()))
            .map(|a| &a.id)
            .collect();
        json!({
            "id": self.id,
            "displayName": self.display_name,
            "parentFolder": self.parent_folder,
            "assets": assets,
            "siteId": self.site_id,
            "createdOn": "2024-01-01T00:00:00.000Z",
            "lastUpdated": "2024-01-01T00:00:00.000Z",
        })
    }
}

fn new_id(state: &mut State) -> String {
    state.next_id += 1;
    format!(
        "{:024x}",
        0x65a0_0000_0000_0000_0000_0000u128 + u128::from(state.next_id)
    )
}

fn list_assets(state: &State, request: &Request, site: &str) -> ResponseTemplate {
    let offset = query(request, "offset")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    let limit = query(request, "limit")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(100);
    if limit == 0 || limit > 100 {
        return error(400, "validation_error", "limit must be between 1 and 100");
    }
    let all: Vec<&Asset> = state.assets.values().filter(|a| a.site_id == site).collect();
    let page: Vec<Value> = all
        .iter()
        .skip(offset)
        .take(limit)
        .map(|a| a.to_json(state))
        .collect();
    json(
        200,
        &json!({"assets": page, "pagination": {"limit": limit, "offset": offset, "total": all.len()}}),
    )
}

fn content_type_of(file_name: &str) -> &'static str {
    let extension = file_name
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match extension.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

fn create_asset(state: &mut State, request: &Request, site: &str) -> ResponseTemplate {
    let body = body_json(request);
    let file_name = body
        .get("fileName")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let file_hash = body
        .get("fileHash")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if file_name.is_empty() || file_name.chars().count() >= 100 {
        return error(
            400,
            "validation_error",
            "fileName must be between 1 and 99 characters",
        );
    }
    if file_hash.len() != 32 || !file_hash.chars().all(|c| c.is_ascii_hexdigit()) {
        return error(400, "validation_error", "fileHash must be an MD5 hex digest");
    }
    let parent_folder = body
        .get("parentFolder")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if parent_folder
        .as_ref()
        .is_some_and(|p| !state.folders.contains_key(p))
    {
        return error(404, "resource_not_found", "Parent folder not found");
    }
    let id = new_id(state);
    let content_type = content_type_of(&file_name).to_owned();
    let key = format!("{site}/{id}_{file_name}");
    let target = state.s3.clone().unwrap_or_else(|| {
        S3Target::new(
            format!("{}/s3", state.uri),
            OWN_BUCKET,
            OWN_ACCESS_KEY,
            OWN_SECRET_KEY,
        )
    });
    let fields = PostPolicy::new(key.clone(), content_type.clone(), state.max_size).sign(&target);
    let details: serde_json::Map<String, Value> =
        fields.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
    let asset = Asset {
        id: id.clone(),
        site_id: site.to_owned(),
        file_name: file_name.clone(),
        display_name: file_name.clone(),
        file_hash,
        content_type: content_type.clone(),
        parent_folder: parent_folder.clone(),
        key: key.clone(),
        size: None,
        alt_text: None,
    };
    let hosted = format!("{}/hosted/{key}", state.uri);
    state.assets.insert(id.clone(), asset);
    json(
        200,
        &json!({
            "uploadDetails": details,
            "contentType": content_type,
            "id": id,
            "parentFolder": parent_folder,
            "uploadUrl": target.upload_url(),
            "assetUrl": hosted,
            "hostedUrl": hosted,
            "originalFileName": file_name,
            "createdOn": "2024-01-01T00:00:00.000Z",
            "lastUpdated": "2024-01-01T00:00:00.000Z",
        }),
    )
}

fn s3_upload(state: &mut State, request: &Request, bucket: &str) -> ResponseTemplate {
    let xml = |status: u16, code: &str, message: &str| {
        ResponseTemplate::new(status)
            .insert_header("content-type", "application/xml")
            .set_body_string(error_xml(code, message))
    };
    if bucket != OWN_BUCKET {
        return xml(404, "NoSuchBucket", "The specified bucket does not exist");
    }
    if header(request, "authorization").is_some() {
        return xml(400, "InvalidArgument", "Only one auth mechanism allowed");
    }
    let parts = match parts_of(request) {
        Ok(parts) => parts,
        Err(e) => return xml(400, "MalformedPOSTRequest", &e),
    };
    let Some(file) = parts.last().filter(|p| p.name == "file") else {
        return xml(
            400,
            "InvalidArgument",
            "POST requires exactly one file upload per request, as the last field.",
        );
    };
    let fields: Vec<(String, String)> = parts[..parts.len() - 1]
        .iter()
        .map(|p| (p.name.clone(), p.text()))
        .collect();
    if let Err((status, code, message)) =
        verify_form(&fields, file.data.len() as u64, OWN_SECRET_KEY, SystemTime::now())
    {
        return xml(status, code, &message);
    }
    let key = fields
        .iter()
        .find(|(k, _)| k == "key")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let digest = hex::encode(Md5::digest(&file.data));
    if let Some(asset) = state.assets.values_mut().find(|a| a.key == key) {
        if asset.file_hash != digest {
            return xml(
                400,
                "BadDigest",
                "The Content-MD5 you specified did not match what we received.",
            );
        }
        asset.size = Some(file.data.len());
    }
    state.uploaded.insert(key.clone(), file.data.to_vec());
    ResponseTemplate::new(201).insert_header("content-type", "application/xml").set_body_string(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse><Location>{}/hosted/{key}</Location><Bucket>{bucket}</Bucket><Key>{key}</Key><ETag>\"{digest}\"</ETag></PostResponse>",
        state.uri
    ))
}

fn update_asset(state: &mut State, request: &Request, id: &str) -> ResponseTemplate {
    let body = body_json(request);
    let Some(asset) = state.assets.get_mut(id) else {
        return error(404, "resource_not_found", "Requested resource not found");
    };
    if let Some(name) = body.get("displayName").and_then(Value::as_str) {
        if name.is_empty() || name.chars().count() >= 100 {
            return error(
                400,
                "validation_error",
                "displayName must be between 1 and 99 characters",
            );
        }
        name.clone_into(&mut asset.display_name);
    }
    if let Some(text) = body.get("altText").and_then(Value::as_str) {
        asset.alt_text = Some(text.to_owned());
    }
    let asset = asset.clone();
    json(200, &asset.to_json(state))
}

fn create_folder(state: &mut State, request: &Request, site: &str) -> ResponseTemplate {
    let body = body_json(request);
    let Some(name) = body
        .get("displayName")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
    else {
        return error(400, "validation_error", "displayName is required");
    };
    let name = name.to_owned();
    let parent_folder = body
        .get("parentFolder")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let id = new_id(state);
    let folder = Folder {
        id: id.clone(),
        site_id: site.to_owned(),
        display_name: name,
        parent_folder,
    };
    state.folders.insert(id, folder.clone());
    json(200, &folder.to_json(state))
}
