//! The transport against real HTTP on loopback: status mapping, retries, rate limits,
//! replayed uploads, credentials and redirects.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use assetkit_core::header::{HeaderName, HeaderValue};
use assetkit_core::time::VirtualTime;
use assetkit_core::{
    Authenticator, Authorization, Client, Error, FormPart, MultipartForm, ProgressReporter, Request,
    RetryPolicy, UploadSource, Vendor,
};
use assetkit_testkit::{Part, parse_multipart};
use futures::future::BoxFuture;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A test credential sent as `x-api-key`.
#[derive(Debug)]
struct TestKey;

impl Authenticator for TestKey {
    fn authorize(&self) -> BoxFuture<'_, assetkit_core::Result<Authorization>> {
        Box::pin(async {
            Ok(Authorization::new(
                HeaderName::from_static("x-api-key"),
                HeaderValue::from_static("top-secret-key"),
                0,
            ))
        })
    }
}

/// A vendor whose answers are `{success, ...}` envelopes.
#[derive(Debug)]
struct Enveloped;

impl assetkit_core::Profile for Enveloped {
    fn vendor(&self) -> Vendor {
        Vendor::new("enveloped")
    }

    fn rejects(&self, body: &[u8]) -> bool {
        assetkit_core::vendor::success_false(body)
    }
}

fn client(
    vendor: impl assetkit_core::Profile + 'static,
    base: &str,
    time: &VirtualTime,
    retry: RetryPolicy,
) -> Client {
    Client::builder(vendor, base)
        .allow_http(true)
        .auth(Arc::new(TestKey))
        .retry(retry)
        .sleeper(Arc::new(time.clone()))
        .clock(Arc::new(time.clone()))
        .build()
        .unwrap()
}

fn exact_retry() -> RetryPolicy {
    RetryPolicy::default().with_jitter(false)
}

#[tokio::test]
async fn status_table_for_the_common_error_shapes() {
    let bodies: &[(Vendor, &str, &str)] = &[
        (
            Vendor::new("roblox"),
            r#"{"code":"INVALID_ARGUMENT","message":"Display name is required."}"#,
            "Display name is required.",
        ),
        (
            Vendor::new("webflow"),
            r#"{"code":"not_found","message":"Requested resource not found","externalReference":"ref-9","details":[]}"#,
            "Requested resource not found",
        ),
        (
            Vendor::new("mediapocket"),
            r#"{"error":"project not found"}"#,
            "project not found",
        ),
        (
            Vendor::OTHER,
            "<html><body><h1>Bad Gateway</h1></body></html>",
            "Bad Gateway",
        ),
    ];
    let statuses = [400u16, 401, 403, 404, 422, 429, 500, 503];
    for (vendor, body, message) in bodies {
        for status in statuses {
            let server = MockServer::start().await;
            Mock::given(method("GET"))
                .respond_with(ResponseTemplate::new(status).set_body_string(*body))
                .mount(&server)
                .await;
            let time = VirtualTime::new();
            let client = client(*vendor, &server.uri(), &time, RetryPolicy::never());
            let err = client.execute(Request::get(&["thing"])).await.unwrap_err();
            let variant_ok = match status {
                400 => matches!(err, Error::BadRequest(_)),
                401 => matches!(err, Error::Unauthorized(_)),
                403 => matches!(err, Error::Forbidden(_)),
                404 => matches!(err, Error::NotFound(_)),
                422 => matches!(err, Error::Unprocessable(_)),
                429 => matches!(err, Error::RateLimited { .. }),
                _ => matches!(err, Error::Server(_)),
            };
            assert!(variant_ok, "{vendor} {status}: got {err:?}");
            let api = err.api_error().unwrap();
            assert_eq!(err.status(), Some(status));
            assert_eq!(api.vendor, *vendor);
            if *vendor == Vendor::OTHER {
                // Not JSON: the reason phrase stands in, and the raw page is kept.
                assert!(api.body.contains("<h1>Bad Gateway</h1>"), "{api:?}");
            } else {
                assert_eq!(api.message, *message, "{vendor} {status}");
            }
            assert_eq!(
                err.is_retryable(),
                matches!(status, 429 | 500 | 503),
                "{vendor} {status}"
            );
            assert!(time.sleeps().is_empty());
        }
    }
}

