//! Batches killed with SIGKILL at random moments and run again until done: every file
//! ends at the vendor exactly once, and the journal reads after every kill.
//!
//! The fakes run in this process and outlive every `assetkit` process; each upload takes
//! at least 200 ms (Webflow's S3 step, Roblox's operation, Enklu's upload answer), so
//! kills land in the middle of files.
//!
//! One window no client can close: a create the vendor accepted whose answer the kill
//! lost. Enklu's `qquuid` makes it safe (the same id again is a new version); Roblox and
//! Webflow have no idempotency key, so the CLI warns about each such file and the test
//! allows no more extra assets than warnings.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use assetkit_testkit::{
    ENKLU_APP, ENKLU_EMAIL, ENKLU_PASSWORD, FakeEnklu, FakeRoblox, FakeWebflow, Fault, RateWindow,
};

const FILES: usize = 100;
const KILLS: usize = 10;

/// A small xorshift generator, its seed printed so a failure can be replayed.
struct Random(u64);

impl Random {
    fn new() -> Self {
        let seed = std::env::var("CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                let nanos = SystemTime::now()
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos();
                u64::from(nanos) << 16 | 1
            });
        eprintln!("CRASH_SEED={seed}");
        Self(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn folder(dir: &Path, extension: &str) -> PathBuf {
    let files = dir.join("files");
    std::fs::create_dir(&files).unwrap();
    for i in 0..FILES {
        // A model starts with the FBX signature, which Roblox's preflight reads.
        let signature: &[u8] = if extension == "fbx" {
            b"Kaydara FBX Binary  \0"
        } else {
            b""
        };
        let content = [signature, format!("content of file {i}").as_bytes()].concat();
        std::fs::write(files.join(format!("file{i:03}.{extension}")), content).unwrap();
    }
    files
}

/// Every complete line of the journal is a JSON object; only the last may be torn.
fn check_journal(path: &Path) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        let parsed = serde_json::from_str::<serde_json::Value>(line);
        let torn_tail = i == lines.len() - 1 && !line.ends_with('\n');
        assert!(
            parsed.is_ok() || torn_tail,
            "line {} of the journal: {line:?}",
            i + 1
        );
    }
}

