//! Reading multipart bodies (with `multer`), for the fakes and for users' assertions.

use bytes::Bytes;

/// One field of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Part {
    /// The field name.
    pub name: String,
    /// The file name, for file fields.
    pub file_name: Option<String>,
    /// The part's content type, when given.
    pub content_type: Option<String>,
    /// The content.
    pub data: Bytes,
}

impl Part {
    /// The content as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

/// Splits a `multipart/form-data` body into its parts, in order.
///
/// ```
/// let body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n";
/// let parts = assetkit_testkit::parse_multipart("multipart/form-data; boundary=b", body).unwrap();
/// assert_eq!(parts[0].name, "a");
/// assert_eq!(parts[0].text(), "1");
/// ```
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Result<Vec<Part>, String> {
    let boundary = multer::parse_boundary(content_type).map_err(|e| e.to_string())?;
    let data = Bytes::copy_from_slice(body);
    let stream = futures::stream::once(async move { Ok::<Bytes, std::io::Error>(data) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    futures::executor::block_on(async move {
        let mut parts = Vec::new();
        while let Some(field) = multipart.next_field().await.map_err(|e| e.to_string())? {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let content_type = field.content_type().map(ToString::to_string);
            let data = field.bytes().await.map_err(|e| e.to_string())?;
            parts.push(Part {
                name,
                file_name,
                content_type,
                data,
            });
        }
        Ok(parts)
    })
}

/// The parts of a recorded wiremock request, by its `Content-Type`.
pub(crate) fn parts_of(request: &wiremock::Request) -> Result<Vec<Part>, String> {
    let content_type = crate::server::header(request, "content-type").ok_or("no content type")?;
    parse_multipart(content_type, &request.body)
}
