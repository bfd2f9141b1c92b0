//! A fake Unicat project: API-key sign-in with JWTs renewed in answers, an asset tree
//! addressed by gid and pathname, uploads, updates, delete and undelete.

use std::collections::BTreeMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Map, Value, json};
use wiremock::{Request, ResponseTemplate};

use crate::multipart::parts_of;
use crate::server::{FakeServer, Handler, body_json, header, json, segments};

/// The project gid of a fresh fake.
pub const UNICAT_PROJECT: &str = "3a2b1c00-0000-4000-8000-00000000c0de";
/// The API key a fresh fake accepts.
pub const UNICAT_API_KEY: &str = "fake-unicat-api-key";

const ROOT: &str = "00000000-0000-4000-8000-000000000000";

/// A stateful fake of `https://unicat.app` for one project.
///
/// The tree starts with the root folder and `/products` holding `/products/image.jpg`.
/// Every third answer carries a renewed JWT in its `Authorization` header, as Unicat
/// renews sessions; earlier tokens stay valid until [`expire_tokens`](Self::expire_tokens).
#[derive(Debug)]
pub struct FakeUnicat {
    server: FakeServer,
    state: Arc<Mutex<State>>,
}

impl Deref for FakeUnicat {
    type Target = FakeServer;
    fn deref(&self) -> &FakeServer {
        &self.server
    }
}

#[derive(Debug, Default)]
struct State {
    issued: u64,
    tokens: Vec<String>,
    answers: u64,
    next_gid: u64,
    assets: BTreeMap<String, Node>,
    /// Where the fake listens, for DAM Publish's public URLs.
    uri: String,
}

#[derive(Debug, Clone)]
struct Node {
    gid: String,
    name: String,
    parent: Option<String>,
    is_file: bool,
    deleted: bool,
    version: u64,
    size: u64,
    /// The bytes of the current version, served once published.
    content: Arc<Vec<u8>>,
    title: Map<String, Value>,
    description: Map<String, Value>,
}

impl FakeUnicat {
    /// Starts the fake on a free loopback port.
    pub async fn start() -> Self {
        Self::start_on(0).await
    }

    /// Starts the fake on loopback port `port` (0: any free port). Panics when the port
    /// is taken.
    pub async fn start_on(port: u16) -> Self {
        let mut state = State::default();
        state.assets.insert(ROOT.into(), Node::folder(ROOT, "", None));
        let products = state.new_gid();
        state
            .assets
            .insert(products.clone(), Node::folder(&products, "products", Some(ROOT)));
        let image = state.new_gid();
        let mut file = Node::folder(&image, "image.jpg", Some(&products));
        file.is_file = true;
        file.size = 2048;
        state.assets.insert(image, file);
        let state = Arc::new(Mutex::new(state));
        let server = FakeServer::start_at(Arc::new(UnicatHandler { state: state.clone() }), port).await;
        state.lock().unwrap_or_else(PoisonError::into_inner).uri = server.uri();
        Self { server, state }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Invalidates every JWT issued so far.
    pub fn expire_tokens(&self) {
        self.lock().tokens.clear();
    }

    /// How many sign-ins succeeded.
    pub fn sign_ins(&self) -> u64 {
        self.lock().issued
    }

    /// The gid of the asset at `pathname`.
    pub fn gid_of(&self, pathname: &str) -> Option<String> {
        let state = self.lock();
        state.find(pathname)
    }
}

impl Node {
    fn folder(gid: &str, name: &str, parent: Option<&str>) -> Self {
        Self {
            gid: gid.to_owned(),
            name: name.to_owned(),
            parent: parent.map(str::to_owned),
            is_file: false,
            deleted: false,
            version: 1,
            size: 0,
            content: Arc::default(),
            title: Map::new(),
            description: Map::new(),
        }
    }
}

impl Node {
    /// The file type: the name's extension, lowercased.
    fn extension(&self) -> String {
        self.name
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase())
            .unwrap_or_default()
    }
}

impl State {
    fn new_gid(&mut self) -> String {
        self.next_gid += 1;
        format!("{:08x}-0000-4000-8000-{:012x}", self.next_gid, self.next_gid)
    }

    fn pathname(&self, gid: &str) -> String {
        let mut names = Vec::new();
        let mut at = self.assets.get(gid);
        while let Some(node) = at {
            if node.parent.is_none() {
                break;
            }
            names.push(node.name.clone());
            at = node.parent.as_ref().and_then(|p| self.assets.get(p));
        }
        names.reverse();
        format!("/{}", names.join("/"))
    }

