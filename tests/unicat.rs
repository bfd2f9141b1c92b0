//! Integration tests for the Unicat client, against a wiremock server. Fixtures copy the
//! JSON of Unicat's API reference (auth, assets/get, children, upload, update, errors).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assetkit::core::time::VirtualTime;
use assetkit::unicat::{AssetRef, AssetSelector, UnicatClient};
use assetkit::{Error, RetryPolicy, Settings, UploadSource};

use futures::TryStreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{any, body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod common;
use common::multipart;

const PROJECT: &str = "84a1b5e4-fb5d-4ad6-a497-a3cf7eaf29b1";
const API_KEY: &str = "b76f701d-secret-api-key";
const PREFIX: &str = "/proxy/unicat";
const FOLDER: &str = "5e78c224-a308-4ea7-b283-9b39ffb09aa2";
const FILE: &str = "218437b3-f3db-4f60-9d44-c96319aa3c57";

fn endpoint(name: &str) -> String {
    format!("{PREFIX}/api/p/{PROJECT}/{name}")
}

/// The documented folder record of `data.assets`.
fn folder_record() -> Value {
    json!({
        "gid": FOLDER,
        "pathname": "/barcodes",
        "is_file": false,
        "type": null,
        "childcount": 7,
        "status": "published",
        "info": {"filecount": 6, "foldercount": 1},
        "transforms": null,
        "path": "/",
        "name": "barcodes",
        "title": {"nl": "", "en": ""},
        "description": {"nl": "", "en": ""},
        "updated_on": 1_610_635_126.047_62
    })
}

/// The documented file record of `data.assets`.
fn file_record() -> Value {
    json!({
        "gid": FILE,
        "pathname": "/image.svg",
        "is_file": true,
        "type": "svg",
        "childcount": 0,
        "status": "published",
        "info": {
            "pages": 1, "width": 333, "colors": "truecolormatte", "format": "svg",
            "height": 333, "animated": false, "filesize": 1192
        },
        "transforms": null,
        "path": "/",
        "name": "image.svg",
        "title": {"nl": "Afbeelding", "en": "Image"},
        "description": {"nl": "", "en": ""},
        "updated_on": 1_610_635_126.047_62
    })
}

fn record(gid: &str, pathname: &str) -> Value {
    json!({
        "gid": gid,
        "pathname": pathname,
        "is_file": true,
        "name": pathname.rsplit('/').next().unwrap(),
        "path": "/",
    })
}

fn ok(result: Value, assets: Value) -> Value {
    let mut answer = json!({ "success": true, "result": {}, "data": { "assets": {} } });
    answer["result"] = result;
    answer["data"]["assets"] = assets;
    answer
}

fn failure(code: u64, message: &str) -> Value {
    json!({ "success": false, "result": { "code": code, "message": message, "info": {} }, "data": {} })
}

/// The documented auth answer body (the JWT itself travels in the `Authorization` header).
fn auth_body() -> Value {
    json!({
        "success": true,
        "result": {
            "user": "b76f701d-3d34-4f39-8eeb-fafe294ab01e",
            "user_projects": { PROJECT: ["api"] },
            "project": PROJECT,
            "project_members": ["b76f701d-3d34-4f39-8eeb-fafe294ab01e"],
            "cc.version": "2022.01.001",
            "cc.cursor": 4132,
            "cursor": 7864
        },
        "data": { "cc.users": {} }
    })
}

struct Unicat {
    server: MockServer,
}

impl Unicat {
    async fn start() -> Self {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(599).set_body_string("unmatched"))
            .with_priority(200)
            .mount(&server)
            .await;
        Self { server }
    }

    /// Auth answers with `jwt` in the `Authorization` header, as documented.
    async fn auth_answers(&self, jwt: &str) {
        Mock::given(method("POST"))
            .and(path(endpoint("auth")))
            .and(body_json(json!({ "api_key": API_KEY })))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("Authorization", jwt)
                    .set_body_json(auth_body()),
            )
            .mount(&self.server)
            .await;
    }

    async fn answer(&self, name: &str, status: u16, body: Value) {
        Mock::given(method("POST"))
            .and(path(endpoint(name)))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .mount(&self.server)
            .await;
    }

    fn client(&self) -> UnicatClient {
        UnicatClient::builder()
            .api_key(API_KEY)
            .project(PROJECT)
            .base_url(format!("{}{PREFIX}", self.server.uri()))
            .settings(
                Settings::new()
                    .allow_http(true)
                    .retry(RetryPolicy::default().with_jitter(false))
                    .time(VirtualTime::new()),
            )
            .build()
            .unwrap()
    }

    async fn requests_to(&self, name: &str) -> Vec<Request> {
        let wanted = endpoint(name);
        self.server
            .received_requests()
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.url.path() == wanted)
            .collect()
    }

    async fn all_requests(&self) -> Vec<Request> {
        self.server.received_requests().await.unwrap()
    }
}

fn json_of(request: &Request) -> Value {
    assert_eq!(
        request.headers.get("content-type").unwrap().to_str().unwrap(),
        "application/json"
    );
    serde_json::from_slice(&request.body).unwrap()
}

fn bearer(request: &Request) -> &str {
    request.headers.get("authorization").unwrap().to_str().unwrap()
}

