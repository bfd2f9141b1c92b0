//! The reliability suite: raw servers on loopback that misbehave on purpose, and what the
//! transport does about each. Timeouts are a few hundred milliseconds so the suite stays
//! fast; waits between retries run on virtual time. docs/RELIABILITY.md lists every case.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use assetkit_core::time::{Clock, FixedRandom, Sleeper, VirtualTime};
use assetkit_core::{
    Client, ClientBuilder, Error, FormPart, MultipartForm, Request, RetryBudget, RetryPolicy, TimeoutKind,
    UploadSource, Vendor,
};
use futures::future::BoxFuture;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Serves every connection with `serve` on a loopback port.
async fn raw_server<F, Fut>(serve: F) -> SocketAddr
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let serve = Arc::new(serve);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream));
        }
    });
    addr
}

/// Reads a request head; returns it with the body bytes that came along.
async fn read_head(stream: &mut TcpStream) -> (String, Vec<u8>) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = stream.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return (String::from_utf8_lossy(&buffer).into_owned(), Vec::new());
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buffer.split_off(end + 4);
            return (String::from_utf8_lossy(&buffer).into_owned(), rest);
        }
    }
}

fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0)
}

/// Reads the rest of a body of `len` bytes, `step` bytes at a time, pausing `pause` between
/// reads (a slow link), counting into `seen`.
async fn drain(stream: &mut TcpStream, mut left: usize, step: usize, pause: Duration, seen: &AtomicUsize) {
    let mut buffer = vec![0u8; step];
    while left > 0 {
        let want = left.min(step);
        let Ok(n) = stream.read(&mut buffer[..want]).await else {
            return;
        };
        if n == 0 {
            return;
        }
        left -= n;
        seen.fetch_add(n, Ordering::Relaxed);
        if !pause.is_zero() {
            tokio::time::sleep(pause).await;
        }
    }
}

