//! Integration tests for the Roblox Open Cloud Assets v1 client, against wiremock.
//!
//! Fixtures copy the JSON of the usage guide and the API reference. Every server has a
//! catch-all route answering 599 "unmatched", so a request to a wrong method or path fails
//! loudly; the requests the server received are then checked field by field.

// Helpers outside `#[test]` functions panic on purpose: a test that cannot parse what it
// received must fail.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use assetkit::auth::SecretString;
use assetkit::core::time::VirtualTime;
use assetkit::roblox::{
    AssetId, AssetState, AssetType, Creator, ModerationState, Preview, RobloxClient, RobloxClientBuilder,
};
use assetkit::{Error, PollPolicy, PollState, RetryPolicy, Settings, UploadSource};
use assetkit_testkit::Part;
use futures::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod common;
use common::{header_of, json_response, multipart, passes_preflight, received, server};

const KEY: &str = "test-api-key";

/// The operation a fresh upload answers with ("in practice" it carries both forms of id).
const OPERATION_PENDING: &str = r#"{"path": "operations/abc-123", "operationId": "abc-123", "done": false}"#;

/// The usage guide's "Example Response for Get Operation", with the id filled in.
const OPERATION_DONE: &str = include_str!("fixtures/roblox/operation_done.json");

/// An operation that finished with a `google.rpc.Status` error.
const OPERATION_FAILED: &str = include_str!("fixtures/roblox/operation_failed.json");

/// An asset with every field of the reference's Asset.
const ASSET: &str = include_str!("fixtures/roblox/asset.json");

// ---------------------------------------------------------------------------------------
// Helpers

fn builder(server: &MockServer, time: &VirtualTime) -> RobloxClientBuilder {
    RobloxClient::builder()
        .api_key(KEY)
        .base_url(format!("{}/assets", server.uri()))
        .allow_http(true)
        .retry(RetryPolicy::never())
        .settings(Settings::new().time(time.clone()))
}

fn client(server: &MockServer) -> RobloxClient {
    builder(server, &VirtualTime::new()).build().unwrap()
}

fn query(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().into_owned().collect()
}

/// Asserts the API-key credential and nothing else.
fn assert_api_key(request: &Request) {
    assert_eq!(header_of(request, "x-api-key"), Some(KEY));
    assert_eq!(header_of(request, "authorization"), None);
}

/// Bytes that cross several 64 KiB chunks and are unlikely to look like a boundary.
fn file_bytes(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| u8::try_from((i * 31 + i / 7) % 251).unwrap())
        .collect()
}

fn temp_file(dir: &tempfile::TempDir, name: &str, data: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, data).unwrap();
    path
}

fn request_json(part: &Part) -> Value {
    assert_eq!(part.name, "request");
    assert_eq!(part.file_name, None, "the request part is a plain field");
    assert_eq!(part.content_type, None, "the request part is a plain field");
    serde_json::from_slice(&part.data).unwrap()
}

async fn mount(server: &MockServer, verb: &str, route: &str, response: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(response)
        .mount(server)
        .await;
}

// ---------------------------------------------------------------------------------------
// Create Asset