/// Runs `args` with `env`, killing it at random moments `KILLS` times, then lets it
/// finish. Returns the warnings about lost answers the runs printed.
async fn kill_and_resume(args: Vec<String>, env: Vec<(&'static str, String)>, journal: PathBuf) -> usize {
    tokio::task::spawn_blocking(move || {
        let binary = assert_cmd::cargo::cargo_bin("assetkit");
        let mut random = Random::new();
        let mut warnings = 0;
        let command = || {
            let mut command = Command::new(&binary);
            command
                .args(&args)
                .envs(env.iter().cloned())
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            command
        };
        let count = |stderr: &str| stderr.matches("stopped before its answer").count();
        for _ in 0..KILLS {
            let mut child = command().spawn().unwrap();
            std::thread::sleep(Duration::from_millis(50 + random.below(500)));
            child.kill().unwrap();
            child.wait().unwrap();
            let mut stderr = String::new();
            child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
            warnings += count(&stderr);
            check_journal(&journal);
        }
        let started = std::time::Instant::now();
        let done = command().output().unwrap();
        eprintln!("the last run took {:?}", started.elapsed());
        let stderr = String::from_utf8_lossy(&done.stderr);
        assert_eq!(done.status.code(), Some(0), "{stderr}");
        warnings + count(&stderr)
    })
    .await
    .unwrap()
}

fn common_args(journal: &Path, concurrency: usize) -> Vec<String> {
    let concurrency = concurrency.to_string();
    [
        "--no-progress",
        "--concurrency",
        &concurrency,
        "--journal",
        journal.to_str().unwrap(),
    ]
    .map(str::to_owned)
    .to_vec()
}

fn counts(names: impl IntoIterator<Item = String>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for name in names {
        *counts.entry(name).or_default() += 1;
    }
    counts
}

/// What the CLI reads to reach the Enklu fake.
fn enklu_env(fake: &FakeEnklu) -> Vec<(&'static str, String)> {
    vec![
        ("ENKLU_AUTH_URL", fake.auth_url()),
        ("ENKLU_ASSETS_URL", fake.assets_url()),
        ("ENKLU_EMAIL", ENKLU_EMAIL.to_owned()),
        ("ENKLU_PASSWORD", ENKLU_PASSWORD.to_owned()),
        ("ENKLU_APP_ID", ENKLU_APP.to_owned()),
    ]
}

fn slow(path: &str) -> Fault {
    Fault::slow(Duration::from_millis(200))
        .on_path(path)
        .times(usize::MAX)
}

#[tokio::test(flavor = "multi_thread")]
async fn enklu_batches_killed_and_resumed_make_every_asset_exactly_once() {
    let fake = FakeEnklu::start().await;
    fake.inject(slow("/v1/asset"));
    let dir = tempfile::tempdir().unwrap();
    let files = folder(dir.path(), "bin");
    let journal = dir.path().join("batch.journal");
    let mut args = common_args(&journal, 8);
    args.extend(["enklu".into(), "upload".into(), files.display().to_string()]);
    let env = enklu_env(&fake);
    kill_and_resume(args, env, journal).await;
    let counts = counts(fake.asset_names());
    assert_eq!(counts.len(), FILES, "every file, none missing");
    assert!(counts.values().all(|n| *n == 1), "no duplicate: {counts:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn webflow_batches_killed_and_resumed_make_every_asset_once() {
    let fake = FakeWebflow::start().await;
    fake.inject(slow("/s3/"));
    let dir = tempfile::tempdir().unwrap();
    let files = folder(dir.path(), "txt");
    let journal = dir.path().join("batch.journal");
    let mut args = common_args(&journal, 8);
    args.extend(["webflow".into(), "upload".into(), "--site".into(), "site1".into()]);
    args.push(files.display().to_string());
    let env = vec![
        ("WEBFLOW_TOKEN", "token".to_owned()),
        ("WEBFLOW_BASE_URL", fake.uri()),
    ];
    let warnings = kill_and_resume(args, env, journal).await;
    let names = fake.asset_names();
    let stored = counts(names.iter().filter(|(_, s)| *s).map(|(n, _)| n.clone()));
    assert_eq!(stored.len(), FILES, "every file stored");
    assert!(stored.values().all(|n| *n == 1), "none stored twice: {stored:?}");
    // Step-1 assets whose bytes never came: each one a lost answer the CLI warned about
    // (the recorded ones were deleted on resume).
    let empty = names.iter().filter(|(_, s)| !*s).count();
    eprintln!(
        "webflow: {} assets for {FILES} files, {empty} empty, {warnings} warnings",
        names.len()
    );
    assert!(empty <= warnings, "{empty} empty assets, {warnings} warnings");
}

#[tokio::test(flavor = "multi_thread")]
async fn roblox_batches_killed_and_resumed_follow_their_operations() {
    let fake = FakeRoblox::start().await;
    fake.set_polls_until_done(1);
    // Roblox answers with its rate-limit headers (without them, the client keeps to the
    // published budgets: 100 operation polls a minute would make this test wait).
    fake.rate_limit(RateWindow::new(100_000, Duration::from_secs(60)).with_reset_header());
    fake.inject(slow("/operations/"));
    let dir = tempfile::tempdir().unwrap();
    let files = folder(dir.path(), "fbx");
    let journal = dir.path().join("batch.journal");
    // Each file waits about 3 s for its two polls: more at once keeps the test short.
    let mut args = common_args(&journal, 32);
    args.extend(["roblox".into(), "upload".into(), files.display().to_string()]);
    let env = vec![
        ("ROBLOX_API_KEY", "key".to_owned()),
        ("ROBLOX_CREATOR_USER_ID", "42".to_owned()),
        ("ROBLOX_BASE_URL", fake.uri()),
    ];
    let warnings = kill_and_resume(args, env, journal).await;
    let counts = counts(fake.asset_names());
    assert_eq!(counts.len(), FILES, "every file, none missing");
    let extra: usize = counts.values().map(|n| n - 1).sum();
    eprintln!("roblox: {extra} extra assets for {FILES} files, {warnings} warnings");
    assert!(extra <= warnings, "{extra} extra assets, {warnings} warnings");
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_lets_the_files_in_flight_finish_and_exits_130() {
    let fake = FakeEnklu::start().await;
    fake.inject(slow("/v1/asset"));
    let dir = tempfile::tempdir().unwrap();
    let files = folder(dir.path(), "bin");
    let journal = dir.path().join("batch.journal");
    let mut args = common_args(&journal, 4);
    args.extend(["enklu".into(), "upload".into(), files.display().to_string()]);
    let env = enklu_env(&fake);
    let (journal_path, run_args, run_env) = (journal.clone(), args.clone(), env.clone());
    let stderr = tokio::task::spawn_blocking(move || {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("assetkit"))
            .args(&run_args)
            .envs(run_env)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(600));
        let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).unwrap());
        nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).unwrap();
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
        assert_eq!(status.code(), Some(130), "{stderr}");
        check_journal(&journal_path);
        stderr
    })
    .await
    .unwrap();
    assert!(stderr.contains("stopping: no new files"), "{stderr}");
    // The files in flight finished: every file the journal has is done.
    let text = std::fs::read_to_string(&journal).unwrap();
    let mut last = BTreeMap::new();
    for line in text.lines() {
        let event: serde_json::Value = serde_json::from_str(line).unwrap();
        if let Some(key) = event["key"].as_str() {
            last.insert(key.to_owned(), event["event"].as_str().unwrap().to_owned());
        }
    }
    assert!(
        !last.is_empty() && last.len() < FILES,
        "{} files recorded",
        last.len()
    );
    assert!(last.values().all(|e| e == "done"), "{last:?}");
    let stopped_at = fake.asset_names().len();
    assert_eq!(stopped_at, last.len());
    // And the same command finishes the rest.
    let output = tokio::task::spawn_blocking(move || {
        Command::new(assert_cmd::cargo::cargo_bin("assetkit"))
            .args(&args)
            .envs(env)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let counts = counts(fake.asset_names());
    assert_eq!(counts.len(), FILES);
    assert!(counts.values().all(|n| *n == 1));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_killed_and_run_again_converges_with_no_duplicate() {
    let fake = FakeEnklu::start().await;
    fake.inject(slow("/v1/asset"));
    let dir = tempfile::tempdir().unwrap();
    let files = folder(dir.path(), "bin");
    let manifest = dir.path().join("assetkit.lock.json");
    let args: Vec<String> = [
        "--no-progress",
        "--concurrency",
        "8",
        "sync",
        files.to_str().unwrap(),
        "--to",
        "enklu",
        "--manifest",
        manifest.to_str().unwrap(),
    ]
    .map(str::to_owned)
    .to_vec();
    let env = enklu_env(&fake);
    let journal = dir.path().join("assetkit.lock.json.journal");
    kill_and_resume(args, env, journal).await;
    let counts = counts(fake.asset_names());
    assert_eq!(counts.len(), FILES, "every file, none missing");
    assert!(counts.values().all(|n| *n == 1), "no duplicate: {counts:?}");
    // The manifest names exactly the fake's assets.
    let recorded: serde_json::Value = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    let assets = recorded["assets"].as_object().unwrap();
    assert_eq!(assets.len(), FILES);
    for (path, entry) in assets {
        let (name, _) = fake.asset(entry["id"].as_str().unwrap()).unwrap();
        assert_eq!(&name, path, "{path}");
    }
}