#[tokio::test]
async fn get_by_gid_signs_in_and_joins_the_record() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    unicat
        .answer(
            "assets/get",
            200,
            ok(json!({ "asset": FILE }), json!({ FILE: file_record() })),
        )
        .await;
    let client = unicat.client();

    let assets = client
        .assets()
        .get(AssetSelector::gid(FILE))
        .send()
        .await
        .unwrap();

    let auth = unicat.requests_to("auth").await;
    assert_eq!(auth.len(), 1);
    assert_eq!(json_of(&auth[0]), json!({ "api_key": API_KEY }));
    assert!(auth[0].headers.get("authorization").is_none());
    let gets = unicat.requests_to("assets/get").await;
    assert_eq!(gets.len(), 1);
    assert_eq!(gets[0].method.as_str(), "POST");
    assert_eq!(bearer(&gets[0]), "Bearer jwt-1");
    assert_eq!(json_of(&gets[0]), json!({ "asset": FILE }));

    assert_eq!(assets.len(), 1);
    let asset = &assets[0];
    assert_eq!(asset.gid, FILE);
    assert_eq!(asset.pathname.as_deref(), Some("/image.svg"));
    assert_eq!(asset.name.as_deref(), Some("image.svg"));
    assert_eq!(asset.kind.as_deref(), Some("svg"));
    assert_eq!(asset.is_file, Some(true));
    assert_eq!(asset.childcount, Some(0));
    assert_eq!(asset.status.as_deref(), Some("published"));
    assert_eq!(asset.file_size(), Some(1192));
    assert_eq!(asset.title.get("nl").map(String::as_str), Some("Afbeelding"));
    assert_eq!(asset.raw, file_record());
}

#[tokio::test]
async fn get_by_pathname_reads_a_folder() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    unicat
        .answer(
            "assets/get",
            200,
            ok(json!({ "asset": FOLDER }), json!({ FOLDER: folder_record() })),
        )
        .await;

    let folder = unicat
        .client()
        .assets()
        .get(AssetSelector::pathname("/barcodes"))
        .send_one()
        .await
        .unwrap();

    assert_eq!(
        json_of(&unicat.requests_to("assets/get").await[0]),
        json!({ "pathname": "/barcodes" })
    );
    assert!(folder.is_folder());
    assert_eq!(folder.kind, None);
    assert_eq!(folder.childcount, Some(7));
    assert_eq!(folder.info, Some(json!({"filecount": 6, "foldercount": 1})));
}

#[tokio::test]
async fn get_by_gids_keeps_the_order_asked_for() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    // Unicat answers in tree order; the caller asked c, a, b.
    unicat
        .answer(
            "assets/get",
            200,
            ok(
                json!({ "assets": ["g-a", "g-b", "g-c"] }),
                json!({
                    "g-b": record("g-b", "/b.jpg"),
                    "g-c": record("g-c", "/c.jpg"),
                    "g-a": record("g-a", "/a.jpg"),
                }),
            ),
        )
        .await;

    let assets = unicat
        .client()
        .assets()
        .get(AssetSelector::gids(["g-c", "g-a", "g-b"]))
        .send()
        .await
        .unwrap();

    assert_eq!(
        json_of(&unicat.requests_to("assets/get").await[0]),
        json!({ "assets": ["g-c", "g-a", "g-b"] })
    );
    let got: Vec<(&str, Option<&str>)> = assets
        .iter()
        .map(|a| (a.gid.as_str(), a.name.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("g-c", Some("c.jpg")),
            ("g-a", Some("a.jpg")),
            ("g-b", Some("b.jpg"))
        ]
    );
}

#[tokio::test]
async fn get_by_pathnames_keeps_the_order_asked_for() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    unicat
        .answer(
            "assets/get",
            200,
            ok(
                json!({ "assets": ["g-doc", "g-img"] }),
                json!({
                    "g-doc": record("g-doc", "/files/doc.pdf"),
                    "g-img": record("g-img", "/products/image.jpg"),
                }),
            ),
        )
        .await;

    let assets = unicat
        .client()
        .assets()
        .get(AssetSelector::pathnames([
            "/products/image.jpg",
            "/files/doc.pdf",
        ]))
        .send()
        .await
        .unwrap();

    assert_eq!(
        json_of(&unicat.requests_to("assets/get").await[0]),
        json!({ "pathnames": ["/products/image.jpg", "/files/doc.pdf"] })
    );
    let gids: Vec<&str> = assets.iter().map(|a| a.gid.as_str()).collect();
    assert_eq!(gids, ["g-img", "g-doc"]);
}

#[tokio::test]
async fn selectors_are_validated_before_sending() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    let client = unicat.client();
    for selector in [
        AssetSelector::gid(""),
        AssetSelector::Gids(vec![]),
        AssetSelector::pathname("products/image.jpg"),
        AssetSelector::pathnames(["/ok", "not-absolute"]),
    ] {
        let err = client.assets().get(selector.clone()).send().await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{selector:?}: {err}");
    }
    let err = client.assets().update(FILE).send().await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("at least one")),
        "{err}"
    );
    assert!(unicat.all_requests().await.is_empty());
}

#[tokio::test]
async fn a_renewed_jwt_is_used_from_the_next_request_on() {
    let unicat = Unicat::start().await;
    Mock::given(method("POST"))
        .and(path(endpoint("auth")))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Authorization", "jwt-1")
                .set_body_json(auth_body()),
        )
        .expect(1)
        .mount(&unicat.server)
        .await;
    let answer = ok(json!({ "asset": FILE }), json!({ FILE: file_record() }));
    // jwt-1 gets an answer renewing it to jwt-2 (bare, as documented); jwt-2 gets one
    // renewing it to jwt-3 (with a Bearer prefix); jwt-3 gets a plain answer.
    for (used, renewed) in [
        ("jwt-1", Some("jwt-2")),
        ("jwt-2", Some("Bearer jwt-3")),
        ("jwt-3", None),
    ] {
        let mut response = ResponseTemplate::new(200).set_body_json(answer.clone());
        if let Some(renewed) = renewed {
            response = response.insert_header("Authorization", renewed);
        }
        Mock::given(method("POST"))
            .and(path(endpoint("assets/get")))
            .and(header("authorization", format!("Bearer {used}").as_str()))
            .respond_with(response)
            .mount(&unicat.server)
            .await;
    }
    let client = unicat.client();

    for _ in 0..4 {
        client
            .assets()
            .get(AssetSelector::gid(FILE))
            .send()
            .await
            .unwrap();
    }

    let used: Vec<String> = unicat
        .requests_to("assets/get")
        .await
        .iter()
        .map(|r| bearer(r).to_owned())
        .collect();
    assert_eq!(
        used,
        ["Bearer jwt-1", "Bearer jwt-2", "Bearer jwt-3", "Bearer jwt-3"]
    );
    assert_eq!(unicat.requests_to("auth").await.len(), 1);
    unicat.server.verify().await;
}

