//! Preflight: the content limits of Roblox's usage guide, checked from the file's own header
//! before any byte is sent. A refused upload still counts against the month's 10 or 100
//! audio uploads and the day's 20 videos, so what Roblox would refuse is refused here.
//!
//! What is read, and only that much:
//! - images: their first 4 KiB for the signature; PNG and JPEG dimensions with `imagesize`
//!   (a JPEG's segments are skipped by seeking until its frame header), BMP and TGA ones
//!   from the fixed header already read;
//! - audio and video: the container's headers with `symphonia`'s demuxers, which seek over
//!   the media data and decode nothing (a few KiB to a few hundred KiB, whatever the size);
//! - models: their first 4 KiB.
//!
//! A file on disk is read on a blocking thread; bytes in memory go through the same code on
//! the same kind of thread, so a parser that panics on a hostile file fails the check
//! instead of the caller's task.

use std::io::{self, BufReader, Cursor, Read, Seek, SeekFrom};
use std::time::Duration;

use assetkit_core::{Error, Result, UploadSource};
use bytes::Bytes;
use symphonia::core::codecs::CodecParameters;
use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::{MediaSource, MediaSourceStream, MediaSourceStreamOptions};
use symphonia::core::units::TimeBase;
use symphonia::default::formats::{FlacReader, IsoMp4Reader, MpaReader, OggReader, WavReader};

use super::AssetType;
use super::models::{
    MAX_AUDIO_DURATION, MAX_IMAGE_SIDE, MAX_VIDEO_DURATION, MAX_VIDEO_HEIGHT, MAX_VIDEO_WIDTH,
};

/// How much of the start of a file the signature checks look at.
const HEAD_LEN: usize = 4096;

/// The read buffer for image headers: one read covers a PNG, BMP or TGA header, and each
/// JPEG segment header is one more.
const IMAGE_BUFFER: usize = 4096;

/// What a refusal says when the file could not be understood rather than found over a
/// limit: the way out for a file that is fine but that these parsers cannot read.
const SKIP_HINT: &str = "if the file plays and is within Roblox's limits, send it with .skip_preflight()";

