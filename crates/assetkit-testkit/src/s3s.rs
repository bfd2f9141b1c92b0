//! A real S3-compatible server for tests: `s3s-fs`, started on a free loopback port over a
//! temporary directory and stopped on drop. It verifies browser POST uploads as S3 does
//! (SigV4 of the base64 policy, every condition, expiration, every field covered).
//!
//! The binary is found at `ASSETKIT_S3S_FS`, else `s3s-fs` on `PATH`, else
//! `$CARGO_HOME/bin/s3s-fs`; `scripts/install-s3s-fs.sh` installs it.

use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::s3::S3Target;

/// The access key the server is started with.
pub const S3S_ACCESS_KEY: &str = "AKIAASSETKITTEST";
/// The secret key the server is started with.
pub const S3S_SECRET_KEY: &str = "assetkit-test-secret-key";
/// The bucket every server has.
pub const S3S_BUCKET: &str = "webflow-prod-assets";

/// A running `s3s-fs`, killed on drop.
#[derive(Debug)]
pub struct S3sFs {
    child: Child,
    port: u16,
    dir: TempDir,
}

impl Drop for S3sFs {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl S3sFs {
    /// Where the binary is, if anywhere.
    pub fn binary() -> Option<PathBuf> {
        if let Some(path) = std::env::var_os("ASSETKIT_S3S_FS") {
            return Some(PathBuf::from(path)).filter(|p| p.is_file());
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

    /// Starts a server with the bucket [`S3S_BUCKET`]. Fails when the binary is missing or
    /// does not come up.
    pub fn start() -> Result<Self, String> {
        let binary = Self::binary().ok_or_else(|| {
            "s3s-fs is not installed: run scripts/install-s3s-fs.sh \
             (cargo install s3s-fs@0.14.1 --locked --features binary), put it on PATH, \
             or set ASSETKIT_S3S_FS=/path/to/s3s-fs"
                .to_owned()
        })?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        // s3s-fs maps buckets to subdirectories of its root.
        std::fs::create_dir(dir.path().join(S3S_BUCKET)).map_err(|e| e.to_string())?;
        let log_path = dir.path().join("s3s-fs.log");
        let mut last_log = String::new();
        // A port picked free can be taken before s3s-fs binds it: try a few.
        for _ in 0..3 {
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map_err(|e| e.to_string())?
                .port();
            let log = File::create(&log_path).map_err(|e| e.to_string())?;
            let mut child = Command::new(&binary)
                .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                .args(["--access-key", S3S_ACCESS_KEY, "--secret-key", S3S_SECRET_KEY])
                .arg(dir.path())
                .stdin(Stdio::null())
                .stdout(log.try_clone().map_err(|e| e.to_string())?)
                .stderr(log)
                .spawn()
                .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Ok(Self { child, port, dir });
                }
                if child.try_wait().ok().flatten().is_some() || Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
                // Waiting for a process to come up, not timing anything.
                std::thread::sleep(Duration::from_millis(25));
            }
            last_log = std::fs::read_to_string(&log_path).unwrap_or_default();
        }
        Err(format!("s3s-fs did not start; its log:\n{last_log}"))
    }

    /// The target to sign forms for (see [`PostPolicy::sign`](crate::s3::PostPolicy::sign)).
    pub fn target(&self) -> S3Target {
        S3Target::new(
            format!("http://127.0.0.1:{}", self.port),
            S3S_BUCKET,
            S3S_ACCESS_KEY,
            S3S_SECRET_KEY,
        )
    }

    /// The bucket's URL, as Webflow's `uploadUrl`.
    pub fn upload_url(&self) -> String {
        self.target().upload_url()
    }

    /// Where an object's bytes land on disk.
    pub fn object_path(&self, key: &str) -> PathBuf {
        self.dir.path().join(S3S_BUCKET).join(key)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}
