//! Integration tests for the Webflow Assets client: every endpoint against wiremock with the
//! documented JSON, and step 2 of the upload against a real S3-compatible server (s3s-fs).

// Test code, helpers included: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "webflow/s3.rs"]
mod s3;

use std::path::Path;
use std::time::Duration;

use assetkit::core::time::VirtualTime;
use assetkit::webflow::{CreatedAsset, UploadDetails, WebflowClient, file_md5};
use assetkit::{Error, ProgressReporter, RetryPolicy, Settings, UploadSource};

use futures::TryStreamExt;
use md5::{Digest, Md5};
use serde_json::json;
use wiremock::matchers::{any, body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod common;
use common::multipart;

const SITE: &str = "580e63e98c9a982ac9b8b741";
const ASSET: &str = "63e5889e7fe4eafa7384cea4";
const FOLDER: &str = "6390c49774a71f99f21a08eb";
const TOKEN: &str = "wf-test-token";

// ---- documented JSON (developers.webflow.com, Data API v2) -------------------------------

fn asset_json() -> serde_json::Value {
    json!({
        "id": ASSET,
        "contentType": "image/png",
        "size": 2_212_772,
        "siteId": "63938b302ea6b0aa6f3d8745",
        "hostedUrl": "https://s3.amazonaws.com/webflow-prod-assets/63938b302ea6b0aa6f3d8745/63e5889e7fe4eafa7384cea4_Vectors-Wrapper.svg",
        "originalFileName": "Candy-Wrapper.svg",
        "displayName": "63e5889e7fe4eafa7384cea4_Candy-Wrapper.png",
        "lastUpdated": "2023-03-01T23:42:57.862Z",
        "createdOn": "2023-02-09T23:58:22.294Z",
        "variants": [{
            "hostedUrl": "https://s3.amazonaws.com/webflow-prod-assets/6258612d1ee792848f805dcf/660d83ce30f3a599ddb0bdb3_Screenshot-p-500.png",
            "originalFileName": "Screenshot-p-500.png",
            "displayName": "A brown dog",
            "format": "image/png",
            "width": 500,
            "height": 300,
            "quality": 100,
            "error": ""
        }],
        "altText": "A red chair"
    })
}

fn folder_json() -> serde_json::Value {
    json!({
        "id": FOLDER,
        "displayName": "emojis",
        "parentFolder": "6390c49774a71f99f21a08ea",
        "assets": ["63e5889e7fe4eafa7384cea4", "6390c49774a71f99f21a08ec"],
        "siteId": SITE,
        "createdOn": "2024-03-11T10:42:00.000Z",
        "lastUpdated": "2024-03-11T10:42:42.000Z"
    })
}

/// The step-1 answer, written out by hand so the `uploadDetails` keys keep Webflow's
/// documented (not alphabetical) order.
fn created_json(upload_url: &str, details: &[(String, String)]) -> String {
    let details: Vec<String> = details
        .iter()
        .map(|(k, v)| format!("{}:{}", json!(k), json!(v)))
        .collect();
    format!(
        r#"{{"uploadDetails":{{{}}},"contentType":"image/png","id":"{ASSET}","parentFolder":"{FOLDER}",
            "uploadUrl":{},"assetUrl":"https://webflow-prod-assets.s3.amazonaws.com/{SITE}/{ASSET}_file.png",
            "hostedUrl":"https://assets-global.website-files.com/{SITE}/{ASSET}_file.png",
            "originalFileName":"file.png","createdOn":"2024-03-14T00:00:00.000Z","lastUpdated":"2024-03-14T00:00:00.000Z"}}"#,
        details.join(","),
        json!(upload_url),
    )
}

/// Webflow's documented `uploadDetails` keys, with placeholder values.
fn documented_details() -> Vec<(String, String)> {
    [
        ("acl", "public-read"),
        ("bucket", "webflow-prod-assets"),
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
        (
            "X-Amz-Credential",
            "AKIACURIOSITY/20240314/us-east-1/s3/aws4_request",
        ),
        ("X-Amz-Date", "20240314T000000Z"),
        (
            "key",
            "580e63e98c9a982ac9b8b741/63e5889e7fe4eafa7384cea4_file.png",
        ),
        ("Policy", "eyJleHBpcmF0aW9uIjoiMjAyNC0wMy0xNFQwMDoxMDowMFoifQ=="),
        ("X-Amz-Signature", "0123456789abcdef"),
        ("success_action_status", "201"),
        ("content-type", "image/png"),
        ("Cache-Control", "max-age=31536000, must-revalidate"),
        // Not documented: must reach S3 all the same.
        ("x-amz-meta-webflow-extra", "kept"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn webflow_error(code: &str, message: &str) -> serde_json::Value {
    json!({"code": code, "message": message, "externalReference": "ref-8c1d", "details": []})
}

// ---- set-up -----------------------------------------------------------------------------

struct Fake {
    server: MockServer,
    client: WebflowClient,
    time: VirtualTime,
}

/// A wiremock server, a catch-all answering 599 to anything unexpected, and a client whose
/// base URL carries a path prefix (`/v2`) and whose time is virtual.
async fn fake() -> Fake {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(599).set_body_string("unmatched"))
        .with_priority(u8::MAX)
        .mount(&server)
        .await;
    let time = VirtualTime::new();
    let client = WebflowClient::builder()
        .bearer(TOKEN)
        .base_url(format!("{}/v2", server.uri()))
        .allow_http(true)
        .settings(Settings::new().time(time.clone()))
        .retry(RetryPolicy::default().with_jitter(false))
        .build()
        .unwrap();
    Fake { server, client, time }
}

fn bearer() -> wiremock::matchers::HeaderExactMatcher {
    header("authorization", format!("Bearer {TOKEN}").as_str())
}

fn write_file(dir: &Path, name: &str, len: usize) -> (std::path::PathBuf, Vec<u8>) {
    // Deterministic bytes that are not a repeating pattern.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let data: Vec<u8> = (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24).to_le_bytes()[0]
        })
        .collect();
    let path = dir.join(name);
    std::fs::write(&path, &data).unwrap();
    (path, data)
}

fn md5_hex(data: &[u8]) -> String {
    hex::encode(Md5::digest(data))
}

