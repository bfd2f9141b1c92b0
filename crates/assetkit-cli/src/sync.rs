//! `assetkit sync DIR --to VENDOR`: keep a folder in step with a platform, through
//! `assetkit::sync` (a plan, then new assets, new versions, replacements and pruning),
//! with a manifest to commit and optional codegen.

use std::path::PathBuf;

use assetkit::Error;
use assetkit::journal::Journal;
use assetkit::roblox::{AssetType, Creator};
use assetkit::sync::{
    Action, Codegen, EnkluTarget, Manifest, Options, Plan, RobloxTarget, Target, UnicatTarget, WebflowTarget,
};
use clap::{Args, ValueEnum};
use serde_json::json;

use crate::exit::Exit;
use crate::mock::Mock;
use crate::output::Output;
use crate::vendors::{enklu, roblox, unicat, webflow};
use crate::{CliError, Global};

/// Where a folder can be synced to.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum To {
    Roblox,
    Webflow,
    Enklu,
    Unicat,
}

#[derive(Debug, Args)]
pub(crate) struct SyncArgs {
    /// The folder to sync (every file under it, hidden ones skipped).
    dir: PathBuf,
    /// The platform.
    #[arg(long, value_enum)]
    to: To,
    /// The manifest: each file's asset, to commit beside the folder.
    #[arg(long, value_name = "PATH", default_value = "assetkit.lock.json")]
    manifest: PathBuf,
    /// Print the plan (new, new versions, replaced, unchanged, gone) and send nothing.
    #[arg(long)]
    dry_run: bool,
    /// Archive (Roblox) or delete (others) the assets of files that are gone; only ever
    /// assets the manifest records.
    #[arg(long)]
    prune: bool,
    /// Where a changed file cannot be a new version (Webflow; Roblox types other than
    /// Models), archive or delete its old asset once the new one exists.
    #[arg(long)]
    replace: bool,
    /// Also write a module mapping each file to its asset: LANG is luau, typescript,
    /// rust or json.
    #[arg(long, num_args = 2, value_names = ["LANG", "PATH"])]
    codegen: Vec<String>,
    /// Roblox: upload as this user (default: ROBLOX_CREATOR_USER_ID).
    #[arg(long, value_name = "ID")]
    user: Option<u64>,
    /// Roblox: upload as this group (default: ROBLOX_CREATOR_GROUP_ID).
    #[arg(long, value_name = "ID", conflicts_with = "user")]
    group: Option<u64>,
    /// Roblox: the asset type of every file (default: guessed from the extension).
    #[arg(long = "type", value_name = "TYPE")]
    asset_type: Option<String>,
    /// Webflow: the site (default: WEBFLOW_SITE_ID).
    #[arg(long)]
    site: Option<String>,
    /// Webflow: the asset folder id; Unicat: the folder, by pathname or gid (required).
    #[arg(long, value_name = "FOLDER")]
    folder: Option<String>,
}

