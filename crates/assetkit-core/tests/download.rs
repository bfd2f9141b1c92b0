//! Downloads over real loopback sockets: a transfer that breaks half way resumes with
//! `Range`; a host that ignores `Range` starts over; a short body never lands under the
//! final name; the credential stays on the client's own origin.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use assetkit_core::auth::{Authenticator, Authorization};
use assetkit_core::time::{FixedRandom, VirtualTime};
use assetkit_core::{Client, Error, ProgressReporter, Url, Vendor};
use futures::future::BoxFuture;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A file's length: more than two of the download's 1 MiB write buffers, and not a
/// multiple of one, so writes have reached the file before a transfer breaks.
const LEN: usize = 3 * 1024 * 1024 + 12_345;
/// Where the first answer breaks: after the first buffer was written out.
const BREAK: usize = 1_300_000;

/// A file's bytes: a pattern.
fn content() -> Vec<u8> {
    (0..LEN).map(|i| u8::try_from(i % 251).unwrap_or(0)).collect()
}

async fn head(stream: &mut TcpStream) -> String {
    let mut buffer = Vec::new();
    let mut byte = [0u8; 1];
    while !buffer.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await.unwrap_or(0) == 0 {
            break;
        }
        buffer.push(byte[0]);
    }
    String::from_utf8_lossy(&buffer).to_lowercase()
}

/// The `Range: bytes=N-` start of a request head.
fn range_start(head: &str) -> Option<usize> {
    head.lines()
        .find_map(|l| l.strip_prefix("range: bytes="))
        .and_then(|r| r.trim_end_matches('-').trim().trim_end_matches('-').parse().ok())
}

/// A file host: answers `Range` with 206 when `ranges`; the first answer breaks after
/// `break_after` bytes. Records every request head.
async fn host(ranges: bool, break_after: Option<usize>) -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let heads = Arc::new(Mutex::new(Vec::new()));
    let served = Arc::new(AtomicUsize::new(0));
    let recorded = heads.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let (heads, served) = (recorded.clone(), served.clone());
            tokio::spawn(async move {
                let request = head(&mut stream).await;
                heads.lock().unwrap().push(request.clone());
                let body = content();
                let first = served.fetch_add(1, Ordering::SeqCst) == 0;
                let (status, from) = match range_start(&request) {
                    Some(start) if ranges => ("206 Partial Content", start),
                    _ => ("200 OK", 0),
                };
                let part = &body[from..];
                let mut text = format!(
                    "HTTP/1.1 {status}\r\ncontent-length: {}\r\netag: \"v1\"\r\nconnection: close\r\n",
                    part.len()
                );
                if ranges {
                    text.push_str("accept-ranges: bytes\r\n");
                }
                if from > 0 {
                    let _ = write!(
                        text,
                        "content-range: bytes {from}-{}/{}\r\n",
                        body.len() - 1,
                        body.len()
                    );
                }
                text.push_str("\r\n");
                let _ = stream.write_all(text.as_bytes()).await;
                let send = match break_after {
                    Some(n) if first => &part[..n],
                    _ => part,
                };
                let _ = stream.write_all(send).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    (addr, heads)
}

fn client(base: &str) -> Client {
    let time = VirtualTime::new();
    Client::builder(Vendor::OTHER, base)
        .allow_http(true)
        .sleeper(Arc::new(time.clone()))
        .clock(Arc::new(time))
        .random(Arc::new(FixedRandom(0.0)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_transfer_broken_half_way_resumes_with_range_and_lands_whole() {
    let (addr, heads) = host(true, Some(BREAK)).await;
    let url = Url::parse(&format!("http://{addr}/file.bin")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("file.bin");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let bytes = client(&format!("http://{addr}"))
        .download(url)
        .progress(ProgressReporter::callback(move |p| {
            record.lock().unwrap().push(p.sent);
        }))
        .to_path(&path)
        .await
        .unwrap();
    assert_eq!(bytes, LEN as u64);
    assert!(
        std::fs::read(&path).unwrap() == content(),
        "the bytes are the file's"
    );
    let heads = heads.lock().unwrap();
    assert_eq!(heads.len(), 2);
    assert_eq!(range_start(&heads[1]), Some(BREAK), "{}", heads[1]);
    assert!(heads[1].contains("if-range: \"v1\""), "{}", heads[1]);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.last(), Some(&(LEN as u64)));
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "progress never goes back on a resume"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left");
}

#[tokio::test]
async fn a_host_that_ignores_range_starts_over_and_the_file_is_still_right() {
    let (addr, heads) = host(false, Some(BREAK)).await;
    let url = Url::parse(&format!("http://{addr}/file.bin")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("file.bin");
    client(&format!("http://{addr}"))
        .download(url)
        .to_path(&path)
        .await
        .unwrap();
    assert!(std::fs::read(&path).unwrap() == content());
    assert_eq!(
        range_start(&heads.lock().unwrap()[1]),
        None,
        "no Range to a host without them"
    );
}

#[tokio::test]
async fn a_short_body_fails_and_leaves_nothing_under_the_name() {
    // Every answer breaks: the attempts run out.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let _ = head(&mut stream).await;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\nconnection: close\r\n\r\nonly this")
                .await;
            let _ = stream.shutdown().await;
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("file.bin");
    let error = client(&format!("http://{addr}"))
        .download(Url::parse(&format!("http://{addr}/f")).unwrap())
        .to_path(&path)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing left behind"
    );
}

#[derive(Debug)]
struct Key;

impl Authenticator for Key {
    fn authorize(&self) -> BoxFuture<'_, assetkit_core::Result<Authorization>> {
        Box::pin(async {
            Ok(Authorization::new(
                assetkit_core::header::HeaderName::from_static("x-api-key"),
                assetkit_core::header::HeaderValue::from_static("secret-key"),
                0,
            ))
        })
    }
}

#[tokio::test]
async fn the_credential_goes_to_the_clients_origin_and_never_to_a_storage_host() {
    let (own, own_heads) = host(true, None).await;
    let (storage, storage_heads) = host(true, None).await;
    let client = Client::builder(Vendor::OTHER, format!("http://{own}"))
        .allow_http(true)
        .auth(Arc::new(Key))
        .build()
        .unwrap();
    let mut sink = Vec::new();
    client
        .download(Url::parse(&format!("http://{own}/a")).unwrap())
        .to_writer(&mut sink)
        .await
        .unwrap();
    client
        .download(Url::parse(&format!("http://{storage}/b")).unwrap())
        .to_writer(&mut sink)
        .await
        .unwrap();
    assert!(own_heads.lock().unwrap()[0].contains("x-api-key: secret-key"));
    assert!(!storage_heads.lock().unwrap()[0].contains("x-api-key"));
    assert_eq!(sink.len(), 2 * LEN);
}