#[tokio::test]
async fn an_auth_answer_with_a_bearer_prefix_is_accepted() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("Bearer jwt-x").await;
    unicat
        .answer(
            "assets/root",
            200,
            ok(json!({ "root": FOLDER }), json!({ FOLDER: folder_record() })),
        )
        .await;
    unicat.client().assets().root().send().await.unwrap();
    assert_eq!(
        bearer(&unicat.requests_to("assets/root").await[0]),
        "Bearer jwt-x"
    );
}

#[tokio::test]
async fn an_unknown_api_key_is_forbidden_and_nothing_else_is_sent() {
    let unicat = Unicat::start().await;
    unicat.answer("auth", 403, failure(403, "Unknown user")).await;
    let err = unicat
        .client()
        .assets()
        .get(AssetSelector::gid(FILE))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err}");
    assert_eq!(err.api_error().unwrap().message, "Unknown user");
    assert!(unicat.requests_to("assets/get").await.is_empty());
    assert!(!format!("{err:?}").contains(API_KEY));
}

#[tokio::test]
async fn an_auth_answer_without_a_jwt_is_a_decode_error() {
    let unicat = Unicat::start().await;
    unicat.answer("auth", 200, auth_body()).await;
    let err = unicat.client().sign_in().await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { message, .. } if message.contains("Authorization")),
        "{err}"
    );
}

#[tokio::test]
async fn errors_map_to_their_variants_with_unicats_message() {
    type IsVariant = fn(&Error) -> bool;
    let cases: [(u16, &str, IsVariant); 3] = [
        (400, "Bad request", |e| matches!(e, Error::BadRequest(_))),
        (403, "Forbidden", |e| matches!(e, Error::Forbidden(_))),
        (422, "Unprocessable Entity", |e| {
            matches!(e, Error::Unprocessable(_))
        }),
    ];
    for (status, message, is_variant) in cases {
        let unicat = Unicat::start().await;
        unicat.auth_answers("jwt-1").await;
        unicat
            .answer("assets/get", status, failure(u64::from(status), message))
            .await;
        let err = unicat
            .client()
            .assets()
            .get(AssetSelector::gid("00000000-dead-beef-0000-000000000000"))
            .send()
            .await
            .unwrap_err();
        assert!(is_variant(&err), "{status}: {err}");
        let api = err.api_error().unwrap();
        assert_eq!(api.status, status);
        assert_eq!(api.message, message);
        assert_eq!(api.code.as_deref(), Some(status.to_string().as_str()));
        assert_eq!(
            unicat.requests_to("assets/get").await.len(),
            1,
            "{status} is not retried"
        );
    }
}

#[tokio::test]
async fn a_validation_error_keeps_unicats_code() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    unicat
        .answer("assets/update", 422, failure(1001, "Validation error"))
        .await;
    let err = unicat
        .client()
        .assets()
        .update(FILE)
        .name("")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unprocessable(_)), "{err}");
    let api = err.api_error().unwrap();
    assert_eq!(
        (api.code.as_deref(), api.message.as_str()),
        (Some("1001"), "Validation error")
    );
}

#[tokio::test]
async fn a_401_signs_in_again_once_then_succeeds() {
    let unicat = Unicat::start().await;
    Mock::given(method("POST"))
        .and(path(endpoint("auth")))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Authorization", "jwt-old")
                .set_body_json(auth_body()),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&unicat.server)
        .await;
    unicat.auth_answers("jwt-new").await;
    Mock::given(method("POST"))
        .and(path(endpoint("assets/get")))
        .and(header("authorization", "Bearer jwt-old"))
        .respond_with(ResponseTemplate::new(401).set_body_json(failure(401, "Permission denied")))
        .mount(&unicat.server)
        .await;
    Mock::given(method("POST"))
        .and(path(endpoint("assets/get")))
        .and(header("authorization", "Bearer jwt-new"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(ok(json!({ "asset": FILE }), json!({ FILE: file_record() }))),
        )
        .mount(&unicat.server)
        .await;

    let assets = unicat
        .client()
        .assets()
        .get(AssetSelector::gid(FILE))
        .send()
        .await
        .unwrap();

    assert_eq!(assets[0].gid, FILE);
    assert_eq!(unicat.requests_to("auth").await.len(), 2);
    assert_eq!(unicat.requests_to("assets/get").await.len(), 2);
}

#[tokio::test]
async fn a_second_401_is_unauthorized() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    unicat
        .answer("assets/get", 401, failure(401, "Permission denied"))
        .await;

    let err = unicat
        .client()
        .assets()
        .get(AssetSelector::gid(FILE))
        .send()
        .await
        .unwrap_err();

    assert!(matches!(err, Error::Unauthorized(_)), "{err}");
    assert_eq!(err.api_error().unwrap().message, "Permission denied");
    assert_eq!(unicat.requests_to("auth").await.len(), 2);
    assert_eq!(unicat.requests_to("assets/get").await.len(), 2);
}

#[tokio::test]
async fn a_failure_envelope_under_200_is_rejected() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    unicat
        .answer("assets/get", 200, failure(1000, "Unexpected error"))
        .await;
    let err = unicat
        .client()
        .assets()
        .get(AssetSelector::gid(FILE))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Rejected(_)), "{err}");
    assert_eq!(err.api_error().unwrap().message, "Unexpected error");
}