/// What the header of a file must show, by the format its extension names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Image(Image),
    Audio(Audio),
    Video,
    Model(Model),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Image {
    Png,
    Jpeg,
    Bmp,
    Tga,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Audio {
    Mp3,
    Ogg,
    Flac,
    Wav,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Model {
    Fbx,
    Glb,
    Gltf,
    Rbxm,
    Rbxmx,
}

/// The check for a file with `extension` (lowercase, no dot) uploaded as `asset_type`, or
/// `None` when the guide states no content limit for it (meshes, unknown types).
fn kind(asset_type: &AssetType, extension: &str) -> Option<Kind> {
    use AssetType as T;
    Some(match (asset_type, extension) {
        (T::Decal | T::Image, "png") => Kind::Image(Image::Png),
        (T::Decal | T::Image, "jpg" | "jpeg") => Kind::Image(Image::Jpeg),
        (T::Decal | T::Image, "bmp") => Kind::Image(Image::Bmp),
        (T::Decal | T::Image, "tga") => Kind::Image(Image::Tga),
        (T::Audio, "mp3") => Kind::Audio(Audio::Mp3),
        (T::Audio, "ogg") => Kind::Audio(Audio::Ogg),
        (T::Audio, "flac") => Kind::Audio(Audio::Flac),
        (T::Audio, "wav") => Kind::Audio(Audio::Wav),
        (T::Video, "mp4" | "mov") => Kind::Video,
        (T::Model, "fbx") => Kind::Model(Model::Fbx),
        (T::Model, "glb") => Kind::Model(Model::Glb),
        (T::Model, "gltf") => Kind::Model(Model::Gltf),
        (T::Model | T::Animation, "rbxm") => Kind::Model(Model::Rbxm),
        (T::Model | T::Animation, "rbxmx") => Kind::Model(Model::Rbxmx),
        _ => return None,
    })
}

/// Checks `source`, to be uploaded as `asset_type`, against the guide's limits for its
/// format: `InvalidRequest` naming the limit and what the file holds, or when the file is
/// not the format its extension names or cannot be read as it; `Io` when it cannot be read
/// at all.
pub(crate) async fn check(
    asset_type: &AssetType,
    extension: Option<&str>,
    source: &UploadSource,
) -> Result<()> {
    let Some((extension, kind)) = extension.and_then(|e| Some((e.to_owned(), kind(asset_type, e)?))) else {
        return Ok(());
    };
    let task = {
        let (extension, source) = (extension.clone(), source.clone());
        tokio::task::spawn_blocking(move || inspect_source(kind, &extension, &source))
    };
    // A parser that panicked: the file is not one it can judge.
    task.await.unwrap_or_else(|e| {
        Err(Error::invalid(format!(
            "the preflight check could not read the .{extension} file ({e}); {SKIP_HINT}"
        )))
    })
}

/// Opens `source` and checks it (on a blocking thread).
fn inspect_source(kind: Kind, extension: &str, source: &UploadSource) -> Result<()> {
    match source {
        UploadSource::Path(path) => {
            let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
            inspect(kind, extension, Window::new(file, len)).map_err(|e| match e {
                Error::Io { path: None, source } => Error::io(path, source),
                other => other,
            })
        }
        UploadSource::Bytes { data, .. } => {
            let len = data.len() as u64;
            inspect(kind, extension, Window::new(Cursor::new(Bytes::clone(data)), len))
        }
        // A source this version does not know: nothing to read it with.
        _ => Ok(()),
    }
}

/// Checks the content of `input`, which claims to be a `.{extension}` file.
fn inspect<R: Read + Seek + Send + Sync>(kind: Kind, extension: &str, mut input: Window<R>) -> Result<()> {
    let head = read_head(&mut input)?;
    input.seek(SeekFrom::Start(0)).map_err(read_error)?;
    match kind {
        Kind::Image(image) => check_image(image, extension, &head, input),
        Kind::Audio(audio) => check_audio(audio, extension, &head, input),
        Kind::Video => check_video(extension, &head, input),
        Kind::Model(model) => check_model(model, extension, &head),
    }
}

/// The first [`HEAD_LEN`] bytes of `input` (fewer for a shorter file).
fn read_head(input: &mut impl Read) -> Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD_LEN);
    input
        .by_ref()
        .take(HEAD_LEN as u64)
        .read_to_end(&mut head)
        .map_err(read_error)?;
    Ok(head)
}

/// A read that failed: a file that ends too early is not the format it claims; anything
/// else is a failure to read it.
fn read_error(e: io::Error) -> Error {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        Error::invalid(format!("the file ends inside its header; {SKIP_HINT}"))
    } else {
        Error::Io {
            path: None,
            source: e,
        }
    }
}

/// A refusal of a `.{extension}` file whose first bytes are not its format, saying what
/// they look like instead when that is recognisable.
fn not_the_format(extension: &str, expected: &str, head: &[u8]) -> Error {
    let actually = sniff(head).map_or_else(String::new, |found| format!(" (it looks like {found})"));
    Error::invalid(format!(
        "the .{extension} file does not start like {expected}{actually}; Roblox would refuse it"
    ))
}

/// What a file starting with `head` most likely is, from the signatures this module knows.
fn sniff(head: &[u8]) -> Option<&'static str> {
    let signatures: [(&[u8], &str); 11] = [
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"BM", "a BMP image"),
        (b"RIFF", "a RIFF (WAV or WebP) file"),
        (b"fLaC", "FLAC audio"),
        (b"OggS", "an Ogg file"),
        (b"ID3", "MP3 audio"),
        (b"glTF", "a binary glTF (.glb) model"),
        (b"Kaydara FBX Binary", "a binary FBX model"),
        (b"<roblox!", "a binary Roblox model (.rbxm)"),
    ];
    if head.get(4..8) == Some(b"ftyp") {
        return Some("an MP4 or QuickTime file");
    }
    signatures
        .iter()
        .find(|(signature, _)| head.starts_with(signature))
        .map(|(_, name)| *name)
}

