//! A real S3-compatible server for the Webflow step-2 tests: `s3s-fs`, which verifies
//! browser POST uploads the way S3 does (SigV4 signature of the base64 policy, every policy
//! condition including `content-length-range`, expiration, every form field covered).
//!
//! Finding the binary: `ASSETKIT_S3S_FS=/path/to/s3s-fs`, else `s3s-fs` on `PATH`, else
//! `$CARGO_HOME/bin/s3s-fs` (install with `scripts/install-s3s-fs.sh`). Without it the
//! tests fail when `CI` is set and are skipped (with a notice on stderr) otherwise.

use std::fs::File;
use std::io::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tempfile::TempDir;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub(crate) const ACCESS_KEY: &str = "AKIAASSETKITTEST";
pub(crate) const SECRET_KEY: &str = "assetkit-test-secret-key";
pub(crate) const REGION: &str = "us-east-1";
pub(crate) const BUCKET: &str = "webflow-prod-assets";

/// A running `s3s-fs`, killed on drop, serving one bucket from a temporary directory.
pub(crate) struct S3sServer {
    child: Child,
    port: u16,
    dir: TempDir,
}

impl Drop for S3sServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where the `s3s-fs` binary is, if anywhere.
fn binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ASSETKIT_S3S_FS") {
        let path = PathBuf::from(path);
        assert!(path.is_file(), "ASSETKIT_S3S_FS={} is not a file", path.display());
        return Some(path);
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join("s3s-fs"))
        .find(|candidate| candidate.is_file());
    if on_path.is_some() {
        return on_path;
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))?;
    Some(cargo_home.join("bin").join("s3s-fs")).filter(|p| p.is_file())
}

impl S3sServer {
    /// Starts a server, or returns `None` (after a notice) when s3s-fs is not installed and
    /// this is not CI. In CI a missing binary fails the test.
    pub(crate) fn start(test: &str) -> Option<Self> {
        let Some(binary) = binary() else {
            let message = "s3s-fs is not installed: run scripts/install-s3s-fs.sh \
                           (cargo install s3s-fs@0.14.1 --locked --features binary), put it on PATH, \
                           or set ASSETKIT_S3S_FS=/path/to/s3s-fs";
            assert!(std::env::var_os("CI").is_none(), "{test}: {message}");
            // Straight to the process's stderr: libtest captures eprintln! of passing tests.
            let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {message}");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        // s3s-fs maps buckets to subdirectories of its root.
        std::fs::create_dir(dir.path().join(BUCKET)).unwrap();
        let log_path = dir.path().join("s3s-fs.log");
        let mut last_log = String::new();
        // A port picked free can be taken before s3s-fs binds it: try a few.
        for _ in 0..3 {
            let port = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let log = File::create(&log_path).unwrap();
            let mut child = Command::new(&binary)
                .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
                .arg(dir.path())
                .stdin(Stdio::null())
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Some(Self { child, port, dir });
                }
                if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
                // Waiting for a process to come up, not timing anything.
                std::thread::sleep(Duration::from_millis(25));
            }
            last_log = std::fs::read_to_string(&log_path).unwrap_or_default();
        }
        panic!("s3s-fs did not start; its log:\n{last_log}");
    }

    /// The bucket's URL, as Webflow's `uploadUrl`.
    pub(crate) fn upload_url(&self) -> String {
        format!("http://127.0.0.1:{}/{BUCKET}", self.port)
    }

    /// Where an object's bytes land on disk.
    pub(crate) fn object_path(&self, key: &str) -> PathBuf {
        self.dir.path().join(BUCKET).join(key)
    }

    /// The data directory.
    pub(crate) fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// What the fake Webflow puts in a browser POST policy.
pub(crate) struct PostPolicy {
    pub(crate) key: String,
    pub(crate) max_size: u64,
    /// Seconds from now until the policy expires (negative: already expired).
    pub(crate) expires_in: i64,
    pub(crate) success_action_status: &'static str,
    pub(crate) content_type: &'static str,
    pub(crate) cache_control: &'static str,
}

impl PostPolicy {
    pub(crate) fn new(key: &str, max_size: u64) -> Self {
        Self {
            key: key.to_owned(),
            max_size,
            expires_in: 3600,
            success_action_status: "201",
            content_type: "image/png",
            cache_control: "max-age=31536000, must-revalidate",
        }
    }

    /// The `uploadDetails` Webflow would answer, signed with SigV4 for the test server,
    /// in the order Webflow documents them.
    pub(crate) fn upload_details(&self) -> Vec<(String, String)> {
        let now = OffsetDateTime::now_utc();
        let date = format!("{:04}{:02}{:02}", now.year(), u8::from(now.month()), now.day());
        let amz_date = format!("{date}T{:02}{:02}{:02}Z", now.hour(), now.minute(), now.second());
        let credential = format!("{ACCESS_KEY}/{date}/{REGION}/s3/aws4_request");
        let expiration = (now + time::Duration::seconds(self.expires_in))
            .format(&Rfc3339)
            .unwrap();
        let policy = serde_json::json!({
            "expiration": expiration,
            "conditions": [
                {"acl": "public-read"},
                {"bucket": BUCKET},
                ["eq", "$key", self.key],
                ["content-length-range", 0, self.max_size],
                {"success_action_status": self.success_action_status},
                ["starts-with", "$Content-Type", "image/"],
                {"Cache-Control": self.cache_control},
                {"x-amz-algorithm": "AWS4-HMAC-SHA256"},
                {"x-amz-credential": credential},
                {"x-amz-date": amz_date},
            ],
        });
        let policy = base64::engine::general_purpose::STANDARD.encode(policy.to_string());
        let signature = sign(&date, &policy);
        vec![
            ("acl".into(), "public-read".into()),
            ("bucket".into(), BUCKET.into()),
            ("X-Amz-Algorithm".into(), "AWS4-HMAC-SHA256".into()),
            ("X-Amz-Credential".into(), credential),
            ("X-Amz-Date".into(), amz_date),
            ("key".into(), self.key.clone()),
            ("Policy".into(), policy),
            ("X-Amz-Signature".into(), signature),
            ("success_action_status".into(), self.success_action_status.into()),
            ("content-type".into(), self.content_type.into()),
            ("Cache-Control".into(), self.cache_control.into()),
        ]
    }
}

/// SigV4 for a POST policy: the signing key is derived from the secret, the date, the
/// region and the service; the string to sign is the base64 policy itself.
fn sign(date: &str, policy_b64: &str) -> String {
    let hmac = |key: &[u8], data: &[u8]| -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    };
    let k_date = hmac(format!("AWS4{SECRET_KEY}").as_bytes(), date.as_bytes());
    let k_region = hmac(&k_date, REGION.as_bytes());
    let k_service = hmac(&k_region, b"s3");
    let k_signing = hmac(&k_service, b"aws4_request");
    hex::encode(hmac(&k_signing, policy_b64.as_bytes()))
}