#[tokio::test]
async fn root_reads_result_root() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    unicat
        .answer(
            "assets/root",
            200,
            ok(json!({ "root": FOLDER }), json!({ FOLDER: folder_record() })),
        )
        .await;

    let root = unicat.client().assets().root().send().await.unwrap();

    assert_eq!(json_of(&unicat.requests_to("assets/root").await[0]), json!({}));
    assert_eq!(root.gid, FOLDER);
    assert_eq!(root.name.as_deref(), Some("barcodes"));
}

#[tokio::test]
async fn children_stream_pages_until_children_size() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    let all = ["c0", "c1", "c2", "c3", "c4"];
    for top in [0usize, 2, 4] {
        let page: Vec<&str> = all.iter().skip(top).take(2).copied().collect();
        let records: serde_json::Map<String, Value> = page
            .iter()
            .map(|g| ((*g).to_owned(), record(g, &format!("/barcodes/{g}.png"))))
            .collect();
        Mock::given(method("POST"))
            .and(path(endpoint("assets/children")))
            .and(body_json(
                json!({ "asset": FOLDER, "page.top": top, "page.size": 2 }),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(ok(
                json!({ "children": page, "children.size": 5 }),
                Value::Object(records),
            )))
            .mount(&unicat.server)
            .await;
    }
    let client = unicat.client();

    let pages: Vec<_> = client
        .assets()
        .children(AssetRef::gid(FOLDER))
        .page_size(2)
        .into_pages()
        .try_collect()
        .await
        .unwrap();

    let tops: Vec<u64> = pages.iter().map(|p| p.top).collect();
    assert_eq!(tops, [0, 2, 4]);
    assert!(pages.iter().all(|p| p.total == Some(5)));
    let names: Vec<String> = client
        .assets()
        .children(AssetRef::gid(FOLDER))
        .page_size(2)
        .into_stream()
        .map_ok(|a| a.pathname.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        names,
        [
            "/barcodes/c0.png",
            "/barcodes/c1.png",
            "/barcodes/c2.png",
            "/barcodes/c3.png",
            "/barcodes/c4.png"
        ]
    );
    // Three pages per walk, two walks; nothing past the last page.
    assert_eq!(unicat.requests_to("assets/children").await.len(), 6);
}

#[tokio::test]
async fn children_stream_without_children_size_stops_at_a_short_page() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    Mock::given(method("POST"))
        .and(path(endpoint("assets/children")))
        .and(body_json(
            json!({ "asset": FOLDER, "page.top": 0, "page.size": 100 }),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(ok(
            json!({ "children": ["c0", "c1", "c2"] }),
            json!({ "c0": record("c0", "/c0.png") }),
        )))
        .mount(&unicat.server)
        .await;

    let children: Vec<_> = unicat
        .client()
        .assets()
        .children(AssetRef::gid(FOLDER))
        .into_stream()
        .try_collect()
        .await
        .unwrap();

    let gids: Vec<&str> = children.iter().map(|a| a.gid.as_str()).collect();
    assert_eq!(gids, ["c0", "c1", "c2"]);
    // A child without a record in data.assets keeps its gid and nothing else.
    assert_eq!(children[0].pathname.as_deref(), Some("/c0.png"));
    assert_eq!(children[1].pathname, None);
    assert_eq!(unicat.requests_to("assets/children").await.len(), 1);
}

#[tokio::test]
async fn children_by_pathname_fetches_one_page() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    unicat
        .answer(
            "assets/children",
            200,
            ok(json!({ "children": [], "children.size": 0 }), json!({})),
        )
        .await;

    let page = unicat
        .client()
        .assets()
        .children(AssetRef::pathname("/products"))
        .top(10)
        .send()
        .await
        .unwrap();

    assert_eq!(
        json_of(&unicat.requests_to("assets/children").await[0]),
        json!({ "pathname": "/products", "page.top": 10 })
    );
    assert!(page.children.is_empty());
    assert_eq!((page.total, page.top), (Some(0), 10));
}

#[tokio::test]
async fn children_stream_stops_after_an_error() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    unicat
        .answer("assets/children", 422, failure(422, "Unprocessable Entity"))
        .await;
    let results: Vec<_> = futures::StreamExt::collect(
        unicat
            .client()
            .assets()
            .children(AssetRef::gid("gone"))
            .into_pages(),
    )
    .await;
    assert_eq!(results.len(), 1);
    assert!(matches!(results[0], Err(Error::Unprocessable(_))));
}

#[tokio::test]
async fn upload_sends_parent_then_the_file() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    let mut parent = folder_record();
    parent["childcount"] = json!(8);
    unicat
        .answer(
            "assets/upload",
            200,
            ok(
                json!({ "parent": FOLDER, "asset": FILE }),
                json!({ FILE: file_record(), FOLDER: parent }),
            ),
        )
        .await;
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec();
    let client = unicat.client();

    let created = client
        .assets()
        .upload(
            AssetRef::gid(FOLDER),
            UploadSource::bytes("image.svg", svg.clone()),
        )
        .content_type("image/svg+xml")
        .send()
        .await
        .unwrap();

    let request = &unicat.requests_to("assets/upload").await[0];
    assert_eq!(bearer(request), "Bearer jwt-1");
    let parts = multipart(request);
    assert_eq!(parts.len(), 2);
    assert_eq!(
        (parts[0].name.as_str(), parts[0].data.as_ref()),
        ("parent", FOLDER.as_bytes())
    );
    assert_eq!(parts[1].name, "upload_file");
    assert_eq!(parts[1].file_name.as_deref(), Some("image.svg"));
    assert_eq!(parts[1].content_type.as_deref(), Some("image/svg+xml"));
    assert_eq!(parts[1].data, svg);
    assert_eq!(created.asset.gid, FILE);
    assert_eq!(created.asset.pathname.as_deref(), Some("/image.svg"));
    assert_eq!(created.parent.unwrap().childcount, Some(8));
}

