//! A fake Roblox Open Cloud Assets v1 API: assets, versions, rollback and operations that
//! finish after a set number of polls.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

use crate::multipart::parts_of;
use crate::server::{FakeServer, Handler, body_json, header, json, query, segments};

/// The content types Roblox accepts for uploads, by asset type (the docs' table).
const CONTENT_TYPES: &[(&str, &[&str])] = &[
    ("Animation", &["model/x-rbxm"]),
    ("Audio", &["audio/mpeg", "audio/ogg", "audio/wav", "audio/flac"]),
    ("Decal", &["image/png", "image/jpeg", "image/bmp", "image/tga"]),
    ("Image", &["image/png", "image/jpeg", "image/bmp", "image/tga"]),
    ("Mesh", &["model/x-file-mesh-data"]),
    (
        "Model",
        &[
            "model/fbx",
            "model/gltf+json",
            "model/gltf-binary",
            "model/x-rbxm",
        ],
    ),
    ("Video", &["video/mp4", "video/mov"]),
];

/// A stateful fake of `https://apis.roblox.com/assets`.
///
/// Point a Roblox client at [`uri`](FakeServer::uri) (the fake serves `/v1/...` at its
/// root). Any non-empty `x-api-key` or bearer token is accepted unless
/// [`require_api_key`](Self::require_api_key) names one. Operations are done after
/// [`set_polls_until_done`](Self::set_polls_until_done) polls (default 2).
#[derive(Debug)]
pub struct FakeRoblox {
    server: FakeServer,
    state: Arc<Mutex<State>>,
}

impl Deref for FakeRoblox {
    type Target = FakeServer;
    fn deref(&self) -> &FakeServer {
        &self.server
    }
}

#[derive(Debug, Default)]
struct State {
    next_asset: u64,
    next_operation: u64,
    assets: HashMap<String, Asset>,
    operations: HashMap<String, Operation>,
    polls_until_done: u32,
    fail_next: Option<(String, String)>,
    moderation: String,
    api_key: Option<String>,
    requests_in_window: u64,
    /// Where the fake listens, for Asset Delivery's `location`s.
    uri: String,
}

#[derive(Debug, Clone)]
struct Asset {
    id: String,
    kind: String,
    display_name: String,
    description: String,
    creator: Value,
    archived: bool,
    versions: Vec<Version>,
}

#[derive(Debug, Clone)]
struct Version {
    number: u64,
    moderation: String,
    /// The bytes uploaded for it, served by Asset Delivery.
    content: Arc<Vec<u8>>,
}

#[derive(Debug, Clone)]
struct Operation {
    polls_left: u32,
    asset_id: String,
    error: Option<(String, String)>,
}

impl FakeRoblox {
    /// Starts the fake on a free loopback port.
    pub async fn start() -> Self {
        Self::start_on(0).await
    }

    /// Starts the fake on loopback port `port` (0: any free port). Panics when the port
    /// is taken.
    pub async fn start_on(port: u16) -> Self {
        let state = Arc::new(Mutex::new(State {
            next_asset: 1_000_000,
            polls_until_done: 2,
            moderation: "MODERATION_STATE_APPROVED".into(),
            ..State::default()
        }));
        let server = FakeServer::start_at(Arc::new(RobloxHandler { state: state.clone() }), port).await;
        state.lock().unwrap_or_else(PoisonError::into_inner).uri = server.uri();
        Self { server, state }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Operations created from now on are done after `polls` polls; with 0, the create
    /// (or update) answer is already the finished operation, so nothing is polled.
    pub fn set_polls_until_done(&self, polls: u32) {
        self.lock().polls_until_done = polls;
    }

    /// The next operation ends with this error instead of an asset.
    pub fn fail_next_operation(&self, code: impl Into<String>, message: impl Into<String>) {
        self.lock().fail_next = Some((code.into(), message.into()));
    }

    /// The moderation state given to new versions (default `MODERATION_STATE_APPROVED`).
    pub fn set_moderation_state(&self, state: impl Into<String>) {
        self.lock().moderation = state.into();
    }

    /// Only this API key (or bearer token) is accepted; others get 401.
    pub fn require_api_key(&self, key: impl Into<String>) {
        self.lock().api_key = Some(key.into());
    }

    /// How many assets exist.
    pub fn asset_count(&self) -> usize {
        self.lock().assets.len()
    }

    /// Every asset's display name, sorted (a name twice means two assets of that name).
    pub fn asset_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .lock()
            .assets
            .values()
            .map(|a| a.display_name.clone())
            .collect();
        names.sort();
        names
    }