async fn requests_to(server: &MockServer, http_method: &str, url_path: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.method.as_str() == http_method && r.url.path() == url_path)
        .collect()
}

// ---- client -----------------------------------------------------------------------------

#[tokio::test]
async fn builder_needs_a_token_and_https() {
    let err = WebflowClient::builder().build().unwrap_err();
    assert!(
        matches!(err, Error::InvalidRequest(ref m) if m.contains("token")),
        "{err}"
    );
    let err = WebflowClient::builder()
        .bearer("t")
        .base_url("http://127.0.0.1:9/v2")
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidRequest(ref m) if m.contains("http")),
        "{err}"
    );
    assert_eq!(WebflowClient::DEFAULT_BASE_URL, "https://api.webflow.com/v2");
    let client = WebflowClient::builder()
        .bearer("super-secret-token")
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("super-secret-token"));
}

#[tokio::test]
async fn token_supplier_is_asked_for_every_request() {
    let f = fake().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/assets/{ASSET}")))
        .and(header("authorization", "Bearer supplied-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(asset_json()))
        .expect(1)
        .mount(&f.server)
        .await;
    let client = WebflowClient::builder()
        .bearer_supplier(|| async { Ok(assetkit::auth::SecretString::from("supplied-1")) })
        .base_url(format!("{}/v2", f.server.uri()))
        .allow_http(true)
        .build()
        .unwrap();
    let asset = client.assets().get(ASSET).send().await.unwrap();
    assert_eq!(asset.id, ASSET);
}

// ---- assets -----------------------------------------------------------------------------

#[tokio::test]
async fn list_assets_one_page_with_rate_limit_headers() {
    let f = fake().await;
    let page = json!({
        "assets": [asset_json()],
        "pagination": {"limit": 100, "offset": 0, "total": 1}
    });
    Mock::given(method("GET"))
        .and(path(format!("/v2/sites/{SITE}/assets")))
        .and(query_param("offset", "0"))
        .and(query_param("limit", "100"))
        .and(bearer())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page)
                .insert_header("X-RateLimit-Remaining", "59")
                .insert_header("X-RateLimit-Limit", "60"),
        )
        .expect(1)
        .mount(&f.server)
        .await;

    let page = f
        .client
        .assets()
        .list(SITE)
        .offset(0u64)
        .page_size(100u32)
        .send()
        .await
        .unwrap();

    assert_eq!(page.pagination.total, Some(1));
    assert_eq!(page.pagination.limit, Some(100));
    let asset = &page.assets[0];
    assert_eq!(asset.id, ASSET);
    assert_eq!(asset.content_type.as_deref(), Some("image/png"));
    assert_eq!(asset.size, Some(2_212_772));
    assert_eq!(asset.original_file_name.as_deref(), Some("Candy-Wrapper.svg"));
    assert_eq!(asset.variants[0].width, Some(500));
    let rate = f.client.rate_limit();
    assert_eq!((rate.remaining, rate.limit), (Some(59), Some(60)));
}

#[tokio::test]
async fn list_assets_stream_walks_every_page() {
    let f = fake().await;
    let asset = |id: &str| json!({"id": id, "displayName": format!("{id}.png"), "folderId": null});
    // The first request sends no offset (Webflow's default is 0); the next one asks for 2.
    Mock::given(method("GET"))
        .and(path(format!("/v2/sites/{SITE}/assets")))
        .and(query_param_is_missing("offset"))
        .and(query_param("limit", "2"))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "assets": [asset("a1"), asset("a2")],
            "pagination": {"limit": 2, "offset": 0, "total": 3}
        })))
        .expect(1)
        .mount(&f.server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/sites/{SITE}/assets")))
        .and(query_param("offset", "2"))
        .and(query_param("limit", "2"))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "assets": [asset("a3")],
            "pagination": {"limit": 2, "offset": 2, "total": 3}
        })))
        .expect(1)
        .mount(&f.server)
        .await;

    let pages: Vec<_> = f
        .client
        .assets()
        .list(SITE)
        .page_size(2u32)
        .into_pages()
        .try_collect()
        .await
        .unwrap();

    let ids: Vec<_> = pages
        .iter()
        .flat_map(|p| p.assets.iter().map(|a| a.id.as_str()))
        .collect();
    assert_eq!(ids, ["a1", "a2", "a3"]);
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].assets[0].folder_id, None);
}

#[tokio::test]
async fn list_assets_into_stream_yields_every_asset_across_pages() {
    let f = fake().await;
    let asset = |id: &str| json!({"id": id});
    Mock::given(method("GET"))
        .and(path(format!("/v2/sites/{SITE}/assets")))
        .and(query_param_is_missing("offset"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "assets": [asset("a1"), asset("a2")],
            "pagination": {"limit": 2, "offset": 0, "total": 3}
        })))
        .expect(1)
        .mount(&f.server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/sites/{SITE}/assets")))
        .and(query_param("offset", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "assets": [asset("a3")],
            "pagination": {"limit": 2, "offset": 2, "total": 3}
        })))
        .expect(1)
        .mount(&f.server)
        .await;

    let assets: Vec<_> = f
        .client
        .assets()
        .list(SITE)
        .page_size(2u32)
        .into_stream()
        .try_collect()
        .await
        .unwrap();

    let ids: Vec<_> = assets.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["a1", "a2", "a3"]);
}

