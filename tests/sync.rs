//! `assetkit::sync` against the fakes: a folder of 20 files synced, then 3 changed, 2
//! added and 1 deleted, synced again with pruning, then synced a third time with nothing
//! to do. Changed files become new versions of the same asset where the vendor keeps
//! versions (Roblox Models, Enklu, Unicat); the manifest matches the fake's state.

use std::path::Path;

use assetkit::core::time::VirtualTime;
use assetkit::sync::{
    Action, Codegen, EnkluTarget, Manifest, Options, Plan, RobloxTarget, Target, UnicatTarget, WebflowTarget,
};
use assetkit::{Settings, roblox::Creator};
use assetkit_testkit::{
    ENKLU_APP, ENKLU_EMAIL, ENKLU_PASSWORD, FakeEnklu, FakeRoblox, FakeUnicat, FakeWebflow, UNICAT_API_KEY,
    UNICAT_PROJECT,
};

mod common;
use common::passes_preflight;

fn settings() -> Settings {
    Settings::new().allow_http(true).time(VirtualTime::new())
}

fn roblox_client(fake: &FakeRoblox) -> assetkit::roblox::RobloxClient {
    assetkit::roblox::RobloxClient::builder()
        .api_key("key")
        .base_url(fake.base_url())
        .settings(settings())
        .build()
        .unwrap()
}

fn webflow_client(fake: &FakeWebflow) -> assetkit::webflow::WebflowClient {
    assetkit::webflow::WebflowClient::builder()
        .bearer("token")
        .base_url(fake.base_url())
        .settings(settings())
        .build()
        .unwrap()
}

/// Writes `content` behind the signature `name`'s extension needs (Roblox's preflight reads it).
fn write(dir: &Path, name: &str, content: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, passes_preflight(name, content.as_bytes())).unwrap();
}

/// Runs the three syncs against `target`; returns the manifests' entries after each.
async fn three_syncs(target: &dyn Target, extension: &str) -> (Manifest, Vec<Plan>) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("assets");
    for i in 0..20 {
        // Some in a subfolder: manifest keys are `/`-separated paths under the root.
        let name = if i % 5 == 0 {
            format!("sub/f{i:02}.{extension}")
        } else {
            format!("f{i:02}.{extension}")
        };
        write(&root, &name, &format!("version 1 of {i}"));
    }
    let manifest_path = dir.path().join("assetkit.lock.json");
    let journal = assetkit::journal::Journal::open(&dir.path().join("sync.journal"), "target").unwrap();
    let journal = Some(&journal);
    let mut plans = Vec::new();
    let mut manifest = Manifest::open(&manifest_path, "target").unwrap();
    let plan = Plan::build(&root, &manifest, target).await.unwrap();
    assert_eq!(plan.count(Action::New), 20);
    let outcomes = plan
        .execute(target, &mut manifest, journal, Options::default())
        .await;
    assert!(outcomes.iter().all(|o| o.result.is_ok()), "{outcomes:?}");
    plans.push(plan);

    for i in [1, 2, 3] {
        write(
            &root,
            &format!("f{i:02}.{extension}"),
            &format!("version 2 of {i}"),
        );
    }
    write(&root, &format!("new1.{extension}"), "new 1");
    write(&root, &format!("new2.{extension}"), "new 2");
    std::fs::remove_file(root.join(format!("f04.{extension}"))).unwrap();
    // Reopened from disk, as the next run would.
    let mut manifest = Manifest::open(&manifest_path, "target").unwrap();
    let plan = Plan::build(&root, &manifest, target).await.unwrap();
    let outcomes = plan
        .execute(
            target,
            &mut manifest,
            journal,
            Options::default().prune(true).replace(true),
        )
        .await;
    assert!(outcomes.iter().all(|o| o.result.is_ok()), "{outcomes:?}");
    plans.push(plan);

    let mut manifest = Manifest::open(&manifest_path, "target").unwrap();
    let plan = Plan::build(&root, &manifest, target).await.unwrap();
    assert_eq!(plan.count(Action::Unchanged), 21, "{}", plan.summary());
    let outcomes = plan
        .execute(target, &mut manifest, journal, Options::default())
        .await;
    assert!(outcomes.iter().all(|o| o.result.is_ok()));
    plans.push(plan);
    let reopened = Manifest::open(&manifest_path, "target").unwrap();
    assert_eq!(
        reopened.assets(),
        manifest.assets(),
        "the manifest on disk is the state"
    );
    (reopened, plans)
}

