//! A fake Enklu: the sign-in host and the assets host, with versioned re-uploads and
//! tokens that can be made to expire.

use std::collections::BTreeMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

use crate::multipart::parts_of;
use crate::server::{FakeServer, Handler, body_json, header, json, segments};

/// The account a fresh fake accepts.
pub const ENKLU_EMAIL: &str = "roland@druidia.com";
/// The password of [`ENKLU_EMAIL`].
pub const ENKLU_PASSWORD: &str = "12345";
/// The app (experience) id a fresh fake knows.
pub const ENKLU_APP: &str = "8f6c2b1e-0000-4000-8000-000000000001";

/// A stateful fake of both Enklu hosts on one port: sign-in under
/// [`auth_url`](Self::auth_url), uploads under [`assets_url`](Self::assets_url).
///
/// Uploading with a `qquuid` that names an existing asset adds a version to it.
/// [`expire_tokens`](Self::expire_tokens) makes every issued token answer 401 once, as an
/// expired JWT would.
#[derive(Debug)]
pub struct FakeEnklu {
    server: FakeServer,
    state: Arc<Mutex<State>>,
}

impl Deref for FakeEnklu {
    type Target = FakeServer;
    fn deref(&self) -> &FakeServer {
        &self.server
    }
}

#[derive(Debug, Default)]
struct State {
    issued: u64,
    valid_tokens: Vec<String>,
    sign_ins: u64,
    assets: BTreeMap<String, Asset>,
}

/// What the fake knows of one uploaded asset.
#[derive(Debug, Clone)]
struct Asset {
    name: String,
    versions: Vec<usize>,
}

impl FakeEnklu {
    /// Starts the fake on a free loopback port.
    pub async fn start() -> Self {
        Self::start_on(0).await
    }

    /// Starts the fake on loopback port `port` (0: any free port). Panics when the port
    /// is taken.
    pub async fn start_on(port: u16) -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        let server = FakeServer::start_at(Arc::new(EnkluHandler { state: state.clone() }), port).await;
        Self { server, state }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The sign-in host: `<uri>/auth`.
    pub fn auth_url(&self) -> String {
        format!("{}/auth", self.uri())
    }

    /// The assets host: `<uri>/assets`.
    pub fn assets_url(&self) -> String {
        format!("{}/assets", self.uri())
    }

    /// The base URL of the assets host (the same as [`assets_url`](Self::assets_url)); the
    /// sign-in host is [`auth_url`](Self::auth_url).
    pub fn base_url(&self) -> String {
        self.assets_url()
    }

    /// Invalidates every token issued so far.
    pub fn expire_tokens(&self) {
        self.lock().valid_tokens.clear();
    }

    /// How many sign-ins succeeded.
    pub fn sign_ins(&self) -> u64 {
        self.lock().sign_ins
    }

    /// How many versions asset `id` has, and its display name.
    pub fn asset(&self, id: &str) -> Option<(String, usize)> {
        self.lock()
            .assets
            .get(id)
            .map(|a| (a.name.clone(), a.versions.len()))
    }

    /// Every asset's display name, sorted (a name twice means two assets of that name).
    pub fn asset_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.lock().assets.values().map(|a| a.name.clone()).collect();
        names.sort();
        names
    }
}

struct EnkluHandler {
    state: Arc<Mutex<State>>,
}

fn envelope(status: u16, success: bool, error: &str, body: &Value) -> ResponseTemplate {
    json(status, &json!({"success": success, "error": error, "body": body}))
}

impl Handler for EnkluHandler {
    fn handle(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let segments = segments(request);
        let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
        match (request.method.as_str(), parts.as_slice()) {
            ("POST", ["auth", "v1", "email", "signin"]) => sign_in(&mut state, request),
            ("POST", ["assets", "v1", "asset"]) => upload(&mut state, request),
            _ => envelope(404, false, "Not found.", &Value::Null),
        }
    }
}

fn sign_in(state: &mut State, request: &Request) -> ResponseTemplate {
    let body = body_json(request);
    let email = body.get("email").and_then(Value::as_str).unwrap_or_default();
    let password = body.get("password").and_then(Value::as_str).unwrap_or_default();
    if email != ENKLU_EMAIL || password != ENKLU_PASSWORD {
        return envelope(200, false, "Invalid email or password.", &Value::Null);
    }
    state.issued += 1;
    state.sign_ins += 1;
    let token = format!("eyJhbGciOiJIUzI1NiJ9.fake-enklu-{}.sig", state.issued);
    state.valid_tokens.push(token.clone());
    envelope(
        200,
        true,
        "None",
        &json!({
            "user": {"email": ENKLU_EMAIL, "displayName": "roland", "id": "00000000-0000-0000-0000-000000000000"},
            "token": token,
        }),
    )
}

fn upload(state: &mut State, request: &Request) -> ResponseTemplate {
    let token = header(request, "authorization")
        .and_then(|a| a.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !state.valid_tokens.iter().any(|t| t == token) {
        return envelope(401, false, "Unauthorized.", &Value::Null);
    }
    if header(request, "app") != Some(ENKLU_APP) {
        return envelope(403, false, "App not found or not yours.", &Value::Null);
    }
    let parts = match parts_of(request) {
        Ok(parts) => parts,
        Err(e) => return envelope(400, false, &format!("Bad form: {e}"), &Value::Null),
    };
    let field = |name: &str| parts.iter().find(|p| p.name == name);
    let (Some(name), Some(uuid), Some(file)) = (field("qqfilename"), field("qquuid"), field("qqfile")) else {
        return envelope(
            400,
            false,
            "qqfilename, qquuid and qqfile are required.",
            &Value::Null,
        );
    };
    let id = uuid.text();
    if id.len() != 36 || id.chars().filter(|c| *c == '-').count() != 4 {
        return envelope(400, false, "qquuid is not a UUID.", &Value::Null);
    }
    let asset = state.assets.entry(id.clone()).or_insert_with(|| Asset {
        name: String::new(),
        versions: Vec::new(),
    });
    asset.name = name.text();
    asset.versions.push(file.data.len());
    envelope(200, true, "None", &json!({"id": id}))
}