#[tokio::test]
async fn per_call_options_reach_step_one_and_the_s3_post_of_an_upload() {
    use assetkit::RequestOptions;
    use assetkit::core::header::{HeaderName, HeaderValue};
    let f = fake().await;
    let data = b"tiny png".to_vec();
    let etag = md5_hex(&data);
    mount_upload(
        &f,
        "file.png",
        &md5_hex(&data),
        ResponseTemplate::new(204).insert_header("ETag", format!("\"{etag}\"")),
    )
    .await;
    f.client
        .assets()
        .upload(SITE, UploadSource::bytes("file.png", data))
        .with_header(
            HeaderName::from_static("x-trace"),
            HeaderValue::from_static("up-1"),
        )
        .with_timeout(Duration::from_secs(30))
        .send()
        .await
        .unwrap();
    let step1 = requests_to(&f.server, "POST", &format!("/v2/sites/{SITE}/assets")).await;
    let step2 = requests_to(&f.server, "POST", "/webflow-prod-assets").await;
    assert_eq!((step1.len(), step2.len()), (1, 1));
    for request in [&step1[0], &step2[0]] {
        assert_eq!(request.headers.get("x-trace").unwrap(), "up-1");
    }
    assert!(step2[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn per_call_retry_policy_makes_one_attempt_where_the_client_would_retry() {
    use assetkit::RequestOptions;
    let f = fake().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/assets/{ASSET}")))
        .respond_with(ResponseTemplate::new(503).set_body_json(webflow_error("internal_error", "down")))
        .mount(&f.server)
        .await;
    let err = f
        .client
        .assets()
        .get(ASSET)
        .with_retry(RetryPolicy::never())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    assert_eq!(err.request().unwrap().attempts, 1);
    assert_eq!(
        requests_to(&f.server, "GET", &format!("/v2/assets/{ASSET}"))
            .await
            .len(),
        1
    );
    // The client's own policy retries the same 503.
    let err = f.client.assets().get(ASSET).send().await.unwrap_err();
    assert!(err.request().unwrap().attempts > 1);
}

#[tokio::test]
async fn list_assets_stream_ends_on_error() {
    let f = fake().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/sites/{SITE}/assets")))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(webflow_error("not_authorized", "Request not authorized")),
        )
        .expect(1)
        .mount(&f.server)
        .await;
    let results: Vec<_> = futures::StreamExt::collect(f.client.assets().list(SITE).into_pages()).await;
    assert_eq!(results.len(), 1);
    assert!(matches!(results[0], Err(Error::Unauthorized(_))));
}

#[tokio::test]
async fn list_assets_limit_is_checked_before_sending() {
    let f = fake().await;
    for limit in [0u32, 101] {
        let err = f
            .client
            .assets()
            .list(SITE)
            .page_size(limit)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest(ref m) if m.contains("limit")),
            "{err}"
        );
    }
    let err = f.client.assets().list("").send().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));
    assert!(f.server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn get_asset_decodes_every_documented_field() {
    let f = fake().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/assets/{ASSET}")))
        .and(query_param("localeId", "65427cf400e02b306eaa04a0"))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(asset_json()))
        .expect(1)
        .mount(&f.server)
        .await;

    let asset = f
        .client
        .assets()
        .get(ASSET)
        .locale_id("65427cf400e02b306eaa04a0")
        .send()
        .await
        .unwrap();

    assert_eq!(asset.id, ASSET);
    assert_eq!(asset.site_id.as_deref(), Some("63938b302ea6b0aa6f3d8745"));
    assert!(
        asset
            .hosted_url
            .as_deref()
            .unwrap()
            .ends_with("_Vectors-Wrapper.svg")
    );
    assert_eq!(
        asset.display_name.as_deref(),
        Some("63e5889e7fe4eafa7384cea4_Candy-Wrapper.png")
    );
    assert_eq!(asset.last_updated.as_deref(), Some("2023-03-01T23:42:57.862Z"));
    assert_eq!(asset.created_on.as_deref(), Some("2023-02-09T23:58:22.294Z"));
    assert_eq!(asset.alt_text.as_deref(), Some("A red chair"));
    let variant = &asset.variants[0];
    assert_eq!(variant.format.as_deref(), Some("image/png"));
    assert_eq!(
        (variant.width, variant.height, variant.quality),
        (Some(500), Some(300), Some(100))
    );
    assert_eq!(variant.display_name.as_deref(), Some("A brown dog"));
    assert_eq!(
        variant.original_file_name.as_deref(),
        Some("Screenshot-p-500.png")
    );
    assert_eq!(variant.error.as_deref(), Some(""));
}

#[tokio::test]
async fn update_asset_patches_only_what_was_set() {
    let f = fake().await;
    Mock::given(method("PATCH"))
        .and(path(format!("/v2/assets/{ASSET}")))
        .and(bearer())
        .and(header("content-type", "application/json"))
        // The spec: localeId is a query parameter, the body is {displayName, altText}.
        .and(query_param("localeId", "65427cf400e02b306eaa04a0"))
        .and(body_json(
            json!({"displayName": "bannerImage.png", "altText": "A banner"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(asset_json()))
        .expect(1)
        .mount(&f.server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("/v2/assets/{ASSET}")))
        .and(body_json(json!({"displayName": "only.png"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(asset_json()))
        .expect(1)
        .mount(&f.server)
        .await;

    let asset = f
        .client
        .assets()
        .update(ASSET)
        .display_name("bannerImage.png")
        .alt_text("A banner")
        .locale_id("65427cf400e02b306eaa04a0")
        .send()
        .await
        .unwrap();
    assert_eq!(asset.id, ASSET);
    f.client
        .assets()
        .update(ASSET)
        .display_name("only.png")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn delete_asset() {
    let f = fake().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v2/assets/{ASSET}")))
        .and(bearer())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&f.server)
        .await;
    f.client.assets().delete(ASSET).send().await.unwrap();
}

#[tokio::test]
async fn webflow_error_bodies_become_typed_errors() {
    let f = fake().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/assets/{ASSET}")))
        .respond_with(ResponseTemplate::new(404).set_body_json(webflow_error(
            "resource_not_found",
            "Requested resource not found",
        )))
        .mount(&f.server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/sites/{SITE}/assets")))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "code": "validation_error",
            "message": "Validation Error",
            "externalReference": "ref-1",
            "details": [{"param": "fileHash", "description": "must be an MD5 hash"}]
        })))
        .mount(&f.server)
        .await;

    let err = f.client.assets().get(ASSET).send().await.unwrap_err();
    let Error::NotFound(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.vendor, assetkit::webflow::VENDOR);
    assert_eq!(api.code.as_deref(), Some("resource_not_found"));
    assert_eq!(api.message, "Requested resource not found");
    assert_eq!(api.request_id.as_deref(), Some("ref-8c1d"));
    // A 404 is not retried.
    assert!(f.time.sleeps().is_empty());

    let err = f
        .client
        .assets()
        .create(SITE, "file.png", "not-a-hash")
        .send()
        .await
        .unwrap_err();
    let Error::BadRequest(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.code.as_deref(), Some("validation_error"));
    assert_eq!(api.details[0]["param"], "fileHash");
}

#[tokio::test]
async fn rate_limited_request_waits_retry_after() {
    let f = fake().await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/sites/{SITE}/assets")))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "7")
                .insert_header("X-RateLimit-Remaining", "0")
                .insert_header("X-RateLimit-Limit", "60")
                .set_body_json(webflow_error("too_many_requests", "Too many requests")),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&f.server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/sites/{SITE}/assets")))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-RateLimit-Remaining", "59")
                .insert_header("X-RateLimit-Limit", "60")
                .set_body_raw(
                    created_json("https://s3.example/b", &documented_details()),
                    "application/json",
                ),
        )
        .mount(&f.server)
        .await;

    let created = f
        .client
        .assets()
        .create(SITE, "file.png", "3c7d87c9575702bc3b1e991f4d3c638e")
        .send()
        .await
        .unwrap();

    assert_eq!(created.id, ASSET);
    // max(Retry-After 7 s, first backoff 1 s), waited on virtual time.
    assert_eq!(f.time.sleeps(), vec![Duration::from_secs(7)]);
    assert_eq!(
        requests_to(&f.server, "POST", &format!("/v2/sites/{SITE}/assets"))
            .await
            .len(),
        2
    );
    assert_eq!(f.client.rate_limit().remaining, Some(59));
}