#[tokio::test]
async fn code_details_and_request_id_header_are_kept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "abc-123")
                .set_body_string(
                    r#"{"code":"resource_not_found","message":"Requested resource not found","details":[{"param":"asset_id"}]}"#,
                ),
        )
        .mount(&server)
        .await;
    let time = VirtualTime::new();
    let err = client(Vendor::new("webflow"), &server.uri(), &time, RetryPolicy::never())
        .execute(Request::get(&["assets", "x"]))
        .await
        .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.code.as_deref(), Some("resource_not_found"));
    assert_eq!(api.request_id.as_deref(), Some("abc-123"));
    assert_eq!(api.details.len(), 1);
    let text = err.to_string();
    assert!(text.contains("webflow answered 404 resource_not_found"), "{text}");
}

#[tokio::test]
async fn retries_503_twice_then_succeeds_with_exact_backoff() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"ok":true}"#))
        .mount(&server)
        .await;
    let time = VirtualTime::new();
    let response = client(Vendor::new("roblox"), &server.uri(), &time, exact_retry())
        .execute(Request::get(&["v1", "assets", "1"]))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    assert_eq!(
        time.sleeps(),
        vec![Duration::from_secs(1), Duration::from_secs(2)]
    );
}

#[tokio::test]
async fn stops_at_the_attempt_limit_with_the_last_answer() {
    let server = MockServer::start().await;
    for n in 1..=5 {
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(if n < 5 { 503 } else { 502 }).set_body_string(format!("failure {n}")),
            )
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    let time = VirtualTime::new();
    let err = client(
        Vendor::OTHER,
        &server.uri(),
        &time,
        exact_retry().with_max_attempts(5),
    )
    .execute(Request::get(&["x"]))
    .await
    .unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.api_error().unwrap().body, "failure 5");
    let secs: Vec<u64> = time.sleeps().iter().map(Duration::as_secs).collect();
    assert_eq!(secs, vec![1, 2, 4, 8]);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for status in [400u16, 401, 403, 404, 422] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let time = VirtualTime::new();
        let err = client(Vendor::new("roblox"), &server.uri(), &time, exact_retry())
            .execute(Request::get(&["x"]))
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            1,
            "status {status}"
        );
        assert!(time.sleeps().is_empty());
    }
}

#[tokio::test]
async fn retry_after_in_seconds_is_a_floor() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "7"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let time = VirtualTime::new();
    // A POST is not idempotent, but a 429 means the server did nothing: it is retried.
    client(Vendor::new("roblox"), &server.uri(), &time, exact_retry())
        .execute(Request::post(&["v1", "assets"]))
        .await
        .unwrap();
    assert_eq!(time.sleeps(), vec![Duration::from_secs(7)]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn retry_after_as_http_date() {
    let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let time = VirtualTime::starting_at(start);
    let server = MockServer::start().await;
    let date = httpdate::fmt_http_date(start + Duration::from_secs(12));
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", date.as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    client(Vendor::new("webflow"), &server.uri(), &time, exact_retry())
        .execute(Request::get(&["sites"]))
        .await
        .unwrap();
    assert_eq!(time.sleeps(), vec![Duration::from_secs(12)]);
}

#[tokio::test]
async fn exhausted_rate_limit_window_waits_for_the_reset() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-ratelimit-limit", "120")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "9"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-limit", "120")
                .insert_header("x-ratelimit-remaining", "119"),
        )
        .mount(&server)
        .await;
    let time = VirtualTime::new();
    let client = client(Vendor::new("roblox"), &server.uri(), &time, exact_retry());
    let response = client.execute(Request::get(&["x"])).await.unwrap();
    assert_eq!(time.sleeps(), vec![Duration::from_secs(9)]);
    assert_eq!(response.rate_limit().remaining, Some(119));
    assert_eq!(client.rate_limit().limit, Some(120));
    assert_eq!(client.rate_limit().remaining, Some(119));
}

#[tokio::test]
async fn a_hint_over_the_cap_fails_fast() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let time = VirtualTime::new();
    let err = client(Vendor::new("roblox"), &server.uri(), &time, exact_retry())
        .execute(Request::get(&["x"]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(3600)));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert!(time.sleeps().is_empty());
}