pub(crate) async fn run(global: &Global, out: &Output, args: SyncArgs) -> Result<Exit, CliError> {
    let out = *out;
    let codegen = match args.codegen.as_slice() {
        [] => None,
        [language, path] => Some((language.parse::<Codegen>()?, PathBuf::from(path))),
        _ => return Err(Error::invalid("--codegen takes LANG and PATH").into()),
    };
    if !args.dir.is_dir() {
        return Err(Error::invalid(format!("{} is not a folder", args.dir.display())).into());
    }
    // The fake (under --mock) lives as long as this.
    let (target, name, _fake) = connect(global, &args).await?;
    let mut manifest = Manifest::open(&args.manifest, &name)?;
    let plan = Plan::build(&args.dir, &manifest, target.as_ref()).await?;
    if args.dry_run {
        show_plan(out, &plan, &args);
        return Ok(Exit::Ok);
    }
    out.note(&format!("sync to {name}: {}", plan.summary()));
    let options = Options::default()
        .replace(args.replace)
        .prune(args.prune)
        .concurrency(global.concurrency);
    // Beside the manifest: every create's steps, so a sync killed at any moment resumes
    // without second assets (and a second sync on the same manifest is refused).
    let mut journal_path = args.manifest.clone().into_os_string();
    journal_path.push(".journal");
    let journal = Journal::open(std::path::Path::new(&journal_path), &name).map_err(Error::from)?;
    let outcomes = plan
        .execute(target.as_ref(), &mut manifest, Some(&journal), options)
        .await;
    let mut failed = 0;
    let mut exit = Exit::Ok;
    let mut files = Vec::new();
    for outcome in &outcomes {
        for warning in &outcome.warnings {
            eprintln!("warning: {}: {warning}", outcome.path);
        }
        match &outcome.result {
            Ok(entry) => {
                if !out.is_json() && outcome.action != Action::Unchanged {
                    let id = entry.as_ref().map_or("-", |e| e.id.as_str());
                    println!("{:12} {} -> {id}", outcome.action.to_string(), outcome.path);
                }
                let mut file = json!({"path": outcome.path, "action": outcome.action, "entry": entry});
                if !outcome.warnings.is_empty() {
                    file["warnings"] = json!(outcome.warnings);
                }
                files.push(file);
            }
            Err(error) => {
                failed += 1;
                if exit == Exit::Ok {
                    exit = match Exit::of(error) {
                        Exit::Ok => Exit::Failed,
                        other => other,
                    };
                }
                if !out.is_json() {
                    println!("failed       {}: {error}", outcome.path);
                }
                let mut file =
                    json!({"path": outcome.path, "action": outcome.action, "error": error.to_string()});
                if !outcome.warnings.is_empty() {
                    file["warnings"] = json!(outcome.warnings);
                }
                files.push(file);
            }
        }
    }
    if let Some((language, path)) = &codegen {
        std::fs::write(path, manifest.codegen(*language)).map_err(|e| Error::io(path, e))?;
    }
    if out.is_json() {
        println!(
            "{}",
            json!({"summary": plan.summary(), "failed": failed, "files": files, "manifest": args.manifest, "exit": exit as u8})
        );
    } else {
        println!("{}; {failed} failed", plan.summary());
    }
    Ok(exit)
}

/// The target to sync to, its name in the manifest, and the fake under `--mock`.
async fn connect(
    global: &Global,
    args: &SyncArgs,
) -> Result<(Box<dyn Target>, String, Option<Mock>), CliError> {
    Ok(match args.to {
        To::Roblox => {
            let (client, fake) = roblox::connect(global).await?;
            let creator = roblox::creator(args.user, args.group, fake.is_some())?;
            let owner = match creator {
                Creator::User(id) => format!("user {id}"),
                Creator::Group(id) => format!("group {id}"),
            };
            let name = format!("roblox {owner} at {}", client.base_url());
            let mut target = RobloxTarget::new(client, creator);
            if let Some(kind) = &args.asset_type {
                target = target.asset_type(AssetType::from_name(kind));
            }
            (Box::new(target), name, fake)
        }
        To::Webflow => {
            let (client, fake) = webflow::connect(global).await?;
            let site = webflow::site_of(args.site.clone(), fake.is_some())?;
            let name = format!("webflow site {site} at {}", client.base_url());
            let mut target = WebflowTarget::new(client, site);
            if let Some(folder) = &args.folder {
                target = target.folder(folder.clone());
            }
            (Box::new(target), name, fake)
        }
        To::Enklu => {
            let (client, app, assets_url, fake) = enklu::connect(global, None, None).await?;
            (
                Box::new(EnkluTarget::new(client)),
                format!("enklu app {app} at {assets_url}"),
                fake,
            )
        }
        To::Unicat => {
            let folder = args
                .folder
                .clone()
                .ok_or_else(|| Error::invalid("which Unicat folder? pass --folder /path or a gid"))?;
            let (client, project, base_url, fake) = unicat::connect(global).await?;
            let name = format!("unicat project {project} folder {folder} at {base_url}");
            (
                Box::new(UnicatTarget::new(client, unicat::reference(&folder))),
                name,
                fake,
            )
        }
    })
}

fn show_plan(out: Output, plan: &Plan, args: &SyncArgs) {
    if out.is_json() {
        println!("{}", json!({"summary": plan.summary(), "plan": plan.items()}));
        return;
    }
    for item in plan.items() {
        let note = match item.action {
            Action::Gone if !args.prune => " (kept; --prune removes its asset)",
            Action::Replace if !args.replace => " (the old asset stays; --replace removes it)",
            _ => "",
        };
        println!("{:12} {}{note}", item.action.to_string(), item.path);
    }
    println!("{} (dry run: nothing sent)", plan.summary());
}