#[tokio::test]
async fn rate_limit_hint_over_the_cap_fails_fast() {
    let f = fake().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/assets/{ASSET}")))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "120")
                .set_body_json(webflow_error("too_many_requests", "Too many requests")),
        )
        .expect(1)
        .mount(&f.server)
        .await;
    let err = f.client.assets().get(ASSET).send().await.unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(120)),
        "{err:?}"
    );
    assert!(f.time.sleeps().is_empty());
}

// ---- asset folders ----------------------------------------------------------------------

#[tokio::test]
async fn asset_folder_endpoints() {
    let f = fake().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/sites/{SITE}/asset_folders")))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "assetFolders": [folder_json()],
            "pagination": {"limit": 100, "offset": 0, "total": 1}
        })))
        .expect(1)
        .mount(&f.server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/sites/{SITE}/asset_folders")))
        .and(bearer())
        .and(body_json(
            json!({"displayName": "emojis", "parentFolder": "6390c49774a71f99f21a08ea"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(folder_json()))
        .expect(1)
        .mount(&f.server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/asset_folders/{FOLDER}")))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(folder_json()))
        .expect(1)
        .mount(&f.server)
        .await;

    let list = f.client.asset_folders().list(SITE).send().await.unwrap();
    assert_eq!(list.asset_folders.len(), 1);
    assert_eq!(list.pagination.total, Some(1));
    let created = f
        .client
        .asset_folders()
        .create(SITE, "emojis")
        .parent_folder("6390c49774a71f99f21a08ea")
        .send()
        .await
        .unwrap();
    assert_eq!(created.id, FOLDER);
    let folder = f.client.asset_folders().get(FOLDER).send().await.unwrap();
    assert_eq!(folder.display_name.as_deref(), Some("emojis"));
    assert_eq!(folder.parent_folder.as_deref(), Some("6390c49774a71f99f21a08ea"));
    assert_eq!(
        folder.assets,
        ["63e5889e7fe4eafa7384cea4", "6390c49774a71f99f21a08ec"]
    );
    assert_eq!(folder.site_id.as_deref(), Some(SITE));
    assert_eq!(folder.created_on.as_deref(), Some("2024-03-11T10:42:00.000Z"));
    assert_eq!(folder.last_updated.as_deref(), Some("2024-03-11T10:42:42.000Z"));

    let err = f
        .client
        .asset_folders()
        .create(SITE, " ")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));
}

// ---- upload, step 1 ---------------------------------------------------------------------

#[tokio::test]
async fn create_asset_sends_the_documented_body_and_keeps_upload_details_in_order() {
    let f = fake().await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/sites/{SITE}/assets")))
        .and(bearer())
        .and(body_json(json!({
            "fileName": "file.png",
            "fileHash": "3c7d87c9575702bc3b1e991f4d3c638e",
            "parentFolder": FOLDER
        })))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            created_json(
                "https://webflow-prod-assets.s3.amazonaws.com",
                &documented_details(),
            ),
            "application/json",
        ))
        .expect(1)
        .mount(&f.server)
        .await;

    let created = f
        .client
        .assets()
        .create(SITE, "file.png", "3c7d87c9575702bc3b1e991f4d3c638e")
        .parent_folder(FOLDER)
        .send()
        .await
        .unwrap();

    assert_eq!(created.id, ASSET);
    assert_eq!(created.content_type.as_deref(), Some("image/png"));
    assert_eq!(created.parent_folder.as_deref(), Some(FOLDER));
    assert_eq!(
        created.upload_url.as_deref(),
        Some("https://webflow-prod-assets.s3.amazonaws.com")
    );
    assert!(created.asset_url.as_deref().unwrap().ends_with("_file.png"));
    assert!(
        created
            .hosted_url
            .as_deref()
            .unwrap()
            .starts_with("https://assets-global")
    );
    assert_eq!(created.original_file_name.as_deref(), Some("file.png"));
    assert_eq!(created.created_on.as_deref(), Some("2024-03-14T00:00:00.000Z"));
    assert_eq!(created.last_updated.as_deref(), Some("2024-03-14T00:00:00.000Z"));
    let got: Vec<(String, String)> = created
        .upload_details
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    assert_eq!(got, documented_details());
    // The step-1 answer round-trips through serde, e.g. to a lockfile.
    let saved = serde_json::to_string(&created).unwrap();
    let restored: CreatedAsset = serde_json::from_str(&saved).unwrap();
    assert_eq!(restored, created);
}

#[tokio::test]
async fn file_name_is_checked_before_any_request() {
    let f = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = write_file(dir.path(), "ok.png", 10);
    let long = format!("{}.png", "a".repeat(96)); // 100 characters
    assert_eq!(long.chars().count(), 100);

    for name in [long.as_str(), "", "   "] {
        let err = f
            .client
            .assets()
            .upload(SITE, UploadSource::path(&file))
            .file_name(name)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest(ref m) if m.contains("fileName")),
            "{err}"
        );
        let err = f
            .client
            .assets()
            .create(SITE, name, "abc")
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
    }
    // Characters, not bytes: 99 two-byte characters pass the check.
    let wide = "é".repeat(95) + ".png";
    assert_eq!(wide.chars().count(), 99);
    let err = f
        .client
        .assets()
        .upload(SITE, UploadSource::bytes(wide, &b"x"[..]))
        .send()
        .await
        .unwrap_err();
    assert!(!matches!(err, Error::InvalidRequest(_)), "{err}");

    let requests = f.server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "only the valid name reached the server");
}