// ---------------------------------------------------------------------------------------
// Images

/// Checks an image's signature and its dimensions against [`MAX_IMAGE_SIDE`].
fn check_image<R: Read + Seek>(image: Image, extension: &str, head: &[u8], input: Window<R>) -> Result<()> {
    let (width, height) = match image {
        Image::Png => {
            if !head.starts_with(b"\x89PNG\r\n\x1a\n") {
                return Err(not_the_format(extension, "a PNG image (\\x89PNG)", head));
            }
            if head.get(12..16) != Some(b"IHDR") {
                return Err(Error::invalid(format!(
                    "the .{extension} file has no IHDR chunk where a PNG's dimensions go; {SKIP_HINT}"
                )));
            }
            dimensions(imagesize::ImageType::Png, extension, input)?
        }
        Image::Jpeg => {
            if !head.starts_with(b"\xFF\xD8\xFF") {
                return Err(not_the_format(extension, "a JPEG image (FF D8 FF)", head));
            }
            dimensions(imagesize::ImageType::Jpeg, extension, input)?
        }
        Image::Bmp => {
            if !head.starts_with(b"BM") {
                return Err(not_the_format(extension, "a BMP image (BM)", head));
            }
            bmp_dimensions(extension, head)?
        }
        Image::Tga => tga_dimensions(extension, head)?,
    };
    if width > u64::from(MAX_IMAGE_SIDE) || height > u64::from(MAX_IMAGE_SIDE) {
        let limit = MAX_IMAGE_SIDE + 1;
        return Err(Error::invalid(format!(
            "the image is {width}×{height} pixels; Roblox accepts images smaller than \
             {limit}×{limit} (at most {MAX_IMAGE_SIDE} pixels on each side)"
        )));
    }
    Ok(())
}

/// The width and height `imagesize` reads for an image of type `image_type`.
fn dimensions<R: Read + Seek>(
    image_type: imagesize::ImageType,
    extension: &str,
    input: Window<R>,
) -> Result<(u64, u64)> {
    let mut reader = BufReader::with_capacity(IMAGE_BUFFER, input);
    match image_type.reader_size(&mut reader) {
        Ok(size) => Ok((size.width as u64, size.height as u64)),
        Err(imagesize::ImageError::IoError(e)) if e.kind() != io::ErrorKind::UnexpectedEof => {
            Err(Error::Io {
                path: None,
                source: e,
            })
        }
        Err(e) => Err(Error::invalid(format!(
            "cannot read the dimensions of the .{extension} file ({e}); {SKIP_HINT}"
        ))),
    }
}

/// A BMP's width and height, from its info header. Read here, not with `imagesize`, which
/// reads the height as unsigned: a top-down bitmap stores it negative and would read as
/// some four billion pixels. The OS/2 header (12 bytes) stores both as 16 bits.
fn bmp_dimensions(extension: &str, head: &[u8]) -> Result<(u64, u64)> {
    let too_short = || {
        Error::invalid(format!(
            "the .{extension} file ends inside its BMP header; {SKIP_HINT}"
        ))
    };
    let header_len = le_u32(head, 14).ok_or_else(too_short)?;
    if header_len == 12 {
        let width = le_u16(head, 18).ok_or_else(too_short)?;
        let height = le_u16(head, 20).ok_or_else(too_short)?;
        return Ok((u64::from(width), u64::from(height)));
    }
    let width = le_u32(head, 18).ok_or_else(too_short)?;
    let height = le_u32(head, 22).ok_or_else(too_short)?;
    // Both are signed 32-bit numbers; only the height may be negative (top-down rows).
    let signed = |n: u32| u64::from(n.cast_signed().unsigned_abs());
    Ok((signed(width), signed(height)))
}

