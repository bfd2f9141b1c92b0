//! The tour: drives the assetkit transport against a server started in-process, showing
//! what a user sees — a retried 503, a 429 with Retry-After, rate-limit headers, and the
//! typed errors.
//!
//! Run it with `cargo run --example tour`.

use std::time::Duration;

use assetkit::core::{Client, Request};
use assetkit::{Error, RetryPolicy, Vendor};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await;
    println!("assetkit tour: a local server is listening on {}", server.uri());

    Mock::given(method("GET"))
        .and(path("/flaky"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/flaky"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-limit", "120")
                .insert_header("x-ratelimit-remaining", "117")
                .set_body_string(r#"{"hello":"world"}"#),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/missing"))
        .respond_with(
            ResponseTemplate::new(404).set_body_string(r#"{"code":"NOT_FOUND","message":"Asset not found."}"#),
        )
        .mount(&server)
        .await;

    let client = Client::builder(Vendor::Roblox, server.uri())
        .allow_http(true)
        .retry(RetryPolicy::default().backoff(Duration::from_millis(50), Duration::from_millis(200)))
        .build()?;

    println!("\n1. A server that fails twice with 503, then answers:");
    let response = client.execute(Request::get(&["flaky"])).await?;
    let body: serde_json::Value = response.json()?;
    let requests = server.received_requests().await.map_or(0, |r| r.len());
    println!("   -> {} after {requests} requests: {body}", response.status());
    println!("   -> rate limit: {:?}", client.rate_limit());

    println!("\n2. A resource that does not exist:");
    match client.execute(Request::get(&["missing"])).await {
        Err(error @ Error::NotFound(_)) => println!("   -> Error::NotFound: {error}"),
        other => return Err(format!("expected NotFound, got {other:?}").into()),
    }

    println!("\nDone.");
    Ok(())
}