#[tokio::test]
async fn create_asset_sends_the_documented_multipart_request() {
    let server = server().await;
    mount(
        &server,
        "POST",
        "/assets/v1/assets",
        json_response(200, OPERATION_PENDING),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let data = passes_preflight("model.fbx", &file_bytes(200_000));
    let file = temp_file(&dir, "model.fbx", &data);

    let operation = client(&server)
        .assets()
        .create(
            AssetType::Model,
            "Name",
            UploadSource::path(&file),
            Creator::User(1_234_567),
        )
        .description("This is a description")
        .send()
        .await
        .unwrap();

    assert_eq!(operation.id, "abc-123");
    assert_eq!(operation.path, "operations/abc-123");
    assert!(!operation.done);
    assert!(operation.result().is_none());

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/assets/v1/assets");
    assert_eq!(request.url.query(), None);
    assert_api_key(request);
    assert_eq!(
        header_of(request, "content-length"),
        Some(request.body.len().to_string().as_str())
    );
    let parts = multipart(request);
    assert_eq!(parts.len(), 2);
    assert_eq!(
        request_json(&parts[0]),
        json!({
            "assetType": "Model",
            "displayName": "Name",
            "description": "This is a description",
            "creationContext": {"creator": {"userId": "1234567"}}
        })
    );
    let content = &parts[1];
    assert_eq!(content.name, "fileContent");
    assert_eq!(content.file_name.as_deref(), Some("model.fbx"));
    assert_eq!(content.content_type.as_deref(), Some("model/fbx"));
    assert_eq!(content.data.len(), data.len());
    assert!(content.data == data, "the file bytes must arrive unchanged");
}

#[tokio::test]
async fn create_group_decal_with_bearer_under_a_path_prefix() {
    let server = server().await;
    // Only `path` in the answer: the id comes from it.
    mount(
        &server,
        "POST",
        "/proxy/roblox/assets/v1/assets",
        json_response(200, r#"{"path": "operations/xyz-9"}"#),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let data = passes_preflight("p1.JPG", &file_bytes(1000));
    let file = temp_file(&dir, "p1.JPG", &data);
    let client = RobloxClient::builder()
        .bearer("oauth-access-token")
        .base_url(format!("{}/proxy/roblox/assets/", server.uri()))
        .allow_http(true)
        .build()
        .unwrap();

    let operation = client
        .assets()
        .create(
            AssetType::Decal,
            "DecalDemo123",
            UploadSource::path(&file),
            Creator::Group(7_654_321),
        )
        .expected_price(25)
        .send()
        .await
        .unwrap();
    assert_eq!(operation.id, "xyz-9");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.url.path(), "/proxy/roblox/assets/v1/assets");
    assert_eq!(
        header_of(request, "authorization"),
        Some("Bearer oauth-access-token")
    );
    assert_eq!(header_of(request, "x-api-key"), None);
    let parts = multipart(request);
    assert_eq!(parts.len(), 2);
    assert_eq!(
        request_json(&parts[0]),
        json!({
            "assetType": "Decal",
            "displayName": "DecalDemo123",
            "description": "",
            "creationContext": {"creator": {"groupId": "7654321"}, "expectedPrice": 25}
        })
    );
    assert_eq!(parts[1].name, "fileContent");
    assert_eq!(parts[1].file_name.as_deref(), Some("p1.JPG"));
    assert_eq!(parts[1].content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(parts[1].data, data);
}

#[tokio::test]
async fn content_types_follow_the_table() {
    let cases = [
        (AssetType::Audio, "a.mp3", "audio/mpeg"),
        (AssetType::Audio, "a.ogg", "audio/ogg"),
        (AssetType::Audio, "a.wav", "audio/wav"),
        (AssetType::Audio, "a.flac", "audio/flac"),
        (AssetType::Animation, "a.rbxm", "model/x-rbxm"),
        (AssetType::Animation, "a.rbxmx", "model/x-rbxm"),
        (AssetType::Image, "a.png", "image/png"),
        (AssetType::Image, "a.jpeg", "image/jpeg"),
        (AssetType::Decal, "a.bmp", "image/bmp"),
        (AssetType::Decal, "a.tga", "image/tga"),
        (AssetType::Mesh, "mesh.bin", "model/x-file-mesh-data"),
        (AssetType::Model, "a.gltf", "model/gltf+json"),
        (AssetType::Model, "a.glb", "model/gltf-binary"),
        (AssetType::Model, "a.rbxmx", "model/x-rbxm"),
        (AssetType::Video, "a.mp4", "video/mp4"),
        (AssetType::Video, "a.mov", "video/mov"),
    ];
    let server = server().await;
    mount(
        &server,
        "POST",
        "/assets/v1/assets",
        json_response(200, OPERATION_PENDING),
    )
    .await;
    let client = client(&server);
    for (asset_type, name, _) in &cases {
        client
            .assets()
            .create(
                asset_type.clone(),
                "x",
                UploadSource::bytes(*name, &b"content"[..]),
                Creator::User(1),
            )
            // Made-up content: this is about the table, not the files (see roblox_preflight).
            .skip_preflight()
            .send()
            .await
            .unwrap();
    }
    let requests = received(&server).await;
    assert_eq!(requests.len(), cases.len());
    for (request, (asset_type, name, content_type)) in requests.iter().zip(&cases) {
        let parts = multipart(request);
        assert_eq!(request_json(&parts[0])["assetType"], json!(asset_type.as_str()));
        assert_eq!(parts[1].file_name.as_deref(), Some(*name));
        assert_eq!(parts[1].content_type.as_deref(), Some(*content_type), "{name}");
        assert_eq!(parts[1].data, &b"content"[..]);
    }
}

#[tokio::test]
async fn create_retried_after_503_resends_the_whole_file() {
    let server = server().await;
    // With Retry-After, a 503 is the service saying it is unavailable: a create may retry.
    Mock::given(method("POST"))
        .and(path("/assets/v1/assets"))
        .respond_with(
            json_response(503, r#"{"code":"UNAVAILABLE","message":"Service unavailable."}"#)
                .insert_header("retry-after", "0"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount(
        &server,
        "POST",
        "/assets/v1/assets",
        json_response(200, OPERATION_PENDING),
    )
    .await;
    let time = VirtualTime::new();
    let client = builder(&server, &time)
        .retry(RetryPolicy::default().with_jitter(false))
        .build()
        .unwrap();
    let data = passes_preflight("tree.glb", &file_bytes(150_000));

    let operation = client
        .assets()
        .create(
            AssetType::Model,
            "Tree",
            UploadSource::bytes("tree.glb", data.clone()),
            Creator::User(5),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(operation.id, "abc-123");
    assert_eq!(time.sleeps(), vec![Duration::from_secs(1)]);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let parts = multipart(request);
        assert_eq!(parts[1].content_type.as_deref(), Some("model/gltf-binary"));
        assert!(parts[1].data == data);
    }
}

#[tokio::test]
async fn create_errors_map_to_the_unified_error() {
    let server = server().await;
    mount(
        &server,
        "POST",
        "/assets/v1/assets",
        json_response(
            400,
            r#"{"code":"INVALID_ARGUMENT","message":"Failed to parse the request or the file."}"#,
        ),
    )
    .await;
    let err = client(&server)
        .assets()
        .create(
            AssetType::Model,
            "Tree",
            UploadSource::bytes("tree.fbx", passes_preflight("tree.fbx", b"x")),
            Creator::User(5),
        )
        .send()
        .await
        .unwrap_err();
    let Error::BadRequest(api) = &err else {
        panic!("expected BadRequest, got {err:?}")
    };
    assert_eq!(api.vendor, assetkit::roblox::VENDOR);
    assert_eq!(api.status, 400);
    assert_eq!(api.code.as_deref(), Some("INVALID_ARGUMENT"));
    assert_eq!(api.message, "Failed to parse the request or the file.");
    // A 400 to a POST is never retried.
    assert_eq!(received(&server).await.len(), 1);
}

// ---------------------------------------------------------------------------------------
// Update Asset

#[tokio::test]
async fn update_metadata_sends_the_update_mask_and_no_file() {
    let server = server().await;
    mount(
        &server,
        "PATCH",
        "/assets/v1/assets/2205400862",
        json_response(200, OPERATION_PENDING),
    )
    .await;

    let operation = client(&server)
        .assets()
        .update(AssetType::Model, 2_205_400_862_u64)
        .display_name("new display name")
        .description("new description")
        .send()
        .await
        .unwrap();
    assert_eq!(operation.id, "abc-123");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), "/assets/v1/assets/2205400862");
    assert_eq!(
        query(request),
        vec![("updateMask".to_owned(), "description,displayName".to_owned())]
    );
    assert_api_key(request);
    let parts = multipart(request);
    assert_eq!(parts.len(), 1, "a metadata update sends no fileContent");
    assert_eq!(
        request_json(&parts[0]),
        json!({
            "assetType": "Model",
            "assetId": "2205400862",
            "displayName": "new display name",
            "description": "new description"
        })
    );
}

#[tokio::test]
async fn update_icon_and_previews() {
    let server = server().await;
    mount(
        &server,
        "PATCH",
        "/assets/v1/assets/42",
        json_response(200, OPERATION_PENDING),
    )
    .await;
    client(&server)
        .assets()
        .update(AssetType::Decal, "42")
        .icon(111_u64)
        .previews(vec![Preview::new(222_u64).alt_text("Front"), Preview::new("333")])
        .send()
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(
        query(&requests[0]),
        vec![("updateMask".to_owned(), "icon,previews".to_owned())]
    );
    let parts = multipart(&requests[0]);
    assert_eq!(parts.len(), 1);
    assert_eq!(
        request_json(&parts[0]),
        json!({
            "assetType": "Decal",
            "assetId": "42",
            "icon": "assets/111",
            "previews": [{"asset": "assets/222", "altText": "Front"}, {"asset": "assets/333"}]
        })
    );
}

#[tokio::test]
async fn update_content_and_metadata() {
    let server = server().await;
    mount(
        &server,
        "PATCH",
        "/assets/v1/assets/2205400862",
        json_response(200, OPERATION_PENDING),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let data = passes_preflight("tree-v2.fbx", &file_bytes(70_000));
    let file = temp_file(&dir, "tree-v2.fbx", &data);

    client(&server)
        .assets()
        .update(AssetType::Model, "2205400862")
        .content(UploadSource::path(&file))
        .creator(Creator::User(1_234_567))
        .expected_price(10)
        .description("new description")
        .display_name("new display name")
        .send()
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        query(request),
        vec![("updateMask".to_owned(), "description,displayName".to_owned())]
    );
    let parts = multipart(request);
    assert_eq!(parts.len(), 2);
    assert_eq!(
        request_json(&parts[0]),
        json!({
            "assetType": "Model",
            "assetId": "2205400862",
            "displayName": "new display name",
            "description": "new description",
            "creationContext": {"creator": {"userId": "1234567"}, "expectedPrice": 10}
        })
    );
    assert_eq!(parts[1].name, "fileContent");
    assert_eq!(parts[1].file_name.as_deref(), Some("tree-v2.fbx"));
    assert_eq!(parts[1].content_type.as_deref(), Some("model/fbx"));
    assert!(parts[1].data == data);
}

#[tokio::test]
async fn update_content_only_sends_no_mask() {
    let server = server().await;
    mount(
        &server,
        "PATCH",
        "/assets/v1/assets/7",
        json_response(200, OPERATION_PENDING),
    )
    .await;
    client(&server)
        .assets()
        .update(AssetType::Model, 7_u64)
        .content(UploadSource::bytes("m.FBX", passes_preflight("m.FBX", b"fbx")))
        .creator(Creator::Group(9))
        .send()
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(requests[0].url.query(), None);
    let parts = multipart(&requests[0]);
    assert_eq!(
        request_json(&parts[0]),
        json!({
            "assetType": "Model",
            "assetId": "7",
            "creationContext": {"creator": {"groupId": "9"}}
        })
    );
    assert_eq!(parts[1].data, passes_preflight("m.FBX", b"fbx"));
}

// ---------------------------------------------------------------------------------------
// Get, Archive, Restore

#[tokio::test]
async fn get_asset_with_read_mask_decodes_every_field() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/assets/v1/assets/2205400862"))
        .respond_with(
            json_response(200, ASSET)
                .insert_header("x-ratelimit-limit", "120")
                .insert_header("x-ratelimit-remaining", "119")
                .insert_header("x-ratelimit-reset", "30"),
        )
        .mount(&server)
        .await;
    let client = client(&server);

    let asset = client
        .assets()
        .get(AssetId::from("2205400862"))
        .read_mask(["description", "displayName", "icon", "previews"])
        .send()
        .await
        .unwrap();

    assert_eq!(asset.asset_type, Some(AssetType::Model));
    assert_eq!(asset.asset_id, Some(AssetId::from(2_205_400_862_u64)));
    let context = asset.creation_context.unwrap();
    assert_eq!(context.creator, Some(Creator::Group(7_654_321)));
    assert_eq!(context.expected_price, Some(0));
    assert_eq!(asset.description.as_deref(), Some("This is a description"));
    assert_eq!(asset.display_name.as_deref(), Some("Tree"));
    assert_eq!(asset.path.as_deref(), Some("assets/2205400862"));
    assert_eq!(asset.revision_id.as_deref(), Some("3"));
    assert_eq!(
        asset.revision_create_time.as_deref(),
        Some("2023-03-02T22:27:04.062164400Z")
    );
    assert_eq!(
        asset.moderation_result.unwrap().moderation_state,
        Some(ModerationState::Reviewing)
    );
    assert_eq!(asset.icon.as_deref(), Some("assets/111"));
    assert_eq!(
        asset.previews,
        vec![Preview::new(222_u64).alt_text("Front"), Preview::new(333_u64)]
    );
    assert_eq!(asset.state, Some(AssetState::Active));

    let rate = client.rate_limit();
    assert_eq!(rate.limit, Some(120));
    assert_eq!(rate.remaining, Some(119));
    assert_eq!(rate.reset, Some(Duration::from_secs(30)));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method.as_str(), "GET");
    assert_eq!(
        query(&requests[0]),
        vec![(
            "readMask".to_owned(),
            "description,displayName,icon,previews".to_owned()
        )]
    );
    assert_api_key(&requests[0]);
}

#[tokio::test]
async fn archive_and_restore() {
    let server = server().await;
    let archived = ASSET.replace(r#""state": "Active""#, r#""state": "Archived""#);
    mount(
        &server,
        "POST",
        "/assets/v1/assets/2205400862:archive",
        json_response(200, &archived),
    )
    .await;
    mount(
        &server,
        "POST",
        "/assets/v1/assets/2205400862:restore",
        json_response(200, ASSET),
    )
    .await;
    let client = client(&server);

    let asset = client.assets().archive(2_205_400_862_u64).send().await.unwrap();
    assert_eq!(asset.state, Some(AssetState::Archived));
    let asset = client.assets().restore(2_205_400_862_u64).send().await.unwrap();
    assert_eq!(asset.state, Some(AssetState::Active));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for (request, verb) in requests.iter().zip(["archive", "restore"]) {
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(request.url.path(), format!("/assets/v1/assets/2205400862:{verb}"));
        assert_eq!(request.url.query(), None);
        assert!(request.body.is_empty());
        assert_api_key(request);
    }
}

// ---------------------------------------------------------------------------------------
// Versions

fn version_json(asset: u64, n: u64) -> Value {
    json!({
        "creationContext": {"creator": {"userId": "11112938575"}},
        "path": format!("assets/{asset}/versions/{n}"),
        "moderationResult": {"moderationState": "MODERATION_STATE_APPROVED"},
        "published": n == 1
    })
}

#[tokio::test]
async fn list_one_page_of_versions() {
    let server = server().await;
    let body = json!({"assetVersions": [version_json(9, 3), version_json(9, 2)], "nextPageToken": "next-1"});
    mount(
        &server,
        "GET",
        "/assets/v1/assets/9/versions",
        json_response(200, &body.to_string()),
    )
    .await;

    let page = client(&server)
        .assets()
        .versions(9_u64)
        .page_size(2)
        .page_token("start")
        .send()
        .await
        .unwrap();

    assert_eq!(page.next_page_token.as_deref(), Some("next-1"));
    let numbers: Vec<_> = page.versions.iter().map(|v| v.version_number().ok()).collect();
    assert_eq!(numbers, vec![Some(3), Some(2)]);
    let first = &page.versions[0];
    assert_eq!(first.path.as_deref(), Some("assets/9/versions/3"));
    assert_eq!(first.published, Some(false));
    assert_eq!(
        first.creation_context.as_ref().unwrap().creator,
        Some(Creator::User(11_112_938_575))
    );
    assert_eq!(
        first.moderation_result.as_ref().unwrap().moderation_state,
        Some(ModerationState::Approved)
    );
    let requests = received(&server).await;
    assert_eq!(
        query(&requests[0]),
        vec![
            ("maxPageSize".to_owned(), "2".to_owned()),
            ("pageToken".to_owned(), "start".to_owned())
        ]
    );
    assert_api_key(&requests[0]);
}

#[tokio::test]
async fn versions_stream_across_three_pages_ends_exactly() {
    let server = server().await;
    let pages = [
        (
            None,
            json!({"assetVersions": [version_json(9, 5), version_json(9, 4)], "nextPageToken": "p2"}),
        ),
        (
            Some("p2"),
            json!({"assetVersions": [version_json(9, 3), version_json(9, 2)], "nextPageToken": "p3"}),
        ),
        // The last page: the token is absent (an empty one would end the stream as well).
        (Some("p3"), json!({"assetVersions": [version_json(9, 1)]})),
    ];
    for (token, body) in &pages {
        let mock = Mock::given(method("GET")).and(path("/assets/v1/assets/9/versions"));
        let mock = match token {
            Some(token) => mock.and(wiremock::matchers::query_param("pageToken", *token)),
            None => mock.and(wiremock::matchers::query_param_is_missing("pageToken")),
        };
        mock.respond_with(json_response(200, &body.to_string()))
            .expect(1)
            .mount(&server)
            .await;
    }

    let versions: Vec<_> = client(&server)
        .assets()
        .versions(9_u64)
        .page_size(2)
        .into_stream()
        .try_collect()
        .await
        .unwrap();

    let numbers: Vec<_> = versions.iter().map(|v| v.version_number().unwrap()).collect();
    assert_eq!(numbers, vec![5, 4, 3, 2, 1]);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    let tokens: Vec<_> = requests
        .iter()
        .map(|r| {
            let q = query(r);
            assert!(q.contains(&("maxPageSize".to_owned(), "2".to_owned())));
            q.into_iter().find(|(k, _)| k == "pageToken").map(|(_, v)| v)
        })
        .collect();
    assert_eq!(tokens, vec![None, Some("p2".to_owned()), Some("p3".to_owned())]);
}

#[tokio::test]
async fn versions_into_pages_yields_each_page_and_the_options_reach_every_request() {
    use assetkit::RequestOptions;
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/assets/v1/assets/9/versions"))
        .and(wiremock::matchers::query_param_is_missing("pageToken"))
        .respond_with(json_response(
            200,
            &json!({"assetVersions": [version_json(9, 2)], "nextPageToken": "p2"}).to_string(),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/assets/v1/assets/9/versions"))
        .and(wiremock::matchers::query_param("pageToken", "p2"))
        .respond_with(json_response(
            200,
            &json!({"assetVersions": [version_json(9, 1)], "nextPageToken": ""}).to_string(),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let pages: Vec<_> = client(&server)
        .assets()
        .versions(9_u64)
        .page_size(1)
        .with_header(
            assetkit::core::header::HeaderName::from_static("x-trace"),
            assetkit::core::header::HeaderValue::from_static("pages-1"),
        )
        .into_pages()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].next_page_token.as_deref(), Some("p2"));
    assert_eq!(pages[1].versions[0].version_number().ok(), Some(1));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(header_of(request, "x-trace"), Some("pages-1"));
        assert!(query(request).contains(&("maxPageSize".to_owned(), "1".to_owned())));
    }
}

#[tokio::test]
async fn per_call_retry_policy_makes_one_attempt_at_a_version_the_client_would_retry() {
    use assetkit::RequestOptions;
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/assets/v1/assets/9/versions/1"))
        .respond_with(json_response(503, r#"{"code":"UNAVAILABLE","message":"down"}"#))
        .mount(&server)
        .await;
    let time = VirtualTime::new();
    let client = builder(&server, &time)
        .retry(RetryPolicy::default())
        .build()
        .unwrap();
    let err = client
        .assets()
        .version(9_u64, 1)
        .with_retry(RetryPolicy::never())
        .with_timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    assert_eq!(err.request().unwrap().attempts, 1);
    assert_eq!(received(&server).await.len(), 1);
    // Without the option the client's policy retries the 503.
    let err = client.assets().version(9_u64, 1).send().await.unwrap_err();
    assert_eq!(err.request().unwrap().attempts, 3);
}

#[tokio::test]
async fn versions_stream_stops_at_an_error() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/assets/v1/assets/9/versions"))
        .and(wiremock::matchers::query_param_is_missing("pageToken"))
        .respond_with(json_response(
            200,
            &json!({"assetVersions": [version_json(9, 2)], "nextPageToken": "p2"}).to_string(),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/assets/v1/assets/9/versions"))
        .and(wiremock::matchers::query_param("pageToken", "p2"))
        .respond_with(json_response(
            404,
            r#"{"code":"NOT_FOUND","message":"Asset not found."}"#,
        ))
        .mount(&server)
        .await;
    let items: Vec<_> = client(&server)
        .assets()
        .versions(9_u64)
        .into_stream()
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().version_number().ok(), Some(2));
    assert!(matches!(items[1], Err(Error::NotFound(_))));
}

#[tokio::test]
async fn get_asset_version() {
    let server = server().await;
    mount(
        &server,
        "GET",
        "/assets/v1/assets/9/versions/4",
        json_response(200, &version_json(9, 4).to_string()),
    )
    .await;
    let version = client(&server).assets().version(9_u64, 4).send().await.unwrap();
    assert_eq!(version.version_number().ok(), Some(4));
    assert_eq!(version.path.as_deref(), Some("assets/9/versions/4"));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method.as_str(), "GET");
    assert_api_key(&requests[0]);
}

#[tokio::test]
async fn rollback_asset_version_posts_the_version_path() {
    let server = server().await;
    mount(
        &server,
        "POST",
        "/assets/v1/assets/9/versions:rollback",
        json_response(200, &version_json(9, 6).to_string()),
    )
    .await;
    let version = client(&server).assets().rollback(9_u64, 2).send().await.unwrap();
    assert_eq!(version.version_number().ok(), Some(6));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.url.path(), "/assets/v1/assets/9/versions:rollback");
    assert_eq!(header_of(request, "content-type"), Some("application/json"));
    assert_eq!(
        serde_json::from_slice::<Value>(&request.body).unwrap(),
        json!({"assetVersion": "assets/9/versions/2"})
    );
    assert_api_key(request);
}

// ---------------------------------------------------------------------------------------
// Get Operation

#[tokio::test]
async fn get_operation_decodes_the_documented_response() {
    let server = server().await;
    mount(
        &server,
        "GET",
        "/assets/v1/operations/abc-123",
        json_response(200, OPERATION_DONE),
    )
    .await;
    let client = client(&server);
    // The bare id and the path are both accepted.
    for id in ["abc-123", "operations/abc-123"] {
        let operation = client.operations().get(id).send().await.unwrap();
        assert_eq!(operation.id, "abc-123");
        assert_eq!(operation.path, "operations/abc-123");
        assert!(operation.done);
        let asset = operation.result().unwrap().unwrap();
        assert_eq!(asset.asset_id, Some(AssetId::from("2205400862")));
        assert_eq!(asset.asset_type, Some(AssetType::Decal));
        assert_eq!(asset.display_name.as_deref(), Some("Name"));
        // Waiting on a finished operation answers at once, with no request.
        let before = received(&server).await.len();
        assert_eq!(operation.wait().await.unwrap(), asset);
        assert_eq!(received(&server).await.len(), before);
    }
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.url.path(), "/assets/v1/operations/abc-123");
        assert_api_key(request);
    }
}

// ---------------------------------------------------------------------------------------
// Errors

#[tokio::test]
async fn error_bodies_map_to_the_unified_error() {
    let cases: [(u16, &str, Option<&str>, &str); 6] = [
        (
            400,
            r#"{"code":"INVALID_ARGUMENT","message":"Invalid read mask."}"#,
            Some("INVALID_ARGUMENT"),
            "Invalid read mask.",
        ),
        (
            401,
            r#"{"code":"UNAUTHENTICATED","message":"Invalid API Key"}"#,
            Some("UNAUTHENTICATED"),
            "Invalid API Key",
        ),
        (
            403,
            r#"{"code":"PERMISSION_DENIED","message":"Insufficient scope."}"#,
            Some("PERMISSION_DENIED"),
            "Insufficient scope.",
        ),
        (
            404,
            r#"{"code":"NOT_FOUND","message":"Asset not found."}"#,
            Some("NOT_FOUND"),
            "Asset not found.",
        ),
        (
            429,
            r#"{"code":"RESOURCE_EXHAUSTED","message":"Too many requests."}"#,
            Some("RESOURCE_EXHAUSTED"),
            "Too many requests.",
        ),
        (
            500,
            r#"{"errors":[{"code":0,"message":"InternalServerError"}]}"#,
            Some("0"),
            "InternalServerError",
        ),
    ];
    for (status, body, code, message) in cases {
        let server = server().await;
        mount(
            &server,
            "GET",
            "/assets/v1/assets/1",
            json_response(status, body).insert_header("retry-after", "30"),
        )
        .await;
        let err = client(&server).assets().get(1_u64).send().await.unwrap_err();
        let kind_ok = match (status, &err) {
            (400, Error::BadRequest(_))
            | (401, Error::Unauthorized(_))
            | (403, Error::Forbidden(_))
            | (404, Error::NotFound(_))
            | (500, Error::Server(_)) => true,
            (429, Error::RateLimited { retry_after, .. }) => *retry_after == Some(Duration::from_secs(30)),
            _ => false,
        };
        assert!(kind_ok, "{status} gave {err:?}");
        let api = err.api_error().unwrap();
        assert_eq!(api.status, status);
        assert_eq!(api.vendor, assetkit::roblox::VENDOR);
        assert_eq!(api.code.as_deref(), code);
        assert_eq!(api.message, message);
        assert!(!err.to_string().contains(KEY));
        assert_eq!(received(&server).await.len(), 1);
    }
}

#[tokio::test]
async fn bearer_supplier_is_asked_again_after_a_401() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/assets/v1/assets/1"))
        .and(header("authorization", "Bearer token-0"))
        .respond_with(json_response(
            401,
            r#"{"code":"UNAUTHENTICATED","message":"Token expired."}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/assets/v1/assets/1"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(json_response(200, ASSET))
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let client = RobloxClient::builder()
        .bearer_supplier(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move { Ok(SecretString::from(format!("token-{n}"))) }
        })
        .base_url(format!("{}/assets", server.uri()))
        .allow_http(true)
        .build()
        .unwrap();

    let asset = client.assets().get(1_u64).send().await.unwrap();
    assert_eq!(asset.display_name.as_deref(), Some("Tree"));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| header_of(r, "x-api-key").is_none()));
}