#[tokio::test]
async fn non_idempotent_post_is_not_retried_on_500_but_put_is() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let time = VirtualTime::new();
    let client = client(Vendor::OTHER, &server.uri(), &time, exact_retry());
    client.execute(Request::post(&["a"])).await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    client.execute(Request::put(&["a"])).await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
    // Marked idempotent by the caller, a POST is retried too.
    client
        .execute(Request::post(&["a"]).idempotent(true))
        .await
        .unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 7);
}

/// A server that reads the start of each request and then drops the connection, counting
/// connections.
async fn dropping_server() -> (String, Arc<AtomicUsize>) {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            let mut buf = vec![0u8; 1024];
            let _ = socket.read(&mut buf).await;
            drop(socket);
        }
    });
    (format!("http://{addr}"), count)
}

#[tokio::test]
async fn mid_body_failure_is_not_retried_for_a_post() {
    let (base, connections) = dropping_server().await;
    let time = VirtualTime::new();
    let client = client(Vendor::OTHER, &base, &time, exact_retry());
    let big = vec![7u8; 4 * 1024 * 1024];
    let form = MultipartForm::new().part(FormPart::file(
        "file",
        UploadSource::bytes("big.bin", big.clone()),
    ));
    let err = client
        .execute(Request::post(&["upload"]).multipart(form))
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
    assert_eq!(connections.load(Ordering::SeqCst), 1);
    assert!(time.sleeps().is_empty());

    // The same failure on an idempotent PUT is retried up to the limit.
    let form = MultipartForm::new().part(FormPart::file("file", UploadSource::bytes("big.bin", big)));
    client
        .execute(Request::put(&["upload"]).multipart(form))
        .await
        .unwrap_err();
    assert_eq!(connections.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn connection_refused_is_retried_even_for_a_post() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let time = VirtualTime::new();
    let err = client(Vendor::OTHER, &format!("http://{addr}"), &time, exact_retry())
        .execute(Request::post(&["x"]))
        .await
        .unwrap_err();
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
    assert_eq!(time.sleeps().len(), 2);
}

#[tokio::test]
async fn a_connect_timeout_is_retried_even_for_a_post() {
    // A listener that never accepts, its backlog filled: further connects time out.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut queued = Vec::new();
    while let Ok(stream) = std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
        queued.push(stream);
        assert!(queued.len() < 64, "the backlog never filled");
    }
    let time = VirtualTime::new();
    let err = Client::builder(Vendor::OTHER, format!("http://{addr}"))
        .allow_http(true)
        .connect_timeout(Duration::from_millis(100))
        .retry(exact_retry())
        .sleeper(Arc::new(time.clone()))
        .clock(Arc::new(time.clone()))
        .build()
        .unwrap()
        .execute(Request::post(&["x"]))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: assetkit_core::TimeoutKind::Connect,
                before_send: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(time.sleeps(), [Duration::from_secs(1), Duration::from_secs(2)]);
    drop((queued, listener));
}