async fn answer(stream: &mut TcpStream, status: &str, headers: &str, body: &str) {
    let text = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{headers}\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(text.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// A server that answers every request with `status`, `headers` and `body`.
async fn answering(status: &'static str, headers: &'static str, body: &'static str) -> SocketAddr {
    raw_server(move |mut stream| async move {
        let _ = read_head(&mut stream).await;
        answer(&mut stream, status, headers, body).await;
    })
    .await
}

fn builder(addr: SocketAddr, time: &VirtualTime) -> ClientBuilder {
    Client::builder(Vendor::OTHER, format!("http://{addr}"))
        .allow_http(true)
        .sleeper(Arc::new(time.clone()))
        .clock(Arc::new(time.clone()))
        .random(Arc::new(FixedRandom(0.5)))
}

fn big(len: usize) -> Request {
    Request::put(&["upload"]).body(assetkit_core::Body::Bytes {
        data: vec![7u8; len].into(),
        content_type: "application/octet-stream".into(),
    })
}

// ---------------------------------------------------------------- timeouts that follow progress

#[tokio::test]
async fn slow_but_steady_upload_succeeds_past_many_stall_timeouts() {
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    let addr = raw_server(move |mut stream| {
        let seen = counter.clone();
        async move {
            let (head, rest) = read_head(&mut stream).await;
            seen.fetch_add(rest.len(), Ordering::Relaxed);
            let left = content_length(&head) - rest.len();
            // 64 KiB every 10 ms: about 6 MiB/s, steady.
            drain(&mut stream, left, 64 * 1024, Duration::from_millis(10), &seen).await;
            answer(&mut stream, "200 OK", "", "{}").await;
        }
    })
    .await;
    let time = VirtualTime::new();
    // A stall timeout of a second: short beside the transfer, long beside the scheduling
    // hiccups of a loaded test machine. No retry, so a stall could not hide behind one.
    let client = builder(addr, &time)
        .stall_timeout(Duration::from_secs(1))
        .response_timeout(Duration::from_secs(30))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let len = 12 * 1024 * 1024;
    let started = Instant::now();
    client.execute(big(len)).await.unwrap();
    let took = started.elapsed();
    assert_eq!(seen.load(Ordering::Relaxed), len);
    assert!(
        took > Duration::from_secs(2),
        "the transfer must outlast the stall timeout for this test to mean anything: {took:?}"
    );
    assert!(time.sleeps().is_empty(), "no retry: {:?}", time.sleeps());
}

#[tokio::test]
async fn stalled_upload_fails_within_the_stall_timeout() {
    let addr = raw_server(|mut stream| async move {
        let _ = read_head(&mut stream).await;
        // Never read again, never answer: the client's buffers fill and nothing moves.
        tokio::time::sleep(Duration::from_secs(20)).await;
        drop(stream);
    })
    .await;
    let time = VirtualTime::new();
    let client = builder(addr, &time)
        .stall_timeout(Duration::from_millis(300))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.execute(big(96 * 1024 * 1024)).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Stall,
                before_send: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(err.to_string().contains("stall timeout"), "{err}");
}

#[tokio::test]
async fn a_trickling_answer_hits_the_response_timeout() {
    let addr = raw_server(|mut stream| async move {
        let _ = read_head(&mut stream).await;
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n")
            .await;
        // One byte every 50 ms: never a stall, never an end.
        for _ in 0..200 {
            if stream.write_all(b" ").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    let time = VirtualTime::new();
    // The stall timeout is far above the 50 ms between bytes, even on a loaded machine.
    let client = builder(addr, &time)
        .stall_timeout(Duration::from_secs(2))
        .response_timeout(Duration::from_millis(500))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.execute(Request::get(&["slow"])).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Response,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_server_that_never_answers_hits_the_response_timeout_and_a_get_is_retried() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let addr = raw_server(move |mut stream| {
        let hits = counter.clone();
        async move {
            hits.fetch_add(1, Ordering::Relaxed);
            let _ = read_head(&mut stream).await;
            tokio::time::sleep(Duration::from_secs(20)).await;
            drop(stream);
        }
    })
    .await;
    let time = VirtualTime::new();
    let client = builder(addr, &time)
        .response_timeout(Duration::from_millis(200))
        .retry(RetryPolicy::default().with_max_attempts(2))
        .build()
        .unwrap();
    let err = client.execute(Request::get(&["x"])).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Response,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(hits.load(Ordering::Relaxed), 2, "a GET that timed out is retried");
    assert_eq!(err.request().unwrap().attempts, 2);
    // A create that timed out after it was sent is not: the server may have acted on it.
    let err = client.execute(Request::post(&["x"])).await.unwrap_err();
    assert_eq!(err.request().unwrap().attempts, 1, "{err}");
}

// ---------------------------------------------------------------- bounded answers

#[tokio::test]
async fn a_huge_announced_answer_is_refused_before_reading() {
    let addr = raw_server(|mut stream| async move {
        let _ = read_head(&mut stream).await;
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1073741824\r\n\r\n")
            .await;
        let _ = stream.write_all(&vec![b'x'; 65536]).await;
    })
    .await;
    let client = builder(addr, &VirtualTime::new()).build().unwrap();
    let err = client.execute(Request::get(&["big"])).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                limit: 33_554_432,
                length: Some(1_073_741_824),
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_1_gib_chunked_answer_is_cut_at_the_cap_with_bounded_memory() {
    let written = Arc::new(AtomicUsize::new(0));
    let counter = written.clone();
    let addr = raw_server(move |mut stream| {
        let written = counter.clone();
        async move {
            let _ = read_head(&mut stream).await;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
                .await;
            let chunk = vec![b'x'; 1 << 20];
            let frame = [
                format!("{:x}\r\n", chunk.len()).into_bytes(),
                chunk,
                b"\r\n".to_vec(),
            ]
            .concat();
            for _ in 0..1024 {
                if stream.write_all(&frame).await.is_err() {
                    return;
                }
                written.fetch_add(1 << 20, Ordering::Relaxed);
            }
            let _ = stream.write_all(b"0\r\n\r\n").await;
        }
    })
    .await;
    let client = builder(addr, &VirtualTime::new())
        .max_response_bytes(4 * 1024 * 1024)
        .build()
        .unwrap();
    let err = client.execute(Request::get(&["big"])).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                limit: 4_194_304,
                length: None,
                ..
            }
        ),
        "{err:?}"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    let sent = written.load(Ordering::Relaxed);
    assert!(
        sent < 64 << 20,
        "the client stopped reading near the cap; the server wrote {sent}"
    );
}

#[tokio::test]
async fn an_error_body_is_read_to_64_kib_at_most() {
    let addr = raw_server(|mut stream| async move {
        let _ = read_head(&mut stream).await;
        let body = format!("{{\"message\":\"{}\"}}", "e".repeat(1 << 20));
        answer(&mut stream, "400 Bad Request", "", &body).await;
    })
    .await;
    let client = builder(addr, &VirtualTime::new()).build().unwrap();
    let err = client.execute(Request::get(&["x"])).await.unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.status, 400);
    assert!(
        api.body.len() <= assetkit_core::error::MAX_ERROR_BODY + 3,
        "{}",
        api.body.len()
    );
}

/// Writes `body` in `pieces` writes a few milliseconds apart, so that the client reads
/// it as separate chunks; with `chunked`, as chunked transfer coding.
async fn answer_in_pieces(stream: &mut TcpStream, body: &[u8], pieces: usize, chunked: bool) {
    let head = if chunked {
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_owned()
    } else {
        format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len())
    };
    let _ = stream.write_all(head.as_bytes()).await;
    for piece in body.chunks(body.len().div_ceil(pieces)) {
        let frame = if chunked {
            [format!("{:x}\r\n", piece.len()).as_bytes(), piece, b"\r\n"].concat()
        } else {
            piece.to_vec()
        };
        let _ = stream.write_all(&frame).await;
        let _ = stream.flush().await;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    if chunked {
        let _ = stream.write_all(b"0\r\n\r\n").await;
    }
}

#[tokio::test]
async fn an_answer_in_many_pieces_is_gathered_whole_and_in_order() {
    // Most answers come as one chunk, which the client keeps as it is; these come in
    // five, with and without a length, and must be put together byte for byte.
    let body: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    for chunked in [false, true] {
        let sent = body.clone();
        let addr = raw_server(move |mut stream| {
            let sent = sent.clone();
            async move {
                let _ = read_head(&mut stream).await;
                answer_in_pieces(&mut stream, &sent, 5, chunked).await;
            }
        })
        .await;
        let client = builder(addr, &VirtualTime::new()).build().unwrap();
        let response = client.execute(Request::get(&["pieces"])).await.unwrap();
        assert_eq!(response.body().len(), body.len(), "chunked: {chunked}");
        assert!(response.body()[..] == body[..], "chunked: {chunked}");
    }
}

#[tokio::test]
async fn an_answer_in_pieces_over_the_cap_is_refused() {
    let addr = raw_server(|mut stream| async move {
        let _ = read_head(&mut stream).await;
        answer_in_pieces(&mut stream, &vec![b'x'; 100_000], 4, true).await;
    })
    .await;
    let client = builder(addr, &VirtualTime::new())
        .max_response_bytes(60_000)
        .build()
        .unwrap();
    let err = client.execute(Request::get(&["pieces"])).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                limit: 60_000,
                length: None,
                ..
            }
        ),
        "{err:?}"
    );
}