    fn find(&self, pathname: &str) -> Option<String> {
        self.assets
            .keys()
            .find(|gid| self.pathname(gid) == pathname)
            .cloned()
    }

    fn children(&self, gid: &str) -> Vec<String> {
        let mut kids: Vec<&Node> = self
            .assets
            .values()
            .filter(|n| n.parent.as_deref() == Some(gid) && !n.deleted)
            .collect();
        // Folders first, then by name, as Unicat orders the tree.
        kids.sort_by(|a, b| (a.is_file, &a.name).cmp(&(b.is_file, &b.name)));
        kids.into_iter().map(|n| n.gid.clone()).collect()
    }

    fn record(&self, gid: &str) -> Value {
        let Some(node) = self.assets.get(gid) else {
            return Value::Null;
        };
        json!({
            "gid": node.gid,
            "pathname": self.pathname(gid),
            "name": node.name,
            // Unicat's `type` is the file's type (`svg`, `jpg`); folders have none.
            "type": node.is_file.then(|| node.extension()),
            "is_file": node.is_file,
            "parent": node.parent,
            "childcount": self.children(gid).len(),
            "status": if node.deleted { "deleted" } else { "published" },
            "version": node.version,
            "title": node.title,
            "description": node.description,
            "info": if node.is_file { json!({"filesize": node.size}) } else { json!({}) },
            "updated_on": 1_700_000_000.0,
        })
    }

    /// `{success: true, result, data: {assets}}` with the records of `gids`.
    fn answer(&self, result: &Value, gids: &[&str]) -> ResponseTemplate {
        let assets: Map<String, Value> = gids.iter().map(|g| ((*g).to_owned(), self.record(g))).collect();
        json(
            200,
            &json!({"success": true, "result": result, "data": {"assets": assets}}),
        )
    }

    fn resolve(&self, body: &Value) -> Result<String, ResponseTemplate> {
        let found = if let Some(gid) = body.get("asset").and_then(Value::as_str) {
            self.assets.contains_key(gid).then(|| gid.to_owned())
        } else if let Some(pathname) = body.get("pathname").and_then(Value::as_str) {
            self.find(pathname)
        } else {
            return Err(failure(400, 1001, "Missing parameter: asset or pathname"));
        };
        found.ok_or_else(|| failure(422, 1003, "Asset not found"))
    }
}

fn failure(status: u16, code: u64, message: &str) -> ResponseTemplate {
    json(
        status,
        &json!({"success": false, "result": {"code": code, "message": message, "info": {}}, "data": {}}),
    )
}

struct UnicatHandler {
    state: Arc<Mutex<State>>,
}

impl Handler for UnicatHandler {
    fn handle(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let segments = segments(request);
        let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
        // Published files are public.
        if let ["media", folder, "src", file] = parts.as_slice() {
            return media(&state, folder, file);
        }
        let ["api" | "dam", "p", project, rest @ ..] = parts.as_slice() else {
            return failure(404, 404, "Not found");
        };
        if *project != UNICAT_PROJECT {
            return failure(403, 403, "Not a member of this project");
        }
        if rest == ["auth"] {
            return sign_in(&mut state, request);
        }
        let token = header(request, "authorization")
            .map(|a| a.strip_prefix("Bearer ").unwrap_or(a))
            .unwrap_or_default();
        if !state.tokens.iter().any(|t| t == token) {
            return failure(401, 401, "Missing or expired JWT");
        }
        if parts[0] == "dam" {
            // A /dam call never renews the JWT.
            return match rest {
                ["publish", storage] => publish(&state, storage),
                _ => failure(404, 404, "Not found"),
            };
        }
        let answer = route(&mut state, request, rest);
        state.answers += 1;
        if state.answers.is_multiple_of(3) {
            state.issued += 1;
            let renewed = format!("fake-unicat-jwt-{}", state.issued);
            state.tokens.push(renewed.clone());
            return answer.insert_header("authorization", renewed.as_str());
        }
        answer
    }
}

