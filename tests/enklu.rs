//! Integration tests for the Enklu client, against wiremock servers standing in for
//! Enklu's two hosts (auth and assets). Fixtures copy the JSON of Enklu's Assets Web API
//! page.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::sync::{Arc, Mutex};

use assetkit::core::time::VirtualTime;
use assetkit::enklu::{AssetId, EnkluClient};
use assetkit::{Error, ProgressReporter, RetryPolicy, Settings, UploadSource};
use assetkit_testkit::Part;
use serde_json::{Value, json};
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod common;
use common::multipart;

const EMAIL: &str = "roland@druidia.com";
const PASSWORD: &str = "12345-not-a-real-password";
const APP: &str = "app-7d2c";
const ASSET_ID: &str = "11111111-1111-1111-1111-111111111111";
const SIGN_IN: &str = "/cloud/v1/email/signin";
const UPLOAD: &str = "/proxy/enklu/v1/asset";

/// The documented sign-in answer, with `token` as the JWT.
fn signed_in(token: &str) -> Value {
    json!({
        "success": true,
        "error": "None",
        "body": {
            "user": {
                "email": "roland@druidia.com",
                "displayName": "roland",
                "id": "00000000-0000-0000-0000-000000000000"
            },
            "token": token
        }
    })
}

/// The documented upload answer.
fn uploaded(id: &str) -> Value {
    json!({ "success": true, "error": "None", "body": { "id": id } })
}

struct Hosts {
    auth: MockServer,
    assets: MockServer,
}

impl Hosts {
    /// Two servers, each with a catch-all that answers 599 so a wrong request fails loudly.
    async fn start() -> Self {
        let hosts = Self {
            auth: MockServer::start().await,
            assets: MockServer::start().await,
        };
        for server in [&hosts.auth, &hosts.assets] {
            Mock::given(any())
                .respond_with(ResponseTemplate::new(599).set_body_string("unmatched"))
                .with_priority(200)
                .mount(server)
                .await;
        }
        hosts
    }

    fn client(&self) -> EnkluClient {
        EnkluClient::builder()
            .credentials(EMAIL, PASSWORD)
            .app_id(APP)
            // Both hosts carry a path prefix, as behind a proxy.
            .auth_url(format!("{}/cloud", self.auth.uri()))
            .assets_url(format!("{}/proxy/enklu", self.assets.uri()))
            .settings(
                Settings::new()
                    .allow_http(true)
                    .retry(RetryPolicy::default().with_jitter(false))
                    .time(VirtualTime::new()),
            )
            .build()
            .unwrap()
    }

    async fn sign_in_answers(&self, token: &str) {
        Mock::given(method("POST"))
            .and(path(SIGN_IN))
            .respond_with(ResponseTemplate::new(200).set_body_json(signed_in(token)))
            .mount(&self.auth)
            .await;
    }

    async fn sign_ins(&self) -> Vec<Request> {
        self.auth.received_requests().await.unwrap()
    }

    async fn uploads(&self) -> Vec<Request> {
        self.assets.received_requests().await.unwrap()
    }
}

fn text(part: &Part) -> &str {
    std::str::from_utf8(&part.data).unwrap()
}

fn header_of<'a>(request: &'a Request, name: &str) -> &'a str {
    request.headers.get(name).unwrap().to_str().unwrap()
}

fn model_file(content: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tree.fbx");
    std::fs::File::create(&file).unwrap().write_all(content).unwrap();
    (dir, file)
}