// ---------------------------------------------------------------- hostile numbers

#[tokio::test]
async fn hostile_rate_limit_headers_on_every_status_never_panic_nor_sleep_for_years() {
    const VALUES: &[&str] = &[
        "18446744073709551615",
        "99999999999999999999999",
        "1e19",
        "1e308",
        "-1",
        "NaN",
        "inf",
        "0",
        "1700000000000",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Thu, 01 Jan 1970 00:00:00 GMT",
        "garbage",
    ];
    for status in ["200 OK", "429 Too Many Requests", "503 Service Unavailable"] {
        for value in VALUES {
            let headers = format!(
                "retry-after: {value}\r\nx-ratelimit-limit: {value}\r\nx-ratelimit-remaining: {value}\r\nx-ratelimit-reset: {value}\r\n"
            );
            let addr = raw_server(move |mut stream| {
                let headers = headers.clone();
                async move {
                    let _ = read_head(&mut stream).await;
                    answer(&mut stream, status, &headers, "{}").await;
                }
            })
            .await;
            let time = VirtualTime::new();
            let client = builder(addr, &time).build().unwrap();
            let result = client.execute(Request::get(&["x"])).await;
            assert_eq!(
                result.is_ok(),
                status.starts_with("200"),
                "{status} {value}: {result:?}"
            );
            let _ = client.rate_limit().wait_hint();
            let cap = RetryPolicy::default().max_retry_after() + Duration::from_secs(1);
            assert!(
                time.sleeps().iter().all(|sleep| *sleep <= cap),
                "{status} {value}: {:?}",
                time.sleeps()
            );
        }
    }
}

