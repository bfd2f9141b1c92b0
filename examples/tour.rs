//! The assetkit tour: every vendor's whole flow through the public API, against fake
//! servers started in this process (the testkit's), so it runs anywhere with no account.
//!
//! For each vendor: upload a real file with a progress bar, wait for the vendor's
//! processing, get it back, list, update, and see how a forced 429 (retried after the
//! server's Retry-After) and a forced 422 (a typed error) look to the caller.
//!
//! It stays local whatever the environment holds. With `-- --real`, each vendor whose
//! credentials are in the environment runs against its real API instead (and the forced
//! errors are skipped): ROBLOX_API_KEY with
//! ROBLOX_CREATOR_USER_ID or ROBLOX_CREATOR_GROUP_ID; WEBFLOW_TOKEN with WEBFLOW_SITE_ID;
//! ENKLU_EMAIL, ENKLU_PASSWORD and ENKLU_APP_ID; UNICAT_API_KEY with UNICAT_PROJECT;
//! MEDIAPOCKET_API_KEY, MEDIAPOCKET_PROJECT and MEDIAPOCKET_BASE_URL.
//!
//! Run it with `cargo run --example tour` (or `cargo run --example tour -- --real`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use assetkit::enklu::EnkluClient;
use assetkit::mediapocket::{AssetMedia, MediaPocketClient};
use assetkit::roblox::{AssetType, Creator, RobloxClient};
use assetkit::unicat::{AssetRef, AssetSelector, UnicatClient};
use assetkit::webflow::WebflowClient;
use assetkit::{Error, ProgressReporter, Settings, UploadSource};
use assetkit_testkit::{
    DEMO_PROJECT, ENKLU_APP, ENKLU_EMAIL, ENKLU_PASSWORD, FakeEnklu, FakeMediaPocket, FakeRoblox, FakeServer,
    FakeUnicat, FakeWebflow, Fault, S3sFs, UNICAT_API_KEY, UNICAT_PROJECT,
};
use futures::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};

/// Whether `--real` was given: only then are credentials read from the environment.
fn real() -> bool {
    static REAL: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *REAL.get_or_init(|| std::env::args().skip(1).any(|a| a == "--real"))
}

