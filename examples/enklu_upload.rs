//! Uploads a file to Enklu as a new asset (or as a new version of an existing one).
//!
//! ```text
//! ENKLU_EMAIL=you@example.com ENKLU_PASSWORD=... ENKLU_APP_ID=<experience id> \
//!     cargo run --example enklu_upload -- models/tree.fbx
//! ```
//!
//! Optional: `ENKLU_ASSET_ID` (upload a new version of that asset instead of a new asset),
//! `ENKLU_AUTH_URL` and `ENKLU_ASSETS_URL` (other hosts, e.g. a local mock; `http://` URLs
//! are allowed).

use std::process::ExitCode;

use assetkit::enklu::EnkluClient;
use assetkit::{ProgressReporter, UploadSource};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("enklu_upload: {message}");
            ExitCode::FAILURE
        }
    }
}

fn required(name: &str) -> Result<String, String> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| format!("set {name} (see the top of examples/enklu_upload.rs)"))
}

async fn run() -> Result<(), String> {
    let file = std::env::args()
        .nth(1)
        .ok_or("usage: enklu_upload <file to upload>")?;
    let email = required("ENKLU_EMAIL")?;
    let password = required("ENKLU_PASSWORD")?;
    let app_id = required("ENKLU_APP_ID")?;
    let mut builder = EnkluClient::builder().credentials(email, password).app_id(app_id);
    let mut allow_http = false;
    if let Ok(url) = std::env::var("ENKLU_AUTH_URL") {
        allow_http |= url.starts_with("http://");
        builder = builder.auth_url(url);
    }
    if let Ok(url) = std::env::var("ENKLU_ASSETS_URL") {
        allow_http |= url.starts_with("http://");
        builder = builder.assets_url(url);
    }
    let client = builder
        .allow_http(allow_http)
        .build()
        .map_err(|e| e.to_string())?;

    let source = UploadSource::path(&file);
    let upload = match std::env::var("ENKLU_ASSET_ID") {
        Ok(id) if !id.trim().is_empty() => client.assets().update(id.trim(), source),
        _ => client.assets().upload(source),
    };
    eprintln!("uploading {file} as {}", upload.qquuid());
    let progress = ProgressReporter::callback(|p| eprint!("\r{} / {} bytes", p.sent, p.total));
    let outcome = upload.progress(progress).send().await;
    eprintln!();
    let id = outcome.map_err(|e| e.to_string())?;
    println!("{id}");
    Ok(())
}
