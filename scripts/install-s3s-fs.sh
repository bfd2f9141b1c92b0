#!/usr/bin/env bash
# Installs s3s-fs, the S3-compatible server the Webflow upload tests post to (it enforces
# browser POST policies and SigV4 signatures). Idempotent: does nothing when a binary is
# already there (ASSETKIT_S3S_FS, PATH, or $CARGO_HOME/bin).
#
# Usage: scripts/install-s3s-fs.sh            (CI: run once before `cargo test`, cache ~/.cargo/bin)
# Building it takes several minutes on 2 cores (measured: about 3.5 min).
set -euo pipefail

VERSION="0.14.1"
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"

if [[ -n "${ASSETKIT_S3S_FS:-}" ]]; then
    if [[ -x "$ASSETKIT_S3S_FS" ]]; then
        echo "s3s-fs: using ASSETKIT_S3S_FS=$ASSETKIT_S3S_FS"
        exit 0
    fi
    echo "s3s-fs: ASSETKIT_S3S_FS=$ASSETKIT_S3S_FS is not an executable file" >&2
    exit 1
fi

if found="$(command -v s3s-fs 2>/dev/null)"; then
    echo "s3s-fs: already installed at $found"
    exit 0
fi

if [[ -x "$CARGO_BIN/s3s-fs" ]]; then
    echo "s3s-fs: already installed at $CARGO_BIN/s3s-fs (add $CARGO_BIN to PATH)"
    exit 0
fi

echo "s3s-fs: installing s3s-fs@$VERSION (takes a few minutes)"
start=$(date +%s)
cargo install "s3s-fs@$VERSION" --locked --features binary
echo "s3s-fs: installed in $(( $(date +%s) - start ))s at $CARGO_BIN/s3s-fs"
