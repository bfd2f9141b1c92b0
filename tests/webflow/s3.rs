//! A real S3-compatible server for the Webflow step-2 tests: the testkit's `S3sFs`
//! (`s3s-fs`), with this suite's policy for a missing binary: the tests fail when `CI` is
//! set and are skipped (with a notice on stderr) otherwise.

use std::io::Write as _;
use std::ops::Deref;

use assetkit_testkit::S3sFs;
use assetkit_testkit::s3::PostPolicy;

pub(crate) use assetkit_testkit::S3S_BUCKET as BUCKET;

/// A running `s3s-fs`, stopped on drop.
pub(crate) struct S3sServer(S3sFs);

impl Deref for S3sServer {
    type Target = S3sFs;
    fn deref(&self) -> &S3sFs {
        &self.0
    }
}

impl S3sServer {
    /// Starts a server, or returns `None` (after a notice) when s3s-fs is not installed and
    /// this is not CI. In CI a missing binary fails the test.
    pub(crate) fn start(test: &str) -> Option<Self> {
        if S3sFs::binary().is_none() {
            let message = "s3s-fs is not installed: run scripts/install-s3s-fs.sh, put it on PATH, \
                           or set ASSETKIT_S3S_FS=/path/to/s3s-fs";
            assert!(std::env::var_os("CI").is_none(), "{test}: {message}");
            // Straight to the process's stderr: libtest captures eprintln! of passing tests.
            let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {message}");
            return None;
        }
        Some(Self(S3sFs::start().unwrap_or_else(|e| panic!("{test}: {e}"))))
    }

    /// The `uploadDetails` Webflow would answer for `policy`, signed for this server.
    pub(crate) fn upload_details(&self, policy: &PostPolicy) -> Vec<(String, String)> {
        policy.sign(&self.target())
    }
}

/// What the fake Webflow puts in a browser POST policy: a PNG under `key`, at most
/// `max_size` bytes.
pub(crate) fn policy(key: &str, max_size: u64) -> PostPolicy {
    PostPolicy::new(key, "image/png", max_size)
}
