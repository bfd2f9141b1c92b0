//! The official Webflow JS SDK's 48 wire-test cases for the assets endpoints
//! (`tests/wire/assets.test.ts` of webflow/js-webflow-api, extracted as JSON in
//! `tests/fixtures/webflow/js-webflow-api.wire-assets.json`), replayed against our client:
//! the request it sends (method, path, JSON body) must be the one the SDK's mock matches,
//! and the answer must decode (2xx) or map to the error the SDK expects.

use std::time::Duration;

use assetkit::webflow::WebflowClient;
use assetkit::{Error, RetryPolicy};
use serde_json::Value;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CASES: &str = include_str!("fixtures/webflow/js-webflow-api.wire-assets.json");

/// The last segment of `path` after `prefix` (the id the case uses).
fn id_after<'a>(path: &'a str, prefix: &str) -> &'a str {
    path.strip_prefix(prefix)
        .unwrap_or(path)
        .split('/')
        .next()
        .unwrap_or_default()
}

/// Calls the endpoint of case `name` the way the SDK's call does; `Ok(())` when the answer
/// decoded.
async fn call(client: &WebflowClient, name: &str, request: &Value) -> Result<(), Error> {
    let route = request["path"].as_str().unwrap();
    let body = &request["json_body"];
    let text = |key: &str| body[key].as_str().unwrap_or_default().to_owned();
    match name {
        "list" => client
            .assets()
            .list(id_after(route, "/sites/"))
            .send()
            .await
            .map(drop),
        "create" => client
            .assets()
            .create(id_after(route, "/sites/"), text("fileName"), text("fileHash"))
            .send()
            .await
            .map(drop),
        "get" => client
            .assets()
            .get(id_after(route, "/assets/"))
            .send()
            .await
            .map(drop),
        "delete" => client
            .assets()
            .delete(id_after(route, "/assets/"))
            .send()
            .await
            .map(drop),
        "update" => client
            .assets()
            .update(id_after(route, "/assets/"))
            .send()
            .await
            .map(drop),
        "list-folders" => client
            .asset_folders()
            .list(id_after(route, "/sites/"))
            .send()
            .await
            .map(drop),
        "create-folder" => client
            .asset_folders()
            .create(id_after(route, "/sites/"), text("displayName"))
            .send()
            .await
            .map(drop),
        "get-folder" => client
            .asset_folders()
            .get(id_after(route, "/asset_folders/"))
            .send()
            .await
            .map(drop),
        other => panic!("no call for case {other}"),
    }
}

fn expected(error: &str, got: &Error) -> bool {
    match error {
        "Webflow.BadRequestError" => matches!(got, Error::BadRequest(_)),
        "Webflow.UnauthorizedError" => matches!(got, Error::Unauthorized(_)),
        "Webflow.NotFoundError" => matches!(got, Error::NotFound(_)),
        "Webflow.TooManyRequestsError" => matches!(got, Error::RateLimited { .. }),
        "Webflow.InternalServerError" => matches!(got, Error::Server(_)),
        other => panic!("unknown expected error {other}"),
    }
}

#[tokio::test]
async fn the_official_sdks_48_wire_cases_pass() {
    let cases: Value = serde_json::from_str(CASES).unwrap();
    let cases = cases["tests"].as_array().unwrap();
    assert_eq!(cases.len(), 48);
    let mut failures = Vec::new();
    for case in cases {
        let full_name = case["name"].as_str().unwrap();
        let name = full_name.split(" (").next().unwrap();
        let request = &case["request"];
        let response = &case["response"];
        let server = MockServer::start().await;
        let mut mock = Mock::given(method(request["method"].as_str().unwrap()))
            .and(path(format!("/v2{}", request["path"].as_str().unwrap())));
        if !request["json_body"].is_null() {
            mock = mock.and(body_json(request["json_body"].clone()));
        }
        let status = u16::try_from(response["status"].as_u64().unwrap()).unwrap();
        let mut answer = ResponseTemplate::new(status);
        if !response["json_body"].is_null() {
            answer = answer.set_body_json(response["json_body"].clone());
        }
        mock.respond_with(answer).expect(1).mount(&server).await;
        let client = WebflowClient::builder()
            .bearer("wire-test-token")
            .base_url(format!("{}/v2", server.uri()))
            .allow_http(true)
            .retry(RetryPolicy::never())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let outcome = call(&client, name, request).await;
        let matched = server.received_requests().await.unwrap().len() == 1;
        let ok = match (case["sdk_expected_error"].as_str(), &outcome) {
            (None, Ok(())) => matched,
            (Some(error), Err(got)) => matched && expected(error, got),
            _ => false,
        };
        if !ok {
            failures.push(format!("{full_name}: {outcome:?} (request matched: {matched})"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 48 failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