#[tokio::test]
async fn a_retried_multipart_upload_sends_the_whole_file_again() {
    let dir = std::env::temp_dir().join(format!("assetkit-core-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tree.fbx");
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&file, &content).unwrap();

    let server = MockServer::start().await;
    // With Retry-After, the 503 is the service saying it is unavailable: a POST may retry.
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let time = VirtualTime::new();
    let (reporter, mut progress) = ProgressReporter::channel();
    let form = MultipartForm::new()
        .text("request", r#"{"assetType":"Model"}"#)
        .part(FormPart::file("fileContent", UploadSource::path(&file)).content_type("model/fbx"));
    client(Vendor::new("roblox"), &server.uri(), &time, exact_retry())
        .execute(
            Request::post(&["v1", "assets"])
                .multipart(form)
                .progress(Some(reporter)),
        )
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let content_type = request.headers.get("content-type").unwrap().to_str().unwrap();
        let length: usize = request
            .headers
            .get("content-length")
            .unwrap()
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(length, request.body.len());
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        let parts = parse_multipart(content_type, &request.body).unwrap();
        // Byte for byte the canonical encoding: the part headers are exactly the parsed ones.
        assert!(request.body == Part::encode(boundary, &parts));
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "request");
        assert_eq!(parts[0].file_name, None);
        assert_eq!(parts[0].data, &br#"{"assetType":"Model"}"#[..]);
        assert_eq!(parts[1].name, "fileContent");
        assert_eq!(parts[1].file_name.as_deref(), Some("tree.fbx"));
        assert_eq!(parts[1].content_type.as_deref(), Some("model/fbx"));
        assert!(parts[1].data == content, "file part differs from the file");
    }
    // Progress: each attempt counts from zero, and the last report of each equals the size.
    let mut reports = Vec::new();
    while let Ok(p) = progress.try_recv() {
        reports.push(p);
    }
    for attempt in [1, 2] {
        let of_attempt: Vec<_> = reports.iter().filter(|p| p.attempt == attempt).collect();
        assert!(of_attempt.windows(2).all(|w| w[0].sent < w[1].sent));
        assert_eq!(of_attempt.last().unwrap().sent, content.len() as u64);
        assert!(of_attempt.iter().all(|p| p.total == content.len() as u64));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_missing_file_is_an_io_error_before_sending() {
    let server = MockServer::start().await;
    let time = VirtualTime::new();
    let form = MultipartForm::new().part(FormPart::file(
        "file",
        UploadSource::path("/nonexistent/file.fbx"),
    ));
    let err = client(Vendor::new("roblox"), &server.uri(), &time, exact_retry())
        .execute(Request::post(&["x"]).multipart(form))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("/nonexistent/file.fbx"));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_one_shot_stream_gets_one_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let time = VirtualTime::new();
    let stream = futures::stream::iter(vec![Ok(bytes::Bytes::from_static(b"once"))]);
    let body = assetkit_core::Body::Stream(assetkit_core::OneShot::new(Some(4), Box::pin(stream)));
    client(Vendor::OTHER, &server.uri(), &time, exact_retry())
        .execute(Request::post(&["x"]).body(body))
        .await
        .unwrap_err();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body, b"once");
}

#[tokio::test]
async fn a_stream_of_known_length_reports_progress_against_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let time = VirtualTime::new();
    let stream = futures::stream::iter(vec![
        Ok(bytes::Bytes::from_static(b"on")),
        Ok(bytes::Bytes::from_static(b"ce")),
    ]);
    let body = assetkit_core::Body::Stream(assetkit_core::OneShot::new(Some(4), Box::pin(stream)));
    let (reporter, mut progress) = ProgressReporter::channel();
    client(Vendor::OTHER, &server.uri(), &time, exact_retry())
        .execute(Request::post(&["x"]).body(body).progress(Some(reporter)))
        .await
        .unwrap();
    let mut reports = Vec::new();
    while let Ok(p) = progress.try_recv() {
        reports.push((p.sent, p.total, p.attempt));
    }
    assert_eq!(reports, [(2, 4, 1), (4, 4, 1)]);
    assert_eq!(server.received_requests().await.unwrap()[0].body, b"once");
}

