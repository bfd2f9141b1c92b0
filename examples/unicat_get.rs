//! Fetches Unicat assets by pathname or gid and prints what Unicat knows about them.
//!
//! ```text
//! UNICAT_API_KEY=... UNICAT_PROJECT=<project gid> \
//!     cargo run --example unicat_get -- /products/image.jpg 96ec02b2-fb8d-4fb4-b952-fad0c4b88a74
//! ```
//!
//! Arguments starting with `/` are pathnames, the others gids. Optional: `UNICAT_BASE_URL`
//! (another server, e.g. a local mock; an `http://` URL is allowed).

use std::process::ExitCode;

use assetkit::unicat::{AssetSelector, UnicatClient};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("unicat_get: {message}");
            ExitCode::FAILURE
        }
    }
}

fn required(name: &str) -> Result<String, String> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| format!("set {name} (see the top of examples/unicat_get.rs)"))
}

async fn run() -> Result<(), String> {
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    if wanted.is_empty() {
        return Err("usage: unicat_get <pathname or gid>...".into());
    }
    let api_key = required("UNICAT_API_KEY")?;
    let project = required("UNICAT_PROJECT")?;
    let mut builder = UnicatClient::builder().api_key(api_key).project(project);
    if let Ok(url) = std::env::var("UNICAT_BASE_URL") {
        builder = builder.allow_http(url.starts_with("http://")).base_url(url);
    }
    let client = builder.build().map_err(|e| e.to_string())?;

    // Pathnames and gids go in separate requests: one request takes one kind.
    let (pathnames, gids): (Vec<String>, Vec<String>) = wanted.into_iter().partition(|w| w.starts_with('/'));
    let mut selectors = Vec::new();
    if !pathnames.is_empty() {
        selectors.push(AssetSelector::Pathnames(pathnames));
    }
    if !gids.is_empty() {
        selectors.push(AssetSelector::Gids(gids));
    }
    for selector in selectors {
        let assets = client
            .assets()
            .get(selector)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        for asset in assets {
            let kind = match asset.is_file {
                Some(true) => asset.kind.as_deref().unwrap_or("file"),
                Some(false) => "folder",
                None => "?",
            };
            println!(
                "{}  {:<8} {:>10}  {}",
                asset.gid,
                kind,
                asset.file_size().map(|s| s.to_string()).unwrap_or_default(),
                asset.pathname.as_deref().unwrap_or("")
            );
        }
    }
    Ok(())
}
