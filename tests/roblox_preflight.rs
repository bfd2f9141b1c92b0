//! The Roblox preflight: content limits checked from the file's header before any byte is
//! sent (the usage guide's "Supported asset types and limits" table).
//!
//! Every file here is generated: headers written by hand with the dimensions or lengths a
//! test needs, just under and just over each limit. Long media are headers that claim
//! their length (and, on disk, sparse files of that length), never minutes of samples.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assetkit::roblox::{AssetType, Creator, RobloxClient};
use assetkit::{Error, RetryPolicy, UploadSource};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::{json_response, multipart, received, server};

const OPERATION_PENDING: &str = r#"{"path": "operations/abc-123", "operationId": "abc-123", "done": false}"#;

// ---------------------------------------------------------------------------------------
// Helpers

fn client(server: &MockServer) -> RobloxClient {
    RobloxClient::builder()
        .api_key("test-api-key")
        .base_url(format!("{}/assets", server.uri()))
        .allow_http(true)
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
}

/// A server that accepts every create and update, and then fails anything else loudly.
async fn accepting_server() -> MockServer {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/assets/v1/assets"))
        .respond_with(json_response(200, OPERATION_PENDING))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/assets/v1/assets/2205400862"))
        .respond_with(json_response(200, OPERATION_PENDING))
        .mount(&server)
        .await;
    server
}

/// Creates `source` as `asset_type`; `Ok` once the server answered.
async fn create(server: &MockServer, asset_type: AssetType, source: UploadSource) -> Result<(), Error> {
    client(server)
        .assets()
        .create(asset_type, "Name", source, Creator::User(1_234_567))
        .send()
        .await
        .map(drop)
}