// ---------------------------------------------------------------------------------------
// Polling

async fn mount_operation_sequence(server: &MockServer, answers: Vec<ResponseTemplate>) {
    // Each answer is served once, in order; the last one stays.
    let last = answers.len() - 1;
    for (i, answer) in answers.into_iter().enumerate() {
        let mock = Mock::given(method("GET"))
            .and(path("/assets/v1/operations/abc-123"))
            .respond_with(answer)
            .with_priority(u8::try_from(i + 1).unwrap());
        let mock = if i == last { mock } else { mock.up_to_n_times(1) };
        mock.mount(server).await;
    }
}

async fn start_upload(client: &RobloxClient) -> assetkit::roblox::Operation {
    client
        .assets()
        .create(
            AssetType::Decal,
            "Name",
            UploadSource::bytes("p1.png", passes_preflight("p1.png", b"png")),
            Creator::User(11_112_938_575),
        )
        .send()
        .await
        .unwrap()
}

fn exact_policy() -> PollPolicy {
    PollPolicy::default().with_jitter(0.0)
}

fn secs(list: &[u64]) -> Vec<Duration> {
    list.iter().copied().map(Duration::from_secs).collect()
}

fn operation_polls(requests: &[Request]) -> usize {
    requests
        .iter()
        .filter(|r| r.method.as_str() == "GET" && r.url.path() == "/assets/v1/operations/abc-123")
        .count()
}