/// A credential or id from the environment, under `--real` only.
fn env(name: &str) -> Option<String> {
    if !real() {
        return None;
    }
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn settings(base_url: &str) -> Settings {
    Settings::new().allow_http(base_url.starts_with("http://"))
}

/// A progress bar fed by assetkit's byte-level upload progress.
fn progress_bar(label: &str, size: u64) -> (ProgressBar, ProgressReporter) {
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template("     {msg:12} [{bar:32}] {bytes}/{total_bytes}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(label.to_owned());
    let fed = bar.clone();
    (bar, ProgressReporter::callback(move |p| fed.set_position(p.sent)))
}

fn step(text: &str) {
    println!("   - {text}");
}

/// Shows how a forced error reaches the caller.
fn show_error(what: &str, error: &Error) {
    let kind = match error {
        Error::Unprocessable(_) => "Error::Unprocessable",
        Error::RateLimited { .. } => "Error::RateLimited",
        Error::BadRequest(_) => "Error::BadRequest",
        Error::NotFound(_) => "Error::NotFound",
        Error::InvalidRequest(_) => "Error::InvalidRequest",
        Error::Rejected(_) => "Error::Rejected",
        Error::PartialFailure { .. } => "Error::PartialFailure",
        _ => "Error",
    };
    step(&format!(
        "{what} -> {kind} (status {:?}): {error}",
        error.status()
    ));
}

/// Injects a 429 with `Retry-After: 1` on the next request, and says so.
fn force_429(fake: Option<&FakeServer>) {
    if let Some(fake) = fake {
        fake.inject(Fault::rate_limited(Duration::from_secs(1)));
        step("the server will answer the next request with 429, Retry-After: 1");
    }
}

async fn roblox(model: &Path) -> Result<String, Error> {
    let real = env("ROBLOX_API_KEY");
    let fake = if real.is_none() {
        Some(FakeRoblox::start().await)
    } else {
        None
    };
    if let Some(fake) = &fake {
        fake.set_polls_until_done(1);
    }
    let base = fake
        .as_ref()
        .map_or_else(|| RobloxClient::DEFAULT_BASE_URL.to_owned(), |f| f.uri());
    let creator = match (env("ROBLOX_CREATOR_GROUP_ID"), env("ROBLOX_CREATOR_USER_ID")) {
        (Some(group), _) => Creator::Group(
            group
                .parse()
                .map_err(|_| Error::invalid("ROBLOX_CREATOR_GROUP_ID"))?,
        ),
        (_, Some(user)) => Creator::User(
            user.parse()
                .map_err(|_| Error::invalid("ROBLOX_CREATOR_USER_ID"))?,
        ),
        _ => Creator::User(1),
    };
    let client = RobloxClient::builder()
        .api_key(real.unwrap_or_else(|| "tour-key".into()))
        .base_url(&base)
        .settings(settings(&base))
        .build()?;
    let bytes = UploadSource::path(model).len().await?;
    let (bar, progress) = progress_bar("tree.fbx", bytes);
    let operation = client
        .assets()
        .create(AssetType::Model, "Tour Tree", UploadSource::path(model), creator)
        .description("Uploaded by the assetkit tour")
        .progress(progress)
        .send()
        .await?;
    bar.finish();
    step(&format!(
        "Create Asset answered with operation {}; waiting for it",
        operation.id
    ));
    let asset = operation.wait().await?;
    let id = asset
        .asset_id
        .clone()
        .ok_or_else(|| Error::invalid("the operation named no asset"))?;
    step(&format!(
        "asset {id} \"{}\" is ready",
        asset.display_name.as_deref().unwrap_or("")
    ));
    force_429(fake.as_deref());
    let fetched = client.assets().get(&id).send().await?;
    step(&format!(
        "Get Asset (after the retry): moderation {:?}",
        fetched.moderation_result.and_then(|m| m.moderation_state)
    ));
    let updated = client
        .assets()
        .update(AssetType::Model, &id)
        .description("Updated by the tour")
        .send()
        .await?;
    let updated = updated.wait().await?;
    step(&format!(
        "Update Asset: description is now {:?}",
        updated.description.unwrap_or_default()
    ));
    let versions: Vec<_> = client.assets().versions(&id).into_stream().collect().await;
    step(&format!("List Asset Versions: {} version(s)", versions.len()));
    if let Some(fake) = &fake {
        fake.inject(Fault::with_body(
            422,
            r#"{"code":"INVALID_ARGUMENT","message":"The asset is in a state that does not allow this."}"#,
        ));
        if let Err(error) = client.assets().archive(&id).send().await {
            show_error("forced 422 on Archive Asset", &error);
        }
    }
    Ok(format!("asset {id}"))
}

async fn webflow(image: &Path) -> Result<String, Error> {
    let real = env("WEBFLOW_TOKEN");
    let fake = if real.is_none() {
        Some(FakeWebflow::start().await)
    } else {
        None
    };
    // Step 2 goes to a real S3-compatible server when s3s-fs is installed.
    let s3 = match &fake {
        Some(fake) if S3sFs::binary().is_some() => match S3sFs::start() {
            Ok(s3) => {
                fake.use_s3(s3.target());
                step(&format!("S3 step: a real s3s-fs at {}", s3.upload_url()));
                Some(s3)
            }
            Err(e) => {
                step(&format!(
                    "S3 step: s3s-fs did not start ({e}); the fake's own S3 form endpoint is used"
                ));
                None
            }
        },
        Some(_) => {
            step("S3 step: the fake's own S3 form endpoint (install s3s-fs to use a real one)");
            None
        }
        None => None,
    };
    let base = fake
        .as_ref()
        .map_or_else(|| WebflowClient::DEFAULT_BASE_URL.to_owned(), |f| f.uri());
    let site = env("WEBFLOW_SITE_ID").unwrap_or_else(|| "580e63e98c9a982ac9b8b741".into());
    let client = WebflowClient::builder()
        .bearer(real.unwrap_or_else(|| "tour-token".into()))
        .base_url(&base)
        .settings(settings(&base))
        .build()?;
    let bytes = UploadSource::path(image).len().await?;
    let (bar, progress) = progress_bar("logo.png", bytes);
    let uploaded = client
        .assets()
        .upload(&site, UploadSource::path(image))
        .progress(progress)
        .send()
        .await?;
    bar.finish();
    let id = uploaded.asset.id.clone();
    step(&format!(
        "two-step upload done: asset {id}, MD5 {}",
        uploaded.file_hash.unwrap_or_default()
    ));
    if let Some(s3) = &s3 {
        let key = uploaded.stored.key.clone().unwrap_or_default();
        let stored = std::fs::read(s3.object_path(&key)).map_err(|e| Error::io(s3.object_path(&key), e))?;
        step(&format!("s3s-fs holds {} bytes under {key}", stored.len()));
    }
    force_429(fake.as_deref());
    let asset = client.assets().get(&id).send().await?;
    step(&format!(
        "Get Asset (after the retry): hosted at {}",
        asset.hosted_url.unwrap_or_default()
    ));
    let page = client.assets().list(&site).send().await?;
    step(&format!("List Assets: {} asset(s)", page.assets.len()));
    let renamed = client
        .assets()
        .update(&id)
        .display_name("tour-logo.png")
        .send()
        .await?;
    step(&format!(
        "Update Asset: display name {:?}",
        renamed.display_name.unwrap_or_default()
    ));
    step(&format!(
        "rate limit seen: {:?} of {:?} left",
        client.rate_limit().remaining,
        client.rate_limit().limit
    ));
    if fake.is_some() {
        let error = client
            .assets()
            .upload(&site, UploadSource::bytes("x".repeat(120), vec![1u8]))
            .send()
            .await;
        if let Err(error) = error {
            show_error("a 120-character file name (refused before sending)", &error);
        }
    }
    Ok(format!("asset {id}"))
}

async fn enklu(model: &Path) -> Result<String, Error> {
    let real = env("ENKLU_EMAIL")
        .zip(env("ENKLU_PASSWORD"))
        .zip(env("ENKLU_APP_ID"));
    let fake = if real.is_none() {
        Some(FakeEnklu::start().await)
    } else {
        None
    };
    let ((email, password), app) = real.unwrap_or_else(|| {
        (
            (ENKLU_EMAIL.to_owned(), ENKLU_PASSWORD.to_owned()),
            ENKLU_APP.to_owned(),
        )
    });
    let (auth, assets) = fake.as_ref().map_or_else(
        || {
            (
                EnkluClient::DEFAULT_AUTH_URL.to_owned(),
                EnkluClient::DEFAULT_ASSETS_URL.to_owned(),
            )
        },
        |f| (f.auth_url(), f.assets_url()),
    );
    let client = EnkluClient::builder()
        .credentials(email, password)
        .app_id(app)
        .auth_url(&auth)
        .assets_url(&assets)
        .settings(settings(&assets))
        .build()?;
    let bytes = UploadSource::path(model).len().await?;
    let (bar, progress) = progress_bar("tree.fbx", bytes);
    let id = client
        .assets()
        .upload(UploadSource::path(model))
        .file_name("Tour Tree")
        .progress(progress)
        .send()
        .await?;
    bar.finish();
    step(&format!(
        "signed in as {:?} and uploaded asset {id}",
        client.user().map(|u| u.email).unwrap_or_default()
    ));
    if let Some(fake) = &fake {
        fake.expire_tokens();
        step("the server expired the session token");
    }
    let again = client
        .assets()
        .update(&id, UploadSource::path(model))
        .send()
        .await?;
    step(&format!(
        "uploaded a new version of {again} (signing in again after the 401)"
    ));
    if let Some(fake) = &fake {
        fake.inject(Fault::with_body(
            422,
            r#"{"success":false,"error":"The file could not be imported.","body":null}"#,
        ));
        if let Err(error) = client.assets().upload(UploadSource::path(model)).send().await {
            show_error("forced 422 on upload", &error);
        }
    }
    Ok(format!("asset {id}"))
}

async fn unicat(image: &Path) -> Result<String, Error> {
    let real = env("UNICAT_API_KEY").zip(env("UNICAT_PROJECT"));
    let fake = if real.is_none() {
        Some(FakeUnicat::start().await)
    } else {
        None
    };
    let (key, project) = real.unwrap_or_else(|| (UNICAT_API_KEY.to_owned(), UNICAT_PROJECT.to_owned()));
    let base = fake
        .as_ref()
        .map_or_else(|| UnicatClient::DEFAULT_BASE_URL.to_owned(), |f| f.uri());
    let client = UnicatClient::builder()
        .api_key(key)
        .project(project)
        .base_url(&base)
        .settings(settings(&base))
        .build()?;
    let root = client.assets().root().send().await?;
    step(&format!("signed in; the root folder is {}", root.gid));
    let bytes = UploadSource::path(image).len().await?;
    let (bar, progress) = progress_bar("logo.png", bytes);
    let change = client
        .assets()
        .upload(AssetRef::gid(&root.gid), UploadSource::path(image))
        .progress(progress)
        .send()
        .await?;
    bar.finish();
    let path = change.asset.pathname.clone().unwrap_or_default();
    step(&format!("uploaded {path} as {}", change.asset.gid));
    force_429(fake.as_deref());
    let got = client
        .assets()
        .get(AssetSelector::pathnames([path.as_str()]))
        .send()
        .await?;
    step(&format!(
        "assets/get by pathname (after the retry): {} asset(s)",
        got.len()
    ));
    let children: Vec<_> = client
        .assets()
        .children(AssetRef::gid(&root.gid))
        .into_stream()
        .collect()
        .await;
    step(&format!(
        "assets/children of the root: {} asset(s)",
        children.len()
    ));
    let changed = client
        .assets()
        .update(&change.asset.gid)
        .title("en", "Tour logo")
        .send()
        .await?;
    step(&format!(
        "assets/update: title {:?}",
        changed.asset.title.get("en").cloned().unwrap_or_default()
    ));
    if fake.is_some()
        && let Err(error) = client
            .assets()
            .get(AssetSelector::pathname("/no/such/asset"))
            .send()
            .await
    {
        show_error("assets/get of an unknown pathname", &error);
    }
    Ok(format!("asset {}", change.asset.gid))
}

async fn mediapocket() -> Result<String, Error> {
    let real = env("MEDIAPOCKET_API_KEY")
        .zip(env("MEDIAPOCKET_PROJECT"))
        .zip(env("MEDIAPOCKET_BASE_URL"));
    let fake = if real.is_none() {
        Some(FakeMediaPocket::start().await)
    } else {
        None
    };
    if let Some(fake) = &fake {
        fake.set_reads_until_processed(2);
    }
    let ((key, project), base) = real.unwrap_or_else(|| {
        let base = fake.as_ref().map(FakeMediaPocket::base_url).unwrap_or_default();
        (("tour-key".to_owned(), DEMO_PROJECT.to_owned()), base)
    });
    let client = MediaPocketClient::builder()
        .api_key(key)
        .base_url(&base)
        .settings(settings(&base))
        .build()?;
    let created = client
        .assets()
        .create(&project, "Tour asset")
        .tags(["tour"])
        .media(AssetMedia::url(
            "https://www.example.com/jpgfile.jpg",
            "jpgfile.jpg",
        ))
        .send()
        .await?;
    step(&format!(
        "created asset {} with media from a URL: {}",
        created.id, created.media_type
    ));
    let done = client.assets().wait_processed(&created.id).wait().await?;
    step(&format!(
        "waited for processing: media type is now {}",
        done.media_type
    ));
    force_429(fake.as_deref());
    let updated = client
        .assets()
        .update(&created.id)
        .description("Updated by the tour")
        .send()
        .await?;
    step(&format!(
        "updated (after the retry): {:?}",
        updated.description.unwrap_or_default()
    ));
    if fake.is_some() {
        if let Err(error) = client.assets().create("not-found-id", "x").send().await {
            show_error("create in a project that does not exist", &error);
        }
        if let Some(fake) = &fake {
            fake.inject(Fault::with_body(422, r#"{"error":"Missing parameter title"}"#));
        }
        if let Err(error) = client.assets().create(&project, "x").send().await {
            show_error("forced 422 on create", &error);
        }
    }
    Ok(format!("asset {}", created.id))
}

/// A folder kept in step with a platform: synced, one file changed, synced again (a new
/// version of the same asset), with the manifest and its codegen. Always against a fake
/// Enklu: a tour never changes a real account's assets this way.
async fn sync(dir: &Path) -> Result<String, Error> {
    use assetkit::sync::{Codegen, EnkluTarget, Manifest, Options, Plan};
    let fake = FakeEnklu::start().await;
    let client = EnkluClient::builder()
        .credentials(ENKLU_EMAIL, ENKLU_PASSWORD)
        .app_id(ENKLU_APP)
        .auth_url(fake.auth_url())
        .assets_url(fake.assets_url())
        .settings(settings(&fake.assets_url()))
        .build()?;
    let target = EnkluTarget::new(client);
    let folder = dir.join("synced");
    for name in ["door.fbx", "lamp.fbx", "rug.fbx"] {
        write_file(&folder, name, 4096)?;
    }
    let manifest_path = dir.join("assetkit.lock.json");
    let mut manifest = Manifest::open(&manifest_path, "enklu tour")?;
    let plan = Plan::build(&folder, &manifest, &target).await?;
    step(&format!("first sync: {}", plan.summary()));
    for outcome in plan
        .execute(&target, &mut manifest, None, Options::default())
        .await
    {
        outcome.result?;
    }
    std::fs::write(folder.join("lamp.fbx"), b"a brighter lamp").map_err(|e| Error::io(&folder, e))?;
    let plan = Plan::build(&folder, &manifest, &target).await?;
    step(&format!("lamp.fbx changed: {}", plan.summary()));
    for outcome in plan
        .execute(&target, &mut manifest, None, Options::default())
        .await
    {
        outcome.result?;
    }
    let lamp = manifest.get("lamp.fbx").map(|e| e.id.clone()).unwrap_or_default();
    let versions = fake.asset(&lamp).map_or(0, |(_, v)| v);
    step(&format!(
        "lamp.fbx is still asset {lamp}, now with {versions} versions"
    ));
    let plan = Plan::build(&folder, &manifest, &target).await?;
    step(&format!("third sync: {} (nothing sent)", plan.summary()));
    step(&format!(
        "codegen (TypeScript):\n{}",
        manifest.codegen(Codegen::TypeScript).trim_end()
    ));
    Ok(format!("{} files in the manifest", manifest.assets().len()))
}

/// A made-up file of `size` bytes; models and images start with their format's signature
/// (and an image with a 1×1 header), which Roblox's preflight checks before sending.
fn write_file(dir: &Path, name: &str, size: usize) -> Result<PathBuf, Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let path = dir.join(name);
    let header: &[u8] = match Path::new(name).extension().and_then(|e| e.to_str()) {
        Some("fbx") => b"Kaydara FBX Binary  \0",
        Some("png") => b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53\xde",
        _ => b"",
    };
    let mut content: Vec<u8> = (0..size).map(|i| u8::try_from(i % 251).unwrap_or(0)).collect();
    content[..header.len().min(size)].copy_from_slice(&header[..header.len().min(size)]);
    std::fs::write(&path, content).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    println!("assetkit tour: five vendors, one transport, one error type.");
    if real() {
        println!("--real: vendors whose credentials are in the environment use their real APIs.\n");
    } else {
        println!("Everything runs against fake servers in this process; `-- --real` uses real APIs.\n");
    }
    let dir = std::env::temp_dir().join(format!("assetkit-tour-{}", std::process::id()));
    let files = std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(&dir, e))
        .and_then(|()| {
            Ok((
                write_file(&dir, "tree.fbx", 768 * 1024)?,
                write_file(&dir, "logo.png", 96 * 1024)?,
            ))
        });
    let (model, image) = match files {
        Ok(files) => files,
        Err(error) => {
            eprintln!("cannot write the tour's files: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mode = |vars: &[&str]| {
        if vars.iter().all(|v| env(v).is_some()) {
            "the real API"
        } else {
            "a fake server in this process"
        }
    };
    let mut results = Vec::new();
    println!("== Roblox Open Cloud Assets ({})", mode(&["ROBLOX_API_KEY"]));
    results.push(("Roblox", roblox(&model).await));
    println!("\n== Webflow Assets ({})", mode(&["WEBFLOW_TOKEN"]));
    results.push(("Webflow", webflow(&image).await));
    println!(
        "\n== Enklu Assets ({})",
        mode(&["ENKLU_EMAIL", "ENKLU_PASSWORD", "ENKLU_APP_ID"])
    );
    results.push(("Enklu", enklu(&model).await));
    println!(
        "\n== Unicat assets ({})",
        mode(&["UNICAT_API_KEY", "UNICAT_PROJECT"])
    );
    results.push(("Unicat", unicat(&image).await));
    println!(
        "\n== Media Pocket assets ({})",
        mode(&[
            "MEDIAPOCKET_API_KEY",
            "MEDIAPOCKET_PROJECT",
            "MEDIAPOCKET_BASE_URL"
        ])
    );
    results.push(("Media Pocket", mediapocket().await));
    println!("\n== assetkit sync (a fake Enklu server in this process)");
    results.push(("Sync", sync(&dir).await));
    let _ = std::fs::remove_dir_all(&dir);

    println!("\nSummary");
    let mut failed = false;
    for (vendor, result) in &results {
        match result {
            Ok(what) => println!("  ok      {vendor:13} {what}"),
            Err(error) => {
                failed = true;
                println!("  FAILED  {vendor:13} {error}");
            }
        }
    }
    if failed {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