/// A TGA's width and height, after checking that its 18-byte header is sane (the format
/// has no signature): a known image type, a colour-map type of 0 or 1, and non-zero sides.
fn tga_dimensions(extension: &str, head: &[u8]) -> Result<(u64, u64)> {
    let header = head.get(..18).ok_or_else(|| {
        Error::invalid(format!(
            "the .{extension} file is {} bytes long, shorter than a TGA header (18 bytes)",
            head.len()
        ))
    })?;
    let (color_map, image_type) = (header[1], header[2]);
    let width = le_u16(header, 12).unwrap_or_default();
    let height = le_u16(header, 14).unwrap_or_default();
    if !matches!(image_type, 1 | 2 | 3 | 9 | 10 | 11) || color_map > 1 || width == 0 || height == 0 {
        return Err(not_the_format(
            extension,
            "a TGA image (image type 1-3 or 9-11, colour-map type 0 or 1, non-zero width and height)",
            head,
        ));
    }
    Ok((u64::from(width), u64::from(height)))
}

fn le_u16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn le_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

// ---------------------------------------------------------------------------------------
// Audio and video

/// Checks an audio file's signature and its duration against [`MAX_AUDIO_DURATION`].
fn check_audio<R: Read + Seek + Send + Sync>(
    audio: Audio,
    extension: &str,
    head: &[u8],
    mut input: Window<R>,
) -> Result<()> {
    // An ID3v2 tag may come first (MP3s nearly always, some FLACs): the audio starts after.
    let start = id3v2_len(&mut input).map_err(read_error)?;
    let mut body = [0u8; 12];
    input.seek(SeekFrom::Start(start)).map_err(read_error)?;
    let read = read_up_to(&mut input, &mut body).map_err(read_error)?;
    let body = &body[..read];
    let (name, signature_ok) = match audio {
        Audio::Wav => (
            "WAV audio (RIFF....WAVE)",
            body.starts_with(b"RIFF") && body.get(8..12) == Some(b"WAVE"),
        ),
        Audio::Flac => ("FLAC audio (fLaC)", body.starts_with(b"fLaC")),
        Audio::Ogg => ("an Ogg file (OggS)", body.starts_with(b"OggS")),
        // An MPEG audio frame starts with 11 set bits.
        Audio::Mp3 => (
            "MP3 audio (an ID3 tag or an MPEG frame)",
            matches!(body, [0xFF, second, ..] if second & 0xE0 == 0xE0),
        ),
    };
    if !signature_ok {
        // What follows the tag is what the file is.
        return Err(not_the_format(
            extension,
            name,
            if start == 0 { head } else { body },
        ));
    }
    let stream = media_stream(input.starting_at(start).map_err(read_error)?);
    let options = FormatOptions::default();
    let reader: Box<dyn FormatReader> = match audio {
        Audio::Wav => WavReader::try_new(stream, options).map(|r| Box::new(r) as _),
        Audio::Flac => FlacReader::try_new(stream, options).map(|r| Box::new(r) as _),
        Audio::Ogg => OggReader::try_new(stream, options).map(|r| Box::new(r) as _),
        Audio::Mp3 => MpaReader::try_new(stream, options).map(|r| Box::new(r) as _),
    }
    .map_err(|e| unreadable(extension, "audio", &e))?;
    let duration = media_duration(reader.as_ref()).ok_or_else(|| {
        Error::invalid(format!(
            "the .{extension} file does not say how long it is; {SKIP_HINT}"
        ))
    })?;
    if duration > MAX_AUDIO_DURATION {
        return Err(Error::invalid(format!(
            "the audio is {} long; Roblox accepts at most {}",
            minutes(duration),
            minutes(MAX_AUDIO_DURATION)
        )));
    }
    Ok(())
}