#[tokio::test]
async fn wait_is_done_on_the_third_poll_with_exact_delays() {
    let server = server().await;
    mount(
        &server,
        "POST",
        "/assets/v1/assets",
        json_response(200, OPERATION_PENDING),
    )
    .await;
    // A pending operation may also omit `done` altogether.
    mount_operation_sequence(
        &server,
        vec![
            json_response(200, OPERATION_PENDING),
            json_response(200, r#"{"path": "operations/abc-123"}"#),
            json_response(200, OPERATION_DONE),
        ],
    )
    .await;
    let time = VirtualTime::new();
    let client = builder(&server, &time)
        .poll_policy(exact_policy())
        .build()
        .unwrap();

    let asset = start_upload(&client).await.wait().await.unwrap();

    assert_eq!(asset.asset_id, Some(AssetId::from("2205400862")));
    assert_eq!(
        asset.moderation_result.unwrap().moderation_state,
        Some(ModerationState::Approved)
    );
    assert_eq!(time.sleeps(), secs(&[1, 2, 4]));
    let requests = received(&server).await;
    assert_eq!(operation_polls(&requests), 3);
    assert!(requests.iter().all(|r| header_of(r, "x-api-key") == Some(KEY)));
}

#[tokio::test]
async fn poller_stream_yields_each_state() {
    let server = server().await;
    mount(
        &server,
        "POST",
        "/assets/v1/assets",
        json_response(200, OPERATION_PENDING),
    )
    .await;
    mount_operation_sequence(
        &server,
        vec![
            json_response(200, OPERATION_PENDING),
            json_response(200, OPERATION_DONE),
        ],
    )
    .await;
    let time = VirtualTime::new();
    let client = builder(&server, &time).build().unwrap();
    let operation = start_upload(&client).await.poll_policy(
        exact_policy()
            .with_initial_delay(Duration::from_secs(5))
            .with_multiplier(3.0),
    );

    let states: Vec<_> = operation.poller().into_stream().try_collect().await.unwrap();

    assert_eq!(states.len(), 2);
    assert!(matches!(states[0], PollState::Pending(_)));
    let PollState::Done(asset) = &states[1] else {
        panic!("expected Done, got {:?}", states[1])
    };
    assert_eq!(asset.display_name.as_deref(), Some("Name"));
    assert_eq!(time.sleeps(), secs(&[5, 15]));
}

#[tokio::test]
async fn polling_rides_through_429_and_503() {
    let server = server().await;
    mount(
        &server,
        "POST",
        "/assets/v1/assets",
        json_response(200, OPERATION_PENDING),
    )
    .await;
    mount_operation_sequence(
        &server,
        vec![
            json_response(200, OPERATION_PENDING),
            json_response(
                429,
                r#"{"code":"RESOURCE_EXHAUSTED","message":"Too many requests."}"#,
            )
            .insert_header("retry-after", "7"),
            ResponseTemplate::new(503).set_body_string("<html>Service Unavailable</html>"),
            json_response(200, OPERATION_DONE),
        ],
    )
    .await;
    let time = VirtualTime::new();
    // No transport retries: the poller itself must carry on through the transient answers.
    let client = builder(&server, &time)
        .poll_policy(exact_policy())
        .build()
        .unwrap();

    let asset = start_upload(&client).await.wait().await.unwrap();

    assert_eq!(asset.asset_id, Some(AssetId::from("2205400862")));
    // 1 s, 2 s, then Retry-After 7 s beats the 4 s backoff, then 8 s.
    assert_eq!(time.sleeps(), secs(&[1, 2, 7, 8]));
    assert_eq!(operation_polls(&received(&server).await), 4);
}

#[tokio::test]
async fn a_failed_operation_is_operation_failed() {
    let server = server().await;
    mount(
        &server,
        "POST",
        "/assets/v1/assets",
        json_response(200, OPERATION_PENDING),
    )
    .await;
    mount_operation_sequence(
        &server,
        vec![
            json_response(200, OPERATION_PENDING),
            json_response(200, OPERATION_FAILED),
        ],
    )
    .await;
    let time = VirtualTime::new();
    let client = builder(&server, &time)
        .poll_policy(exact_policy())
        .build()
        .unwrap();

    let err = start_upload(&client).await.wait().await.unwrap_err();

    let Error::OperationFailed {
        operation,
        code,
        message,
        details,
    } = &err
    else {
        panic!("expected OperationFailed, got {err:?}")
    };
    assert_eq!(operation, "abc-123");
    assert_eq!(code.as_deref(), Some("3"));
    assert_eq!(message, "Asset name or description is inappropriate.");
    assert_eq!(details.len(), 1);
    assert_eq!(details[0]["reason"], json!("MODERATION"));
    assert_eq!(time.sleeps(), secs(&[1, 2]));
}

#[tokio::test]
async fn polling_stops_at_the_deadline() {
    let server = server().await;
    mount(
        &server,
        "POST",
        "/assets/v1/assets",
        json_response(200, OPERATION_PENDING),
    )
    .await;
    mount_operation_sequence(&server, vec![json_response(200, OPERATION_PENDING)]).await;
    let time = VirtualTime::new();
    let client = builder(&server, &time).build().unwrap();
    let operation = start_upload(&client)
        .await
        .poll_policy(exact_policy().with_deadline(Some(Duration::from_secs(10))));

    let err = operation.wait().await.unwrap_err();

    let Error::PollTimeout { operation, waited } = &err else {
        panic!("expected PollTimeout, got {err:?}")
    };
    assert_eq!(operation, "abc-123");
    assert_eq!(*waited, Duration::from_secs(10));
    // 1 + 2 + 4 = 7 s, then the last poll lands exactly on the 10 s deadline.
    assert_eq!(time.sleeps(), secs(&[1, 2, 4, 3]));
    assert_eq!(operation_polls(&received(&server).await), 4);
}

#[tokio::test]
async fn a_poll_failure_after_create_keeps_the_operation_id() {
    let server = server().await;
    mount(
        &server,
        "POST",
        "/assets/v1/assets",
        json_response(200, OPERATION_PENDING),
    )
    .await;
    mount_operation_sequence(
        &server,
        vec![json_response(
            403,
            r#"{"code":"PERMISSION_DENIED","message":"The key lacks Read."}"#,
        )],
    )
    .await;
    let time = VirtualTime::new();
    let client = builder(&server, &time)
        .poll_policy(exact_policy())
        .build()
        .unwrap();

    let err = start_upload(&client).await.wait().await.unwrap_err();

    let created = err.created().unwrap();
    assert_eq!(created.vendor, assetkit::roblox::VENDOR);
    assert_eq!(created.kind, "operation");
    assert_eq!(created.id, "abc-123");
    assert_eq!(err.status(), Some(403));
    let Error::PartialFailure { source, .. } = &err else {
        panic!("expected PartialFailure, got {err:?}")
    };
    assert!(matches!(**source, Error::Forbidden(_)));
    assert_eq!(operation_polls(&received(&server).await), 1);
}

// ---------------------------------------------------------------------------------------
// Validation: refused before any byte is sent

/// A sparse file of `len` bytes: sizes are checked with a stat, never by reading.
fn sparse_file(dir: &tempfile::TempDir, name: &str, len: u64) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::File::create(&path).unwrap().set_len(len).unwrap();
    path
}

