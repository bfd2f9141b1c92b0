//! The loopback server every client of the benchmark talks to, ours and the reference
//! tools alike: plain HTTP/1.1 with keep-alive, one thread per connection, bodies read in
//! 1 MiB gulps and thrown away. It runs in the benchmark's own process, so its CPU time is
//! never counted against the client being measured.
//!
//! Routes (any method, the body is always drained first):
//! - `/assets/v1/assets`: Roblox Create Asset; answers an operation that is not done.
//! - `/v2/sites/{site}/assets`: Webflow Upload Asset step 1; answers an S3 form on `/s3`.
//! - `/s3`: the S3 form post; answers 204.
//! - `/download/{bytes}`: a file of that many bytes, written in 1 MiB gulps.
//! - anything else: 200 with `{"ok":true}`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Body bytes received, over all connections (to check that every run sent everything).
#[derive(Debug, Default)]
pub struct Counters {
    pub body_bytes: AtomicU64,
    pub requests: AtomicU64,
}

/// A running sink.
#[derive(Debug)]
pub struct Sink {
    pub origin: String,
    pub counters: Arc<Counters>,
}

impl Sink {
    /// Starts the sink on an ephemeral loopback port.
    pub fn start() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the loopback sink");
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let counters = Arc::new(Counters::default());
        let shared = counters.clone();
        let own = origin.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (counters, origin) = (shared.clone(), own.clone());
                std::thread::spawn(move || serve(stream, &counters, &origin));
            }
        });
        Sink { origin, counters }
    }

    /// Body bytes received so far.
    pub fn body_bytes(&self) -> u64 {
        self.counters.body_bytes.load(Ordering::Relaxed)
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Serves one connection until the client closes it.
fn serve(mut stream: TcpStream, counters: &Counters, origin: &str) {
    let _ = stream.set_nodelay(true);
    let mut buffer = vec![0u8; 1 << 20];
    let mut filled = 0;
    loop {
        let head_end = loop {
            if let Some(at) = find(&buffer[..filled], b"\r\n\r\n") {
                break at + 4;
            }
            if filled == buffer.len() {
                return;
            }
            match stream.read(&mut buffer[filled..]) {
                Ok(0) | Err(_) => return,
                Ok(n) => filled += n,
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
        let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
        let header = |name: &str| {
            head.lines()
                .find_map(|line| line.strip_prefix(name).map(|v| v.trim().to_owned()))
        };
        let length: u64 = header("content-length:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if header("expect:").is_some_and(|v| v == "100-continue")
            && stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").is_err()
        {
            return;
        }
        // The body: what already came with the head, then straight reads.
        let buffered = (filled - head_end) as u64;
        let taken = buffered.min(length);
        let used = head_end + taken as usize;
        buffer.copy_within(used..filled, 0);
        filled -= used;
        let mut left = length - taken;
        while left > 0 {
            let want = usize::try_from(left).unwrap_or(usize::MAX).min(buffer.len());
            match stream.read(&mut buffer[..want]) {
                Ok(0) | Err(_) => return,
                Ok(n) => left -= n as u64,
            }
        }
        counters.body_bytes.fetch_add(length, Ordering::Relaxed);
        counters.requests.fetch_add(1, Ordering::Relaxed);
        if let Some(size) = path
            .strip_prefix("/download/")
            .and_then(|n| n.parse::<u64>().ok())
        {
            if serve_file(&mut stream, size).is_err() {
                return;
            }
            continue;
        }
        if stream.write_all(&answer(&path, origin)).is_err() {
            return;
        }
    }
}

/// A download of `size` bytes (a repeating pattern).
fn serve_file(stream: &mut TcpStream, size: u64) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {size}\r\naccept-ranges: bytes\r\n\r\n"
    );
    stream.write_all(head.as_bytes())?;
    let gulp: Vec<u8> = (0..1usize << 20).map(|i| (i % 251) as u8).collect();
    let mut left = size;
    while left > 0 {
        let n = usize::try_from(left).unwrap_or(usize::MAX).min(gulp.len());
        stream.write_all(&gulp[..n])?;
        left -= n as u64;
    }
    Ok(())
}

/// The answer to a request for `path`.
fn answer(path: &str, origin: &str) -> Vec<u8> {
    // The vendors' APIs state the caller's rate limit on every answer, and the clients
    // pace themselves by it: a limit of a million, as a key with room to spare would
    // see (without any header, a client would keep to the vendor's published budget,
    // Webflow's 60 a minute, and a 100-file batch would measure that instead).
    const ROOM: &str = "x-ratelimit-limit: 1000000\r\nx-ratelimit-remaining: 999999\r\n";
    let (status, body, limits) = if path.ends_with("/v1/assets") {
        (
            "200 OK",
            r#"{"path":"operations/bench-op","operationId":"bench-op","done":false}"#.to_owned(),
            ROOM,
        )
    } else if path.starts_with("/v2/sites/") && path.ends_with("/assets") {
        ("200 OK", webflow_step1(origin), ROOM)
    } else if path == "/s3" {
        ("204 No Content", String::new(), "")
    } else {
        ("200 OK", r#"{"ok":true}"#.to_owned(), "")
    };
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{limits}\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// The S3 form fields of a Webflow step-1 answer, in Webflow's order (the values are
/// stand-ins of realistic size; nothing checks the signature).
pub fn s3_fields() -> Vec<(String, String)> {
    use base64::Engine as _;
    let policy = base64::engine::general_purpose::STANDARD.encode(
        r#"{"expiration":"2099-01-01T00:00:00Z","conditions":[{"bucket":"bench"},["starts-with","$key","site/"],["content-length-range",0,8589934592]]}"#,
    );
    vec![
        ("acl".into(), "public-read".into()),
        ("bucket".into(), "bench".into()),
        ("X-Amz-Algorithm".into(), "AWS4-HMAC-SHA256".into()),
        (
            "X-Amz-Credential".into(),
            "AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/s3/aws4_request".into(),
        ),
        ("X-Amz-Date".into(), "20240101T000000Z".into()),
        ("key".into(), "site/bench-asset_file.bin".into()),
        ("Policy".into(), policy),
        ("X-Amz-Signature".into(), "0".repeat(64)),
        ("success_action_status".into(), "204".into()),
        ("content-type".into(), "application/octet-stream".into()),
        ("Cache-Control".into(), "max-age=31536000, must-revalidate".into()),
    ]
}

fn webflow_step1(origin: &str) -> String {
    let details: serde_json::Map<String, serde_json::Value> = s3_fields()
        .into_iter()
        .map(|(k, v)| (k, serde_json::Value::String(v)))
        .collect();
    serde_json::json!({
        "id": "bench-asset",
        "uploadDetails": details,
        "contentType": "application/octet-stream",
        "uploadUrl": format!("{origin}/s3"),
        "assetUrl": format!("{origin}/hosted/bench-asset"),
        "hostedUrl": format!("{origin}/hosted/bench-asset"),
        "originalFileName": "file.bin",
        "createdOn": "2024-01-01T00:00:00.000Z",
        "lastUpdated": "2024-01-01T00:00:00.000Z",
    })
    .to_string()
}