    /// How many versions asset `id` has.
    pub fn version_count(&self, id: &str) -> Option<usize> {
        self.lock().assets.get(id).map(|a| a.versions.len())
    }

    /// Adds an asset as if it had been created and then updated, with no request: one
    /// version per item of `versions` (its content, served by Asset Delivery), each with
    /// the current moderation state, owned by user 1. Answers its id, for tests that
    /// start from assets already present (Get Asset, List Asset Versions, rollback,
    /// downloads).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let fake = assetkit_testkit::FakeRoblox::start().await;
    /// let id = fake.seed_asset("Model", "Tree", &[b"v1", b"v2", b"v3"]);
    /// assert_eq!(fake.version_count(&id), Some(3));
    /// # }
    /// ```
    #[doc(alias = "with_versions")]
    pub fn seed_asset(&self, asset_type: &str, display_name: &str, versions: &[&[u8]]) -> String {
        let mut state = self.lock();
        state.next_asset += 1;
        let id = state.next_asset.to_string();
        let moderation = state.moderation.clone();
        let versions = (1u64..)
            .zip(versions)
            .map(|(number, content)| Version {
                number,
                moderation: moderation.clone(),
                content: Arc::new(content.to_vec()),
            })
            .collect();
        let asset = Asset {
            id: id.clone(),
            kind: asset_type.to_owned(),
            display_name: display_name.to_owned(),
            description: String::new(),
            creator: json!({"userId": "1"}),
            archived: false,
            versions,
        };
        state.assets.insert(id.clone(), asset);
        id
    }
}

struct RobloxHandler {
    state: Arc<Mutex<State>>,
}

fn error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    json(status, &json!({"code": code, "message": message}))
}

impl Asset {
    fn to_json(&self) -> Value {
        let latest = self.versions.last();
        json!({
            "assetType": format!("ASSET_TYPE_{}", self.kind.to_ascii_uppercase()),
            "assetId": self.id,
            "creationContext": {"creator": self.creator},
            "displayName": self.display_name,
            "description": self.description,
            "path": format!("assets/{}", self.id),
            "revisionId": latest.map(|v| v.number.to_string()),
            "revisionCreateTime": "2023-03-02T22:27:04.062164400Z",
            "moderationResult": {"moderationState": latest.map_or("MODERATION_STATE_APPROVED", |v| v.moderation.as_str())},
            "state": if self.archived { "Archived" } else { "Active" },
        })
    }

    fn version_json(&self, version: &Version) -> Value {
        json!({
            "path": format!("assets/{}/versions/{}", self.id, version.number),
            "creationContext": {"creator": self.creator},
            "moderationResult": {"moderationState": version.moderation},
            "published": true,
        })
    }
}

impl Handler for RobloxHandler {
    fn handle(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let key = header(request, "x-api-key")
            .or_else(|| header(request, "authorization").and_then(|a| a.strip_prefix("Bearer ")))
            .unwrap_or_default()
            .to_owned();
        if key.is_empty() || state.api_key.as_ref().is_some_and(|k| *k != key) {
            return error(401, "UNAUTHENTICATED", "Invalid API Key");
        }
        state.requests_in_window += 1;
        let remaining = 120u64.saturating_sub(state.requests_in_window % 120);
        let answer = route(&mut state, request);
        answer
            .insert_header("x-ratelimit-limit", "120")
            .insert_header("x-ratelimit-remaining", remaining.to_string().as_str())
            .insert_header("x-ratelimit-reset", "60")
    }
}