// ---- upload, both steps, step 2 on wiremock ---------------------------------------------

/// Mounts step 1 (checking the body) and step 2 on the same server, so that the same
/// origin would get the token if step 2 were sent with the API client.
async fn mount_upload(f: &Fake, file_name: &str, file_hash: &str, s3_answer: ResponseTemplate) {
    let upload_url = format!("{}/webflow-prod-assets", f.server.uri());
    Mock::given(method("POST"))
        .and(path(format!("/v2/sites/{SITE}/assets")))
        .and(bearer())
        .and(body_json(json!({"fileName": file_name, "fileHash": file_hash})))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            created_json(&upload_url, &documented_details()),
            "application/json",
        ))
        .expect(1)
        .mount(&f.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/webflow-prod-assets"))
        .respond_with(s3_answer)
        .mount(&f.server)
        .await;
}

fn s3_created(key: &str, etag: &str) -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_raw(
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse><Location>https://webflow-prod-assets.s3.amazonaws.com/{key}</Location>\
             <Bucket>webflow-prod-assets</Bucket><Key>{key}</Key><ETag>\"{etag}\"</ETag></PostResponse>"
        ),
        "application/xml",
    )
}

#[tokio::test]
async fn md5_of_a_multi_megabyte_file_matches_md5sum_and_the_file_hash_sent() {
    let f = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let (file, data) = write_file(dir.path(), "big.png", 5 * 1024 * 1024 + 123);

    let md5sum = std::process::Command::new("md5sum").arg(&file).output().unwrap();
    assert!(md5sum.status.success());
    let md5sum = String::from_utf8(md5sum.stdout).unwrap();
    let md5sum = md5sum.split_whitespace().next().unwrap().to_owned();
    assert_eq!(md5sum, md5_hex(&data));

    let (size, streamed) = file_md5(&UploadSource::path(&file)).await.unwrap();
    assert_eq!((size, streamed.as_str()), (data.len() as u64, md5sum.as_str()));

    mount_upload(&f, "big.png", &md5sum, s3_created("k", &md5sum)).await;
    let uploaded = f
        .client
        .assets()
        .upload(SITE, UploadSource::path(&file))
        // Over Webflow's 4 MB for images: this test is about the transport.
        .skip_preflight()
        .send()
        .await
        .unwrap();

    // body_json on the step-1 mock proved fileHash == md5sum; the result echoes it.
    assert_eq!(uploaded.file_hash.as_deref(), Some(md5sum.as_str()));
    assert_eq!(uploaded.size, data.len() as u64);
    assert_eq!(uploaded.id(), ASSET);
    assert_eq!(uploaded.stored.status, 201);
    assert_eq!(uploaded.stored.etag.as_deref(), Some(md5sum.as_str()));
    let step2 = requests_to(&f.server, "POST", "/webflow-prod-assets").await;
    let parts = multipart(&step2[0]);
    assert_eq!(parts.last().unwrap().data, data);
}

#[tokio::test]
async fn step2_posts_every_detail_in_order_then_the_file_without_authorization() {
    let f = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let (file, data) = write_file(dir.path(), "photo.png", 300_000);
    mount_upload(&f, "file.png", &md5_hex(&data), s3_created("k", "e")).await;

    let uploaded = f
        .client
        .assets()
        .upload(SITE, UploadSource::path(&file))
        .file_name("file.png")
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.stored.key.as_deref(), Some("k"));
    assert_eq!(uploaded.stored.bucket.as_deref(), Some("webflow-prod-assets"));
    assert_eq!(
        uploaded.stored.location.as_deref(),
        Some("https://webflow-prod-assets.s3.amazonaws.com/k")
    );

    let step1 = requests_to(&f.server, "POST", &format!("/v2/sites/{SITE}/assets")).await;
    assert_eq!(
        step1[0].headers.get("authorization").unwrap(),
        format!("Bearer {TOKEN}").as_str()
    );
    let step2 = requests_to(&f.server, "POST", "/webflow-prod-assets").await;
    assert_eq!(step2.len(), 1);
    let request = &step2[0];
    assert!(
        request.headers.get("authorization").is_none(),
        "step 2 must carry no token"
    );
    assert!(request.headers.get("x-api-key").is_none());
    let length: usize = request
        .headers
        .get("content-length")
        .expect("a known Content-Length")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(length, request.body.len());
    assert!(request.headers.get("transfer-encoding").is_none());

    let parts = multipart(request);
    let names: Vec<String> = parts.iter().map(|p| p.name.clone()).collect();
    let mut expected: Vec<String> = documented_details().into_iter().map(|(k, _)| k).collect();
    expected.push("file".to_owned());
    assert_eq!(names, expected, "every detail in Webflow's order, the file last");
    for (part, (key, value)) in parts.iter().zip(documented_details()) {
        assert_eq!(part.name, key);
        assert_eq!(part.data, value.as_bytes(), "value of {key}");
        assert_eq!(part.file_name, None);
    }
    let file_part = parts.last().unwrap();
    assert_eq!(file_part.file_name.as_deref(), Some("file.png"));
    assert_eq!(file_part.content_type.as_deref(), Some("image/png"));
    assert_eq!(file_part.data, data);
}

#[tokio::test]
async fn progress_reports_sum_exactly_to_the_file_size() {
    let f = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let (file, data) = write_file(dir.path(), "file.png", 1_000_003);
    mount_upload(&f, "file.png", &md5_hex(&data), ResponseTemplate::new(204)).await;
    let (reporter, mut events) = ProgressReporter::channel();

    let uploaded = f
        .client
        .assets()
        .upload(SITE, UploadSource::path(&file))
        .progress(reporter)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.stored.status, 204);

    let mut seen = Vec::new();
    while let Ok(event) = events.try_recv() {
        seen.push(event);
    }
    assert!(seen.len() >= 16, "reported per 64 KiB chunk, got {}", seen.len());
    let mut previous = 0;
    let mut sum = 0;
    for event in &seen {
        assert_eq!(event.total, data.len() as u64);
        assert_eq!(event.attempt, 1);
        assert!(event.sent > previous);
        sum += event.sent - previous;
        previous = event.sent;
    }
    assert_eq!(sum, data.len() as u64);
    assert_eq!(seen.last().unwrap().sent, data.len() as u64);
}