// ---------------------------------------------------------------- retries that don't storm

#[tokio::test]
async fn a_hundred_concurrent_429s_spread_their_wake_ups_and_spend_the_budget() {
    let addr = answering("429 Too Many Requests", "retry-after: 5\r\n", "{}").await;
    let time = VirtualTime::new();
    // Unpaced, to see the retry loop alone (a paced client sends one request per window).
    let client = Client::builder(Vendor::OTHER, format!("http://{addr}"))
        .allow_http(true)
        .pacing(false)
        .sleeper(Arc::new(time.clone()))
        .clock(Arc::new(time.clone()))
        .build()
        .unwrap();
    let results = futures::future::join_all((0..100).map(|_| {
        let client = client.clone();
        async move { client.execute(Request::get(&["x"])).await }
    }))
    .await;
    assert!(
        results
            .iter()
            .all(|r| matches!(r, Err(Error::RateLimited { .. })))
    );
    let sleeps = time.sleeps();
    // 500 tokens at 5 a retry: 100 retries in all, not the 200 that 3 attempts each allow.
    assert_eq!(sleeps.len(), 100, "{}", sleeps.len());
    assert_eq!(client.retry_tokens_left(), 0);
    // Every wake-up is Retry-After plus up to a second, and they are spread.
    assert!(
        sleeps
            .iter()
            .all(|s| *s >= Duration::from_secs(5) && *s <= Duration::from_secs(6))
    );
    let mut distinct: Vec<_> = sleeps.iter().map(Duration::as_micros).collect();
    distinct.sort_unstable();
    distinct.dedup();
    assert!(
        distinct.len() > 90,
        "wake-ups spread: {} distinct of 100",
        distinct.len()
    );
    // Spent: the next failure returns at once.
    let err = client.execute(Request::get(&["x"])).await.unwrap_err();
    assert_eq!(err.request().unwrap().attempts, 1);
    let unlimited = Client::builder(Vendor::OTHER, format!("http://{addr}"))
        .allow_http(true)
        .pacing(false)
        .sleeper(Arc::new(time.clone()))
        .retry_budget(RetryBudget::unlimited())
        .build()
        .unwrap();
    let err = unlimited.execute(Request::get(&["x"])).await.unwrap_err();
    assert_eq!(err.request().unwrap().attempts, 3);
}

#[tokio::test]
async fn a_bare_503_on_a_create_is_not_sent_again_but_one_refused_at_the_door_is() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let addr = raw_server(move |mut stream| {
        let hits = counter.clone();
        async move {
            hits.fetch_add(1, Ordering::Relaxed);
            let (head, rest) = read_head(&mut stream).await;
            if head.contains("/door") {
                // Refuse before taking the 64 MiB body: the server cannot have acted on it.
                let text = "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 2\r\n\r\n{}";
                let _ = stream.write_all(text.as_bytes()).await;
                tokio::time::sleep(Duration::from_millis(500)).await;
                return;
            }
            let seen = AtomicUsize::new(0);
            let left = content_length(&head).saturating_sub(rest.len());
            drain(&mut stream, left, 1 << 16, Duration::ZERO, &seen).await;
            answer(&mut stream, "503 Service Unavailable", "", "{}").await;
        }
    })
    .await;
    let time = VirtualTime::new();
    let client = builder(addr, &time)
        .response_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let create = |path: &str, len: usize| {
        Request::post(&[path]).body(assetkit_core::Body::Bytes {
            data: vec![1u8; len].into(),
            content_type: "application/octet-stream".into(),
        })
    };
    let err = client.execute(create("read", 1000)).await.unwrap_err();
    assert!(matches!(err, Error::Server(_)));
    assert_eq!(
        hits.swap(0, Ordering::Relaxed),
        1,
        "read, then 503: not sent again"
    );
    let err = client.execute(create("door", 64 << 20)).await.unwrap_err();
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    assert_eq!(hits.load(Ordering::Relaxed), 3, "refused at the door: retried");
}