/// Checks a video's signature, its duration against [`MAX_VIDEO_DURATION`] and the frame
/// size of every video track against [`MAX_VIDEO_WIDTH`] × [`MAX_VIDEO_HEIGHT`].
fn check_video<R: Read + Seek + Send + Sync>(extension: &str, head: &[u8], input: Window<R>) -> Result<()> {
    if head.get(4..8) != Some(b"ftyp") {
        return Err(not_the_format(
            extension,
            "an MP4 or QuickTime video (an ftyp box)",
            head,
        ));
    }
    let reader = IsoMp4Reader::try_new(media_stream(input), FormatOptions::default())
        .map_err(|e| unreadable(extension, "video", &e))?;
    // A fragmented MP4 may say 0 in its movie header and carry its length in fragments,
    // which only reading the whole file would add up: 0 is "not said".
    let duration = media_duration(&reader).filter(|d| !d.is_zero()).ok_or_else(|| {
        Error::invalid(format!(
            "the .{extension} file does not say how long it is (a fragmented MP4?); {SKIP_HINT}"
        ))
    })?;
    if duration > MAX_VIDEO_DURATION {
        return Err(Error::invalid(format!(
            "the video is {} long; Roblox accepts at most {}",
            minutes(duration),
            minutes(MAX_VIDEO_DURATION)
        )));
    }
    let frames: Vec<(u16, u16)> = reader
        .tracks()
        .iter()
        .filter_map(|track| match &track.codec_params {
            Some(CodecParameters::Video(video)) => video.width.zip(video.height),
            _ => None,
        })
        .collect();
    if frames.is_empty() {
        return Err(Error::invalid(format!(
            "cannot find the resolution of the .{extension} file (no video track in a codec \
             these checks know: H.264, HEVC, AV1, VP8, VP9, MPEG-4); {SKIP_HINT}"
        )));
    }
    for (width, height) in frames {
        if u32::from(width) > MAX_VIDEO_WIDTH || u32::from(height) > MAX_VIDEO_HEIGHT {
            return Err(Error::invalid(format!(
                "the video is {width}×{height} pixels; Roblox accepts at most \
                 {MAX_VIDEO_WIDTH}×{MAX_VIDEO_HEIGHT}"
            )));
        }
    }
    Ok(())
}

/// A refusal for a file the demuxer could not read.
fn unreadable(extension: &str, what: &str, e: &symphonia::core::errors::Error) -> Error {
    Error::invalid(format!(
        "cannot read the .{extension} file as {what} ({e}), so its limits cannot be checked; {SKIP_HINT}"
    ))
}

/// `input` as symphonia reads it.
fn media_stream<'s, R: Read + Seek + Send + Sync + 's>(input: Window<R>) -> MediaSourceStream<'s> {
    MediaSourceStream::new(Box::new(input), MediaSourceStreamOptions::default())
}

/// The length of the media: the container's own figure, else its longest track's.
fn media_duration(reader: &dyn FormatReader) -> Option<Duration> {
    let info = reader.media_info();
    let whole = info
        .time_base
        .zip(info.duration)
        .and_then(|(base, ticks)| to_duration(base, ticks.get()));
    let longest_track = reader
        .tracks()
        .iter()
        .filter_map(|track| {
            let base = track.time_base?;
            to_duration(base, track.duration?.get())
        })
        .max();
    match (whole, longest_track) {
        (Some(whole), Some(track)) => Some(whole.max(track)),
        (whole, track) => whole.or(track),
    }
}