/// DAM Publish of `<gid>~<version>.<ext>`: the current version of a file only.
fn publish(state: &State, storage: &str) -> ResponseTemplate {
    let found = storage.split_once('~').and_then(|(gid, rest)| {
        let (version, ext) = rest.split_once('.')?;
        let node = state.assets.get(gid)?;
        (node.is_file && !node.deleted && node.version.to_string() == version && node.extension() == ext)
            .then_some(node)
    });
    match found {
        Some(node) => json(
            200,
            &json!({"success": true, "result": {"public_url": format!(
                "{}/media/p-{UNICAT_PROJECT}/src/{}.{}", state.uri, node.gid, node.extension()
            )}, "data": {}}),
        ),
        None => failure(422, 1003, "Asset or parent asset doesn't exist"),
    }
}

/// A published file's bytes at its public URL.
fn media(state: &State, folder: &str, file: &str) -> ResponseTemplate {
    let gid = file.rsplit_once('.').map_or(file, |(gid, _)| gid);
    match state.assets.get(gid) {
        Some(node) if node.is_file && *folder == format!("p-{UNICAT_PROJECT}") => ResponseTemplate::new(200)
            .insert_header("content-type", "application/octet-stream")
            .set_body_bytes(node.content.as_ref().clone()),
        _ => ResponseTemplate::new(404),
    }
}

fn sign_in(state: &mut State, request: &Request) -> ResponseTemplate {
    if body_json(request).get("api_key").and_then(Value::as_str) != Some(UNICAT_API_KEY) {
        return failure(401, 401, "Invalid API key");
    }
    state.issued += 1;
    let token = format!("fake-unicat-jwt-{}", state.issued);
    state.tokens.push(token.clone());
    json(
        200,
        &json!({"success": true, "result": {"user": "fake-user"}, "data": {}}),
    )
    .insert_header("authorization", token.as_str())
}

fn route(state: &mut State, request: &Request, endpoint: &[&str]) -> ResponseTemplate {
    let body = body_json(request);
    match endpoint {
        ["assets", "get"] => get(state, &body),
        ["assets", "root"] => state.answer(&json!({"root": ROOT}), &[ROOT]),
        ["assets", "children"] => children(state, &body),
        ["assets", "upload"] => upload(state, request),
        ["assets", "upload_update"] => upload_update(state, request),
        ["assets", "update"] => update(state, &body),
        ["assets", "delete" | "undelete"] => match state.resolve(&body) {
            Ok(gid) if gid == ROOT => failure(422, 1004, "The root cannot be deleted"),
            Ok(gid) => {
                if let Some(node) = state.assets.get_mut(&gid) {
                    node.deleted = endpoint[1] == "delete";
                }
                state.answer(&json!({"asset": gid}), &[&gid])
            }
            Err(answer) => answer,
        },
        ["assets", "create"] => create_folder(state, &body),
        ["assets", "move"] => move_asset(state, &body),
        ["assets", "worksheet"] => worksheet(state, &body),
        ["assets", "bulk", verb @ ("delete" | "undelete")] => bulk(state, &body, *verb == "delete"),
        ["assets", "permanent_delete"] => match state.resolve(&body) {
            Ok(gid) if gid == ROOT => failure(422, 1004, "The root cannot be deleted"),
            Ok(gid) if !state.assets.get(&gid).is_some_and(|n| n.deleted) => {
                failure(422, 1005, "Only a deleted asset can be permanently deleted")
            }
            Ok(gid) => {
                let parent = state.assets.get(&gid).and_then(|n| n.parent.clone());
                // The subtree goes with it.
                let mut doomed = vec![gid];
                while let Some(next) = doomed.pop() {
                    let kids: Vec<String> = state
                        .assets
                        .values()
                        .filter(|n| n.parent.as_deref() == Some(next.as_str()))
                        .map(|n| n.gid.clone())
                        .collect();
                    state.assets.remove(&next);
                    doomed.extend(kids);
                }
                let parent = parent.unwrap_or_else(|| ROOT.to_owned());
                state.answer(&json!({"parent": parent}), &[&parent])
            }
            Err(answer) => answer,
        },
        _ => failure(404, 404, "Unknown endpoint"),
    }
}

