//! The MD5 behind Webflow's `fileHash` (`assetkit::webflow::file_md5`: md-5, or OpenSSL
//! with the `openssl-md5` feature, over the content in 64 KiB chunks) gives the same digest as RFC 1321's test suite and as md-5
//! over the whole content at once, for content in memory and in files, at every length
//! around a block (64 bytes), a chunk (64 KiB) and larger reads.
#![cfg(feature = "webflow")]

use assetkit::UploadSource;
use assetkit::webflow::file_md5;
use md5::{Digest, Md5};

async fn of_bytes(data: &[u8]) -> String {
    let (size, hash) = file_md5(&UploadSource::bytes("data.bin", data.to_vec()))
        .await
        .unwrap();
    assert_eq!(size, data.len() as u64);
    hash
}

async fn of_file(data: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.bin");
    std::fs::write(&path, data).unwrap();
    let (size, hash) = file_md5(&UploadSource::path(&path)).await.unwrap();
    assert_eq!(size, data.len() as u64);
    hash
}

/// Bytes that do not repeat with any short period (xorshift).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
}

#[tokio::test]
async fn rfc_1321_test_suite() {
    let suite: [(&str, &str); 7] = [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        (
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            "d174ab98d277d9f5a5611c2c9f419d9f",
        ),
        (
            "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
            "57edf4a22be3c955ac49da2e2107b67a",
        ),
    ];
    for (input, digest) in suite {
        assert_eq!(of_bytes(input.as_bytes()).await, digest, "{input:?} in memory");
        assert_eq!(of_file(input.as_bytes()).await, digest, "{input:?} in a file");
    }
}

#[tokio::test]
async fn a_million_a() {
    let data = vec![b'a'; 1_000_000];
    let digest = "7707d6ae4e027c70eea2a935c2296f21";
    assert_eq!(of_bytes(&data).await, digest);
    assert_eq!(of_file(&data).await, digest);
}

#[tokio::test]
async fn the_md5_crate_agrees_at_every_boundary() {
    const KIB: usize = 1024;
    let mut lengths: Vec<usize> = (0..=200).collect();
    for boundary in [64 * KIB, 256 * KIB, 1024 * KIB] {
        lengths.extend([
            boundary - 65,
            boundary - 64,
            boundary - 1,
            boundary,
            boundary + 1,
            boundary + 63,
        ]);
    }
    lengths.push(3 * 64 * KIB + 7);
    for (n, len) in lengths.into_iter().enumerate() {
        let data = noise(len, n as u64 + 1);
        let expected = hex::encode(Md5::digest(&data));
        assert_eq!(of_bytes(&data).await, expected, "{len} bytes in memory");
        if len % 7 == 0 || len > 200 {
            assert_eq!(of_file(&data).await, expected, "{len} bytes in a file");
        }
    }
}
