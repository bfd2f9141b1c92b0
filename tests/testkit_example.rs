//! How to test your own code against assetkit's fakes: a function of "your application"
//! that uploads a model, tested against `FakeRoblox` with a burst of 503s, no network and
//! no real waiting. Copy this into your project's tests.

use std::time::Duration;

use assetkit::core::time::VirtualTime;
use assetkit::roblox::{AssetType, Creator, RobloxClient};
use assetkit::{PollPolicy, Settings, UploadSource};
use assetkit_testkit::{FakeRoblox, Fault, parse_multipart};

/// Your application's code: upload a model and return its asset id.
async fn publish_model(client: &RobloxClient, name: &str, bytes: Vec<u8>) -> assetkit::Result<String> {
    let operation = client
        .assets()
        .create(
            AssetType::Model,
            name,
            UploadSource::bytes(format!("{name}.fbx"), bytes),
            Creator::Group(7),
        )
        .send()
        .await?;
    let asset = operation.wait().await?;
    Ok(asset.asset_id.map(|id| id.to_string()).unwrap_or_default())
}

#[tokio::test]
async fn publishing_survives_a_burst_of_503s() {
    // A stateful Roblox on loopback: the operation is done on its second poll.
    let fake = FakeRoblox::start().await;
    fake.set_polls_until_done(1);
    // Unavailable with Retry-After: the service asks to come back, so a create retries.
    fake.inject(Fault::unavailable(Duration::ZERO).times(2).on_path("/v1/assets"));

    // Virtual time: retries and polls are recorded, never waited for.
    let time = VirtualTime::new();
    let client = RobloxClient::builder()
        .api_key("test-key")
        .base_url(fake.uri())
        .settings(Settings::new().allow_http(true).time(time.clone()))
        .poll_policy(PollPolicy::default().with_jitter(0.0))
        .build()
        .unwrap();

    // The client checks a model's first bytes before sending (Roblox's preflight): a
    // made-up model starts with the binary FBX signature.
    let mut model = b"Kaydara FBX Binary  \0".to_vec();
    model.resize(2048, 7);
    let id = publish_model(&client, "Tree", model).await.unwrap();

    // The asset exists, and the fake saw what the docs say Create Asset sends.
    assert_eq!(fake.asset_count(), 1);
    assert!(!id.is_empty());
    let requests = fake.requests().await;
    let create = requests.iter().rev().find(|r| r.method == "POST").unwrap();
    let parts = parse_multipart(create.header("content-type").unwrap(), &create.body).unwrap();
    assert_eq!(parts[0].name, "request");
    assert_eq!(parts[1].name, "fileContent");
    assert_eq!(parts[1].file_name.as_deref(), Some("Tree.fbx"));
    assert_eq!(parts[1].data.len(), 2048);
    // Two 503s were retried; then the operation was polled twice (1 s, then 2 s).
    assert_eq!(time.sleeps().len(), 4);
    assert_eq!(
        time.sleeps()[2..],
        [Duration::from_secs(1), Duration::from_secs(2)]
    );
}