/// `assets/create`: a folder under a folder.
fn create_folder(state: &mut State, body: &Value) -> ResponseTemplate {
    let (Some(parent), Some(name)) = (
        body.get("parent").and_then(Value::as_str),
        body.get("name").and_then(Value::as_str),
    ) else {
        return failure(400, 400, "parent and name are required");
    };
    if !state.assets.get(parent).is_some_and(|n| !n.is_file && !n.deleted) {
        return failure(422, 1006, "The parent asset doesn't exist or isn't a folder");
    }
    let gid = state.new_gid();
    state
        .assets
        .insert(gid.clone(), Node::folder(&gid, name, Some(parent)));
    state.answer(&json!({"parent": parent, "asset": gid}), &[&gid, parent])
}

fn move_asset(state: &mut State, body: &Value) -> ResponseTemplate {
    let gid = match state.resolve(body) {
        Ok(gid) if gid == ROOT => return failure(422, 1004, "The root cannot be moved"),
        Ok(gid) => gid,
        Err(answer) => return answer,
    };
    let parent = body.get("parent").and_then(Value::as_str).unwrap_or_default();
    if state.assets.get(parent).is_none_or(|n| n.is_file) {
        return failure(422, 1003, "Asset or parent asset doesn't exist");
    }
    // Not into itself or its own subtree.
    let mut above = Some(parent.to_owned());
    while let Some(current) = above {
        if current == gid {
            return failure(422, 1005, "An asset cannot move into its own subtree");
        }
        above = state.assets.get(&current).and_then(|n| n.parent.clone());
    }
    if let Some(node) = state.assets.get_mut(&gid) {
        node.parent = Some(parent.to_owned());
    }
    state.answer(&json!({"asset": gid, "parent": parent}), &[&gid, parent])
}

fn worksheet(state: &State, body: &Value) -> ResponseTemplate {
    let gid = match state.resolve(body) {
        Ok(gid) => gid,
        Err(answer) => return answer,
    };
    let number = |key: &str, default: u64| body.get(key).and_then(Value::as_u64).unwrap_or(default);
    let (top, size) = (number("page.top", 0), number("page.size", 20));
    let mut path = vec![gid.clone()];
    while let Some(parent) = path
        .last()
        .and_then(|g| state.assets.get(g))
        .and_then(|n| n.parent.clone())
    {
        path.push(parent);
    }
    path.reverse();
    let all = state.children(&gid);
    let page: Vec<String> = all
        .iter()
        .skip(usize::try_from(top).unwrap_or(usize::MAX))
        .take(usize::try_from(size).unwrap_or(usize::MAX))
        .cloned()
        .collect();
    let named: Vec<&str> = path.iter().chain(&page).map(String::as_str).collect();
    state.answer(
        &json!({"asset": gid, "path": path, "children": page, "children.size": all.len()}),
        &named,
    )
}

