//! The `assetkit` binary against the testkit's fake servers: batches, the journal,
//! fatal errors, exit codes and JSON output.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use assetkit_testkit::{FakeMediaPocket, FakeRoblox, FakeUnicat, FakeWebflow};
use serde_json::Value;

/// Runs the binary with `env` set (and nothing else of the vendors' variables inherited).
async fn run(args: Vec<String>, env: Vec<(&'static str, String)>) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut command = Command::cargo_bin("assetkit").unwrap();
        for name in [
            "ROBLOX_API_KEY",
            "ROBLOX_CREATOR_USER_ID",
            "ROBLOX_CREATOR_GROUP_ID",
            "ROBLOX_BASE_URL",
            "WEBFLOW_TOKEN",
            "WEBFLOW_SITE_ID",
            "WEBFLOW_BASE_URL",
            "UNICAT_API_KEY",
            "UNICAT_PROJECT",
            "UNICAT_BASE_URL",
        ] {
            command.env_remove(name);
        }
        command.args(&args).envs(env).output().unwrap()
    })
    .await
    .unwrap()
}

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// The binary FBX signature, which Roblox's preflight reads before sending a model.
const FBX: &[u8] = b"Kaydara FBX Binary  \0";

/// A PNG signature and a 1×1 IHDR, for the same reason.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53\xde";

/// A made-up model: `text` behind the FBX signature.
fn model(text: &[u8]) -> Vec<u8> {
    [FBX, text].concat()
}

/// Made-up files of 1000 + i bytes, models and images starting with their signature.
fn files(dir: &Path, names: &[&str]) {
    for (i, name) in names.iter().enumerate() {
        let mut content = vec![u8::try_from(i).unwrap(); 1000 + i];
        let signature = match Path::new(name).extension().and_then(|e| e.to_str()) {
            Some("fbx") => FBX,
            Some("png") => PNG,
            _ => b"",
        };
        content[..signature.len()].copy_from_slice(signature);
        std::fs::write(dir.join(name), content).unwrap();
    }
}

