//! Helpers every vendor test file shares: the loud catch-all server, JSON answers, reading
//! back what the server received, and the strict multipart parser.
// Each test binary uses a part of these.
#![allow(dead_code)]

use assetkit_testkit::{Part, parse_multipart};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A wiremock server whose unmatched requests get a loud 599, so a request the test did not
/// expect fails it instead of passing silently.
pub(crate) async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(599).set_body_string("unmatched"))
        .with_priority(u8::MAX)
        .mount(&server)
        .await;
    server
}

/// An answer with `body` as JSON.
pub(crate) fn json_response(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// Every request the server received, in order.
pub(crate) async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

/// A header of a received request, as text.
pub(crate) fn header_of<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

/// A received JSON body (its content type checked).
pub(crate) fn json_of(request: &Request) -> Value {
    assert_eq!(header_of(request, "content-type"), Some("application/json"));
    serde_json::from_slice(&request.body).unwrap()
}

/// Parses a `multipart/form-data` body strictly: it must be byte for byte the canonical
/// encoding of its parts (every delimiter on its own line, only `Content-Disposition:
/// form-data; name=..; filename=..` and `Content-Type` headers, then a blank line, the data,
/// and the closing `--boundary--` with nothing after it).
pub(crate) fn multipart(request: &Request) -> Vec<Part> {
    let content_type = header_of(request, "content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let parts = parse_multipart(content_type, &request.body).unwrap();
    assert!(
        request.body == Part::encode(boundary, &parts),
        "the body is not the canonical encoding of its parts"
    );
    parts
}