#[tokio::test]
async fn upload_into_a_pathname_sends_the_pathname_field() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    unicat
        .answer(
            "assets/upload",
            200,
            ok(
                json!({ "parent": FOLDER, "asset": FILE }),
                json!({ FILE: file_record() }),
            ),
        )
        .await;

    unicat
        .client()
        .assets()
        .upload(
            AssetRef::pathname("/products"),
            UploadSource::bytes("photo.jpg", &b"jpeg"[..]),
        )
        .file_name("hero.jpg")
        .send()
        .await
        .unwrap();

    let parts = multipart(&unicat.requests_to("assets/upload").await[0]);
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["pathname", "upload_file"]);
    assert_eq!(parts[0].data, &b"/products"[..]);
    assert_eq!(parts[1].file_name.as_deref(), Some("hero.jpg"));
    assert_eq!(parts[1].data, &b"jpeg"[..]);
}

#[tokio::test]
async fn upload_update_sends_asset_then_the_file() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    let mut updated = file_record();
    updated["version"] = json!(32);
    unicat
        .answer(
            "assets/upload_update",
            200,
            ok(
                json!({ "asset": FILE }),
                json!({ FILE: updated, FOLDER: folder_record() }),
            ),
        )
        .await;

    let changed = unicat
        .client()
        .assets()
        .upload_update(FILE, UploadSource::bytes("image.svg", &b"<svg/>"[..]))
        .send()
        .await
        .unwrap();

    let parts = multipart(&unicat.requests_to("assets/upload_update").await[0]);
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["asset", "upload_file"]);
    assert_eq!(parts[0].data, FILE.as_bytes());
    assert_eq!(parts[1].file_name.as_deref(), Some("image.svg"));
    assert_eq!(parts[1].data, &b"<svg/>"[..]);
    assert_eq!(changed.asset.version, Some(32));
}

#[tokio::test]
async fn update_sends_only_the_fields_set() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    let mut updated = file_record();
    updated["name"] = json!("modified name");
    updated["title"] = json!({"en": "Modified Title", "nl": "Titel"});
    unicat
        .answer(
            "assets/update",
            200,
            ok(json!({ "asset": FILE }), json!({ FILE: updated })),
        )
        .await;

    let changed = unicat
        .client()
        .assets()
        .update(FILE)
        .name("modified name")
        .title("en", "Modified Title")
        .description("en", "Modified Description")
        .send()
        .await
        .unwrap();

    assert_eq!(
        json_of(&unicat.requests_to("assets/update").await[0]),
        json!({
            "asset": FILE,
            "name": "modified name",
            "title": {"en": "Modified Title"},
            "description": {"en": "Modified Description"}
        })
    );
    assert_eq!(changed.asset.name.as_deref(), Some("modified name"));
    assert_eq!(changed.asset.title.get("nl").map(String::as_str), Some("Titel"));
}

#[tokio::test]
async fn delete_and_undelete_send_the_asset() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    let mut deleted = file_record();
    deleted["status"] = json!("deleted");
    unicat
        .answer(
            "assets/delete",
            200,
            ok(json!({ "asset": FILE }), json!({ FILE: deleted })),
        )
        .await;
    unicat
        .answer(
            "assets/undelete",
            200,
            ok(json!({ "asset": FILE }), json!({ FILE: file_record() })),
        )
        .await;
    let client = unicat.client();

    let gone = client.assets().delete(FILE).send().await.unwrap();
    let back = client.assets().undelete(FILE).send().await.unwrap();

    assert_eq!(
        json_of(&unicat.requests_to("assets/delete").await[0]),
        json!({ "asset": FILE })
    );
    assert_eq!(
        json_of(&unicat.requests_to("assets/undelete").await[0]),
        json!({ "asset": FILE })
    );
    assert_eq!(gone.asset.status.as_deref(), Some("deleted"));
    assert_eq!(back.asset.status.as_deref(), Some("published"));
    assert_eq!(unicat.requests_to("auth").await.len(), 1);
}

#[tokio::test]
async fn undeleting_a_permanently_deleted_asset_is_unprocessable() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    unicat
        .answer("assets/undelete", 422, failure(422, "Unprocessable Entity"))
        .await;
    let err = unicat.client().assets().undelete(FILE).send().await.unwrap_err();
    assert!(matches!(err, Error::Unprocessable(_)), "{err}");
}

#[tokio::test]
async fn per_call_options_reach_every_page_and_replace_the_clients_retry_policy() {
    use assetkit::RequestOptions;
    use assetkit::core::header::{HeaderName, HeaderValue};
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    unicat
        .answer(
            "assets/children",
            200,
            ok(
                json!({ "children": [FILE], "children.size": 1 }),
                json!({ FILE: file_record() }),
            ),
        )
        .await;
    unicat
        .answer("assets/root", 503, failure(503, "Service Unavailable"))
        .await;
    let client = unicat.client();

    let children: Vec<_> = client
        .assets()
        .children(AssetRef::gid(FOLDER))
        .with_header(
            HeaderName::from_static("x-trace"),
            HeaderValue::from_static("uc-1"),
        )
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(children.len(), 1);
    let pages = unicat.requests_to("assets/children").await;
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].headers.get("x-trace").unwrap(), "uc-1");
    // The option is for the call's own requests, not for the sign-in.
    assert!(
        unicat.requests_to("auth").await[0]
            .headers
            .get("x-trace")
            .is_none()
    );

    let err = client
        .assets()
        .root()
        .with_retry(RetryPolicy::never())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    assert_eq!(err.request().unwrap().attempts, 1);
    assert_eq!(unicat.requests_to("assets/root").await.len(), 1);
    // The client's own policy retries the same 503 (assets/root is a read).
    let err = client.assets().root().send().await.unwrap_err();
    assert!(err.request().unwrap().attempts > 1);
}