// ---------------------------------------------------------------- secrets and where credentials go

#[tokio::test]
async fn user_info_in_a_base_url_is_refused_without_showing_the_password() {
    let builder = Client::builder(Vendor::OTHER, "https://alice:hunter2@api.example.com/v1");
    assert!(!format!("{builder:?}").contains("hunter2"));
    let err = builder.build().unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("user info"), "{shown}");
    assert!(!shown.contains("hunter2") && !shown.contains("alice"), "{shown}");
    let unparsable = Client::builder(Vendor::OTHER, "https://bob:hunter2@[bad")
        .build()
        .unwrap_err();
    assert!(!format!("{unparsable} {unparsable:?}").contains("hunter2"));
}

#[tokio::test]
async fn plain_http_goes_only_to_loopback_unless_told() {
    let refused = Client::builder(Vendor::OTHER, "http://assets.example.com")
        .allow_http(true)
        .build()
        .unwrap_err();
    assert!(refused.to_string().contains("not loopback"), "{refused}");
    for local in [
        "http://127.0.0.1:9",
        "http://127.8.9.10",
        "http://[::1]:9",
        "http://localhost:9",
    ] {
        Client::builder(Vendor::OTHER, local)
            .allow_http(true)
            .build()
            .unwrap();
    }
    Client::builder(Vendor::OTHER, "http://assets.example.com")
        .danger_accept_plain_http(true)
        .build()
        .unwrap();
    // A presigned target on another host is judged on its own.
    let client = Client::builder(Vendor::OTHER, "http://127.0.0.1:9")
        .allow_http(true)
        .build()
        .unwrap();
    let url = "http://bucket.example.com/upload".parse().unwrap();
    let err = client
        .execute(Request::to_url(assetkit_core::Method::POST, url))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
}

#[tokio::test]
async fn a_presigned_signature_never_appears_after_a_connection_failure() {
    // A port with nothing listening.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let time = VirtualTime::new();
    let client = Client::builder(Vendor::OTHER, format!("http://127.0.0.1:{port}"))
        .allow_http(true)
        .sleeper(Arc::new(time.clone()))
        .build()
        .unwrap();
    let url = format!(
        "http://127.0.0.1:{port}/bucket/key?X-Amz-Credential=AKIDSECRETCRED%2F20261201&X-Amz-Signature=deadbeefsignature"
    )
    .parse()
    .unwrap();
    let request = Request::to_url(assetkit_core::Method::PUT, url);
    assert!(!format!("{request:?}").contains("deadbeef"));
    let err = client.execute(request).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                before_send: true,
                ..
            }
        ),
        "{err:?}"
    );
    let everything = format!("{} {err:?} {}", err.report(), err);
    for secret in ["deadbeefsignature", "AKIDSECRETCRED", "X-Amz-Signature"] {
        assert!(!everything.contains(secret), "{secret} leaked: {everything}");
    }
    assert!(everything.contains("?[redacted]"), "{everything}");
    assert!(
        err.report().contains("caused by"),
        "the cause is shown: {}",
        err.report()
    );
}

