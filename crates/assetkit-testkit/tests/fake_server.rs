//! `assetkit-fake` as a separate process: its first line names the base URL and the
//! environment the CLI needs, its state lasts across connections, and its flags set
//! faults.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

struct Fake {
    child: Child,
    line: Value,
}

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Fake {
    let mut child = Command::new(env!("CARGO_BIN_EXE_assetkit-fake"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let line = serde_json::from_str(&line).unwrap_or_else(|e| panic!("first line {line:?}: {e}"));
    Fake { child, line }
}

#[tokio::test]
async fn webflow_state_outlives_each_connection_and_the_env_is_what_the_cli_reads() {
    let fake = start(&["webflow"]);
    let env = &fake.line["env"];
    assert_eq!(fake.line["vendor"], "webflow");
    let base = env["WEBFLOW_BASE_URL"].as_str().unwrap().to_owned();
    assert_eq!(fake.line["base_url"], base.as_str());
    let site = env["WEBFLOW_SITE_ID"].as_str().unwrap();
    let token = env["WEBFLOW_TOKEN"].as_str().unwrap();
    let folders = format!("{base}/sites/{site}/asset_folders");
    let created = reqwest::Client::new()
        .post(&folders)
        .bearer_auth(token)
        .json(&serde_json::json!({"displayName": "Kept"}))
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success(), "{}", created.status());
    // Another client, another connection: the folder is still there.
    let listed: Value = reqwest::Client::new()
        .get(&folders)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = listed["assetFolders"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["displayName"].as_str())
        .collect();
    assert!(names.contains(&"Kept"), "{listed}");
}

#[tokio::test]
async fn flags_set_a_rate_limit_and_faults() {
    let fake = start(&["roblox", "--rate-limit", "1/60", "--reset-header"]);
    let base = fake.line["env"]["ROBLOX_BASE_URL"].as_str().unwrap().to_owned();
    assert!(fake.line["env"]["ROBLOX_API_KEY"].is_string());
    let url = format!("{base}/v1/assets/1");
    let first = reqwest::get(&url).await.unwrap();
    assert_eq!(first.headers()["x-ratelimit-remaining"], "0");
    assert!(first.headers().contains_key("x-ratelimit-reset"));
    let second = reqwest::get(&url).await.unwrap();
    assert_eq!(second.status(), 429);
    assert!(second.headers().contains_key("retry-after"));

    let failing = start(&["unicat", "--fail", "503", "--times", "1"]);
    let base = failing.line["env"]["UNICAT_BASE_URL"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = reqwest::get(format!("{base}/anything")).await.unwrap();
    assert_eq!(first.status(), 503);
    let second = reqwest::get(format!("{base}/anything")).await.unwrap();
    assert_ne!(second.status(), 503, "only the first");
}

#[test]
fn a_bad_flag_is_refused_with_a_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_assetkit-fake"))
        .args(["roblox", "--rate-limit", "ten per minute"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("N/SECONDS"));
}