#[tokio::test]
async fn create_folder_sends_the_documented_body_and_reads_the_new_folder() {
    // The reference's assets/create example: {"parent", "name"} in, result.asset and
    // result.parent out.
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    let made = "656d4c14-3c96-41b9-b035-debf51511c45";
    unicat
        .answer(
            "assets/create",
            200,
            ok(
                json!({"parent": FOLDER, "asset": made}),
                json!({made: {"gid": made, "name": "new folder", "type": "folder"}, FOLDER: {"gid": FOLDER}}),
            ),
        )
        .await;
    let change = unicat
        .client()
        .assets()
        .create_folder(FOLDER, "new folder")
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_of(&unicat.requests_to("assets/create").await[0]),
        json!({"parent": FOLDER, "name": "new folder"})
    );
    assert_eq!(change.asset.gid, made);
    assert_eq!(change.asset.name.as_deref(), Some("new folder"));
    assert_eq!(change.parent.map(|p| p.gid).as_deref(), Some(FOLDER));
    let blank = unicat
        .client()
        .assets()
        .create_folder(FOLDER, " ")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(blank, Error::InvalidRequest(_)), "{blank}");
    assert_eq!(
        unicat.requests_to("assets/create").await.len(),
        1,
        "the blank name sent nothing"
    );
}

#[tokio::test]
async fn permanent_delete_sends_the_asset_and_a_failure_is_unprocessable() {
    // The reference's assets/permanent_delete example: {"asset"} in, result.parent out.
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    unicat
        .answer(
            "assets/permanent_delete",
            200,
            ok(json!({"parent": FOLDER}), json!({FOLDER: {"gid": FOLDER}})),
        )
        .await;
    let change = unicat
        .client()
        .assets()
        .permanent_delete(FILE)
        .send()
        .await
        .unwrap();
    assert_eq!(
        json_of(&unicat.requests_to("assets/permanent_delete").await[0]),
        json!({"asset": FILE})
    );
    assert_eq!(change.asset.gid, FILE);
    assert_eq!(change.parent.map(|p| p.gid).as_deref(), Some(FOLDER));
}

/// The testkit's stateful Unicat, and a client signed in to it (virtual time: no waits).
async fn against_the_fake() -> (assetkit_testkit::FakeUnicat, UnicatClient) {
    let fake = assetkit_testkit::FakeUnicat::start().await;
    let client = UnicatClient::builder()
        .api_key(assetkit_testkit::UNICAT_API_KEY)
        .project(assetkit_testkit::UNICAT_PROJECT)
        .base_url(fake.base_url())
        .settings(Settings::new().allow_http(true).time(VirtualTime::new()))
        .build()
        .unwrap();
    (fake, client)
}

#[tokio::test]
async fn a_folder_made_uploaded_into_deleted_and_permanently_deleted_against_the_fake() {
    let (fake, client) = against_the_fake().await;
    let products = fake.gid_of("/products").unwrap();
    let folder = client
        .assets()
        .create_folder(&products, "textures")
        .send()
        .await
        .unwrap();
    assert_eq!(
        fake.gid_of("/products/textures").as_deref(),
        Some(folder.asset.gid.as_str())
    );
    client
        .assets()
        .upload(
            assetkit::unicat::AssetRef::pathname("/products/textures"),
            UploadSource::bytes("wood.jpg", &b"jpeg"[..]),
        )
        .send()
        .await
        .unwrap();
    let wood = fake.gid_of("/products/textures/wood.jpg").unwrap();
    let textures = || assetkit::unicat::AssetRef::pathname("/products/textures");
    let found = client.assets().find_file(textures(), "wood.jpg").await.unwrap();
    assert_eq!(found.map(|a| a.gid), Some(wood));
    assert!(
        client
            .assets()
            .find_file(textures(), "oak.jpg")
            .await
            .unwrap()
            .is_none()
    );
    // A folder is found as a folder, never as a file, and the other way round.
    let products_ref = || assetkit::unicat::AssetRef::pathname("/products");
    let found = client
        .assets()
        .find_folder(products_ref(), "textures")
        .await
        .unwrap();
    assert_eq!(found.map(|a| a.gid), Some(folder.asset.gid.clone()));
    assert!(
        client
            .assets()
            .find_file(products_ref(), "textures")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        client
            .assets()
            .find_folder(textures(), "wood.jpg")
            .await
            .unwrap()
            .is_none()
    );
    // Only a deleted asset can go for good.
    let early = client
        .assets()
        .permanent_delete(folder.asset.gid.clone())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(early, Error::Unprocessable(_)), "{early}");
    client
        .assets()
        .delete(folder.asset.gid.clone())
        .send()
        .await
        .unwrap();
    let gone = client
        .assets()
        .permanent_delete(folder.asset.gid.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(gone.parent.map(|p| p.gid), Some(products));
    assert!(fake.gid_of("/products/textures").is_none());
    assert!(
        fake.gid_of("/products/textures/wood.jpg").is_none(),
        "with its subtree"
    );
}

/// The DAM publish page's example answer (its extra closing brace left out).
fn publish_answer(public_url: &str) -> Value {
    json!({"success": true, "result": {"public_url": public_url}, "data": {}})
}

