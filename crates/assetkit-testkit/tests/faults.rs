//! Fault injection and request recording, seen from a plain HTTP client.

use std::time::Duration;

use assetkit_testkit::{DEMO_PROJECT, FakeMediaPocket, Fault};

async fn get(url: &str) -> (u16, Option<String>, String) {
    let response = reqwest::Client::new()
        .get(url)
        .header("x-api-key", "k")
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, retry_after, response.text().await.unwrap())
}

#[tokio::test]
async fn faults_apply_in_order_then_the_fake_answers_normally() {
    let fake = FakeMediaPocket::start().await;
    let url = format!("{}/assets/nope", fake.base_url());
    fake.inject(Fault::rate_limited(Duration::from_secs(3)));
    fake.inject(Fault::status(503).times(2));
    fake.inject(Fault::malformed_json());
    assert_eq!(get(&url).await.0, 429);
    assert_eq!(get(&url).await.1.as_deref(), None);
    let statuses = [get(&url).await.0, get(&url).await.0];
    assert_eq!(statuses, [503, 200]);
    let (status, _, body) = get(&url).await;
    assert_eq!(status, 404);
    assert_eq!(body, r#"{"error":"asset not found"}"#);
    assert_eq!(fake.requests().await.len(), 5);
}

#[tokio::test]
async fn retry_after_is_sent_and_path_filters_apply() {
    let fake = FakeMediaPocket::start().await;
    fake.inject(Fault::rate_limited(Duration::from_secs(3)).on_path("/media"));
    let plain = format!("{}/assets/x", fake.base_url());
    let media = format!("{}/assets/x/media", fake.base_url());
    assert_eq!(get(&plain).await.0, 404);
    let (status, retry_after, _) = get(&media).await;
    assert_eq!((status, retry_after.as_deref()), (429, Some("3")));
    let recorded = fake.requests().await;
    assert_eq!(recorded[1].path, "/api/v2/assets/x/media");
    assert_eq!(recorded[1].header("X-API-KEY"), Some("k"));
}

#[tokio::test]
async fn a_malformed_answer_is_not_json() {
    let fake = FakeMediaPocket::start().await;
    fake.inject(Fault::malformed_json());
    let (status, _, body) = get(&format!("{}/projects/{DEMO_PROJECT}/assets", fake.base_url())).await;
    assert_eq!(status, 200);
    assert!(serde_json::from_str::<serde_json::Value>(&body).is_err());
}

#[tokio::test]
async fn a_dropped_connection_gets_no_answer_and_the_next_request_does() {
    let fake = FakeMediaPocket::start().await;
    fake.inject(Fault::drop_connection().on_path("/assets/x"));
    let url = format!("{}/assets/x", fake.base_url());
    let client = reqwest::Client::new();
    let dropped = client.get(&url).header("x-api-key", "k").send().await;
    assert!(dropped.is_err(), "expected a broken connection, got {dropped:?}");
    // The fault is spent: the same request now reaches the fake.
    assert_eq!(get(&url).await.0, 404);
    let recorded = fake.requests().await;
    assert_eq!(recorded.len(), 1, "a dropped request never reaches the fake");
}

#[tokio::test]
async fn faults_keep_their_queue_order_across_drops_and_statuses() {
    let fake = FakeMediaPocket::start().await;
    fake.inject(Fault::status(503));
    fake.inject(Fault::drop_connection());
    fake.inject(Fault::status(502));
    let url = format!("{}/assets/x", fake.base_url());
    assert_eq!(get(&url).await.0, 503);
    let dropped = reqwest::Client::new().get(&url).send().await;
    assert!(dropped.is_err());
    assert_eq!(get(&url).await.0, 502);
    assert_eq!(get(&url).await.0, 404);
}