#[tokio::test]
async fn upload_signs_in_and_sends_the_documented_form() {
    let hosts = Hosts::start().await;
    hosts.sign_in_answers("jwt-1").await;
    Mock::given(method("POST"))
        .and(path(UPLOAD))
        .and(header("authorization", "Bearer jwt-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(uploaded(ASSET_ID)))
        .mount(&hosts.assets)
        .await;
    // Larger than one 64 KiB chunk, so the file is streamed in several pieces.
    let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let (_dir, file) = model_file(&content);
    let client = hosts.client();

    let upload = client.assets().upload(UploadSource::path(&file));
    let qquuid = upload.qquuid().to_owned();
    let id = upload.send().await.unwrap();

    assert_eq!(id, AssetId::new(ASSET_ID));
    let sign_ins = hosts.sign_ins().await;
    assert_eq!(sign_ins.len(), 1);
    assert_eq!(sign_ins[0].url.path(), SIGN_IN);
    assert_eq!(header_of(&sign_ins[0], "content-type"), "application/json");
    assert_eq!(
        serde_json::from_slice::<Value>(&sign_ins[0].body).unwrap(),
        json!({ "email": EMAIL, "password": PASSWORD })
    );
    assert!(sign_ins[0].headers.get("authorization").is_none());

    let uploads = hosts.uploads().await;
    assert_eq!(uploads.len(), 1);
    let request = &uploads[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), UPLOAD);
    assert_eq!(header_of(request, "authorization"), "Bearer jwt-1");
    assert_eq!(header_of(request, "app"), APP);
    assert_eq!(header_of(request, "accept"), "application/json");
    let parts = multipart(request);
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["qqfilename", "qquuid", "qqfile"]);
    assert_eq!(text(&parts[0]), "tree.fbx");
    assert_eq!(parts[0].file_name, None);
    // A fresh UUID v4, lowercase and hyphenated, the one the builder announced.
    let uuid = text(&parts[1]);
    assert_eq!(uuid, qquuid);
    assert_eq!(uuid.len(), 36);
    assert_eq!(uuid.as_bytes()[14], b'4');
    assert_eq!(uuid, uuid.to_ascii_lowercase());
    assert_eq!(parts[2].file_name.as_deref(), Some("tree.fbx"));
    assert_eq!(parts[2].content_type.as_deref(), Some("application/octet-stream"));
    assert_eq!(parts[2].data, content);

    let user = client.user().unwrap();
    assert_eq!(user.display_name.as_deref(), Some("roland"));
    assert_eq!(user.id.as_deref(), Some("00000000-0000-0000-0000-000000000000"));
}

#[tokio::test]
async fn every_new_upload_gets_its_own_uuid() {
    let hosts = Hosts::start().await;
    hosts.sign_in_answers("jwt-1").await;
    let client = hosts.client();
    let a = client.assets().upload(UploadSource::bytes("a.png", &b"a"[..]));
    let b = client.assets().upload(UploadSource::bytes("b.png", &b"b"[..]));
    assert_ne!(a.qquuid(), b.qquuid());
}

#[tokio::test]
async fn update_sends_the_asset_id_and_the_display_name() {
    let hosts = Hosts::start().await;
    hosts.sign_in_answers("jwt-1").await;
    Mock::given(method("POST"))
        .and(path(UPLOAD))
        .respond_with(ResponseTemplate::new(200).set_body_json(uploaded(ASSET_ID)))
        .mount(&hosts.assets)
        .await;
    let client = hosts.client();

    let id = client
        .assets()
        // Enklu's id in upper case: sent in its canonical lowercase form.
        .update(
            ASSET_ID.to_uppercase().as_str(),
            UploadSource::bytes("tree-v2.fbx", &b"v2"[..]),
        )
        .file_name("Oak tree")
        .send()
        .await
        .unwrap();

    assert_eq!(id.as_str(), ASSET_ID);
    let uploads = hosts.uploads().await;
    let parts = multipart(&uploads[0]);
    let summary: Vec<(&str, &str)> = parts.iter().take(2).map(|p| (p.name.as_str(), text(p))).collect();
    assert_eq!(summary, [("qqfilename", "Oak tree"), ("qquuid", ASSET_ID)]);
    assert_eq!(parts[2].name, "qqfile");
    assert_eq!(parts[2].file_name.as_deref(), Some("tree-v2.fbx"));
    assert_eq!(parts[2].data, &b"v2"[..]);
}