fn route(state: &mut State, request: &Request) -> ResponseTemplate {
    let segments = segments(request);
    let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
    let method = request.method.as_str();
    match (method, parts.as_slice()) {
        ("POST", ["v1", "assets"]) => create(state, request),
        ("GET", ["v1", "operations", id]) => operation(state, id),
        ("PATCH", ["v1", "assets", id]) => update(state, request, id),
        ("GET", ["v1", "assets", id]) => with_asset(state, id, |a| json(200, &a.to_json())),
        ("POST", ["v1", "assets", action]) => match action.split_once(':') {
            Some((id, "archive")) => set_archived(state, id, true),
            Some((id, "restore")) => set_archived(state, id, false),
            _ => error(404, "NOT_FOUND", "No such method."),
        },
        ("GET", ["v1", "assets", id, "versions"]) => list_versions(state, request, id),
        ("POST", ["v1", "assets", id, "versions:rollback"]) => rollback(state, request, id),
        ("GET", ["v1", "assets", id, "versions", n]) => with_asset(state, id, |asset| {
            match asset.versions.iter().find(|v| v.number.to_string() == *n) {
                Some(version) => json(200, &asset.version_json(version)),
                None => error(404, "NOT_FOUND", "Asset version not found."),
            }
        }),
        ("GET", ["asset-delivery-api", "v1", "assetId", id]) => delivery(state, id, None),
        ("GET", ["asset-delivery-api", "v1", "assetId", id, "version", n]) => delivery(state, id, Some(n)),
        ("GET", ["delivery", id, n]) => with_asset(state, id, |asset| {
            match asset.versions.iter().find(|v| v.number.to_string() == *n) {
                Some(version) => ResponseTemplate::new(200)
                    .insert_header("content-type", "application/octet-stream")
                    .set_body_bytes(version.content.as_slice().to_vec()),
                None => error(404, "NOT_FOUND", "Asset version not found."),
            }
        }),
        _ => error(404, "NOT_FOUND", "The requested route does not exist."),
    }
}

/// Asset Delivery: where a version's bytes are (`/delivery/{id}/{n}` on this fake).
fn delivery(state: &State, id: &str, version: Option<&str>) -> ResponseTemplate {
    with_asset(state, id, |asset| {
        let found = match version {
            Some(n) => asset.versions.iter().find(|v| v.number.to_string() == n),
            None => asset.versions.last(),
        };
        let Some(version) = found else {
            return error(404, "NOT_FOUND", "Asset version not found.");
        };
        let location = format!("{}/delivery/{id}/{}", state.uri, version.number);
        json(200, &json!({"location": location, "requestId": "fake-delivery"}))
    })
}

fn with_asset(state: &State, id: &str, answer: impl FnOnce(&Asset) -> ResponseTemplate) -> ResponseTemplate {
    match state.assets.get(id) {
        Some(asset) => answer(asset),
        None => error(404, "NOT_FOUND", "Asset not found."),
    }
}

/// Reads the `request` JSON part and the optional `fileContent` part.
/// A file part's size and content type.
type FilePart = (usize, Option<String>, Arc<Vec<u8>>);

fn read_form(request: &Request) -> Result<(Value, Option<FilePart>), ResponseTemplate> {
    let parts =
        parts_of(request).map_err(|e| error(400, "INVALID_ARGUMENT", &format!("Bad multipart body: {e}")))?;
    let json_part = parts
        .iter()
        .find(|p| p.name == "request")
        .ok_or_else(|| error(400, "INVALID_ARGUMENT", "The request part is required."))?;
    let value: Value = serde_json::from_slice(&json_part.data)
        .map_err(|_| error(400, "INVALID_ARGUMENT", "The request part is not valid JSON."))?;
    let file = parts
        .iter()
        .find(|p| p.name == "fileContent")
        .map(|p| (p.data.len(), p.content_type.clone(), Arc::new(p.data.to_vec())));
    Ok((value, file))
}