/// `ticks` of `base` (a fraction of a second) as a duration, rounded down to the
/// nanosecond; `None` past what a `Duration` holds.
fn to_duration(base: TimeBase, ticks: u64) -> Option<Duration> {
    // At most 2^64 * 2^32 * 10^9 < 2^127: no overflow.
    let nanos =
        u128::from(ticks) * u128::from(base.numer.get()) * 1_000_000_000 / u128::from(base.denom.get());
    let secs = u64::try_from(nanos / 1_000_000_000).ok()?;
    let subsec = u32::try_from(nanos % 1_000_000_000).ok()?;
    Some(Duration::new(secs, subsec))
}

/// A duration as people say it: "7 minutes", "7 min 0.5 s", "59.25 s". Fractions are
/// rounded up to the millisecond, so a length over a limit never prints as the limit.
fn minutes(duration: Duration) -> String {
    let millis = duration.as_nanos().div_ceil(1_000_000);
    let (mins, rest) = (millis / 60_000, millis % 60_000);
    let secs = if rest % 1000 == 0 {
        format!("{} s", rest / 1000)
    } else {
        let text = format!("{}.{:03}", rest / 1000, rest % 1000);
        format!("{} s", text.trim_end_matches('0'))
    };
    match (mins, rest) {
        (1, 0) => "1 minute".to_owned(),
        (_, 0) if mins > 0 => format!("{mins} minutes"),
        (0, _) => secs,
        _ => format!("{mins} min {secs}"),
    }
}

/// The length of the ID3v2 tags at the start of `input` (0 without one): a 10-byte
/// header whose last four bytes are a 28-bit size, then that many bytes, then a 10-byte
/// footer when flag 0x10 says so.
fn id3v2_len(input: &mut (impl Read + Seek)) -> io::Result<u64> {
    let mut start = 0u64;
    // Writers have been seen to stack tags; a handful is plenty.
    for _ in 0..4 {
        input.seek(SeekFrom::Start(start))?;
        let mut tag = [0u8; 10];
        if read_up_to(input, &mut tag)? < tag.len() {
            break;
        }
        let [b'I', b'D', b'3', _, _, flags, size @ ..] = tag else {
            break;
        };
        if size.iter().any(|b| b & 0x80 != 0) {
            break;
        }
        let size = size.iter().fold(0u64, |size, b| size << 7 | u64::from(*b));
        let footer = if flags & 0x10 == 0 { 0 } else { 10 };
        start += 10 + size + footer;
    }
    Ok(start)
}