#[tokio::test]
async fn invalid_uploads_are_refused_before_sending() {
    let hosts = Hosts::start().await;
    hosts.sign_in_answers("jwt-1").await;
    let client = hosts.client();

    let not_uuid = client
        .assets()
        .update("tree-1", UploadSource::bytes("tree.fbx", &b"x"[..]))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&not_uuid, Error::InvalidRequest(m) if m.contains("not a UUID")),
        "{not_uuid}"
    );

    let no_name = client
        .assets()
        .upload(UploadSource::bytes("", &b"x"[..]))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&no_name, Error::InvalidRequest(m) if m.contains("file name")),
        "{no_name}"
    );

    let blank_override = client
        .assets()
        .upload(UploadSource::bytes("tree.fbx", &b"x"[..]))
        .file_name("  ")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(blank_override, Error::InvalidRequest(_)));

    assert!(hosts.sign_ins().await.is_empty());
    assert!(hosts.uploads().await.is_empty());
}

#[tokio::test]
async fn concurrent_uploads_share_one_sign_in() {
    let hosts = Hosts::start().await;
    Mock::given(method("POST"))
        .and(path(SIGN_IN))
        // Slow enough that every upload is waiting for the token when it arrives.
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(signed_in("jwt-shared"))
                .set_delay(std::time::Duration::from_millis(100)),
        )
        .expect(1)
        .mount(&hosts.auth)
        .await;
    Mock::given(method("POST"))
        .and(path(UPLOAD))
        .and(header("authorization", "Bearer jwt-shared"))
        .respond_with(ResponseTemplate::new(200).set_body_json(uploaded(ASSET_ID)))
        .expect(6)
        .mount(&hosts.assets)
        .await;
    let client = hosts.client();

    let uploads = (0..6).map(|i| {
        client
            .assets()
            .upload(UploadSource::bytes(format!("part-{i}.fbx"), vec![i; 10]))
            .send()
    });
    let results = futures::future::join_all(uploads).await;

    assert!(
        results
            .iter()
            .all(|r| r.as_ref().is_ok_and(|id| id.as_str() == ASSET_ID))
    );
    assert_eq!(hosts.sign_ins().await.len(), 1);
    let uploads = hosts.uploads().await;
    assert_eq!(uploads.len(), 6);
    let mut uuids: Vec<String> = uploads
        .iter()
        .map(|r| text(&multipart(r)[1]).to_owned())
        .collect();
    uuids.sort();
    uuids.dedup();
    assert_eq!(uuids.len(), 6, "each upload has its own qquuid");
    hosts.auth.verify().await;
}

#[tokio::test]
async fn an_expired_token_signs_in_again_once() {
    let hosts = Hosts::start().await;
    // The first sign-in hands out jwt-old, the next one jwt-new.
    Mock::given(method("POST"))
        .and(path(SIGN_IN))
        .respond_with(ResponseTemplate::new(200).set_body_json(signed_in("jwt-old")))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&hosts.auth)
        .await;
    hosts.sign_in_answers("jwt-new").await;
    Mock::given(method("POST"))
        .and(path(UPLOAD))
        .and(header("authorization", "Bearer jwt-old"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"success": false, "error": "Token expired."})),
        )
        .mount(&hosts.assets)
        .await;
    Mock::given(method("POST"))
        .and(path(UPLOAD))
        .and(header("authorization", "Bearer jwt-new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(uploaded(ASSET_ID)))
        .mount(&hosts.assets)
        .await;
    let client = hosts.client();

    let id = client
        .assets()
        .upload(UploadSource::bytes("tree.fbx", &b"mesh"[..]))
        .send()
        .await
        .unwrap();

    assert_eq!(id.as_str(), ASSET_ID);
    assert_eq!(hosts.sign_ins().await.len(), 2);
    let uploads = hosts.uploads().await;
    assert_eq!(uploads.len(), 2);
    assert_eq!(header_of(&uploads[0], "authorization"), "Bearer jwt-old");
    assert_eq!(header_of(&uploads[1], "authorization"), "Bearer jwt-new");
    // The same form went out again: same qquuid, whole file.
    let (first, second) = (multipart(&uploads[0]), multipart(&uploads[1]));
    assert_eq!(text(&first[1]), text(&second[1]));
    assert_eq!(second[2].data, &b"mesh"[..]);
}

#[tokio::test]
async fn a_second_401_is_unauthorized_with_enklus_message() {
    let hosts = Hosts::start().await;
    hosts.sign_in_answers("jwt-1").await;
    Mock::given(method("POST"))
        .and(path(UPLOAD))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"success": false, "error": "Not authorized for this app."})),
        )
        .mount(&hosts.assets)
        .await;
    let client = hosts.client();

    let err = client
        .assets()
        .upload(UploadSource::bytes("tree.fbx", &b"mesh"[..]))
        .send()
        .await
        .unwrap_err();

    assert!(matches!(err, Error::Unauthorized(_)), "{err}");
    assert_eq!(err.api_error().unwrap().message, "Not authorized for this app.");
    assert_eq!(hosts.sign_ins().await.len(), 2, "one sign-in, one re-sign-in");
    assert_eq!(hosts.uploads().await.len(), 2);
}