const TWENTY_MIB: u64 = 20 * 1024 * 1024;

async fn assert_refused_before_sending(server: &MockServer, results: Vec<(&str, Result<(), Error>)>) {
    for (case, result) in results {
        assert!(
            matches!(result, Err(Error::InvalidRequest(_))),
            "{case}: expected InvalidRequest, got {result:?}"
        );
    }
    assert!(received(server).await.is_empty(), "nothing may reach the server");
}

#[tokio::test]
async fn invalid_creates_send_nothing() {
    let server = server().await;
    let client = client(&server);
    let dir = tempfile::tempdir().unwrap();
    let big = sparse_file(&dir, "big.fbx", TWENTY_MIB + 1);
    let assets = client.assets();
    let create = |asset_type: AssetType, name: &str| {
        assets.create(
            asset_type,
            "x",
            UploadSource::bytes(name, &b"1"[..]),
            Creator::User(1),
        )
    };

    let results = vec![
        (
            "png as a model",
            create(AssetType::Model, "a.png").send().await.map(drop),
        ),
        (
            "mp3 as a decal",
            create(AssetType::Decal, "a.mp3").send().await.map(drop),
        ),
        (
            "fbx as a video",
            create(AssetType::Video, "a.fbx").send().await.map(drop),
        ),
        (
            "no extension",
            create(AssetType::Audio, "sound").send().await.map(drop),
        ),
        (
            "unknown type without a content type",
            create(AssetType::Unknown("Plugin".into()), "p.rbxm")
                .send()
                .await
                .map(drop),
        ),
        (
            "over 20 MB",
            assets
                .create(AssetType::Model, "x", UploadSource::path(&big), Creator::User(1))
                .send()
                .await
                .map(drop),
        ),
        (
            "empty display name",
            assets
                .create(
                    AssetType::Model,
                    "  ",
                    UploadSource::bytes("a.fbx", &b"1"[..]),
                    Creator::User(1),
                )
                .send()
                .await
                .map(drop),
        ),
    ];
    assert_refused_before_sending(&server, results).await;
}