/// Fills as much of `buf` as `input` has, and says how much that was.
fn read_up_to(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

// ---------------------------------------------------------------------------------------
// Models

/// Checks that a model's first bytes are the format its extension names.
fn check_model(model: Model, extension: &str, head: &[u8]) -> Result<()> {
    let (expected, ok) = match model {
        Model::Fbx => (
            "an FBX model (\"Kaydara FBX Binary\", or an ASCII FBX opening with \"; FBX\" or \
             FBXHeaderExtension)",
            head.starts_with(b"Kaydara FBX Binary  \0") || is_ascii_fbx(head),
        ),
        Model::Glb => ("a binary glTF model (glTF)", head.starts_with(b"glTF")),
        Model::Gltf => (
            "a glTF model (JSON, opening with '{')",
            text_start(head).starts_with(b"{"),
        ),
        Model::Rbxm => (
            "a binary Roblox model (<roblox!); an XML model is .rbxmx",
            head.starts_with(b"<roblox!"),
        ),
        Model::Rbxmx => (
            "an XML Roblox model (<roblox); a binary model is .rbxm",
            is_rbxmx(head),
        ),
    };
    if ok {
        Ok(())
    } else {
        Err(not_the_format(extension, expected, head))
    }
}

/// `head` after a UTF-8 byte-order mark and white space.
fn text_start(head: &[u8]) -> &[u8] {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let blank = text.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &text[blank..]
}

/// An ASCII FBX: a first comment `; FBX ...`, or, after comment lines, the
/// `FBXHeaderExtension` node.
fn is_ascii_fbx(head: &[u8]) -> bool {
    let text = text_start(head);
    if text.starts_with(b"; FBX") {
        return true;
    }
    text.split(|b| *b == b'\n')
        .map(<[u8]>::trim_ascii)
        .find(|line| !line.is_empty() && !line.starts_with(b";"))
        .is_some_and(|line| line.starts_with(b"FBXHeaderExtension"))
}

/// An XML Roblox model: `<roblox` (not the binary `<roblox!`), perhaps after an XML
/// declaration.
fn is_rbxmx(head: &[u8]) -> bool {
    let mut text = text_start(head);
    if text.starts_with(b"<?xml")
        && let Some(end) = text.windows(2).position(|w| w == b"?>")
    {
        text = text_start(&text[end + 2..]);
    }
    text.strip_prefix(b"<roblox")
        .and_then(|rest| rest.first())
        .is_some_and(|next| next.is_ascii_whitespace() || *next == b'>')
}

// ---------------------------------------------------------------------------------------
// Reading

/// The bytes of `inner` from `start` on, seen as a whole stream of `len - start` bytes:
/// what the demuxers read, after an ID3 tag they need not see.
#[derive(Debug)]
struct Window<R> {
    inner: R,
    start: u64,
    len: u64,
}

impl<R: Seek> Window<R> {
    fn new(inner: R, len: u64) -> Self {
        Self { inner, start: 0, len }
    }

    /// The same bytes from `offset` on (relative to the start of this window), positioned
    /// at their start.
    fn starting_at(mut self, offset: u64) -> io::Result<Self> {
        self.start = self.start.saturating_add(offset).min(self.len);
        self.inner.seek(SeekFrom::Start(self.start))?;
        Ok(self)
    }
}

impl<R: Read> Read for Window<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}

impl<R: Seek> Seek for Window<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let size = self.len - self.start;
        let target = match pos {
            SeekFrom::Start(at) => Some(at),
            SeekFrom::End(delta) => size.checked_add_signed(delta),
            SeekFrom::Current(delta) => {
                let now = self.inner.stream_position()?.saturating_sub(self.start);
                now.checked_add_signed(delta)
            }
        };
        let target = target.ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "seek before the start of the stream")
        })?;
        let at = self
            .inner
            .seek(SeekFrom::Start(self.start.saturating_add(target)))?;
        Ok(at.saturating_sub(self.start))
    }
}

impl<R: Read + Seek + Send + Sync> MediaSource for Window<R> {
    fn is_seekable(&self) -> bool {
        true
    }

    fn byte_len(&self) -> Option<u64> {
        Some(self.len - self.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(minutes(Duration::from_secs(420)), "7 minutes");
        assert_eq!(minutes(Duration::from_millis(420_500)), "7 min 0.5 s");
        assert_eq!(minutes(Duration::from_secs(301)), "5 min 1 s");
        assert_eq!(minutes(Duration::from_millis(59_250)), "59.25 s");
        assert_eq!(minutes(Duration::from_secs(60)), "1 minute");
        // Just over a limit never prints as the limit.
        assert_eq!(minutes(Duration::from_nanos(420_000_000_001)), "7 min 0.001 s");
    }

    #[test]
    fn id3v2_tags_are_skipped_whole() {
        let len = |bytes: &[u8]| id3v2_len(&mut Cursor::new(bytes)).unwrap();
        // A 4-byte size of 0x00 0x00 0x02 0x01 is (2 << 7) | 1 = 257 bytes after the header.
        let mut tagged = b"ID3\x04\x00\x00\x00\x00\x02\x01".to_vec();
        tagged.resize(10 + 257, 0);
        tagged.extend_from_slice(b"\xFF\xFB");
        assert_eq!(len(&tagged), 267);
        // With a footer.
        tagged[5] = 0x10;
        tagged.resize(tagged.len() + 10, 0);
        assert_eq!(len(&tagged), 277);
        assert_eq!(len(b"\xFF\xFB\x90\x64"), 0);
        // A size byte with its high bit set is not an ID3 size.
        assert_eq!(len(b"ID3\x04\x00\x00\x80\x00\x00\x00"), 0);
    }

    #[test]
    fn a_window_hides_what_comes_before_it() {
        let mut window = Window::new(Cursor::new(b"skipHELLO".to_vec()), 9)
            .starting_at(4)
            .unwrap();
        assert_eq!(window.byte_len(), Some(5));
        let mut text = String::new();
        window.read_to_string(&mut text).unwrap();
        assert_eq!(text, "HELLO");
        assert_eq!(window.seek(SeekFrom::End(-2)).unwrap(), 3);
        assert_eq!(window.seek(SeekFrom::Current(-1)).unwrap(), 2);
        assert!(window.seek(SeekFrom::Current(-3)).is_err());
        let mut rest = String::new();
        window.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "LLO");
    }

