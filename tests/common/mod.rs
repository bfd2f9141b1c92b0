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

/// `filler` behind the first bytes a file named `name` must have to pass the Roblox
/// preflight: the signature of its format and, for images, a 1×1 header. Lets tests about
/// the wire send made-up content. Audio and video are returned as they are: their whole
/// container header is read, so tests that do not build one send them with
/// `.skip_preflight()`.
pub(crate) fn passes_preflight(name: &str, filler: &[u8]) -> Vec<u8> {
    let extension = name.rsplit('.').next().unwrap_or_default().to_ascii_lowercase();
    let header: &[u8] = match extension.as_str() {
        "fbx" => b"Kaydara FBX Binary  \0\x1a\x00\xe8\x1c\x00\x00",
        "glb" => b"glTF\x02\x00\x00\x00",
        "gltf" => b"{\"asset\": {\"version\": \"2.0\"}}\n",
        "rbxm" => b"<roblox!\x89\xff\r\n\x1a\n\x00\x00",
        "rbxmx" => b"<roblox version=\"4\">\n",
        // Signature, then IHDR: 1x1, 8-bit RGB (CRC included).
        "png" => b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53\xde",
        // SOI, then a baseline frame header: 1x1, one component.
        "jpg" | "jpeg" => b"\xFF\xD8\xFF\xC0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00",
        // File header and BITMAPINFOHEADER: 1x1, 24 bits.
        "bmp" => b"BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00\x18\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
        // Uncompressed true colour, 1x1, 24 bits.
        "tga" => b"\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01\x00\x18\x00",
        _ => b"",
    };
    [header, filler].concat()
}
