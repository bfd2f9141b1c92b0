//! Uploads a 3D model to Roblox, waits for the upload to be processed, prints the asset and
//! lists its versions.
//!
//! ```text
//! ROBLOX_API_KEY=... ROBLOX_CREATOR_USER_ID=1234567 \
//!     cargo run --example roblox_upload -- tree.fbx
//! ```
//!
//! - `ROBLOX_API_KEY`: an Open Cloud key with the **assets** permission (Read and Write).
//! - `ROBLOX_CREATOR_USER_ID` or `ROBLOX_CREATOR_GROUP_ID`: who will own the asset.
//! - `ROBLOX_BASE_URL` (optional): another base URL, such as a local fake server;
//!   plain `http://` is allowed for it.
//! - The argument: a `.fbx`, `.gltf`, `.glb`, `.rbxm` or `.rbxmx` file of at most 20 MB.

#[cfg(feature = "roblox")]
mod upload {
    use std::path::Path;
    use std::process::ExitCode;

    use assetkit::roblox::{AssetType, Creator, RobloxClient};
    use assetkit::{Error, UploadSource};
    use futures::TryStreamExt;

    /// What the user must fix before anything can be sent.
    struct Setup {
        api_key: String,
        creator: Creator,
        base_url: Option<String>,
        file: String,
    }

    fn setup() -> Result<Setup, String> {
        let file = std::env::args()
            .nth(1)
            .ok_or("usage: roblox_upload <model file (.fbx, .gltf, .glb, .rbxm, .rbxmx)>")?;
        let api_key = std::env::var("ROBLOX_API_KEY")
            .ok()
            .filter(|k| !k.trim().is_empty())
            .ok_or("set ROBLOX_API_KEY to an Open Cloud API key with the assets permission")?;
        let id = |name: &str| -> Result<Option<u64>, String> {
            match std::env::var(name) {
                Ok(value) => value
                    .trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| format!("{name} must be a number, not {value:?}")),
                Err(_) => Ok(None),
            }
        };
        let creator = match (id("ROBLOX_CREATOR_USER_ID")?, id("ROBLOX_CREATOR_GROUP_ID")?) {
            (Some(user), _) => Creator::User(user),
            (None, Some(group)) => Creator::Group(group),
            (None, None) => {
                return Err(
                    "set ROBLOX_CREATOR_USER_ID (or ROBLOX_CREATOR_GROUP_ID) to the asset's owner".into(),
                );
            }
        };
        Ok(Setup {
            api_key,
            creator,
            base_url: std::env::var("ROBLOX_BASE_URL").ok().filter(|u| !u.is_empty()),
            file,
        })
    }

    async fn upload(setup: Setup) -> Result<(), Error> {
        let mut builder = RobloxClient::builder().api_key(setup.api_key);
        if let Some(url) = setup.base_url {
            builder = builder.allow_http(url.starts_with("http://")).base_url(url);
        }
        let client = builder.build()?;

        let name = Path::new(&setup.file)
            .file_stem()
            .map_or_else(|| "Model".to_owned(), |s| s.to_string_lossy().into_owned());
        println!("uploading {} as model {name:?}...", setup.file);
        let operation = client
            .assets()
            .create(
                AssetType::Model,
                name,
                UploadSource::path(&setup.file),
                setup.creator,
            )
            .description("Uploaded with assetkit")
            .send()
            .await?;
        println!("operation {} started; waiting for it to finish", operation.id);

        let asset = operation.wait().await?;
        println!("asset ready:");
        println!(
            "  id:         {}",
            asset.asset_id.as_ref().map_or("?", |id| id.as_str())
        );
        println!("  name:       {}", asset.display_name.as_deref().unwrap_or("?"));
        println!("  type:       {:?}", asset.asset_type);
        println!("  revision:   {}", asset.revision_id.as_deref().unwrap_or("?"));
        println!(
            "  moderation: {:?}",
            asset.moderation_result.and_then(|m| m.moderation_state)
        );

        let Some(asset_id) = asset.asset_id else {
            println!("the answer carried no asset id; cannot list versions");
            return Ok(());
        };
        println!("versions:");
        let mut versions = client.assets().versions(&asset_id).page_size(50).into_stream();
        while let Some(version) = versions.try_next().await? {
            println!(
                "  {} (published: {:?})",
                version.path.as_deref().unwrap_or("?"),
                version.published
            );
        }
        Ok(())
    }

    pub(crate) async fn run() -> ExitCode {
        let setup = match setup() {
            Ok(setup) => setup,
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::from(2);
            }
        };
        match upload(setup).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error}");
                if let Some(created) = error.created() {
                    eprintln!(
                        "the {} {} exists; poll it again with client.operations().get({:?})",
                        created.kind, created.id, created.id
                    );
                }
                ExitCode::FAILURE
            }
        }
    }
}

#[cfg(feature = "roblox")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    upload::run().await
}

/// Built without the `roblox` feature: say how to build it instead.
#[cfg(not(feature = "roblox"))]
fn main() -> std::process::ExitCode {
    eprintln!("this example needs the `roblox` feature: cargo run --features roblox --example roblox_upload");
    std::process::ExitCode::from(2)
}
