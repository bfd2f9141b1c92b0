//! Our side of every comparison, run as a child process (`__child MODE ...`) so that it is
//! measured exactly like the reference tools: its own process, its own CPU time and peak
//! RSS. Each mode calls the library the way an application (or the CLI) does, on the
//! CLI's runtime (tokio's multi-threaded one), with a progress callback where the CLI
//! would draw a bar.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use assetkit::core::{Client, Request};
use assetkit::roblox::{AssetType, Creator, RobloxClient};
use assetkit::webflow::{WebflowClient, file_md5};
use assetkit::{ProgressReporter, RetryPolicy, UploadSource, Vendor};
use futures::StreamExt;

/// The site id every Webflow request names.
pub const SITE: &str = "580e63e98c9a982ac9b8b741";
/// The API key and token the clients send (the sink checks nothing).
pub const KEY: &str = "bench-key";

pub fn run(args: &[String]) {
    // Named by mode and side (`small-ours`, `small-reqwest`, ...), so that a profiler or
    // `perf sched` tells the two sides' threads apart.
    let side = args
        .get(4)
        .filter(|_| args[0] == "small")
        .map_or("", String::as_str);
    let name: String = format!("{}-{side}", args[0]).chars().take(15).collect();
    // `BENCH_RUNTIME=current-thread` runs the child on one thread: for profiling under
    // valgrind, where the threads of the multi-threaded runtime interleave differently
    // from run to run (and the instruction and cache-miss counts with them).
    let mut builder = match std::env::var("BENCH_RUNTIME").as_deref() {
        Ok("current-thread") => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    };
    let runtime = builder.thread_name(name).enable_all().build().unwrap();
    runtime.block_on(dispatch(args));
}

async fn dispatch(args: &[String]) {
    let files = |from: usize| args[from..].iter().map(PathBuf::from).collect::<Vec<_>>();
    match args[0].as_str() {
        "hash" => {
            for file in files(1) {
                let (_, md5) = file_md5(&UploadSource::path(file)).await.unwrap();
                println!("{md5}");
            }
        }
        "hash-md5-crate" => {
            // What `file_md5` does without the `openssl-md5` feature.
            use md5::{Digest, Md5};
            for file in files(1) {
                let (_, hasher) = UploadSource::path(file)
                    .read_chunks(Md5::new(), |hasher, chunk| hasher.update(chunk))
                    .await
                    .unwrap();
                let digest = hasher.finalize();
                println!("{}", hex::encode(digest));
            }
        }
        "roblox" => roblox(&args[1], &PathBuf::from(&args[2])).await,
        "webflow" => {
            let client = webflow(&args[1]);
            for file in files(2) {
                println!("{}", webflow_upload(&client, file).await);
            }
        }
        "webflow-batch" => {
            let client = webflow(&args[1]);
            let concurrency: usize = args[2].parse().unwrap();
            // As the CLI's batch runs them: `buffered(concurrency)` over the files.
            let hashes: Vec<String> = futures::stream::iter(files(3))
                .map(|file| webflow_upload(&client, file))
                .buffered(concurrency)
                .collect()
                .await;
            println!("{}", hashes.len());
        }
        "webflow-send" => {
            // Steps 1 and 2 without the MD5 pass: what sending alone costs.
            let client = webflow(&args[1]);
            for file in files(2) {
                let created = client
                    .assets()
                    .create(SITE, "file.bin", "0".repeat(32))
                    .send()
                    .await
                    .unwrap();
                client
                    .assets()
                    .finish_upload(created, UploadSource::path(file))
                    .send()
                    .await
                    .unwrap();
            }
        }
        "download" => {
            // As an application would: the client's download to a file.
            let client = assetkit::core::Client::builder(assetkit::Vendor::OTHER, args[1].clone())
                .allow_http(true)
                .build()
                .unwrap();
            let url = assetkit::core::Url::parse(&args[2]).unwrap();
            let (reporter, _) = progress();
            let bytes = client
                .download(url)
                .progress(reporter)
                .to_path(&args[3])
                .await
                .unwrap();
            println!("{bytes}");
        }
        "small" => {
            small(
                &args[1],
                args[2].parse().unwrap(),
                args[3].parse().unwrap(),
                &args[4],
            )
            .await;
        }
        "small-ab" => {
            small_in_one_process(
                &args[1],
                args[2].parse().unwrap(),
                args[3].parse().unwrap(),
                args[4].parse().unwrap(),
            )
            .await;
        }
        other => panic!("unknown child mode {other}"),
    }
}

/// A progress callback as cheap as a hidden progress bar, and what it last saw.
fn progress() -> (ProgressReporter, Arc<AtomicU64>) {
    let sent = Arc::new(AtomicU64::new(0));
    let seen = sent.clone();
    let reporter = ProgressReporter::callback(move |p| seen.store(p.sent, Ordering::Relaxed));
    (reporter, sent)
}