#[tokio::test]
async fn roblox_models_get_new_versions_and_pruned_files_are_archived() {
    let fake = FakeRoblox::start().await;
    fake.set_polls_until_done(0);
    let client = roblox_client(&fake);
    let target = RobloxTarget::new(client, Creator::User(1));
    let before = fake.requests().await.len();
    let (manifest, plans) = three_syncs(&target, "fbx").await;
    let second = &plans[1];
    assert_eq!(
        (
            second.count(Action::NewVersion),
            second.count(Action::New),
            second.count(Action::Gone)
        ),
        (3, 2, 1),
        "{}",
        second.summary()
    );
    // 20 + 2 assets ever created, 21 in the manifest; the changed ones have 2 versions.
    assert_eq!(fake.asset_count(), 22);
    assert_eq!(manifest.assets().len(), 21);
    for i in [1, 2, 3] {
        let entry = manifest.get(&format!("f{i:02}.fbx")).unwrap();
        assert_eq!(fake.version_count(&entry.id), Some(2), "f{i:02}");
    }
    let entry = manifest.get("sub/f00.fbx").unwrap();
    assert_eq!(fake.version_count(&entry.id), Some(1));
    // The third sync sent nothing but what the plan needed: no request at all.
    let requests = fake.requests().await;
    let third: Vec<_> = requests
        .iter()
        .skip(before)
        .filter(|r| r.method == "POST" || r.method == "PATCH")
        .collect();
    assert_eq!(
        third.len(),
        20 + 2 + 3 + 1,
        "creates, new versions and the archive"
    );
    let luau = manifest.codegen(Codegen::Luau);
    assert!(
        luau.contains(&format!(
            "[\"f01.fbx\"] = \"rbxassetid://{}\"",
            manifest.get("f01.fbx").unwrap().id
        )),
        "{luau}"
    );
    assert_eq!(luau.matches("rbxassetid://").count(), 21);
}

#[tokio::test]
async fn enklu_changed_files_are_new_versions_of_the_same_asset() {
    let fake = FakeEnklu::start().await;
    let client = assetkit::enklu::EnkluClient::builder()
        .credentials(ENKLU_EMAIL, ENKLU_PASSWORD)
        .app_id(ENKLU_APP)
        .auth_url(fake.auth_url())
        .assets_url(fake.assets_url())
        .settings(settings())
        .build()
        .unwrap();
    let target = EnkluTarget::new(client);
    // Enklu cannot delete: no pruning in this run, so the gone file stays recorded.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("a");
    for i in 0..20 {
        write(&root, &format!("f{i:02}.bin"), &format!("v1 {i}"));
    }
    let path = dir.path().join("m.json");
    let mut manifest = Manifest::open(&path, "t").unwrap();
    let plan = Plan::build(&root, &manifest, &target).await.unwrap();
    assert!(
        plan.execute(&target, &mut manifest, None, Options::default())
            .await
            .iter()
            .all(|o| o.result.is_ok())
    );
    for i in [1, 2, 3] {
        write(&root, &format!("f{i:02}.bin"), &format!("v2 {i}"));
    }
    write(&root, "n1.bin", "n1");
    write(&root, "n2.bin", "n2");
    let plan = Plan::build(&root, &manifest, &target).await.unwrap();
    assert_eq!((plan.count(Action::NewVersion), plan.count(Action::New)), (3, 2));
    assert!(
        plan.execute(&target, &mut manifest, None, Options::default())
            .await
            .iter()
            .all(|o| o.result.is_ok())
    );
    assert_eq!(fake.asset_names().len(), 22, "no new asset for a changed file");
    for i in [1, 2, 3] {
        let id = &manifest.get(&format!("f{i:02}.bin")).unwrap().id;
        assert_eq!(fake.asset(id).unwrap().1, 2, "two versions");
    }
    std::fs::remove_file(root.join("f04.bin")).unwrap();
    let plan = Plan::build(&root, &manifest, &target).await.unwrap();
    let outcomes = plan
        .execute(&target, &mut manifest, None, Options::default().prune(true))
        .await;
    let gone = outcomes.iter().find(|o| o.action == Action::Gone).unwrap();
    assert!(gone.result.is_err(), "Enklu cannot delete: said, not hidden");
    assert!(manifest.get("f04.bin").is_some(), "kept: the asset still exists");
}

