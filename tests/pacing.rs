//! Pacing against fixed-window rate limits: a batch of uploads at any concurrency stays
//! under the vendor's window instead of bouncing off it.
//!
//! Time is virtual and shared by the client and the fake's window, so the windows are real
//! (5 s, 60 s) and the test takes no real seconds; uploads take no virtual time, so the
//! wall time is the pacing alone and its floor is exact.

use std::sync::Arc;
use std::time::Duration;

use assetkit::core::time::{Clock, FixedRandom, VirtualTime};
use assetkit::roblox::{AssetType, Creator, RobloxClient};
use assetkit::webflow::WebflowClient;
use assetkit::{Settings, UploadSource};
use assetkit_testkit::{FakeRoblox, FakeWebflow, RateStats, RateWindow};
use futures::StreamExt;

mod common;
use common::passes_preflight;

/// Settings with `time` for every wait, and no jitter (a virtual sleep moves the one
/// clock, so a jittered retry would be counted as pacing).
fn virtual_settings(time: &VirtualTime) -> Settings {
    Settings::new()
        .allow_http(true)
        .time(time.clone())
        .random(Arc::new(FixedRandom(0.0)))
}

/// The wall time a perfect client needs for `files` requests at `limit` per `window`:
/// every window full, the last one only started.
fn floor(files: u64, limit: u64, window: Duration) -> Duration {
    window * u32::try_from(files.div_ceil(limit) - 1).unwrap()
}

fn check(stats: RateStats, elapsed: Duration, floor: Duration, what: &str) {
    eprintln!(
        "{what}: {:.3}x the floor ({elapsed:?} / {floor:?}), {stats:?}",
        elapsed.as_secs_f64() / floor.as_secs_f64()
    );
    assert!(
        stats.most_refused_in_a_window <= 1,
        "{what}: at most one 429 per window, got {stats:?}"
    );
    assert!(
        elapsed.as_secs_f64() <= floor.as_secs_f64() * 1.1,
        "{what}: {elapsed:?} against a floor of {floor:?}"
    );
    assert!(
        elapsed >= floor,
        "{what}: faster than the window allows: {elapsed:?}"
    );
}

#[tokio::test]
async fn webflow_uploads_at_every_concurrency_stay_in_a_window_without_a_reset_header() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<_> = (0..200)
        .map(|i| {
            let path = dir.path().join(format!("f{i}.txt"));
            std::fs::write(&path, format!("file {i}")).unwrap();
            path
        })
        .collect();
    let window = Duration::from_secs(5);
    for concurrency in [1, 8, 32, 64] {
        let fake = FakeWebflow::start().await;
        let time = VirtualTime::new();
        let clock = time.clone();
        fake.rate_limit(
            RateWindow::new(10, window)
                .except_path("/s3/")
                .with_clock(move || clock.now()),
        );
        let client = WebflowClient::builder()
            .bearer("token")
            .base_url(fake.base_url())
            .settings(virtual_settings(&time))
            .build()
            .unwrap();
        let started = time.now();
        let results: Vec<_> = futures::stream::iter(files.iter().map(|path| {
            let client = client.clone();
            async move {
                client
                    .assets()
                    .upload("site", UploadSource::path(path))
                    .send()
                    .await
            }
        }))
        .buffer_unordered(concurrency)
        .collect()
        .await;
        let failed: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
        assert!(failed.is_empty(), "concurrency {concurrency}: {failed:?}");
        assert_eq!(fake.asset_count(), 200);
        let elapsed = time.now() - started;
        check(
            fake.rate_stats(),
            elapsed,
            floor(200, 10, window),
            &format!("concurrency {concurrency}"),
        );
    }
}

#[tokio::test]
async fn roblox_creates_follow_the_reset_header_with_no_429_at_all() {
    let fake = FakeRoblox::start().await;
    fake.set_polls_until_done(0);
    let time = VirtualTime::new();
    let clock = time.clone();
    let window = Duration::from_secs(60);
    // Only the creates are limited here: the answer is done at once, so no poll is sent.
    fake.rate_limit(
        RateWindow::new(120, window)
            .with_reset_header()
            .with_clock(move || clock.now()),
    );
    let client = RobloxClient::builder()
        .api_key("key")
        .base_url(fake.base_url())
        .settings(virtual_settings(&time))
        .build()
        .unwrap();
    let started = time.now();
    let results: Vec<_> = futures::stream::iter((0..300).map(|i| {
        let client = client.clone();
        async move {
            client
                .assets()
                .create(
                    AssetType::Model,
                    format!("m{i}"),
                    UploadSource::bytes(
                        "m.fbx",
                        passes_preflight("m.fbx", format!("model {i}").as_bytes()),
                    ),
                    Creator::User(1),
                )
                .send()
                .await
        }
    }))
    .buffer_unordered(32)
    .collect()
    .await;
    assert!(results.iter().all(Result::is_ok));
    let stats = fake.rate_stats();
    assert_eq!(stats.refused, 0, "the reset header leaves no 429: {stats:?}");
    check(stats, time.now() - started, floor(300, 120, window), "roblox");
}

#[tokio::test]
async fn pacing_off_bounces_off_the_window() {
    // The reference the paced runs are measured against: the same batch unpaced.
    let fake = FakeWebflow::start().await;
    let time = VirtualTime::new();
    let clock = time.clone();
    fake.rate_limit(
        RateWindow::new(10, Duration::from_secs(5))
            .except_path("/s3/")
            .with_clock(move || clock.now()),
    );
    let client = WebflowClient::builder()
        .bearer("token")
        .base_url(fake.base_url())
        .settings(virtual_settings(&time).pacing(false))
        .build()
        .unwrap();
    let results: Vec<_> = futures::stream::iter((0..40).map(|i| {
        let client = client.clone();
        async move {
            let source = UploadSource::bytes("f.txt", format!("file {i}").into_bytes());
            client.assets().upload("site", source).send().await
        }
    }))
    .buffer_unordered(32)
    .collect()
    .await;
    let failed = results.iter().filter(|r| r.is_err()).count();
    let stats = fake.rate_stats();
    // How many then run out of retries depends on how the retries line up; the storm
    // itself does not.
    eprintln!("unpaced: {failed} of 40 failed, {stats:?}");
    assert!(stats.most_refused_in_a_window > 1, "{stats:?}");
    assert!(
        stats.refused > stats.windows,
        "more than one 429 a window: {stats:?}"
    );
}
