//! The vendor clients against the testkit's stateful fakes: whole flows through the public
//! API, and the same fault-handling expectations for every vendor.

use std::time::Duration;

use assetkit::core::time::VirtualTime;
use assetkit::{Error, PollPolicy, Settings, UploadSource};
use assetkit_testkit::{DEMO_PROJECT, FakeMediaPocket, FakeRoblox, Fault};

mod common;

fn settings(time: &VirtualTime) -> Settings {
    Settings::new().allow_http(true).time(time.clone())
}

fn exact() -> PollPolicy {
    PollPolicy::default().with_jitter(0.0)
}

mod roblox {
    use super::*;
    use crate::common::passes_preflight;
    use assetkit::roblox::{AssetType, Creator, ModerationState, RobloxClient};

    fn client(fake: &FakeRoblox, time: &VirtualTime) -> RobloxClient {
        RobloxClient::builder()
            .api_key("fake-key")
            .base_url(fake.uri())
            .settings(settings(time))
            .poll_policy(exact())
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn create_wait_get_version_rollback_archive() {
        let fake = FakeRoblox::start().await;
        fake.set_polls_until_done(3);
        let time = VirtualTime::new();
        let client = client(&fake, &time);
        let model = UploadSource::bytes("tree.fbx", passes_preflight("tree.fbx", &[1u8; 4096]));
        let operation = client
            .assets()
            .create(AssetType::Model, "Tree", model, Creator::User(42))
            .description("A tree")
            .send()
            .await
            .unwrap();
        let asset = operation.wait().await.unwrap();
        let id = asset.asset_id.clone().unwrap();
        assert_eq!(asset.display_name.as_deref(), Some("Tree"));
        assert_eq!(asset.asset_type, Some(AssetType::Model));
        assert_eq!(
            asset.moderation_result.unwrap().moderation_state,
            Some(ModerationState::Approved)
        );
        // Three "not done" answers, then done: waits of 1, 2, 4 and 8 s.
        assert_eq!(time.sleeps(), [1, 2, 4, 8].map(Duration::from_secs));

        let fetched = client.assets().get(&id).send().await.unwrap();
        assert_eq!(fetched.description.as_deref(), Some("A tree"));

        fake.set_polls_until_done(0);
        let update = client
            .assets()
            .update(AssetType::Model, &id)
            .content(UploadSource::bytes(
                "tree.fbx",
                passes_preflight("tree.fbx", &[2u8; 10]),
            ))
            .creator(Creator::User(42))
            .display_name("Tree v2")
            .send()
            .await
            .unwrap();
        let updated = update.wait().await.unwrap();
        assert_eq!(updated.display_name.as_deref(), Some("Tree v2"));
        assert_eq!(fake.version_count(id.as_str()), Some(2));

        let rolled = client.assets().rollback(&id, 1).send().await.unwrap();
        assert_eq!(rolled.version_number().ok(), Some(3));
        let versions: Vec<_> =
            futures::StreamExt::collect::<Vec<_>>(client.assets().versions(&id).page_size(1).into_stream())
                .await;
        let numbers: Vec<u64> = versions
            .into_iter()
            .map(|v| v.unwrap().version_number().unwrap())
            .collect();
        assert_eq!(numbers, vec![3, 2, 1]);

        let archived = client.assets().archive(&id).send().await.unwrap();
        assert_eq!(archived.state.map(|s| format!("{s:?}")), Some("Archived".into()));
        client.assets().restore(&id).send().await.unwrap();
        assert_eq!(fake.asset_count(), 1);
    }

    #[tokio::test]
    async fn a_failed_operation_and_faults_between_polls() {
        let fake = FakeRoblox::start().await;
        fake.set_polls_until_done(1);
        let time = VirtualTime::new();
        let client = client(&fake, &time);
        fake.inject(Fault::rate_limited(Duration::from_secs(5)).on_path("/operations/"));
        fake.inject(Fault::status(503).on_path("/operations/"));
        let operation = client
            .assets()
            .create(
                AssetType::Decal,
                "Logo",
                UploadSource::bytes("logo.png", passes_preflight("logo.png", &[0u8; 64])),
                Creator::Group(7),
            )
            .send()
            .await
            .unwrap();
        let asset = operation.wait().await.unwrap();
        assert!(asset.asset_id.is_some());

        fake.fail_next_operation("INVALID_ARGUMENT", "The image could not be read.");
        let operation = client
            .assets()
            .create(
                AssetType::Decal,
                "Broken",
                UploadSource::bytes("broken.png", passes_preflight("broken.png", &[0u8; 8])),
                Creator::User(1),
            )
            .send()
            .await
            .unwrap();
        match operation.wait().await.unwrap_err() {
            Error::OperationFailed { message, .. } => assert_eq!(message, "The image could not be read."),
            other => panic!("expected OperationFailed, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_dropped_connection_is_retried_for_a_read_but_not_for_a_create() {
        let fake = FakeRoblox::start().await;
        fake.set_polls_until_done(0);
        let time = VirtualTime::new();
        let client = client(&fake, &time);
        let operation = client
            .assets()
            .create(
                AssetType::Model,
                "Tree",
                UploadSource::bytes("tree.fbx", passes_preflight("tree.fbx", &[1u8; 64])),
                Creator::User(1),
            )
            .send()
            .await
            .unwrap();
        let id = operation.wait().await.unwrap().asset_id.unwrap();
        fake.inject(Fault::drop_connection().on_path("/v1/assets/"));
        let asset = client.assets().get(&id).send().await.unwrap();
        assert_eq!(asset.asset_id.as_ref(), Some(&id));
        // A create whose connection broke may have been acted on: it is not sent again.
        fake.inject(Fault::drop_connection().on_path("/v1/assets"));
        let err = client
            .assets()
            .create(
                AssetType::Model,
                "Tree",
                UploadSource::bytes("tree.fbx", passes_preflight("tree.fbx", &[1u8; 64])),
                Creator::User(1),
            )
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::Transport {
                    before_send: false,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(fake.asset_count(), 1);
    }

    #[tokio::test]
    async fn a_wrong_key_is_unauthorized() {
        let fake = FakeRoblox::start().await;
        fake.require_api_key("right");
        let time = VirtualTime::new();
        let err = client(&fake, &time).assets().get(1_u64).send().await.unwrap_err();
        assert!(
            matches!(err, Error::Unauthorized(ref e) if e.message == "Invalid API Key"),
            "{err:?}"
        );
    }
}

mod mediapocket {
    use super::*;
    use assetkit::mediapocket::{AssetMedia, MediaPocketClient, MediaType};

    fn client(fake: &FakeMediaPocket, time: &VirtualTime) -> MediaPocketClient {
        MediaPocketClient::builder()
            .api_key("fake-key")
            .base_url(fake.base_url())
            .settings(settings(time))
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn create_from_url_wait_update_trash_restore_delete() {
        let fake = FakeMediaPocket::start().await;
        fake.set_reads_until_processed(3);
        let time = VirtualTime::new();
        let client = client(&fake, &time);
        let created = client
            .assets()
            .create(DEMO_PROJECT, "Sample Asset")
            .tags(["sample", "test"])
            .media(AssetMedia::url(
                "https://www.example.com/jpgfile.jpg",
                "jpgfile.jpg",
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(created.media_type, MediaType::Processing);
        let done = client
            .assets()
            .wait_processed(&created.id)
            .poll_policy(exact())
            .send()
            .await
            .unwrap();
        assert_eq!(done.media_type, MediaType::Image);
        assert_eq!(time.sleeps(), [1, 2, 4].map(Duration::from_secs));

        let updated = client
            .assets()
            .update(&created.id)
            .title("Renamed")
            .send()
            .await
            .unwrap();
        assert_eq!(updated.title, "Renamed");
        client.assets().trash(&created.id).send().await.unwrap();
        client.assets().restore(&created.id).send().await.unwrap();
        client.assets().delete(&created.id).send().await.unwrap();
        assert!(matches!(
            client.assets().get(&created.id).send().await,
            Err(Error::NotFound(_))
        ));
    }

    #[tokio::test]
    async fn the_documented_failures() {
        let fake = FakeMediaPocket::start().await;
        let time = VirtualTime::new();
        let client = client(&fake, &time);
        let missing = client
            .assets()
            .create("not-found-id", "x")
            .send()
            .await
            .unwrap_err();
        assert!(matches!(missing, Error::NotFound(ref e) if e.message == "project not found"));
        // A media URL the server cannot fetch: the asset exists, and its id is not lost.
        fake.inject(Fault::with_body(
            400,
            r#"{"error":"Asset t5_jeMYGzfkYEdDNzbI9 created, adding media to asset failed: not a valid HTTP URL"}"#,
        ));
        let err = client
            .assets()
            .create(DEMO_PROJECT, "Sample Asset")
            .media(AssetMedia::url("https://www.example.com/gone.jpg", "gone.jpg"))
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.created().map(|c| c.id.as_str()), Some("t5_jeMYGzfkYEdDNzbI9"));
        // Malformed JSON is a decode error that names what it was reading.
        fake.inject(Fault::malformed_json());
        let err = client
            .assets()
            .create(DEMO_PROJECT, "x")
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    }

    #[tokio::test]
    async fn a_burst_of_503_is_retried_for_reads() {
        let fake = FakeMediaPocket::start().await;
        let time = VirtualTime::new();
        let client = client(&fake, &time);
        let created = client.assets().create(DEMO_PROJECT, "x").send().await.unwrap();
        fake.inject(Fault::status(503).times(2));
        let fetched = client.assets().get(&created.id).send().await.unwrap();
        assert_eq!(fetched.id, created.id);
        assert_eq!(fake.requests().await.len(), 4);
    }
}

mod enklu {
    use super::*;
    use assetkit::enklu::EnkluClient;
    use assetkit_testkit::{ENKLU_APP, ENKLU_EMAIL, ENKLU_PASSWORD, FakeEnklu};

    fn client(fake: &FakeEnklu, time: &VirtualTime, password: &str) -> EnkluClient {
        EnkluClient::builder()
            .credentials(ENKLU_EMAIL, password.to_owned())
            .app_id(ENKLU_APP)
            .auth_url(fake.auth_url())
            .assets_url(fake.assets_url())
            .settings(settings(time))
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn sign_in_upload_new_version_and_expired_token() {
        let fake = FakeEnklu::start().await;
        let time = VirtualTime::new();
        let client = client(&fake, &time, ENKLU_PASSWORD);
        let id = client
            .assets()
            .upload(UploadSource::bytes("tree.fbx", vec![1u8; 1000]))
            .file_name("Tree")
            .send()
            .await
            .unwrap();
        assert_eq!(fake.asset(id.as_str()), Some(("Tree".to_owned(), 1)));
        fake.expire_tokens();
        let again = client
            .assets()
            .update(&id, UploadSource::bytes("tree.fbx", vec![2u8; 10]))
            .send()
            .await
            .unwrap();
        assert_eq!(again, id);
        assert_eq!(fake.asset(id.as_str()).map(|a| a.1), Some(2));
        // One sign-in at first, one more after the tokens expired.
        assert_eq!(fake.sign_ins(), 2);
    }

    #[tokio::test]
    async fn a_wrong_password_is_refused_without_uploading() {
        let fake = FakeEnklu::start().await;
        let time = VirtualTime::new();
        let err = client(&fake, &time, "wrong")
            .assets()
            .upload(UploadSource::bytes("a.fbx", vec![0u8; 4]))
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Rejected(ref e) if e.message == "Invalid email or password."),
            "{err:?}"
        );
        assert!(
            fake.requests()
                .await
                .iter()
                .all(|r| !r.path.contains("/v1/asset"))
        );
    }
}

mod unicat {
    use super::*;
    use assetkit::unicat::{AssetRef, AssetSelector, UnicatClient};
    use assetkit_testkit::{FakeUnicat, UNICAT_API_KEY, UNICAT_PROJECT};

    fn client(fake: &FakeUnicat, time: &VirtualTime) -> UnicatClient {
        UnicatClient::builder()
            .api_key(UNICAT_API_KEY)
            .project(UNICAT_PROJECT)
            .base_url(fake.uri())
            .settings(settings(time))
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn browse_upload_update_delete_with_renewed_tokens() {
        let fake = FakeUnicat::start().await;
        let time = VirtualTime::new();
        let client = client(&fake, &time);
        let root = client.assets().root().send().await.unwrap();
        assert!(root.is_folder());
        let found = client
            .assets()
            .get(AssetSelector::pathnames(["/products/image.jpg", "/products"]))
            .send()
            .await
            .unwrap();
        let names: Vec<_> = found.iter().map(|a| a.name.clone().unwrap_or_default()).collect();
        assert_eq!(names, ["image.jpg", "products"]);

        let uploaded = client
            .assets()
            .upload(
                AssetRef::pathname("/products"),
                UploadSource::bytes("new.png", vec![7u8; 300]),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(uploaded.asset.pathname.as_deref(), Some("/products/new.png"));
        assert_eq!(uploaded.asset.file_size(), Some(300));
        let children: Vec<_> = futures::StreamExt::collect::<Vec<_>>(
            client
                .assets()
                .children(AssetRef::pathname("/products"))
                .page_size(1)
                .into_stream(),
        )
        .await;
        assert_eq!(children.len(), 2);

        let gid = uploaded.asset.gid.clone();
        let changed = client
            .assets()
            .update(&gid)
            .name("renamed.png")
            .send()
            .await
            .unwrap();
        assert_eq!(changed.asset.pathname.as_deref(), Some("/products/renamed.png"));
        client.assets().delete(&gid).send().await.unwrap();
        client.assets().undelete(&gid).send().await.unwrap();
        // Renewed JWTs were picked up; the session signed in exactly once by itself.
        let recorded = fake.requests().await;
        let tokens: std::collections::BTreeSet<_> = recorded
            .iter()
            .filter_map(|r| r.header("authorization").map(str::to_owned))
            .collect();
        assert!(tokens.len() >= 2, "expected a renewed token in use: {tokens:?}");
        assert_eq!(recorded.iter().filter(|r| r.path.ends_with("/auth")).count(), 1);
    }

    #[tokio::test]
    async fn an_unknown_asset_is_unprocessable() {
        let fake = FakeUnicat::start().await;
        let time = VirtualTime::new();
        let err = client(&fake, &time)
            .assets()
            .get(AssetSelector::pathname("/nope"))
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Unprocessable(ref e) if e.message == "Asset not found"),
            "{err:?}"
        );
    }
}

/// One suite, every vendor: the testkit's named conformance properties
/// (`assetkit_testkit::conformance`), each run through every vendor's own client against
/// its fake.
mod suite {
    use std::sync::Arc;

    use super::*;
    use assetkit::core::time::FixedRandom;
    use assetkit::enklu::EnkluClient;
    use assetkit::mediapocket::{AssetMedia, MediaPocketClient};
    use assetkit::roblox::{AssetType, Creator, RobloxClient};
    use assetkit::unicat::{AssetRef, UnicatClient};
    use assetkit::webflow::WebflowClient;
    use assetkit_testkit::conformance::Subject;
    use assetkit_testkit::{
        ENKLU_APP, ENKLU_EMAIL, ENKLU_PASSWORD, FakeEnklu, FakeServer, FakeUnicat, FakeWebflow,
        UNICAT_API_KEY, UNICAT_PROJECT,
    };

    /// Settings whose backoff is always its ceiling, so waits are exact.
    fn exact_settings(time: &VirtualTime) -> Settings {
        settings(time).random(Arc::new(FixedRandom(1.0)))
    }

    /// Every property, for one vendor: `$make` builds a fresh subject for each.
    macro_rules! properties {
        ($vendor:ident, $make:expr) => {
            mod $vendor {
                use super::*;
                use assetkit_testkit::conformance as property;

                #[tokio::test]
                async fn uploads() {
                    property::uploads(&$make).await;
                }
                #[tokio::test]
                async fn retries_503_exactly() {
                    property::retries_503_exactly(&$make).await;
                }
                #[tokio::test]
                async fn a_bare_503_on_a_create_is_not_retried() {
                    property::a_bare_503_on_a_create_is_not_retried(&$make).await;
                }
                #[tokio::test]
                async fn honours_retry_after() {
                    property::honours_retry_after(&$make).await;
                }
                #[tokio::test]
                async fn malformed_is_decode() {
                    property::malformed_is_decode(&$make).await;
                }
                #[tokio::test]
                async fn bad_credential() {
                    property::bad_credential(&$make).await;
                }
                #[tokio::test]
                async fn get_missing_is_not_found() {
                    property::get_missing_is_not_found(&$make).await;
                }
            }
        };
    }

    /// A made-up PNG: a signature and a 1×1 header (Roblox's preflight reads them), then
    /// three bytes.
    fn png(name: &str) -> UploadSource {
        UploadSource::bytes(name, crate::common::passes_preflight("a.png", &[1, 2, 3]))
    }

    struct Roblox(FakeRoblox, VirtualTime);

    impl Roblox {
        fn client(&self, key: &str) -> RobloxClient {
            RobloxClient::builder()
                .api_key(key.to_owned())
                .base_url(self.0.uri())
                .settings(exact_settings(&self.1))
                .poll_policy(exact())
                .build()
                .unwrap()
        }

        async fn upload_as(&self, key: &str, name: &str) -> assetkit::Result<String> {
            let operation = self
                .client(key)
                .assets()
                .create(AssetType::Decal, name, png(name), Creator::User(1))
                .send()
                .await?;
            Ok(operation
                .wait()
                .await?
                .asset_id
                .map(|id| id.to_string())
                .unwrap_or_default())
        }
    }

    impl Subject for Roblox {
        fn server(&self) -> &FakeServer {
            &self.0
        }
        fn time(&self) -> &VirtualTime {
            &self.1
        }
        async fn upload(&self, name: &str) -> assetkit::Result<String> {
            self.upload_as("good-key", name).await
        }
        async fn upload_with_a_bad_credential(&self) -> assetkit::Result<String> {
            self.upload_as("bad-key", "refused.png").await
        }
        async fn get(&self, id: &str) -> Option<assetkit::Result<()>> {
            Some(
                self.client("good-key")
                    .assets()
                    .get(id.to_owned())
                    .send()
                    .await
                    .map(drop),
            )
        }
        fn missing_id(&self) -> String {
            "999999999".to_owned()
        }
    }

    async fn roblox_subject() -> Roblox {
        let fake = FakeRoblox::start().await;
        fake.set_polls_until_done(0);
        fake.require_api_key("good-key");
        Roblox(fake, VirtualTime::new())
    }

    properties!(roblox, roblox_subject().await);

    struct Webflow(FakeWebflow, VirtualTime);

    impl Webflow {
        async fn upload_as(&self, token: &str, name: &str) -> assetkit::Result<String> {
            let client = WebflowClient::builder()
                .bearer(token.to_owned())
                .base_url(self.0.uri())
                .settings(exact_settings(&self.1))
                .build()?;
            Ok(client.assets().upload("site", png(name)).send().await?.asset.id)
        }
    }

    impl Subject for Webflow {
        fn server(&self) -> &FakeServer {
            &self.0
        }
        fn time(&self) -> &VirtualTime {
            &self.1
        }
        async fn upload(&self, name: &str) -> assetkit::Result<String> {
            self.upload_as("good-token", name).await
        }
        async fn upload_with_a_bad_credential(&self) -> assetkit::Result<String> {
            self.upload_as("bad-token", "refused.png").await
        }
        async fn get(&self, id: &str) -> Option<assetkit::Result<()>> {
            let client = WebflowClient::builder()
                .bearer("good-token")
                .base_url(self.0.uri())
                .settings(exact_settings(&self.1))
                .build()
                .ok()?;
            Some(client.assets().get(id).send().await.map(drop))
        }
    }

    async fn webflow_subject() -> Webflow {
        let fake = FakeWebflow::start().await;
        fake.require_token("good-token");
        Webflow(fake, VirtualTime::new())
    }

    properties!(webflow, webflow_subject().await);

    struct Enklu(FakeEnklu, VirtualTime, EnkluClient);

    impl Enklu {
        fn client(fake: &FakeEnklu, time: &VirtualTime, password: &str) -> EnkluClient {
            EnkluClient::builder()
                .credentials(ENKLU_EMAIL, password.to_owned())
                .app_id(ENKLU_APP)
                .auth_url(fake.auth_url())
                .assets_url(fake.assets_url())
                .settings(exact_settings(time))
                .build()
                .unwrap()
        }
    }

    impl Subject for Enklu {
        fn server(&self) -> &FakeServer {
            &self.0
        }
        fn time(&self) -> &VirtualTime {
            &self.1
        }
        async fn upload(&self, name: &str) -> assetkit::Result<String> {
            Ok(self.2.assets().upload(png(name)).send().await?.to_string())
        }
        async fn upload_with_a_bad_credential(&self) -> assetkit::Result<String> {
            let client = Self::client(&self.0, &self.1, "wrong password");
            Ok(client
                .assets()
                .upload(png("refused.png"))
                .send()
                .await?
                .to_string())
        }
        async fn get(&self, _id: &str) -> Option<assetkit::Result<()>> {
            None // Enklu's Assets Web API has no get endpoint.
        }
    }

    async fn enklu_subject() -> Enklu {
        let fake = FakeEnklu::start().await;
        let time = VirtualTime::new();
        let client = Enklu::client(&fake, &time, ENKLU_PASSWORD);
        Enklu(fake, time, client)
    }

    properties!(enklu, enklu_subject().await);

    struct Unicat(FakeUnicat, VirtualTime, UnicatClient);

    impl Unicat {
        fn client(fake: &FakeUnicat, time: &VirtualTime, key: &str) -> UnicatClient {
            UnicatClient::builder()
                .api_key(key.to_owned())
                .project(UNICAT_PROJECT)
                .base_url(fake.uri())
                .settings(exact_settings(time))
                .build()
                .unwrap()
        }
    }

    impl Subject for Unicat {
        fn server(&self) -> &FakeServer {
            &self.0
        }
        fn time(&self) -> &VirtualTime {
            &self.1
        }
        async fn upload(&self, name: &str) -> assetkit::Result<String> {
            Ok(self
                .2
                .assets()
                .upload(AssetRef::pathname("/products"), png(name))
                .send()
                .await?
                .asset
                .gid)
        }
        async fn upload_with_a_bad_credential(&self) -> assetkit::Result<String> {
            let client = Self::client(&self.0, &self.1, "wrong key");
            Ok(client
                .assets()
                .upload(AssetRef::pathname("/products"), png("refused.png"))
                .send()
                .await?
                .asset
                .gid)
        }
        async fn get(&self, id: &str) -> Option<assetkit::Result<()>> {
            Some(
                self.2
                    .assets()
                    .get(assetkit::unicat::AssetSelector::gid(id))
                    .send()
                    .await
                    .map(drop),
            )
        }
    }

    async fn unicat_subject() -> Unicat {
        let fake = FakeUnicat::start().await;
        let time = VirtualTime::new();
        let client = Unicat::client(&fake, &time, UNICAT_API_KEY);
        Unicat(fake, time, client)
    }

    properties!(unicat, unicat_subject().await);

    struct MediaPocket(FakeMediaPocket, VirtualTime);

    impl MediaPocket {
        async fn upload_as(&self, key: &str, name: &str) -> assetkit::Result<String> {
            let client = MediaPocketClient::builder()
                .api_key(key.to_owned())
                .base_url(self.0.base_url())
                .settings(exact_settings(&self.1))
                .build()?;
            let media = AssetMedia::url(format!("https://www.example.com/{name}"), name);
            Ok(client
                .assets()
                .create(DEMO_PROJECT, name)
                .media(media)
                .send()
                .await?
                .id)
        }
    }

    impl Subject for MediaPocket {
        fn server(&self) -> &FakeServer {
            &self.0
        }
        fn time(&self) -> &VirtualTime {
            &self.1
        }
        async fn upload(&self, name: &str) -> assetkit::Result<String> {
            self.upload_as("good-key", name).await
        }
        async fn upload_with_a_bad_credential(&self) -> assetkit::Result<String> {
            self.upload_as("bad-key", "refused.png").await
        }
        async fn get(&self, id: &str) -> Option<assetkit::Result<()>> {
            let client = MediaPocketClient::builder()
                .api_key("good-key")
                .base_url(self.0.base_url())
                .settings(exact_settings(&self.1))
                .build()
                .ok()?;
            Some(client.assets().get(id).send().await.map(drop))
        }
    }

    async fn mediapocket_subject() -> MediaPocket {
        let fake = FakeMediaPocket::start().await;
        fake.require_api_key("good-key");
        MediaPocket(fake, VirtualTime::new())
    }

    properties!(mediapocket, mediapocket_subject().await);
}

mod webflow {
    use super::*;
    use assetkit::webflow::WebflowClient;
    use assetkit_testkit::FakeWebflow;

    fn client(fake: &FakeWebflow, time: &VirtualTime) -> WebflowClient {
        WebflowClient::builder()
            .bearer("token")
            .base_url(fake.uri())
            .settings(settings(time))
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn upload_get_rename_list_delete() {
        let fake = FakeWebflow::start().await;
        let time = VirtualTime::new();
        let client = client(&fake, &time);
        let data = vec![5u8; 70_000];
        let uploaded = client
            .assets()
            .upload("site", UploadSource::bytes("photo.png", data.clone()))
            .send()
            .await
            .unwrap();
        let id = uploaded.asset.id.clone();
        assert_eq!(fake.uploaded(&id), Some(data));
        let asset = client.assets().get(&id).send().await.unwrap();
        assert_eq!(asset.size, Some(70_000));
        let renamed = client
            .assets()
            .update(&id)
            .display_name("hero.png")
            .send()
            .await
            .unwrap();
        assert_eq!(renamed.display_name.as_deref(), Some("hero.png"));
        assert_eq!(client.assets().list("site").send().await.unwrap().assets.len(), 1);
        client.assets().delete(&id).send().await.unwrap();
        assert_eq!(fake.asset_count(), 0);
    }

    #[tokio::test]
    async fn a_broken_s3_connection_is_retried_within_the_policy_but_not_over_it() {
        let fake = FakeWebflow::start().await;
        fake.set_max_upload_size(1024);
        let time = VirtualTime::new();
        let client = client(&fake, &time);

        // Within the size range: the broken connection is retried and the upload lands.
        fake.inject(Fault::drop_connection().on_path("/s3/"));
        let small = client
            .assets()
            .upload("site", UploadSource::bytes("small.png", vec![1u8; 1000]))
            .send()
            .await;
        assert!(small.is_ok(), "{small:?}");

        // Over it: sent once; the broken connection is the answer, and the asset id is kept.
        fake.inject(Fault::drop_connection().on_path("/s3/"));
        let err = client
            .assets()
            .upload("site", UploadSource::bytes("big.png", vec![1u8; 4096]))
            .send()
            .await
            .unwrap_err();
        let created = err.created().cloned().unwrap();
        assert!(
            matches!(err, Error::PartialFailure { ref source, .. } if matches!(**source, Error::Transport { .. })),
            "{err:?}"
        );
        assert!(fake.uploaded(&created.id).is_none());

        // And without a break, S3 itself refuses it with EntityTooLarge.
        let err = client
            .assets()
            .upload("site", UploadSource::bytes("big.png", vec![1u8; 4096]))
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            err.api_error().and_then(|e| e.code.as_deref()),
            Some("EntityTooLarge")
        );
        assert!(err.created().is_some());
    }
}