#[tokio::test]
async fn a_failure_envelope_under_200_is_rejected_with_the_message() {
    let hosts = Hosts::start().await;
    hosts.sign_in_answers("jwt-1").await;
    Mock::given(method("POST"))
        .and(path(UPLOAD))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"success": false, "error": "Unsupported file type.", "body": null})),
        )
        .mount(&hosts.assets)
        .await;
    let client = hosts.client();

    let err = client
        .assets()
        .upload(UploadSource::bytes("notes.txt", &b"hi"[..]))
        .send()
        .await
        .unwrap_err();

    assert!(matches!(err, Error::Rejected(_)), "{err}");
    let api = err.api_error().unwrap();
    assert_eq!(
        (api.status, api.message.as_str()),
        (200, "Unsupported file type.")
    );
    assert_eq!(hosts.uploads().await.len(), 1, "a rejection is not retried");
}

#[tokio::test]
async fn a_failure_envelope_under_400_keeps_the_message() {
    let hosts = Hosts::start().await;
    hosts.sign_in_answers("jwt-1").await;
    Mock::given(method("POST"))
        .and(path(UPLOAD))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"success": false, "error": "Missing qqfile."})),
        )
        .mount(&hosts.assets)
        .await;
    let err = hosts
        .client()
        .assets()
        .upload(UploadSource::bytes("tree.fbx", &b"x"[..]))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadRequest(_)), "{err}");
    assert_eq!(err.api_error().unwrap().message, "Missing qqfile.");
}

#[tokio::test]
async fn a_bad_password_fails_the_sign_in_and_nothing_is_uploaded() {
    let hosts = Hosts::start().await;
    Mock::given(method("POST"))
        .and(path(SIGN_IN))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"success": false, "error": "Invalid email or password.", "body": null}),
            ),
        )
        .mount(&hosts.auth)
        .await;
    let client = hosts.client();

    let err = client
        .assets()
        .upload(UploadSource::bytes("tree.fbx", &b"x"[..]))
        .send()
        .await
        .unwrap_err();

    assert!(matches!(err, Error::Rejected(_)), "{err}");
    assert_eq!(err.api_error().unwrap().message, "Invalid email or password.");
    assert!(!format!("{err} {err:?}").contains(PASSWORD));
    assert!(hosts.uploads().await.is_empty());
    assert!(client.user().is_none());
}

#[tokio::test]
async fn a_sign_in_refused_with_401_is_unauthorized() {
    let hosts = Hosts::start().await;
    Mock::given(method("POST"))
        .and(path(SIGN_IN))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"success": false, "error": "Invalid email or password."})),
        )
        .mount(&hosts.auth)
        .await;
    let client = hosts.client();

    let err = client.sign_in().await.unwrap_err();

    assert!(matches!(err, Error::Unauthorized(_)), "{err}");
    assert_eq!(err.api_error().unwrap().message, "Invalid email or password.");
    assert_eq!(
        hosts.sign_ins().await.len(),
        1,
        "the sign-in itself is not re-signed-in"
    );
}