fn roblox_env(fake: &FakeRoblox, key: &str) -> Vec<(&'static str, String)> {
    vec![
        ("ROBLOX_API_KEY", key.to_owned()),
        ("ROBLOX_CREATOR_USER_ID", "42".to_owned()),
        ("ROBLOX_BASE_URL", fake.uri()),
    ]
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_resumes_from_its_journal() {
    let fake = FakeRoblox::start().await;
    fake.set_polls_until_done(0);
    let dir = tempfile::tempdir().unwrap();
    let assets = dir.path().join("assets");
    std::fs::create_dir(&assets).unwrap();
    files(&assets, &["a.fbx", "b.fbx", "c.png"]);
    let lock = dir.path().join("assetkit.journal");
    let command = args(&[
        "--json",
        "--journal",
        lock.to_str().unwrap(),
        "roblox",
        "upload",
        assets.to_str().unwrap(),
    ]);

    let first = run(command.clone(), roblox_env(&fake, "k")).await;
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let report = json_of(&first);
    assert_eq!(
        (report["uploaded"].as_u64(), report["skipped"].as_u64()),
        (Some(3), Some(0))
    );
    assert_eq!(fake.asset_count(), 3);

    // A changed file is uploaded again; unchanged ones are skipped.
    std::fs::write(assets.join("b.fbx"), model(b"changed content")).unwrap();
    let second = run(command, roblox_env(&fake, "k")).await;
    assert_eq!(second.status.code(), Some(0));
    let report = json_of(&second);
    assert_eq!(
        (report["uploaded"].as_u64(), report["skipped"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(fake.asset_count(), 4);
    // One line of JSON per event; the last event of every file is `done`.
    let mut last = std::collections::BTreeMap::new();
    for line in std::fs::read_to_string(&lock).unwrap().lines() {
        let event: Value = serde_json::from_str(line).unwrap();
        if let Some(key) = event["key"].as_str() {
            last.insert(key.to_owned(), event["event"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(last.len(), 3, "{last:?}");
    assert!(last.values().all(|e| e == "done"), "{last:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_key_stops_the_batch_with_exit_code_3() {
    let fake = FakeRoblox::start().await;
    fake.require_api_key("the-right-key");
    let dir = tempfile::tempdir().unwrap();
    files(dir.path(), &["a.fbx", "b.fbx", "c.fbx", "d.fbx"]);
    let output = run(
        args(&[
            "--json",
            "--concurrency",
            "1",
            "roblox",
            "upload",
            dir.path().to_str().unwrap(),
        ]),
        roblox_env(&fake, "a-wrong-key"),
    )
    .await;
    assert_eq!(output.status.code(), Some(3));
    let report = json_of(&output);
    assert_eq!(report["uploaded"].as_u64(), Some(0));
    assert_eq!(report["not_started"].as_u64(), Some(3), "{report}");
    assert!(report["fatal"].as_str().unwrap().contains("Invalid API Key"));
    assert_eq!(fake.requests().await.len(), 1);
    // The key never shows in the output.
    assert!(!String::from_utf8_lossy(&output.stdout).contains("a-wrong-key"));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("a-wrong-key"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_file_fails_alone_with_exit_code_1() {
    let fake = FakeRoblox::start().await;
    fake.set_polls_until_done(0);
    let dir = tempfile::tempdir().unwrap();
    files(dir.path(), &["good.fbx", "notes.txt"]);
    let output = run(
        args(&["--json", "roblox", "upload", dir.path().to_str().unwrap()]),
        roblox_env(&fake, "k"),
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    let report = json_of(&output);
    assert_eq!(
        (report["uploaded"].as_u64(), report["failed"].as_u64()),
        (Some(1), Some(1))
    );
    let failed = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["status"] == "failed")
        .unwrap();
    assert!(failed["path"].as_str().unwrap().ends_with("notes.txt"));
    assert!(failed["error"].as_str().unwrap().contains("--type"), "{failed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn moderation_rejection_is_fatal_with_exit_code_6() {
    let fake = FakeRoblox::start().await;
    fake.set_polls_until_done(0);
    fake.set_moderation_state("MODERATION_STATE_REJECTED");
    let dir = tempfile::tempdir().unwrap();
    files(dir.path(), &["a.fbx", "b.fbx"]);
    let output = run(
        args(&[
            "--json",
            "--concurrency",
            "1",
            "roblox",
            "upload",
            dir.path().to_str().unwrap(),
        ]),
        roblox_env(&fake, "k"),
    )
    .await;
    assert_eq!(output.status.code(), Some(6));
    assert_eq!(json_of(&output)["not_started"].as_u64(), Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_credentials_say_what_to_set() {
    let output = run(args(&["roblox", "get", "1"]), Vec::new()).await;
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ROBLOX_API_KEY is not set"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn webflow_upload_and_get_in_json() {
    let fake = FakeWebflow::start().await;
    let dir = tempfile::tempdir().unwrap();
    files(dir.path(), &["photo.png"]);
    let env = vec![
        ("WEBFLOW_TOKEN", "t".to_owned()),
        ("WEBFLOW_SITE_ID", "site1".to_owned()),
    ];
    let base = fake.uri();
    let output = run(
        args(&[
            "--json",
            "--base-url",
            &base,
            "webflow",
            "upload",
            dir.path().join("photo.png").to_str().unwrap(),
        ]),
        env.clone(),
    )
    .await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let id = json_of(&output)["files"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(fake.uploaded(&id).map(|b| b.len()), Some(1000));
    let shown = run(args(&["--json", "--base-url", &base, "webflow", "get", &id]), env).await;
    assert_eq!(json_of(&shown)["size"].as_u64(), Some(1000));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_asset_exits_1_and_says_not_found() {
    let fake = FakeMediaPocket::start().await;
    let env = vec![
        ("MEDIAPOCKET_API_KEY", "k".to_owned()),
        ("MEDIAPOCKET_BASE_URL", fake.base_url()),
    ];
    let output = run(args(&["mediapocket", "get", "nope"]), env).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not found"));
}

#[tokio::test(flavor = "multi_thread")]
async fn every_command_has_help() {
    for command in [
        vec!["--help"],
        vec!["roblox", "upload", "--help"],
        vec!["webflow", "create-folder", "--help"],
        vec!["enklu", "upload", "--help"],
        vec!["unicat", "list", "--help"],
        vec!["mediapocket", "create", "--help"],
    ] {
        let output = run(args(&command), Vec::new()).await;
        assert_eq!(output.status.code(), Some(0), "{command:?}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("Usage: assetkit"),
            "{command:?}"
        );
    }
    let wrong = run(args(&["roblox", "teleport"]), Vec::new()).await;
    assert_eq!(wrong.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn mock_mode_needs_no_credentials() {
    let dir = tempfile::tempdir().unwrap();
    files(dir.path(), &["a.fbx"]);
    for command in [
        vec!["--mock", "--json", "enklu", "upload"],
        vec!["--mock", "--json", "unicat", "upload", "--to", "/products"],
        vec!["--mock", "--json", "webflow", "upload"],
    ] {
        let mut command = args(&command);
        command.push(dir.path().join("a.fbx").to_string_lossy().into_owned());
        let output = run(command.clone(), Vec::new()).await;
        assert_eq!(
            output.status.code(),
            Some(0),
            "{command:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(json_of(&output)["uploaded"].as_u64(), Some(1));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_to_another_host_is_refused_and_errors_show_their_causes() {
    // Not loopback: refused before anything is sent, unless told.
    let out = run(
        args(&["--base-url", "http://assets.example.com", "roblox", "get", "1"]),
        vec![("ROBLOX_API_KEY", "k".to_owned())],
    )
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("not loopback"), "{stderr}");
    assert!(
        stderr.contains("--danger-accept-plain-http") || stderr.contains("danger_accept_plain_http"),
        "{stderr}"
    );

    // A refused connection on loopback: the cause chain is printed, and no secret.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = run(
        args(&[
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
            "roblox",
            "get",
            "1",
        ]),
        vec![("ROBLOX_API_KEY", "secret-key-123".to_owned())],
    )
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("caused by:"), "{stderr}");
    assert!(!stderr.contains("secret-key-123"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn rollback_help_and_a_mock_rollback_do_not_panic() {
    let out = run(args(&["roblox", "rollback", "--help"]), Vec::new()).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("VERSION"));
    let out = run(
        args(&["--mock", "roblox", "rollback", "1000001", "1"]),
        Vec::new(),
    )
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn json_names_what_was_created_when_a_later_step_fails() {
    let fake = FakeWebflow::start().await;
    // Step 1 creates the asset; the S3 step is refused.
    fake.inject(assetkit_testkit::Fault::status(403).on_path("/s3/"));
    let dir = tempfile::tempdir().unwrap();
    files(dir.path(), &["photo.png"]);
    let base = fake.uri();
    let output = run(
        args(&[
            "--json",
            "--base-url",
            &base,
            "webflow",
            "upload",
            dir.path().join("photo.png").to_str().unwrap(),
        ]),
        vec![
            ("WEBFLOW_TOKEN", "t".to_owned()),
            ("WEBFLOW_SITE_ID", "site1".to_owned()),
        ],
    )
    .await;
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json = json_of(&output);
    let file = &json["files"][0];
    assert_eq!(file["status"], "failed", "{json}");
    assert_eq!(file["created"]["vendor"], "webflow", "{json}");
    assert_eq!(file["created"]["kind"], "asset", "{json}");
    assert!(
        file["created"]["id"].as_str().is_some_and(|id| !id.is_empty()),
        "{json}"
    );
    assert!(file["report"].as_str().unwrap().contains("caused by"), "{json}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_uploads_new_files_versions_changed_ones_prunes_and_then_sends_nothing() {
    let fake = FakeRoblox::start().await;
    fake.set_polls_until_done(0);
    let dir = tempfile::tempdir().unwrap();
    let assets = dir.path().join("assets");
    std::fs::create_dir(&assets).unwrap();
    let names: Vec<String> = (0..20).map(|i| format!("m{i:02}.fbx")).collect();
    files(&assets, &names.iter().map(String::as_str).collect::<Vec<_>>());
    let manifest = dir.path().join("assetkit.lock.json");
    let codegen = dir.path().join("assets.json");
    let sync = |extra: &[&str]| {
        let mut list = vec![
            "--json",
            "--no-progress",
            "sync",
            assets.to_str().unwrap(),
            "--to",
            "roblox",
            "--manifest",
            manifest.to_str().unwrap(),
            "--codegen",
            "json",
            codegen.to_str().unwrap(),
        ];
        list.extend_from_slice(extra);
        args(&list)
    };
    let first = run(sync(&[]), roblox_env(&fake, "k")).await;
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert_eq!(
        json_of(&first)["summary"],
        "20 new, 0 new versions, 0 replaced, 0 unchanged, 0 gone"
    );
    assert_eq!(fake.asset_count(), 20);

    for name in ["m01.fbx", "m02.fbx", "m03.fbx"] {
        std::fs::write(assets.join(name), model(b"a new version")).unwrap();
    }
    std::fs::write(assets.join("n1.fbx"), model(b"new one")).unwrap();
    std::fs::write(assets.join("n2.fbx"), model(b"new two")).unwrap();
    std::fs::remove_file(assets.join("m04.fbx")).unwrap();
    let plan = run(sync(&["--dry-run"]), roblox_env(&fake, "k")).await;
    assert_eq!(
        json_of(&plan)["summary"],
        "2 new, 3 new versions, 0 replaced, 16 unchanged, 1 gone"
    );
    assert_eq!(fake.asset_count(), 20, "a dry run sends nothing");
    let second = run(sync(&["--prune"]), roblox_env(&fake, "k")).await;
    assert_eq!(
        second.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert_eq!(fake.asset_count(), 22, "3 new versions, 2 new assets");

    let before = fake.requests().await.len();
    let third = run(sync(&[]), roblox_env(&fake, "k")).await;
    assert_eq!(
        json_of(&third)["summary"],
        "0 new, 0 new versions, 0 replaced, 21 unchanged, 0 gone"
    );
    assert_eq!(
        fake.requests().await.len(),
        before,
        "nothing to confirm, nothing sent"
    );

    // The manifest and the codegen match the fake.
    let manifest: Value = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    let recorded = manifest["assets"].as_object().unwrap();
    assert_eq!(recorded.len(), 21);
    assert!(recorded.get("m04.fbx").is_none());
    for name in ["m01.fbx", "m02.fbx", "m03.fbx"] {
        let id = recorded[name]["id"].as_str().unwrap();
        assert_eq!(fake.version_count(id), Some(2), "{name}");
    }
    let generated: Value = serde_json::from_slice(&std::fs::read(&codegen).unwrap()).unwrap();
    for (path, entry) in recorded {
        assert_eq!(
            generated[path],
            format!("rbxassetid://{}", entry["id"].as_str().unwrap()),
            "{path}"
        );
    }
}

/// The `assetkit-fake` binary, built if this test run has not built it yet.
fn fake_binary() -> std::path::PathBuf {
    // Beside this test's own binary (`target/<profile>/deps/..`), in the profile's
    // folder; another package's binary has no `CARGO_BIN_EXE_` variable here.
    let exe = std::env::current_exe().unwrap();
    let profile = exe.parent().and_then(std::path::Path::parent).unwrap();
    let path = profile.join(format!("assetkit-fake{}", std::env::consts::EXE_SUFFIX));
    if !path.exists() {
        let status = std::process::Command::new(env!("CARGO"))
            .args([
                "build",
                "-p",
                "assetkit-testkit",
                "--features",
                "server",
                "--bin",
                "assetkit-fake",
            ])
            .status()
            .unwrap();
        assert!(status.success(), "cannot build assetkit-fake");
    }
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_syncs_against_a_fake_running_as_its_own_process() {
    use std::io::BufRead;
    let binary = tokio::task::spawn_blocking(fake_binary).await.unwrap();
    let mut server = std::process::Command::new(binary)
        .arg("roblox")
        .args(["--polls-until-done", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    let announced: Value = serde_json::from_str(&first_line).unwrap();
    let env: Vec<(&'static str, String)> = ["ROBLOX_BASE_URL", "ROBLOX_API_KEY", "ROBLOX_CREATOR_USER_ID"]
        .into_iter()
        .map(|name| (name, announced["env"][name].as_str().unwrap().to_owned()))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let assets = dir.path().join("assets");
    std::fs::create_dir(&assets).unwrap();
    files(&assets, &["a.fbx", "b.fbx"]);
    let manifest = dir.path().join("m.json");
    let sync = args(&[
        "--json",
        "sync",
        assets.to_str().unwrap(),
        "--to",
        "roblox",
        "--manifest",
        manifest.to_str().unwrap(),
    ]);
    let first = run(sync.clone(), env.clone()).await;
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    std::fs::write(assets.join("a.fbx"), model(b"changed")).unwrap();
    // Another process, the same fake: the change is a new version of the same asset.
    let second = run(sync, env.clone()).await;
    assert_eq!(
        json_of(&second)["summary"],
        "0 new, 1 new versions, 0 replaced, 1 unchanged, 0 gone"
    );
    let recorded: Value = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    let id = recorded["assets"]["a.fbx"]["id"].as_str().unwrap().to_owned();
    let versions = run(args(&["--json", "roblox", "versions", &id]), env).await;
    assert_eq!(json_of(&versions).as_array().unwrap().len(), 2);
    let _ = server.kill();
    let _ = server.wait();
}

#[tokio::test(flavor = "multi_thread")]
async fn roblox_download_writes_what_was_uploaded_for_each_version() {
    let fake = FakeRoblox::start().await;
    fake.set_polls_until_done(0);
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree.fbx");
    let version_one = model(b"version one");
    std::fs::write(&tree, &version_one).unwrap();
    let upload = run(
        args(&[
            "--json",
            "--no-progress",
            "roblox",
            "upload",
            tree.to_str().unwrap(),
        ]),
        roblox_env(&fake, "k"),
    )
    .await;
    assert_eq!(
        upload.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&upload.stderr)
    );
    let id = json_of(&upload)["files"][0]["id"].as_str().unwrap().to_owned();
    let out = dir.path().join("back.fbx");
    let download = run(
        args(&[
            "--json",
            "roblox",
            "download",
            &id,
            "-o",
            out.to_str().unwrap(),
            "--asset-version",
            "1",
        ]),
        roblox_env(&fake, "k"),
    )
    .await;
    assert_eq!(
        download.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&download.stdout)
    );
    assert_eq!(json_of(&download)["bytes"], version_one.len());
    assert_eq!(std::fs::read(&out).unwrap(), version_one);
    let missing = run(
        args(&[
            "roblox",
            "download",
            &id,
            "-o",
            out.to_str().unwrap(),
            "--asset-version",
            "9",
        ]),
        roblox_env(&fake, "k"),
    )
    .await;
    assert_eq!(missing.status.code(), Some(1), "a missing version exits 1");
    assert_eq!(
        std::fs::read(&out).unwrap(),
        version_one,
        "the file is left as it was"
    );
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `dup/a/logo.png`, `dup/b/logo.png` and two hidden entries.
fn clashing_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["a", "b", ".git"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
    }
    std::fs::write(dir.path().join("a/logo.png"), b"first").unwrap();
    std::fs::write(dir.path().join("b/logo.png"), b"second").unwrap();
    std::fs::write(dir.path().join(".DS_Store"), b"junk").unwrap();
    std::fs::write(dir.path().join(".git/HEAD"), b"junk").unwrap();
    dir
}

fn unicat_env(fake: &FakeUnicat) -> Vec<(&'static str, String)> {
    vec![
        ("UNICAT_API_KEY", assetkit_testkit::UNICAT_API_KEY.to_owned()),
        ("UNICAT_PROJECT", assetkit_testkit::UNICAT_PROJECT.to_owned()),
        ("UNICAT_BASE_URL", fake.uri()),
    ]
}

fn webflow_env(fake: &FakeWebflow) -> Vec<(&'static str, String)> {
    vec![
        ("WEBFLOW_TOKEN", "t".to_owned()),
        ("WEBFLOW_SITE_ID", "site".to_owned()),
        ("WEBFLOW_BASE_URL", fake.base_url()),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn two_files_that_would_share_a_name_are_refused_before_anything_is_sent() {
    let tree = clashing_tree();
    let root = tree.path().to_str().unwrap();
    let roblox = FakeRoblox::start().await;
    let out = run(args(&["roblox", "upload", root]), roblox_env(&roblox, "k")).await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(
        text.contains("a/logo.png") && text.contains("b/logo.png") && text.contains("\"logo\""),
        "{text}"
    );
    assert!(roblox.requests().await.is_empty());
    // Webflow flattens unless asked to keep folders.
    let webflow = FakeWebflow::start().await;
    let out = run(args(&["webflow", "upload", root]), webflow_env(&webflow)).await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("\"logo.png\""), "{}", stderr(&out));
    assert_eq!(webflow.asset_count(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn unicat_keeps_the_folder_structure_and_skips_hidden_files_with_a_note() {
    let tree = clashing_tree();
    let fake = FakeUnicat::start().await;
    let out = run(
        args(&[
            "--json",
            "unicat",
            "upload",
            tree.path().to_str().unwrap(),
            "--to",
            "/products",
        ]),
        unicat_env(&fake),
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json_of(&out)["uploaded"].as_u64(), Some(2));
    let (a, b) = (
        fake.gid_of("/products/a/logo.png").expect("a/logo.png"),
        fake.gid_of("/products/b/logo.png").expect("b/logo.png"),
    );
    assert_ne!(a, b);
    assert!(fake.gid_of("/products/.DS_Store").is_none());
    assert!(fake.gid_of("/products/.git").is_none());
    // The --json run says nothing on stderr but what a person needs; text mode notes the
    // hidden entries.
    let again = run(
        args(&[
            "unicat",
            "upload",
            tree.path().to_str().unwrap(),
            "--to",
            "/products",
        ]),
        unicat_env(&fake),
    )
    .await;
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("hidden entries are not uploaded"),
        "{}",
        stderr(&again)
    );
    // The second run found the folders the first one made: still one of each.
    assert!(fake.gid_of("/products/a").is_some());
    let children = run(
        args(&["--json", "unicat", "list", "/products"]),
        unicat_env(&fake),
    )
    .await;
    let names: Vec<String> = json_of(&children)
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["name"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(names.iter().filter(|n| *n == "a").count(), 1, "{names:?}");
    assert_eq!(names.iter().filter(|n| *n == "b").count(), 1, "{names:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn webflow_keeps_subfolders_as_asset_folders_when_asked() {
    let tree = clashing_tree();
    let fake = FakeWebflow::start().await;
    let out = run(
        args(&[
            "--json",
            "webflow",
            "upload",
            "--folders",
            tree.path().to_str().unwrap(),
        ]),
        webflow_env(&fake),
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let ids: Vec<String> = json_of(&out)["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2);
    let folders = run(args(&["--json", "webflow", "folders"]), webflow_env(&fake)).await;
    let folders = json_of(&folders);
    let folders = folders.as_array().unwrap();
    for (name, id) in [("a", &ids[0]), ("b", &ids[1])] {
        let folder = folders
            .iter()
            .find(|f| f["displayName"] == name)
            .unwrap_or_else(|| panic!("no folder {name}: {folders:?}"));
        assert_eq!(folder["assets"], serde_json::json!([id]), "{folder}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_codes_and_hints_follow_the_table() {
    let dir = tempfile::tempdir().unwrap();
    files(dir.path(), &["good.fbx", "notes.txt"]);
    let only_bad = tempfile::tempdir().unwrap();
    files(only_bad.path(), &["notes.txt"]);
    let roblox = FakeRoblox::start().await;
    roblox.set_polls_until_done(0);

    // A missing setting is 2, a missing credential 3.
    let out = run(
        args(&["roblox", "upload", dir.path().to_str().unwrap()]),
        vec![("ROBLOX_API_KEY", "k".to_owned())],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("ROBLOX_CREATOR_USER_ID"));
    let out = run(
        args(&["unicat", "list"]),
        vec![("UNICAT_API_KEY", "k".to_owned())],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("UNICAT_PROJECT is not set"));
    let out = run(args(&["unicat", "list"]), Vec::new()).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));

    // Every file refused before sending: 4, and no journal hint (it cannot help).
    let out = run(
        args(&["roblox", "upload", only_bad.path().to_str().unwrap()]),
        roblox_env(&roblox, "k"),
    )
    .await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(!stderr(&out).contains("journal"), "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing was sent"), "{}", stderr(&out));
    // Some done, some refused: 1, with the hint for the refused ones.
    let out = run(
        args(&["roblox", "upload", dir.path().to_str().unwrap()]),
        roblox_env(&roblox, "k"),
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!stderr(&out).contains("journal"), "{}", stderr(&out));

    // Nothing listening: 5 in a batch as in a single command; the journal hint only
    // with a journal.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let gone = vec![
        ("ROBLOX_API_KEY", "k".to_owned()),
        ("ROBLOX_CREATOR_USER_ID", "1".to_owned()),
        ("ROBLOX_BASE_URL", format!("http://127.0.0.1:{port}")),
    ];
    let out = run(args(&["roblox", "get", "1"]), gone.clone()).await;
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(!stderr(&out).contains("journal"), "{}", stderr(&out));
    assert!(stderr(&out).contains("caused by:"), "{}", stderr(&out));
    let models = tempfile::tempdir().unwrap();
    files(models.path(), &["a.fbx", "b.fbx"]);
    let journal = models.path().join("up.journal");
    let out = run(
        args(&[
            "--journal",
            journal.to_str().unwrap(),
            "roblox",
            "upload",
            models.path().join("a.fbx").to_str().unwrap(),
            models.path().join("b.fbx").to_str().unwrap(),
        ]),
        gone,
    )
    .await;
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("finished files are skipped"),
        "{}",
        stderr(&out)
    );

    // Not found is not "content refused".
    let unicat = FakeUnicat::start().await;
    let out = run(args(&["unicat", "delete", "no-such-gid"]), unicat_env(&unicat)).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!stderr(&out).contains("refused this content"), "{}", stderr(&out));

    // --mock with --base-url is a bad command line.
    let out = run(
        args(&["--mock", "--base-url", "http://127.0.0.1:1", "roblox", "get", "1"]),
        Vec::new(),
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sample_folder_uploads_as_the_readme_says_and_a_mock_journal_resumes() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples");
    let models = samples.join("models");
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("up.journal");
    let command = |json: bool| {
        let mut list = vec![
            "--mock".to_owned(),
            "--journal".to_owned(),
            journal.to_string_lossy().into_owned(),
        ];
        if json {
            list.push("--json".to_owned());
        }
        list.extend(args(&["roblox", "upload"]));
        list.push(models.to_string_lossy().into_owned());
        list
    };
    let first = run(command(true), Vec::new()).await;
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(json_of(&first)["uploaded"].as_u64(), Some(2));
    // A second --mock run gets a fake on another port: the journal is still its own.
    let second = run(command(true), Vec::new()).await;
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert_eq!(json_of(&second)["skipped"].as_u64(), Some(2));
    for command in [
        vec!["--mock", "webflow", "upload", "images"],
        vec!["--mock", "unicat", "upload", ".", "--to", "/products"],
    ] {
        let mut command = args(&command);
        let last = command.iter().position(|a| a == "images" || a == ".").unwrap();
        command[last] = samples.join(&command[last]).to_string_lossy().into_owned();
        let out = run(command.clone(), Vec::new()).await;
        assert_eq!(out.status.code(), Some(0), "{command:?}: {}", stderr(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("uploaded"),
            "{command:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn webflow_and_unicat_download_what_was_uploaded() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("logo.png");
    std::fs::write(&source, b"\x89PNG\r\n\x1a\nnot really an image").unwrap();
    let webflow = FakeWebflow::start().await;
    let unicat = FakeUnicat::start().await;
    let cases = [
        (vec!["webflow", "upload"], webflow_env(&webflow)),
        (vec!["unicat", "upload", "--to", "/products"], unicat_env(&unicat)),
    ];
    for (upload, env) in cases {
        let mut command = args(&["--json"]);
        command.extend(args(&upload));
        command.push(source.to_string_lossy().into_owned());
        let out = run(command, env.clone()).await;
        assert_eq!(out.status.code(), Some(0), "{upload:?}: {}", stderr(&out));
        let id = json_of(&out)["files"][0]["id"].as_str().unwrap().to_owned();
        let target = dir.path().join(format!("{}.png", upload[0]));
        let out = run(
            args(&[
                "--json",
                upload[0],
                "download",
                &id,
                "-o",
                target.to_str().unwrap(),
            ]),
            env,
        )
        .await;
        assert_eq!(out.status.code(), Some(0), "{upload:?}: {}", stderr(&out));
        assert_eq!(json_of(&out)["bytes"].as_u64(), Some(27));
        assert_eq!(std::fs::read(&target).unwrap(), std::fs::read(&source).unwrap());
    }
    // Unicat also takes the pathname.
    let target = dir.path().join("by-path.png");
    let out = run(
        args(&[
            "unicat",
            "download",
            "/products/logo.png",
            "-o",
            target.to_str().unwrap(),
        ]),
        unicat_env(&unicat),
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read(&target).unwrap(), std::fs::read(&source).unwrap());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_the_preflight_refuses_is_sent_only_when_asked() {
    let fake = FakeRoblox::start().await;
    fake.set_polls_until_done(0);
    let dir = tempfile::tempdir().unwrap();
    // A ".png" that is no PNG: refused before anything is sent, exit 4.
    std::fs::write(dir.path().join("logo.png"), b"GIF89a, not a png").unwrap();
    let file = dir.path().join("logo.png").to_string_lossy().into_owned();
    let out = run(args(&["roblox", "upload", &file]), roblox_env(&fake, "k")).await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(fake.requests().await.is_empty());
    let out = run(
        args(&["--json", "roblox", "upload", "--skip-preflight", &file]),
        roblox_env(&fake, "k"),
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json_of(&out)["uploaded"].as_u64(), Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn media_pocket_downloads_media() {
    // The file is served by a fake Webflow's CDN; Media Pocket's fake hands out the URL it
    // fetched the media from.
    let webflow = FakeWebflow::start().await;
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("photo.jpg");
    std::fs::write(&source, b"\xff\xd8\xff a jpeg's worth of bytes").unwrap();
    let out = run(
        args(&["--json", "webflow", "upload", source.to_str().unwrap()]),
        webflow_env(&webflow),
    )
    .await;
    let hosted = json_of(&out)["files"][0]["detail"].as_str().unwrap().to_owned();
    let pocket = FakeMediaPocket::start().await;
    pocket.set_reads_until_processed(0);
    let env = vec![
        ("MEDIAPOCKET_API_KEY", "k".to_owned()),
        ("MEDIAPOCKET_BASE_URL", pocket.base_url()),
        ("MEDIAPOCKET_PROJECT", assetkit_testkit::DEMO_PROJECT.to_owned()),
    ];
    let out = run(
        args(&[
            "--json",
            "mediapocket",
            "create",
            "--title",
            "Photo",
            "--url",
            &hosted,
        ]),
        env.clone(),
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let id = json_of(&out)["id"].as_str().unwrap().to_owned();
    let target = dir.path().join("copy.jpg");
    let out = run(
        args(&[
            "mediapocket",
            "download",
            &id,
            "1",
            "-o",
            target.to_str().unwrap(),
        ]),
        env.clone(),
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(std::fs::read(&target).unwrap(), std::fs::read(&source).unwrap());
    // An unknown media id is not found (1), and nothing is written.
    let missing = dir.path().join("missing.jpg");
    let out = run(
        args(&[
            "mediapocket",
            "download",
            &id,
            "9",
            "-o",
            missing.to_str().unwrap(),
        ]),
        env,
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!missing.exists());
}
