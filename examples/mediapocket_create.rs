//! Creates a Media Pocket asset: a placeholder, or one whose media comes from a URL.
//!
//! ```text
//! MEDIAPOCKET_API_KEY=... MEDIAPOCKET_PROJECT=DtialUGXI36apS40-0cE \
//! MEDIAPOCKET_BASE_URL=https://acme.mediapocket.fi/api/v2 \
//!     cargo run --example mediapocket_create -- [https://www.example.com/jpgfile.jpg]
//! ```
//!
//! With a URL, it waits until Media Pocket has processed the media. A `http://` base URL
//! (a local mock) is allowed.

use std::process::ExitCode;

#[cfg(feature = "mediapocket")]
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("mediapocket_create: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "mediapocket"))]
fn main() -> ExitCode {
    eprintln!("mediapocket_create: build with the `mediapocket` feature");
    ExitCode::FAILURE
}

#[cfg(feature = "mediapocket")]
fn env(name: &str) -> Result<String, String> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => Ok(value),
        _ => Err(format!(
            "set {name} (needed: MEDIAPOCKET_API_KEY, MEDIAPOCKET_PROJECT, MEDIAPOCKET_BASE_URL)"
        )),
    }
}

#[cfg(feature = "mediapocket")]
async fn run() -> Result<(), String> {
    use assetkit::Error;
    use assetkit::mediapocket::{AssetMedia, MediaPocketClient};

    let key = env("MEDIAPOCKET_API_KEY")?;
    let project = env("MEDIAPOCKET_PROJECT")?;
    let base_url = env("MEDIAPOCKET_BASE_URL")?;
    let client = MediaPocketClient::builder()
        .api_key(key)
        .allow_http(base_url.starts_with("http://"))
        .base_url(base_url)
        .build()
        .map_err(|e| e.to_string())?;

    let mut create = client
        .assets()
        .create(project, "assetkit example")
        .description("Created by the assetkit mediapocket_create example")
        .tags(["assetkit", "example"]);
    let file_url = std::env::args().nth(1);
    if let Some(url) = &file_url {
        let filename = url
            .rsplit('/')
            .find(|part| !part.is_empty())
            .unwrap_or("file")
            .to_owned();
        create = create.media(AssetMedia::url(url.clone(), filename));
    }

    let asset = match create.send().await {
        Ok(asset) => asset,
        Err(Error::PartialFailure { created, source }) => {
            return Err(format!(
                "asset {} was created, but its media could not be added: {source}",
                created.id
            ));
        }
        Err(error) => return Err(error.to_string()),
    };
    println!("created {asset:#?}");

    if asset.is_processing() {
        println!("waiting for Media Pocket to process the media...");
        let done = client
            .assets()
            .wait_processed(&asset.id)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        println!("processed: {} is {}", done.id, done.media_type);
    }
    Ok(())
}
