//! A fake Media Pocket API v2: projects, assets, media from URLs that finish processing
//! after a set number of reads, trash and restore.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Deref;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

use crate::server::{FakeServer, Handler, body_json, header, json, segments};

/// The project every fresh fake knows.
pub const DEMO_PROJECT: &str = "DtialUGXI36apS40-0cE";

/// A stateful fake of `https://<tenant>.mediapocket.fi/api/v2`.
///
/// Point a Media Pocket client at [`base_url`](Self::base_url). The project
/// [`DEMO_PROJECT`] exists; add others with [`add_project`](Self::add_project). Media
/// added from a URL or S3 key stays `processing` for
/// [`set_reads_until_processed`](Self::set_reads_until_processed) reads (default 2).
/// Any non-empty `X-API-KEY` is accepted unless [`require_api_key`](Self::require_api_key)
/// names one.
#[derive(Debug)]
pub struct FakeMediaPocket {
    server: FakeServer,
    state: Arc<Mutex<State>>,
}

impl Deref for FakeMediaPocket {
    type Target = FakeServer;
    fn deref(&self) -> &FakeServer {
        &self.server
    }
}

#[derive(Debug, Default)]
struct State {
    next_id: u64,
    projects: BTreeSet<String>,
    assets: BTreeMap<String, Asset>,
    reads_until_processed: u32,
    api_key: Option<String>,
}

#[derive(Debug, Clone)]
struct Asset {
    record: Value,
    reads_left: u32,
    final_media_type: String,
    media: Vec<Value>,
}

impl FakeMediaPocket {
    /// Starts the fake on a free loopback port.
    pub async fn start() -> Self {
        Self::start_on(0).await
    }

    /// Starts the fake on loopback port `port` (0: any free port). Panics when the port
    /// is taken.
    pub async fn start_on(port: u16) -> Self {
        let state = Arc::new(Mutex::new(State {
            projects: BTreeSet::from([DEMO_PROJECT.to_owned()]),
            reads_until_processed: 2,
            ..State::default()
        }));
        let server = FakeServer::start_at(Arc::new(MediaPocketHandler { state: state.clone() }), port).await;
        Self { server, state }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The base URL to give a client: `<uri>/api/v2`.
    pub fn base_url(&self) -> String {
        format!("{}/api/v2", self.uri())
    }

    /// Makes project `id` exist.
    pub fn add_project(&self, id: impl Into<String>) {
        self.lock().projects.insert(id.into());
    }

    /// Media added from now on stays `processing` for `reads` reads of its asset.
    pub fn set_reads_until_processed(&self, reads: u32) {
        self.lock().reads_until_processed = reads;
    }

    /// Only this API key is accepted; others get 401.
    pub fn require_api_key(&self, key: impl Into<String>) {
        self.lock().api_key = Some(key.into());
    }

    /// How many assets exist (trashed ones included).
    pub fn asset_count(&self) -> usize {
        self.lock().assets.len()
    }
}

struct MediaPocketHandler {
    state: Arc<Mutex<State>>,
}

fn error(status: u16, message: &str) -> ResponseTemplate {
    json(status, &json!({"error": message}))
}

const NOW: &str = "2023-11-27T09:43:34.166Z";

impl Handler for MediaPocketHandler {
    fn handle(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let key = header(request, "x-api-key").unwrap_or_default();
        if key.is_empty() || state.api_key.as_ref().is_some_and(|k| k != key) {
            return error(401, "Unauthorized");
        }
        let segments = segments(request);
        let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
        match (request.method.as_str(), parts.as_slice()) {
            ("POST", ["api", "v2", "projects", project, "assets"]) => create(&mut state, request, project),
            ("GET", ["api", "v2", "assets", id]) => read(&mut state, id),
            ("PUT", ["api", "v2", "assets", id]) => update(&mut state, request, id),
            ("DELETE", ["api", "v2", "assets", id]) => match state.assets.remove(*id) {
                Some(asset) => json(200, &json!({"asset": asset.record})),
                None => error(404, "asset not found"),
            },
            ("POST", ["api", "v2", "assets", id, "media"]) => add_media(&mut state, request, id),
            ("GET", ["api", "v2", "assets", id, "media"]) => match state.assets.get(*id) {
                Some(asset) => json(200, &json!({"media": asset.media})),
                None => error(404, "asset not found"),
            },
            ("DELETE", ["api", "v2", "assets", id, "media"]) => remove_media(&mut state, id),
            // The fake keeps no bytes: a media's download URL is where it was fetched from.
            ("GET", ["api", "v2", "assets", id, "media", media, "download_url"]) => {
                let url = state
                    .assets
                    .get(*id)
                    .and_then(|a| a.media.iter().find(|m| m["id"] == *media))
                    .and_then(|m| m["file_url"].as_str());
                match url {
                    Some(url) => json(200, &json!({"download_url": url})),
                    None => error(404, "media not found"),
                }
            }
            ("POST", ["api", "v2", "assets", id, "trash_bin"]) => set_deleted(&mut state, id, true),
            ("POST", ["api", "v2", "assets", id, "restore"]) => set_deleted(&mut state, id, false),
            _ => error(404, "not found"),
        }
    }
}

fn media_type_of(filename: &str) -> &'static str {
    let extension = filename
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match extension.as_str() {
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "tif" | "tiff" => "image",
        "mp4" | "mov" | "avi" => "video",
        "mp3" | "wav" | "ogg" => "audio",
        _ => "document",
    }
}