    /// Counts the bytes read through it.
    struct Counting {
        inner: Cursor<Vec<u8>>,
        read: std::sync::Arc<std::sync::atomic::AtomicU64>,
    }

    impl Read for Counting {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.inner.read(buf)?;
            self.read
                .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
            Ok(n)
        }
    }

    impl Seek for Counting {
        fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
            self.inner.seek(pos)
        }
    }

    /// Checks `data` as `kind` and says how many bytes were read.
    fn bytes_read(kind: Kind, extension: &str, data: Vec<u8>) -> (Result<()>, u64) {
        let read = std::sync::Arc::default();
        let len = data.len() as u64;
        let counting = Counting {
            inner: Cursor::new(data),
            read: std::sync::Arc::clone(&read),
        };
        let result = inspect(kind, extension, Window::new(counting, len));
        (result, read.load(std::sync::atomic::Ordering::Relaxed))
    }

    #[test]
    fn a_large_jpeg_is_measured_from_a_few_kib() {
        // SOI, a 60 KiB APP1 segment (EXIF-sized), a SOF0 of 8000x10, then 5 MiB of "scan".
        let mut jpeg = b"\xFF\xD8".to_vec();
        jpeg.extend_from_slice(b"\xFF\xE1\xF0\x00");
        jpeg.resize(jpeg.len() + 0xF000 - 2, 0);
        jpeg.extend_from_slice(b"\xFF\xC0\x00\x11\x08\x00\x0A\x1F\x40\x03");
        jpeg.resize(jpeg.len() + 5 * 1024 * 1024, 0);
        let (result, read) = bytes_read(Kind::Image(Image::Jpeg), "jpg", jpeg);
        let message = result.unwrap_err().to_string();
        assert!(message.contains("8000×10 pixels"), "{message}");
        assert!(read <= 4 * 4096, "read {read} bytes");
    }

    #[test]
    fn a_long_wav_is_timed_from_its_header() {
        // 8 kHz, 8-bit mono: 8000 bytes a second; 421 s of silence, 3.4 MB.
        let data_len: u32 = 8000 * 421;
        let mut wav = Vec::new();
        wav.extend_from_slice(b"RIFF");
        wav.extend_from_slice(&(36 + data_len).to_le_bytes());
        wav.extend_from_slice(b"WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00");
        wav.extend_from_slice(&8000u32.to_le_bytes());
        wav.extend_from_slice(&8000u32.to_le_bytes());
        wav.extend_from_slice(b"\x01\x00\x08\x00data");
        wav.extend_from_slice(&data_len.to_le_bytes());
        wav.resize(wav.len() + data_len as usize, 0x80);
        let (result, read) = bytes_read(Kind::Audio(Audio::Wav), "wav", wav);
        let message = result.unwrap_err().to_string();
        assert!(message.contains("7 min 1 s"), "{message}");
        assert!(read <= 128 * 1024, "read {read} bytes");
    }
}