#[tokio::test]
async fn invalid_updates_send_nothing() {
    let server = server().await;
    let client = client(&server);
    let dir = tempfile::tempdir().unwrap();
    let big = sparse_file(&dir, "big.fbx", TWENTY_MIB + 1);
    let assets = client.assets();
    let content_update = |asset_type: AssetType, source: UploadSource| {
        assets
            .update(asset_type, 1_u64)
            .content(source)
            .creator(Creator::User(1))
    };
    let bytes = |name: &str| UploadSource::bytes(name, &b"1"[..]);

    let results = vec![
        (
            "audio content",
            content_update(AssetType::Audio, bytes("a.mp3"))
                .send()
                .await
                .map(drop),
        ),
        (
            "decal content",
            content_update(AssetType::Decal, bytes("a.png"))
                .send()
                .await
                .map(drop),
        ),
        (
            "image content",
            content_update(AssetType::Image, bytes("a.png"))
                .send()
                .await
                .map(drop),
        ),
        (
            "mesh content",
            content_update(AssetType::Mesh, bytes("m.mesh"))
                .send()
                .await
                .map(drop),
        ),
        (
            "an image as model content",
            content_update(AssetType::Model, bytes("m.png"))
                .send()
                .await
                .map(drop),
        ),
        (
            "content over 20 MB",
            content_update(AssetType::Model, UploadSource::path(&big))
                .send()
                .await
                .map(drop),
        ),
        (
            "a description over 1000 characters",
            assets
                .update(AssetType::Model, 1_u64)
                .description("d".repeat(1001))
                .send()
                .await
                .map(drop),
        ),
        (
            "nothing to update",
            assets.update(AssetType::Model, 1_u64).send().await.map(drop),
        ),
        (
            "empty new display name",
            assets
                .update(AssetType::Model, 1_u64)
                .display_name("")
                .send()
                .await
                .map(drop),
        ),
        (
            "empty asset id",
            assets
                .update(AssetType::Model, "")
                .description("d")
                .send()
                .await
                .map(drop),
        ),
    ];
    assert_refused_before_sending(&server, results).await;
}