#[tokio::test]
async fn a_directory_is_refused_before_sending_with_or_without_progress() {
    let server = MockServer::start().await;
    let dir = std::env::temp_dir();
    let time = VirtualTime::new();
    for progress in [None, Some(ProgressReporter::callback(|_| {}))] {
        let form = MultipartForm::new().part(FormPart::file("file", UploadSource::path(&dir)));
        // PUT is idempotent: a failure mid-request would have been retried.
        let err = client(Vendor::new("roblox"), &server.uri(), &time, exact_retry())
            .execute(Request::put(&["x"]).multipart(form).progress(progress))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
    assert!(time.sleeps().is_empty());
}

#[tokio::test]
async fn credentials_stay_on_the_vendor_origin() {
    let vendor = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&vendor)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&other)
        .await;
    let time = VirtualTime::new();
    let client = client(Vendor::new("roblox"), &vendor.uri(), &time, exact_retry());
    client.execute(Request::get(&["mine"])).await.unwrap();
    let upload = assetkit_core::Url::parse(&format!("{}/bucket", other.uri())).unwrap();
    client
        .execute(Request::to_url(assetkit_core::Method::POST, upload))
        .await
        .unwrap();
    let to_vendor = vendor.received_requests().await.unwrap();
    assert_eq!(to_vendor[0].headers.get("x-api-key").unwrap(), "top-secret-key");
    let to_other = other.received_requests().await.unwrap();
    assert_eq!(to_other.len(), 1);
    assert!(to_other[0].headers.get("x-api-key").is_none());
    assert!(to_other[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn redirects_are_followed_only_within_the_origin() {
    let vendor = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(path("/moved"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/here"))
        .mount(&vendor)
        .await;
    Mock::given(path("/here"))
        .respond_with(ResponseTemplate::new(200).set_body_string("here"))
        .mount(&vendor)
        .await;
    Mock::given(path("/away"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", format!("{}/steal", other.uri())))
        .mount(&vendor)
        .await;
    Mock::given(path("/steal"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&other)
        .await;
    let time = VirtualTime::new();
    let client = client(Vendor::OTHER, &vendor.uri(), &time, exact_retry());
    let response = client.execute(Request::get(&["moved"])).await.unwrap();
    assert_eq!(response.body().as_ref(), b"here");
    let here = &vendor.received_requests().await.unwrap()[1];
    assert_eq!(here.headers.get("x-api-key").unwrap(), "top-secret-key");
    assert!(here.headers.get("referer").is_none());

    let err = client.execute(Request::get(&["away"])).await.unwrap_err();
    assert!(
        matches!(err, Error::UnexpectedStatus(ref e) if e.status == 302),
        "{err:?}"
    );
    assert!(other.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn no_secret_in_debug_output() {
    let time = VirtualTime::new();
    let client = client(Vendor::new("roblox"), "http://127.0.0.1:9", &time, exact_retry());
    let auth = TestKey.authorize().await.unwrap();
    let printed = format!("{client:?} {auth:?}");
    assert!(!printed.contains("top-secret-key"), "{printed}");
    assert!(printed.contains("REDACTED"));
}

#[tokio::test]
async fn base_url_path_prefix_is_kept_and_segments_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/proxy/roblox/assets/v1/assets/a%20b%2Fc"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let time = VirtualTime::new();
    for base in [
        format!("{}/proxy/roblox/assets", server.uri()),
        format!("{}/proxy/roblox/assets/", server.uri()),
    ] {
        client(Vendor::new("roblox"), &base, &time, exact_retry())
            .execute(Request::get(&["v1", "assets", "a b/c"]).query("readMask", "displayName,description"))
            .await
            .unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].url.query(),
        Some("readMask=displayName%2Cdescription")
    );
}

#[tokio::test]
async fn plain_http_needs_an_opt_in() {
    let err = Client::builder(Vendor::new("roblox"), "http://example.test/assets")
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidRequest(ref m) if m.contains("allow_http")),
        "{err}"
    );
    assert!(
        Client::builder(Vendor::new("roblox"), "ftp://example.test")
            .allow_http(true)
            .build()
            .is_err()
    );
    assert!(
        Client::builder(Vendor::new("roblox"), "not a url")
            .build()
            .is_err()
    );
    assert!(
        Client::builder(Vendor::new("roblox"), "https://apis.roblox.com/assets")
            .build()
            .is_ok()
    );
}

#[tokio::test]
async fn a_failure_envelope_under_200_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"success":false,"error":"App not found.","body":null}"#),
        )
        .mount(&server)
        .await;
    let time = VirtualTime::new();
    let err = client(Enveloped, &server.uri(), &time, exact_retry())
        .execute(Request::post(&["v1", "asset"]))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Rejected(ref e) if e.message == "App not found." && e.status == 200),
        "{err:?}"
    );
    // The same body from a vendor without envelopes is a success.
    let ok = client(Vendor::new("roblox"), &server.uri(), &time, exact_retry())
        .execute(Request::post(&["v1", "asset"]))
        .await;
    assert!(ok.is_ok());
}

#[tokio::test]
async fn sends_the_user_agent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let time = VirtualTime::new();
    client(Vendor::OTHER, &server.uri(), &time, exact_retry())
        .execute(Request::get(&[]))
        .await
        .unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        request.headers.get("user-agent").unwrap(),
        assetkit_core::USER_AGENT
    );
    assert!(assetkit_core::USER_AGENT.starts_with("assetkit/"));
}