#[tokio::test]
async fn an_s3_etag_other_than_the_file_hash_is_a_partial_failure() {
    let f = fake().await;
    let data = b"tiny png".to_vec();
    mount_upload(
        &f,
        "file.png",
        &md5_hex(&data),
        ResponseTemplate::new(204).insert_header("ETag", "\"d41d8cd98f00b204e9800998ecf8427e\""),
    )
    .await;
    let err = f
        .client
        .assets()
        .upload(SITE, UploadSource::bytes("file.png", data))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.created().map(|c| c.id.as_str()), Some(ASSET));
    assert!(err.report().contains("not the"), "{}", err.report());
}

#[tokio::test]
async fn s3_204_without_body_is_success_with_the_etag_header() {
    let f = fake().await;
    let data = b"tiny png".to_vec();
    let etag = md5_hex(&data);
    mount_upload(
        &f,
        "file.png",
        &md5_hex(&data),
        ResponseTemplate::new(204).insert_header("ETag", format!("\"{etag}\"")),
    )
    .await;
    let uploaded = f
        .client
        .assets()
        .upload(SITE, UploadSource::bytes("file.png", data))
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.stored.status, 204);
    assert_eq!(uploaded.stored.etag.as_deref(), Some(etag.as_str()));
    assert_eq!(uploaded.stored.key, None);
}

#[tokio::test]
async fn s3_error_is_a_partial_failure_and_step2_alone_can_be_retried() {
    let f = fake().await;
    let data = b"0123456789".to_vec();
    let upload_url = format!("{}/webflow-prod-assets", f.server.uri());
    Mock::given(method("POST"))
        .and(path(format!("/v2/sites/{SITE}/assets")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            created_json(&upload_url, &documented_details()),
            "application/json",
        ))
        .expect(1)
        .mount(&f.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/webflow-prod-assets"))
        .respond_with(ResponseTemplate::new(403).set_body_raw(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>\
             <Message>Invalid according to Policy: Policy expired.</Message><RequestId>R7</RequestId></Error>",
            "application/xml",
        ))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&f.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/webflow-prod-assets"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&f.server)
        .await;

    let pending = f
        .client
        .assets()
        .upload(SITE, UploadSource::bytes("file.png", data.clone()))
        .start()
        .await
        .unwrap();
    assert_eq!(pending.file_hash(), md5_hex(&data));
    let err = pending.finish().await.unwrap_err();
    let Error::PartialFailure { created, source } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (created.vendor, created.kind, created.id.as_str()),
        (assetkit::webflow::VENDOR, "asset", ASSET)
    );
    let Error::Forbidden(api) = source.as_ref() else {
        panic!("{source:?}")
    };
    assert_eq!(api.vendor, assetkit::webflow::S3_VENDOR);
    assert_eq!(api.code.as_deref(), Some("AccessDenied"));
    assert_eq!(api.message, "Invalid according to Policy: Policy expired.");
    assert_eq!(api.request_id.as_deref(), Some("R7"));
    assert!(f.time.sleeps().is_empty(), "a 403 is not retried");

    // Step 2 again, without a new step 1 (the step-1 mock expects exactly one call).
    let uploaded = pending.finish().await.unwrap();
    assert_eq!(uploaded.id(), ASSET);
    assert_eq!(
        requests_to(&f.server, "POST", "/webflow-prod-assets").await.len(),
        2
    );

    // The same through finish_upload with a kept step-1 answer.
    let again = f
        .client
        .assets()
        .finish_upload(pending.created().clone(), UploadSource::bytes("file.png", data))
        .send()
        .await
        .unwrap();
    assert_eq!(again.stored.status, 204);
    assert_eq!(again.file_hash, None);
}

#[tokio::test]
async fn a_file_changed_after_hashing_is_not_uploaded() {
    let f = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let (file, data) = write_file(dir.path(), "file.png", 70_000);
    mount_upload(&f, "file.png", &md5_hex(&data), ResponseTemplate::new(204)).await;

    let pending = f
        .client
        .assets()
        .upload(SITE, UploadSource::path(&file))
        .start()
        .await
        .unwrap();
    assert_eq!(pending.size(), 70_000);
    std::fs::write(&file, b"something else").unwrap();
    let err = pending.finish().await.unwrap_err();

    assert_eq!(err.created().map(|c| c.id.as_str()), Some(ASSET));
    let Error::PartialFailure { source, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(
        matches!(source.as_ref(), Error::InvalidRequest(m) if m.contains("changed")),
        "{err}"
    );
    assert!(
        requests_to(&f.server, "POST", "/webflow-prod-assets")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn step1_answer_without_upload_url_is_a_partial_failure() {
    let f = fake().await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/sites/{SITE}/assets")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": ASSET, "uploadDetails": {}})))
        .mount(&f.server)
        .await;
    let err = f
        .client
        .assets()
        .upload(SITE, UploadSource::bytes("file.png", &b"x"[..]))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.created().map(|c| c.id.as_str()), Some(ASSET));
    assert!(err.report().contains("uploadUrl"), "{}", err.report());
}

#[tokio::test]
async fn an_unreadable_step1_answer_still_names_the_created_asset() {
    let f = fake().await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/sites/{SITE}/assets")))
        .and(bearer())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": ASSET, "uploadUrl": 42, "uploadDetails": {}})),
        )
        .expect(1)
        .mount(&f.server)
        .await;
    let err = f
        .client
        .assets()
        .upload(SITE, UploadSource::bytes("file.png", &b"x"[..]))
        .send()
        .await
        .unwrap_err();
    let Error::PartialFailure { created, source } = &err else {
        panic!("expected PartialFailure, got {err:?}");
    };
    assert_eq!(
        (created.vendor, created.kind, created.id.as_str()),
        (assetkit::webflow::VENDOR, "asset", ASSET)
    );
    assert!(matches!(**source, Error::Decode { .. }), "{source:?}");
}