#[tokio::test]
async fn redirects_stop_at_the_origin_loops_and_missing_locations() {
    let other = raw_server(|mut stream| async move {
        let (head, _) = read_head(&mut stream).await;
        assert!(
            !head.to_ascii_lowercase().contains("x-api-key"),
            "credential crossed origins"
        );
        answer(&mut stream, "200 OK", "", "{}").await;
    })
    .await;
    let addr = raw_server(move |mut stream| async move {
        let (head, _) = read_head(&mut stream).await;
        let location = if head.starts_with("GET /loop") {
            "location: /loop\r\n".to_owned()
        } else if head.starts_with("GET /away") {
            format!("location: http://{other}/landed\r\n")
        } else {
            String::new()
        };
        answer(&mut stream, "302 Found", &location, "").await;
    })
    .await;
    let client = builder(addr, &VirtualTime::new()).build().unwrap();
    for path in ["loop", "away", "nowhere"] {
        let err = client.execute(Request::get(&[path])).await.unwrap_err();
        assert!(
            matches!(err, Error::UnexpectedStatus(ref api) if api.status == 302),
            "{path}: {err:?}"
        );
    }
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_plainly_and_never_retried() {
    let cert =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
    let chain = vec![cert.cert.der().clone()];
    let key = rustls::pki_types::PrivateKeyDer::try_from(cert.signing_key.serialize_der()).unwrap();
    let config =
        rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let addr = raw_server(move |stream| {
        let acceptor = acceptor.clone();
        let hits = counter.clone();
        async move {
            hits.fetch_add(1, Ordering::Relaxed);
            let _ = acceptor.accept(stream).await;
        }
    })
    .await;
    let time = VirtualTime::new();
    let client = Client::builder(Vendor::OTHER, format!("https://localhost:{}", addr.port()))
        .sleeper(Arc::new(time.clone()))
        .build()
        .unwrap();
    let err = client.execute(Request::get(&["x"])).await.unwrap_err();
    assert!(matches!(err, Error::Tls { .. }), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(hits.load(Ordering::Relaxed), 1, "not retried");
    assert!(time.sleeps().is_empty());
    let report = err.report();
    assert!(report.contains("TLS certificate rejected"), "{report}");
    assert!(report.to_ascii_lowercase().contains("certificate"), "{report}");
}

// ---------------------------------------------------------------- uploads that cannot send wrong bytes

/// A sleeper that runs `between` before returning: the file changes between attempts.
struct Between(Arc<dyn Fn() + Send + Sync>);

impl std::fmt::Debug for Between {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Between")
    }
}

impl Sleeper for Between {
    fn sleep(&self, _: Duration) -> BoxFuture<'static, ()> {
        (self.0)();
        Box::pin(async {})
    }
}

/// A server that answers 500 to the first request and 200 after, reading every body.
async fn fails_once() -> (SocketAddr, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let addr = raw_server(move |mut stream| {
        let hits = counter.clone();
        async move {
            let (head, rest) = read_head(&mut stream).await;
            let seen = AtomicUsize::new(rest.len());
            drain(
                &mut stream,
                content_length(&head).saturating_sub(rest.len()),
                1 << 16,
                Duration::ZERO,
                &seen,
            )
            .await;
            if hits.fetch_add(1, Ordering::Relaxed) == 0 {
                answer(&mut stream, "500 Internal Server Error", "", "{}").await;
            } else {
                answer(&mut stream, "200 OK", "", "{}").await;
            }
        }
    })
    .await;
    (addr, hits)
}

fn upload(path: &std::path::Path) -> Request {
    Request::put(&["file"])
        .multipart(MultipartForm::new().part(FormPart::file("file", UploadSource::path(path))))
}

#[tokio::test]
async fn a_file_changed_between_attempts_is_never_sent_with_other_content() {
    type Change = fn(&std::path::Path);
    let changes: [(&str, Change); 4] = [
        ("shrinks", |p| std::fs::write(p, b"short").unwrap()),
        ("grows", |p| {
            let mut data = std::fs::read(p).unwrap();
            data.extend_from_slice(b"more");
            std::fs::write(p, data).unwrap();
        }),
        ("vanishes", |p| std::fs::remove_file(p).unwrap()),
        ("same-size rewrite", |p| {
            let len = std::fs::metadata(p).unwrap().len();
            let tmp = p.with_extension("new");
            std::fs::write(&tmp, vec![b'Z'; usize::try_from(len).unwrap()]).unwrap();
            std::fs::rename(&tmp, p).unwrap();
        }),
    ];
    for (what, change) in changes {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.fbx");
        std::fs::write(&path, vec![b'A'; 200_000]).unwrap();
        let (addr, hits) = fails_once().await;
        let target = path.clone();
        let client = Client::builder(Vendor::OTHER, format!("http://{addr}"))
            .allow_http(true)
            .sleeper(Arc::new(Between(Arc::new(move || change(&target)))))
            .build()
            .unwrap();
        let err = client.execute(upload(&path)).await.unwrap_err();
        assert!(
            matches!(err, Error::Io { path: Some(ref p), .. } if p == &path),
            "{what}: {err:?}"
        );
        assert_eq!(
            hits.load(Ordering::Relaxed),
            1,
            "{what}: no second attempt went out"
        );
    }
}