#[tokio::test]
async fn publish_sends_the_storage_pathname_and_reads_the_public_url() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    let doc_url = "https://unicat.app/media/p-8fdf8601-6ad0-405e-962a-89400ae69a41/src/eddbe3b0-eb6a-4301-9700-c770df127456.svg";
    let storage = "eddbe3b0-eb6a-4301-9700-c770df127456~31.svg";
    Mock::given(method("GET"))
        .and(path(format!("{PREFIX}/dam/p/{PROJECT}/publish/{storage}")))
        .and(header("authorization", "Bearer jwt-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(publish_answer(doc_url)))
        .mount(&unicat.server)
        .await;
    let url = unicat
        .client()
        .assets()
        .publish("eddbe3b0-eb6a-4301-9700-c770df127456")
        .version(31)
        .extension(".svg")
        .send()
        .await
        .unwrap();
    assert_eq!(url.as_str(), doc_url);
    // With neither given, both are read from the asset first (its `type` is the
    // extension).
    let mut record = file_record();
    record["version"] = json!(4);
    Mock::given(method("POST"))
        .and(path(endpoint("assets/get")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(ok(json!({"asset": FILE}), json!({FILE: record}))),
        )
        .mount(&unicat.server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{PREFIX}/dam/p/{PROJECT}/publish/{FILE}~4.svg")))
        .respond_with(ResponseTemplate::new(200).set_body_json(publish_answer(doc_url)))
        .mount(&unicat.server)
        .await;
    assert_eq!(
        unicat
            .client()
            .assets()
            .publish(FILE)
            .send()
            .await
            .unwrap()
            .as_str(),
        doc_url
    );
    // An answer without the URL is a decode error; an empty gid is refused unsent.
    Mock::given(method("GET"))
        .and(path(format!("{PREFIX}/dam/p/{PROJECT}/publish/{FILE}~5.svg")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"success": true, "result": {}, "data": {}})),
        )
        .mount(&unicat.server)
        .await;
    let bare = unicat
        .client()
        .assets()
        .publish(FILE)
        .version(5)
        .extension("svg")
        .send()
        .await;
    assert!(matches!(bare, Err(Error::Decode { .. })), "{bare:?}");
    let empty = unicat
        .client()
        .assets()
        .publish(" ")
        .version(1)
        .extension("svg")
        .send()
        .await;
    assert!(matches!(empty, Err(Error::InvalidRequest(_))), "{empty:?}");
}

#[tokio::test]
async fn download_streams_the_published_file_and_keeps_the_jwt_at_home() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    let media = MockServer::start().await;
    let body: Vec<u8> = (0..200_000u32).map(|i| (i % 251).to_le_bytes()[0]).collect();
    Mock::given(method("GET"))
        .and(path("/media/file.svg"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(body.clone()))
        .mount(&media)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{PREFIX}/dam/p/{PROJECT}/publish/{FILE}~2.svg")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(publish_answer(&format!("{}/media/file.svg", media.uri()))),
        )
        .mount(&unicat.server)
        .await;
    // The extension is read from the asset's record.
    Mock::given(method("POST"))
        .and(path(endpoint("assets/get")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(ok(json!({"asset": FILE}), json!({FILE: file_record()}))),
        )
        .mount(&unicat.server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("image.svg");
    let got = unicat
        .client()
        .assets()
        .download(FILE)
        .version(2)
        .to_path(&target)
        .await
        .unwrap();
    assert_eq!(got, body.len() as u64);
    assert_eq!(std::fs::read(&target).unwrap(), body);
    let to_media = media.received_requests().await.unwrap();
    assert_eq!(to_media.len(), 1);
    assert!(
        to_media[0].headers.get("authorization").is_none(),
        "the JWT went to the media host"
    );
}

#[tokio::test]
async fn a_file_uploaded_to_the_fake_downloads_as_each_of_its_versions() {
    let (fake, client) = against_the_fake().await;
    let change = client
        .assets()
        .upload(
            AssetRef::pathname("/products"),
            UploadSource::bytes("logo.PNG", &b"first"[..]),
        )
        .send()
        .await
        .unwrap();
    let gid = change.asset.gid.clone();
    assert_eq!(change.asset.kind.as_deref(), Some("png"));
    let mut bytes = Vec::new();
    client
        .assets()
        .download(&gid)
        .to_writer(&mut bytes)
        .await
        .unwrap();
    assert_eq!(bytes, b"first");
    client
        .assets()
        .upload_update(&gid, UploadSource::bytes("logo.PNG", &b"second, longer"[..]))
        .send()
        .await
        .unwrap();
    let mut bytes = Vec::new();
    client
        .assets()
        .download(&gid)
        .to_writer(&mut bytes)
        .await
        .unwrap();
    assert_eq!(bytes, b"second, longer");
    // The old version is no longer published by the fake; a folder never is.
    let old = client
        .assets()
        .download(&gid)
        .version(1)
        .to_writer(&mut Vec::new())
        .await
        .unwrap_err();
    assert!(old.is_not_found(), "{old:?}");
    let folder = fake.gid_of("/products").unwrap();
    let err = client
        .assets()
        .download(folder)
        .to_writer(&mut Vec::new())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidRequest(ref m) if m.contains("folder")),
        "{err:?}"
    );
}

/// A POST to `name` whose body must be exactly `body`, answered with `answer`.
async fn exact_exchange(unicat: &Unicat, name: &str, body: Value, answer: Value) {
    Mock::given(method("POST"))
        .and(path(endpoint(name)))
        .and(body_json(body))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1)
        .mount(&unicat.server)
        .await;
}

#[tokio::test]
async fn move_sends_the_documented_body_and_reads_the_new_parent() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    exact_exchange(
        &unicat,
        "assets/move",
        json!({"asset": FILE, "parent": FOLDER}),
        ok(
            json!({"parent": FOLDER, "asset": FILE}),
            json!({FILE: file_record(), FOLDER: folder_record()}),
        ),
    )
    .await;
    let moved = unicat
        .client()
        .assets()
        .move_to(FILE, FOLDER)
        .send()
        .await
        .unwrap();
    assert_eq!(moved.asset.gid, FILE);
    assert_eq!(moved.parent.map(|p| p.gid).as_deref(), Some(FOLDER));
    let blank = unicat.client().assets().move_to(FILE, "").send().await;
    assert!(matches!(blank, Err(Error::InvalidRequest(_))), "{blank:?}");
}