/// The `{file_url, filename}` of a media hash, checked as Media Pocket does.
fn media_source(value: &Value) -> Result<(String, String), String> {
    let file_url = value
        .get("file_url")
        .or_else(|| value.get("s3_key"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let filename = value.get("filename").and_then(Value::as_str).unwrap_or_default();
    if value.get("file_url").is_some()
        && !(file_url.starts_with("http://") || file_url.starts_with("https://"))
    {
        return Err("not a valid HTTP URL".into());
    }
    if file_url.is_empty() || filename.is_empty() {
        return Err("missing file location or filename".into());
    }
    Ok((file_url.to_owned(), filename.to_owned()))
}

fn create(state: &mut State, request: &Request, project: &str) -> ResponseTemplate {
    if !state.projects.contains(project) {
        return error(404, "project not found");
    }
    let body = body_json(request);
    let Some(title) = body.get("title").and_then(Value::as_str) else {
        return error(422, "Missing parameter title");
    };
    let media_type = body.get("media_type").and_then(Value::as_str);
    if let Some(kind) = media_type.filter(|k| *k != "article") {
        return error(
            422,
            &format!(
                "Invalid parameter 'media_type' value \"{kind}\": Must be one of: <code>article</code>."
            ),
        );
    }
    state.next_id += 1;
    let id = format!("mp{:018}", state.next_id);
    let tags: Vec<Value> = body
        .get("tags")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let record = json!({
        "id": id,
        "external_id": body.get("external_id").cloned().unwrap_or(Value::Null),
        "parent_id": null,
        "project_id": project,
        "owner": "api-user@example.com",
        "title": title,
        "description": body.get("description").cloned().unwrap_or(Value::Null),
        "category": body.get("category").and_then(Value::as_str).map(str::to_lowercase),
        "tags": tags,
        "ai_tags": [],
        "status": "open",
        "media_type": if media_type.is_some() { "article" } else { "placeholder" },
        "original_filename": null,
        "drop_folder_id": null,
        "md5_sum": null,
        "created_date": NOW,
        "modification_date": NOW,
        "deleted": null,
    });
    let reads_left = state.reads_until_processed;
    state.assets.insert(
        id.clone(),
        Asset {
            record,
            reads_left,
            final_media_type: "placeholder".into(),
            media: Vec::new(),
        },
    );
    let media = body.get("url").or_else(|| body.get("s3")).cloned();
    if let Some(media) = media
        && let Err(reason) = attach(state, &id, &media)
    {
        return error(
            400,
            &format!("Asset {id} created, adding media to asset failed: {reason}"),
        );
    }
    asset_answer(state, &id)
}

fn attach(state: &mut State, id: &str, media: &Value) -> Result<(), String> {
    let (location, filename) = media_source(media)?;
    let reads = state.reads_until_processed;
    let asset = state.assets.get_mut(id).ok_or("asset not found")?;
    media_type_of(&filename).clone_into(&mut asset.final_media_type);
    asset.reads_left = reads;
    asset.record["media_type"] = json!(if reads == 0 {
        asset.final_media_type.as_str()
    } else {
        "processing"
    });
    asset.record["original_filename"] = json!(filename);
    // Media ids count from 1 per asset.
    let media_id = (asset.media.len() + 1).to_string();
    asset
        .media
        .push(json!({"id": media_id, "file_url": location, "filename": filename, "status": "processing"}));
    Ok(())
}

/// Remove Media as the page documents it: a 200 with the asset, and an `errors` object
/// when there was no media to remove.
fn remove_media(state: &mut State, id: &str) -> ResponseTemplate {
    let Some(asset) = state.assets.get_mut(id) else {
        return error(404, "asset not found");
    };
    if asset.media.is_empty() {
        return json(
            200,
            &json!({"asset": asset.record, "errors": {"error": "No media found on this asset.", "status": 400}}),
        );
    }
    asset.media.clear();
    asset.record["media_type"] = json!("placeholder");
    asset_answer(state, id)
}

fn asset_answer(state: &State, id: &str) -> ResponseTemplate {
    match state.assets.get(id) {
        Some(asset) => json(200, &json!({"asset": asset.record})),
        None => error(404, "asset not found"),
    }
}

fn read(state: &mut State, id: &str) -> ResponseTemplate {
    if let Some(asset) = state.assets.get_mut(id)
        && asset.record["media_type"] == "processing"
    {
        if asset.reads_left <= 1 {
            asset.reads_left = 0;
            asset.record["media_type"] = json!(asset.final_media_type);
            asset.record["md5_sum"] = json!("9e107d9d372bb6826bd81d3542a419d6");
            for media in &mut asset.media {
                media["status"] = json!("ready");
            }
        } else {
            asset.reads_left -= 1;
        }
    }
    asset_answer(state, id)
}

fn update(state: &mut State, request: &Request, id: &str) -> ResponseTemplate {
    let body = body_json(request);
    let Some(asset) = state.assets.get_mut(id) else {
        return error(404, "asset not found");
    };
    for field in ["title", "description", "category", "tags", "external_id"] {
        if let Some(value) = body.get(field) {
            asset.record[field] = value.clone();
        }
    }
    asset.record["modification_date"] = json!("2023-11-28T10:00:00.000Z");
    asset_answer(state, id)
}

fn add_media(state: &mut State, request: &Request, id: &str) -> ResponseTemplate {
    if !state.assets.contains_key(id) {
        return error(404, "asset not found");
    }
    match attach(state, id, &body_json(request)) {
        Ok(()) => asset_answer(state, id),
        Err(reason) => error(400, &format!("adding media to asset failed: {reason}")),
    }
}

fn set_deleted(state: &mut State, id: &str, deleted: bool) -> ResponseTemplate {
    let Some(asset) = state.assets.get_mut(id) else {
        return error(404, "asset not found");
    };
    asset.record["deleted"] = if deleted { json!(NOW) } else { Value::Null };
    asset.record["status"] = json!(if deleted { "trashed" } else { "open" });
    asset_answer(state, id)
}
