//! Uploads a file to a Webflow site's assets, both steps in one call, with progress.
//!
//! ```text
//! WEBFLOW_TOKEN=... WEBFLOW_SITE_ID=580e63e98c9a982ac9b8b741 \
//!     cargo run --example webflow_upload -- path/to/logo.png
//! ```
//!
//! `WEBFLOW_BASE_URL` points it elsewhere (a proxy, a local fake); an `http://` URL is
//! allowed for local servers.

use std::process::ExitCode;

use assetkit::webflow::WebflowClient;
use assetkit::{Error, ProgressReporter, UploadSource};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("webflow_upload: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let usage = "usage: WEBFLOW_TOKEN=... WEBFLOW_SITE_ID=... [WEBFLOW_BASE_URL=...] \
                 cargo run --example webflow_upload -- <file>";
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let token = env("WEBFLOW_TOKEN").ok_or_else(|| format!("WEBFLOW_TOKEN is not set\n{usage}"))?;
    let site_id = env("WEBFLOW_SITE_ID").ok_or_else(|| format!("WEBFLOW_SITE_ID is not set\n{usage}"))?;
    let file = std::env::args_os()
        .nth(1)
        .ok_or_else(|| format!("no file given\n{usage}"))?;

    let mut builder = WebflowClient::builder().bearer(token);
    if let Some(base_url) = env("WEBFLOW_BASE_URL") {
        builder = builder
            .allow_http(base_url.starts_with("http://"))
            .base_url(base_url);
    }
    let client = builder.build().map_err(|e| e.to_string())?;

    let progress = ProgressReporter::callback(|p| {
        let percent = (p.sent * 100).checked_div(p.total).unwrap_or(100);
        eprint!("\r{percent:>3}% {}/{} bytes", p.sent, p.total);
    });
    let result = client
        .assets()
        .upload(&site_id, UploadSource::path(file))
        .progress(progress)
        .send()
        .await;
    eprintln!();

    match result {
        Ok(uploaded) => {
            println!("asset id:   {}", uploaded.id());
            println!(
                "file name:  {}",
                uploaded.asset.original_file_name.as_deref().unwrap_or("-")
            );
            println!("md5:        {}", uploaded.file_hash.as_deref().unwrap_or("-"));
            println!("size:       {} bytes", uploaded.size);
            println!("hosted url: {}", uploaded.hosted_url().unwrap_or("-"));
            println!(
                "asset url:  {}",
                uploaded.asset.asset_url.as_deref().unwrap_or("-")
            );
            println!("rate limit: {:?} left", client.rate_limit().remaining);
            Ok(())
        }
        // The asset exists at Webflow but its file did not reach storage: say which one.
        Err(Error::PartialFailure { created, source }) => Err(format!(
            "asset {} was created but its file was not stored: {source}\n\
             delete it, or upload the file again",
            created.id
        )),
        Err(other) => Err(other.to_string()),
    }
}