#[tokio::test]
async fn a_file_that_changes_mid_send_fails_the_upload_before_its_last_byte() {
    for grow in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("video.mp4");
        std::fs::write(&path, vec![b'A'; 32 << 20]).unwrap();
        let seen = Arc::new(AtomicUsize::new(0));
        let counter = seen.clone();
        let addr = raw_server(move |mut stream| {
            let seen = counter.clone();
            async move {
                let (head, rest) = read_head(&mut stream).await;
                let left = content_length(&head).saturating_sub(rest.len());
                drain(&mut stream, left, 1 << 16, Duration::from_millis(2), &seen).await;
                answer(&mut stream, "200 OK", "", "{}").await;
            }
        })
        .await;
        let client = Client::builder(Vendor::OTHER, format!("http://{addr}"))
            .allow_http(true)
            .retry(RetryPolicy::never())
            .build()
            .unwrap();
        let target = path.clone();
        let watcher = seen.clone();
        let changer = tokio::spawn(async move {
            while watcher.load(Ordering::Relaxed) < 1 << 20 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            if grow {
                use std::io::Write;
                let mut file = std::fs::OpenOptions::new().append(true).open(&target).unwrap();
                file.write_all(b"appended").unwrap();
            } else {
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .unwrap()
                    .set_len(1 << 20)
                    .unwrap();
            }
        });
        let err = client.execute(upload(&path)).await.unwrap_err();
        changer.await.unwrap();
        assert!(
            matches!(err, Error::Io { path: Some(ref p), .. } if p == &path),
            "grow={grow}: {err:?}"
        );
        assert!(
            err.report().contains("changed while being uploaded"),
            "{}",
            err.report()
        );
    }
}

#[tokio::test]
async fn the_summary_names_method_endpoint_url_attempts_and_time() {
    let addr = answering("502 Bad Gateway", "", r#"{"message":"upstream"}"#).await;
    let time = VirtualTime::new();
    let client = builder(addr, &time)
        .retry(RetryPolicy::default().with_jitter(false))
        .build()
        .unwrap();
    let err = client
        .execute(
            Request::get(&["assets", "42"])
                .query("token", "sekret")
                .endpoint("demo.get_asset"),
        )
        .await
        .unwrap_err();
    let summary = err.request().unwrap();
    assert_eq!((summary.attempts, summary.endpoint), (3, "demo.get_asset"));
    assert_eq!(summary.elapsed, Duration::from_secs(3), "1 s + 2 s of waits");
    assert_eq!(summary.url, format!("http://{addr}/assets/42?[redacted]"));
    let shown = err.to_string();
    assert!(
        shown.contains("GET") && shown.contains("3 attempts") && !shown.contains("sekret"),
        "{shown}"
    );
    assert_eq!(time.now() - time.now(), Duration::ZERO);
}

#[tokio::test]
async fn an_unchanged_file_uploads_in_full_with_its_checks_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("photo.png");
    std::fs::write(&path, vec![b'A'; 1_234_567]).unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    let addr = raw_server(move |mut stream| {
        let seen = counter.clone();
        async move {
            let (head, rest) = read_head(&mut stream).await;
            seen.fetch_add(rest.len(), Ordering::Relaxed);
            let left = content_length(&head).saturating_sub(rest.len());
            drain(&mut stream, left, 1 << 16, Duration::ZERO, &seen).await;
            answer(&mut stream, "200 OK", "", "{}").await;
        }
    })
    .await;
    let client = Client::builder(Vendor::OTHER, format!("http://{addr}"))
        .allow_http(true)
        .build()
        .unwrap();
    client.execute(upload(&path)).await.unwrap();
    assert!(seen.load(Ordering::Relaxed) > 1_234_567);
}