#[tokio::test]
async fn worksheet_sends_the_page_and_reads_path_and_children() {
    // The reference's example: five folders down to the asset, five children.
    let path_gids = [
        "d96073b1-69da-493e-8433-3820c8cca3a8",
        "e8c7a57f-c83f-408b-b0a1-7625894dabd6",
        "4aa680cf-b43e-4769-bd09-5d298abbcac7",
        "9a7fa996-3c7f-4707-9bf7-7a251fc63ab1",
        "f2e64fe0-9ffa-4d9a-8750-d561d6542453",
    ];
    let children = [
        "96ec02b2-fb8d-4fb4-b952-fad0c4b88a74",
        "726427c2-8c72-4d2e-a09b-937a6f16d3c0",
        "98437ffb-ef37-431a-afc2-d6023e0db58c",
        "7c136ddb-4dfa-4ec1-bad4-15067cbf80d9",
        "7e52202a-90bb-430b-8ac5-e9c015da4369",
    ];
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    exact_exchange(
        &unicat,
        "assets/worksheet",
        json!({"asset": "<asset gid>", "page.top": 0, "page.size": 10}),
        ok(
            json!({"asset": path_gids[4], "path": path_gids, "children": children, "children.size": 5}),
            json!({path_gids[0]: {}}),
        ),
    )
    .await;
    let sheet = unicat
        .client()
        .assets()
        .worksheet("<asset gid>")
        .page(0, 10)
        .send()
        .await
        .unwrap();
    assert_eq!(sheet.asset.gid, path_gids[4]);
    assert_eq!(
        sheet.path.iter().map(|a| a.gid.as_str()).collect::<Vec<_>>(),
        path_gids
    );
    assert_eq!(
        sheet.children.iter().map(|a| a.gid.as_str()).collect::<Vec<_>>(),
        children
    );
    assert_eq!(sheet.children_size, Some(5));
    let empty = unicat.client().assets().worksheet(FILE).page(0, 0).send().await;
    assert!(matches!(empty, Err(Error::InvalidRequest(_))), "{empty:?}");
}

#[tokio::test]
async fn bulk_delete_sends_the_documented_selection_and_reads_the_job_token() {
    let unicat = Unicat::start().await;
    unicat.auth_answers("jwt-1").await;
    let documented = json!({"selection": [
        "<gid-1>", "<gid-2>", "<gid-3>",
        {"children": "<gid-9>", "exclude": ["<gid-x>", "<gid-y>", "<gid-z>"]},
        {"search": {"language": "nl", "q": "+cms 225", "filter": ["type", "is", "image"]},
         "exclude": ["<gid-a>", "<gid-b>", "<gid-c>"]}
    ]});
    let answer =
        json!({"success": true, "result": {"job.token": "7c136ddb-4dfa-4ec1-bad4-15067cbf80d9"}, "data": {}});
    exact_exchange(&unicat, "assets/bulk/delete", documented.clone(), answer.clone()).await;
    exact_exchange(&unicat, "assets/bulk/undelete", documented, answer).await;
    let selection = assetkit::unicat::Selection::new()
        .gids(["<gid-1>", "<gid-2>", "<gid-3>"])
        .children_of("<gid-9>", ["<gid-x>", "<gid-y>", "<gid-z>"])
        .search(
            json!({"language": "nl", "q": "+cms 225", "filter": ["type", "is", "image"]}),
            ["<gid-a>", "<gid-b>", "<gid-c>"],
        );
    let client = unicat.client();
    let job = client
        .assets()
        .bulk_delete(selection.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(job.0, "7c136ddb-4dfa-4ec1-bad4-15067cbf80d9");
    client.assets().bulk_undelete(selection).send().await.unwrap();
    let empty = client
        .assets()
        .bulk_delete(assetkit::unicat::Selection::new())
        .send()
        .await;
    assert!(matches!(empty, Err(Error::InvalidRequest(_))), "{empty:?}");
    let blank = client
        .assets()
        .bulk_delete(assetkit::unicat::Selection::new().gids([" "]))
        .send()
        .await;
    assert!(matches!(blank, Err(Error::InvalidRequest(_))), "{blank:?}");
}

#[tokio::test]
async fn move_worksheet_and_bulk_against_the_fake() {
    let (fake, client) = against_the_fake().await;
    let products = fake.gid_of("/products").unwrap();
    let archive = client
        .assets()
        .create_folder(&products, "archive")
        .send()
        .await
        .unwrap()
        .asset
        .gid;
    let image = fake.gid_of("/products/image.jpg").unwrap();
    let moved = client.assets().move_to(&image, &archive).send().await.unwrap();
    assert_eq!(
        moved.asset.pathname.as_deref(),
        Some("/products/archive/image.jpg")
    );
    // Not into its own subtree.
    let err = client
        .assets()
        .move_to(&products, &archive)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unprocessable(_)), "{err:?}");
    let sheet = client.assets().worksheet(&archive).send().await.unwrap();
    assert_eq!(
        sheet
            .path
            .iter()
            .filter_map(|a| a.pathname.as_deref())
            .collect::<Vec<_>>(),
        ["/", "/products", "/products/archive"]
    );
    assert_eq!(
        sheet.children.iter().map(|a| a.gid.as_str()).collect::<Vec<_>>(),
        [image.as_str()]
    );
    assert_eq!(sheet.children_size, Some(1));
    // Bulk delete of the folder's children, then undelete.
    let selection = assetkit::unicat::Selection::new().children_of(&archive, Vec::<String>::new());
    client
        .assets()
        .bulk_delete(selection.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        client
            .assets()
            .worksheet(&archive)
            .send()
            .await
            .unwrap()
            .children_size,
        Some(0)
    );
    client.assets().bulk_undelete(selection).send().await.unwrap();
    assert_eq!(
        client
            .assets()
            .worksheet(&archive)
            .send()
            .await
            .unwrap()
            .children_size,
        Some(1)
    );
}