#[tokio::test]
async fn progress_counts_every_byte_of_the_file() {
    let hosts = Hosts::start().await;
    hosts.sign_in_answers("jwt-1").await;
    Mock::given(method("POST"))
        .and(path(UPLOAD))
        .respond_with(ResponseTemplate::new(200).set_body_json(uploaded(ASSET_ID)))
        .mount(&hosts.assets)
        .await;
    let content = vec![7u8; 150_000];
    let (_dir, file) = model_file(&content);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();

    hosts
        .client()
        .assets()
        .upload(UploadSource::path(&file))
        .progress(ProgressReporter::callback(move |p| sink.lock().unwrap().push(p)))
        .send()
        .await
        .unwrap();

    let seen = seen.lock().unwrap();
    let last = seen.last().unwrap();
    assert_eq!((last.sent, last.total), (150_000, 150_000));
    assert!(seen.windows(2).all(|w| w[0].sent < w[1].sent));
}

#[tokio::test]
async fn an_accepted_answer_without_an_id_still_names_the_asset_sent() {
    let hosts = Hosts::start().await;
    hosts.sign_in_answers("jwt-1").await;
    Mock::given(method("POST"))
        .and(path(UPLOAD))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success": true, "body": {}})))
        .mount(&hosts.assets)
        .await;
    let upload = hosts
        .client()
        .assets()
        .upload(UploadSource::bytes("tree.fbx", &b"x"[..]));
    let sent = upload.qquuid().to_owned();
    let err = upload.send().await.unwrap_err();
    // Enklu said success: the asset exists under the qquuid that was sent.
    assert_eq!(err.created().map(|c| c.id.as_str()), Some(sent.as_str()), "{err}");
    assert!(
        matches!(&err, Error::PartialFailure { source, .. }
            if matches!(&**source, Error::Decode { message, .. } if message.contains("body.id"))),
        "{err}"
    );
}

#[tokio::test]
async fn an_answer_that_is_not_json_is_a_decode_error() {
    let hosts = Hosts::start().await;
    hosts.sign_in_answers("jwt-1").await;
    Mock::given(method("POST"))
        .and(path(UPLOAD))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>oops</html>"))
        .mount(&hosts.assets)
        .await;
    let err = hosts
        .client()
        .assets()
        .upload(UploadSource::bytes("tree.fbx", &b"x"[..]))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err}");
    assert!(err.created().is_none());
}

#[tokio::test]
async fn per_call_options_reach_the_upload_and_replace_the_clients_retry_policy() {
    use assetkit::RequestOptions;
    use assetkit::core::header::{HeaderName, HeaderValue};
    let hosts = Hosts::start().await;
    hosts.sign_in_answers("jwt-1").await;
    Mock::given(method("POST"))
        .and(path(UPLOAD))
        .and(header("x-trace", "en-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(uploaded(ASSET_ID)))
        .mount(&hosts.assets)
        .await;
    Mock::given(method("POST"))
        .and(path(UPLOAD))
        .and(header("x-trace", "busy"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({ "success": false, "error": "Slow down.", "body": null })),
        )
        .mount(&hosts.assets)
        .await;
    let client = hosts.client();
    let trace = |value| {
        (
            HeaderName::from_static("x-trace"),
            HeaderValue::from_static(value),
        )
    };

    let (name, value) = trace("en-1");
    let id = client
        .assets()
        .upload(UploadSource::bytes("tree.fbx", &b"fbx"[..]))
        .with_header(name, value)
        .send()
        .await
        .unwrap();
    assert_eq!(id.as_str(), ASSET_ID);
    assert!(hosts.sign_ins().await[0].headers.get("x-trace").is_none());

    let (name, value) = trace("busy");
    let err = client
        .assets()
        .upload(UploadSource::bytes("tree.fbx", &b"fbx"[..]))
        .with_header(name, value)
        .with_retry(RetryPolicy::never())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(err.request().unwrap().attempts, 1);
    // The client's own policy waits out the 429 and tries again.
    let (name, value) = trace("busy");
    let err = client
        .assets()
        .upload(UploadSource::bytes("tree.fbx", &b"fbx"[..]))
        .with_header(name, value)
        .send()
        .await
        .unwrap_err();
    assert!(err.request().unwrap().attempts > 1);
}