// ---- upload, step 2 against a real S3-compatible server (s3s-fs) -----------------------

/// Fake Webflow step 1 answering `details` for the s3s-fs bucket, plus a client.
async fn fake_with_s3(s3: &s3::S3sServer, details: &[(String, String)]) -> Fake {
    let f = fake().await;
    Mock::given(method("POST"))
        .and(path(format!("/v2/sites/{SITE}/assets")))
        .and(bearer())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(created_json(&s3.upload_url(), details), "application/json"),
        )
        .mount(&f.server)
        .await;
    f
}

async fn step1_file_hash(f: &Fake) -> String {
    let step1 = requests_to(&f.server, "POST", &format!("/v2/sites/{SITE}/assets")).await;
    let body: serde_json::Value = serde_json::from_slice(&step1[0].body).unwrap();
    body["fileHash"].as_str().unwrap().to_owned()
}

fn s3_error(err: &Error) -> (u16, String) {
    let Error::PartialFailure { created, source } = err else {
        panic!("not a PartialFailure: {err:?}")
    };
    assert_eq!(created.id, ASSET);
    assert_eq!(created.vendor, assetkit::webflow::VENDOR);
    let api = source
        .api_error()
        .unwrap_or_else(|| panic!("no S3 answer in {source:?}"));
    assert_eq!(api.vendor, assetkit::webflow::S3_VENDOR);
    (api.status, api.code.clone().unwrap_or_default())
}

#[tokio::test]
async fn s3s_stores_a_valid_upload_byte_for_byte() {
    let Some(s3) = s3::S3sServer::start("s3s_stores_a_valid_upload_byte_for_byte") else {
        return;
    };
    let key = format!("{SITE}/{ASSET}_photo.png");
    let details = s3.upload_details(&s3::policy(&key, 4 * 1024 * 1024));
    let f = fake_with_s3(&s3, &details).await;
    let dir = tempfile::tempdir().unwrap();
    let (file, data) = write_file(dir.path(), "photo.png", 1_234_567);
    let (reporter, mut events) = ProgressReporter::channel();

    let uploaded = f
        .client
        .assets()
        .upload(SITE, UploadSource::path(&file))
        .progress(reporter)
        .send()
        .await
        .unwrap();

    assert_eq!(uploaded.stored.status, 201);
    assert_eq!(uploaded.stored.key.as_deref(), Some(key.as_str()));
    assert_eq!(uploaded.stored.bucket.as_deref(), Some(s3::BUCKET));
    // s3s-fs's ETag is the MD5 it computed over what it received.
    assert_eq!(uploaded.stored.etag.as_deref(), Some(md5_hex(&data).as_str()));
    assert_eq!(step1_file_hash(&f).await, md5_hex(&data));
    let stored = std::fs::read(s3.object_path(&key)).unwrap();
    assert!(stored == data, "the stored object differs from the file");
    let mut last = None;
    while let Ok(event) = events.try_recv() {
        last = Some(event);
    }
    assert_eq!(last.unwrap().sent, data.len() as u64);
}

#[tokio::test]
async fn s3s_accepts_success_action_status_204() {
    let Some(s3) = s3::S3sServer::start("s3s_accepts_success_action_status_204") else {
        return;
    };
    let key = format!("{SITE}/{ASSET}_empty-answer.png");
    let mut policy = s3::policy(&key, 1024);
    policy.success_action_status = "204".into();
    let f = fake_with_s3(&s3, &s3.upload_details(&policy)).await;
    let data = b"\x89PNG\r\n\x1a\n tiny".to_vec();

    let uploaded = f
        .client
        .assets()
        .upload(SITE, UploadSource::bytes("tiny.png", data.clone()))
        .send()
        .await
        .unwrap();

    assert_eq!(uploaded.stored.status, 204);
    assert_eq!(std::fs::read(s3.object_path(&key)).unwrap(), data);
}

#[tokio::test]
async fn s3s_rejects_a_file_over_the_content_length_range() {
    let Some(s3) = s3::S3sServer::start("s3s_rejects_a_file_over_the_content_length_range") else {
        return;
    };
    let key = format!("{SITE}/{ASSET}_big.png");
    let details = s3.upload_details(&s3::policy(&key, 1024));
    let f = fake_with_s3(&s3, &details).await;
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = write_file(dir.path(), "big.png", 4 * 1024);

    let err = f
        .client
        .assets()
        .upload(SITE, UploadSource::path(&file))
        .send()
        .await
        .unwrap_err();

    assert_eq!(s3_error(&err), (400, "EntityTooLarge".to_owned()), "{err}");
    assert!(!s3.object_path(&key).exists());
}