#[tokio::test]
async fn invalid_reads_send_nothing() {
    let server = server().await;
    let client = client(&server);
    let assets = client.assets();

    let results = vec![
        ("empty asset id", assets.get("").send().await.map(drop)),
        (
            "empty asset id to archive",
            assets.archive("").send().await.map(drop),
        ),
        (
            "page size 0",
            assets.versions(1_u64).page_size(0).send().await.map(drop),
        ),
        (
            "page size 51",
            assets.versions(1_u64).page_size(51).send().await.map(drop),
        ),
        (
            "page size 51, streamed",
            assets
                .versions(1_u64)
                .page_size(51)
                .into_stream()
                .try_collect::<Vec<_>>()
                .await
                .map(drop),
        ),
        (
            "empty operation id",
            client.operations().get("operations/").send().await.map(drop),
        ),
    ];
    assert_refused_before_sending(&server, results).await;

    // The page-size range is inclusive at both ends.
    let empty = json_response(200, r#"{"assetVersions": []}"#);
    mount(&server, "GET", "/assets/v1/assets/1/versions", empty).await;
    for size in [1, 50] {
        let page = assets.versions(1_u64).page_size(size).send().await.unwrap();
        assert!(page.versions.is_empty());
        assert_eq!(page.next_page_token, None);
    }
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_file_of_exactly_20_mib_is_accepted_and_sent_whole() {
    let server = server().await;
    mount(
        &server,
        "POST",
        "/assets/v1/assets",
        json_response(200, OPERATION_PENDING),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let at_limit = sparse_file(&dir, "limit.png", TWENTY_MIB);
    // A PNG header in front of the zeros, for the preflight.
    {
        use std::io::Write;
        let header = passes_preflight("limit.png", b"");
        std::fs::OpenOptions::new()
            .write(true)
            .open(&at_limit)
            .unwrap()
            .write_all(&header)
            .unwrap();
    }
    client(&server)
        .assets()
        .create(
            AssetType::Image,
            "x",
            UploadSource::path(&at_limit),
            Creator::User(1),
        )
        .send()
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let parts = multipart(&requests[0]);
    assert_eq!(parts[1].content_type.as_deref(), Some("image/png"));
    assert_eq!(parts[1].data.len() as u64, TWENTY_MIB);
}

#[tokio::test]
async fn unknown_types_upload_with_an_explicit_content_type() {
    let server = server().await;
    mount(
        &server,
        "POST",
        "/assets/v1/assets",
        json_response(200, OPERATION_PENDING),
    )
    .await;
    client(&server)
        .assets()
        .create(
            AssetType::from_name("Plugin"),
            "Tool",
            UploadSource::bytes("tool.rbxm", &b"rbxm"[..]),
            Creator::User(1),
        )
        .content_type("model/x-rbxm")
        .send()
        .await
        .unwrap();
    let requests = received(&server).await;
    let parts = multipart(&requests[0]);
    assert_eq!(request_json(&parts[0])["assetType"], json!("Plugin"));
    assert_eq!(parts[1].content_type.as_deref(), Some("model/x-rbxm"));
}

#[tokio::test]
async fn per_call_options_set_a_header_and_a_retry_policy_for_one_call_only() {
    use assetkit::RequestOptions;
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/assets/v1/assets/1"))
        .respond_with(json_response(503, r#"{"code":"UNAVAILABLE","message":"down"}"#))
        .mount(&server)
        .await;
    let time = VirtualTime::new();
    // Later calls win: the default policy replaces the test builder's `never`.
    let client = builder(&server, &time)
        .retry(RetryPolicy::default())
        .build()
        .unwrap();
    let err = client
        .assets()
        .get(1u64)
        .with_retry(RetryPolicy::never())
        .with_header(
            assetkit::core::header::HeaderName::from_static("x-trace"),
            assetkit::core::header::HeaderValue::from_static("t-1"),
        )
        .with_header(
            assetkit::core::header::HeaderName::from_static("x-api-key"),
            assetkit::core::header::HeaderValue::from_static("not-the-key"),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.request().unwrap().attempts, 1, "this call's policy: no retry");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].headers.get("x-trace").unwrap(), "t-1");
    let keys: Vec<_> = requests[0].headers.get_all("x-api-key").iter().collect();
    assert_eq!(keys.len(), 1, "the credential's header is the credential's alone");
    assert_ne!(keys[0], "not-the-key");
    // The next call has the client's own policy again: 3 attempts.
    let err = client.assets().get(1u64).send().await.unwrap_err();
    assert_eq!(err.request().unwrap().attempts, 3);
}

#[tokio::test]
async fn model_content_updates_take_every_model_format() {
    // The newer usage guide marks only Models updatable, in all their formats (the older
    // one said `.fbx` only).
    let fake = assetkit_testkit::FakeRoblox::start().await;
    fake.set_polls_until_done(0);
    let client = RobloxClient::builder()
        .api_key("key")
        .base_url(fake.base_url())
        .settings(Settings::new().allow_http(true).time(VirtualTime::new()))
        .build()
        .unwrap();
    for extension in ["fbx", "gltf", "glb", "rbxm", "rbxmx"] {
        let name = format!("tree.{extension}");
        let asset = client
            .assets()
            .create(
                AssetType::Model,
                "Tree",
                UploadSource::bytes(name.clone(), passes_preflight(&name, b"v1")),
                Creator::User(1),
            )
            .send()
            .await
            .unwrap()
            .wait()
            .await
            .unwrap();
        let id = asset.asset_id.unwrap().to_string();
        let accepted = update_content(&client, &id, &name).await;
        assert_eq!(fake.version_count(&id), Some(2), "{extension}");
        assert!(accepted, "{extension}");
    }
}

/// Sends a content update of `name` to asset `id`, without a creator (as the spec's
/// "Update Content Only" sample does); true when it was accepted.
async fn update_content(client: &RobloxClient, id: &str, name: &str) -> bool {
    client
        .assets()
        .update(AssetType::Model, id.parse::<u64>().unwrap())
        .content(UploadSource::bytes(
            name.to_owned(),
            passes_preflight(name, b"v2"),
        ))
        .send()
        .await
        .unwrap()
        .wait()
        .await
        .is_ok()
}

#[tokio::test]
async fn descriptions_up_to_1000_characters_go_and_longer_ones_are_refused_before_sending() {
    let fake = assetkit_testkit::FakeRoblox::start().await;
    fake.set_polls_until_done(0);
    let client = RobloxClient::builder()
        .api_key("key")
        .base_url(fake.base_url())
        .settings(Settings::new().allow_http(true).time(VirtualTime::new()))
        .build()
        .unwrap();
    let create = |description: String| {
        client
            .assets()
            .create(
                AssetType::Model,
                "Tree",
                UploadSource::bytes("tree.fbx", passes_preflight("tree.fbx", b"v1")),
                Creator::User(1),
            )
            .asset_privacy(assetkit::roblox::AssetPrivacy::Restricted)
            .description(description)
    };
    // Characters, not bytes: 1000 three-byte characters are within the limit.
    create("\u{20ac}".repeat(1000)).send().await.unwrap();
    let error = create("d".repeat(1001)).send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(error.to_string().contains("1000"), "{error}");
    assert_eq!(fake.asset_count(), 1, "the refused one sent nothing");
    let requests = fake.requests().await;
    let body = String::from_utf8_lossy(&requests[0].body).into_owned();
    assert!(body.contains(r#""assetPrivacy":"restricted""#), "{body}");
}

#[tokio::test]
async fn social_links_are_sent_as_the_specs_sample_and_read_back() {
    use assetkit::roblox::{SocialLink, SocialLinkKind};
    let server = server().await;
    mount(
        &server,
        "PATCH",
        "/assets/v1/assets/2205400862",
        json_response(200, OPERATION_PENDING),
    )
    .await;
    // The spec's "Update Social Links" sample.
    client(&server)
        .assets()
        .update(AssetType::Model, "2205400862")
        .social_link(
            SocialLinkKind::Github,
            SocialLink::new("https://github.com/your-repo").title("Optional title"),
        )
        .social_link(
            SocialLinkKind::Twitch,
            SocialLink::new("https://twitch.tv/your-channel").title("Optional title"),
        )
        .send()
        .await
        .unwrap();
    let requests = received(&server).await;
    assert_eq!(
        query(&requests[0]),
        vec![(
            "updateMask".to_owned(),
            "twitchSocialLink,githubSocialLink".to_owned()
        )]
    );
    let parts = multipart(&requests[0]);
    assert_eq!(
        request_json(&parts[0]),
        json!({
            "assetType": "Model",
            "assetId": "2205400862",
            "twitchSocialLink": {"title": "Optional title", "uri": "https://twitch.tv/your-channel"},
            "githubSocialLink": {"title": "Optional title", "uri": "https://github.com/your-repo"}
        })
    );

    // Four links are one too many, and nothing is sent.
    let mut four = client(&server).assets().update(AssetType::Model, "2205400862");
    for kind in [
        SocialLinkKind::Facebook,
        SocialLinkKind::Twitter,
        SocialLinkKind::Youtube,
        SocialLinkKind::Discord,
    ] {
        four = four.social_link(kind, SocialLink::new("https://example.com/x"));
    }
    let error = four.send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert_eq!(received(&server).await.len(), 1);

    // Read back from an asset answer.
    let asset: assetkit::roblox::Asset = serde_json::from_value(json!({
        "assetId": "2205400862",
        "twitchSocialLink": {"title": "Optional title", "uri": "https://twitch.tv/your-channel"},
        "devForumSocialLink": {"uri": "https://devforum.roblox.com/u/me"}
    }))
    .unwrap();
    let links = asset.social_links();
    assert_eq!(links.len(), 2);
    assert_eq!(
        links[&SocialLinkKind::Twitch].uri,
        "https://twitch.tv/your-channel"
    );
    assert_eq!(links[&SocialLinkKind::DevForum].title, None);
}

#[tokio::test]
async fn download_asks_asset_delivery_then_fetches_the_location_without_the_key() {
    let api = server().await;
    let storage = MockServer::start().await;
    let bytes = file_bytes(200_000);
    Mock::given(method("GET"))
        .and(path("/v1/cdn/abc"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(bytes.clone()))
        .mount(&storage)
        .await;
    let location = format!("{}/v1/cdn/abc", storage.uri());
    mount(
        &api,
        "GET",
        "/asset-delivery-api/v1/assetId/2205400862/version/3",
        json_response(
            200,
            &json!({"location": location, "requestId": "r-1"}).to_string(),
        ),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("tree.rbxm");
    let written = client(&api)
        .assets()
        .download(2_205_400_862_u64)
        .version(3)
        .to_path(&target)
        .await
        .unwrap();
    assert_eq!(written, 200_000);
    assert!(std::fs::read(&target).unwrap() == bytes);
    let asked = received(&api).await;
    assert_eq!(asked.len(), 1);
    assert!(
        header_of(&asked[0], "x-api-key").is_some(),
        "the key goes to apis.roblox.com"
    );
    let fetched = storage.received_requests().await.unwrap();
    assert_eq!(fetched.len(), 1);
    assert!(
        fetched[0].headers.get("x-api-key").is_none(),
        "never to the storage host"
    );

    // A base URL ending in `/assets`, as the default does: Asset Delivery is beside it.
    let beside = RobloxClient::builder()
        .api_key(KEY)
        .base_url(format!("{}/assets", api.uri()))
        .settings(Settings::new().allow_http(true).time(VirtualTime::new()))
        .build()
        .unwrap();
    let mut sink = Vec::new();
    beside
        .assets()
        .download(2_205_400_862_u64)
        .version(3)
        .to_writer(&mut sink)
        .await
        .unwrap();
    assert!(sink == bytes);

    // No location: a decode error, and no file.
    mount(
        &api,
        "GET",
        "/asset-delivery-api/v1/assetId/7",
        json_response(200, r#"{"errors":[{"code":404,"message":"not found"}]}"#),
    )
    .await;
    let missing = dir.path().join("missing.bin");
    let error = client(&api)
        .assets()
        .download(7_u64)
        .to_path(&missing)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert!(!missing.exists());
}

#[test]
fn tls_settings_reach_the_transport() {
    // A root that is not a certificate is refused when the client is built, through the
    // builder as through Settings.
    let err = RobloxClient::builder()
        .api_key("k")
        .add_root_certificate_pem("not a certificate")
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidRequest(ref m) if m.contains("PEM")),
        "{err:?}"
    );
    let err = RobloxClient::builder()
        .api_key("k")
        .settings(Settings::new().add_root_certificate_pem(Vec::new()))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    RobloxClient::builder()
        .api_key("k")
        .tls(assetkit::Tls::Rustls)
        .build()
        .unwrap();
}