/// The message of a refusal made before sending; panics on anything else.
fn refusal(result: Result<(), Error>) -> String {
    match result {
        Err(Error::InvalidRequest(message)) => message,
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

/// How many requests reached the server.
async fn sent(server: &MockServer) -> usize {
    received(server).await.len()
}

fn temp_file(dir: &tempfile::TempDir, name: &str, data: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, data).unwrap();
    path
}

/// `header` on disk, followed by zeros up to `len` bytes (a sparse file: no disk is used).
fn sparse_file(dir: &tempfile::TempDir, name: &str, header: &[u8], len: u64) -> std::path::PathBuf {
    let path = temp_file(dir, name, header);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(len)
        .unwrap();
    path
}

// ---------------------------------------------------------------------------------------
// Generated files

/// The CRC-32 of PNG chunks (ISO-HDLC), bit by bit: the files are tiny.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A PNG's signature, IHDR (8-bit RGB) and IEND: all a header check reads.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// A JPEG: SOI, a JFIF APP0 segment, a baseline SOF0 frame header with the size, EOI.
fn jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut out = b"\xFF\xD8".to_vec();
    out.extend_from_slice(b"\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00");
    out.extend_from_slice(b"\xFF\xC0\x00\x11\x08");
    out.extend_from_slice(&height.to_be_bytes());
    out.extend_from_slice(&width.to_be_bytes());
    out.extend_from_slice(b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01");
    out.extend_from_slice(b"\xFF\xD9");
    out
}

/// A 24-bit BMP's file and info headers; a negative height is a top-down bitmap.
fn bmp(width: i32, height: i32) -> Vec<u8> {
    let mut out = b"BM".to_vec();
    out.extend_from_slice(&54u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&54u32.to_le_bytes());
    out.extend_from_slice(&40u32.to_le_bytes());
    out.extend_from_slice(&width.to_le_bytes());
    out.extend_from_slice(&height.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&24u16.to_le_bytes());
    out.extend_from_slice(&[0; 24]);
    out
}

/// An uncompressed true-colour TGA header (image type 2, no colour map).
fn tga(width: u16, height: u16) -> Vec<u8> {
    let mut out = vec![0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    out.extend_from_slice(&width.to_le_bytes());
    out.extend_from_slice(&height.to_le_bytes());
    out.extend_from_slice(&[24, 0]);
    out
}

/// The header of an 8 kHz, 8-bit mono PCM WAV (8000 bytes a second) whose data chunk
/// holds `millis` milliseconds: 44 bytes, the samples are not included.
fn wav_header(millis: u32) -> Vec<u8> {
    let data_len = millis * 8;
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&8000u32.to_le_bytes()); // samples a second
    out.extend_from_slice(&8000u32.to_le_bytes()); // bytes a second
    out.extend_from_slice(&1u16.to_le_bytes()); // block align
    out.extend_from_slice(&8u16.to_le_bytes()); // bits a sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    out
}

/// A FLAC stream marker, a last STREAMINFO block (48 kHz mono 16-bit, `samples` long) and
/// the start of a first frame.
fn flac(samples: u64) -> Vec<u8> {
    let mut out = b"fLaC".to_vec();
    out.extend_from_slice(&[0x80, 0, 0, 34]); // last block, STREAMINFO, 34 bytes
    out.extend_from_slice(&4096u16.to_be_bytes()); // min block size
    out.extend_from_slice(&4096u16.to_be_bytes()); // max block size
    out.extend_from_slice(&[0; 6]); // min and max frame size: unknown
    // 20 bits of sample rate, 3 of channels - 1, 5 of bits per sample - 1, 36 of samples.
    let packed = (48_000u64 << 44) | (15 << 36) | samples;
    out.extend_from_slice(&packed.to_be_bytes());
    out.extend_from_slice(&[0; 16]); // MD5 of the audio: unknown
    // The first frame's header, which the reader syncs to: fixed block size, a block of
    // 4096 samples, rate and sample size from STREAMINFO, mono, frame 0, then its CRC-8.
    let header = [0xFF, 0xF8, 0xC0, 0x00, 0x00];
    out.extend_from_slice(&header);
    out.push(crc8(&header));
    // A CONSTANT subframe of silence; the frame's CRC-16 is not checked before decoding.
    out.extend_from_slice(&[0x00, 0x00, 0x00, 0x00, 0x00]);
    out
}

/// FLAC's frame-header CRC-8 (polynomial 0x07).
fn crc8(bytes: &[u8]) -> u8 {
    let mut crc = 0u8;
    for byte in bytes {
        crc ^= byte;
        for _ in 0..8 {
            crc = if crc & 0x80 == 0 {
                crc << 1
            } else {
                (crc << 1) ^ 0x07
            };
        }
    }
    crc
}

/// An ISO BMFF box.
fn mp4_box(kind: &[u8], content: &[u8]) -> Vec<u8> {
    let mut out = u32::try_from(8 + content.len()).unwrap().to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(content);
    out
}

/// A full box: version 0, no flags.
fn full_box(kind: &[u8], content: &[u8]) -> Vec<u8> {
    mp4_box(kind, &[&[0u8; 4][..], content].concat())
}

/// A one-track H.264 MP4 (or QuickTime with `brand` `qt  `): `ftyp`, then `moov` with an
/// `mvhd` of `duration` in `timescale` units and a video `trak` whose `tkhd` and `avc1`
/// sample entry say `width` × `height`, then an empty `mdat`.
fn mp4(brand: &[u8], timescale: u32, duration: u32, width: u16, height: u16) -> Vec<u8> {
    let ftyp = mp4_box(b"ftyp", &[brand, &[0, 0, 2, 0], b"isomiso2avc1mp41"].concat());
    let identity: [u32; 9] = [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000];
    let matrix: Vec<u8> = identity.iter().flat_map(|n| n.to_be_bytes()).collect();
    let mvhd = full_box(
        b"mvhd",
        &[
            &[0; 8][..], // creation and modification times
            &timescale.to_be_bytes(),
            &duration.to_be_bytes(),
            &0x0001_0000u32.to_be_bytes(), // rate 1.0
            &0x0100u16.to_be_bytes(),      // volume 1.0
            &[0; 10],
            &matrix,
            &[0; 24],            // pre-defined
            &2u32.to_be_bytes(), // next track id
        ]
        .concat(),
    );
    let tkhd = mp4_box(
        b"tkhd",
        &[
            &[0, 0, 0, 3][..], // version 0, enabled and in the movie
            &[0; 8],
            &1u32.to_be_bytes(), // track id
            &[0; 4],
            &duration.to_be_bytes(),
            &[0; 8],
            &[0; 8], // layer, alternate group, volume, reserved
            &matrix,
            &(u32::from(width) << 16).to_be_bytes(),
            &(u32::from(height) << 16).to_be_bytes(),
        ]
        .concat(),
    );
    let media_header = full_box(
        b"mdhd",
        &[
            &[0; 8][..],
            &timescale.to_be_bytes(),
            &duration.to_be_bytes(),
            &[0x55, 0xC4, 0, 0],
        ]
        .concat(),
    );
    let hdlr = full_box(
        b"hdlr",
        &[&[0; 4][..], b"vide", &[0; 12], b"VideoHandler\0"].concat(),
    );
    let avc1 = mp4_box(
        b"avc1",
        &[
            &[0; 6][..],
            &1u16.to_be_bytes(), // data reference index
            &[0; 16],
            &width.to_be_bytes(),
            &height.to_be_bytes(),
            &0x0048_0000u32.to_be_bytes(), // 72 dpi
            &0x0048_0000u32.to_be_bytes(),
            &[0; 4],
            &1u16.to_be_bytes(), // frames per sample
            &[0; 32],            // compressor name
            &0x0018u16.to_be_bytes(),
            &0xFFFFu16.to_be_bytes(),
        ]
        .concat(),
    );
    let stsd = full_box(b"stsd", &[&1u32.to_be_bytes()[..], &avc1].concat());
    let empty_table = 0u32.to_be_bytes();
    let stbl = mp4_box(
        b"stbl",
        &[
            stsd,
            full_box(b"stts", &empty_table),
            full_box(b"stsc", &empty_table),
            full_box(b"stsz", &[0u8; 8]),
            full_box(b"stco", &empty_table),
        ]
        .concat(),
    );
    let dinf = mp4_box(
        b"dinf",
        &full_box(
            b"dref",
            &[&1u32.to_be_bytes()[..], &full_box(b"url ", &[])].concat(),
        ),
    );
    let vmhd = full_box(b"vmhd", &[0; 8]);
    let minf = mp4_box(b"minf", &[vmhd, dinf, stbl].concat());
    let mdia = mp4_box(b"mdia", &[media_header, hdlr, minf].concat());
    let trak = mp4_box(b"trak", &[tkhd, mdia].concat());
    let moov = mp4_box(b"moov", &[mvhd, trak].concat());
    [ftyp, moov, mp4_box(b"mdat", &[])].concat()
}

/// A binary FBX's first bytes (the magic, then a version), padded.
fn fbx_binary() -> Vec<u8> {
    let mut out = b"Kaydara FBX Binary  \0\x1a\x00".to_vec();
    out.extend_from_slice(&7400u32.to_le_bytes());
    out.resize(256, 0);
    out
}

// ---------------------------------------------------------------------------------------
// Images: "must be smaller than 8000x8000 pixels"

/// Makes an image of a width and a height.
type Make = fn(u16, u16) -> Vec<u8>;

#[tokio::test]
async fn images_of_7999_pixels_a_side_go_and_of_8000_are_refused() {
    let server = accepting_server().await;
    let dir = tempfile::tempdir().unwrap();
    let formats: [(&str, Make); 5] = [
        ("png", |w, h| png(w.into(), h.into())),
        ("jpg", jpeg),
        ("jpeg", jpeg),
        ("bmp", |w, h| bmp(w.into(), h.into())),
        ("tga", tga),
    ];
    let mut accepted = 0;
    for (extension, make) in formats {
        for (width, height) in [(7999, 600), (600, 7999), (7999, 7999)] {
            let name = format!("under-{width}x{height}.{extension}");
            // One from disk, one from memory: both are read the same way.
            let on_disk = UploadSource::path(temp_file(&dir, &name, &make(width, height)));
            let in_memory = UploadSource::bytes(name.clone(), make(width, height));
            for source in [on_disk, in_memory] {
                create(&server, AssetType::Decal, source).await.unwrap();
                accepted += 1;
            }
        }
        for (width, height) in [(8000, 600), (600, 8000), (8001, 8001)] {
            let name = format!("over.{extension}");
            let message = refusal(
                create(
                    &server,
                    AssetType::Image,
                    UploadSource::bytes(name, make(width, height)),
                )
                .await,
            );
            assert_eq!(
                message,
                format!(
                    "the image is {width}×{height} pixels; Roblox accepts images smaller than \
                     8000×8000 (at most 7999 pixels on each side)"
                ),
                ".{extension}"
            );
        }
    }
    assert_eq!(
        sent(&server).await,
        accepted,
        "only the images under the limit were sent"
    );
}

#[tokio::test]
async fn a_top_down_bmp_is_measured_by_the_size_of_its_height() {
    let server = accepting_server().await;
    // Rows stored top-down: the height is negative in the header.
    create(
        &server,
        AssetType::Decal,
        UploadSource::bytes("top-down.bmp", bmp(640, -480)),
    )
    .await
    .unwrap();
    let message = refusal(
        create(
            &server,
            AssetType::Decal,
            UploadSource::bytes("tall.bmp", bmp(640, -8000)),
        )
        .await,
    );
    assert!(message.starts_with("the image is 640×8000 pixels"), "{message}");
    assert_eq!(sent(&server).await, 1);
}

#[tokio::test]
async fn images_must_start_as_their_extension_says() {
    let server = accepting_server().await;
    let mut bad_tga = tga(64, 64);
    bad_tga[2] = 0; // image type 0: "no image data"
    let mut flat_tga = tga(64, 64);
    flat_tga[14] = 0; // height 0
    let cases: [(&str, Vec<u8>, &str); 7] = [
        ("a.png", jpeg(64, 64), "a JPEG image"),
        ("a.jpg", png(64, 64), "a PNG image"),
        ("a.jpeg", bmp(64, 64), "a BMP image"),
        ("a.bmp", png(64, 64), "a PNG image"),
        ("a.tga", bad_tga, ""),
        ("b.tga", flat_tga, ""),
        ("c.png", b"GIF89a\x40\x00\x40\x00".to_vec(), "a GIF image"),
    ];
    for (name, data, looks_like) in cases {
        let extension = name.rsplit('.').next().unwrap();
        let message = refusal(create(&server, AssetType::Decal, UploadSource::bytes(name, data)).await);
        assert!(
            message.starts_with(&format!("the .{extension} file does not start like ")),
            "{name}: {message}"
        );
        assert!(message.ends_with("Roblox would refuse it"), "{name}: {message}");
        if !looks_like.is_empty() {
            assert!(
                message.contains(&format!("(it looks like {looks_like})")),
                "{name}: {message}"
            );
        }
    }
    // A file too short to hold a header.
    let message = refusal(
        create(
            &server,
            AssetType::Decal,
            UploadSource::bytes("short.png", &b"\x89PNG"[..]),
        )
        .await,
    );
    assert!(message.contains("does not start like a PNG image"), "{message}");
    assert_eq!(sent(&server).await, 0);
}

// ---------------------------------------------------------------------------------------
// Audio: "up to 7 minutes of duration"

#[tokio::test]
async fn audio_of_7_minutes_goes_and_of_7_min_0_5_s_is_refused() {
    let server = accepting_server().await;
    let dir = tempfile::tempdir().unwrap();

    // On disk, as long as the header says (3.4 MB, sparse).
    let header = wav_header(420_000);
    let seven = sparse_file(&dir, "seven.wav", &header, 44 + 420_000 * 8);
    create(&server, AssetType::Audio, UploadSource::path(&seven))
        .await
        .unwrap();
    let header = wav_header(420_500);
    let over = sparse_file(&dir, "over.wav", &header, 44 + 420_500 * 8);
    let message = refusal(create(&server, AssetType::Audio, UploadSource::path(&over)).await);
    assert_eq!(
        message,
        "the audio is 7 min 0.5 s long; Roblox accepts at most 7 minutes"
    );

    // In memory, the header alone: its data chunk claims the length.
    create(
        &server,
        AssetType::Audio,
        UploadSource::bytes("seven.wav", wav_header(420_000)),
    )
    .await
    .unwrap();
    let message = refusal(
        create(
            &server,
            AssetType::Audio,
            UploadSource::bytes("over.wav", wav_header(420_001)),
        )
        .await,
    );
    assert_eq!(
        message,
        "the audio is 7 min 0.001 s long; Roblox accepts at most 7 minutes"
    );

    // FLAC's STREAMINFO counts samples: 48 000 a second.
    create(
        &server,
        AssetType::Audio,
        UploadSource::bytes("seven.flac", flac(420 * 48_000)),
    )
    .await
    .unwrap();
    let message = refusal(
        create(
            &server,
            AssetType::Audio,
            UploadSource::bytes("over.flac", flac(420 * 48_000 + 24_000)),
        )
        .await,
    );
    assert_eq!(
        message,
        "the audio is 7 min 0.5 s long; Roblox accepts at most 7 minutes"
    );

    assert_eq!(sent(&server).await, 3);
}

#[tokio::test]
async fn audio_must_be_the_format_its_extension_says() {
    let server = accepting_server().await;
    let cases: [(&str, Vec<u8>, &str); 5] = [
        ("a.wav", flac(48_000), "FLAC audio"),
        ("a.flac", wav_header(1000), "a RIFF (WAV or WebP) file"),
        ("a.ogg", wav_header(1000), "a RIFF (WAV or WebP) file"),
        ("a.mp3", png(1, 1), "a PNG image"),
        // An ID3 tag, then not an MPEG frame.
        (
            "b.mp3",
            b"ID3\x04\x00\x00\x00\x00\x00\x00RIFF".to_vec(),
            "a RIFF (WAV or WebP) file",
        ),
    ];
    for (name, data, looks_like) in cases {
        let message = refusal(create(&server, AssetType::Audio, UploadSource::bytes(name, data)).await);
        assert!(message.contains("does not start like"), "{name}: {message}");
        assert!(
            message.contains(&format!("(it looks like {looks_like})")),
            "{name}: {message}"
        );
    }
    assert_eq!(sent(&server).await, 0);
}

#[tokio::test]
async fn audio_the_preflight_cannot_read_is_refused_with_the_way_out() {
    let server = accepting_server().await;
    // A RIFF/WAVE header whose chunks end before any format or data chunk.
    let truncated = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00".to_vec();
    // An Ogg page marker and nothing of a page.
    let ogg = b"OggS\x00\x02".to_vec();
    for (name, data) in [("cut.wav", truncated), ("cut.ogg", ogg)] {
        let message = refusal(create(&server, AssetType::Audio, UploadSource::bytes(name, data)).await);
        assert!(message.contains(".skip_preflight()"), "{name}: {message}");
    }
    assert_eq!(sent(&server).await, 0);
}

// ---------------------------------------------------------------------------------------
// Video: "up to 5 minutes of duration", "up to 4096x2160 resolution"

#[tokio::test]
async fn video_of_5_minutes_goes_and_of_5_min_0_5_s_is_refused() {
    let server = accepting_server().await;
    let dir = tempfile::tempdir().unwrap();
    let five = temp_file(&dir, "five.mp4", &mp4(b"isom", 1000, 300_000, 1920, 1080));
    create(&server, AssetType::Video, UploadSource::path(&five))
        .await
        .unwrap();
    let over = temp_file(&dir, "over.mp4", &mp4(b"isom", 1000, 300_500, 1920, 1080));
    let message = refusal(create(&server, AssetType::Video, UploadSource::path(&over)).await);
    assert_eq!(
        message,
        "the video is 5 min 0.5 s long; Roblox accepts at most 5 minutes"
    );
    // Another time scale, QuickTime: 90 kHz, 300 s and one tick.
    let mov = mp4(b"qt  ", 90_000, 300 * 90_000 + 1, 1280, 720);
    let message = refusal(create(&server, AssetType::Video, UploadSource::bytes("over.mov", mov)).await);
    assert_eq!(
        message,
        "the video is 5 min 0.001 s long; Roblox accepts at most 5 minutes"
    );
    assert_eq!(sent(&server).await, 1);
}

#[tokio::test]
async fn video_of_4096x2160_goes_and_one_pixel_more_is_refused() {
    let server = accepting_server().await;
    for (name, brand) in [("max.mp4", b"isom"), ("max.mov", b"qt  ")] {
        let video = mp4(brand, 600, 6000, 4096, 2160);
        create(&server, AssetType::Video, UploadSource::bytes(name, video))
            .await
            .unwrap();
    }
    for (width, height) in [(4097, 2160), (4096, 2161), (2160, 4096)] {
        let video = mp4(b"isom", 600, 6000, width, height);
        let message = refusal(create(&server, AssetType::Video, UploadSource::bytes("big.mp4", video)).await);
        assert_eq!(
            message,
            format!("the video is {width}×{height} pixels; Roblox accepts at most 4096×2160")
        );
    }
    assert_eq!(sent(&server).await, 2);
}

#[tokio::test]
async fn video_the_preflight_cannot_read_is_refused_with_the_way_out() {
    let server = accepting_server().await;
    let ftyp_only = mp4_box(b"ftyp", b"isom\x00\x00\x02\x00isom");
    // A fragmented MP4's movie header may say 0 and leave the length to its fragments.
    let no_length = mp4(b"isom", 1000, 0, 1280, 720);
    for (name, data) in [("empty.mp4", ftyp_only), ("fragmented.mp4", no_length)] {
        let message = refusal(create(&server, AssetType::Video, UploadSource::bytes(name, data)).await);
        assert!(message.contains(".skip_preflight()"), "{name}: {message}");
    }
    let message = refusal(create(&server, AssetType::Video, UploadSource::bytes("a.mov", png(4, 4))).await);
    assert!(
        message.contains("does not start like an MP4 or QuickTime video"),
        "{message}"
    );
    assert_eq!(sent(&server).await, 0);
}

// ---------------------------------------------------------------------------------------
// Models: the first bytes are what the extension claims

#[tokio::test]
async fn models_must_start_as_their_extension_says() {
    let server = accepting_server().await;
    let good: [(&str, Vec<u8>); 8] = [
        ("binary.fbx", fbx_binary()),
        (
            "ascii.fbx",
            b"; FBX 7.4.0 project file\n; ----\n\nFBXHeaderExtension:  {\n".to_vec(),
        ),
        (
            "commented.fbx",
            b"; exported by hand\n\nFBXHeaderExtension:  {\n".to_vec(),
        ),
        ("tree.glb", b"glTF\x02\x00\x00\x00\x0c\x00\x00\x00".to_vec()),
        (
            "tree.gltf",
            b"\xEF\xBB\xBF\n  {\"asset\": {\"version\": \"2.0\"}}".to_vec(),
        ),
        ("tree.rbxm", b"<roblox!\x89\xff\r\n\x1a\n\x00\x00".to_vec()),
        (
            "tree.rbxmx",
            b"<roblox xmlns:xmime=\"http://www.w3.org/2005/05/xmlmime\" version=\"4\">".to_vec(),
        ),
        (
            "declared.rbxmx",
            b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<roblox version=\"4\">".to_vec(),
        ),
    ];
    for (name, data) in &good {
        create(
            &server,
            AssetType::Model,
            UploadSource::bytes(*name, data.clone()),
        )
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let bad: [(&str, Vec<u8>, &str); 7] = [
        ("tree.fbx", png(2, 2), "an FBX model"),
        ("notes.fbx", b"FBX? no, a text file".to_vec(), "an FBX model"),
        ("tree.glb", b"{\"asset\": {}}".to_vec(), "a binary glTF model"),
        ("tree.gltf", b"glTF\x02\x00\x00\x00".to_vec(), "a glTF model"),
        (
            "tree.rbxm",
            b"<roblox version=\"4\">".to_vec(),
            "a binary Roblox model",
        ),
        (
            "tree.rbxmx",
            b"<roblox!\x89\xff\r\n\x1a\n".to_vec(),
            "an XML Roblox model",
        ),
        ("walk.rbxm", fbx_binary(), "a binary Roblox model"),
    ];
    for (name, data, expected) in bad {
        let extension = name.rsplit('.').next().unwrap();
        let asset_type = if name == "walk.rbxm" {
            AssetType::Animation
        } else {
            AssetType::Model
        };
        let message = refusal(create(&server, asset_type, UploadSource::bytes(name, data)).await);
        assert!(
            message.starts_with(&format!("the .{extension} file does not start like {expected}")),
            "{name}: {message}"
        );
    }
    assert_eq!(sent(&server).await, good.len());
}

// ---------------------------------------------------------------------------------------
// Nothing goes out before the checks pass; `.skip_preflight()` sends anyway

#[tokio::test]
async fn a_refused_upload_sends_no_byte() {
    let server = server().await;
    // Any request at all would be a failure: the catch-all answers 599, this says 0 calls.
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let header = wav_header(421_000);
    let long = sparse_file(&dir, "long.wav", &header, 44 + 421_000 * 8);

    let refused = [
        create(&server, AssetType::Audio, UploadSource::path(&long)).await,
        create(
            &server,
            AssetType::Decal,
            UploadSource::bytes("big.png", png(9000, 10)),
        )
        .await,
        create(
            &server,
            AssetType::Video,
            UploadSource::bytes("wide.mp4", mp4(b"isom", 1, 10, 5000, 100)),
        )
        .await,
        client(&server)
            .assets()
            .update(AssetType::Model, 2_205_400_862_u64)
            .content(UploadSource::bytes("tree.fbx", png(2, 2)))
            .creator(Creator::User(1))
            .send()
            .await
            .map(drop),
    ];
    for result in refused {
        refusal(result);
    }
    assert_eq!(sent(&server).await, 0);
    server.verify().await;
}

#[tokio::test]
async fn skip_preflight_sends_what_the_preflight_would_refuse() {
    let server = accepting_server().await;
    let big = png(9000, 10);
    client(&server)
        .assets()
        .create(
            AssetType::Decal,
            "Big",
            UploadSource::bytes("big.png", big.clone()),
            Creator::User(1),
        )
        .skip_preflight()
        .send()
        .await
        .unwrap();
    client(&server)
        .assets()
        .update(AssetType::Model, 2_205_400_862_u64)
        .content(UploadSource::bytes("tree.fbx", b"not an fbx".to_vec()))
        .skip_preflight()
        .send()
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    let created = multipart(&requests[0]);
    assert_eq!(created[1].content_type.as_deref(), Some("image/png"));
    assert!(created[1].data == big, "the file goes as it is");
    let updated = multipart(&requests[1]);
    assert_eq!(updated[1].data, b"not an fbx".to_vec());

    // The extension and size checks still run.
    let message = refusal(
        client(&server)
            .assets()
            .create(
                AssetType::Decal,
                "Doc",
                UploadSource::bytes("doc.pdf", &b"%PDF"[..]),
                Creator::User(1),
            )
            .skip_preflight()
            .send()
            .await
            .map(drop),
    );
    assert!(message.contains(".pdf files are not accepted"), "{message}");
    assert_eq!(sent(&server).await, 2);
}

#[tokio::test]
async fn update_content_is_checked_like_a_create() {
    let server = accepting_server().await;
    let update = |source: UploadSource| {
        client(&server)
            .assets()
            .update(AssetType::Model, 2_205_400_862_u64)
            .content(source)
            .creator(Creator::User(1))
    };
    update(UploadSource::bytes("tree.fbx", fbx_binary()))
        .send()
        .await
        .unwrap();
    let message = refusal(
        update(UploadSource::bytes("tree.glb", fbx_binary()))
            .send()
            .await
            .map(drop),
    );
    assert!(
        message.starts_with("the .glb file does not start like a binary glTF model"),
        "{message}"
    );
    assert!(
        message.contains("(it looks like a binary FBX model)"),
        "{message}"
    );
    // Metadata-only updates carry no file: nothing to check.
    client(&server)
        .assets()
        .update(AssetType::Model, 2_205_400_862_u64)
        .description("new")
        .send()
        .await
        .unwrap();
    assert_eq!(sent(&server).await, 2);
}

// ---------------------------------------------------------------------------------------
// Hostile files: whatever a file holds, the preflight answers (refuses it or lets it go),
// and never panics or hangs.

/// A small deterministic generator (xorshift64*), so a failing input can be replayed.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `bound` (which is above 0).
    fn below(&mut self, bound: usize) -> usize {
        usize::try_from(self.next() % bound as u64).unwrap_or(0)
    }
}

/// `seed` changed one way: bytes flipped, cut short, a field set to an extreme value,
/// bytes inserted, or everything after the signature replaced by noise.
fn mutate(noise: &mut Noise, seed: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    match noise.below(5) {
        0 => {
            for _ in 0..=noise.below(8) {
                let at = noise.below(data.len());
                data[at] ^= 1 << noise.below(8);
            }
        }
        1 => data.truncate(noise.below(data.len() + 1)),
        2 => {
            let extremes: [[u8; 4]; 5] = [
                [0xFF; 4],
                [0; 4],
                [0x7F, 0xFF, 0xFF, 0xFF],
                [0x80, 0, 0, 0],
                [0, 0, 0, 1],
            ];
            let at = noise.below(data.len().saturating_sub(3).max(1));
            let value = extremes[noise.below(extremes.len())];
            for (i, byte) in value.iter().enumerate() {
                if let Some(slot) = data.get_mut(at + i) {
                    *slot = *byte;
                }
            }
        }
        3 => {
            let at = noise.below(data.len() + 1);
            let extra: Vec<u8> = (0..=noise.below(64))
                .map(|_| noise.next().to_le_bytes()[0])
                .collect();
            data.splice(at..at, extra);
        }
        _ => {
            let keep = data.len().min(8);
            let len = noise.below(512);
            data.truncate(keep);
            data.extend((0..len).map(|_| noise.next().to_le_bytes()[0]));
        }
    }
    data
}

/// 4,000 files mutated from valid headers of every format the preflight reads.
/// `PREFLIGHT_SEED=N` runs another set (six other seeds, 24,000 files, found nothing).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutated_headers_are_refused_or_let_through_and_never_panic_or_hang() {
    // A closed port: what the preflight lets through fails to connect, at once.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let client = RobloxClient::builder()
        .api_key("test-api-key")
        .base_url(format!("http://{closed}/assets"))
        .allow_http(true)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let mut wav = wav_header(1000);
    wav.resize(wav.len() + 8000, 0x80);
    let seeds: Vec<(AssetType, &str, Vec<u8>)> = vec![
        (AssetType::Decal, "png", png(64, 48)),
        (AssetType::Decal, "jpg", jpeg(64, 48)),
        (AssetType::Decal, "bmp", bmp(64, 48)),
        (AssetType::Decal, "tga", tga(64, 48)),
        (AssetType::Audio, "wav", wav),
        (AssetType::Audio, "flac", flac(48_000)),
        (
            AssetType::Audio,
            "mp3",
            b"ID3\x04\x00\x00\x00\x00\x00\x10".to_vec(),
        ),
        (
            AssetType::Audio,
            "ogg",
            b"OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00".to_vec(),
        ),
        (AssetType::Video, "mp4", mp4(b"isom", 1000, 60_000, 640, 480)),
        (AssetType::Model, "fbx", fbx_binary()),
    ];
    // Panics inside the parsers are turned into refusals on the way out; count them here
    // too, so that one in our own header code cannot hide behind that.
    let panics = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = panics.clone();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        previous(info);
    }));
    let mut noise = Noise(
        std::env::var("PREFLIGHT_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x5EED_CAFE_F00D),
    );
    let (mut refused, mut let_through) = (0, 0);
    for round in 0..400 {
        for (asset_type, extension, seed) in &seeds {
            let data = mutate(&mut noise, seed);
            let len = data.len();
            let upload = client
                .assets()
                .create(
                    asset_type.clone(),
                    "Name",
                    UploadSource::bytes(format!("file.{extension}"), data),
                    Creator::User(1),
                )
                .send();
            let result = tokio::time::timeout(std::time::Duration::from_secs(20), upload)
                .await
                .unwrap_or_else(|_| {
                    panic!("the preflight hung on a .{extension} of {len} bytes (round {round})")
                });
            match result {
                Err(Error::InvalidRequest(_)) => refused += 1,
                Err(Error::Transport {
                    before_send: true, ..
                }) => let_through += 1,
                other => panic!("a .{extension} of {len} bytes (round {round}): {other:?}"),
            }
        }
    }
    let _ = std::panic::take_hook();
    assert_eq!(
        panics.load(std::sync::atomic::Ordering::Relaxed),
        0,
        "a parser panicked"
    );
    eprintln!("refused {refused}, let through {let_through}");
    // Both ends were reached: the inputs are neither all hopeless nor all harmless.
    assert!(
        refused > 100 && let_through > 100,
        "refused {refused}, let through {let_through}"
    );
}
