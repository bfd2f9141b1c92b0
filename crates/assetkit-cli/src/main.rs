//! `assetkit`: upload files and folders to asset platforms from the terminal, with
//! progress bars, bounded concurrency, a resumable lockfile and exit codes scripts can
//! rely on.

mod batch;
mod exit;
mod mock;
mod output;
mod sync;
mod vendors;

use std::path::PathBuf;
use std::process::ExitCode;

use assetkit::Error;
use clap::{Args, Parser, Subcommand};

use crate::exit::Exit;
use crate::output::Output;

/// Upload and manage assets on Roblox, Webflow, Enklu, Unicat and Media Pocket.
///
/// Credentials come from the environment (ROBLOX_API_KEY, WEBFLOW_TOKEN, ENKLU_EMAIL and
/// ENKLU_PASSWORD, UNICAT_API_KEY, MEDIAPOCKET_API_KEY, ...). `--mock` runs any command
/// against fake servers started in-process instead, with no credentials.
///
/// Exit codes: 0 done; 1 some files failed and the rest worked, or not found; 2 bad
/// command line or a missing setting (project, site, creator); 3 credentials missing or
/// refused; 4 input refused, nothing sent; 5 network down, service unavailable or
/// rate-limited; 6 content refused by the vendor; 130 stopped by Ctrl-C (run again with
/// the same --journal to finish).
#[derive(Debug, Parser)]
#[command(name = "assetkit", version, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    vendor: Vendor,
}

/// Options every command takes.
#[derive(Debug, Clone, Args)]
#[allow(clippy::struct_excessive_bools)] // clap flags are bools by nature
pub(crate) struct Global {
    /// Print machine-readable JSON on stdout instead of text.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    /// Run against fake servers started in-process (no credentials, nothing leaves the
    /// machine). Each command gets fresh fakes; for state that lasts across commands, run
    /// `assetkit-fake <vendor>` and export the variables it prints.
    #[arg(long, global = true, conflicts_with = "base_url")]
    pub(crate) mock: bool,
    /// The API base URL (default: the vendor's *_BASE_URL variable, then its production URL).
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// Allow plain http:// to hosts other than this machine (credentials and files then
    /// cross the network unencrypted). Plain http to 127.0.0.1 / localhost needs no flag.
    #[arg(long, global = true)]
    pub(crate) danger_accept_plain_http: bool,
    /// How many uploads run at once.
    #[arg(long, global = true, default_value_t = 4, value_name = "N")]
    pub(crate) concurrency: usize,
    /// A journal of every upload's steps, written as they happen, so that an interrupted
    /// batch (a crash, a kill, Ctrl-C) resumes: finished files are skipped, half-done ones
    /// are finished from where they stopped, never uploaded twice. One process at a time.
    #[arg(long, global = true, value_name = "PATH", visible_alias = "lockfile")]
    pub(crate) journal: Option<PathBuf>,
    /// Hide progress bars.
    #[arg(long, global = true)]
    pub(crate) no_progress: bool,
}