#[tokio::test]
async fn unicat_changed_files_keep_their_gid_and_pruned_files_are_deleted() {
    let fake = FakeUnicat::start().await;
    let client = assetkit::unicat::UnicatClient::builder()
        .api_key(UNICAT_API_KEY)
        .project(UNICAT_PROJECT)
        .base_url(fake.base_url())
        .settings(settings())
        .build()
        .unwrap();
    let target = UnicatTarget::new(client.clone(), assetkit::unicat::AssetRef::pathname("/products"));
    let (manifest, plans) = three_syncs(&target, "jpg").await;
    assert_eq!(
        (
            plans[1].count(Action::NewVersion),
            plans[1].count(Action::New),
            plans[1].count(Action::Gone)
        ),
        (3, 2, 1)
    );
    assert_eq!(manifest.assets().len(), 21);
    for (path, entry) in manifest.assets() {
        let name = path.rsplit('/').next().unwrap();
        assert_eq!(
            fake.gid_of(&format!("/products/{name}")).as_deref(),
            Some(entry.id.as_str()),
            "{path}"
        );
    }
    // Pruned: Unicat's delete moves the asset to its trash.
    let gone = plans[1]
        .items()
        .iter()
        .find(|i| i.action == Action::Gone)
        .unwrap();
    let id = gone.entry.as_ref().unwrap().id.clone();
    let found = client
        .assets()
        .get(assetkit::unicat::AssetSelector::gids([id]))
        .send()
        .await
        .unwrap();
    assert_eq!(found[0].status.as_deref(), Some("deleted"));
}

#[tokio::test]
async fn webflow_keeps_no_versions_so_changed_files_replace_their_assets() {
    let fake = FakeWebflow::start().await;
    let client = webflow_client(&fake);
    let target = WebflowTarget::new(client, "site");
    let (manifest, plans) = three_syncs(&target, "txt").await;
    assert_eq!(
        (
            plans[1].count(Action::Replace),
            plans[1].count(Action::New),
            plans[1].count(Action::Gone)
        ),
        (3, 2, 1)
    );
    // 20 + 2 + 3 made; 3 replaced and 1 pruned deleted.
    assert_eq!(fake.asset_count(), 21);
    assert_eq!(manifest.assets().len(), 21);
    let json: serde_json::Value = serde_json::from_str(&manifest.codegen(Codegen::Json)).unwrap();
    assert_eq!(json.as_object().unwrap().len(), 21);
}

/// Syncs `a.<extension>` and `b.<extension>` after an interrupted sync recorded only its
/// intent for `a` (its create may have gone out, its answer lost): `a` is created, with a
/// warning that a second asset may exist; `b`, never started, has none.
async fn a_lost_answer_is_warned_of(target: &dyn Target, extension: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("assets");
    let (a, b) = (format!("a.{extension}"), format!("b.{extension}"));
    write(&root, &a, "a");
    write(&root, &b, "b");
    let journal = assetkit::journal::Journal::open(&dir.path().join("sync.journal"), "target").unwrap();
    let sha = assetkit::sync::sha256_of(&root.join(&a)).await.unwrap();
    journal.intent(&a, &sha, serde_json::Map::new()).unwrap();
    let mut manifest = Manifest::open(&dir.path().join("assetkit.lock.json"), "target").unwrap();
    let plan = Plan::build(&root, &manifest, target).await.unwrap();
    let outcomes = plan
        .execute(target, &mut manifest, Some(&journal), Options::default())
        .await;
    assert!(outcomes.iter().all(|o| o.result.is_ok()), "{outcomes:?}");
    let of = |name: &str| outcomes.iter().find(|o| o.path == name).unwrap().warnings.clone();
    assert!(of(&b).is_empty(), "{:?}", of(&b));
    let warnings = of(&a);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("stopped before its answer"), "{warnings:?}");
    warnings
}

#[tokio::test]
async fn roblox_and_webflow_warn_of_a_create_whose_answer_an_interrupted_sync_lost() {
    let fake = FakeRoblox::start().await;
    fake.set_polls_until_done(0);
    let client = roblox_client(&fake);
    let warnings = a_lost_answer_is_warned_of(&RobloxTarget::new(client, Creator::User(1)), "fbx").await;
    assert!(warnings[0].contains("second asset"), "{warnings:?}");

    let fake = FakeWebflow::start().await;
    let client = webflow_client(&fake);
    let warnings = a_lost_answer_is_warned_of(&WebflowTarget::new(client, "site"), "txt").await;
    assert!(warnings[0].contains("empty asset"), "{warnings:?}");
}