fn check_content(asset_type: &str, file: Option<&FilePart>) -> Result<(), ResponseTemplate> {
    let Some((size, content_type, _)) = file else {
        return Ok(());
    };
    if *size > 20 * 1024 * 1024 && asset_type != "Video" {
        return Err(error(
            400,
            "INVALID_ARGUMENT",
            "File size exceeds the 20 MB limit.",
        ));
    }
    let allowed = CONTENT_TYPES
        .iter()
        .find(|(t, _)| *t == asset_type)
        .map(|(_, c)| *c)
        .unwrap_or_default();
    match content_type {
        Some(ct) if allowed.contains(&ct.as_str()) => Ok(()),
        other => Err(error(
            400,
            "INVALID_ARGUMENT",
            &format!("Content type {other:?} is not supported for asset type {asset_type}."),
        )),
    }
}

fn start_operation(state: &mut State, asset_id: String) -> ResponseTemplate {
    state.next_operation += 1;
    let id = format!(
        "{:08x}-0000-4000-8000-{:012x}",
        state.next_operation, state.next_operation
    );
    let error = state.fail_next.take();
    let polls_left = state.polls_until_done;
    state.operations.insert(
        id.clone(),
        Operation {
            polls_left,
            asset_id,
            error,
        },
    );
    // With no polls to wait for, the create answer itself is the finished operation.
    if polls_left == 0 {
        return operation(state, &id);
    }
    json(
        200,
        &json!({"path": format!("operations/{id}"), "operationId": id, "done": false}),
    )
}