/// Roblox Create Asset of `file` as a Video: the `request` JSON part, then the file.
async fn roblox(origin: &str, file: &PathBuf) {
    let client = RobloxClient::builder()
        .api_key(KEY)
        .base_url(format!("{origin}/assets"))
        .allow_http(true)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let (reporter, sent) = progress();
    let operation = client
        .assets()
        .create(
            AssetType::Video,
            "bench",
            UploadSource::path(file),
            Creator::User(1),
        )
        .progress(reporter)
        // Made-up content, and the transport is what is measured.
        .skip_preflight()
        .send()
        .await
        .unwrap();
    assert_eq!(
        sent.load(Ordering::Relaxed),
        std::fs::metadata(file).unwrap().len()
    );
    println!("{}", operation.id);
}

fn webflow(origin: &str) -> WebflowClient {
    WebflowClient::builder()
        .bearer(KEY)
        .base_url(format!("{origin}/v2"))
        .allow_http(true)
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
}

/// The one-call Webflow upload: MD5, step 1, the S3 form. Answers the MD5.
async fn webflow_upload(client: &WebflowClient, file: PathBuf) -> String {
    let (reporter, sent) = progress();
    let size = std::fs::metadata(&file).unwrap().len();
    let uploaded = client
        .assets()
        .upload(SITE, UploadSource::path(file))
        // The benchmark's files are over Webflow's own size limits on purpose.
        .skip_preflight()
        .progress(reporter)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.load(Ordering::Relaxed), size);
    uploaded.file_hash.unwrap_or_default()
}

/// `count` small JSON POSTs, `concurrency` at a time, through our client or bare reqwest;
/// prints the nanoseconds the requests took (client set-up excluded, for both).
/// The small-request clients: the core `Client` and a bare `reqwest::Client`.
struct Small {
    ours: Client,
    bare: reqwest::Client,
    url: String,
}

impl Small {
    fn new(origin: &str) -> Self {
        Small {
            ours: Client::builder(Vendor::OTHER, format!("{origin}/v2"))
                .allow_http(true)
                .retry(RetryPolicy::never())
                .build()
                .unwrap(),
            bare: reqwest::Client::new(),
            url: format!("{origin}/v2/small"),
        }
    }

    /// `count` POSTs, `concurrency` at a time, by `which` client; how long they took.
    async fn run(&self, which: &str, count: usize, concurrency: usize) -> std::time::Duration {
        let body = |i: usize| serde_json::json!({"displayName": "asset", "index": i, "tags": ["a", "b"]});
        let started = Instant::now();
        match which {
            "ours" => {
                futures::stream::iter(0..count)
                    .map(|i| {
                        let http = self.ours.clone();
                        async move {
                            let request = Request::post(&["small"]).json(&body(i)).unwrap();
                            http.execute(request).await.unwrap().body().len()
                        }
                    })
                    .buffer_unordered(concurrency)
                    .for_each(|_| async {})
                    .await;
            }
            "reqwest" => {
                futures::stream::iter(0..count)
                    .map(|i| {
                        let (http, url) = (self.bare.clone(), self.url.clone());
                        async move {
                            let response = http
                                .post(url)
                                .json(&body(i))
                                .send()
                                .await
                                .unwrap()
                                .error_for_status()
                                .unwrap();
                            response.bytes().await.unwrap().len()
                        }
                    })
                    .buffer_unordered(concurrency)
                    .for_each(|_| async {})
                    .await;
            }
            other => panic!("unknown client {other}"),
        }
        started.elapsed()
    }
}

async fn small(origin: &str, count: usize, concurrency: usize, which: &str) {
    let elapsed = Small::new(origin).run(which, count, concurrency).await;
    println!("{}", elapsed.as_nanos());
}

/// Both clients in this one process, `rounds` times each, and bare reqwest a second time
/// as a control (its ratio to itself is the noise floor); the order turns round by round.
/// A line per round: our time, bare reqwest's, and the control's, in nanoseconds.
async fn small_in_one_process(origin: &str, count: usize, concurrency: usize, rounds: usize) {
    let clients = Small::new(origin);
    // Warm both up: connections open, code paged in.
    clients.run("ours", count / 10 + 1, concurrency).await;
    clients.run("reqwest", count / 10 + 1, concurrency).await;
    let order = ["ours", "reqwest", "reqwest"];
    for round in 0..rounds {
        let mut times = [std::time::Duration::ZERO; 3];
        for turn in 0..3 {
            let which = (round + turn) % 3;
            times[which] = clients.run(order[which], count, concurrency).await;
        }
        println!(
            "{} {} {}",
            times[0].as_nanos(),
            times[1].as_nanos(),
            times[2].as_nanos()
        );
    }
}
