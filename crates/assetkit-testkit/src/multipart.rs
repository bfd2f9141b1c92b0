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

    /// The canonical `multipart/form-data` body of `parts` with `boundary`: the one reqwest
    /// writes. Each part is `--<b>\r\n`, `Content-Disposition: form-data; name="<name>"`
    /// (plus `; filename="<file name>"` for files), `\r\nContent-Type: <type>` when it has
    /// one, `\r\n\r\n`, the data and `\r\n`; the body ends with `--<b>--\r\n`.
    ///
    /// A body that equals the encoding of what [`parse_multipart`] made of it has no
    /// preamble, padding, epilogue or other header, and its names, file names and content
    /// types are exactly the parsed ones (which `multer` otherwise normalises or tolerates).
    /// Names needing percent-encoding and file names with `"` or `\` (which reqwest escapes)
    /// are written as they are, so they do not round-trip.
    ///
    /// ```
    /// use assetkit_testkit::{Part, parse_multipart};
    /// let body = b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n";
    /// let parts = parse_multipart("multipart/form-data; boundary=b", body).unwrap();
    /// assert_eq!(Part::encode("b", &parts), body);
    ///
    /// let sloppy = b"--b\r\ncontent-disposition: form-data; name=a\r\n\r\n1\r\n--b--";
    /// let parts = parse_multipart("multipart/form-data; boundary=b", sloppy).unwrap();
    /// assert_eq!(parts[0].name, "a");
    /// assert_ne!(Part::encode("b", &parts), sloppy);
    /// ```
    pub fn encode(boundary: &str, parts: &[Part]) -> Vec<u8> {
        let mut body = Vec::with_capacity(parts.iter().map(|p| p.data.len() + 160).sum());
        for part in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{}\"", part.name).as_bytes(),
            );
            if let Some(file_name) = &part.file_name {
                body.extend_from_slice(format!("; filename=\"{file_name}\"").as_bytes());
            }
            if let Some(content_type) = &part.content_type {
                body.extend_from_slice(format!("\r\nContent-Type: {content_type}").as_bytes());
            }
            body.extend_from_slice(b"\r\n\r\n");
            body.extend_from_slice(&part.data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        body
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

#[cfg(test)]
mod tests {
    use super::*;

    const CANONICAL: &[u8] = b"--b\r\nContent-Disposition: form-data; name=\"request\"\r\n\r\n{}\r\n\
        --b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.fbx\"\r\nContent-Type: model/fbx\r\n\r\nxyz\r\n\
        --b--\r\n";

    fn reencodes(body: &[u8]) -> bool {
        let parts = parse_multipart("multipart/form-data; boundary=b", body).unwrap();
        Part::encode("b", &parts) == body
    }

    #[test]
    fn the_canonical_body_round_trips() {
        let parts = parse_multipart("multipart/form-data; boundary=b", CANONICAL).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].file_name.as_deref(), Some("a.fbx"));
        assert_eq!(parts[1].content_type.as_deref(), Some("model/fbx"));
        assert_eq!(Part::encode("b", &parts), CANONICAL);
    }

    #[test]
    fn what_multer_tolerates_does_not_reencode() {
        let text = std::str::from_utf8(CANONICAL).unwrap();
        let variants = [
            format!("preamble\r\n{text}"),
            text.replacen("--b\r\n", "--b  \r\n", 1),
            text.replace("model/fbx", "Model/FBX"),
            text.replace("\r\n\r\nxyz", "\r\nX-Extra: 1\r\n\r\nxyz"),
            text.replace("name=\"request\"", "name=request"),
            text.replace("; filename=", ";filename="),
            text.replace("Content-Type:", "content-type:"),
            text.replace("--b--\r\n", "--b--"),
            format!("{text}epilogue"),
        ];
        for variant in variants {
            assert!(!reencodes(variant.as_bytes()), "{variant:?}");
        }
    }
}
