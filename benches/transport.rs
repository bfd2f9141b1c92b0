//! Transport benchmarks: streaming a large multipart upload over loopback (throughput and
//! peak memory), and MD5 over 64 KiB reads against `md5sum`.
//!
//! Run with `cargo bench --bench transport` (add `-- <MiB>` to change the file size,
//! default 1024). Figures go in docs/BENCHMARKS.md.
#![allow(
    clippy::unwrap_used,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    clippy::cast_possible_truncation
)] // a benchmark: a failure should stop it loudly

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use assetkit::core::{Client, FormPart, MultipartForm, Request};
use assetkit::{ProgressReporter, RetryPolicy, UploadSource, Vendor};
use md5::{Digest, Md5};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// A loopback HTTP/1.1 server that reads each request body and throws it away.
async fn sink() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let text = String::from_utf8_lossy(&head).to_ascii_lowercase();
                let length: u64 = text
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                let mut left = length;
                let mut buffer = vec![0u8; 256 * 1024];
                while left > 0 {
                    let n = socket.read(&mut buffer).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    left = left.saturating_sub(n as u64);
                }
                let _ = socket
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
                    .await;
            });
        }
    });
    format!("http://{addr}")
}

fn write_file(path: &std::path::Path, mib: usize) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let chunk: Vec<u8> = (0..1024 * 1024).map(|i| (i * 31 % 251) as u8).collect();
    for _ in 0..mib {
        file.write_all(&chunk).unwrap();
    }
    file.flush().unwrap();
}

#[tokio::main]
async fn main() {
    let mib: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1024);
    let dir = std::env::temp_dir().join(format!("assetkit-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.bin");
    write_file(&path, mib);
    let size = (mib * 1024 * 1024) as u64;
    let before = peak_rss_mib();

    // 1. Multipart upload streamed from disk, with progress.
    let base = sink().await;
    let client = Client::builder(Vendor::OTHER, base)
        .allow_http(true)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let reported = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let seen = reported.clone();
    let progress =
        ProgressReporter::callback(move |p| seen.store(p.sent, std::sync::atomic::Ordering::Relaxed));
    let form = MultipartForm::new()
        .text("request", r#"{"assetType":"Video"}"#)
        .part(FormPart::file("fileContent", UploadSource::path(&path)).content_type("video/mp4"));
    let started = Instant::now();
    client
        .execute(
            Request::post(&["upload"])
                .multipart(form)
                .progress(Some(progress)),
        )
        .await
        .unwrap();
    let upload = started.elapsed();
    assert_eq!(reported.load(std::sync::atomic::Ordering::Relaxed), size);
    let after_upload = peak_rss_mib();

    // 2. MD5 over 64 KiB reads, the way the Webflow upload hashes (`read_chunks`), and the
    //    same through the async chunk stream of `open`, against md5sum.
    let started = Instant::now();
    let source = UploadSource::path(&path);
    let (_, hasher) = source
        .read_chunks(Md5::new(), |hasher, chunk| hasher.update(chunk))
        .await
        .unwrap();
    let ours = hex::encode(hasher.finalize());
    let md5_ours = started.elapsed();
    let started = Instant::now();
    let (_, mut chunks) = source.open().await.unwrap();
    let mut hasher = Md5::new();
    while let Some(chunk) = futures::StreamExt::next(&mut chunks).await {
        hasher.update(chunk.unwrap());
    }
    assert_eq!(hex::encode(hasher.finalize()), ours);
    let md5_stream = started.elapsed();
    let started = Instant::now();
    let output = std::process::Command::new("md5sum").arg(&path).output().unwrap();
    let md5sum = started.elapsed();
    let theirs = String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(ours, theirs, "MD5 differs from md5sum");

    let rate = |d: std::time::Duration| mib as f64 / d.as_secs_f64();
    println!("file size:                 {mib} MiB");
    println!(
        "multipart upload (loopback): {:.2} s, {:.0} MiB/s",
        upload.as_secs_f64(),
        rate(upload)
    );
    println!("peak RSS before / after upload: {before:.1} MiB / {after_upload:.1} MiB");
    println!(
        "md5 (read_chunks, 64 KiB):    {:.2} s, {:.0} MiB/s",
        md5_ours.as_secs_f64(),
        rate(md5_ours)
    );
    println!(
        "md5 (async stream of open()): {:.2} s, {:.0} MiB/s",
        md5_stream.as_secs_f64(),
        rate(md5_stream)
    );
    println!(
        "md5sum:                       {:.2} s, {:.0} MiB/s",
        md5sum.as_secs_f64(),
        rate(md5sum)
    );
    println!(
        "md5 ratio (md5sum time / ours): {:.2}x",
        md5sum.as_secs_f64() / md5_ours.as_secs_f64()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