fn create(state: &mut State, request: &Request) -> ResponseTemplate {
    let (body, file) = match read_form(request) {
        Ok(form) => form,
        Err(answer) => return answer,
    };
    let text = |key: &str| {
        body.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let asset_type = text("assetType");
    if !CONTENT_TYPES.iter().any(|(t, _)| *t == asset_type) {
        return error(
            400,
            "INVALID_ARGUMENT",
            "assetType is required and must be a supported type.",
        );
    }
    if text("displayName").is_empty() {
        return error(400, "INVALID_ARGUMENT", "displayName is required.");
    }
    let Some(creator) = body
        .pointer("/creationContext/creator")
        .filter(|c| c.get("userId").or_else(|| c.get("groupId")).is_some())
    else {
        return error(
            400,
            "INVALID_ARGUMENT",
            "creationContext.creator needs a userId or a groupId.",
        );
    };
    let Some(file) = file else {
        return error(400, "INVALID_ARGUMENT", "fileContent is required.");
    };
    if let Err(answer) = check_content(&asset_type, Some(&file)) {
        return answer;
    }
    state.next_asset += 1;
    let id = state.next_asset.to_string();
    let asset = Asset {
        id: id.clone(),
        kind: asset_type,
        display_name: text("displayName"),
        description: text("description"),
        creator: creator.clone(),
        archived: false,
        versions: vec![Version {
            number: 1,
            moderation: state.moderation.clone(),
            content: file.2.clone(),
        }],
    };
    state.assets.insert(id.clone(), asset);
    start_operation(state, id)
}

fn update(state: &mut State, request: &Request, id: &str) -> ResponseTemplate {
    let (body, file) = match read_form(request) {
        Ok(form) => form,
        Err(answer) => return answer,
    };
    let moderation = state.moderation.clone();
    let Some(asset) = state.assets.get_mut(id) else {
        return error(404, "NOT_FOUND", "Asset not found.");
    };
    if file.is_some() {
        if asset.kind != "Model" {
            return error(
                400,
                "INVALID_ARGUMENT",
                "Content updates are only available for models.",
            );
        }
        if let Err(answer) = check_content(&asset.kind, file.as_ref()) {
            return answer;
        }
    }
    let mask = query(request, "updateMask").unwrap_or_default();
    let fields: Vec<&str> = mask.split(',').map(str::trim).filter(|f| !f.is_empty()).collect();
    // A refused request changes nothing: check the whole mask before applying any of it.
    if let Some(other) = fields
        .iter()
        .find(|f| !matches!(**f, "displayName" | "description"))
    {
        return error(
            400,
            "INVALID_ARGUMENT",
            &format!("Unknown field in updateMask: {other}"),
        );
    }
    for field in fields {
        let value = body
            .get(field)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if field == "displayName" {
            asset.display_name = value;
        } else {
            asset.description = value;
        }
    }
    if let Some((_, _, content)) = file {
        let number = asset.versions.len() as u64 + 1;
        asset.versions.push(Version {
            number,
            moderation,
            content,
        });
    }
    start_operation(state, id.to_owned())
}

fn operation(state: &mut State, id: &str) -> ResponseTemplate {
    let Some(operation) = state.operations.get_mut(id) else {
        return error(404, "NOT_FOUND", "Operation not found.");
    };
    let path = format!("operations/{id}");
    if operation.polls_left > 0 {
        operation.polls_left -= 1;
        return json(200, &json!({"path": path, "operationId": id, "done": false}));
    }
    if let Some((code, message)) = &operation.error {
        return json(
            200,
            &json!({"path": path, "operationId": id, "done": true, "error": {"code": code, "message": message, "details": []}}),
        );
    }
    let asset_id = operation.asset_id.clone();
    let mut response = state.assets.get(&asset_id).map_or(Value::Null, Asset::to_json);
    if let Some(map) = response.as_object_mut() {
        map.insert(
            "@type".into(),
            json!("type.googleapis.com/roblox.open_cloud.assets.v1.Asset"),
        );
    }
    json(
        200,
        &json!({"path": path, "operationId": id, "done": true, "response": response}),
    )
}

fn set_archived(state: &mut State, id: &str, archived: bool) -> ResponseTemplate {
    match state.assets.get_mut(id) {
        Some(asset) => {
            asset.archived = archived;
            json(200, &asset.to_json())
        }
        None => error(404, "NOT_FOUND", "Asset not found."),
    }
}

fn list_versions(state: &State, request: &Request, id: &str) -> ResponseTemplate {
    let size = query(request, "maxPageSize")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(8);
    if !(1..=50).contains(&size) {
        return error(400, "INVALID_ARGUMENT", "maxPageSize must be between 1 and 50.");
    }
    let start = query(request, "pageToken")
        .and_then(|t| t.strip_prefix("page-")?.parse::<usize>().ok())
        .unwrap_or(0);
    with_asset(state, id, |asset| {
        // Newest first, as Roblox lists them.
        let versions: Vec<Value> = asset
            .versions
            .iter()
            .rev()
            .map(|v| asset.version_json(v))
            .collect();
        let page: Vec<Value> = versions.iter().skip(start).take(size).cloned().collect();
        let next = if start + size < versions.len() {
            format!("page-{}", start + size)
        } else {
            String::new()
        };
        json(200, &json!({"assetVersions": page, "nextPageToken": next}))
    })
}

fn rollback(state: &mut State, request: &Request, id: &str) -> ResponseTemplate {
    let wanted = body_json(request)
        .get("assetVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let Some(asset) = state.assets.get_mut(id) else {
        return error(404, "NOT_FOUND", "Asset not found.");
    };
    let prefix = format!("assets/{id}/versions/");
    let Some(source) = wanted
        .strip_prefix(&prefix)
        .and_then(|n| asset.versions.iter().find(|v| v.number.to_string() == n))
        .cloned()
    else {
        return error(
            400,
            "INVALID_ARGUMENT",
            "assetVersion must name an existing version of this asset.",
        );
    };
    let number = asset.versions.len() as u64 + 1;
    let version = Version { number, ..source };
    asset.versions.push(version.clone());
    json(200, &asset.version_json(&version))
}