/// Bulk delete or undelete of gids and folders' children (searches are not faked); done
/// at once, though Unicat runs it as a job.
fn bulk(state: &mut State, body: &Value, delete: bool) -> ResponseTemplate {
    let Some(selection) = body.get("selection").and_then(Value::as_array) else {
        return failure(400, 1001, "Missing parameter: selection");
    };
    let mut chosen = Vec::new();
    for item in selection {
        if let Some(gid) = item.as_str() {
            chosen.push(gid.to_owned());
        } else if let Some(folder) = item.get("children").and_then(Value::as_str) {
            let exclude: Vec<&str> = item
                .get("exclude")
                .and_then(Value::as_array)
                .map(|e| e.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let kids = state
                .assets
                .values()
                .filter(|n| n.parent.as_deref() == Some(folder));
            chosen.extend(
                kids.filter(|n| !exclude.contains(&n.gid.as_str()))
                    .map(|n| n.gid.clone()),
            );
        } else {
            return failure(400, 1002, "The fake takes gids and children selections only");
        }
    }
    for gid in chosen {
        if let Some(node) = state.assets.get_mut(&gid).filter(|_| gid != ROOT) {
            node.deleted = delete;
        }
    }
    let token = state.new_gid();
    json(
        200,
        &json!({"success": true, "result": {"job.token": token}, "data": {}}),
    )
}

fn get(state: &State, body: &Value) -> ResponseTemplate {
    let many = |key: &str| {
        body.get(key)
            .and_then(Value::as_array)
            .map(|v| v.iter().filter_map(Value::as_str).collect::<Vec<_>>())
    };
    let (gids, single) = if let Some(gids) = many("assets") {
        (
            gids.iter()
                .map(|g| state.assets.contains_key(*g).then(|| (*g).to_owned()))
                .collect::<Vec<_>>(),
            false,
        )
    } else if let Some(paths) = many("pathnames") {
        (paths.iter().map(|p| state.find(p)).collect(), false)
    } else {
        match state.resolve(body) {
            Ok(gid) => (vec![Some(gid)], true),
            Err(answer) => return answer,
        }
    };
    let Some(gids) = gids.into_iter().collect::<Option<Vec<String>>>() else {
        return failure(422, 1003, "Asset not found");
    };
    let refs: Vec<&str> = gids.iter().map(String::as_str).collect();
    let result = if single {
        json!({"asset": refs[0]})
    } else {
        json!({"assets": refs})
    };
    state.answer(&result, &refs)
}

fn children(state: &State, body: &Value) -> ResponseTemplate {
    let parent = match state.resolve(body) {
        Ok(gid) => gid,
        Err(answer) => return answer,
    };
    let top =
        usize::try_from(body.get("page.top").and_then(Value::as_u64).unwrap_or(0)).unwrap_or(usize::MAX);
    let size = usize::try_from(body.get("page.size").and_then(Value::as_u64).unwrap_or(100)).unwrap_or(100);
    let all = state.children(&parent);
    let page: Vec<&str> = all.iter().skip(top).take(size).map(String::as_str).collect();
    state.answer(&json!({"children": page, "children.size": all.len()}), &page)
}

fn upload(state: &mut State, request: &Request) -> ResponseTemplate {
    let parts = match parts_of(request) {
        Ok(parts) => parts,
        Err(e) => return failure(400, 1001, &format!("Bad form: {e}")),
    };
    let field = |name: &str| parts.iter().find(|p| p.name == name);
    let parent = match (field("parent"), field("pathname")) {
        (Some(gid), _) => state.assets.contains_key(&gid.text()).then(|| gid.text()),
        (_, Some(path)) => state.find(&path.text()),
        _ => return failure(400, 1001, "Missing parameter: parent or pathname"),
    };
    let Some(parent) = parent else {
        return failure(422, 1003, "Parent asset not found");
    };
    let Some(file) = field("upload_file") else {
        return failure(400, 1001, "Missing parameter: upload_file");
    };
    let name = file.file_name.clone().unwrap_or_else(|| "upload".into());
    let existing = state
        .children(&parent)
        .into_iter()
        .find(|g| state.assets.get(g).is_some_and(|n| n.name == name));
    let gid = existing.unwrap_or_else(|| state.new_gid());
    let mut node = Node::folder(&gid, &name, Some(&parent));
    node.is_file = true;
    node.size = file.data.len() as u64;
    node.content = Arc::new(file.data.to_vec());
    state.assets.insert(gid.clone(), node);
    state.answer(&json!({"asset": gid, "parent": parent}), &[&gid, &parent])
}

fn upload_update(state: &mut State, request: &Request) -> ResponseTemplate {
    let parts = match parts_of(request) {
        Ok(parts) => parts,
        Err(e) => return failure(400, 1001, &format!("Bad form: {e}")),
    };
    let field = |name: &str| parts.iter().find(|p| p.name == name);
    let (Some(asset), Some(file)) = (field("asset"), field("upload_file")) else {
        return failure(400, 1001, "Missing parameter: asset or upload_file");
    };
    let gid = asset.text();
    match state.assets.get_mut(&gid) {
        Some(node) if node.is_file => {
            node.version += 1;
            node.size = file.data.len() as u64;
            node.content = Arc::new(file.data.to_vec());
            state.answer(&json!({"asset": gid}), &[&gid])
        }
        Some(_) => failure(422, 1005, "Only files can take an upload"),
        None => failure(422, 1003, "Asset not found"),
    }
}

fn update(state: &mut State, body: &Value) -> ResponseTemplate {
    let gid = match state.resolve(body) {
        Ok(gid) if gid == ROOT => return failure(422, 1004, "The root cannot be changed"),
        Ok(gid) => gid,
        Err(answer) => return answer,
    };
    if let Some(node) = state.assets.get_mut(&gid) {
        if let Some(name) = body.get("name").and_then(Value::as_str) {
            name.clone_into(&mut node.name);
        }
        for (key, target) in [("title", &mut node.title), ("description", &mut node.description)] {
            if let Some(map) = body.get(key).and_then(Value::as_object) {
                target.extend(map.clone());
            }
        }
    }
    state.answer(&json!({"asset": gid}), &[&gid])
}