#[tokio::test]
async fn s3s_rejects_a_tampered_key_and_a_tampered_signature() {
    let Some(s3) = s3::S3sServer::start("s3s_rejects_a_tampered_key_and_a_tampered_signature") else {
        return;
    };
    let key = format!("{SITE}/{ASSET}_photo.png");
    let signed: UploadDetails = s3
        .upload_details(&s3::policy(&key, 1024 * 1024))
        .into_iter()
        .collect();
    let data = b"\x89PNG\r\n\x1a\n bytes".to_vec();
    let f = fake_with_s3(
        &s3,
        &signed
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect::<Vec<_>>(),
    )
    .await;
    let pending = f
        .client
        .assets()
        .upload(SITE, UploadSource::bytes("photo.png", data.clone()))
        .start()
        .await
        .unwrap();

    // Another key than the policy allows: the signature holds, the policy does not.
    let mut other_key = pending.created().clone();
    other_key
        .upload_details
        .set("key", format!("{SITE}/somewhere-else.png"));
    let err = f
        .client
        .assets()
        .finish_upload(other_key, UploadSource::bytes("photo.png", data.clone()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(s3_error(&err), (400, "InvalidPolicyDocument".to_owned()), "{err}");

    // A signature that does not match the policy.
    let mut other_signature = pending.created().clone();
    let signature = signed.get("X-Amz-Signature").unwrap();
    let flipped = if signature.starts_with('0') { "1" } else { "0" };
    other_signature
        .upload_details
        .set("X-Amz-Signature", format!("{flipped}{}", &signature[1..]));
    let err = f
        .client
        .assets()
        .finish_upload(other_signature, UploadSource::bytes("photo.png", data.clone()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(s3_error(&err), (403, "SignatureDoesNotMatch".to_owned()), "{err}");
    assert!(!s3.object_path(&key).exists());

    // The untouched step-1 answer still works: step 2 alone, no new asset.
    let uploaded = pending.finish().await.unwrap();
    assert_eq!(uploaded.stored.status, 201);
    assert_eq!(std::fs::read(s3.object_path(&key)).unwrap(), data);
    assert_eq!(
        requests_to(&f.server, "POST", &format!("/v2/sites/{SITE}/assets"))
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn s3s_rejects_an_expired_policy() {
    let Some(s3) = s3::S3sServer::start("s3s_rejects_an_expired_policy") else {
        return;
    };
    let key = format!("{SITE}/{ASSET}_late.png");
    let mut policy = s3::policy(&key, 1024);
    policy.expires_in = -60;
    let f = fake_with_s3(&s3, &s3.upload_details(&policy)).await;

    let err = f
        .client
        .assets()
        .upload(SITE, UploadSource::bytes("late.png", &b"late"[..]))
        .send()
        .await
        .unwrap_err();

    assert_eq!(s3_error(&err), (403, "AccessDenied".to_owned()), "{err}");
    assert!(err.api_error().unwrap().message.contains("expired"), "{err}");
    assert!(!s3.object_path(&key).exists());
    assert!(s3.dir().join(s3::BUCKET).is_dir());
}

#[tokio::test]
async fn list_assets_sends_locale_and_folder_as_query_parameters() {
    let f = fake().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/sites/{SITE}/assets")))
        .and(query_param("localeId", "65427cf400e02b306eaa04a0"))
        .and(query_param("folderId", FOLDER))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"assets": [asset_json()], "pagination": {"limit": 100, "offset": 0, "total": 1}}),
        ))
        .expect(1)
        .mount(&f.server)
        .await;
    let page = f
        .client
        .assets()
        .list(SITE)
        .locale_id("65427cf400e02b306eaa04a0")
        .folder_id(FOLDER)
        .send()
        .await
        .unwrap();
    assert_eq!(page.assets.len(), 1);
}

#[tokio::test]
async fn files_over_webflows_size_limits_are_refused_before_step_one() {
    let server = common::server().await;
    let client = WebflowClient::builder()
        .bearer("token")
        .base_url(server.uri())
        .settings(Settings::new().allow_http(true).time(VirtualTime::new()))
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, size) in [
        ("photo.png", assetkit::webflow::MAX_IMAGE_BYTES + 1),
        ("PHOTO.JPG", assetkit::webflow::MAX_IMAGE_BYTES + 1),
        ("report.pdf", assetkit::webflow::MAX_DOCUMENT_BYTES + 1),
    ] {
        let path = dir.path().join(name);
        std::fs::File::create(&path).unwrap().set_len(size).unwrap();
        let error = client
            .assets()
            .upload(SITE, UploadSource::path(&path))
            .send()
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidRequest(_)), "{name}: {error:?}");
        assert!(error.to_string().contains("at most"), "{error}");
    }
    assert!(common::received(&server).await.is_empty(), "nothing was sent");
    // At the limit, the upload goes (here to the loud catch-all: step 1 was sent).
    let path = dir.path().join("edge.png");
    std::fs::File::create(&path)
        .unwrap()
        .set_len(assetkit::webflow::MAX_IMAGE_BYTES)
        .unwrap();
    let result = client
        .assets()
        .upload(SITE, UploadSource::path(&path))
        .send()
        .await;
    assert!(!matches!(result, Err(Error::InvalidRequest(_))), "{result:?}");
    assert_eq!(common::received(&server).await.len(), 1);
}

#[tokio::test]
async fn download_gets_the_asset_then_its_hosted_url_without_the_token() {
    let fake = fake().await;
    let cdn = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (_, data) = write_file(dir.path(), "source.png", 300_000);
    Mock::given(method("GET"))
        .and(path("/66c4773471d8cd6bad8ae3bd/logo.png"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(data.clone()))
        .mount(&cdn)
        .await;
    // The documented Get Asset answer, its hostedUrl moved to the test's CDN.
    let mut asset = asset_json();
    asset["hostedUrl"] = json!(format!("{}/66c4773471d8cd6bad8ae3bd/logo.png", cdn.uri()));
    Mock::given(method("GET"))
        .and(path(format!("/v2/assets/{ASSET}")))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(&asset))
        .mount(&fake.server)
        .await;
    let target = dir.path().join("logo.png");
    let bytes = fake
        .client
        .assets()
        .download(ASSET)
        .to_path(&target)
        .await
        .unwrap();
    assert_eq!(bytes, data.len() as u64);
    assert_eq!(std::fs::read(&target).unwrap(), data);
    let to_cdn = cdn.received_requests().await.unwrap();
    assert_eq!(to_cdn.len(), 1);
    assert!(
        to_cdn[0].headers.get("authorization").is_none(),
        "the token went to the CDN"
    );

    // An asset whose upload never finished has no hostedUrl: a decode error, no file.
    asset["hostedUrl"] = serde_json::Value::Null;
    Mock::given(method("GET"))
        .and(path("/v2/assets/unfinished"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&asset))
        .mount(&fake.server)
        .await;
    let missing = dir.path().join("missing.png");
    let err = fake
        .client
        .assets()
        .download("unfinished")
        .to_path(&missing)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(!missing.exists());
}

#[tokio::test]
async fn what_is_uploaded_to_the_fake_downloads_byte_for_byte() {
    let fake = assetkit_testkit::FakeWebflow::start().await;
    let client = WebflowClient::builder()
        .bearer("t")
        .base_url(fake.base_url())
        .settings(Settings::new().allow_http(true).time(VirtualTime::new()))
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (source, data) = write_file(dir.path(), "photo.png", 100_000);
    let uploaded = client
        .assets()
        .upload(SITE, UploadSource::path(&source))
        .send()
        .await
        .unwrap();
    let mut bytes = Vec::new();
    client
        .assets()
        .download(&uploaded.asset.id)
        .to_writer(&mut bytes)
        .await
        .unwrap();
    assert_eq!(bytes, data);
}