#[derive(Debug, Subcommand)]
enum Vendor {
    /// Roblox Open Cloud assets (ROBLOX_API_KEY; ROBLOX_CREATOR_USER_ID or ROBLOX_CREATOR_GROUP_ID).
    Roblox {
        #[command(subcommand)]
        command: vendors::roblox::Command,
    },
    /// Webflow assets and asset folders (WEBFLOW_TOKEN, WEBFLOW_SITE_ID).
    Webflow {
        #[command(subcommand)]
        command: vendors::webflow::Command,
    },
    /// Enklu assets (ENKLU_EMAIL, ENKLU_PASSWORD, ENKLU_APP_ID).
    Enklu {
        #[command(subcommand)]
        command: vendors::enklu::Command,
    },
    /// Unicat assets (UNICAT_API_KEY, UNICAT_PROJECT).
    Unicat {
        #[command(subcommand)]
        command: vendors::unicat::Command,
    },
    /// Media Pocket assets (MEDIAPOCKET_API_KEY, MEDIAPOCKET_PROJECT, MEDIAPOCKET_BASE_URL).
    Mediapocket {
        #[command(subcommand)]
        command: vendors::mediapocket::Command,
    },
    /// Keep a folder in step with a platform: new files uploaded, changed ones as new
    /// versions where the vendor keeps them, gone ones pruned on request; each file's
    /// asset recorded in a manifest to commit.
    Sync(sync::SyncArgs),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Output::new(cli.global.json, cli.global.journal.is_some());
    let result = match cli.vendor {
        Vendor::Roblox { command } => vendors::roblox::run(&cli.global, &out, command).await,
        Vendor::Webflow { command } => vendors::webflow::run(&cli.global, &out, command).await,
        Vendor::Enklu { command } => vendors::enklu::run(&cli.global, &out, command).await,
        Vendor::Unicat { command } => vendors::unicat::run(&cli.global, &out, command).await,
        Vendor::Mediapocket { command } => vendors::mediapocket::run(&cli.global, &out, command).await,
        Vendor::Sync(args) => sync::run(&cli.global, &out, args).await,
    };
    match result {
        Ok(exit) => exit.code(),
        Err(CliError::Api(error)) => {
            out.error(&error);
            Exit::of(&error).code()
        }
        Err(CliError::MissingCredential(message)) => {
            out.message(&message, Exit::Auth);
            Exit::Auth.code()
        }
        Err(CliError::Usage(message)) => {
            out.message(&message, Exit::Usage);
            Exit::Usage.code()
        }
    }
}

/// Why a command failed.
#[derive(Debug)]
pub(crate) enum CliError {
    /// The library reported a failure.
    Api(Error),
    /// A credential was not in the environment.
    MissingCredential(String),
    /// A setting other than a credential was missing or wrong (the project, site or
    /// creator; `--base-url` with `--mock`).
    Usage(String),
}

impl From<Error> for CliError {
    fn from(error: Error) -> Self {
        CliError::Api(error)
    }
}

/// Reads a required environment variable, or says which one to set.
pub(crate) fn env(name: &str, what: &str) -> Result<String, CliError> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => Ok(value),
        _ => Err(CliError::MissingCredential(format!(
            "{name} is not set: export {name}=<{what}>, or try the command with --mock"
        ))),
    }
}

/// Reads a required environment variable that is a setting rather than a credential
/// (a project, app or site id), or says which one to set; `flag` names the command-line
/// flag that can stand in for it, if there is one.
pub(crate) fn setting(name: &str, what: &str, flag: Option<&str>) -> Result<String, CliError> {
    env_opt(name).ok_or_else(|| {
        let or_flag = flag.map_or_else(String::new, |flag| format!(", pass {flag}"));
        CliError::Usage(format!(
            "{name} is not set: export {name}=<{what}>{or_flag}, or try the command with --mock"
        ))
    })
}

/// Where a real vendor lives: `--base-url`, else the vendor's `variable`, else `default`.
pub(crate) fn real_base_url(global: &Global, variable: &str, default: &str) -> String {
    global
        .base_url
        .clone()
        .or_else(|| env_opt(variable))
        .unwrap_or_else(|| default.to_owned())
}

/// The base URL and the credential to use: the fake's URL and a stand-in credential under
/// `--mock` (`fake_uri` is then set), else the real URL and the credential from
/// `credential_variable`.
pub(crate) fn base_url_and_credential(
    global: &Global,
    fake: Option<(String, String)>,
    (base_variable, default_base): (&str, &str),
    (credential_variable, what): (&str, &str),
) -> Result<(String, String), CliError> {
    match fake {
        Some(fake) => Ok(fake),
        None => Ok((
            real_base_url(global, base_variable, default_base),
            env(credential_variable, what)?,
        )),
    }
}

/// An optional environment variable.
pub(crate) fn env_opt(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_tree_is_well_formed() {
        // Panics on any clash (a positional named like a flag, duplicate names, ...).
        super::Cli::command().debug_assert();
    }

    #[test]
    fn every_subcommand_has_help() {
        fn walk(command: &clap::Command, path: &mut Vec<String>) {
            let mut help = command.clone();
            let text = help.render_help().to_string();
            assert!(!text.trim().is_empty(), "{path:?} has no help");
            for sub in command.get_subcommands() {
                path.push(sub.get_name().to_owned());
                walk(sub, path);
                path.pop();
            }
        }
        walk(&super::Cli::command(), &mut Vec::new());
    }
}
